"""Quote-mark pairing: broken marks stay local; properties hold for any text."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.nlp.marks import find_quoted_spans, uses_lost_marks
from kg.nlp.paragraphs import paragraph_spans
from kg.nlp.text import Edit, OffsetMap


def spans(text):
    return [text[q.start : q.end] for q in find_quoted_spans(text, paragraph_spans(text))]


def test_curly_straight_and_glued_marks():
    assert spans('He said “we are ready”and left. She said "no way" twice.') == [
        "we are ready",
        "no way",
    ]


def test_unclosed_quote_is_repaired_at_paragraph_end_not_swallowing_the_rest():
    text = "The coach said “we were unlucky today.\n\nLater the team flew home.\n\n“Next week,” he said."
    got = spans(text)
    assert got[0] == "we were unlucky today."
    assert got[1] == "Next week,"


def test_multi_paragraph_quote_continues_when_next_paragraph_opens_with_a_mark():
    text = "“First part of the statement.\n\n“Second part of it.\n\n“Third and last,” she said."
    (only,) = spans(text)
    assert only.startswith("First part") and only.endswith("Third and last,")


def test_apostrophes_are_not_marks():
    assert spans("It’s the players’ union, and I”ve seen O’Brien’s notes.") == []


def test_single_quotes_as_main_marks():
    assert spans("'We will not back down,' the minister said.") == ["We will not back down,"]


def test_lost_marks_as_question_marks():
    text = "?We will act now,? he said. ?It is time,? she added."
    assert uses_lost_marks(text)
    assert spans(text) == ["We will act now,", "It is time,"]


@pytest.mark.parametrize(
    "para",
    [
        "The minister said “this is fine” and then “left early. Others stayed.\n\n",
        "The minister said it was fine and left early? Others stayed.\n\n",  # no double marks
    ],
)
def test_pairing_is_linear_on_a_one_megabyte_article(para):
    small, big = para * 500, para * 17000
    t0 = time.perf_counter()
    find_quoted_spans(small, paragraph_spans(small))
    t_small = time.perf_counter() - t0
    t0 = time.perf_counter()
    find_quoted_spans(big, paragraph_spans(big))
    t_big = time.perf_counter() - t0
    assert len(big) > 1_000_000
    assert t_big < 30 * 2 * max(t_small, 1e-3) + 1.0  # 30x the text, well under quadratic


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,\n“”\"'‘’?«»")), max_size=300))
def test_spans_are_ordered_inside_the_text_and_deterministic(text):
    paragraphs = paragraph_spans(text)
    first = find_quoted_spans(text, paragraphs)
    assert first == find_quoted_spans(text, paragraphs)
    for q in first:
        assert 0 <= q.outer_start <= q.start <= q.end <= q.outer_end <= len(text)


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=200),
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 3), st.text(max_size=3)), max_size=6),
)
def test_offset_map_round_trips(raw, edit_specs):
    edits = []
    for pos, length, new in edit_specs:
        start = min(pos, len(raw))
        edits.append(Edit(start, min(len(raw), start + length), new))
    m = OffsetMap.apply(raw, edits)
    for i in range(len(m.clean) + 1):
        assert 0 <= m.to_raw(i) <= len(raw)
        assert 0 <= m.to_raw_end(i) <= len(raw)


def test_short_header_lines_in_hard_wrapped_text_are_their_own_paragraphs():
    text = (
        "Press Office, Springfield, May 3\n"
        "RELEASE: 24-117\n"
        "The deputy director of the agency announced today that she has\n"
        "submitted a letter of resignation to the board and that she will\n"
        "leave her post at the end of the month, after serving the agency\n"
        "and the people of the state for more than eight years in office.\n"
    )
    paragraphs = [text[s:e] for s, e in paragraph_spans(text)]
    assert paragraphs[:2] == ["Press Office, Springfield, May 3", "RELEASE: 24-117"]
    assert paragraphs[2].startswith("The deputy director") and paragraphs[2].endswith("office.")


def test_hard_wrapped_lines_join_but_one_line_per_paragraph_does_not():
    """Text cut at a column joins into paragraphs; a scraped page with one newline per
    paragraph keeps each line apart, even one that lost its full stop."""
    wrapped = (
        "The council said on Monday that the bridge over the river would\n"
        "close for repairs in May and reopen before the start of the summer\n"
        "season, when traffic on the coast road is at its heaviest of the year.\n"
        "Engineers found cracks in two of the supports during a routine check\n"
        "last month, the council said.\n"
    )
    assert len(paragraph_spans(wrapped)) == 1
    scraped = (
        "A juror told the newspaper that the decision of the jury rested on the evidence "
        "presented over fourteen weeks of hearings in the city.\n"
        "There had been no single proof, she said, but a video showing the boxes being "
        "carried out of the offices against the order of a judge had been important\n"
        "The jury cleared him of eight further counts.\n"
        "The defence said it would appeal against the convictions as soon as the judge "
        "had set the date for the sentencing hearing, which it expects in the spring.\n"
        "Prosecutors declined to comment on the verdict when they left the courthouse.\n"
    )
    lines = [scraped[s:e] for s, e in paragraph_spans(scraped)]
    assert len(lines) == 5 and lines[2] == "The jury cleared him of eight further counts."
