"""Article graphs written as N-Triples lines directly.

`rdflib` terms cost several microseconds each to make and to write, and an article's graph
has about sixty triples per quote: making them was most of the store pass of a large
build. A graph is built here from terms already written in N-Triples syntax (`iri`,
`literal`, `typed`, the vocabulary's terms once at import) into `NTriples`, a set of
lines in the order first added. What repeats from article to article (a speaker's
triples, a concept's) is written once and cached by the callers (`kg.rdf.triples`).
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import BNode, Literal, URIRef

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def nt_term(term) -> str:
    r"""An rdflib term in N-Triples syntax.

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


def iri(value: str) -> str:
    """An IRI (already valid: kg makes its own from hashes and slugs).

    >>> iri("urn:a")
    '<urn:a>'
    """
    return f"<{value}>"


def literal(text: str) -> str:
    r"""A plain string literal, as `nt_term(Literal(text))` writes it.

    >>> literal('say "hi"\n') == nt_term(Literal('say "hi"\n'))
    True
    """
    return f'"{text.translate(_ESCAPES)}"'


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER = f"^^<{_XSD}integer>"


def integer(value: int) -> str:
    """An xsd:integer literal.

    >>> integer(46) == nt_term(Literal(46))
    True
    """
    return f'"{value}"{_INTEGER}'


def typed(value, datatype: str) -> str:
    """A literal of another datatype (a decimal score, a date), written by rdflib so
    its lexical form is rdflib's; the values that repeat (scores) are cached.

    >>> typed(0.8, _XSD + "decimal")
    '"0.8"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    >>> typed(1, _XSD + "decimal") != typed(1.0, _XSD + "decimal")
    True
    """
    return _typed(type(value), value, datatype)  # 1, 1.0 and True are one key otherwise


@lru_cache(maxsize=4096)
def _typed(kind: type, value, datatype: str) -> str:
    return nt_term(Literal(value, datatype=URIRef(datatype)))


class NTriples:
    """A graph's triples as N-Triples lines, in the order first added, without repeats.
    Terms are given already written (`iri`, `literal`, `nt_term`).

    >>> g = NTriples()
    >>> g.add("<urn:a>", "<urn:p>", literal("x")); g.add("<urn:a>", "<urn:p>", literal("x"))
    >>> len(g), g.serialize(format="nt"), ("<urn:a>", "<urn:p>", '"x"') in g
    (1, '<urn:a> <urn:p> "x" .\\n', True)
    """

    def __init__(self) -> None:
        self._lines: dict[str, None] = {}

    def add(self, s: str, p: str, o: str) -> None:
        self._lines[f"{s} {p} {o} .\n"] = None

    def add_lines(self, lines) -> None:
        """Lines written before (a cached block of triples)."""
        for line in lines:
            self._lines[line] = None

    def __contains__(self, triple: tuple[str, str, str]) -> bool:
        s, p, o = triple
        return f"{s} {p} {o} .\n" in self._lines

    def __len__(self) -> int:
        return len(self._lines)

    def __iter__(self):
        return iter(self._lines)

    def serialize(self, format: str = "nt") -> str:
        if format not in ("nt", "ntriples", "nt11"):
            raise ValueError(f"NTriples writes N-Triples only, not {format}")
        return "".join(self._lines)


def lines_of(triples: list[tuple[str, str, str]]) -> tuple[str, ...]:
    """Written terms as N-Triples lines, for a cached block.

    >>> lines_of([("<urn:a>", "<urn:p>", '"x"')])
    ('<urn:a> <urn:p> "x" .\\n',)
    """
    return tuple(f"{s} {p} {o} .\n" for s, p, o in triples)
