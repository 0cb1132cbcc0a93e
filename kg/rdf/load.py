"""Load RDF files (a kg export, a backup, a user's own data) into a kg store.

Files are bulk loaded, in parallel for N-Quads and N-Triples, into a new store generation
that is published only when the load is complete. A file that fails to parse is reported
with its line and left out; the other files still load, and none of the bad file's
triples reach the published store.

>>> import tempfile
>>> from kg.rdf.store import KgStore
>>> with tempfile.TemporaryDirectory() as folder:
...     data = Path(folder) / "people.nt"
...     _ = data.write_text('<urn:ann> <http://schema.org/name> "Ann Lee" .\\n')
...     result = load_files(Path(folder) / "out", [data], graph="urn:people")
...     store = KgStore(Path(folder) / "out", read_only=True)
...     result.loaded, store.graph_names(), store.triple_count()
(1, {'urn:people'}, 1)
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.rdf.store import updating


@dataclass
class LoadResult:
    """What a load did: files loaded, files left out (path, reason), triples after."""

    loaded: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    triples: int = 0


class _Discard(Exception):
    """Abandon a generation that holds part of a bad file."""


SYNTAXES = {
    "nq": ox.RdfFormat.N_QUADS,
    "nquads": ox.RdfFormat.N_QUADS,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "ttl": ox.RdfFormat.TURTLE,
    "turtle": ox.RdfFormat.TURTLE,
    "n3": ox.RdfFormat.N3,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json-ld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
    "owl": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
}


def rdf_format(path: Path, name: str | None = None) -> ox.RdfFormat:
    """The RDF syntax of a file: `name` (an extension such as "nq" or "ttl") if given,
    else the file's extension, looking through a trailing ``.gz``.

    >>> rdf_format(Path("dump.nq.gz"))
    <RdfFormat N-Quads>
    """
    extension = (name or _unzipped(path).suffix.lstrip(".")).lower()
    if extension not in SYNTAXES:
        known = ", ".join(sorted(SYNTAXES))
        raise KgError(f"{path}: unknown RDF format {extension!r} (use --format: {known})")
    return SYNTAXES[extension]


def _unzipped(path: Path) -> Path:
    return path.with_suffix("") if path.suffix == ".gz" else path


def load_files(
    root: Path,
    files: Sequence[Path],
    *,
    graph: str | None = None,
    format: str | None = None,
    workers: int | None = None,
    compact: bool = False,
    locked: bool = False,
) -> LoadResult:
    """Bulk load RDF files into the store in `root`, publishing a new generation.

    Parameters
    ----------
    root : the output folder of a build (the store lives in ``root/store``)
    files : RDF files, optionally gzipped
    graph : the named graph for files of triples; default each file's ``file:`` IRI,
        so the named queries (which match inside graphs) see them
    format : the syntax of every file (an extension), instead of guessing from names
    workers : threads for parallel loading (default: the usable cores)
    compact : merge the store's table files afterwards (slower load, faster queries)
    locked : the caller already holds the store's write lock

    Returns a `LoadResult`; raises `KgError` only when no file could be loaded.
    """
    result = LoadResult()
    usable = []
    for path in files:
        try:
            if not path.is_file():
                raise KgError(f"{path}: no such file")
            usable.append((path, rdf_format(path, format)))
        except KgError as exc:
            result.skipped.append((str(path), str(exc).removeprefix(f"{path}: ")))
    while usable:
        failed: list[tuple[Path, str]] = []
        try:
            with updating(root, locked=locked) as store:
                for path, syntax in usable:
                    try:
                        _load_file(store, path, syntax, graph, workers)
                    except (KgError, OSError, EOFError, ValueError) as exc:
                        failed.append((path, str(exc).removeprefix(f"{path}: ")))
                if failed:
                    raise _Discard
                if compact:
                    store.compact()
                result.triples = store.triple_count()
        except _Discard:
            result.skipped += [(str(path), reason) for path, reason in failed]
            bad = {path for path, _ in failed}
            usable = [(path, syntax) for path, syntax in usable if path not in bad]
            continue
        result.loaded = len(usable)
        return result
    reasons = "; ".join(f"{path}: {reason}" for path, reason in result.skipped)
    raise KgError(f"nothing loaded ({reasons})")


def _load_file(store, path: Path, syntax: ox.RdfFormat, graph: str | None, workers) -> None:
    target = None if syntax.supports_datasets else graph or path.resolve().as_uri()
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as stream:
        store.bulk_load(stream, syntax, to_graph=target, workers=workers, label=str(path))
