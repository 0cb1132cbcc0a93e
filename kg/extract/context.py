"""`ArticleContext`: the read-only facts of one article that every sieve sees.

Computed once per article before any quote is attributed: the parse, the quoted spans,
the paragraph layout, the reporting cues, the entity table and indexes over them. Every
lookup here is local (a bisect into sorted offsets, a dict), so attribution stays linear
in the article's length. Nothing here changes after construction; the runner owns
whatever changes while quotes are attributed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from kg.extract.cues import Cue, cue_nesting, find_cues, token_quote_index
from kg.extract.entities import EntityTable
from kg.extract.lexicon import Lexicon, load_lexicon
from kg.extract.transcript import (
    Labelled,
    Paragraph,
    interview_answers,
    label_lines,
    speaker_labels,
)
from kg.nlp.marks import QuotedSpan
from kg.nlp.pipeline import DATELINE, ParsedArticle

_WORD = re.compile(r"\w+")
_HEADLINE_ENDINGS = ".!?\"”’'…:)]"


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
        self._quote_starts = [q.outer_start for q in self.quoted]
        self._quote_max_end = _running_max([q.outer_end for q in self.quoted])
        self.in_quote = token_quote_index(self.doc)
        self.entities = EntityTable(self.doc, self.lexicon)
        self.entity_at = {i: ent for ent in self.doc.ents for i in range(ent.start, ent.end)}
        self._org_ents = [
            e for e in self.doc.ents if e.label_ == "ORG" and not self._in_dateline(e)
        ]
        self._org_starts = [e.start for e in self._org_ents]
        # a run of blank lines is one break: double-spaced text has no more paragraphs
        runs = list(re.finditer(r"\n\s*", self.text))
        self.breaks = [m.start() for m in runs]
        self.starts = [m.end() for m in runs]
        self._prose_rank = self._rank_prose_paragraphs()
        self.people = frozenset(self.entities.mention_at)  # tokens that name a person
        self.cues: list[Cue] = list(find_cues(self.doc, self.in_quote, self.lexicon, self.people))
        self.nesting = cue_nesting(self.doc, self.cues)
        self.cue_index = {id(cue): i for i, cue in enumerate(self.cues)}
        self._cues_by_sentence: dict[int, list[Cue]] = {}
        for cue in self.cues:
            self._cues_by_sentence.setdefault(cue.token.sent.start, []).append(cue)
        self.labels: list[Labelled] = list(speaker_labels(self.text, self.lexicon))
        self.label_lines = list(label_lines(self.text))
        self.interview: list[tuple[Paragraph, Paragraph]] = interview_answers(self.text)

    def _in_dateline(self, ent: Span) -> bool:
        """Whether an entity is part of a wire dateline opening its sentence ("MONTREAL -",
        "PARIS, Feb 27 (AFP) -"): a place and an agency, not a body that speaks."""
        sent = ent.sent
        first = next((t for t in sent if not t.is_space), sent[0])
        lead = DATELINE.match(self.text, first.idx)
        return lead is not None and ent.start_char < lead.end()

    # -- layout ---------------------------------------------------------------------------
    def paragraph(self, char: int) -> int:
        """The number of the paragraph `char` lies in (0 for the first)."""
        return bisect.bisect_right(self.breaks, char)

    def paragraph_start(self, char: int) -> int:
        """Offset of the first character after the line breaks that open `char`'s paragraph
        (0 for the first)."""
        number = self.paragraph(char)
        return self.starts[number - 1] if number else 0

    def paragraph_end(self, char: int) -> int:
        """Offset of the line break that closes `char`'s paragraph (the text's end for the last)."""
        number = self.paragraph(char)
        return self.breaks[number] if number < len(self.breaks) else len(self.text)

    def prose(self, char: int) -> int:
        """The number of prose paragraphs up to `char`'s: distances in the story skip
        headlines, captions and "READ MORE" lines, which interrupt it without moving it on."""
        return self._prose_rank[self.paragraph(char)]

    def _rank_prose_paragraphs(self) -> list[int]:
        ranks, count = [], 0
        bounds = zip([0, *self.starts], [*self.breaks, len(self.text)])
        for start, end in bounds:
            line = self.text[start:end].strip()
            words = line.split()
            label = line.split(":", 1)[0].strip().lower() if ":" in line[:40] else ""
            furniture = (len(words) <= 20 and line[-1:] not in _HEADLINE_ENDINGS) or (
                label in self.lexicon.page_labels
            )
            count += 0 if furniture or not line else 1
            ranks.append(count)
        return ranks

    def starts_paragraph(self, char: int) -> bool:
        return not self.text[self.paragraph_start(char) : char].strip()

    def is_headline(self, char: int) -> bool:
        """Whether `char` lies in a short line with no closing punctuation: a headline,
        a caption or a navigation line, whose words repeat or label the story."""
        line = self.text[self.paragraph_start(char) : self.paragraph_end(char)].strip()
        return len(line.split()) <= 20 and line[-1:] not in _HEADLINE_ENDINGS

    def words(self, start: int, end: int) -> list[str]:
        return _WORD.findall(self.text[start:end])

    # -- quotes and cues ------------------------------------------------------------------
    def quotes_overlapping(self, start: int, end: int) -> list[int]:
        """Indices of the quoted spans (marks included) that overlap ``[start, end)``."""
        hi = bisect.bisect_left(self._quote_starts, end)
        lo = bisect.bisect_right(self._quote_max_end, start)
        return [
            i
            for i in range(lo, hi)
            if self.quoted[i].outer_start < end and start < self.quoted[i].outer_end
        ]

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

    def organisations_before(self, token: Token) -> list[Span]:
        """ORG entities that start before `token`, nearest last."""
        return self._org_ents[: bisect.bisect_left(self._org_starts, token.i)]


def _running_max(values: list[int]) -> list[int]:
    """Prefix maxima, so a bisect finds the first span that can still reach an offset."""
    out, best = [], -1
    for v in values:
        best = max(best, v)
        out.append(best)
    return out
