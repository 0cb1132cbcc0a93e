"""`Layout`: where things lie in one article's text — paragraphs, the story's prose
paragraphs, quotations and the wire dateline.

Computed once per article, before the entity table and the cues, since both measure
distance in paragraphs of the story and must know what is quoted. Every lookup is a bisect
into sorted offsets, so callers stay linear in the article's length.

>>> import spacy
>>> doc = spacy.blank("en")("HEADLINE\\n\\nFirst paragraph of the story.\\n\\nSecond one.")
>>> layout = Layout(doc, [])
>>> layout.paragraph(12), layout.prose(12), layout.prose(len(doc.text) - 1)
(1, 1, 2)
"""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc, Span

from kg.extract.lexicon import Lexicon, load_lexicon
from kg.nlp.marks import QuotedSpan
from kg.nlp.pipeline import DATELINE

HEADLINE_ENDINGS = ".!?\"”’'…:)]"
# a wire credit closing a story's last paragraph, after its full stop: ". - Sapa-AFP",
# ". — AP", ". (Reuters)"; the paragraph is still a sentence, not a headline
WIRE_CREDIT = re.compile(
    r"(?<=[.!?\"”’])\s*(?:[-–—]\s*[A-Z][\w.-]*(?:[ /][A-Z][\w.-]*){0,2}"
    r"|\((?:[A-Z][\w.-]*\s?){1,3}\))\s*$"
)


class Layout:
    """Paragraphs, prose distance and quotations of one parsed article."""

    def __init__(self, doc: Doc, quoted: list[QuotedSpan], lexicon: Lexicon | None = None):
        self.doc = doc
        self.text: str = doc.text
        self.lexicon = lexicon or load_lexicon()
        self.quoted = quoted
        self._quote_starts = [q.outer_start for q in quoted]
        self._quote_max_end = _running_max([q.outer_end for q in quoted])
        # a run of blank lines is one break: double-spaced text has no more paragraphs
        runs = list(re.finditer(r"\n\s*", self.text))
        self.breaks = [m.start() for m in runs]
        self.starts = [m.end() for m in runs]
        bounds = zip([0, *self.starts], [*self.breaks, len(self.text)])
        self._lines = [self.text[start:end].strip() for start, end in bounds]
        self._unpunctuated = [_unpunctuated_short(line) for line in self._lines]
        self._prose_rank = self._rank_prose_paragraphs()
        self.in_quote = token_quote_index(doc, quoted)

    # -- paragraphs -------------------------------------------------------------------------
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
        for line, unpunctuated in zip(self._lines, self._unpunctuated):
            label = line.split(":", 1)[0].strip().lower() if ":" in line[:40] else ""
            furniture = unpunctuated or label in self.lexicon.page_labels
            count += 0 if furniture or not line else 1
            ranks.append(count)
        return ranks

    def starts_paragraph(self, char: int) -> bool:
        return not self.text[self.paragraph_start(char) : char].strip()

    def is_headline(self, char: int) -> bool:
        """Whether `char` lies in a short line with no closing punctuation: a headline,
        a caption or a navigation line, whose words repeat or label the story."""
        return self._unpunctuated[self.paragraph(char)]

    def in_dateline(self, ent: Span) -> bool:
        """Whether an entity is part of a wire dateline opening its sentence ("MONTREAL -",
        "PARIS, Feb 27 (AFP) -"): a place and an agency, not a body that speaks."""
        sent = ent.sent
        first = next((t for t in sent if not t.is_space), sent[0])
        lead = DATELINE.match(self.text, first.idx)
        return lead is not None and ent.start_char < lead.end()

    # -- quotations -------------------------------------------------------------------------
    def quotes_overlapping(self, start: int, end: int) -> list[int]:
        """Indices of the quoted spans (marks included) that overlap ``[start, end)``."""
        hi = bisect.bisect_left(self._quote_starts, end)
        lo = bisect.bisect_right(self._quote_max_end, start)
        return [
            i
            for i in range(lo, hi)
            if self.quoted[i].outer_start < end and start < self.quoted[i].outer_end
        ]


def _unpunctuated_short(line: str) -> bool:
    """A line of at most 20 words with no closing punctuation (a wire credit after the
    last full stop does not count): a headline, a caption, a navigation line.

    >>> _unpunctuated_short("Storm closes the port"), _unpunctuated_short("It rained. - AFP")
    (True, False)
    """
    line = WIRE_CREDIT.sub("", line)
    return len(line.split()) <= 20 and line[-1:] not in HEADLINE_ENDINGS


def token_quote_index(doc: Doc, quoted: list[QuotedSpan]) -> list[int]:
    """For each token, the index of the quoted span whose words it lies in, or -1."""
    index = [-1] * len(doc)
    q = 0
    for token in doc:
        while q < len(quoted) and quoted[q].outer_end <= token.idx:
            q += 1
        if q < len(quoted) and quoted[q].start <= token.idx < quoted[q].end:
            index[token.i] = q
    return index


def _running_max(values: list[int]) -> list[int]:
    """Prefix maxima, so a bisect finds the first span that can still reach an offset."""
    out, best = [], -1
    for v in values:
        best = max(best, v)
        out.append(best)
    return out
