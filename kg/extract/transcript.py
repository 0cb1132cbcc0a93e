"""Transcript and interview layouts: speaker labels and question/answer paragraphs.

Two conventions of news pages that print talk rather than report it:

- a speaker label opens the paragraph: ``Official Spokesperson, Jane Roe: We have ...``
  or ``SMITH: ...``; the rest of the paragraph is that speaker's words;
- an interview printed as questions and answers: a paragraph that is one question is
  followed by the interviewee's unmarked answer.

These are plain functions of the article text (character offsets in, spans out); the
attribution stage decides who the label or the interviewee is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.extract.lexicon import Lexicon, load_lexicon
from kg.nlp.pipeline import DATELINE

MAX_LABEL_WORDS = 8
MAX_QUESTION_WORDS = 30
# a label may open a quoted transcript ('"PENCE: Well, look, ...'): the mark is not its
_LABEL = re.compile(r"^[ \t]*[\"“]?(?P<label>[^:\n\"“”‘’]{1,90}?)[ \t]*:[ \t]+(?=\S)")
_MARKS = re.compile(r"[\"“”„«»]")


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int  # exclusive, trailing spaces trimmed

    def text(self, article: str) -> str:
        return article[self.start : self.end]


def paragraphs(text: str) -> list[Paragraph]:
    """Non-blank lines of the text with their offsets.

    >>> [p.text("a\\n\\n b \\nc") for p in paragraphs("a\\n\\n b \\nc")]
    ['a', 'b', 'c']
    """
    out = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group(0)
        if line.strip():
            start = match.start() + len(line) - len(line.lstrip())
            out.append(Paragraph(start, match.start() + len(line.rstrip())))
    return out


@dataclass(frozen=True)
class Labelled:
    """A paragraph opened by a speaker label: label and words as character spans."""

    label_start: int
    label_end: int
    start: int
    end: int
    question: bool


def speaker_labels(text: str, lexicon: Lexicon | None = None) -> Iterator[Labelled]:
    """Paragraphs that start with a short label and a colon.

    Whether the label names a speaker is for the caller to decide (it has the parse).

    >>> t = "Jane Roe: We will cut taxes.\\nQ: When?\\nAt 10:30 the bus left."
    >>> [(t[l.label_start:l.label_end], t[l.start:l.end], l.question) for l in speaker_labels(t)]
    [('Jane Roe', 'We will cut taxes.', False), ('Q', 'When?', True)]
    """
    question_labels = (lexicon or load_lexicon()).question_labels
    for para in paragraphs(text):
        line = para.text(text)
        match = _LABEL.match(line)
        if match is None or DATELINE.match(line):
            continue  # "Margao (Goa) [India]: ...": a wire dateline, not a speaker
        label = match.group("label").strip()
        words = label.split()
        if not words or len(words) > MAX_LABEL_WORDS or label[-1:] in ".!?,":
            continue
        question = label.lower().rstrip(".") in question_labels or label.lower().startswith(
            "question"
        )
        label_start = para.start + line.index(label)
        yield Labelled(
            label_start, label_start + len(label), para.start + match.end(), para.end, question
        )


_LABEL_LINE = re.compile(r"^[ \t]*(?P<label>[^:\n\"“”‘’]{1,90}?)[ \t]*:[ \t]*$")


def label_lines(text: str) -> Iterator[tuple[int, int, Paragraph]]:
    """Lines that are only a label and a colon ("Jane Roe, chair of the board:") with the
    paragraph they introduce: (label start, label end, next paragraph).

    >>> t = "Jane Roe, chair:\\n\\n“We will fight it.”\\nNotes:"
    >>> [(t[s:e], p.text(t)) for s, e, p in label_lines(t)]
    [('Jane Roe, chair', '“We will fight it.”')]
    """
    paras = paragraphs(text)
    for para, following in zip(paras, paras[1:]):
        match = _LABEL_LINE.match(para.text(text))
        if match is None or len(match.group("label").split()) > MAX_LABEL_WORDS:
            continue
        start = para.start + match.start("label")
        yield start, start + len(match.group("label")), following


def is_question(line: str) -> bool:
    """A paragraph that is a single question, with no quotation marks.

    >>> is_question("How do you feel now?"), is_question("He asked why. Nobody knew?!")
    (True, False)
    """
    line = line.strip()
    return (
        line.endswith("?")
        and len(line.split()) <= MAX_QUESTION_WORDS
        and not _MARKS.search(line)
        and not re.search(r"[.!?]\s", line[:-1])
    )


def interview_answers(text: str, min_pairs: int = 2) -> list[tuple[Paragraph, Paragraph]]:
    """(question, answer) paragraphs of an interview printed as Q&A.

    An answer is the paragraph right after a one-question paragraph, when it is neither a
    question nor quoted. Fewer than `min_pairs` pairs is not an interview layout.

    >>> t = "Intro.\\nHow was it?\\nGood. We won.\\nWhat next?\\nRest, then training."
    >>> [a.text(t) for _, a in interview_answers(t)]
    ['Good. We won.', 'Rest, then training.']
    """
    paras = paragraphs(text)
    pairs = []
    for question, answer in zip(paras, paras[1:]):
        body = answer.text(text)
        if (
            is_question(question.text(text))
            and not body.rstrip().endswith("?")
            and not _MARKS.search(body)
            and len(body.split()) >= 3
        ):
            pairs.append((question, answer))
    return pairs if len(pairs) >= min_pairs else []
