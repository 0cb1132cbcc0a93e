"""Pair quotation marks in messy text and return the quoted spans.

Scraped and machine-translated news breaks quote marks in every way: curly marks
pointing the wrong way, closing marks glued to the next word, apostrophes scraped into
closing double quotes (``I”ve``), quotes that never close, marks lost to ``?``. The
pairing here is one linear pass per paragraph; a quote left open is repaired at its
paragraph's end (or continued when the next paragraph opens with a mark, the
convention for multi-paragraph quotes), so one broken mark never swallows the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

DOUBLE_OPENERS = "“„‟«"
DOUBLE_CLOSERS = "”»"
SINGLE_OPENERS = "‘‚‹"
SINGLE_CLOSERS = "’›"
STRAIGHT = "\"'`´"
_MARK_RE = re.compile(r"''|``|’’|‘‘|,,|[\"“”„‟«»‘’‚‹›'`´]")
_LOST_MARK_RE = re.compile(r"(?:^|(?<=\s))\?(?=[A-Za-z])")
_CONTRACTION = re.compile(r"(?:s|t|d|m|ll|ve|re|S|T|D|M|LL|VE|RE)(?![A-Za-z])")
_LEFT_OPEN_CONTEXT = set(" \t\n\r\u00a0([{—–-/:")
_RIGHT_CLOSE_CONTEXT = set(" \t\n\r\u00a0.,;:!?)]}—–-…")
MAX_CONTINUED_PARAGRAPHS = 8


class Role(Enum):
    OPEN = "open"
    CLOSE = "close"
    EITHER = "either"


@dataclass(frozen=True)
class Mark:
    """One quotation mark: where it is, how long it is, single or double, and its role."""

    start: int
    end: int
    double: bool
    role: Role


@dataclass(frozen=True)
class QuotedSpan:
    """Text between paired marks. `start`/`end` bound the content, without the marks;
    `outer_start`/`outer_end` include them. `closed` is False when the closing mark was
    missing and the span was repaired at a paragraph end."""

    start: int
    end: int
    outer_start: int
    outer_end: int
    closed: bool
    double: bool
    paragraphs: int = 1

    def words(self, text: str) -> int:
        return len(text[self.start : self.end].split())


def find_marks(
    text: str, start: int = 0, end: int | None = None, lost_marks: bool | None = None
) -> list[Mark]:
    """Classify every quotation mark in ``text[start:end]``; apostrophes are dropped.

    `lost_marks` says whether ``?`` stands for quote marks in this text; callers that
    look at many ranges of one text decide it once (`uses_lost_marks` reads the whole text).

    >>> [(m.start, m.role.value) for m in find_marks('He said “yes” and I’m “fine”now.')]
    [(8, 'open'), (12, 'close'), (22, 'open'), (27, 'close')]
    """
    end = len(text) if end is None else end
    marks: list[Mark] = []
    for match in _MARK_RE.finditer(text, start, end):
        mark = _classify(text, match.start(), match.end())
        if mark is not None:
            marks.append(mark)
    if uses_lost_marks(text) if lost_marks is None else lost_marks:
        marks.extend(_lost_marks(text, start, end))
        marks.sort(key=lambda m: m.start)
    return marks


def uses_lost_marks(text: str) -> bool:
    """True when quotation marks were scraped into ``?`` throughout the text.

    >>> uses_lost_marks("?We will act,? he said. ?It is time,? she added.")
    True
    >>> uses_lost_marks("Why? Because “it works”.")
    False
    """
    if any(ch in text for ch in '"“”'):
        return False
    return len(_LOST_MARK_RE.findall(text)) >= 2


def _lost_marks(text: str, start: int, end: int) -> list[Mark]:
    marks = []
    for i in range(start, end):
        if text[i] != "?":
            continue
        left = text[i - 1] if i > start else " "
        right = text[i + 1] if i + 1 < end else " "
        if left.isspace() and right.isalpha():
            marks.append(Mark(i, i + 1, True, Role.OPEN))
        elif left in ",.!" or (right.isspace() and left.isalpha() and right != "\n"):
            marks.append(Mark(i, i + 1, True, Role.CLOSE))
    return marks


def _classify(text: str, start: int, end: int) -> Mark | None:
    token = text[start:end]
    left = text[start - 1] if start > 0 else " "
    right = text[end] if end < len(text) else " "
    if token == ",,":
        return Mark(start, end, True, Role.OPEN) if right.isalpha() else None
    first = token[0]
    double = len(token) == 2 or first in DOUBLE_OPENERS + DOUBLE_CLOSERS + '"'
    if left.isalnum() and right.isalnum():
        if not double or _CONTRACTION.match(text, end):
            return None  # an apostrophe, possibly scraped into a double mark
        glued = {"“": Role.OPEN, "„": Role.OPEN, "”": Role.CLOSE, "»": Role.CLOSE}
        return Mark(start, end, True, glued.get(first, Role.EITHER))
    opens = left in _LEFT_OPEN_CONTEXT or left in DOUBLE_OPENERS + SINGLE_OPENERS
    closes = right in _RIGHT_CLOSE_CONTEXT or right in DOUBLE_CLOSERS + SINGLE_CLOSERS + '"'
    context = Role.OPEN if opens and not closes else Role.CLOSE if closes and not opens else None
    if double:
        if first in DOUBLE_OPENERS or token == "``" or token == "‘‘":
            return Mark(start, end, True, Role.CLOSE if context is Role.CLOSE else Role.OPEN)
        if first in DOUBLE_CLOSERS or token in ("''", "’’"):
            return Mark(start, end, True, Role.OPEN if context is Role.OPEN else Role.CLOSE)
        return Mark(start, end, True, context or Role.EITHER)
    if first in SINGLE_OPENERS:
        return Mark(start, end, False, Role.CLOSE if context is Role.CLOSE else Role.OPEN)
    if context is None:
        return None  # lone straight or curly apostrophe between spaces
    return Mark(start, end, False, context)


def find_quoted_spans(text: str, paragraphs: list[tuple[int, int]]) -> list[QuotedSpan]:
    """Pair marks paragraph by paragraph into quoted spans, repairing broken quotes.

    Double marks pair first; single marks are paired only outside double quotes, where
    they serve as the main marks (common in British, Indian and wire copy).

    >>> t = "“One,” he said, “two.\\n\\n“Three.”\\n\\nShe left “now"
    >>> from kg.nlp.paragraphs import paragraph_spans
    >>> [t[q.start:q.end] for q in find_quoted_spans(t, paragraph_spans(t))]
    ['One,', 'two.\\n\\n“Three.', 'now']
    """
    lost = uses_lost_marks(text)
    marks = [find_marks(text, start, end, lost) for start, end in paragraphs]
    doubles = _pair(text, paragraphs, marks, double=True, blocked=[])
    singles = _pair(text, paragraphs, marks, double=False, blocked=doubles)
    return sorted(doubles + singles, key=lambda q: q.start)


def _pair(
    text: str,
    paragraphs: list[tuple[int, int]],
    paragraph_marks: list[list[Mark]],
    double: bool,
    blocked: list[QuotedSpan],
) -> list[QuotedSpan]:
    spans: list[QuotedSpan] = []
    pending: Mark | None = None
    pending_paras = 0
    previous_end = 0
    blocked_iter = iter(sorted((q.outer_start, q.outer_end) for q in blocked))
    block = next(blocked_iter, None)

    def emit(opening: Mark, content_end: int, outer_end: int, closed: bool) -> None:
        content_end = max(content_end, opening.end)
        spans.append(
            QuotedSpan(
                opening.end, content_end, opening.start, outer_end, closed, double, pending_paras
            )
        )

    for (para_start, para_end), found in zip(paragraphs, paragraph_marks):
        marks = [m for m in found if m.double == double]
        if blocked:
            kept = []
            for m in marks:
                while block is not None and block[1] <= m.start:
                    block = next(blocked_iter, None)
                if block is None or not (block[0] <= m.start < block[1]):
                    kept.append(m)
            marks = kept
        if pending is not None:
            opens_paragraph = (
                marks and marks[0].start == para_start and marks[0].role is not Role.CLOSE
            )
            if double and opens_paragraph and pending_paras < MAX_CONTINUED_PARAGRAPHS:
                marks = marks[1:]
                pending_paras += 1
            else:
                if double:
                    emit(pending, previous_end, previous_end, False)
                pending, pending_paras = None, 0
        for mark in marks:
            role = mark.role
            if role is Role.EITHER:
                role = Role.CLOSE if pending is not None else Role.OPEN
            if role is Role.OPEN:
                if pending is not None and double:
                    emit(pending, _trim_end(text, mark.start), mark.start, False)
                pending, pending_paras = mark, 1
            elif pending is not None:
                emit(pending, mark.start, mark.end, True)
                pending, pending_paras = None, 0
        previous_end = para_end
    if pending is not None and double:
        emit(pending, previous_end, previous_end, False)
    return [q for q in spans if q.end > q.start]


def _trim_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end
