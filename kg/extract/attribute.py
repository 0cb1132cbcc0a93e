"""The attribution stage's entry point: one parsed article in, its attributed quotes out.

The work is done by registered sieves (`kg.extract.sieves`) that the runner
(`kg.extract.runner`) applies in the order `kg/extract/pipeline.toml` gives, over the
article's read-only context and entity table (`kg.extract.context`,
`kg.extract.entities`). Every quote records the sieves that decided it and the spans of
text the decision rests on.
"""

from __future__ import annotations

from kg.extract.context import ArticleContext
from kg.extract.lexicon import Lexicon
from kg.extract.model import ArticleQuotes
from kg.extract.runner import Run, Runner, to_quotes
from kg.extract.sieves.registry import SievePipeline
from kg.extract.topics import Taxonomy, default_taxonomy
from kg.nlp.pipeline import ParsedArticle


def attribute(
    parsed: ParsedArticle,
    pipeline: SievePipeline | None = None,
    lexicon: Lexicon | None = None,
) -> Run:
    """Run the attribution sieves over one article; the `Run` keeps every decision."""
    return Runner(ArticleContext(parsed, lexicon), pipeline).run()


def extract_quotes(
    parsed: ParsedArticle,
    taxonomy: Taxonomy | None = None,
    pipeline: SievePipeline | None = None,
    lexicon: Lexicon | None = None,
) -> ArticleQuotes:
    """All attributed quotes of one parsed article (no cross-article work here).

    A pure function of the article and the shared read-only `taxonomy`, `pipeline` and
    `lexicon`.
    """
    run = attribute(parsed, pipeline, lexicon)
    quotes = to_quotes(run, taxonomy or default_taxonomy())
    people = {p.name: sorted(p.variants) for p in run.ctx.entities.people}
    return ArticleQuotes(parsed.article.id, parsed.article.doc, quotes, people)
