"""Namespaces of the kg graph model (see docs/model.md).

schema.org for articles, people and quotations; PROV-O for attribution and relay;
NIF 2.0 for character offsets; SKOS for topics; OWL for external ids. The `kg:`
namespace holds only what those lack.
"""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

SCHEMA = Namespace("http://schema.org/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace(
    "http://www.w3.org/2005/11/its/rdf#"
)  # itsrdf:taIdentRef: a span names an entity
KG = Namespace("https://kg.example.org/ns#")
BASE = "https://kg.example.org/"
ARTICLE = Namespace(BASE + "article/")
QUOTE = Namespace(BASE + "quote/")
AGENT = Namespace(BASE + "agent/")
TOPIC = Namespace(BASE + "topic/")
STATEMENT = Namespace(BASE + "statement/")
GRAPH = Namespace(BASE + "graph/")
WD = Namespace("http://www.wikidata.org/entity/")
KINDS = ("direct", "mixed", "indirect", "unquoted")

PREFIXES = {
    "schema": SCHEMA,
    "prov": PROV,
    "nif": NIF,
    "itsrdf": ITSRDF,
    "dct": DCTERMS,
    "medtop": Namespace("http://cv.iptc.org/newscodes/mediatopic/"),
    "skos": SKOS,
    "owl": OWL,
    "kg": KG,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "wd": WD,
    "article": ARTICLE,
    "quote": QUOTE,
    "agent": AGENT,
    "topic": TOPIC,
    "statement": STATEMENT,
}


def bind_prefixes(graph):
    """Bind the model's prefixes, replacing rdflib's defaults (its `schema:` is https://schema.org/)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


__all__ = [
    "bind_prefixes",
    "AGENT",
    "ARTICLE",
    "BASE",
    "DCTERMS",
    "ITSRDF",
    "GRAPH",
    "KG",
    "KINDS",
    "NIF",
    "OWL",
    "PREFIXES",
    "PROV",
    "QUOTE",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "STATEMENT",
    "TOPIC",
    "WD",
    "XSD",
]
