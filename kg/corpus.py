"""The stages over a corpus: map (ingest -> nlp -> extract) then reduce (resolve).

The map step is a pure function of one article plus shared read-only resources, so
`kg.build` runs it in worker processes or on Dask; the reduce step, `resolve_corpus`,
needs only the small extracted records, never the texts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from kg.extract import ArticleQuotes, Quote, Speaker, extract_quotes
from kg.extract.sieves import SievePipeline
from kg.extract.topics import Taxonomy, default_taxonomy
from kg.ingest import Article, Skipped
from kg.nlp import load_pipeline, parse_articles
from kg.resolve import AliasTable, Resolution, resolve_quotes


@dataclass(frozen=True)
class ArticleInfo:
    """What the graph keeps of an article: identity, metadata and the exact text that
    every offset of its quotes and evidence points into."""

    id: str
    doc: str
    path: str
    length: int
    title: str | None = None
    url: str | None = None
    date: str | None = None
    outlet: str | None = None
    text: str = ""
    source: str = ""
    content_hash: str = ""

    @classmethod
    def of(cls, article: Article) -> ArticleInfo:
        return cls(
            article.id,
            article.doc,
            article.path,
            len(article.text),
            article.title,
            article.url,
            article.date,
            article.outlet,
            article.text,
            article.source,
            article.content_hash,
        )

    def without_text(self) -> ArticleInfo:
        """The small record the reduce step and the outputs need (`length` is kept)."""
        return replace(self, text="")

    def provenance(self) -> dict:
        """Where a quote of this article comes from, as `quotes.jsonl` gives it."""
        return {
            "article": self.id,
            "url": self.url,
            "title": self.title,
            "outlet": self.outlet,
            "date": self.date,
        }


@dataclass
class Extracted:
    """The map step's output for one article."""

    info: ArticleInfo
    quotes: ArticleQuotes
    notes: list[str] = field(default_factory=list)


@dataclass
class Corpus:
    """The reduce step's output: resolved quotes of every article, and what was skipped."""

    articles: list[ArticleInfo] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    limited: list[tuple[str, str]] = field(default_factory=list)
    wikidata: dict[str, str] = field(default_factory=dict)
    alternate_names: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # merges with their rules, conflicting attributions (kg.resolve.reduce.Resolution)
    resolution: Resolution = field(default_factory=Resolution)
    timings: dict[str, float] = field(default_factory=dict)


def extract_article(
    article: Article, taxonomy: Taxonomy | None = None, pipeline: SievePipeline | None = None
) -> Extracted:
    """The whole per-article map step for one article."""
    parsed = next(parse_articles([article]))
    return Extracted(ArticleInfo.of(article), extract_quotes(parsed, taxonomy, pipeline))


def extract_stream(
    articles: Iterable[Article],
    taxonomy: Taxonomy | None = None,
    max_quotes: int = 2000,
    pipeline: SievePipeline | None = None,
) -> Iterator[Extracted]:
    """Extract articles in order, batching the parser; memory holds one batch."""
    taxonomy = taxonomy or default_taxonomy()
    for parsed in parse_articles(articles, load_pipeline()):
        result = extract_quotes(parsed, taxonomy, pipeline)
        notes = []
        if len(result.quotes) > max_quotes:
            notes.append(
                f"kept the first {max_quotes} of {len(result.quotes)} quotes (raise --max-quotes)"
            )
            result.quotes = result.quotes[:max_quotes]
        yield Extracted(ArticleInfo.of(parsed.article), result, notes)


def resolve_corpus(extracted: Iterable[Extracted], aliases: AliasTable | None = None) -> Corpus:
    """The reduce step (`kg.resolve.resolve_quotes`): one agent per person across the
    corpus, statement ids, conflicting attributions. Needs only the small per-article
    records, one pass over them, never the texts."""
    aliases = aliases or AliasTable()
    corpus = Corpus(wikidata=dict(aliases.wikidata))
    people_by_article = {}
    for item in extracted:
        corpus.articles.append(item.info)
        corpus.quotes.extend(item.quotes.quotes)
        people_by_article[item.info.id] = item.quotes.people
    resolution = resolve_quotes(corpus.quotes, people_by_article, aliases)
    corpus.alternate_names = resolution.alternate_names
    corpus.resolution = resolution
    return corpus


__all__ = [
    "ArticleInfo",
    "Corpus",
    "Extracted",
    "Speaker",
    "extract_article",
    "extract_stream",
    "resolve_corpus",
]
