"""SPARQL results in the W3C formats, written row by row with a cap on the rows.

SELECT and ASK: SPARQL 1.1 Query Results JSON (``srj``), XML (``srx``), CSV and TSV.
CONSTRUCT and DESCRIBE: Turtle, N-Triples, JSON-LD, RDF/XML (through pyoxigraph's writers).
The writers are kg's own (not ``QuerySolutions.serialize``) so that a result can stop
at ``max_rows`` instead of being written whole first: a result past the cap is an error
(`TooManyRows`), never silently cut.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# media type -> short name, in the order a server prefers them
SOLUTION_TYPES = {
    "application/sparql-results+json": "srj",
    "application/sparql-results+xml": "srx",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
BOOLEAN_TYPES = {
    "application/sparql-results+json": "srj",
    "application/sparql-results+xml": "srx",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
ALIASES = {  # what clients also send, and the ?format= short names
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/plain": "application/n-triples",
    "application/x-turtle": "text/turtle",
    "srj": "application/sparql-results+json",
    "json": "application/sparql-results+json",
    "srx": "application/sparql-results+xml",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


class TooManyRows(Exception):
    """The result has more rows (or triples) than the cap allows."""

    def __init__(self, cap: int) -> None:
        super().__init__(
            f"the result has more than {cap} rows (the server's --max-rows); add a LIMIT "
            f"(and OFFSET to page through it)"
        )
        self.cap = cap


@dataclass(frozen=True)
class Written:
    media_type: str
    body: bytes
    rows: int


def preferences(accept: str | None) -> list[str]:
    """Media types of an Accept header, most wanted first (q-values, then order).

    >>> preferences("text/csv;q=0.5, application/sparql-results+json, */*;q=0.1")
    ['application/sparql-results+json', 'text/csv', '*/*']
    >>> preferences("application/json;q=0")
    []
    """
    ranked = []
    for position, item in enumerate((accept or "").split(",")):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        if not media:
            continue
        quality = 1.0
        for p in parts[1:]:
            if p.startswith("q="):
                try:
                    quality = float(p[2:])
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, ALIASES.get(media, media)))
    return [media for _, _, media in sorted(ranked)]


def choose(wanted: list[str], offered: Iterable[str]) -> str | None:
    """The first wanted media type that is offered (``*/*`` and ``type/*`` match the
    first offered one); the first offered when nothing was asked; None when none fits.

    >>> choose(["text/html", "application/*"], ["text/csv", "application/sparql-results+xml"])
    'application/sparql-results+xml'
    >>> choose([], ["text/turtle"]), choose(["image/png"], ["text/turtle"])
    ('text/turtle', None)
    """
    offered = list(offered)
    if not wanted:
        return offered[0]
    for media in wanted:
        if media in offered:
            return media
        if media == "*/*":
            return offered[0]
        if media.endswith("/*"):
            family = media[:-1]
            for candidate in offered:
                if candidate.startswith(family):
                    return candidate
    return None


def capped(items: Iterable, cap: int | None) -> Iterator:
    """The items, raising `TooManyRows` when there is one more than `cap`."""
    for count, item in enumerate(items):
        if cap is not None and count >= cap:
            raise TooManyRows(cap)
        yield item


# -- SELECT ---------------------------------------------------------------------------------
def write_solutions(variables: list[str], solutions: Iterable, fmt: str) -> tuple[bytes, int]:
    """Solutions (mappings of variable name -> pyoxigraph term or None) in `fmt`."""
    writer = {"srj": _json_solutions, "srx": _xml_solutions, "csv": _csv, "tsv": _tsv}[fmt]
    out = io.StringIO()
    rows = writer(variables, solutions, out)
    return out.getvalue().encode("utf-8"), rows


def write_boolean(value: bool, fmt: str) -> bytes:
    """An ASK answer.

    >>> write_boolean(True, "srj")
    b'{"head": {}, "boolean": true}'
    """
    if fmt == "srx":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{str(value).lower()}</boolean></sparql>\n"
        ).encode()
    return json.dumps({"head": {}, "boolean": value}).encode()


def json_term(term) -> dict:
    """A term as SPARQL JSON results write it.

    >>> json_term(ox.Literal("Hallo", language="de"))
    {'type': 'literal', 'value': 'Hallo', 'xml:lang': 'de'}
    >>> json_term(ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    {'type': 'literal', 'value': '3', 'datatype': 'http://www.w3.org/2001/XMLSchema#integer'}
    """
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        found = {"type": "literal", "value": term.value}
        if term.language:
            found["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            found["datatype"] = term.datatype.value
        return found
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": json_term(term.subject),
                "predicate": json_term(term.predicate),
                "object": json_term(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def _json_solutions(variables, solutions, out) -> int:
    out.write(json.dumps({"head": {"vars": variables}})[:-1])
    out.write(', "results": {"bindings": [')
    rows = 0
    for solution in solutions:
        rows += 1
        if rows > 1:
            out.write(",")
        binding = {v: json_term(solution[v]) for v in variables if solution[v] is not None}
        out.write(json.dumps(binding, ensure_ascii=False))
    out.write("]}}")
    return rows


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return (
                f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            )
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    raise TypeError(f"not an RDF term: {term!r}")


def _xml_solutions(variables, solutions, out) -> int:
    out.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">')
    out.write("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables))
    out.write("</head><results>")
    rows = 0
    for solution in solutions:
        rows += 1
        out.write("<result>")
        for v in variables:
            if solution[v] is not None:
                out.write(f"<binding name={quoteattr(v)}>{_xml_term(solution[v])}</binding>")
        out.write("</result>")
    out.write("</results></sparql>\n")
    return rows


def _csv(variables, solutions, out) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    rows = 0
    for solution in solutions:
        rows += 1
        writer.writerow(["" if solution[v] is None else _plain(solution[v]) for v in variables])
    return rows


def _plain(term) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if hasattr(term, "value") else str(term)


def _tsv(variables, solutions, out) -> int:
    # TSV writes terms in Turtle syntax (N-Triples form escapes tabs and line breaks)
    out.write("\t".join(f"?{v}" for v in variables) + "\n")
    rows = 0
    for solution in solutions:
        rows += 1
        out.write("\t".join("" if solution[v] is None else str(solution[v]) for v in variables))
        out.write("\n")
    return rows


# -- CONSTRUCT / DESCRIBE --------------------------------------------------------------------
def write_triples(triples: Iterable, media_type: str) -> tuple[bytes, int]:
    """Triples in an RDF syntax, with kg's prefixes where the syntax has them."""
    from kg.rdf.vocab import PREFIXES

    kept = list(triples)
    fmt = GRAPH_TYPES[media_type]
    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        body = ox.serialize(kept, format=fmt, prefixes=prefixes)
    else:
        body = ox.serialize(kept, format=fmt)
    return body or b"", len(kept)
