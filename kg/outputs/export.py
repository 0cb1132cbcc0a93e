"""Standard RDF files from the store: Turtle, N-Triples, TriG, N-Quads and JSON-LD.

Turtle and N-Triples hold the union of all article graphs, each triple once, in sorted
order (so equal graphs give equal files); TriG and N-Quads keep the named graphs. These
four are written by Oxigraph as they are read: TriG and N-Quads stream straight from the
store, while Turtle and N-Triples need Oxigraph to sort the distinct triples first (memory
in proportion to the store, far less than a Python graph). JSON-LD goes through rdflib to
get a compact document with a context.
"""

from __future__ import annotations

import io
from typing import BinaryIO

import pyoxigraph as ox

from kg.rdf.store import KgStore
from kg.rdf.vocab import PREFIXES, bind_prefixes

FORMATS = {
    "turtle": ("turtle", ".ttl"),
    "ttl": ("turtle", ".ttl"),
    "nt": ("nt", ".nt"),
    "ntriples": ("nt", ".nt"),
    "trig": ("trig", ".trig"),
    "nquads": ("nquads", ".nq"),
    "jsonld": ("json-ld", ".jsonld"),
    "json-ld": ("json-ld", ".jsonld"),
}
_OXIGRAPH = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}


def write(store: KgStore, fmt: str, output: BinaryIO) -> None:
    """Write the store to a binary file in an RDF format."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}")
    name = FORMATS[fmt][0]
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    if name in ("trig", "nquads"):
        store.store.dump(
            output, format=_OXIGRAPH[name], prefixes=prefixes if name == "trig" else None
        )
    elif name in ("turtle", "nt"):
        ox.serialize(
            distinct_triples(store),
            output,
            format=_OXIGRAPH[name],
            prefixes=prefixes if name == "turtle" else None,
        )
    else:
        from rdflib import Graph

        union = bind_prefixes(Graph())
        union.parse(data=store.sorted_ntriples(), format="nt")
        context = dict(prefixes)
        output.write(union.serialize(format="json-ld", context=context, indent=1).encode("utf-8"))


def distinct_triples(store: KgStore):
    """Every triple of the union of graphs once, sorted by subject, predicate, object."""
    rows = store.query("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o")
    for row in rows:
        yield ox.Triple(row["s"], row["p"], row["o"])


def serialize(store: KgStore, fmt: str) -> str:
    """The store in an RDF format, as text."""
    buffer = io.BytesIO()
    write(store, fmt, buffer)
    return buffer.getvalue().decode("utf-8")
