"""Link sieves: which words are someone's, and which words name that someone.

Each proposes `Claim`s for quotations and cue clauses that earlier sieves left free; the
runner's ledger accepts a claim when its quotations are still free and keeps the losers
for `kg explain`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract.context import ArticleContext, TextSpan
from kg.extract.cues import Cue, reports_in_quotation
from kg.extract.sieves.base import Claim, LinkView, Mention
from kg.extract.sieves.registry import sieve
from kg.extract.sieves.speaker import CONTINUATION_EXAMPLE, INTERVIEW_EXAMPLE, label_speaker
from kg.nlp.marks import QuotedSpan
from kg.nlp.pipeline import DATELINE

_WORD = re.compile(r"\w+")


def content_end(text: str, q: QuotedSpan) -> int:
    """Where a quotation's words end: its closing mark, less trailing commas and spaces."""
    end = q.end
    while end > q.start and text[end - 1] in " ,\n":
        end -= 1
    return end


def cue_mention(ctx: ArticleContext, cue: Cue) -> Mention | None:
    """The cue's speaker phrase as a mention ("the minister" in "the minister said")."""
    if cue.speaker is None:
        return None
    return Mention(ctx.phrase_span(cue.speaker), cue.speaker)


def according_beside(ctx: ArticleContext, cue: Cue) -> Cue | None:
    """The "according to X" of the cue's sentence: X relayed what the cue reports."""
    return next(
        (c for c in ctx.cues_in_sentence(cue.token.sent) if c is not cue and c.kind == "according"),
        None,
    )


@sieve(
    "link",
    "cue_content",
    "a reporting cue's content clause is its speaker's words: direct when it is one "
    "quotation, mixed when it holds quoted words, indirect when it holds none",
    examples=[
        (
            "Finance Minister Ravi Menon said that inflation would ease next year.",
            "inflation would ease",
            "speaker",
            "Ravi Menon",
        ),
        (
            "Governor Amy Blake said the state would “do whatever it takes” to help farmers.",
            "whatever it takes",
            "kind",
            "mixed",
        ),
    ],
)
def cue_content(ctx: ArticleContext, view: LinkView) -> Iterator[Claim]:
    nesting = ctx.nesting
    for index, cue in enumerate(ctx.cues):
        if cue.content is None or index in nesting.outers or index in nesting.buried:
            continue
        span = ctx.char_span(cue.content)
        start, end = span.start, span.end
        dateline = DATELINE.match(ctx.text, start)
        if dateline is not None and dateline.end() < end and ctx.paragraph_start(start) == start:
            start = dateline.end()  # "PARIS, Feb 27 (AFP) – There are ...": not said
        overlapping = ctx.quotes_overlapping(start, end)
        for i in overlapping:
            start = min(start, ctx.quoted[i].outer_start)
            end = max(end, ctx.quoted[i].outer_end)
        relayer = relayed_by(ctx, cue)
        if relayer is not None and relayer.kind == "according":
            end = _before_phrase(ctx, relayer, start, end)  # "..., per the AP" is not said
        kind, start, end = _kind_of(ctx, start, end, overlapping, cue)
        yield Claim(
            start,
            end,
            kind,
            "cue_content",
            tuple(overlapping),
            cue,
            cue_mention(ctx, cue),
            relayer,
        )


def relayed_by(ctx: ArticleContext, cue: Cue) -> Cue | None:
    """The cue that relays this one's report: the report it sits in ("X said Y told Z"),
    or the "according to X" of its sentence."""
    outer = ctx.nesting.outer_of.get(ctx.cue_index[id(cue)])
    return ctx.cues[outer] if outer is not None else according_beside(ctx, cue)


def _before_phrase(ctx: ArticleContext, according: Cue, start: int, end: int) -> int:
    """Where a content ends when an "according to X" / "per X" closes it."""
    at = according.token.idx
    if start < at < end and not ctx.text[at:end].strip(" .,;").count(" ") > 8:
        cut = at
        while cut > start and ctx.text[cut - 1] in " ,;—–-":
            cut -= 1
        return cut
    return end


def _kind_of(
    ctx: ArticleContext, start: int, end: int, overlapping: list[int], cue: Cue
) -> tuple[str, int, int]:
    if not overlapping:
        first_person = re.match(r"\s*(I|We|My|Our)\b", ctx.text[start:end]) is not None
        return ("unquoted" if cue.content_before and first_person else "indirect"), start, end
    total = len(_WORD.findall(ctx.text[start:end]))
    if len(overlapping) == 1:
        q = ctx.quoted[overlapping[0]]
        if len(_WORD.findall(ctx.text[q.start : q.end])) >= 0.85 * total:
            return "direct", q.start, content_end(ctx.text, q)
    return "mixed", start, end


@sieve(
    "link",
    "adjacent_cue",
    "a quotation with no clause of its own takes the cue right before or after it (or an "
    "“X said:” ending the paragraph before), as does the first half of a split quote",
    examples=[
        (
            "Mayor Ana Lopez visited the site. “The bridge will be rebuilt by May.” The mayor "
            "told reporters on Monday.",
            "rebuilt by May",
            "speaker",
            "Ana Lopez",
        ),
    ],
)
def adjacent_cue(ctx: ArticleContext, view: LinkView) -> Iterator[Claim]:
    outers = ctx.nesting.outers
    by_paragraph: dict[int, list[tuple[Cue, int, int, bool]]] = {}
    for index, cue in enumerate(ctx.cues):
        free = cue.content is None or index in outers  # an outer cue's words are the inner's
        if cue.speaker is None or cue.relays_only:
            continue
        left, right = ctx.clause_bounds(cue, with_content=index in outers)
        for para in {ctx.paragraph(left), ctx.paragraph(right)}:
            by_paragraph.setdefault(para, []).append((cue, left, right, free))
        if free and _introduces_next_paragraph(ctx, right):
            # "Caddell continued:" closing its paragraph introduces the quotation that
            # opens the next one; that quote is scored as if it followed the colon
            nxt = ctx.paragraph(right) + 1
            by_paragraph.setdefault(nxt, []).append((cue, left, right, free))
    for index, q in enumerate(ctx.quoted):
        if index in view.claimed_quotes:
            continue
        best: tuple[float, Cue] | None = None
        tail = ctx.text[q.start : q.end].rstrip()[-1:]
        for cue, left, right, free in by_paragraph.get(ctx.paragraph(q.outer_start), ()):
            score = 0.0
            if not free and not (left >= q.outer_end and tail in ",?!—–-"):
                continue  # a cue with words of its own takes only a split quote's first half
            if left >= q.outer_end:
                gap = ctx.text[q.outer_end : left]
                if _clean_gap(gap):
                    score = 3.0 if tail not in ".!?" else 2.0
                    score -= 0.01 * len(gap)
            elif right <= q.outer_start:
                gap = ctx.text[right : q.outer_start]
                if ctx.paragraph(right) != ctx.paragraph(q.outer_start):
                    if ctx.paragraph_start(q.outer_start) == q.outer_start:
                        score = 3.0  # the paragraph after "X said:" opens with the quote
                elif _clean_gap(gap):
                    score = 3.0 if ":" in gap else 2.5 if "," in gap or not gap.strip() else 1.0
                    score -= 0.01 * len(gap)
            elif left < q.outer_start and q.outer_end < right:
                score = 2.2
            if score > 0 and (best is None or score > best[0]):
                best = (score, cue)
        if best is None:
            continue
        cue = best[1]
        yield Claim(
            q.start,
            content_end(ctx.text, q),
            "direct",
            "adjacent_cue",
            (index,),
            cue,
            cue_mention(ctx, cue),
            relayed_by(ctx, cue),
        )


def _introduces_next_paragraph(ctx: ArticleContext, right: int) -> bool:
    """Whether a cue's words end their paragraph with a colon ("Caddell continued:")."""
    rest = ctx.text[right : ctx.paragraph_end(right)]
    return rest.strip() == ":"


def _clean_gap(gap: str) -> bool:
    return len(gap) <= 12 and not gap.strip(" \t,;:.—–-\u2014")


@sieve(
    "link",
    "speaker_label",
    "a paragraph opened by a speaker label (“Jane Roe: We will ...”) is that speaker's; "
    "a question label (Q:, Reporter:) is not",
    examples=[
        (
            "Transcript of the briefing\n\nOfficial Spokesperson, Mr. Arun Patel: Good afternoon. "
            "We have no announcements today.\n",
            "no announcements today",
            "speaker",
            "Arun Patel",
        ),
    ],
)
def speaker_label(ctx: ArticleContext, view: LinkView) -> Iterator[Claim]:
    turns = [label for label in ctx.labels if not label.question]
    for label in ctx.labels:
        if label.question:
            continue
        if len(turns) == 1 and _opens_the_story(ctx, label):
            continue  # "ISLAMABAD: The prime minister ...": a dateline, not a turn
        answer = ctx.text[label.label_start : label.label_end].lower() in ctx.lexicon.answer_labels
        if not answer and label_speaker(ctx, label.label_start, label.label_end) is None:
            continue
        if _has_verb(ctx, label.label_start, label.label_end):
            continue  # "Tom Reyes replied: “...”" is a cue and its quote, not a label
        overlapping = ctx.quotes_overlapping(label.start, label.end)
        kind, start, end = "unquoted", label.start, label.end
        if len(overlapping) == 1:
            q = ctx.quoted[overlapping[0]]
            if q.start <= label.label_start:
                # a quoted transcript, its mark before the label ('"PENCE: Well, ...'): the
                # turn is the words after the label, to the paragraph's end or the mark
                end = min(content_end(ctx.text, q), label.end)
                kind, start = "direct", label.start
            elif (
                label.label_end <= q.outer_start <= label.start + 1 and q.outer_end >= label.end - 2
            ):
                kind, start, end = "direct", q.start, content_end(ctx.text, q)
        mention = Mention(TextSpan(label.label_start, label.label_end), None, label=True)
        yield Claim(
            start,
            end,
            kind,
            "speaker_label",
            tuple(overlapping),
            None,
            None if answer else mention,
            paragraph_voice=True,
            answer=answer,
        )


def _opens_the_story(ctx: ArticleContext, label) -> bool:
    """A label in capitals opening the story's first paragraph of prose: where a wire
    dateline stands ("ISLAMABAD: ..."), a transcript has more than one turn."""
    text = ctx.text[label.label_start : label.label_end]
    return text.isupper() and len(text.split()) <= 3 and ctx.prose(label.start) <= 1


def _has_verb(ctx: ArticleContext, start: int, end: int) -> bool:
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(t.pos_ in ("VERB", "AUX") for t in span)


# the signature follows the closing mark, on its line or (for a quote alone on its line,
# as tributes print them) at the start of the next
_DASH_SIGNATURE = re.compile(
    r"[^\S\n]*(?:\n[^\S\n]*)?[—–―‒-]{1,2}[^\S\n]*(?=[A-Z])([^\n,;(]{2,80})"
)
_SIGNED_LINE = re.compile(
    r"^[^\S\n]*[“”\"‘’«„](?P<body>[^\n]+?)[”“\"’‘»][^\S\n]*[—–―‒]{1,2}[^\S\n]*"
    r"(?P<name>[A-Z][^\n,;(]{1,60}?)[^\S\n]*\.?[^\S\n]*$",
    re.MULTILINE,
)


@sieve(
    "link",
    "dash_signature",
    "a quotation signed with a dash is the signer's: “Cities must lead.” — Mayor Ana Lopez",
    examples=[
        (
            "“We will open the new school in the spring.” — Mayor Ana Lopez, speaking on Monday",
            "new school",
            "speaker",
            "Ana Lopez",
        ),
    ],
)
def dash_signature(ctx: ArticleContext, view: LinkView) -> Iterator[Claim]:
    for index, q in enumerate(ctx.quoted):
        if index in view.claimed_quotes:
            continue
        match = _DASH_SIGNATURE.match(ctx.text, q.outer_end)
        if match is None or label_speaker(ctx, match.start(1), match.end(1)) is None:
            continue
        mention = Mention(TextSpan(match.start(1), match.end(1)), None, label=True)
        yield Claim(
            q.start, content_end(ctx.text, q), "direct", "dash_signature", (index,), None, mention
        )


@sieve(
    "link",
    "label_line",
    "a line that is only a speaker label (“Jane Roe, chair of the board:”) introduces that "
    "speaker's words in the next paragraph",
    examples=[
        (
            "The committee heard two witnesses.\n\nJane Roe, chair of the residents' group:\n\n"
            "“We were never consulted about the new road and we will fight it.”",
            "never consulted",
            "speaker",
            "Jane Roe",
        ),
    ],
)
def label_line(ctx: ArticleContext, view: LinkView) -> Iterator[Claim]:
    for start, end, para in ctx.label_lines:
        if _has_verb(ctx, start, end) or label_speaker(ctx, start, end) is None:
            continue
        overlapping = ctx.quotes_overlapping(para.start, para.end)
        if any(i in view.claimed_quotes for i in overlapping):
            continue
        kind, c_start, c_end = "unquoted", para.start, para.end
        if len(overlapping) == 1:
            q = ctx.quoted[overlapping[0]]
            if q.outer_start <= para.start + 1 and q.outer_end >= para.end - 2:
                kind, c_start, c_end = "direct", q.start, content_end(ctx.text, q)
        elif overlapping or ctx.text[para.end - 1 : para.end] == "?":
            continue  # a paragraph holding several quotations, or a question: not one voice
        mention = Mention(TextSpan(start, end), None, label=True)
        yield Claim(c_start, c_end, kind, "label_line", tuple(overlapping), None, mention)


@sieve(
    "link",
    "signed_line",
    "a whole line signed with a dash is the signer's quote even when marks nested "
    "inside it leave no quotation ending at the dash",
    examples=[
        (
            "Readers wrote in.\n"
            "“I would rather live in what he calls “hell” than in a country he runs.” ― Karen Walsh\n",
            "rather live",
            "speaker",
            "Karen Walsh",
        ),
    ],
)
def signed_line(ctx: ArticleContext, view: LinkView) -> Iterator[Claim]:
    for line in _SIGNED_LINE.finditer(ctx.text):
        inside = ctx.quotes_overlapping(line.start("body"), line.end("body"))
        if any(i in view.claimed_quotes for i in inside) or len(_WORD.findall(line["body"])) < 4:
            continue
        speaker = label_speaker(ctx, line.start("name"), line.end("name"))
        if speaker is None or speaker.kind != "person":
            continue
        mention = Mention(TextSpan(line.start("name"), line.end("name")), None, label=True)
        yield Claim(
            line.start("body"),
            line.end("body"),
            "direct",
            "signed_line",
            tuple(inside),
            None,
            mention,
        )


@sieve(
    "link",
    "continuation",
    "a quotation paragraph with no cue continues the previous speaker's quote",
    examples=[CONTINUATION_EXAMPLE],
)
def continuation(ctx: ArticleContext, view: LinkView) -> Iterator[Claim]:
    for index, q in enumerate(ctx.quoted):
        if index in view.claimed_quotes:
            continue
        yield Claim(q.start, content_end(ctx.text, q), "direct", "continuation", (index,))


@sieve(
    "link",
    "interview_answer",
    "in an interview printed as questions and answers, each unmarked answer paragraph "
    "is the interviewee's",
    examples=[INTERVIEW_EXAMPLE],
)
def interview_answer(ctx: ArticleContext, view: LinkView) -> Iterator[Claim]:
    for _, answer in ctx.interview:
        if view.covered(answer.start, answer.end, 0.8):
            continue
        yield Claim(answer.start, answer.end, "unquoted", "interview_answer", answer=True)


@sieve(
    "link",
    "reported_in_quote",
    "a report inside a quotation is the inner speaker's words, relayed by the quoted "
    "speaker: “... The governor said he was misquoted,” the minister said",
    examples=[
        (
            "Governor Tom Reyes spoke to the press on Monday.\n\n"
            "“I called the governor at once. The governor said he had been misquoted by the "
            "media,” Minister Ana Ruiz said on Tuesday.",
            "had been misquoted",
            "speaker",
            "Tom Reyes",
        ),
        (
            "Governor Tom Reyes spoke to the press on Monday.\n\n"
            "“I called the governor at once. The governor said he had been misquoted by the "
            "media,” Minister Ana Ruiz said on Tuesday.",
            "had been misquoted",
            "via",
            "Ana Ruiz",
        ),
    ],
)
def reported_in_quote(ctx: ArticleContext, view: LinkView) -> Iterator[Claim]:
    for outer in view.claims:
        if outer.cue is None or outer.cue.speaker is None:
            continue  # nobody known to relay it
        for i in outer.quotes:
            q = ctx.quoted[i]
            tokens = ctx.doc.char_span(q.start, q.end, alignment_mode="contract")
            if tokens is None:
                continue
            span_tokens = (tokens.start, tokens.end)
            for cue in reports_in_quotation(ctx.doc, span_tokens, ctx.lexicon, ctx.people):
                span = ctx.char_span(cue.content)
                yield Claim(
                    span.start,
                    span.end,
                    "indirect",
                    "reported_in_quote",
                    (),
                    cue,
                    cue_mention(ctx, cue),
                    outer.cue,
                    relay_only=True,
                )


def claim_priority(claim: Claim) -> str:
    """The prior key of a claim: its link sieve, and for cue content its kind."""
    return (
        f"link.{claim.link}:{claim.kind}" if claim.link == "cue_content" else f"link.{claim.link}"
    )


__all__ = ["according_beside", "claim_priority", "content_end", "cue_mention"]
