"""The attribution runner: applies the configured sieves to one article and owns all state.

1. Link sieves, in order, propose claims; vetoes strike claims that are nobody's words;
   the ledger accepts a claim whose quotations are still free and keeps the losers.
2. Claims in text order: addressee sieves, then speaker sieves (mention -> entity; the
   first that decides wins, a redirect restarts the chain on another token), then via
   sieves; the discourse (who has spoken so far) advances.
3. Revise sieves correct the article's quotes, each change recorded as old -> new.
4. Finalize: offsets into the article's exact text, evidence spans, confidence from the
   configured priors of the deciding sieves, topics.

No sieve sees anything it could change: they get the read-only context, frozen claims
and a discourse they can only read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Token

from kg.extract.context import ArticleContext, TextSpan
from kg.extract.mentions import quote_mentions
from kg.extract.model import Evidence, Quote, Speaker
from kg.extract.people import looks_like_outlet
from kg.extract.sieves import REGISTRY  # noqa: F401  (registers every sieve)
from kg.extract.sieves.base import (
    Attributed,
    Claim,
    CleanEvidence,
    Decision,
    Discourse,
    LinkView,
    Mention,
    RelayDecision,
    Spoken,
    Step,
)
from kg.extract.sieves.link import claim_priority
from kg.extract.sieves.registry import Sieve, SievePipeline, default_pipeline
from kg.extract.topics import Taxonomy, article_prior, assign_topics

MAX_REDIRECTS = 4
UNKNOWN_SPEAKER_PRIOR = "speaker.unknown"


@dataclass
class Loser:
    """A claim the ledger did not keep, and why."""

    claim: Claim
    reason: str


@dataclass
class Run:
    """Everything one article's attribution decided, for the quotes and for `kg explain`."""

    ctx: ArticleContext
    attributed: list[Attributed] = field(default_factory=list)
    losers: list[Loser] = field(default_factory=list)


class Runner:
    def __init__(self, ctx: ArticleContext, pipeline: SievePipeline | None = None) -> None:
        self.ctx = ctx
        self.pipeline = pipeline or default_pipeline()
        self.discourse = Discourse()
        self._speaker_sieves = self.pipeline.sieves("speaker")
        relay = self.pipeline.sieves("relay")
        self._addressee_sieves = [s for s in relay if s.field == "addressee"]
        self._via_sieves = [s for s in relay if s.field == "via"]

    # -- stage 1: link ---------------------------------------------------------------------
    def link(self, run: Run) -> list[Claim]:
        ctx = self.ctx
        vetoes = self.pipeline.sieves("veto")
        accepted: list[Claim] = []
        claimed: set[int] = set()
        for link_sieve in self.pipeline.sieves("link"):
            view = LinkView(frozenset(claimed), tuple(accepted))
            for claim in link_sieve.run(ctx, view):
                reason = _veto(ctx, vetoes, claim)
                if reason is not None:
                    run.losers.append(Loser(claim, reason))
                    continue
                if claim.paragraph_voice:
                    kept = []
                    for other in accepted:
                        inside = claim.start <= other.start and other.end <= claim.end + 2
                        if inside and _same_voice(other):
                            run.losers.append(Loser(other, "the labelled speaker's own voice"))
                        else:
                            kept.append(other)
                    accepted = kept
                elif any(q in claimed for q in claim.quotes):
                    run.losers.append(Loser(claim, "its quotation is claimed already"))
                    continue
                elif not claim.relay_only and any(
                    _same_words(claim, other) for other in _nearby(accepted, claim)
                ):
                    run.losers.append(Loser(claim, "its words are claimed already"))
                    continue
                accepted.append(claim)
                claimed.update(claim.quotes)
        return sorted(accepted, key=lambda c: c.start)

    # -- stage 2: speakers and relays ------------------------------------------------------
    def resolve(
        self, mention: Mention | None, claim: Claim, avoid: frozenset[str]
    ) -> tuple[Decision | None, list[Step], list[str], TextSpan | None]:
        """The speaker chain for one mention: (decision, steps, rejected, redirect span)."""
        steps: list[Step] = []
        rejected: list[str] = []
        redirected: TextSpan | None = None
        current = mention
        for _ in range(MAX_REDIRECTS + 1):
            restart = False
            for speaker_sieve in self._speaker_sieves:
                decision = speaker_sieve.run(self.ctx, current, claim, self.discourse, avoid)
                if decision is None:
                    continue
                rejected.extend(f"{speaker_sieve.name}: {r}" for r in decision.rejected)
                if decision.redirect is not None:
                    steps.append(Step("speaker", speaker_sieve.name, decision.note))
                    current = Mention(self.ctx.phrase_span(decision.redirect), decision.redirect)
                    redirected = current.span
                    restart = True
                    break
                if decision.speaker is not None:
                    steps.append(Step("speaker", speaker_sieve.name, decision.note))
                    return decision, steps, rejected, redirected
            if not restart:
                break
        return None, steps, rejected, redirected

    def _resolve_token(self, token: Token) -> Speaker | None:
        """Mention -> entity for a relayer's or addressee's words (nothing to avoid)."""
        mention = Mention(self.ctx.phrase_span(token), token)
        decision, *_ = self.resolve(mention, _NO_CLAIM, frozenset())
        return decision.speaker if decision is not None else None

    def _relay(self, sieves: list[Sieve], claim: Claim, speaker: Speaker | None):
        for relay_sieve in sieves:
            decision = relay_sieve.run(
                self.ctx, claim, speaker, self.discourse, self._resolve_token
            )
            if decision is not None:
                return relay_sieve, decision
        return None, None

    def attribute(self, claim: Claim, run: Run) -> Attributed | None:
        ctx = self.ctx
        steps = [Step("link", claim.link)]
        evidence: list[CleanEvidence] = []
        if claim.cue is not None:
            evidence.append(CleanEvidence("cue", ctx.cue_span(claim.cue), f"link:{claim.link}"))
        addressee_sieve, addressee = self._relay(self._addressee_sieves, claim, None)
        avoid = set(_named_inside_marks(ctx, claim))
        if addressee is not None:
            avoid.add(addressee.value)
        decision, speaker_steps, rejected, redirected = self.resolve(
            claim.mention, claim, frozenset(avoid)
        )
        steps += speaker_steps
        if decision is None or decision.speaker is None:
            run.losers.append(Loser(claim, "no sieve found its speaker"))
            return None
        speaker = decision.speaker
        deciding = speaker_steps[-1].sieve
        if claim.mention is not None:
            evidence.append(CleanEvidence("mention", claim.mention.span, f"link:{claim.link}"))
        antecedent = decision.antecedent or redirected
        if antecedent is not None:
            evidence.append(CleanEvidence("antecedent", antecedent, f"speaker:{deciding}"))
        if decision.gender and speaker.kind == "person":
            person = ctx.entities.find_name(speaker.name)
            if person is not None and person.gender is None:
                self.discourse._learn(person.name, decision.gender)
        if addressee is not None:
            steps.append(Step("relay", addressee_sieve.name, addressee.note))
            if addressee.span is not None:
                evidence.append(
                    CleanEvidence("addressee", addressee.span, f"relay:{addressee_sieve.name}")
                )
        via_sieve, via = self._relay(self._via_sieves, claim, speaker)
        if via is not None and _same_agent(via.value, speaker.name):
            rejected.append(f"{via_sieve.name}: {via.value!r} is the speaker")
            via_sieve, via = None, None
        if claim.relay_only and (via is None or not _named_entity(ctx, speaker)):
            reason = "an unnamed speaker inside a quotation"
            if via is None:
                reason = "reported by the quoted speaker themselves"
            run.losers.append(Loser(claim, reason))
            return None
        if via is not None:
            steps.append(Step("relay", via_sieve.name, via.note))
            if via.span is not None:
                evidence.append(CleanEvidence("via", via.span, f"relay:{via_sieve.name}"))
        confidence = self.pipeline.prior(claim_priority(claim), 0.8)
        confidence *= self.pipeline.prior(f"speaker.{deciding}", 1.0)
        if speaker.kind == "unknown":
            confidence *= self.pipeline.prior(UNKNOWN_SPEAKER_PRIOR, 0.9)
        via_value = via.value if via is not None else None
        via_kind = None
        if via is not None:
            via_kind = via.kind or ("organization" if looks_like_outlet(via.value) else "person")
        attributed = Attributed(
            claim,
            speaker,
            via_value,
            via_kind,
            addressee.value if addressee is not None else None,
            confidence,
            tuple(steps),
            tuple(evidence),
            tuple(rejected),
        )
        if not claim.relay_only:  # words inside a quotation do not move the story's voice
            self._remember(attributed, claim)
        return attributed

    def _remember(self, q: Attributed, claim: Claim) -> None:
        ctx = self.ctx
        person = ctx.entities.find_name(q.speaker.name)
        gender = self.discourse.gender_of(person.name, person.gender) if person else None
        cue = claim.cue
        if cue is not None and cue.speaker is not None:
            head = cue.speaker
            if head.tag_ in ("NNS", "NNPS"):
                gender = "p"  # "officials said": a later "he" is someone else
            gender = ctx.lexicon.pronoun_gender.get(head.lower_, gender)
        mention = claim.mention.span if claim.mention is not None else None
        antecedent = next((e.span for e in q.evidence if e.role == "antecedent"), None)
        self.discourse._add(
            Spoken(
                claim.start,
                claim.end,
                q.speaker,
                gender,
                q.via,
                ctx.paragraph(claim.end),
                mention or antecedent,
                claim.link,
                cue,
            )
        )

    # -- stage 3: revise -------------------------------------------------------------------
    def revise(self, quotes: list[Attributed]) -> list[Attributed]:
        for revise_sieve in self.pipeline.sieves("revise"):
            removed: set[int] = set()
            for r in list(revise_sieve.run(self.ctx, tuple(quotes))):
                q = quotes[r.index]
                if r.remove:
                    removed.add(r.index)
                    continue
                step = Step("revise", revise_sieve.name, r.note)
                evidence = q.evidence
                if r.antecedent is not None:
                    evidence = tuple(e for e in evidence if e.role != "antecedent") + (
                        CleanEvidence("antecedent", r.antecedent, f"revise:{revise_sieve.name}"),
                    )
                if r.speaker is not None:
                    step = replace(step, note=f"{r.note}: {q.speaker.name!r} -> {r.speaker.name!r}")
                    q = replace(q, speaker=r.speaker)
                if r.via is not None:
                    step = replace(step, note=f"{r.note}: via {q.via!r} -> {r.via!r}")
                    kind = "organization" if looks_like_outlet(r.via) else "person"
                    q = replace(q, via=r.via, via_kind=kind)
                quotes[r.index] = replace(q, steps=q.steps + (step,), evidence=evidence)
            if removed:
                quotes = [q for i, q in enumerate(quotes) if i not in removed]
        return quotes

    def run(self) -> Run:
        run = Run(self.ctx)
        for claim in self.link(run):
            attributed = self.attribute(claim, run)
            if attributed is not None:
                run.attributed.append(attributed)
        run.attributed = self.revise(run.attributed)
        return run


_NO_CLAIM = Claim(0, 0, "indirect", "none")


def _named_inside_marks(ctx: ArticleContext, claim: Claim) -> set[str]:
    """People the claim's quoted words name: a speaker does not call themselves by name
    inside their own quotation, while a reporter's paraphrase may ("Premier Ana Lopez
    received no commitment, she said")."""
    names: set[str] = set()
    for i in claim.quotes:
        q = ctx.quoted[i]
        names |= ctx.entities.names_between(max(q.start, claim.start), min(q.end, claim.end))
    return names


def _veto(ctx: ArticleContext, vetoes: list[Sieve], claim: Claim) -> str | None:
    for veto in vetoes:
        if veto.applies_to and claim.link not in veto.applies_to:
            continue
        reason = veto.run(ctx, claim)
        if reason is not None:
            return f"veto:{veto.name}: {reason}"
    return None


def _nearby(accepted: list[Claim], claim: Claim) -> list[Claim]:
    """Accepted claims of this sieve's run that could share words with `claim`."""
    return [c for c in accepted[-8:] if c.start < claim.end and claim.start < c.end]


def _same_words(a: Claim, b: Claim) -> bool:
    """Two claims of (nearly) the same words: "the paper quoted X as saying Y" gives
    Y to two cues; the first to claim it keeps it."""
    shared = min(a.end, b.end) - max(a.start, b.start)
    return shared >= 0.8 * max(a.end - a.start, b.end - b.start)


def _same_voice(claim: Claim) -> bool:
    """A claim with no cue, or a first-person cue: the same voice as a label around it."""
    cue = claim.cue
    return cue is None or (cue.speaker is not None and cue.speaker.lower_ in ("i", "we"))


def _named_entity(ctx: ArticleContext, speaker: Speaker) -> bool:
    """A person of the article's entity table, or an organisation with a name: who a
    report inside a quotation may be given to (a description there is too loose)."""
    if speaker.kind == "person":
        return ctx.entities.find_name(speaker.name) is not None
    return speaker.kind == "organization" and any(c.isupper() for c in speaker.name)


def _same_agent(a: str, b: str) -> bool:
    """Whether a relayer is the speaker themselves ("Lopez" relaying "Ana Lopez")."""
    ta, tb = set(a.lower().split()), set(b.lower().split())
    return bool(ta) and (ta <= tb or tb <= ta)


# -- finalize -------------------------------------------------------------------------------
def to_quotes(run: Run, taxonomy: Taxonomy) -> list[Quote]:
    """The article's `Quote` records: offsets and evidence in the article's exact text."""
    ctx = run.ctx
    parsed = ctx.parsed
    article = parsed.article
    out = []
    for q in run.attributed:
        raw_start, raw_end = parsed.raw_span(q.start, q.end)
        text = article.text[raw_start:raw_end]
        if not text.strip():
            continue
        raw_start += len(text) - len(text.lstrip())
        raw_end -= len(text) - len(text.rstrip())
        span = ctx.doc.char_span(q.start, q.end, alignment_mode="expand")
        # topics from the quote's own words (not its cue or speaker), backed by the article
        topics = assign_topics(span, article_prior(ctx.doc, taxonomy), taxonomy) if span else []
        mentions = quote_mentions(span, ctx.entities, parsed) if span else []
        evidence = [_raw_evidence(ctx, e) for e in q.evidence]
        speaker = q.speaker
        mention = next((e for e in evidence if e is not None and e.role == "mention"), None)
        if mention is not None:
            speaker = replace(speaker, start=mention.start, end=mention.end)
        out.append(
            Quote(
                doc=article.doc,
                article_id=article.id,
                start=raw_start,
                end=raw_end,
                text=article.text[raw_start:raw_end],
                kind=q.claim.kind,
                speaker=speaker,
                cue=q.claim.cue.text if q.claim.cue is not None else "",
                via=q.via,
                via_kind=q.via_kind,
                addressee=q.addressee,
                topics=topics,
                mentions=mentions,
                confidence=q.confidence,
                evidence=[e for e in evidence if e is not None],
                sieves=[s.key for s in q.steps],
                rejected=list(q.rejected),
            )
        )
    return out


def _raw_evidence(ctx: ArticleContext, e: CleanEvidence) -> Evidence | None:
    start, end = ctx.parsed.raw_span(e.span.start, e.span.end)
    text = ctx.parsed.article.text
    if not 0 <= start < end <= len(text):
        return None
    return Evidence(e.role, start, end, text[start:end], e.rule)


__all__ = ["Run", "Runner", "to_quotes", "RelayDecision"]
