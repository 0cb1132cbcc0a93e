"""An article's date from its own lines: a labelled line, a line among the first that is
a date and nothing else (a weekday, an ordinal, a time allowed), or the date segment of a
byline; never a date the story mentions in its prose."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.ingest.dates import DATE_LINE_HEAD, is_date_only, line_date, text_date

from .conftest import kg

HEADLINE = "Ferry service returns to the island"
BODY = (
    'The harbour master said "the ferry will run twice a day from Monday," and added '
    "that the old pier would be repaired by June 3, 2019."
)

# the date lines of news pages, as plain text keeps them (dates and names made up)
DATE_LINES = [
    ("October 14, 2016, 9:05 AM", "2016-10-14"),  # a date and a time
    ("March 2, 2011 at 4:47 PM", "2011-03-02"),  # ... joined by "at"
    ("Thursday, February 6, 2025", "2025-02-06"),  # a weekday first
    ("3rd August 2004", "2004-08-03"),  # an ordinal day
    ("21 June 2022, 07:15", "2022-06-21"),  # day first, a 24-hour time
    ("Tues., Sept. 9, 2015", "2015-09-09"),  # abbreviations with full stops
    ("By Sam Ortega | 2016-11-03 18:22", "2016-11-03"),  # a byline's date segment
    ("Sept. 9, 2015 — --", "2015-09-09"),  # a date and the dashes of an empty field
    ("Staff reporter — 12 March 2022 — Metro desk", "2022-03-12"),
    ("5 January 2023 · 4 min read", "2023-01-05"),
    ("Published: 4 March 2021", "2021-03-04"),  # labelled lines, as before
    ("Updated 11:20 AM EST, Wed Jan 8, 2025", "2025-01-08"),
    ("Posted on 30 November 2018 by Kim Ode", "2018-11-30"),
]

# dates inside running prose are the story's: none of these dates the article
PROSE = [
    "On May 3, 2020 the council voted to close the pool.",
    "The council voted — May 3, 2020 — to close the pool",
    "By March 4, 2021 the pool had reopened | officials said it was safe",
    "Council to vote on 12 June 2019",
    "March 3, 2020: the first case was found in the port",
    "2020",  # a year alone: no day, no month
    "May 3",  # no year
]


@pytest.mark.parametrize("line, date", DATE_LINES, ids=[line for line, _ in DATE_LINES])
def test_a_date_line_among_the_first_lines_dates_the_article(line, date):
    assert text_date(f"{HEADLINE}\n{line}\n{BODY}") == date


@pytest.mark.parametrize("line", PROSE)
def test_a_date_in_prose_does_not_date_the_article(line):
    assert line_date(line) is None
    assert text_date(f"{HEADLINE}\n{line}\n{BODY}") is None


def test_a_date_line_counts_only_near_the_top():
    filler = "\n".join(f"Paragraph {n} of the story." for n in range(DATE_LINE_HEAD))
    assert text_date(f"{HEADLINE}\n{filler}\nThursday, February 6, 2025\n{BODY}") is None
    assert text_date(f"{HEADLINE}\nThursday, February 6, 2025\n{filler}\n{BODY}") == "2025-02-06"


def test_a_labelled_publication_date_wins_over_an_unlabelled_line():
    text = f"{HEADLINE}\nThursday, February 6, 2025\nPublished: 4 February 2025\n{BODY}"
    assert text_date(text) == "2025-02-04"


FORMATS = ["%B %d, %Y", "%d %B %Y", "%A, %B %d, %Y", "%b. %d, %Y, %I:%M %p", "%Y-%m-%d %H:%M"]


@settings(max_examples=60, deadline=None)
@given(
    day=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
    fmt=st.sampled_from(FORMATS),
)
def test_any_date_alone_is_read_and_the_same_date_in_a_sentence_is_not(day, fmt):
    written = dt.datetime.combine(day, dt.time(14, 5)).strftime(fmt)
    assert is_date_only(written)
    assert line_date(written) == day.isoformat()
    assert line_date(f"The mayor said on {written} that the pool would open.") is None


def test_every_quote_of_a_folder_of_such_articles_has_its_date(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    expected = {}
    for number, (line, date) in enumerate(DATE_LINES):
        name = f"story-{number:02d}.txt"
        (docs / name).write_text(
            f"{HEADLINE} {number}\n{line}\n"
            f'"The ferry will run twice a day from Monday," harbour master Ana Ruiz said.\n',
            encoding="utf-8",
        )
        expected[name] = date
    out = tmp_path / "out"
    kg("build", str(docs), "--out", str(out), "--quiet")
    records = [json.loads(line) for line in (out / "quotes.jsonl").read_text().splitlines()]
    assert {r["doc"] for r in records} == set(expected)  # every article has its quote
    assert {r["doc"]: r["date"] for r in records} == expected
