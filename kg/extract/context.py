"""`ArticleContext`: the read-only facts of one article that every sieve sees.

Computed once per article before any quote is attributed: the parse, the quoted spans,
the paragraph layout, the reporting cues, the entity table and indexes over them. Every
lookup here is local (a bisect into sorted offsets, a dict), so attribution stays linear
in the article's length. Nothing here changes after construction; the runner owns
whatever changes while quotes are attributed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from kg.extract.cues import Cue, cue_nesting, find_cues, split_coordinated_reports
from kg.extract.entities import EntityTable
from kg.extract.layout import Layout
from kg.extract.lexicon import Lexicon, load_lexicon
from kg.extract.transcript import (
    Labelled,
    Paragraph,
    interview_answers,
    label_lines,
    speaker_labels,
)
from kg.nlp.marks import QuotedSpan
from kg.nlp.pipeline import ParsedArticle

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class TextSpan:
    """A character span of the parsed (clean) text; the runner maps it to the article's
    exact text when it writes evidence."""

    start: int
    end: int


class ArticleContext:
    """Everything a sieve may read about one article."""

    def __init__(self, parsed: ParsedArticle, lexicon: Lexicon | None = None) -> None:
        self.parsed = parsed
        self.lexicon = lexicon or load_lexicon()
        self.doc: Doc = parsed.doc
        self.text: str = self.doc.text
        self.quoted: list[QuotedSpan] = self.doc._.quoted or []
        self.layout = layout = Layout(self.doc, self.quoted, self.lexicon)
        self.in_quote = layout.in_quote
        # the layout's lookups, read by every sieve
        self.paragraph = layout.paragraph
        self.paragraph_start = layout.paragraph_start
        self.paragraph_end = layout.paragraph_end
        self.prose = layout.prose
        self.starts_paragraph = layout.starts_paragraph
        self.is_headline = layout.is_headline
        self.quotes_overlapping = layout.quotes_overlapping
        self.breaks, self.starts = layout.breaks, layout.starts
        self.entities = EntityTable(self.doc, self.lexicon, layout)
        self.entity_at = {i: ent for ent in self.doc.ents for i in range(ent.start, ent.end)}
        self.people = frozenset(self.entities.mention_at)  # tokens that name a person
        found = list(find_cues(self.doc, self.in_quote, self.lexicon, self.people))
        self.cues: list[Cue] = split_coordinated_reports(self.doc, found)
        self.nesting = cue_nesting(self.doc, self.cues, self.lexicon)
        self.cue_index = {id(cue): i for i, cue in enumerate(self.cues)}
        self._cues_by_sentence: dict[int, list[Cue]] = {}
        for cue in self.cues:
            self._cues_by_sentence.setdefault(cue.token.sent.start, []).append(cue)
        self.labels: list[Labelled] = list(speaker_labels(self.text, self.lexicon))
        self.label_lines = list(label_lines(self.text))
        self.interview: list[tuple[Paragraph, Paragraph]] = interview_answers(self.text)

    def words(self, start: int, end: int) -> list[str]:
        return _WORD.findall(self.text[start:end])

    # -- quotes and cues ------------------------------------------------------------------
    def cues_in_sentence(self, sent: Span) -> list[Cue]:
        return self._cues_by_sentence.get(sent.start, [])

    def char_span(self, span: tuple[int, int]) -> TextSpan:
        """Character bounds of a token range ``[first, last)``."""
        first, last = self.doc[span[0]], self.doc[span[1] - 1]
        return TextSpan(first.idx, last.idx + len(last.text))

    def token_span(self, token: Token) -> TextSpan:
        return TextSpan(token.idx, token.idx + len(token.text))

    def clause_bounds(self, cue: Cue, with_content: bool = False) -> tuple[int, int]:
        """Character bounds of the cue's own words (its subtree minus quotes and, unless
        `with_content`, minus what it reports)."""
        sent = cue.token.sent
        content = None if with_content else cue.content
        tokens = [
            t
            for t in cue.token.subtree
            if sent.start <= t.i < sent.end
            and self.in_quote[t.i] < 0
            and not t.is_punct
            and not t.is_space
            and (content is None or not (content[0] <= t.i < content[1]))
        ]
        if not tokens:
            return cue.token.idx, cue.token.idx + len(cue.token)
        return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)

    def cue_span(self, cue: Cue) -> TextSpan:
        """The cue's words: the verb, or the whole "according to" / "as per"."""
        if cue.kind == "according":
            nxt = cue.token.nbor(1) if cue.token.i + 1 < len(self.doc) else cue.token
            return TextSpan(cue.token.idx, nxt.idx + len(nxt.text))
        return self.token_span(cue.token)

    # -- phrases --------------------------------------------------------------------------
    def phrase_bounds(self, token: Token) -> tuple[int, int]:
        """Token range of the noun phrase a speaker token heads, without a leading
        article, punctuation or quoted words; with "of/for/at" complements, compounds and
        the named entity it is part of."""
        doc = self.doc
        start = token.left_edge.i
        while start < token.i and (
            doc[start].is_punct or doc[start].lower_ in ("the",) or self.in_quote[start] >= 0
        ):
            start += 1
        end = token.i + 1
        for child in token.rights:
            if (
                child.dep_ == "prep"
                and child.lower_ in ("of", "for", "at")
                and child.right_edge.i - token.i <= 6
                or child.dep_ in ("compound", "flat")
            ):
                end = child.right_edge.i + 1
        ent = self.entity_at.get(token.i)
        if ent is not None:
            start, end = min(start, ent.start), max(end, ent.end)
        return start, end

    def phrase_text(self, token: Token) -> str:
        start, end = self.phrase_bounds(token)
        return self.doc[start:end].text.strip(" ,“”\"'‘’")

    def phrase_span(self, token: Token) -> TextSpan:
        start, end = self.phrase_bounds(token)
        return self.char_span((start, end))
