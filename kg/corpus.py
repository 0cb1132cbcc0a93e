"""The stages over a corpus: map (ingest -> nlp -> extract) then reduce (resolve).

The map step is a pure function of one article plus shared read-only resources, so
`kg.build` runs it in worker processes or on Dask; the reduce step, `resolve_corpus`,
needs only the small extracted records, never the texts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from kg.extract import ArticleQuotes, Mention, Quote, Speaker, extract_quotes
from kg.extract.sieves import SievePipeline
from kg.extract.topics import Taxonomy, default_taxonomy
from kg.ingest import Article, Skipped
from kg.nlp import load_pipeline, parse_articles
from kg.resolve import AliasTable, canonical_people, cluster_statements
from kg.resolve.people import is_spelling_of, prefer_corpus_spelling


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
    """Canonical people across articles, then one statement id per cross-article statement."""
    aliases = aliases or AliasTable()
    corpus = Corpus(wikidata=dict(aliases.wikidata))
    variants_by_article = {}
    for item in extracted:
        corpus.articles.append(item.info)
        corpus.quotes.extend(item.quotes.quotes)
        variants_by_article[item.info.id] = item.quotes.people
    frequency = Counter(q.speaker.name for q in corpus.quotes if q.speaker.kind == "person")
    for q in corpus.quotes:
        renamed = prefer_corpus_spelling(variants_by_article[q.article_id], frequency)
        if q.speaker.kind == "person" and q.speaker.name in renamed:
            q.speaker = replace(q.speaker, name=renamed[q.speaker.name])
        q.mentions = [
            replace(m, name=renamed[m.name]) if m.kind == "person" and m.name in renamed else m
            for m in q.mentions
        ]
    names = [q.speaker.name for q in corpus.quotes if q.speaker.kind == "person"]
    names += [n for q in corpus.quotes for n in (q.via, q.addressee) if n]
    canonical = canonical_people(names, aliases)
    for q in corpus.quotes:
        if q.speaker.kind == "person":
            q.speaker = replace(q.speaker, name=canonical.get(q.speaker.name, q.speaker.name))
        q.via = canonical.get(q.via, q.via) if q.via else None
        q.addressee = canonical.get(q.addressee, q.addressee) if q.addressee else None
        # a person the quote names is the same node as that person speaking
        q.mentions = [_canonical_mention(m, canonical, aliases) for m in q.mentions]
    for article_id, people in variants_by_article.items():
        corpus.alternate_names[article_id] = _alternate_names(people, canonical, aliases)
    keys = [f"{q.article_id}:{q.start}:{q.end}" for q in corpus.quotes]
    ids = cluster_statements([(k, q.speaker.name, q.text) for k, q in zip(keys, corpus.quotes)])
    for q, statement in zip(corpus.quotes, ids):
        q.statement = statement
    return corpus


def _canonical_mention(mention: Mention, canonical: dict[str, str], aliases: AliasTable) -> Mention:
    """A mentioned person or organisation under the corpus's name for it (the speakers'
    canonical names, then the alias file's); places keep their names."""
    if mention.kind not in ("person", "organization"):
        return mention
    name = canonical.get(mention.name) or aliases.lookup(mention.name) or mention.name
    return mention if name == mention.name else replace(mention, name=name)


def _alternate_names(
    people: dict[str, list[str]], canonical: dict[str, str], aliases: AliasTable
) -> dict[str, list[str]]:
    """Other spellings of each person one article names: its own variants plus the alias file's."""
    result = {}
    for name, variants in people.items():
        main = canonical.get(name, name)
        spelt = {v for v in (name, *variants) if is_spelling_of(v, main)}
        others = (spelt | set(aliases.aliases_of(main))) - {main}
        if others:
            result[main] = sorted(others)
    return result


__all__ = [
    "ArticleInfo",
    "Corpus",
    "Extracted",
    "Speaker",
    "extract_article",
    "extract_stream",
    "resolve_corpus",
]
