"""Named SPARQL queries with declared, safely bound parameters.

A query file declares its parameters in comments::

    # param: speaker  required: a speaker's name or any alias
    # param: topic    optional: a topic label

`kg query NAME --param speaker="Qin Gang"` binds ``?speaker`` to the literal
"Qin Gang": each value becomes an RDF term (`pyoxigraph.Literal` or `NamedNode`),
serialised with its own escaping into a ``VALUES`` block at the start of the WHERE
clause. A value such as ``x" } ; DROP ALL ; #`` is therefore only a string, and queries
are read-only anyway. A parameter described as "required" must be given; the others,
left out, stay unbound (``!BOUND(?topic)``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.resolve.aliases import fold

QUERY_DIRS = [Path(__file__).resolve().parents[2] / "queries", Path.cwd() / "queries"]
_PARAM = re.compile(r"^#\s*param:\s*(\w+)\s*(.*)$", re.MULTILINE)
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_IRI_PARAM = re.compile(r"^<([^<>\"{}|^`\\\s]+)>$")
_IF = re.compile(r"#\s*if:\s*([\w ,]+)\s*$")
_VALUES_MARK = re.compile(r"^[ \t]*#\s*values[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    params: dict[str, str]
    description: str


def available_queries() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in QUERY_DIRS:
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
        path = available_queries()[spec]
        text, name = path.read_text(encoding="utf-8"), spec
    elif re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", spec, re.IGNORECASE):
        text, name = spec, "inline"
    else:
        names = ", ".join(sorted(available_queries())) or "none found"
        raise KgError(f"unknown query {spec!r}: give a name ({names}), a .rq file or SPARQL text")
    params = {m.group(1): m.group(2).strip() for m in _PARAM.finditer(text)}
    first = next((line[1:].strip() for line in text.splitlines() if line.startswith("#")), "")
    return NamedQuery(name, text, params, first)


def bind(query: NamedQuery, values: dict[str, str]) -> str:
    r"""The query text with parameter values bound as RDF terms in a VALUES block.

    ``<iri>`` becomes an IRI, anything else a plain string literal; each parameter
    ``p`` also binds ``?p_key``, its folded form (lower case, no accents), to match the
    graph's ``kg:nameKey``/``kg:labelKey``. A line ending in ``# if: p`` is kept only when
    ``p`` is given. The block goes where a ``# values`` line stands (put it inside the
    ``GRAPH`` pattern it should drive), else after every ``WHERE {``.

    >>> q = NamedQuery("q", "SELECT ?x WHERE { ?x ?p ?speaker }", {"speaker": ""}, "")
    >>> bind(q, {"speaker": 'x" } ; DROP ALL ; #'})
    'SELECT ?x WHERE { VALUES (?speaker) { ("x\\" } ; DROP ALL ; #") } ?x ?p ?speaker }'
    >>> q = NamedQuery("q", "SELECT ?a WHERE {\n # values\n ?a kg:nameKey ?who_key . # if: who\n}", {"who": ""}, "")
    >>> print(bind(q, {"who": "José Ruiz"}))
    SELECT ?a WHERE {
    VALUES (?who ?who_key) { ("José Ruiz" "jose ruiz") }
     ?a kg:nameKey ?who_key .
    }
    >>> print(bind(q, {}))
    SELECT ?a WHERE {
     # values
    }
    """
    unknown = set(values) - set(query.params)
    if unknown and query.name != "inline":
        raise KgError(
            f"query {query.name!r} has no parameter {', '.join(sorted(unknown))}"
            f" (it takes: {', '.join(query.params) or 'none'})"
        )
    missing = [
        name
        for name, about in query.params.items()
        if about.startswith("required") and name not in values
    ]
    if missing:
        raise KgError(
            f"query {query.name!r} needs --param {missing[0]}=VALUE ({query.params[missing[0]]})"
        )
    text = _conditional_lines(query.text, set(values))
    if not values:
        return text
    names, terms = [], []
    for key, value in values.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise KgError(f"parameter name {key!r} is not a SPARQL variable name")
        iri = _IRI_PARAM.match(value)
        names.append(str(ox.Variable(key)))
        terms.append(str(ox.NamedNode(iri.group(1)) if iri else ox.Literal(value)))
        if f"?{key}_key" in text:
            names.append(str(ox.Variable(f"{key}_key")))
            # an IRI's key is the IRI itself, folded: concepts carry theirs as a label key
            terms.append(str(ox.Literal(fold(iri.group(1) if iri else value))))
    block = f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"
    if _VALUES_MARK.search(text):
        return _VALUES_MARK.sub(lambda m: block, text)
    if not _WHERE.search(text):
        raise KgError(f"query {query.name!r} has no WHERE {{ ... }} to bind parameters in")
    # every WHERE, sub-selects included: a sub-select does not see the outer bindings
    return _WHERE.sub(lambda m: m.group(0) + " " + block, text)


def _conditional_lines(text: str, given: set[str]) -> str:
    """Drop the lines marked ``# if: a, b`` unless every named parameter is given."""
    kept = []
    for line in text.splitlines():
        match = _IF.search(line)
        if match is not None:
            needed = {n.strip() for n in match.group(1).split(",") if n.strip()}
            if not needed <= given:
                continue
            line = line[: match.start()].rstrip()
        kept.append(line)
    return "\n".join(kept) + ("\n" if text.endswith("\n") else "")


def run_query(
    store, query: NamedQuery, values: dict[str, str]
) -> tuple[list[str], list[list[str]]]:
    """Columns and rows (as plain strings) of a SELECT; ASK gives one boolean row."""
    try:
        result = store.query(bind(query, values))
    except SyntaxError as exc:
        raise KgError(f"query {query.name!r} is not valid SPARQL: {exc}") from None
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
