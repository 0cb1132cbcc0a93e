"""An article's exact text from the store: what every quote's offsets point into."""

from __future__ import annotations

from kg.errors import UsageError

_LOOKUP = """
SELECT ?doc ?text WHERE {
  VALUES ?key { KEY }
  GRAPH ?g {
    ?article a schema:NewsArticle ; kg:docName ?doc ; nif:isString ?text .
    { ?article kg:docName ?key } UNION { ?article schema:identifier ?key }
    UNION { ?article schema:url ?url FILTER(STR(?url) = STR(?key)) }
  }
}
"""


def article_text(store, doc: str) -> str:
    """The stored text (`nif:isString`) of the article named `doc`: its doc name as in
    quotes.jsonl, its id or its url. Raises `UsageError` with the closest names otherwise."""
    import pyoxigraph as ox

    found = {
        row["doc"].value: row["text"].value
        # the name goes in as an RDF term written by Oxigraph: never pasted SPARQL text
        for row in store.query(_LOOKUP.replace("KEY", str(ox.Literal(doc))))
    }
    if len(found) == 1:
        return next(iter(found.values()))
    if len(found) > 1:
        raise UsageError(f"{doc!r} names {len(found)} articles: " + ", ".join(sorted(found)))
    raise UsageError(f"no article {doc!r} in the store" + _did_you_mean(store, doc))


def _did_you_mean(store, doc: str) -> str:
    from rapidfuzz import process

    names = [
        row["doc"].value
        for row in store.query("SELECT DISTINCT ?doc WHERE { GRAPH ?g { ?a kg:docName ?doc } }")
    ]
    close = [name for name, score, _ in process.extract(doc, names, limit=3) if score >= 60]
    return f"; did you mean {', '.join(close)}?" if close else ""
