"""The embedded Oxigraph store: one named graph per article, replaced atomically.

Writers take an exclusive lock file (``DIR/store.lock``) so a second build fails fast
with the holder's PID instead of corrupting anything. Each article's graph is replaced
by one SPARQL update (drop + insert in a single transaction), so readers see an article
before or after a rebuild, never half of it.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError, StoreBusyError
from kg.rdf.vocab import GRAPH, PREFIXES, bind_prefixes

STORE_DIR = "store"
LOCK_FILE = "store.lock"


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


class KgStore:
    """A kg knowledge graph on disk (``DIR/store``) or in memory (``path=None``)."""

    def __init__(self, root: str | Path | None, read_only: bool = False) -> None:
        self.root = Path(root) if root is not None else None
        if self.root is None:
            self.store = ox.Store()
            return
        path = self.root / STORE_DIR
        if read_only:
            if not path.exists():
                raise KgError(
                    f"{self.root}: no kg store here (run `kg build ... --out {self.root}` first)"
                )
            self.store = ox.Store.read_only(str(path))
        else:
            path.mkdir(parents=True, exist_ok=True)
            try:
                self.store = ox.Store(str(path))
            except OSError as exc:
                raise StoreBusyError(
                    f"{self.root}: store cannot be opened for writing ({exc})"
                ) from None

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

    # -- reading --------------------------------------------------------------------------
    def query(self, sparql: str):
        """Run a SPARQL query over the union of all graphs (kg's prefixes predeclared).

        A triple stated in several article graphs (a person's name) appears once per
        graph in the union: queries use DISTINCT where that matters.
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
