"""Named SPARQL queries: standalone SPARQL 1.1 files whose parameters are bound as RDF terms.

A query file is plain SPARQL 1.1 (PREFIX lines included) that any store runs unchanged.
Its parameters are declared in comments and are the variables of one VALUES row whose
values are all ``UNDEF``, so a parameter not given is simply unbound::

    # param: speaker  optional key: a speaker's name or any alias
    # param: minimum  optional integer: least number of articles
    ...
    VALUES (?speaker ?minimum) { (UNDEF UNDEF) }

`bind` fills that row: each value becomes an RDF term (`pyoxigraph.Literal` or
`NamedNode`) serialised with its own escaping, so a value such as ``x" } ; DROP ALL ; #``
is only a string. The kind after required/optional says which term: ``key`` (a plain
literal folded to lower case without accents, compared with ``kg:nameKey`` /
``kg:labelKey``), ``name`` (a person's or organisation's name as anyone may write it,
bound as its `kg.names.match_key`, which is among the ``kg:nameKey``s of every spelling
of the agent: "President Biden", "Zelensky", "J. Kirby" find Joe Biden, Volodymyr
Zelenskyy, John F. Kirby), ``string`` (the plain literal as given), ``integer`` (``xsd:integer``),
``date`` (``xsd:date``) or ``iri``. A "required" parameter must be given.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError, UsageError
from kg.names import candidate_keys, fold, match_key, query_keys, suggest

XSD = "http://www.w3.org/2001/XMLSchema#"
KINDS = ("key", "name", "string", "integer", "date", "iri")
_PARAM = re.compile(
    r"^#\s*param:\s*(\w+)\s+(required|optional)(?:\s+(" + "|".join(KINDS) + r"))?\s*:\s*(.*)$",
    re.MULTILINE,
)
_LOOSE_PARAM = re.compile(r"^#\s*param:.*$", re.MULTILINE)
# the parameter row: a VALUES block with one row whose values are all UNDEF
_PARAMETER_ROW = re.compile(
    r"VALUES\s*\(\s*((?:[?$][A-Za-z_]\w*\s*)+)\)\s*\{\s*\(\s*((?:UNDEF\s*)+)\)\s*\}",
    re.IGNORECASE,
)
_IRI = re.compile(r"^<([^<>\"{}|^`\\\s]+)>$")
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\s]*$")
_QUERY_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Param:
    """A declared parameter: its name, whether it must be given, its term kind, what it is."""

    name: str
    required: bool
    kind: str
    description: str

    def __str__(self) -> str:
        need = "required" if self.required else "optional"
        return f"{need} {self.kind}: {self.description}"


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    params: dict[str, Param]
    description: str


def query_dirs() -> list[Path]:
    """Where named queries are found: the ones shipped in the package (``kg/queries``, the
    same files as the checkout's top-level ``queries/``), then ``./queries`` for the user's own."""
    shipped = Path(str(resources.files("kg") / "queries"))
    return [shipped, Path.cwd() / "queries"]


def available_queries() -> dict[str, Path]:
    """Query name -> file; a shipped query keeps its name over a user's file of that name."""
    found: dict[str, Path] = {}
    for folder in query_dirs():
        if folder.is_dir():
            for path in sorted(folder.glob("*.rq")):
                found.setdefault(path.stem, path)
    return found


def load_query(spec: str) -> NamedQuery:
    """A query by name (a file in queries/), by path to a .rq file, or as SPARQL text."""
    path = Path(spec)
    if spec.endswith(".rq") and path.is_file():
        text, name = path.read_text(encoding="utf-8"), path.stem
    elif spec in available_queries():
        text, name = available_queries()[spec].read_text(encoding="utf-8"), spec
    elif _QUERY_FORM.search(spec):
        text, name = spec, "inline"
    else:
        names = ", ".join(sorted(available_queries())) or "none found"
        raise UsageError(
            f"unknown query {spec!r}: give a name ({names}), a .rq file or SPARQL text"
        )
    return parse_query(name, text)


def parse_query(name: str, text: str) -> NamedQuery:
    """Read the declarations of a query's text and check they match its parameter row.

    >>> q = parse_query("q", "# Demo.\\n# param: who  optional key: a name\\n"
    ...     "SELECT ?x WHERE { VALUES (?who) { (UNDEF) } ?x <urn:k> ?who }")
    >>> q.description, str(q.params["who"])
    ('Demo.', 'optional key: a name')
    >>> parse_query("q", "# param: who  optional: a name\\nSELECT * WHERE { ?s ?p ?o }")
    Traceback (most recent call last):
    kg.errors.KgError: query 'q' declares who but has no parameter row VALUES (?who) { (UNDEF) }
    """
    params = {
        m.group(1): Param(m.group(1), m.group(2) == "required", m.group(3) or "string", m.group(4))
        for m in _PARAM.finditer(text)
    }
    for line in _LOOSE_PARAM.findall(text):
        if not _PARAM.match(line):
            raise KgError(
                f"query {name!r}: cannot read {line.strip()!r} (write "
                f"'# param: NAME required|optional [{'|'.join(KINDS)}]: description')"
            )
    if params:
        row = _parameter_row(text)
        names = row[0] if row else []
        if sorted(names) != sorted(params):
            wanted = " ".join(f"?{p}" for p in params)
            undef = " ".join("UNDEF" for _ in params)
            raise KgError(
                f"query {name!r} declares {', '.join(params)} but has no parameter row"
                f" VALUES ({wanted}) {{ ({undef}) }}"
            )
    first = next((line[1:].strip() for line in text.splitlines() if line.startswith("#")), "")
    return NamedQuery(name, text, params, first)


def _parameter_row(text: str) -> tuple[list[str], re.Match] | None:
    match = _PARAMETER_ROW.search(text)
    if match is None:
        return None
    names = [v[1:] for v in match.group(1).split()]
    if len(names) != len(match.group(2).split()):
        return None
    return names, match


def term(param: Param | None, value: str) -> ox.NamedNode | ox.Literal:
    """The RDF term a parameter value stands for.

    >>> term(Param("who", False, "key", ""), "José Ruiz")
    <Literal value=jose ruiz datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
    >>> term(Param("who", False, "name", ""), "Sir Keir Starmer").value
    'keir starmr'
    >>> term(Param("n", False, "integer", ""), " 3 ").value
    '3'
    >>> term(None, "<https://example.org/x>")
    <NamedNode value=https://example.org/x>
    >>> term(Param("n", False, "integer", ""), "three")
    Traceback (most recent call last):
    kg.errors.UsageError: parameter n must be an integer, got 'three'
    """
    kind = param.kind if param is not None else "string"
    label = param.name if param is not None else "value"
    if kind == "key":  # a key given as <iri> is the IRI's key (topics carry theirs)
        iri = _IRI.match(value.strip())
        return ox.Literal(fold(iri.group(1) if iri else value))
    if kind == "name":
        return ox.Literal(match_key(value))
    if kind == "integer":
        if not re.fullmatch(r"\s*[+-]?\d+\s*", value):
            raise UsageError(f"parameter {label} must be an integer, got {value!r}")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
    if kind == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise UsageError(f"parameter {label} must be a date (YYYY-MM-DD), got {value!r}")
        return ox.Literal(value.strip(), datatype=ox.NamedNode(XSD + "date"))
    iri = _IRI.match(value.strip())
    if kind == "iri":
        candidate = iri.group(1) if iri else value.strip()
        if not _ABSOLUTE_IRI.match(candidate):
            raise UsageError(f"parameter {label} must be an absolute IRI, got {value!r}")
        return ox.NamedNode(candidate)
    if param is None and iri:  # an undeclared value of an inline query may be written <iri>
        return ox.NamedNode(iri.group(1))
    return ox.Literal(value)


def check_values(query: NamedQuery, values: dict[str, str]) -> None:
    """Raise `KgError` for an unknown parameter or a required one left out."""
    unknown = set(values) - set(query.params)
    if unknown and query.name != "inline":
        raise UsageError(
            f"query {query.name!r} has no parameter {', '.join(sorted(unknown))}"
            f" (it takes: {', '.join(query.params) or 'none'})"
        )
    for name, param in query.params.items():
        if param.required and not values.get(name, "").strip():
            raise UsageError(f"query {query.name!r} needs --param {name}=VALUE ({param})")
    for key in values:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise UsageError(f"parameter name {key!r} is not a SPARQL variable name")


def bind(
    query: NamedQuery, values: dict[str, str], keys: Mapping[str, Sequence[str]] | None = None
) -> str:
    r"""The query text with its parameter row filled with RDF terms.

    Parameters not given stay ``UNDEF``. A query without a parameter row (SPARQL text
    given inline) gets the values as a trailing ``VALUES`` clause, which joins them with
    its solutions. `keys` may give a name parameter the keys it is matched by (from
    `name_keys_in`: the typed name's own and those of the people the merge rules find for
    it); the row is then repeated once per key.

    >>> q = parse_query("q", "# param: who  optional key: a name\n"
    ...     "SELECT ?x WHERE { VALUES (?who) { (UNDEF) } ?x <urn:k> ?who }")
    >>> print(bind(q, {"who": 'José " } ; DROP ALL ; #'}).splitlines()[1])
    SELECT ?x WHERE { VALUES (?who) { ("jose \" } ; drop all ; #") } ?x <urn:k> ?who }
    >>> bind(q, {}) == q.text
    True
    >>> print(bind(parse_query("inline", "SELECT ?x WHERE { ?x ?p ?o }"), {"o": "<urn:o>"}), end="")
    SELECT ?x WHERE { ?x ?p ?o }
    VALUES (?o) { (<urn:o>) }
    >>> s = parse_query("s", "# param: who  optional name: a person\n"
    ...     "SELECT ?x WHERE { VALUES (?who) { (UNDEF) } ?x <urn:k> ?who }")
    >>> print(bind(s, {"who": "Tony Blinken"}, {"who": ["toni blinken", "antoni blinken"]}).splitlines()[1])
    SELECT ?x WHERE { VALUES (?who) { ("toni blinken") ("antoni blinken") } ?x <urn:k> ?who }
    """
    check_values(query, values)
    if not values:
        return query.text
    keys = keys or {}

    def cells_of(name: str) -> list[str]:
        if name in keys and name in values and keys[name]:
            return [str(ox.Literal(k)) for k in dict.fromkeys(keys[name])]
        return [str(term(query.params.get(name), values[name]))]

    row = _parameter_row(query.text)
    if row is None:
        names = " ".join(str(ox.Variable(k)) for k in values)
        rows = itertools.product(*(cells_of(k) for k in values))
        body = " ".join(f"({' '.join(r)})" for r in rows)
        return f"{query.text.rstrip()}\nVALUES ({names}) {{ {body} }}\n"
    names, match = row
    rows = itertools.product(*(cells_of(n) if n in values else ["UNDEF"] for n in names))
    body = " ".join(f"({' '.join(r)})" for r in rows)
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ {body} }}"
    return query.text[: match.start()] + block + query.text[match.end() :]


def name_keys_in(store, query: NamedQuery, values: Mapping[str, str]) -> dict[str, list[str]]:
    """For each name parameter given, the keys it is matched by in this store
    (`kg.names.query_keys` over the people stored under its `kg.names.candidate_keys`)."""
    return {
        name: query_keys(values[name], candidate_spellings(store, values[name]))
        for name in name_parameters(query)
        if values.get(name, "").strip()
    }


def execute(store, query: NamedQuery, values: dict[str, str]):
    """pyoxigraph's result of the bound query (solutions, a boolean or triples); a name
    parameter finds whom the merge rules would merge with it (`name_keys_in`)."""
    try:
        return store.query(bind(query, values, name_keys_in(store, query, values)))
    except SyntaxError as exc:
        raise KgError(f"query {query.name!r} is not valid SPARQL: {exc}") from None


def w3c_results(result, fmt: str) -> bytes:
    """A SELECT or ASK result in a W3C results format: ``srj`` (SPARQL JSON), ``srx``
    (SPARQL XML) or ``tsv``; CONSTRUCT and DESCRIBE results as N-Triples."""
    from kg.outputs.serve import results

    if isinstance(result, ox.QueryBoolean):
        if fmt == "tsv":
            raise UsageError("an ASK answer has no TSV form: use --format srj or srx")
        return results.write_boolean(bool(result), fmt)
    if isinstance(result, ox.QueryTriples):
        return results.write_triples(result, "application/n-triples")[0]
    variables = [v.value for v in result.variables]
    body, _ = results.write_solutions(
        variables, ({v: s[v] for v in variables} for s in result), fmt
    )
    return body


def store_root(path: str | Path) -> Path:
    """The folder holding a kg store, from the build folder (``out``) or the store inside
    it (``out/store``, or one generation ``out/store.3``).

    >>> import tempfile
    >>> store_root(tempfile.mkdtemp())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.KgError: ... no kg store here (give the folder `kg build --out` wrote, or its store)
    """
    from kg.rdf.store import published

    path = Path(path)
    if not path.exists():
        raise KgError(f"{path}: no such folder")
    if published(path) is not None:
        return path
    if re.fullmatch(r"store(\.\d+)?", path.name) and published(path.parent) is not None:
        return path.parent
    raise KgError(
        f"{path}: no kg store here (give the folder `kg build --out` wrote, or its store)"
    )


def run_query(
    store, query: NamedQuery, values: dict[str, str]
) -> tuple[list[str], list[list[str]]]:
    """Columns and rows (as plain strings) of a SELECT; ASK gives one boolean row."""
    result = execute(store, query, values)
    if isinstance(result, ox.QueryBoolean):
        return ["answer"], [[str(bool(result)).lower()]]
    if isinstance(result, ox.QueryTriples):
        return ["subject", "predicate", "object"], [
            [_plain(t.subject), _plain(t.predicate), _plain(t.object)] for t in result
        ]
    columns = [v.value for v in result.variables]
    rows = [
        [_plain(solution[c]) if solution[c] is not None else "" for c in columns]
        for solution in result
    ]
    return columns, rows


def name_parameters(query: NamedQuery) -> list[str]:
    """The parameters a query matches against agents' names (kind ``name``)."""
    return [name for name, param in query.params.items() if param.kind == "name"]


# the names "did you mean" offers: people and organisations who are quoted, never an
# unnamed source ("officials") nor an entity only mentioned in a quotation
_SPEAKER_NAMES = """
PREFIX kg: <https://kg.example.org/ns#>
PREFIX schema: <http://schema.org/>
SELECT DISTINCT ?name ?alt WHERE { GRAPH ?g {
  ?q a schema:Quotation ; schema:creator ?agent .
  ?agent schema:name ?name .
  FILTER NOT EXISTS { ?agent kg:anonymous true }
  OPTIONAL { ?agent schema:alternateName ?alt }
} }
"""
# the people stored under some keys, with every spelling: the candidates of a typed name
_PEOPLE_BY_KEY = """
PREFIX kg: <https://kg.example.org/ns#>
PREFIX schema: <http://schema.org/>
SELECT DISTINCT ?name ?alt WHERE { GRAPH ?g {
  VALUES ?key { KEYS } ?agent kg:nameKey ?key ; a schema:Person ; schema:name ?name .
  OPTIONAL { ?agent schema:alternateName ?alt }
} }
"""
_AGENTS_BY_KEY = """
PREFIX kg: <https://kg.example.org/ns#>
PREFIX schema: <http://schema.org/>
SELECT DISTINCT ?name WHERE { GRAPH ?g { VALUES ?key { KEYS } ?agent kg:nameKey ?key ; schema:name ?name } }
ORDER BY ?name
"""


def _spelling_map(solutions) -> dict[str, str]:
    spellings: dict[str, str] = {}
    for solution in solutions:
        name = solution["name"].value
        spellings.setdefault(name, name)
        if solution["alt"] is not None:
            spellings.setdefault(solution["alt"].value, name)
    return spellings


def _literals(keys: Iterable[str]) -> str:
    return " ".join(str(ox.Literal(k)) for k in dict.fromkeys(keys)) or '""'


def candidate_spellings(store, value: str) -> dict[str, str]:
    """Every spelling of the people a typed name may find (those stored under its
    `kg.names.candidate_keys`) -> the person's name."""
    keys = candidate_keys(value)
    if not keys:
        return {}
    return _spelling_map(store.query(_PEOPLE_BY_KEY.replace("KEYS", _literals(keys))))


def agents_named(store, value: str) -> list[str]:
    """The canonical names of the agents a name finds (any spelling, a title, a
    transliteration, the surname alone, or a variant the merge rules accept such as a
    nickname: `kg.names.query_keys`), sorted.

    >>> from kg.rdf.store import KgStore
    >>> agents_named(KgStore(None), "Qin Gang")
    []
    """
    keys = query_keys(value, candidate_spellings(store, value))
    return [s["name"].value for s in store.query(_AGENTS_BY_KEY.replace("KEYS", _literals(keys)))]


def agent_spellings(store) -> dict[str, str]:
    """Every name and alternate name of the store's named speakers -> the speaker's name."""
    return _spelling_map(store.query(_SPEAKER_NAMES))


def unknown_name(store, value: str, what: str = "speaker") -> str | None:
    """None when a name finds an agent; else "no speaker X; did you mean Y, Z?" with the
    closest names of the store's named speakers (`kg.names.suggest` over every name and
    alternate name of theirs)."""
    if agents_named(store, value):
        return None
    shown = suggest(value, agent_spellings(store), limit=3)
    hint = f"; did you mean {', '.join(shown[:3])}?" if shown else " (and no name close to it)"
    return f"no {what} {value!r} in the store{hint}"


def _plain(term) -> str:
    return term.value if hasattr(term, "value") else str(term)


def format_rows(columns: list[str], rows: list[list[str]], fmt: str, width: int = 70) -> str:
    if fmt == "json":
        return (
            json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False, indent=1)
            + "\n"
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows(rows)
        return buffer.getvalue()
    return table(columns, rows, width)


def table(columns: list[str], rows: list[list[str]], width: int = 70) -> str:
    """A plain-text table, long cells shortened with an ellipsis."""

    def cut(value: str) -> str:
        value = " ".join(str(value).split())
        return value if len(value) <= width else value[: width - 1] + "…"

    cells = [[cut(c) for c in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(columns, widths)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"
