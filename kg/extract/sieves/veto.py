"""Vetoes: claims that are not anyone's words, whatever cue stands beside them.

A veto returns the reason a claim is not a quote, or None. Each checks the claims of the
link sieves named in its `applies_to`.
"""

from __future__ import annotations

import re

from kg.extract.context import ArticleContext
from kg.extract.sieves.base import Claim
from kg.extract.sieves.registry import sieve

MIN_QUOTE_WORDS = 3
MIN_REPORTED_WORDS = 4
_WORD = re.compile(r"\w+")
_CONTRACTION_TAILS = {"t", "s", "re", "ll", "ve", "d", "m"}  # "Isn't", "We're"
_QUOTED_ONLY = ("adjacent_cue", "dash_signature", "continuation")


@sieve(
    "veto",
    "headline",
    "a short line with no closing punctuation is a headline, caption or navigation line",
    examples=[
        (
            "Mayor praises the “historic” deal with the rail union\n\nThe council met on Tuesday.",
            "historic",
            "quote",
            None,
        ),
    ],
    applies_to=("cue_content", "adjacent_cue", "speaker_label"),
)
def headline(ctx: ArticleContext, claim: Claim) -> str | None:
    return "a headline or caption line" if ctx.is_headline(claim.start) else None


@sieve(
    "veto",
    "short_report",
    "a cue content of fewer than four words (two when partly quoted, one when wholly quoted: "
    "called them “crooks”) reports nothing: “agreed to meet”",
    examples=[("Ana Lopez said she agreed.", "agreed", "quote", None)],
    applies_to=("cue_content",),
)
def short_report(ctx: ArticleContext, claim: Claim) -> str | None:
    least = 1 if claim.kind == "direct" else 2 if claim.kind == "mixed" else MIN_REPORTED_WORDS
    words = len(ctx.words(claim.start, claim.end))
    return f"{words} words: too short to be a report" if words < least else None


@sieve(
    "veto",
    "commitment",
    "an unquoted infinitive after a reporting verb is a commitment, not reported words",
    examples=[
        (
            "Mayor Ana Lopez has repeatedly pledged to close the old coal plant by 2030.",
            "close the old coal plant",
            "quote",
            None,
        ),
    ],
    applies_to=("cue_content",),
)
def commitment(ctx: ArticleContext, claim: Claim) -> str | None:
    if claim.kind != "indirect":
        return None
    span = ctx.doc.char_span(claim.start, claim.start + 2, alignment_mode="expand")
    if span is None:
        return None
    first = span[0]
    if first.lower_ == "not" and first.i + 1 < len(ctx.doc):
        first = ctx.doc[first.i + 1]  # "asked not to be named", "vowed not to resign"
    if first.lower_ != "to" or first.i + 1 >= len(ctx.doc):
        return None
    return "an infinitive: a commitment" if ctx.doc[first.i + 1].tag_ == "VB" else None


@sieve(
    "veto",
    "title",
    "a quoted name of a work or a show (every word capitalised, no sentence end) is a title",
    examples=[
        (
            "“The show was fun,” Ana Lopez said. She appeared on “The Late Morning Show” twice.",
            "Late Morning Show",
            "quote",
            None,
        ),
        (
            "“The show was fun,” Ana Lopez said.\n\nOn Sunday’s episode of “Harbour Talk "
            "Tonight,” the mayor said the pier would reopen.",
            "Harbour Talk Tonight",
            "quote",
            None,
        ),
    ],
    applies_to=_QUOTED_ONLY,
)
def title(ctx: ArticleContext, claim: Claim) -> str | None:
    q = ctx.quoted[claim.quotes[0]]
    text = ctx.text[q.start : q.end]
    before = ctx.text[max(0, q.outer_start - 40) : q.outer_start].rstrip()
    if text.rstrip().endswith(",") and before[-1:].islower():
        # "on “Fox Morning Live,” the mayor said": American commas go inside the marks; a
        # name in Title Case inside a running sentence is a title all the same
        text = text.rstrip()[:-1]
    return "a title" if is_title(ctx, _WORD.findall(text), text) else None


@sieve(
    "veto",
    "subhead",
    "a quoted line alone in Title Case is a section heading that quotes the story",
    examples=[
        (
            "Ann Lee runs the mine.\n\n“The coal will run out in ten years,” Lee said.\n\n"
            "“Coal Isn’t the Villain.”\n\nThe mine reopened in May.",
            "Villain",
            "quote",
            None,
        ),
    ],
    applies_to=_QUOTED_ONLY,
)
def subhead(ctx: ArticleContext, claim: Claim) -> str | None:
    q = ctx.quoted[claim.quotes[0]]
    start, end = ctx.paragraph_start(q.outer_start), ctx.paragraph_end(q.outer_start)
    alone = not ctx.text[start : q.outer_start].strip() and not ctx.text[q.outer_end : end].strip()
    words = _WORD.findall(ctx.text[q.start : q.end])
    if alone and is_title(ctx, words, ctx.text[q.start : q.end].rstrip().rstrip(".!?")):
        return "a quoted subheading"
    return None


@sieve(
    "veto",
    "scare_quote",
    "a quoted word or two is a scare quote or a label, not a statement",
    examples=[
        (
            "“The talks went well,” Ana Lopez said. The so-called “balloon” drifted over the city.",
            "balloon",
            "quote",
            None,
        ),
    ],
    applies_to=_QUOTED_ONLY,
)
def scare_quote(ctx: ArticleContext, claim: Claim) -> str | None:
    q = ctx.quoted[claim.quotes[0]]
    text = ctx.text[q.start : q.end]
    words = len(_WORD.findall(text))
    ends = text.rstrip()[-1:] in ".!?,"
    if words >= MIN_QUOTE_WORDS + 1 or (words >= MIN_QUOTE_WORDS and ends):
        return None
    if words and ends and (claim.link == "adjacent_cue" or _alone(ctx, q)):
        return None  # a reply: “Yes,” said Lee. / a paragraph that is only “Never.”
    return f"{words} quoted words: a scare quote or label"


def _alone(ctx: ArticleContext, q) -> bool:
    """Whether a quotation is its whole paragraph."""
    start, end = ctx.paragraph_start(q.outer_start), ctx.paragraph_end(q.outer_start)
    return not ctx.text[start : q.outer_start].strip() and not ctx.text[q.outer_end : end].strip()


def is_title(ctx: ArticleContext, words: list[str], text: str) -> bool:
    """A name of a work or a show: every word capitalised, short, no sentence end.

    >>> from types import SimpleNamespace
    >>> from kg.extract.lexicon import load_lexicon
    >>> ctx = SimpleNamespace(lexicon=load_lexicon())
    >>> is_title(ctx, ["The", "Morning", "Show"], "The Morning Show")
    True
    >>> is_title(ctx, ["We", "Will", "Win"], "We Will Win!")
    False
    """
    small = ctx.lexicon.title_small_words
    return (
        2 <= len(words) <= 8
        and all(w[:1].isupper() or w.lower() in small or w in _CONTRACTION_TAILS for w in words)
        and text.rstrip()[-1:] not in ".!?,"
    )
