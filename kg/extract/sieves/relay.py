"""Relay sieves: to whom the words were said (`addressee`) and who passed them on (`via`).

Each fills one field; the first that decides wins. They see the claim, its speaker, the
discourse, and `resolve`, the runner's mention -> entity chain for the relayer's words.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from kg.extract.context import ArticleContext
from kg.extract.cues import Cue
from kg.extract.model import Speaker
from kg.extract.people import strip_article
from kg.extract.sieves.base import Claim, Discourse, RelayDecision
from kg.extract.sieves.registry import sieve
from kg.extract.sieves.speaker import organisation_before

Resolve = Callable[[Token], "Speaker | None"]


@sieve(
    "relay",
    "addressee_object",
    "the person a cue's words are said to: “told reporters”, “told his counterpart that”",
    examples=[
        (
            "“The border must stay open to trade,” Minister Karl Berg told his counterpart, "
            "according to the state news agency.",
            "border must stay open",
            "addressee",
            "counterpart",
        ),
    ],
    field="addressee",
)
def addressee_object(ctx, claim: Claim, speaker, discourse, resolve: Resolve):
    cue = claim.cue
    if cue is None or cue.addressee is None:
        return None
    addressee = resolve(cue.addressee)
    if addressee is None:
        return None
    return RelayDecision(addressee.name, ctx.phrase_span(cue.addressee))


@sieve(
    "relay",
    "relayed_report",
    "a report inside another's report, or beside “according to X”, reached the article "
    "through the outer speaker or X",
    examples=[
        (
            "Ana Lopez warned that the dam was unsafe, the local newspaper quoted Lopez as "
            "telling residents.",
            "dam was unsafe",
            "via",
            "local newspaper",
        ),
        (
            "Mayor Ana Lopez told council members that the budget was balanced, according to "
            "the city newspaper.",
            "budget was balanced",
            "via",
            "city newspaper",
        ),
    ],
    field="via",
)
def relayed_report(ctx, claim: Claim, speaker, discourse, resolve: Resolve):
    outer = claim.relayed_by
    if outer is None:
        return None
    found = via_of(ctx, outer, discourse)
    if found is not None:
        return found
    relayer = resolve(outer.speaker) if outer.speaker is not None else None
    if relayer is None:
        return None
    return RelayDecision(relayer.name, ctx.phrase_span(outer.speaker), relayer.kind)


@sieve(
    "relay",
    "told_outlet",
    "words told to a news outlet (“told the agency”) reached the article through it",
    examples=[
        (
            "Tom Hall denied the report, writes the Valley News Agency.\n\n"
            "“The report is false from start to finish,” Hall told the agency.",
            "false from start",
            "via",
            "Valley News Agency",
        ),
    ],
    field="via",
)
def told_outlet(ctx, claim: Claim, speaker, discourse, resolve: Resolve):
    cue = claim.cue
    if cue is None or cue.addressee is None or not is_media(ctx, cue.addressee):
        return None
    return RelayDecision(
        relayer_name(ctx, cue.addressee, discourse),
        ctx.phrase_span(cue.addressee),
        "organization",
        "told a news outlet",
    )


@sieve(
    "relay",
    "published_by",
    "words said “in an interview with X”, “in a report by X” or “in a video published by X” "
    "reached the article through X",
    examples=[
        (
            "In a video published by Harbour TV, Mayor Ana Lopez said the port would reopen.",
            "port would reopen",
            "via",
            "Harbour TV",
        ),
        (
            "Ana Lopez said in an interview with the Valley Herald that the port would reopen.",
            "port would reopen",
            "via",
            "Valley Herald",
        ),
    ],
    field="via",
)
def published_by(ctx, claim: Claim, speaker, discourse, resolve: Resolve):
    cue = claim.cue
    if cue is None:
        return None
    verbs = [cue.token] + [  # "was quoted as saying in a report by X"
        g
        for c in cue.token.children
        if c.dep_ == "prep" and c.lower_ == "as"
        for g in c.children
        if g.dep_ == "pcomp"
    ]
    preps = [c for verb in verbs for c in verb.children]
    for prep in preps:
        if prep.dep_ != "prep" or prep.lower_ not in ("in", "on", "during"):
            continue
        channel = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if channel is None or channel.lemma_.lower() not in ctx.lexicon.channel_nouns:
            continue
        source = _channel_source(channel)
        if source is not None and (
            source.pos_ == "PROPN"
            or (source.ent_type_ and source.ent_type_ not in TIME_ENTS)
            or is_media(ctx, source)
        ):
            return RelayDecision(
                relayer_name(ctx, source, discourse), ctx.phrase_span(source), None, channel.text
            )
    return None


TIME_ENTS = ("DATE", "TIME", "ORDINAL", "CARDINAL")


def _channel_source(channel: Token) -> Token | None:
    """Who published a channel: "an interview with X", "a report by X", "a video
    published by X", "X's interview", "a broadcast of X" (never a time: "this
    weekend's broadcast")."""
    for child in channel.children:
        if child.dep_ == "poss" and child.ent_type_ not in TIME_ENTS:
            return child
        if child.dep_ == "prep" and child.lower_ == "of":
            show = next((g for g in child.children if g.dep_ == "pobj"), None)
            if show is not None and show.pos_ == "PROPN":
                return show  # "a broadcast of Fox Morning Live"; not "a video of the briefing"
            if show is not None:  # "a recording of the briefing published by X"
                publisher = _published_by(show)
                if publisher is not None:
                    return publisher
            continue
        if child.dep_ == "prep" and child.lower_ in ("with", "by", "on", "for"):
            return next((g for g in child.children if g.dep_ == "pobj"), None)
        if child.dep_ == "acl" and (publisher := _by_whom(child)) is not None:
            return publisher
    return None


def _published_by(noun: Token) -> Token | None:
    """X in "... published by X" (a participle on the noun with a "by" agent)."""
    return next(
        (by for c in noun.children if c.dep_ == "acl" and (by := _by_whom(c)) is not None), None
    )


def _by_whom(participle: Token) -> Token | None:
    """X of a participle's "by X" (parsed as its agent or as a plain preposition)."""
    agent = next(
        (g for g in participle.children if g.dep_ in ("agent", "prep") and g.lower_ == "by"),
        None,
    )
    return next((g for g in agent.children if g.dep_ == "pobj"), None) if agent else None


@sieve(
    "relay",
    "relay_verb",
    "“X quoted Y as saying”: X relays Y's words",
    examples=[
        (
            "The state newspaper quoted Minister Karl Berg as saying the border would reopen soon.",
            "border would reopen",
            "via",
            "state newspaper",
        ),
    ],
    field="via",
)
def relay_verb(ctx, claim: Claim, speaker, discourse, resolve: Resolve):
    cue = claim.cue
    if cue is None or cue.kind != "relay":
        return None
    return via_of(ctx, cue, discourse)


@sieve(
    "relay",
    "continued_relay",
    "a pronoun-cued quote right after a relayed quote of the same speaker came the same way",
    examples=[
        (
            "Tom Hall denied the report, writes the Valley News Agency.\n\n"
            "“The report is false from start to finish,” Hall told the agency.\n\n"
            "“We will take legal action next week,” he said.",
            "legal action",
            "via",
            "Valley News Agency",
        ),
    ],
    field="via",
)
def continued_relay(ctx, claim: Claim, speaker: Speaker, discourse: Discourse, resolve):
    cue = claim.cue
    last = discourse.last()
    if cue is None or cue.speaker is None or cue.speaker.pos_ != "PRON" or last is None:
        return None
    if last.via is None or last.speaker.name != speaker.name:
        return None
    if ctx.prose(claim.start) - ctx.prose(last.end) > 2:
        return None
    return RelayDecision(last.via, None, None, "the same channel as the quote before")


@sieve(
    "relay",
    "continuation_relay",
    "a quotation continuing the previous speaker came through the same relay",
    examples=[
        (
            "The state newspaper quoted Minister Karl Berg as saying the border would reopen "
            "soon.\n\n“Trade will recover within weeks.”",
            "Trade will recover",
            "via",
            "state newspaper",
        ),
    ],
    field="via",
)
def continuation_relay(ctx, claim: Claim, speaker, discourse: Discourse, resolve):
    last = discourse.last()
    if claim.link != "continuation" or last is None or last.via is None:
        return None
    return RelayDecision(last.via, None, None, "continues the quote before")


# -- helpers --------------------------------------------------------------------------------
def via_of(ctx: ArticleContext, cue: Cue, discourse: Discourse) -> RelayDecision | None:
    """Who relays through this cue: "X quoted Y as saying" -> X; "according to X" -> X."""
    if cue.kind == "relay" and cue.via is not None:
        token = cue.via
    elif cue.kind == "according" and cue.speaker is not None:
        token = _issuer(ctx, cue.speaker)
    else:
        return None
    return RelayDecision(relayer_name(ctx, token, discourse), ctx.phrase_span(token))


def _issuer(ctx: ArticleContext, source: Token) -> Token:
    """Who put out the document a source names: "statements reported by CCTV" -> CCTV."""
    lex = ctx.lexicon
    if source.lemma_.lower() not in lex.document_nouns | lex.reporting_nouns:
        return source
    for verb in source.children:
        if verb.dep_ == "acl":
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            actor = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            if actor is not None:
                return actor
    return source


def relayer_name(ctx: ArticleContext, token: Token, discourse: Discourse) -> str:
    """The relayer's name: the outlet's own name when the phrase gives one
    ("the state-run broadcaster CCTV" -> "CCTV"), else the phrase."""
    for child in (token, *token.children):
        if child is token or child.dep_ in ("appos", "compound", "npadvmod", "nmod"):
            ent = ctx.entity_at.get(child.i)
            if (
                ent is not None
                and ent.label_ in ("ORG", "PERSON", "GPE", "NORP")
                and child.pos_ == "PROPN"
            ):
                return strip_article(ent.text)
    if token.pos_ == "NOUN" and token.lemma_.lower() in ctx.lexicon.media_words:
        outlet = organisation_before(ctx, token, discourse)  # "told the agency": named earlier
        if outlet is not None and outlet.speaker is not None:
            return outlet.speaker.name
    return strip_article(ctx.phrase_text(token))


def is_media(ctx: ArticleContext, token: Token) -> bool:
    """Whether a phrase names a news outlet by a media word ("the agency", "Daily Herald")."""
    words = {t.lower_ for t in token.subtree} | {token.lemma_.lower()}
    return bool(words & ctx.lexicon.media_words)
