"""Paragraph spans of raw article text, joining hard-wrapped lines."""

from __future__ import annotations

import re
from statistics import median

_BLOCK_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*")
_TERMINAL = tuple('.!?:;"”’»)]')
# hard-wrapped text: cut at a column of 45 to 120 characters, nine lines in ten no
# longer than 1.25 times the median
WRAP_MIN_COLUMNS, WRAP_MAX_COLUMNS, WRAP_SPREAD = 45, 120, 1.25
_SIGNED = re.compile(r"[”\"’»][^\S\n]*[—–―‒][^\S\n]*[A-Z][^\n—–―‒.!?]{1,60}\.?[^\S\n]*$")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Split `text` into paragraphs: blank lines always break; a single newline breaks
    unless the lines around it are one hard-wrapped paragraph.

    >>> t = "Head line\\n\\nHe said it was a long\\nday for all of us.\\nThen he left."
    >>> [t[s:e] for s, e in paragraph_spans(t)]
    ['Head line', 'He said it was a long\\nday for all of us.', 'Then he left.']
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for match in _BLOCK_BREAK.finditer(text):
        spans.extend(_block_paragraphs(text, pos, match.start()))
        pos = match.end()
    spans.extend(_block_paragraphs(text, pos, len(text)))
    return [(s, e) for s, e in spans if e > s]


def _block_paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    pos = start
    while pos <= end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        lines.append(_strip(text, pos, stop))
        if nl < 0:
            break
        pos = nl + 1
    lines = [(s, e) for s, e in lines if e > s]
    if not lines:
        return []
    widths = [e - s for s, e in lines]
    typical = median(widths[:-1]) if len(widths) > 1 else widths[0]
    wrapped = len(lines) >= 3 and _has_wrap_column(widths[:-1])
    paragraphs = [lines[0]]
    for prev, line in zip(lines, lines[1:]):
        if _continues(text, prev, line, wrapped, typical):
            paragraphs[-1] = (paragraphs[-1][0], line[1])
        else:
            paragraphs.append(line)
    return paragraphs


def _has_wrap_column(widths: list[int]) -> bool:
    """Whether lines of these widths were cut at a fixed column: most as long as the
    median, few longer, and that column a terminal's width. Lines of a paragraph each
    (a scraped page with one newline between paragraphs) vary far more, and are longer.

    >>> _has_wrap_column([72, 70, 71, 68, 72, 40, 71])
    True
    >>> _has_wrap_column([109, 187, 64, 148, 120, 95, 160])
    False
    """
    typical = median(widths)
    if not WRAP_MIN_COLUMNS <= typical <= WRAP_MAX_COLUMNS:
        return False
    ordered = sorted(widths)
    return ordered[int(0.9 * (len(ordered) - 1))] <= WRAP_SPREAD * typical


def _continues(
    text: str, prev: tuple[int, int], line: tuple[int, int], wrapped: bool, typical: float
) -> bool:
    last = text[prev[1] - 1]
    first = text[line[0]]
    if first in "•·▪●◦*" or text[prev[0]] in "•·▪●◦*":
        return False
    if _SIGNED.search(text, prev[0], prev[1]):
        return False  # “...” ― Jane Roe: a signature closes its paragraph
    ends_sentence = last in _TERMINAL
    if wrapped:
        width = prev[1] - prev[0]
        if width < 0.6 * typical:
            return False  # a wrapped line is nearly full: a short one is a heading or a byline
        return not (ends_sentence and width < 0.75 * typical)
    return not ends_sentence and (first.islower() or first in ",;")


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\r\u00a0":
        start += 1
    while end > start and text[end - 1] in " \t\r\u00a0":
        end -= 1
    return start, end
