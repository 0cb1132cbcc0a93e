"""A fast write-only triple set for building article graphs as N-Triples.

`rdflib.Graph` indexes every triple three ways as it is added, which is most of the cost
of turning a corpus into N-Triples; a build only needs the set of triples and its text.
`TripleSet` takes the same `add` and `objects` calls as a Graph (so `article_triples`
fills either) and writes N-Triples directly.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import BNode, Literal, URIRef

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nt_term(term) -> str:
    r"""A term in N-Triples syntax.

    >>> nt_term(URIRef("urn:a")), nt_term(Literal('say "hi"\n')), nt_term(Literal("x", lang="en"))
    ('<urn:a>', '"say \\"hi\\"\\n"', '"x"@en')
    >>> nt_term(Literal(46))
    '"46"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    if isinstance(term, Literal):
        text = f'"{str(term).translate(_ESCAPES)}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f"{text}^^<{term.datatype}>"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, URIRef):
        return f"<{term}>"
    raise TypeError(f"not an RDF term: {term!r}")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class TripleSet:
    """Triples in the order first added, without repeats.

    >>> g = TripleSet()
    >>> _ = g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
    >>> _ = g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
    >>> len(g), g.serialize(format="nt")
    (1, '<urn:a> <urn:p> "x" .\\n')
    """

    def __init__(self) -> None:
        self._triples: dict[tuple, None] = {}

    def add(self, triple: tuple) -> TripleSet:
        self._triples[triple] = None
        return self

    def objects(self, subject=None, predicate=None) -> Iterator:
        for s, p, o in self._triples:
            if (subject is None or s == subject) and (predicate is None or p == predicate):
                yield o

    def __len__(self) -> int:
        return len(self._triples)

    def __iter__(self):
        return iter(self._triples)

    def serialize(self, format: str = "nt") -> str:
        if format not in ("nt", "ntriples", "nt11"):
            raise ValueError(f"TripleSet writes N-Triples only, not {format}")
        return "".join(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in self._triples)
