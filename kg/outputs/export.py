"""Standard RDF files from the store: Turtle, N-Triples, TriG, N-Quads and JSON-LD."""

from __future__ import annotations

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


def serialize(store: KgStore, fmt: str) -> str:
    """The store in an RDF format; triple formats take the union of all article graphs."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}")
    rdflib_format = FORMATS[fmt][0]
    if rdflib_format in ("trig", "nquads"):
        return store.to_rdflib().serialize(format=rdflib_format)
    from rdflib import Graph

    union = bind_prefixes(Graph())
    union.parse(data=store.sorted_ntriples(), format="nt")
    if rdflib_format == "json-ld":
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        return union.serialize(format="json-ld", context=context, indent=1)
    return union.serialize(format=rdflib_format)
