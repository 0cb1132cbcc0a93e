"""An article's publication date: from a web page's metadata, or from the date lines of
its text ("Published: 22 May 2024", "WASHINGTON, Feb. 27, 2017 (Reuters) -").

The date itself is always read by a maintained parser (htmldate for pages, dateparser
for text); this module only finds the lines that carry one. Relative dates ("yesterday")
and dates without a day, month and year are not used: they cannot be placed.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

HEAD_LINES = 12  # date lines sit in the header ...
TAIL_LINES = 4  # ... or in the footer of a scraped page
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
    """The date a plain-text article gives in a labelled line or a dateline.

    >>> text_date("City hall reopens\\nPublished: 22 May 2024\\nThe mayor said ...")
    '2024-05-22'
    >>> text_date("LISBON, March 4, 2021 (Wire) - The mayor said ...")
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
