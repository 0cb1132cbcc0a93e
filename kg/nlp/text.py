"""Normalise raw article text for parsing while remembering where every character came from.

The parser does better on clean text (paired curly marks, a space after a glued closing
mark, no boilerplate), but users need offsets into the exact text they gave. `prepare`
returns both the clean text and an `OffsetMap` between the two.
"""

from __future__ import annotations

import bisect
import re
from array import array
from dataclasses import dataclass

from kg.nlp.marks import QuotedSpan

_SCRAPED_APOSTROPHE = re.compile(r"(?<=[A-Za-z])[”“\"](?=(?:s|t|d|m|ll|ve|re)(?![A-Za-z]))")
_SPACE_LIKE = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")


@dataclass(frozen=True)
class Edit:
    """Replace ``raw[start:end]`` with `new` (which may be shorter, longer or empty)."""

    start: int
    end: int
    new: str


class OffsetMap:
    """Two-way character offset map between a raw text and its edited copy.

    >>> m = OffsetMap.apply("ab''c", [Edit(2, 4, "”")])
    >>> m.clean, m.to_raw(3), m.to_raw_end(3), m.to_clean(4)
    ('ab”c', 4, 4, 3)
    """

    __slots__ = ("raw_len", "clean", "_to_raw", "_to_clean")

    def __init__(self, raw_len: int, clean: str, to_raw: array | None, to_clean: array | None):
        self.raw_len = raw_len
        self.clean = clean
        self._to_raw = to_raw
        self._to_clean = to_clean

    @classmethod
    def apply(cls, raw: str, edits: list[Edit]) -> OffsetMap:
        edits = sorted(edits, key=lambda e: e.start)
        if all(len(e.new) == e.end - e.start for e in edits):
            chars = list(raw)
            for e in edits:
                chars[e.start : e.end] = e.new
            return cls(len(raw), "".join(chars), None, None)
        pieces: list[str] = []
        to_raw = array("l")
        to_clean = array("l", [0]) * (len(raw) + 1)
        pos = 0
        for e in edits:
            if e.start < pos:
                continue  # overlapping edits: the first one wins
            _copy(raw, pos, e.start, pieces, to_raw, to_clean)
            here = len(to_raw)
            for k in range(e.start, e.end):
                to_clean[k] = here
            pieces.append(e.new)
            to_raw.extend([e.start] * len(e.new))
            pos = e.end
        _copy(raw, pos, len(raw), pieces, to_raw, to_clean)
        to_clean[len(raw)] = len(to_raw)
        to_raw.append(len(raw))
        return cls(len(raw), "".join(pieces), to_raw, to_clean)

    def to_raw(self, i: int) -> int:
        """Raw offset of clean offset `i` (a start position)."""
        return i if self._to_raw is None else self._to_raw[i]

    def to_raw_end(self, j: int) -> int:
        """Raw offset for an end position `j` in the clean text."""
        return j if self._to_raw is None else self._to_raw[j]

    def to_clean(self, i: int) -> int:
        return i if self._to_clean is None else self._to_clean[i]


def _copy(
    raw: str, start: int, end: int, pieces: list[str], to_raw: array, to_clean: array
) -> None:
    if end <= start:
        return
    base = len(to_raw)
    pieces.append(raw[start:end])
    to_raw.extend(range(start, end))
    for k in range(start, end):
        to_clean[k] = base + (k - start)


def prepare(
    raw: str,
    paragraphs: list[tuple[int, int]],
    quotes: list[QuotedSpan],
    ignored: list[tuple[int, int]],
) -> OffsetMap:
    """The parser's copy of `raw`: ignored spans blanked, soft line wraps joined, quote
    marks made curly and paired, glued marks spaced, scraped apostrophes repaired."""
    edits: list[Edit] = []
    for start, end in ignored:
        edits.append(Edit(start, end, re.sub(r"[^\n]", " ", raw[start:end])))
    ignored_starts = [s for s, _ in ignored]
    for start, end in paragraphs:
        k = raw.find("\n", start, end)
        while k >= 0:
            if not _inside(k, ignored, ignored_starts):
                edits.append(Edit(k, k + 1, " "))
            k = raw.find("\n", k + 1, end)
    for q in quotes:
        opener, closer = ("“", "”") if q.double else ("‘", "’")
        if q.start > q.outer_start:
            edits.append(Edit(q.outer_start, q.start, opener))
            if q.outer_start > 0 and raw[q.outer_start - 1].isalnum():
                edits.append(Edit(q.outer_start, q.outer_start, " "))
        if q.closed:
            edits.append(Edit(q.end, q.outer_end, closer))
            if q.outer_end < len(raw) and raw[q.outer_end].isalnum():
                edits.append(Edit(q.outer_end, q.outer_end, " "))
    for match in _SCRAPED_APOSTROPHE.finditer(raw):
        edits.append(Edit(match.start(), match.end(), "'"))
    for match in _SPACE_LIKE.finditer(raw):
        edits.append(Edit(match.start(), match.end(), " "))
    return OffsetMap.apply(raw, _dedupe(edits))


def _dedupe(edits: list[Edit]) -> list[Edit]:
    """Keep one edit per position; insertions (empty ranges) go before replacements."""
    edits.sort(key=lambda e: (e.start, e.end - e.start))
    kept: list[Edit] = []
    last_end = -1
    for e in edits:
        if e.start == e.end:
            if e.start >= last_end:
                kept.append(e)
            continue
        if e.start >= last_end:
            kept.append(e)
            last_end = e.end
    return kept


def _inside(pos: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether `pos` lies in one of the sorted, disjoint `spans` (`starts` are their starts)."""
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < spans[i][1]
