"""An article's publication date: from a web page's metadata, or from the date lines of
its text: a labelled line ("Published: 22 May 2024"), a line near the top that is a date
and nothing else ("Sunday, December 1, 2024", "May 11, 2010 at 1:13 PM"), a byline's
date segment ("By Jo Roe | 2014-08-27 09:49") or a wire dateline ("WASHINGTON, Feb. 27,
2017 (Reuters) -"). A date inside running prose is the story's, never the article's.

The date itself is always read by a maintained parser (htmldate for pages, dateparser
for text); this module only finds the lines that carry one. Relative dates ("yesterday")
and dates without a day, month and year are not used: they cannot be placed.
"""

from __future__ import annotations

import calendar
import re
from functools import cache
from importlib import resources

HEAD_LINES = 12  # date lines sit in the header ...
TAIL_LINES = 4  # ... or in the footer of a scraped page
DATE_LINE_HEAD = 6  # an unlabelled date line counts only among the first lines
BYLINE_MAX_WORDS = 8  # the other parts of a byline are short: a name, a desk, an outlet
_PARSER_SETTINGS = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
}
# A wire dateline: a place, a comma, the date, an optional agency, a dash.
_DATELINE = re.compile(
    r"^[A-Z][A-Za-z .'-]{1,40},\s*(?P<value>[^\n(–—-]{6,40}?)\s*(?:\([^)\n]{1,30}\))?\s*[–—-]"
)
_BYLINE_BREAK = re.compile(r"\s*[|•·]\s*")
_SEGMENT_BREAK = re.compile(r"\s*[|•·]\s*|\s+[–—-]\s+")
# the words of a date-only line that are not names: numbers, ordinals, dates and times
# written with digits ("2nd", "2014-08-27", "09:49", "27/08/2014"), a time zone or offset
_NUMERIC_DATE_WORD = re.compile(
    r"^(?:\d{1,4}(?:st|nd|rd|th)?|\d{1,4}(?:[-/.:]\d{1,4}){1,2}(?:[T ]?\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|[+-]\d{2}:?\d{2}|[A-Z]{2,5}(?:[+-]\d{1,2})?)$"
)
_WORD_EDGE = ",.;()[]"
_SENTENCE_END = (".", "!", "?", '"', "”", "’", "'")


@cache
def _labels() -> tuple[str, ...]:
    """The labels of date lines, most trusted first (kg/data/date_labels.txt)."""
    text = resources.files("kg.data").joinpath("date_labels.txt").read_text("utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and line[0] != "#")


@cache
def _labelled_line() -> re.Pattern[str]:
    alternatives = "|".join(re.escape(label).replace(r"\ ", r"\s+") for label in _labels())
    return re.compile(
        rf"^[^\w\n]*(?P<label>{alternatives})\b(?:\s+(?:on|at))?\s*[:：\-–—]?\s*(?P<value>.{{4,80}})$",
        re.IGNORECASE,
    )


@cache
def _date_words() -> frozenset[str]:
    """Month and weekday names, their short forms, and kg/data/date_words.txt."""
    text = resources.files("kg.data").joinpath("date_words.txt").read_text("utf-8")
    words = {line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"}
    for names in (calendar.month_name, calendar.month_abbr, calendar.day_name, calendar.day_abbr):
        words.update(name.lower() for name in names if name)
    return frozenset(words)


def is_date_only(segment: str) -> bool:
    """Whether a line (or a byline's segment) holds a date and nothing else: month and
    weekday names, numbers, times, a time zone, "at" / "on" / "of".

    >>> is_date_only("Sunday, December 1, 2024"), is_date_only("May 11, 2010 at 1:13 PM")
    (True, True)
    >>> is_date_only("On May 3, 2020 the council voted"), is_date_only("12 people")
    (False, False)
    """
    words = [w.strip(_WORD_EDGE) for w in segment.split()]
    words = [w for w in words if w]
    if not words or len(words) > 10:
        return False
    return all(
        w.lower() in _date_words()
        or w.lower().rstrip(".") in _date_words()
        or _NUMERIC_DATE_WORD.match(w)
        for w in words
    )


def line_date(line: str) -> str | None:
    """The date of a line that is a date alone, or of a byline segment that is one, or
    None: a line of prose never gives one, whatever date it mentions.

    A byline is split at ``|``, ``•`` and spaced dashes; its other segments must be short
    (a name, a desk, an outlet, a stray "--": `_byline_part`) and the line no sentence.

    >>> line_date("Sunday, December 1, 2024"), line_date("2nd July 2002")
    ('2024-12-01', '2002-07-02')
    >>> line_date("By Jo Roe | 2014-08-27 09:49"), line_date("Aug. 8, 2013 — --")
    ('2014-08-27', '2013-08-08')
    >>> line_date("On May 3, 2020 the council voted to close the pool.") is None
    True
    >>> line_date("The council voted — May 3, 2020 — to close the pool") is None
    True
    """
    line = line.strip()
    if not line:
        return None
    if is_date_only(line):
        return _parse_whole(line)
    segments = [s for s in _SEGMENT_BREAK.split(line) if s.strip()]
    if len(segments) < 2 or line.endswith(_SENTENCE_END):
        return None
    for i, segment in enumerate(segments):
        others = segments[:i] + segments[i + 1 :]
        if is_date_only(segment) and all(_byline_part(o) for o in others):
            date = _parse_whole(segment)
            if date:
                return date
    return None


def _byline_part(segment: str) -> bool:
    """A byline's other part: short, and a name, a desk or an outlet rather than prose
    ("By Jo Roe", "Staff writer", "4 min read", "--"; not "the council voted").

    >>> [_byline_part(s) for s in ("By Jo Roe", "Metro desk", "--", "to close the pool")]
    [True, True, True, False]
    """
    words = segment.split()
    if len(words) > BYLINE_MAX_WORDS:
        return False
    if not any(ch.isalpha() for ch in segment) or words[0].lower() == "by":
        return True
    if any(ch.isdigit() for ch in segment):
        return True
    # prose has lower-case words of its own; a name or a desk at most one ("Metro desk")
    return sum(1 for w in words if len(w) > 3 and w[:1].islower()) <= 1


def _parse_whole(value: str) -> str | None:
    """dateparser's reading of the whole text, strict: a day, a month and a year."""
    import dateparser

    cleaned = " ".join(value.replace(",", ", ").split())
    found = dateparser.parse(cleaned, languages=["en"], settings=_PARSER_SETTINGS)
    if found is not None and 1800 <= found.year <= 2200:
        return found.date().isoformat()
    return None


def _label_rank(label: str) -> int:
    return _labels().index(" ".join(label.lower().split()))


def parse_date(value: str) -> str | None:
    """The ISO date (YYYY-MM-DD) a piece of text states, or None.

    Trailing words that are not part of the date (a time zone, "| Updated ...") are
    dropped until the parser accepts what is left.

    >>> parse_date("22 May 2024, 10:31 BST | Updated 23 May")
    '2024-05-22'
    >>> parse_date("Feb. 27, 2017"), parse_date("yesterday"), parse_date("12 people")
    ('2017-02-27', None, None)
    """
    import dateparser

    for segment in _SEGMENT_BREAK.split(value.strip())[:3]:
        words = segment.replace(",", ", ").split()
        for end in range(min(len(words), 8), 1, -1):
            found = dateparser.parse(
                " ".join(words[:end]), languages=["en"], settings=_PARSER_SETTINGS
            )
            if found is not None and 1800 <= found.year <= 2200:
                return found.date().isoformat()
    return None


def text_date(text: str) -> str | None:
    """The date a plain-text article gives: a labelled line (the most trusted label
    first), else the first of its first lines that is a date alone or a byline with a
    date (`line_date`), else a wire dateline.

    >>> text_date("City hall reopens\\nPublished: 22 May 2024\\nThe mayor said ...")
    '2024-05-22'
    >>> text_date("LISBON, March 4, 2021 (Wire) - The mayor said ...")
    '2021-03-04'
    >>> text_date("City hall reopens\\nBy Jo Roe | 2021-03-04 09:49\\nThe mayor said ...")
    '2021-03-04'
    >>> text_date("The vote is on 4 March 2021, the mayor said.") is None
    True
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    candidates = lines[:HEAD_LINES] + lines[HEAD_LINES:][-TAIL_LINES:]
    labelled = []
    for line in candidates:
        for segment in _BYLINE_BREAK.split(line):  # "By Jo Roe | Posted on ..."
            match = _labelled_line().match(segment)
            if match:
                labelled.append((_label_rank(match["label"]), match["value"]))
    for _, value in sorted(labelled, key=lambda item: item[0]):
        date = parse_date(value)
        if date:
            return date
    for line in lines[:DATE_LINE_HEAD]:
        date = line_date(line)
        if date:
            return date
    for line in lines[:HEAD_LINES]:
        match = _DATELINE.match(line)
        if match:
            date = parse_date(match["value"])
            if date:
                return date
    return None


def html_date(html: str) -> str | None:
    """The publication date in a web page's metadata (meta tags, JSON-LD, time elements),
    read by htmldate; the original date rather than the last update.

    >>> html_date('<html><head><meta property="article:published_time" content="2024-05-22T08:00:00Z"></head><body><p>x</p></body></html>')
    '2024-05-22'
    """
    import logging

    from htmldate import find_date

    logging.getLogger("htmldate").setLevel(logging.ERROR)
    try:
        return find_date(html, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except (ValueError, TypeError):
        return None
