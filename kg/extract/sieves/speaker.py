"""Speaker sieves: the mention at a quote -> an entity of the article.

The runner tries them in the configured order for each claim's mention; the first that
decides wins. A sieve may instead redirect to another token ("who" -> the noun its clause
hangs on) or pass. Each sees the entity table (through the context), the discourse so
far, and the names the quote must not be given to (`avoid`: people the quote itself names
in the third person, the person it is said to).
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from kg.extract.context import ArticleContext, TextSpan
from kg.extract.cues import passive_agent
from kg.extract.entities import FIRST_PERSON, Entity, compatible, role_owner
from kg.extract.model import Speaker
from kg.extract.people import clean_name, is_media_name, role_head, role_words, strip_article
from kg.extract.sieves.base import Claim, Decision, Discourse, Mention
from kg.extract.sieves.registry import sieve

PRONOUN_REACH_PARAGRAPHS = 2  # a speaker quoted this many paragraphs back is still "he"
# cases decided by a link sieve and a speaker sieve together (both name them)
INTERVIEW_EXAMPLE = (
    "Coach Maria Santos said her team had played well. “We never gave up,” Santos said.\n\n"
    "How do you explain the defeat?\n\n"
    "We made two mistakes at the back and they punished us.\n\n"
    "What comes next?\n\n"
    "Rest first. Then we prepare for the cup match on Sunday.\n",
    "two mistakes",
    "speaker",
    "Maria Santos",
)
CONTINUATION_EXAMPLE = (
    "“The river rose fast,” Fire Chief Dan Moore said.\n\n“We had people on roofs within an hour.”",
    "people on roofs",
    "speaker",
    "Dan Moore",
)


def _token(mention: Mention | None) -> Token | None:
    return None if mention is None or mention.label else mention.token


def _person_span(person: Entity, before: int) -> TextSpan | None:
    span = person.mention_before(before + 1) or (
        (person.first_char, person.spans.get(person.first_char, person.first_char))
        if person.mentions
        else None
    )
    return TextSpan(*span) if span else None


# -- redirects ------------------------------------------------------------------------------
@sieve(
    "speaker",
    "relative_which",
    "“which” of a relative clause speaks for the body the clause hangs on",
    examples=[
        (
            "Passengers complained to Northwind Airlines, which said the storm had grounded "
            "most of the fleet.",
            "storm had grounded",
            "speaker",
            "Northwind Airlines",
        ),
    ],
)
def relative_which(ctx, mention, claim, discourse, avoid) -> Decision | None:
    token = _token(mention)
    if token is None or token.tag_ != "WDT" or token.head.dep_ != "relcl":
        return None
    noun = token.head.head
    if not names_a_body(ctx, noun) and noun.lemma_.lower() not in ctx.lexicon.document_nouns:
        return None
    return Decision(redirect=noun, note="the body or document the relative clause hangs on")


@sieve(
    "speaker",
    "named_as",
    "“a spokesperson named X”, “a man identified as X”, “who gave her name as X”, “its "
    "largest shareholder, the X foundation,”: the description is X",
    examples=[
        (
            "A company spokesperson named Ana Lopez said the data had not been sold.",
            "data had not been sold",
            "speaker",
            "Ana Lopez",
        ),
        (
            "Shares fell on Monday. The company's largest shareholder, the Halvorsen family "
            "foundation, said it continued to support management.",
            "continued to support",
            "speaker",
            "Halvorsen family foundation",
        ),
    ],
)
def named_as(ctx, mention, claim, discourse, avoid) -> Decision | None:
    token = _token(mention)
    if token is None or token.pos_ not in ("NOUN", "PROPN"):
        return None
    lex = ctx.lexicon
    if token.pos_ == "NOUN":
        for body in token.children:
            # "The company's largest shareholder, the Halvorsen family foundation, said"
            if (
                body.dep_ == "appos"
                and body.i > token.i
                and (body.ent_type_ == "ORG" or body.lemma_.lower() in lex.organization_nouns)
            ):
                return Decision(redirect=body, note=f"{token.text}, {body.text}")
    for verb in token.children:
        naming = verb.dep_ == "acl" and verb.lemma_.lower() in ("name", "call", "identify")
        # "a resident, who gave her name as Mama Bisi,": the name she gave is hers
        gave_name = (
            verb.dep_ == "relcl"
            and verb.lemma_.lower() == "give"
            and any(c.dep_ == "dobj" and c.lemma_.lower() == "name" for c in verb.children)
        )
        if not (naming or gave_name):
            continue
        for child in verb.subtree:
            if child.i == verb.i:
                continue
            if ctx.entities.person_at(child) is not None:
                return Decision(redirect=child, note=f"{verb.text} {child.text}")
            if gave_name and child.dep_ == "pobj" and child.head.lower_ == "as" and child.is_title:
                return Decision(redirect=child, note=f"gave the name {child.text}")
    return None


@sieve(
    "speaker",
    "document_issuer",
    "a statement, report or letter speaks for whoever issued it: “X issued a statement "
    "that said ...”",
    examples=[
        (
            "Ana Lopez did not speak to reporters but issued a statement that said she was "
            "pleased with the talks.",
            "pleased with the talks",
            "speaker",
            "Ana Lopez",
        ),
    ],
)
def document_issuer(ctx, mention, claim, discourse, avoid) -> Decision | None:
    token = _token(mention)
    if token is None or token.lemma_.lower() not in ctx.lexicon.document_nouns:
        return None
    verb = token.head
    if token.dep_ != "dobj" or verb.lemma_.lower() not in ctx.lexicon.issuing_verbs:
        return None
    issuer = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if issuer is None and verb.dep_ == "conj":
        issuer = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    if issuer is None or issuer.pos_ == "PRON" and issuer.lower_ in ("it", "this", "that"):
        return None
    return Decision(redirect=issuer, note=f"{verb.text} the {token.text}")


@sieve(
    "speaker",
    "relative_who",
    "“who” of a relative clause speaks for the noun its clause hangs on (through "
    "apposition, coordination and “X is a Y who”)",
    examples=[
        (
            "“We will appeal the ruling next week,” Laura Bennett said.\n\n"
            "The case was argued by the firm of Tom Hall, a lawyer who said the court had "
            "ignored the evidence.",
            "ignored the evidence",
            "speaker",
            "Tom Hall",
        ),
    ],
)
def relative_who(ctx, mention, claim, discourse, avoid) -> Decision | None:
    token = _token(mention)
    if token is None or token.tag_ != "WP" or token.head.dep_ != "relcl":
        return None
    noun = token.head.head
    if token.lower_ == "who" and not _can_be_who(noun):
        # "Harold Ode, chairman of the Mesa Chapter, who testified": "who" is a person,
        # so the clause tells of the man whose title ends in the body's name
        while noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head != noun.head:
            noun = noun.head.head
    noun = _antecedent(noun)
    if noun is None or noun.pos_ not in ("PROPN", "NOUN"):
        return None
    return Decision(redirect=noun, note="the noun the relative clause hangs on")


def _can_be_who(noun: Token) -> bool:
    """Whether "who" can stand for a noun: not a body named as one, nor a thing that is
    the complement of a person's title ("chairman of the Mesa Chapter")."""
    if noun.ent_type_ in ("ORG", "GPE", "FAC", "LOC"):
        return noun.dep_ != "pobj"
    return True


# -- organisations and pronouns -------------------------------------------------------------
@sieve(
    "speaker",
    "it_organisation",
    "“it” is the document just quoted, else the organisation quoted or named in the last "
    "two paragraphs",
    examples=[
        (
            "Northwind Airlines cancelled 40 flights on Monday. It said the storm had grounded "
            "most of the fleet.",
            "storm had grounded",
            "speaker",
            "Northwind Airlines",
        ),
        (  # a document just quoted, not the company it names
            "Northwind Airlines paid no tax, the institute found. “Subsidiaries hide the "
            "profits,” the report says.\n\nIt also points out that the penalties for hiding "
            "subsidiaries are far too light.",
            "penalties for hiding",
            "speaker",
            "report",
        ),
    ],
)
def it_organisation(ctx, mention, claim, discourse, avoid) -> Decision | None:
    token = _token(mention)
    if token is None or token.lower_ not in ("it", "its"):
        return None
    document = _document_just_quoted(ctx, token, discourse)
    if document is not None:
        return document
    return organisation_before(ctx, token, discourse)


def _document_just_quoted(ctx: ArticleContext, token: Token, discourse: Discourse):
    """ "It" right after a document was quoted is the document: "..., the report says.
    It also points out that ...", not the last company the report named."""
    spoken = discourse.last()
    if spoken is None or spoken.end > token.idx or spoken.speaker.kind == "person":
        return None
    if ctx.prose(token.idx) - ctx.prose(spoken.end) > 1:
        return None
    words = spoken.speaker.name.lower().split()
    if not words or words[-1] not in ctx.lexicon.document_nouns:
        return None
    speaker = Speaker(spoken.speaker.name, token.text, spoken.speaker.kind)
    return Decision(speaker, antecedent=spoken.mention, note="the document just quoted")


def _is_pronoun(ctx: ArticleContext, token: Token) -> bool:
    return token.lower_ in ctx.lexicon.pronoun_gender or token.pos_ == "PRON"


@sieve(
    "speaker",
    "pronoun_salience",
    "he/she/they is the last speaker quoted within two paragraphs whose gender agrees, "
    "or a nearer person named within three (a subject counts nearer than an object); "
    "never a person the quote itself names",
    examples=[
        (
            "Mr. Paul Ward met Ms. Rita Stone in Paris. “The talks went well,” she said.",
            "talks went well",
            "speaker",
            "Rita Stone",
        ),
        (
            "Ravi Menon met union leaders on Monday.\n\n“Nobody will lose their job,” he said.",
            "Nobody will lose",
            "speaker",
            "Ravi Menon",
        ),
    ],
)
def pronoun_salience(ctx, mention, claim, discourse, avoid) -> Decision | None:
    token = _token(mention)
    if token is None or not _is_pronoun(ctx, token) or token.lower_ in FIRST_PERSON:
        return None
    gender = ctx.lexicon.pronoun_gender.get(token.lower_)
    here = token.idx
    para = ctx.prose(here)
    rejected: list[str] = []
    best: tuple[float, Speaker, TextSpan | None] | None = None
    # a given name's usual gender is only a hint: a candidate it disagrees with is kept
    # as a fallback, not ruled out ("Jean", "Kim" and many names are borne by both)
    hinted: tuple[float, Speaker, TextSpan | None] | None = None
    for spoken in discourse.latest_first():
        if spoken.end > here or spoken.speaker.name in avoid:
            if spoken.speaker.name in avoid:
                rejected.append(f"{spoken.speaker.name}: named in the quote or its addressee")
            continue
        if ctx.prose(spoken.end) < para - PRONOUN_REACH_PARAGRAPHS:
            break
        if compatible(gender, spoken.gender, spoken.speaker.kind):
            if spoken.gender is None and not _hint_agrees(ctx, gender, spoken.speaker.name):
                hinted = hinted or (spoken.end, spoken.speaker, spoken.mention)
                rejected.append(f"{spoken.speaker.name}: the given name suggests another gender")
                continue
            best = (spoken.end, spoken.speaker, spoken.mention)
            break
        rejected.append(f"{spoken.speaker.name}: does not agree with {token.text!r}")
    for candidate in ctx.entities.pronoun_candidates(token):
        score, m = candidate.salience, candidate.mention
        if best is not None and score <= best[0]:
            break  # the candidates come most salient first
        if m.entity.name in avoid:
            continue
        person_gender = discourse.gender_of(m.entity.name, m.entity.gender)
        if compatible(gender, person_gender, m.entity.kind):
            found = (
                score,
                Speaker(m.entity.name, token.text, m.entity.kind),
                TextSpan(m.start, m.end),
            )
            if person_gender is None and not _hint_agrees(ctx, gender, m.entity.name):
                if hinted is None or score > hinted[0]:
                    hinted = found
                continue
            best = found
            break
    best = best or hinted
    if best is None:
        return Decision(rejected=tuple(rejected)) if rejected else None
    speaker = Speaker(best[1].name, token.text, best[1].kind)
    learnt = gender if gender in ("m", "f") else None
    return Decision(speaker, antecedent=best[2], rejected=tuple(rejected), gender=learnt)


@sieve(
    "speaker",
    "pronoun_mistranslated",
    "he/she with nobody of that gender in reach is the last person quoted just before "
    "(machine translation swaps pronouns)",
    examples=[
        (
            "Maria Santos, the team's spokeswoman, praised the players: “They were brave.”\n\n"
            "“We defended well,” he said.",
            "defended well",
            "speaker",
            "Maria Santos",
        ),
    ],
)
def pronoun_mistranslated(ctx, mention, claim, discourse, avoid) -> Decision | None:
    token = _token(mention)
    if token is None or ctx.lexicon.pronoun_gender.get(token.lower_) not in ("m", "f"):
        return None
    here = token.idx
    para = ctx.prose(here)
    for spoken in discourse.latest_first():
        if spoken.end > here or spoken.speaker.name in avoid:
            continue
        if ctx.prose(spoken.end) < para - PRONOUN_REACH_PARAGRAPHS:
            break
        if spoken.speaker.kind == "person" or looks_personal(ctx, spoken.speaker.name):
            speaker = Speaker(spoken.speaker.name, token.text, spoken.speaker.kind)
            gender = ctx.lexicon.pronoun_gender[token.lower_]
            return Decision(
                speaker, antecedent=spoken.mention, note="gender disagrees", gender=gender
            )
    return None


@sieve(
    "speaker",
    "pronoun_named_later",
    "he/she opening a story before anyone is named (a headline's names label the story) "
    "is the first person of that gender named in the next two paragraphs and again later "
    "(a delayed identification)",
    examples=[
        (
            "“We did everything we could,” he told reporters after the final whistle.\n\n"
            "Coach Tom Hale watched his side lose 3-0 on Saturday. Hale has lost four games "
            "in a row.",
            "did everything we could",
            "speaker",
            "Tom Hale",
        ),
    ],
)
def pronoun_named_later(ctx, mention, claim, discourse, avoid) -> Decision | None:
    token = _token(mention)
    if token is None or discourse.last() is not None:
        return None
    reference = ctx.entities.reference_at(token)
    later = reference.named_after if reference is not None else None
    if later is None or later.entity.name in avoid:
        return None
    speaker = Speaker(later.entity.name, token.text, later.entity.kind)
    return Decision(
        speaker, antecedent=TextSpan(later.start, later.end), note="named after the pronoun"
    )


@sieve(
    "speaker",
    "body_noun",
    "“the company”, “the statement”, “the ministry” speak for the organisation quoted or "
    "named just before; “police” or “the US government” name a body of their own",
    examples=[
        (
            "Northwind Airlines cancelled 40 flights on Monday. The company said the storm had "
            "grounded its fleet.",
            "storm had grounded",
            "speaker",
            "Northwind Airlines",
        ),
        (
            "In a statement, the Harbour Authority said the pier would close on Friday.\n\n"
            "“Repairs will take a month,” the statement said.",
            "Repairs will take",
            "speaker",
            "Harbour Authority",
        ),
        (  # a document speaks for whoever issued it when it was first named
            "A report by the Lakeside Institute was published on Monday. Northwind Airlines "
            "flew 40 flights, and the report says the airline paid no tax.",
            "airline paid no tax",
            "speaker",
            "Lakeside Institute",
        ),
    ],
)
def body_noun(ctx, mention, claim, discourse, avoid) -> Decision | None:
    token = _token(mention)
    if token is None:
        return None
    lex = ctx.lexicon
    lemma = token.lemma_.lower()
    if not (
        lemma in lex.organization_nouns or lemma in lex.document_nouns or lemma in lex.media_words
    ):
        return None
    named = next(
        (
            c
            for c in token.children
            if c.i == token.i + 1
            and c.dep_ in ("appos", "npadvmod", "compound", "nmod")
            and c.ent_type_ in ("ORG", "PERSON")
        ),
        None,
    )
    if named is not None:  # "data firm Refinery Analytics": the noun describes the name after it
        return Decision(redirect=named, note=f"{token.text} {named.text}")
    if lemma in lex.document_nouns:
        issuer = _issuer_named_at(ctx, token)  # "a complaint filed by X", "a speech X gave"
        if issuer is not None:
            return Decision(redirect=issuer, note=f"the {token.text} of {issuer.text}")
    if indefinite(ctx, token) and lemma not in lex.collective_bodies:
        return None
    if lemma in lex.organization_nouns and named_by_modifier(token):
        phrase = strip_article(ctx.phrase_text(token))
        return Decision(
            Speaker(_without_epithets(ctx, token, phrase), phrase, "organization"),
            note="a body named by its modifier",
        )
    if lemma in lex.document_nouns and lemma not in lex.organization_nouns:
        issuer = issuer_of_document_before(ctx, token)
        if issuer is not None:
            return Decision(redirect=issuer, note=f"the {token.text} of {issuer.text}")
        # a document is not whichever body was named last ("Acme holds $2bn, and the
        # report says ..." is not Acme's report): only one quoted just before speaks
        return organisation_before(ctx, token, discourse, quoted_only=True)
    bare = not any(c.dep_ in ("det", "poss") for c in token.children)
    if not (lemma in lex.collective_bodies and bare):  # "Police say": the force, not the last body
        organisation = organisation_before(ctx, token, discourse)
        if organisation is not None:
            return organisation
    if lemma in lex.organization_nouns:  # "police said": a body, even unnamed
        phrase = ctx.phrase_text(token)
        if phrase.isupper():  # "POLICE say ...": a lead's capitals, not an acronym
            phrase = phrase.capitalize()
        # one name for the body, however the sentence opened: "Police said", "police said"
        name = phrase[:1].upper() + phrase[1:] if len(phrase.split()) == 1 else phrase
        return Decision(Speaker(name, phrase, "organization"), note="an unnamed body")
    return None


# -- names and roles ------------------------------------------------------------------------
@sieve(
    "speaker",
    "named_person",
    "a mention that is (or is in apposition to) a name of the entity table is that person",
    examples=[
        (
            "Sarah Klein runs the firm. Klein told reporters the plant would close.",
            "plant would close",
            "speaker",
            "Sarah Klein",
        ),
    ],
)
def named_person(ctx, mention, claim, discourse, avoid) -> Decision | None:
    token = _token(mention)
    if token is None:
        return None
    person = ctx.entities.person_at(token) or _person_in_phrase(ctx, token)
    if person is None:
        return None
    speaker = Speaker(person.name, ctx.phrase_text(token), person.kind)
    first = TextSpan(person.first_char, person.spans.get(person.first_char, person.first_char))
    antecedent = first if first.start < mention.span.start else None
    return Decision(speaker, antecedent=antecedent)


@sieve(
    "speaker",
    "official_of_body",
    "a body's official named in the subject speaks, not the body: “Port Authority "
    "official Mina Duarte said”",
    examples=[
        (
            "The ferry will run again on Monday, Lakeside Port Authority for Harbours and "
            "Canals official Mina Duarte said.",
            "ferry will run again",
            "speaker",
            "Mina Duarte",
        ),
    ],
)
def official_of_body(ctx, mention, claim, discourse, avoid) -> Decision | None:
    token = _token(mention)
    if token is None or ctx.entities.person_at(token) is not None:
        return None
    lex = ctx.lexicon
    if token.ent_type_ not in ("ORG", "GPE", "NORP", "FAC") and (
        token.lemma_.lower() not in lex.organization_nouns
    ):
        return None
    for role in token.subtree:
        if role.lemma_.lower() not in lex.role_nouns:
            continue
        # the parser hangs the name on the role ("official" <- "Duarte") or the role on
        # the name ("official" as a compound of "Duarte")
        near = [c for c in role.children if c.dep_ in ("appos", "compound") and c.i > role.i]
        if role.dep_ == "compound" and role.head.i > role.i:
            near.append(role.head)
        for name in near:
            if ctx.entities.person_at(name) is not None:
                return Decision(redirect=name, note=f"{role.text} {name.text}")
    return None


@sieve(
    "speaker",
    "named_organisation",
    "a mention the tagger calls an organisation, place or group is that body, by the "
    "fullest name the article gives it",
    examples=[
        (
            "Northwind Airlines said the storm had grounded its fleet.",
            "storm had grounded",
            "speaker.kind",
            "organization",
        ),
        (  # one name per organisation: its acronym is the same body
            "The World Health Organization issued new advice on Monday. Doctors welcomed "
            "the advice. Later the WHO said the advice would be reviewed within a month.",
            "advice would be reviewed",
            "speaker",
            "World Health Organization",
        ),
    ],
)
def named_organisation(ctx, mention, claim, discourse, avoid) -> Decision | None:
    token = _token(mention)
    if token is None or token.ent_type_ not in ("ORG", "GPE", "NORP", "FAC"):
        return None
    if _role_tokens(ctx, token) is not None:
        return None  # "Justice", "the CM": a title the tagger took for a body
    body = ctx.entities.organisation_at.get(token.i)
    if body is not None:  # one name per organisation: "the WHO" is the World Health Organization
        return Decision(Speaker(body.name, ctx.phrase_text(token), "organization"))
    ent = ctx.entity_at.get(token.i)
    name = ent.text if ent is not None else token.text
    return Decision(Speaker(strip_article(name), ctx.phrase_text(token), "organization"))


def _role_tokens(ctx: ArticleContext, token: Token) -> list[Token] | None:
    lex = ctx.lexicon
    lemma = token.lemma_.lower()
    definite = [c.lower_ for c in token.children if c.dep_ == "det"] == ["the"]
    if token.ent_type_ in ("NORP", "PERSON", "") and token.tag_ in ("NN", "NNP"):
        # "the Scot", "the Australian": a people's name for one of them, which the
        # tagger may call a person's name
        if definite and token.is_title and ctx.entities.person_at(token) is None:
            if token.ent_type_ == "NORP" or ctx.entity_at.get(token.i) is not None:
                return list(ctx.doc[token.left_edge.i : token.i + 1])
    if lemma not in lex.role_nouns and token.lower_ not in lex.role_abbreviations:
        # a title the article gave someone in apposition ("The Provost, Mr Hale"), used
        # again as a definite description ("the Provost said")
        if lemma not in ctx.entities.article_roles or not definite:
            return None
    return list(ctx.doc[token.left_edge.i : token.i + 1])


@sieve(
    "speaker",
    "indefinite_source",
    "an indefinite role (“a senior official”, “two officers”) names nobody: a described source",
    examples=[
        (
            "Inspector Tom Hall, a police officer, led the search. A police officer said the "
            "suspect had fled.",
            "suspect had fled",
            "speaker",
            "officer",
        ),
    ],
)
def indefinite_source(ctx, mention, claim, discourse, avoid) -> Decision | None:
    token = _token(mention)
    if token is None or _role_tokens(ctx, token) is None or not indefinite(ctx, token):
        return None
    phrase = ctx.phrase_text(token)
    return Decision(Speaker(phrase, phrase, "anonymous"), note="an indefinite description")


@sieve(
    "speaker",
    "role_holder",
    "a definite role (“the minister”, “the FM”, or a title the article gave in apposition: "
    "“The Provost, Tom Hale, ...”) is the person the article gave that role, preferring "
    "one named before it",
    examples=[
        (
            "Health Minister Joan Carter visited the ward. The minister said the hospital "
            "needed more nurses.",
            "needed more nurses",
            "speaker",
            "Joan Carter",
        ),
    ],
)
def role_holder(ctx, mention, claim, discourse, avoid) -> Decision | None:
    token = _token(mention)
    tokens = _role_tokens(ctx, token) if token is not None else None
    if tokens is None:
        return None
    lex = ctx.lexicon
    head = role_head(token.lower_, lex)
    person = ctx.entities.by_role(role_words(tokens, lex), head, token.idx, role_owner(token))
    if person is None:
        return None
    speaker = Speaker(person.name, ctx.phrase_text(token), "person")
    return Decision(speaker, antecedent=_person_span(person, token.idx))


@sieve(
    "speaker",
    "epithet",
    "a definite description with a proper modifier (“the Ohio businesswoman”) that fits "
    "no one's role stands for the story's most-mentioned person",
    examples=[
        (
            "Laura Bennett met voters in Dayton on Monday. Bennett spoke about jobs for an hour.\n\n"
            "“We will bring the factories back,” the Ohio businesswoman said.",
            "bring the factories back",
            "speaker",
            "Laura Bennett",
        ),
        (  # a person named earlier in the sentence is the one described
            "Laura Bennett met voters. Bennett spoke for an hour. Tom Gray was there too.\n\n"
            "As for whether Gray will run against Bennett, the Ohio senator said he had not "
            "decided.",
            "had not decided",
            "speaker",
            "Tom Gray",
        ),
        (  # a gendered description skips the person of the other gender
            "Laura Bennett and Tom Gray met voters. Bennett spoke about jobs; she was "
            "cheered. Bennett then left, and Gray stayed.\n\n"
            "“We need change,” the Ohio businessman said.",
            "We need change",
            "speaker",
            "Tom Gray",
        ),
    ],
)
def epithet(ctx, mention, claim, discourse, avoid) -> Decision | None:
    token = _token(mention)
    tokens = _role_tokens(ctx, token) if token is not None else None
    if tokens is None or not _is_epithet(tokens, token):
        return None
    gender = ctx.lexicon.role_gender.get(token.lower_)
    person = _only_person_earlier_in_sentence(ctx, token, avoid, gender)
    note = "named earlier in the sentence"
    if person is None:
        person = _quoted_just_before(ctx, token, discourse, avoid, gender)
        note = "the speaker just quoted"
    if person is None:
        person = ctx.entities.most_mentioned(token.idx, exclude=avoid, gender=gender)
        note = "most mentioned"
    if person is None:
        return None
    if holds_other_office(ctx, person, token):
        return Decision(rejected=(f"{person.name}: holds another office",))
    speaker = Speaker(person.name, ctx.phrase_text(token), "person")
    return Decision(speaker, antecedent=_person_span(person, token.idx), note=note)


def _quoted_just_before(
    ctx: ArticleContext, token: Token, discourse: Discourse, avoid, gender: str | None
) -> Entity | None:
    """The person quoted in this or the paragraph before, when their gender allows the
    description: "“That is on me,” Marsh said. The former Wales international said ..."."""
    para = ctx.prose(token.idx)
    for spoken in discourse.latest_first():
        if spoken.end > token.idx:
            continue
        if ctx.prose(spoken.end) < para - 1:
            return None
        if spoken.speaker.kind != "person" or spoken.speaker.name in avoid:
            return None
        person = ctx.entities.find_name(spoken.speaker.name)
        if person is None:
            return None
        known = discourse.gender_of(person.name, person.gender or person.name_gender)
        return person if gender is None or known in (None, gender) else None
    return None


def _only_person_earlier_in_sentence(
    ctx: ArticleContext, token: Token, avoid, gender: str | None
) -> Entity | None:
    """The one person named before a description in its own sentence, outside quotation
    marks ("As for whether Ruiz will run, the Ohio senator said ..."), or None when there
    are none or several."""
    start = token.sent[0].idx
    mentions = [
        m
        for m in ctx.entities.mentions_between(start, token.idx)
        if m.entity.kind == "person"
        and m.entity.name not in avoid
        and not ctx.quotes_overlapping(m.start, m.end)
        and (gender is None or (m.entity.gender or m.entity.name_gender) in (None, gender))
    ]
    for group in (mentions, [m for m in mentions if m.is_subject]):
        people = {m.entity.name: m.entity for m in group}
        if len(people) == 1:  # one named, or one of them the subject of a clause
            return next(iter(people.values()))
    return None


def holds_other_office(ctx: ArticleContext, person: Entity, head: Token) -> bool:
    """Whether a description names an office ("the foreign minister") and the person holds
    a different one (a secretary of state): one person, one post at a time."""
    lex = ctx.lexicon
    wanted = role_head(head.lower_, lex)
    if wanted not in lex.office_nouns:
        return False
    held = {r for r in person.roles if r in lex.office_nouns}
    return bool(held) and wanted not in held


@sieve(
    "speaker",
    "role_of_speaker",
    "a definite role nobody was given (“the minister”, “the teenager”, “the Scot”) is the "
    "person quoted just before, else the person just named: news names its speaker once, "
    "then varies the reference",
    examples=[
        (
            "Tom Reyes replied: “We protected the hospitals.”\n\n"
            "The minister said the budget had grown every year.",
            "budget had grown",
            "speaker",
            "Tom Reyes",
        ),
        (  # nobody quoted yet: the person just named
            "Tom Hale scored the winner on Saturday. He joined the academy at nine.\n\n"
            "“I just attacked the ball,” the teenager said.",
            "attacked the ball",
            "speaker",
            "Tom Hale",
        ),
    ],
)
def role_of_speaker(ctx, mention, claim, discourse, avoid) -> Decision | None:
    token = _token(mention)
    if token is None:
        return None
    dets = [c.lower_ for c in token.children if c.dep_ == "det"]
    counted = _counted_noun(token)
    if counted is not None:  # "the mum-of-two": the noun before "-of-two" describes
        token = counted
    tokens = _role_tokens(ctx, token)
    # "the minister", and "the Minister" the tagger reads as a proper noun
    if tokens is None or dets != ["the"] or token.tag_ not in ("NN", "NNP"):
        return None
    para = ctx.prose(token.idx)
    for spoken in discourse.latest_first():
        if spoken.end > token.idx or spoken.speaker.name in avoid:
            continue
        if ctx.prose(spoken.end) < para - 1:
            break
        if spoken.speaker.kind != "person":
            continue
        person = ctx.entities.find_name(spoken.speaker.name)
        heads = {role_head(r, ctx.lexicon) for r in person.roles} if person else set()
        own = role_head(token.lower_, ctx.lexicon)
        if heads & ctx.lexicon.role_nouns and own not in heads and _names_a_post(ctx, token):
            return None  # the last speaker holds another role: "the counsel" is not the judge
        words = [t.lower_ for t in tokens]
        if person is not None and person.holds_only_qualified(
            own, words, ctx.lexicon.role_qualifiers
        ):
            return None  # a deputy minister is not "the minister"
        speaker = Speaker(spoken.speaker.name, ctx.phrase_text(token), "person")
        return Decision(speaker, antecedent=spoken.mention, note="the speaker just quoted")
    return _person_just_named(ctx, token, avoid)


def _counted_noun(token: Token) -> Token | None:
    """The noun of a hyphenated "mother-of-two", "father-of-three", which the parser
    heads with the number: "the heartbroken mum-of-two told ...".

    >>> import spacy
    >>> doc = spacy.blank("en")("the mum-of-two said")
    >>> _counted_noun(doc[5]).text, _counted_noun(doc[1])
    ('mum', None)
    """
    doc, i = token.doc, token.i
    if not token.like_num or i < 4:
        return None
    if doc[i - 1].text == "-" and doc[i - 2].lower_ == "of" and doc[i - 3].text == "-":
        return doc[i - 4]
    return None


def _without_epithets(ctx: ArticleContext, token: Token, phrase: str) -> str:
    """A body's name without the lowercase adjectives that describe it: "the independent
    Harbour Audit Office" is the Harbour Audit Office."""
    start, _ = ctx.phrase_bounds(token)
    words = ctx.doc[start : token.i + 1]
    cut = 0
    while cut < len(words) - 1 and words[cut].pos_ == "ADJ" and words[cut].is_lower:
        cut += 1
    if cut == 0:
        return phrase
    return strip_article(phrase[words[cut].idx - words[0].idx :])


def _names_a_post(ctx: ArticleContext, token: Token) -> bool:
    """Whether a role word names a post ("the official", "the counsel") rather than
    describing a person ("the teenager", "the skipper", "the Scot")."""
    lex = ctx.lexicon
    word, lemma = token.lower_, token.lemma_.lower()
    listed = lemma in lex.role_nouns or word in lex.role_abbreviations
    return listed and lemma not in lex.description_nouns and word not in lex.description_nouns


def _person_just_named(ctx: ArticleContext, token: Token, avoid) -> Decision | None:
    """With nobody quoted just before, the most salient person named in this or the
    paragraph before whose gender the description allows and who holds no other post:
    "Kwame Mensah scored the winner. ... the teenager said"."""
    noun = _counted_noun(token.head)
    counted = noun is not None and noun.i == token.i
    if token.right_edge.i != token.i and not counted:
        return None  # "the head of the agency": a description of its own, maybe a newcomer
    if _names_a_post(ctx, token):
        return None  # "the official": a post somebody else may hold, not a description
    gender = ctx.lexicon.role_gender.get(token.lower_)
    para = ctx.prose(token.idx)
    for candidate in ctx.entities.pronoun_candidates(token):
        m = candidate.mention
        if ctx.prose(m.start) < para - 1 or ctx.is_headline(m.start):
            continue
        entity = m.entity
        if entity.name in avoid or not compatible(gender, entity.gender, entity.kind):
            continue
        if gender is not None and entity.name_gender not in (None, gender):
            continue
        if holds_other_office(ctx, entity, token):
            return None
        speaker = Speaker(entity.name, ctx.phrase_text(token), "person")
        return Decision(speaker, antecedent=TextSpan(m.start, m.end), note="the person just named")
    return None


@sieve(
    "speaker",
    "proper_noun",
    "a capitalised proper noun the tagger missed is taken as a person's name (a body's when "
    "it ends in an organisation noun: “the Prime Minister's Office”)",
    examples=[
        ("Okonkwo argued that the plan was far too costly.", "too costly", "speaker.kind", "person")
    ],
)
def proper_noun(ctx, mention, claim, discourse, avoid) -> Decision | None:
    token = _token(mention)
    if token is None or token.pos_ != "PROPN" or not token.is_title:
        return None
    if _role_tokens(ctx, token) is not None:
        return None  # "the Minister": a title written with a capital, not a name
    role = next((c for c in token.children if c.dep_ == "conj"), None)
    if role is not None and _role_tokens(ctx, role) is not None and role.i == token.right_edge.i:
        # "The Central Suffolk and North Ipswich MP": a constituency the parser split
        return Decision(redirect=role, note=f"the {role.text} of a place")
    phrase = ctx.phrase_text(token)
    if token.lemma_.lower() in ctx.lexicon.organization_nouns:
        # "the Prime Minister's Office": a body's name, never a person's
        name = strip_article(phrase)
        return Decision(Speaker(name, phrase, "organization"), note="an untagged body")
    name, _ = clean_name(phrase, ctx.lexicon)
    return Decision(Speaker(name or phrase, phrase, "person"), note="an untagged name")


@sieve(
    "speaker",
    "described_source",
    "any other noun phrase is kept as a described source",
    examples=[
        (
            "The new report said the river had been polluted for years.",
            "river had been polluted",
            "speaker",
            "report",
        )
    ],
)
def described_source(ctx, mention, claim, discourse, avoid) -> Decision | None:
    token = _token(mention)
    if token is None or _is_pronoun(ctx, token):
        return None
    phrase = ctx.phrase_text(token)
    kind = "anonymous" if token.pos_ == "NOUN" else "unknown"
    return Decision(Speaker(phrase, phrase, kind), note="a described source")


# -- labels, signatures and the discourse ----------------------------------------------------
@sieve(
    "speaker",
    "label_text",
    "a speaker label or dash signature names a person of the article, a PERSON name, a "
    "role (“Official Spokesperson”) or a capitalised surname (“SMITH”)",
    examples=[
        (
            "SMITH: We will win this seat.\n\nJONES: We will not let that happen.\n",
            "win this seat",
            "speaker",
            "Smith",
        ),
    ],
)
def label_text(ctx, mention, claim, discourse, avoid) -> Decision | None:
    if mention is None or not mention.label:
        return None
    speaker = label_speaker(ctx, mention.span.start, mention.span.end)
    return Decision(speaker) if speaker is not None else None


@sieve(
    "speaker",
    "previous_speaker",
    "an uncued quotation within a paragraph of the last quote continues its speaker",
    examples=[CONTINUATION_EXAMPLE],
)
def previous_speaker(ctx, mention, claim, discourse, avoid) -> Decision | None:
    return _continues(ctx, claim, discourse)


def _continues(ctx, claim: Claim, discourse: Discourse) -> Decision | None:
    if claim.link != "continuation" or claim.mention is not None:
        return None
    last = discourse.last()
    if last is None:
        return None
    q = ctx.quoted[claim.quotes[0]]
    gap = ctx.prose(q.outer_start) - ctx.prose(last.end)
    # two paragraphs on, an uncued quote was right a quarter of the time (bench.calibrate)
    if gap > 1 or (
        gap == 0 and not ctx.starts_paragraph(q.outer_start) and q.outer_start - last.end > 200
    ):
        return None
    return Decision(last.speaker, antecedent=last.mention, note=f"{gap} paragraphs after")


@sieve(
    "speaker",
    "interviewee",
    "an interview answer is the person its question addresses (“Q: Minister, ...”), else "
    "the person quoted most before the questions start",
    examples=[
        INTERVIEW_EXAMPLE,
        (
            "Health Minister Farah Siddiqui and union leader Robert Kane spoke.\n\n"
            "KANE: The hubs will be separate, so operations are not cancelled.\n\n"
            "KANE: Around 3,800, mostly nurses.\n\n"
            "Q: Minister, will you resign if the target is missed?\n\n"
            "A: I am not going to answer hypothetical questions.",
            "answer hypothetical questions",
            "speaker",
            "Farah Siddiqui",
        ),
    ],
)
def interviewee(ctx, mention, claim, discourse, avoid) -> Decision | None:
    if not claim.answer:
        return None
    addressed = _addressed_by_question(ctx, claim.start)
    if addressed is not None:
        return addressed
    starts = [q.start for q, _ in ctx.interview]
    starts += [label.start for label in ctx.labels if label.question]
    first_question = min(starts, default=claim.start)
    before = [s for s in discourse.spoken_before(first_question) if s.speaker.kind == "person"]
    if not before:
        person = ctx.entities.most_mentioned(first_question)
        if person is None:
            return None
        return Decision(
            Speaker(person.name, "", "person"),
            antecedent=_person_span(person, first_question),
            note="the person the interview is with, named before the questions",
        )
    names = [s.speaker.name for s in before]
    chosen = max(names, key=lambda n: (names.count(n), -names[::-1].index(n)))
    spoken = next(s for s in before if s.speaker.name == chosen)
    return Decision(spoken.speaker, antecedent=spoken.mention, note="the interviewee")


_VOCATIVE = re.compile(r"\s*((?:[A-Z][\w.'’-]*\s?){1,4}),")


def _addressed_by_question(ctx: ArticleContext, answer_start: int) -> Decision | None:
    """The person the question just before an answer addresses by name or title ("Q: Mr
    Kane, how many ...?", "Q: Minister, will you resign?"): the answer is theirs."""
    questions = [label for label in ctx.labels if label.question and label.end <= answer_start]
    if not questions:
        return None
    question = questions[-1]
    between = ctx.text[question.end : answer_start]
    if between.strip() and ctx.prose(answer_start) - ctx.prose(question.end) > 1:
        return None
    match = _VOCATIVE.match(ctx.text, question.label_end + 1)
    if match is None:
        return None
    words = match.group(1).strip()
    # the words a question opens with name whom it asks as a transcript label names a
    # speaker: a person of the article, or a role and whoever holds it
    addressed = label_speaker(ctx, *match.span(1))
    if addressed is None or addressed.kind != "person":
        return None
    person = ctx.entities.find_name(addressed.name, answer_start)
    if person is None:
        return None
    return Decision(
        Speaker(person.name, words, person.kind),
        antecedent=_person_span(person, answer_start),
        note="the person the question addresses",
    )


# -- helpers shared with the link and relay sieves -------------------------------------------
def label_speaker(ctx: ArticleContext, start: int, end: int) -> Speaker | None:
    """Who a transcript label or signature names, in order: nobody when it is a page label
    ("Source:") or a place (a dateline, "WASHINGTON:"); a person of the article named in
    it; a PERSON name; a role ("Official Spokesperson", "PRIME MINISTER") and whoever holds
    it; initials ("LT:") of one person of the article; a capitalised name ("SMITH")."""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    lex = ctx.lexicon
    table = ctx.entities
    mention = ctx.text[start:end]
    while len(span) > 1 and span[-1].is_punct:
        span = span[:-1]  # "— Jane Roe."
    words = mention.strip(" .").lower()
    if words in lex.page_labels or words in lex.not_names:
        return None
    if all(t.ent_type_ in ("GPE", "LOC") or t.is_punct for t in span):
        return None  # "WASHINGTON:", "Port Ellen —": a dateline, not a speaker
    tail: list[str] = []
    for token in reversed(span):  # "Official Spokesperson, Jane Roe": the name ends the label
        if token.pos_ != "PROPN" or not token.is_title:
            break
        tail.insert(0, token.text)
    full, _ = clean_name(" ".join(tail), lex) if len(tail) >= 2 else ("", None)
    for token in span:
        person = table.person_at(token)
        if person is not None:
            if full and set(person.tokens) < set(full.lower().split()):
                break  # the tagger found part of the name: the label's whole name wins
            return Speaker(person.name, mention, person.kind)
    for ent in span.ents:
        if ent.label_ == "PERSON" and not full:
            name, _ = clean_name(ent.text, lex)
            if name:
                return Speaker(name, mention, "person")
    head = span[-1]
    head_word = head.lower_.rstrip(".")
    if (
        head.lemma_.lower() in lex.role_nouns
        or head_word in lex.role_nouns
        or (head_word in lex.role_abbreviations and len(span) > 1)
    ):
        person = table.by_role(role_words(list(span), lex), role_head(head_word, lex), None)
        if person is not None:
            return Speaker(person.name, mention, "person")
        return Speaker(
            strip_article(mention.title() if mention.isupper() else mention), mention, "anonymous"
        )
    if _is_initials(mention):
        person = _person_with_initials(ctx, mention)
        if person is not None:
            return Speaker(person.name, mention, person.kind)
    if mention.isupper() and len(mention.split()) <= 3:
        name, _ = clean_name(mention.title(), lex)
        person = table.find_name(name) if name else None
        if person is not None:
            return Speaker(person.name, mention, person.kind)
        return Speaker(name, mention, "person") if name and not _is_initials(mention) else None
    if full and len(full.split()) >= 2:
        person = table.find_name(full)
        longer = person is None or len(person.tokens) < len(full.split())
        return Speaker(full if longer else person.name, mention, "person")
    return None


def _is_initials(label: str) -> bool:
    """Two or three capitals standing for a name, as Q&A layouts label answers ("LT:").

    >>> _is_initials("LT"), _is_initials("J.R."), _is_initials("SMITH"), _is_initials("Lt")
    (True, True, False, False)
    """
    letters = label.replace(".", "").strip()
    return 2 <= len(letters) <= 3 and letters.isalpha() and letters.isupper()


def _person_with_initials(ctx: ArticleContext, label: str) -> Entity | None:
    """The one person of the article whose initials the label gives, or failing that the
    one whose surname it ends with ("KB" for a Bell the article calls Katherine)."""
    letters = label.replace(".", "").strip().lower()
    people = [p for p in ctx.entities.people if p.kind == "person" and len(p.tokens) >= 2]
    exact = [p for p in people if "".join(t[0] for t in p.tokens) == letters]
    if len(exact) == 1:
        return exact[0]
    surname = [p for p in people if p.tokens[-1][0] == letters[-1]]
    return surname[0] if len(surname) == 1 else None


def organisation_before(
    ctx: ArticleContext, token: Token, discourse: Discourse, quoted_only: bool = False
) -> Decision | None:
    """The organisation "it", "the company" or "the statement" refers to.

    An organisation (or a document's issuer) quoted in this or the two paragraphs
    before comes first ("..., the statement said. It said ..."); else (unless
    `quoted_only`) the nearest organisation named there. "The newspaper" looks for an
    outlet, anything else for an organisation that is not one.
    """
    lex = ctx.lexicon
    para = ctx.prose(token.idx)
    wants_outlet = token.lemma_.lower() in lex.media_words
    for spoken in discourse.latest_first():
        if spoken.end > token.idx or ctx.prose(spoken.end) < para - 2:
            break
        if spoken.speaker.kind == "organization" and not wants_outlet:
            speaker = Speaker(spoken.speaker.name, token.text, "organization")
            return Decision(speaker, antecedent=spoken.mention, note="quoted just before")
    if quoted_only:
        return None
    named = ctx.entities.body_named_before(token)
    if named is None:
        return None
    speaker = Speaker(named.entity.name, token.text, "organization")
    return Decision(speaker, antecedent=TextSpan(named.start, named.end), note="named before")


DOCUMENT_LOOKBACK = 400  # tokens: a document named further back is another story's


def issuer_of_document_before(ctx: ArticleContext, token: Token) -> Token | None:
    """Who issued the document a definite "the report" refers back to, as its earlier
    mention names them: "a report by the Lakeside Institute", "the institute's report",
    "the institute released a report", "in a statement, Lee said". None when no earlier
    mention names an issuer.
    """
    lemma = token.lemma_.lower()
    for i in range(token.i - 1, max(-1, token.i - DOCUMENT_LOOKBACK), -1):
        earlier = ctx.doc[i]
        if earlier.lemma_.lower() != lemma or earlier.pos_ != "NOUN" or ctx.in_quote[i] >= 0:
            continue
        issuer = _issuer_named_at(ctx, earlier)
        if issuer is not None:
            return issuer
    return None


def _issuer_named_at(ctx: ArticleContext, document: Token) -> Token | None:
    """The issuer a mention of a document names, if any."""
    lex = ctx.lexicon
    for child in document.children:
        if child.dep_ == "poss" and child.pos_ != "PRON":
            return child  # "the institute's report"
        if child.dep_ == "compound" and child.ent_type_ in ("ORG", "PERSON"):
            return child  # "the Pentagon report"
        if child.dep_ == "prep" and child.lower_ in ("by", "from"):
            source = next((g for g in child.children if g.dep_ == "pobj"), None)
            if source is not None and _can_issue(source, lex):
                return source  # "a report by the Lakeside Institute"
        if child.lemma_.lower() not in lex.issuing_verbs:
            continue  # "emails leaked to X": only who wrote, filed or gave them issued them
        if child.dep_ == "acl":  # "a complaint filed by the Harbour Authority"
            source = passive_agent(child)
            if source is not None and _can_issue(source, lex):
                # "emails read by the Valley Herald": an outlet reads, it did not write them
                if not is_media_name(ctx.phrase_text(source), lex):
                    return source
        if child.dep_ == "relcl":  # "a speech Ana Ruiz delivered"
            subject = next((g for g in child.children if g.dep_ == "nsubj"), None)
            if subject is not None and subject.pos_ == "PROPN" and _can_issue(subject, lex):
                return subject
    verb = document.head
    if document.dep_ == "pobj" and verb.lower_ == "in":
        verb = verb.head  # "In a statement, Lee said ..."
    elif not (document.dep_ == "dobj" and verb.lemma_.lower() in lex.issuing_verbs):
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.lower_ in ("it", "this", "that", "which", "who"):
        return None
    return subject


def _can_issue(token: Token, lex) -> bool:
    """A name or a body: someone who can put out a document."""
    return (
        token.ent_type_ in ("ORG", "PERSON")
        or token.pos_ == "PROPN"
        or token.lemma_.lower() in lex.organization_nouns
    )


def names_a_body(ctx: ArticleContext, token: Token) -> bool:
    """Whether a noun names an organisation ("the EU", "the ministry")."""
    ent = ctx.entity_at.get(token.i)
    return (
        ent is not None and ent.label_ in ("ORG", "GPE")
    ) or token.lemma_.lower() in ctx.lexicon.organization_nouns


def indefinite(ctx: ArticleContext, token: Token) -> bool:
    dets = [c.lower_ for c in token.children if c.dep_ in ("det", "nummod", "amod")]
    if any(d in ctx.lexicon.indefinite for d in dets):
        return True
    return token.tag_ in ("NNS", "NNPS") and not any(
        c.dep_ in ("det", "poss") for c in token.children
    )


def _hint_agrees(ctx: ArticleContext, pronoun: str | None, name: str) -> bool:
    """Whether the usual gender of an entity's given name fits the pronoun (or says nothing)."""
    if pronoun not in ("m", "f"):
        return True
    person = ctx.entities.find_name(name)
    hint = person.name_gender if person is not None else None
    return hint is None or hint == pronoun


def looks_personal(ctx: ArticleContext, name: str) -> bool:
    """Whether a name the tagger called an organisation reads like a person's: two or
    three capitalised words, none of them an organisation word ("Leyla Karimova", not
    "Harbour Council")."""
    words = name.split()
    return 2 <= len(words) <= 3 and all(
        w.isalpha()
        and w[0].isupper()
        and w[1:].islower()
        and w.lower() not in ctx.lexicon.organization_nouns
        for w in words
    )


def named_by_modifier(token: Token) -> bool:
    """Whether a place, people or name before an organisation noun makes it a name of its
    own ("the US government", "the Chinese ministry", "the Prime Minister's Office")
    rather than a reference back."""
    return any(
        child.dep_ in ("compound", "amod", "nmod", "poss")
        and child.i < token.i
        and (child.ent_type_ in ("GPE", "NORP", "ORG") or child.pos_ == "PROPN")
        and (child.dep_ != "poss" or token.is_title)  # "the Prime Minister's Office"
        for child in token.children
    )


def definite_singular(head: Token, determiners: tuple[str, ...]) -> bool:
    """A singular common noun with exactly one determiner, one of `determiners`."""
    found = [t.lower_ for t in head.children if t.dep_ == "det"]
    return head.tag_ == "NN" and len(found) == 1 and found[0] in determiners


def _is_epithet(tokens: list[Token], head: Token) -> bool:
    """A definite description specific enough to stand for someone already in the story:
    a proper name among its modifiers ("the New York businessman")."""
    return definite_singular(head, ("the", "this")) and any(
        t.pos_ == "PROPN" or t.ent_type_ in ("NORP", "GPE") for t in tokens if t != head
    )


def _person_in_phrase(ctx: ArticleContext, token: Token) -> Entity | None:
    """The person a description names beside it: in apposition ("the MP, Ann Lee,"), as
    a compound, or as a second subject of the same verb that the parser made of an
    apposition ("The MP, Mr Ann Lee, who ..., urged": two subjects of "urged")."""
    for child in token.children:
        if child.dep_ in ("appos", "compound") and ctx.entities.person_at(child):
            return ctx.entities.person_at(child)
    if token.dep_ in ("nsubj", "nsubjpass"):
        for sibling in token.head.children:
            if sibling.dep_ != token.dep_ or sibling.i <= token.i:
                continue
            # "The MP, Ann Lee, ...": a comma between; "DA spokesperson on energy Ann Lee
            # said": the role's own phrase runs straight into the name
            between = [t.text for t in ctx.doc[token.i + 1 : sibling.left_edge.i]]
            phrase_end = token.right_edge.i + 1
            if (between == [","] or phrase_end == sibling.left_edge.i) and ctx.entities.person_at(
                sibling
            ):
                return ctx.entities.person_at(sibling)
    return None


def _antecedent(noun: Token) -> Token | None:
    """The person or body a relative clause's noun stands for: "Lee, a lawyer who said"
    and "Lee is a lawyer who said" both lead back to Lee."""
    for _ in range(4):
        if noun.dep_ in ("conj", "appos"):
            noun = noun.head
        elif noun.dep_ == "attr":
            subject = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
            if subject is None:
                return noun
            noun = subject
        else:
            return noun
    return noun
