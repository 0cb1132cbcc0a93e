"""The embedded Oxigraph store: one named graph per article, published in generations.

Writers take an exclusive lock file (``DIR/store.lock``) so a second build fails fast
with the holder's PID instead of corrupting anything. A build never writes the store that
readers use: `updating` clones the published generation (``DIR/store.N``; immutable
RocksDB tables are hard-linked, so this is cheap), writes the new one, flushes it and only
then points the ``DIR/store`` symlink at it with an atomic rename. Readers open the
generation the link names, so they see the store before or after a build, never half of
an article, and a build killed at any point leaves the published generation untouched.
The previous generation is kept for readers still open on it; older ones are removed.
"""

from __future__ import annotations

import errno
import fcntl
import gc
import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError, StoreBusyError
from kg.rdf.vocab import GRAPH, PREFIXES, bind_prefixes

STORE_DIR = "store"
LOCK_FILE = "store.lock"
_GENERATION = re.compile(r"^store\.(\d+)$")


@contextmanager
def write_lock(root: Path) -> Iterator[None]:
    """Hold the store's write lock, or raise `StoreBusyError` naming the holder's PID."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise StoreBusyError(f"{root}: store is in use by PID {holder}") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


def published(root: Path) -> Path | None:
    """The generation directory readers should open, or None before the first build.

    A store of the first layout (``DIR/store`` a plain directory) is read in place.
    """
    link = root / STORE_DIR
    if link.is_symlink():
        target = Path(os.path.realpath(link))
        return target if target.is_dir() else None
    return link if link.is_dir() else None


def manifest_path(generation: Path) -> Path:
    return generation.with_name(generation.name + ".manifest.json")


@contextmanager
def updating(root: str | Path, locked: bool = False) -> Iterator[KgStore]:
    """A writable next generation of the store, published when the block succeeds.

    `locked` says the caller already holds `write_lock(root)`.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with updating(folder) as store:
    ...         store.replace_graph("urn:g", "<urn:a> <urn:b> <urn:c> .")
    ...     KgStore(folder, read_only=True).triple_count()
    1
    """
    root = Path(root)
    with nullcontext() if locked else write_lock(root):
        current = published(root)
        numbers = [int(m.group(1)) for p in root.iterdir() if (m := _GENERATION.match(p.name))]
        staging = root / f"{STORE_DIR}.{max(numbers, default=0) + 1}"
        _remove_generations(root, keep={current, staging})  # leftovers of killed builds
        if current is not None:
            _clone(current, staging)
            if manifest_path(current).exists():
                shutil.copyfile(manifest_path(current), manifest_path(staging))
        staging.mkdir(parents=True, exist_ok=True)
        store = KgStore._writable(root, staging)
        yield store
        store.flush()
        del store.store  # close RocksDB before readers may open the generation
        gc.collect()
        link = root / f".{STORE_DIR}.link"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(staging.name)
        if current is not None and current == root / STORE_DIR:
            current = current.rename(root / f"{STORE_DIR}.0")  # first layout: keep as the previous
        os.replace(link, root / STORE_DIR)
        _remove_generations(root, keep={current, staging})


def _clone(source: Path, target: Path) -> None:
    """Copy a closed RocksDB directory: tables are immutable, so hard links suffice."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for item in source.iterdir():
        if item.suffix == ".sst":
            os.link(item, target / item.name)
        elif item.is_file():
            shutil.copy2(item, target / item.name)


def _remove_generations(root: Path, keep: set[Path | None]) -> None:
    keep_names = {p.name for p in keep if p is not None}
    for path in root.iterdir():
        if _GENERATION.match(path.name) and path.name not in keep_names:
            shutil.rmtree(path, ignore_errors=True)
            manifest_path(path).unlink(missing_ok=True)


class KgStore:
    """A kg knowledge graph on disk (``DIR/store``) or in memory (``path=None``)."""

    def __init__(self, root: str | Path | None, read_only: bool = False) -> None:
        self.root = Path(root) if root is not None else None
        self.manifest_path: Path | None = None
        if self.root is None:
            self.store = ox.Store()
            return
        if not read_only:
            raise KgError("open a store for writing with kg.rdf.store.updating(root)")
        path = published(self.root)
        if path is None:
            raise KgError(
                f"{self.root}: no kg store here (run `kg build ... --out {self.root}` first)"
            )
        self.store = ox.Store.read_only(str(path))
        self.manifest_path = manifest_path(path)

    @classmethod
    def _writable(cls, root: Path, path: Path) -> KgStore:
        store = cls.__new__(cls)
        store.root = root
        try:
            store.store = ox.Store(str(path))
        except OSError as exc:
            raise StoreBusyError(f"{root}: store cannot be opened for writing ({exc})") from None
        store.manifest_path = manifest_path(path)
        return store

    def manifest(self) -> dict[str, str]:
        """Digest of each article graph as last written (to skip unchanged articles)."""
        if self.manifest_path is None:
            return {}
        try:
            return json.loads(self.manifest_path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}

    # -- writing --------------------------------------------------------------------------
    def replace_graph(self, name: str, ntriples: str) -> None:
        """Replace one named graph by these N-Triples, in one transaction."""
        self.store.update(
            f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n{ntriples}\n}} }}"
        )

    def remove_graph(self, name: str) -> None:
        self.store.update(f"DROP SILENT GRAPH <{name}>")

    def graph_names(self) -> set[str]:
        return {g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)}

    def article_graphs(self) -> set[str]:
        prefix = str(GRAPH)
        return {g for g in self.graph_names() if g.startswith(prefix)}

    def flush(self) -> None:
        if self.root is not None:
            self.store.flush()

    def save_manifest(self, digests: dict[str, str]) -> None:
        from kg.files import atomic_write

        atomic_write(self.manifest_path, json.dumps(digests, indent=1, sort_keys=True))

    # -- reading --------------------------------------------------------------------------
    def query(self, sparql: str):
        """Run a SPARQL query over the union of all graphs (kg's prefixes predeclared).

        A triple stated in several article graphs (a person's name) appears once per
        graph in the union: match inside ``GRAPH ?g { ... }`` (as queries/ does) or use
        DISTINCT where that matters.
        """
        prefixes = {k: str(v) for k, v in PREFIXES.items()}
        return self.store.query(sparql, use_default_graph_as_union=True, prefixes=prefixes)

    def triple_count(self) -> int:
        result = self.query(
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
        )
        return int(next(iter(result))["n"].value)

    def graph_ntriples(self, name: str) -> bytes:
        """One named graph as N-Triples."""
        return self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))

    def dump_nquads(self) -> bytes:
        return self.store.dump(format=ox.RdfFormat.N_QUADS)

    def to_rdflib(self):
        """The whole store as an `rdflib.Dataset` (named graphs kept) for users' own code."""
        from rdflib import Dataset

        dataset = Dataset()
        dataset.parse(data=self.dump_nquads(), format="nquads")
        return bind_prefixes(dataset)

    def sorted_ntriples(self) -> str:
        """The union of all graphs as sorted, distinct N-Triples: equal strings mean
        identical graphs (there are no blank nodes)."""
        triples = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        lines = {f"{t.subject} {t.predicate} {t.object} ." for t in triples}
        return "\n".join(sorted(lines)) + "\n"
