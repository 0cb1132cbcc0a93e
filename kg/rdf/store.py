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

import ctypes
import errno
import fcntl
import functools
import gc
import io
import os
import re
import shutil
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, closing, contextmanager, nullcontext
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.errors import KgError, ScratchSpaceError, StoreBusyError
from kg.ledger import Manifest
from kg.rdf.vocab import GRAPH, NIF, PREFIXES, bind_prefixes

STORE_DIR = "store"
LOCK_FILE = "store.lock"
_GENERATION = re.compile(r"^store\.(\d+)$")
CHUNK_BYTES = 8 * 1024 * 1024
LINE_FORMATS = (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES)
_IS_STRING = ox.NamedNode(str(NIF.isString))
# lines a sorted run of the Turtle dump holds in memory: at 20k articles 200,000 held
# 26 MB more than 50,000 at the dump's peak, in the same time within the machine's noise
SORT_RUN_LINES = 50_000


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
    """The file beside a generation with its article graphs' digests (`kg.ledger.Manifest`)."""
    return generation.with_name(generation.name + ".manifest.sqlite")


def json_manifest_path(generation: Path) -> Path:
    """Where stores written before the SQLite manifest kept it (read once, then converted)."""
    return generation.with_name(generation.name + ".manifest.json")


@contextmanager
def updating(root: str | Path, locked: bool = False) -> Iterator[KgStore]:
    """A writable next generation of the store, published when the block succeeds.

    `locked` says the caller already holds `write_lock(root)`.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with updating(folder) as store:
    ...         store.replace_graphs({"urn:g": "<urn:a> <urn:b> <urn:c> ."})
    ...     KgStore(folder, read_only=True).triple_count()
    1
    """
    root = Path(root)
    with nullcontext() if locked else write_lock(root):
        current = published(root)
        numbers = [int(m.group(1)) for p in root.iterdir() if (m := _GENERATION.match(p.name))]
        staging = root / f"{STORE_DIR}.{max(numbers, default=0) + 1}"
        _remove_generations(root, keep={current, staging})  # leftovers of killed builds
        manifest_path(staging).unlink(missing_ok=True)  # a killed build's, without its folder
        if current is not None:
            _clone(current, staging)
            if manifest_path(current).exists():
                shutil.copyfile(manifest_path(current), manifest_path(staging))
            elif json_manifest_path(current).exists():
                Manifest.from_json(manifest_path(staging), json_manifest_path(current)).close()
        staging.mkdir(parents=True, exist_ok=True)
        store = KgStore._writable(root, staging)
        try:
            yield store
        except BaseException:
            store.close()  # then drop the unpublished generation
            shutil.rmtree(staging, ignore_errors=True)
            manifest_path(staging).unlink(missing_ok=True)
            raise
        store.flush()
        store.close()  # before readers may open the generation
        link = root / f".{STORE_DIR}.link"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(staging.name)
        if current is not None and current == root / STORE_DIR:
            current = current.rename(root / f"{STORE_DIR}.0")  # first layout: keep as the previous
        os.replace(link, root / STORE_DIR)
        _remove_generations(root, keep={current, staging})


def line_chunks(stream: BinaryIO, size: int = CHUNK_BYTES) -> Iterator[bytes]:
    r"""Cut a line-based RDF stream (N-Triples, N-Quads) into pieces of about `size` bytes
    that each end at a line end, so each piece parses on its own.

    Both formats escape line breaks inside literals, so a line end always ends a statement.

    >>> import io
    >>> list(line_chunks(io.BytesIO(b"<a> <b> <c> .\n<d> <e> <f> .\n"), size=4))
    [b'<a> <b> <c> .\n', b'<d> <e> <f> .\n']
    """
    rest = b""
    while block := stream.read(size):
        block = rest + block
        cut = block.rfind(b"\n") + 1
        if cut:
            yield block[:cut]
        rest = block[cut:]
    if rest:
        yield rest


def as_nquads(ntriples: str, graph: str) -> str:
    r"""N-Triples put into a named graph, as N-Quads.

    >>> as_nquads("<urn:a> <urn:b> <urn:c> .\n", "urn:g")
    '<urn:a> <urn:b> <urn:c> <urn:g> .\n'
    >>> as_nquads('# a comment\n<urn:a> <urn:b> "x" .', "urn:g")
    '<urn:a> <urn:b> "x" <urn:g> .\n'
    """
    lines = ntriples.count("\n")
    if (
        lines
        and ntriples.count(" .\n") == lines
        and ntriples.endswith(" .\n")
        and "\r" not in ntriples
        and "\n#" not in ntriples
        and "\n " not in ntriples
        and not ntriples.startswith(("#", " "))
    ):
        # one triple a line, as kg writes them (`kg.rdf.ntriples`): a newline only ever
        # ends a line (literals escape theirs), so the graph goes before each line's end
        return ntriples.replace(" .\n", f" <{graph}> .\n")
    quads = []
    for line in ntriples.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            quads.append(f"{line.removesuffix('.').rstrip()} <{graph}> .\n")
    return "".join(quads)


class GraphBatch:
    r"""Named graphs' N-Triples gathered as N-Quads in an unnamed temporary file, for one
    bulk load (`KgStore.replace_batch`, `KgStore.add_batch`): memory holds the graphs'
    names, not their triples, however big the batch.

    >>> batch = GraphBatch(None)
    >>> batch.add("urn:g", "<urn:a> <urn:b> <urn:c> .\n"); batch.add("urn:e", "")
    >>> batch.names, batch.empty, batch.triples, "urn:g" in batch
    (['urn:g', 'urn:e'], ['urn:e'], 1, True)
    >>> batch.close()
    """

    PURPOSE = "gather graphs to load"  # for the error a full disk gives

    def __init__(self, folder: str | Path | None) -> None:
        self.folder = folder
        self.file = tempfile.TemporaryFile(dir=folder, prefix=".kg-batch-")  # noqa: SIM115 - closed by close()
        self._names: dict[str, None] = {}  # in the order given
        self.empty: list[str] = []  # graphs with no triples, which a bulk load would not name
        self.bytes = 0
        self.triples = 0

    def add(self, name: str, ntriples: str) -> None:
        data = as_nquads(ntriples, name).encode()
        try:
            self.file.write(data)
        except OSError as exc:  # a full disk: say where, not a traceback
            raise ScratchSpaceError(self.folder, self.PURPOSE, exc) from None
        self._names[name] = None
        if not data:
            self.empty.append(name)
        self.bytes += len(data)
        self.triples += data.count(b"\n")

    def rewind(self) -> BinaryIO:
        """The batch's file, everything written and read from its start."""
        try:
            self.file.flush()  # what was buffered meets the disk only now
        except OSError as exc:
            raise ScratchSpaceError(self.folder, self.PURPOSE, exc) from None
        self.file.seek(0)
        return self.file

    @property
    def names(self) -> list[str]:
        return list(self._names)

    def __contains__(self, name: str) -> bool:
        return name in self._names

    def __len__(self) -> int:
        return len(self._names)

    def close(self) -> None:
        self.file.close()


def load_workers() -> int:
    """How many chunks load at once: the cores this process may use."""
    from kg._pool import cores

    return cores()


@functools.cache
def _libc():
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc
        return None


def release_freed_memory() -> None:
    """Hand the heap pages the bulk loader freed back to the system.

    glibc keeps freed memory for reuse; after a load those pages would otherwise add to
    the peak of whatever runs next (writing Turtle, drawing the page).
    """
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


M_ARENA_MAX = -8  # glibc's mallopt parameter for how many heaps threads may spread over
WRITER_ARENAS = 2


def limit_malloc_arenas(arenas: int = WRITER_ARENAS) -> bool:
    """Let this process's threads share at most `arenas` glibc heaps; whether it took.

    glibc gives threads heaps of their own (up to eight per core); the store's load
    threads, the store writer and the coordinator each leave freed but fragmented pages
    in theirs, which `malloc_trim` cannot hand back. Measured on bench.build_scale at
    100k articles: with this limit, peak RSS 490-530 MB over four runs, bulk loads
    113-117k triples/s, builds 253-293 s; without it, 529 and 544 MB, 145k triples/s
    (both runs), 238 and 257 s. The limit trades ~10% of the build's time for ~5% of its
    peak memory, bulk loads staying above 100k triples/s. Call it before the threads
    start; a system without glibc keeps its allocator as it is.
    """
    libc = _libc()
    if libc is None or not hasattr(libc, "mallopt"):
        return False
    return bool(libc.mallopt(M_ARENA_MAX, arenas))


def _numbered(chunks: Iterable[bytes]) -> Iterator[tuple[bytes, int]]:
    """Each chunk with the number of its first line in the whole input."""
    line = 1
    for chunk in chunks:
        yield chunk, line
        line += chunk.count(b"\n")


def _reason(error: SyntaxError) -> str:
    """The parser's complaint without its position (which is relative to a chunk)."""
    return re.sub(r"^Parser error (at|between) line .*? column \d+: ", "", error.msg)


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
            json_manifest_path(path).unlink(missing_ok=True)


class KgStore:
    """A kg knowledge graph on disk (``DIR/store``) or in memory (``path=None``)."""

    def __init__(self, root: str | Path | None, read_only: bool = False) -> None:
        self.root = Path(root) if root is not None else None
        self.manifest_path: Path | None = None
        self.generation: Path | None = None  # the generation opened for writing, if any
        self.read_only = read_only
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
        store.read_only = False
        try:
            store.store = ox.Store(str(path))
        except OSError as exc:
            raise StoreBusyError(f"{root}: store cannot be opened for writing ({exc})") from None
        store.manifest_path = manifest_path(path)
        store.generation = path
        return store

    def reopen_read_only(self) -> None:
        """Flush, close the writable handle and open the same generation read-only: what
        the writes held (memtables, the loader's caches) is let go before the outputs
        read the store, and no write can follow by mistake.

        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     with updating(folder) as store:
        ...         store.replace_graphs({"urn:g": "<urn:a> <urn:b> <urn:c> ."})
        ...         store.reopen_read_only()
        ...         store.triple_count()
        1
        """
        generation = self.generation
        if generation is None or self.read_only:
            return
        self.store.flush()
        self.close()
        release_freed_memory()
        self.store = ox.Store.read_only(str(generation))
        self.read_only = True

    def close(self) -> None:
        """Close RocksDB now (it closes when the last reference to the handle goes); a
        second call does nothing.

        >>> store = KgStore(None)
        >>> store.close(); store.close(); hasattr(store, "store")
        False
        """
        if self.__dict__.pop("store", None) is not None:
            gc.collect()

    def manifest(self) -> Manifest:
        """The digests of each article graph as last written, to skip unchanged articles:
        the generation being written (in memory for a store in memory). `Manifest.save`
        keeps changes; the caller closes it."""
        if self.read_only:
            raise KgError("the manifest is read and written by the build, in `updating`")
        return Manifest(self.manifest_path)

    # -- writing --------------------------------------------------------------------------
    def remove_graphs(self, names: Iterable[str]) -> None:
        """Drop these named graphs in one update (absent ones are ignored)."""
        drops = " ;\n".join(f"DROP SILENT GRAPH <{name}>" for name in names)
        if drops:
            self.store.update(drops)

    def replace_graphs(self, graphs: dict[str, str]) -> None:
        """Replace named graphs (IRI -> N-Triples) at once: drop them, then bulk load them.

        Much faster than a transaction per graph; like `bulk_load`, use it inside `updating`.
        A graph given no triples is kept, empty.

        >>> store = KgStore(None)
        >>> store.replace_graphs({"urn:g": "<urn:a> <urn:b> <urn:c> .", "urn:e": ""})
        >>> sorted(store.graph_names()), len(store.store)
        (['urn:e', 'urn:g'], 1)
        """
        with closing(self.new_batch()) as batch:
            for name, ntriples in graphs.items():
                batch.add(name, ntriples)
            self.replace_batch(batch)

    def add_to_graphs(self, graphs: dict[str, str]) -> None:
        """Add N-Triples to named graphs (IRI -> N-Triples) with one bulk load."""
        with closing(self.new_batch()) as batch:
            for name, ntriples in graphs.items():
                batch.add(name, ntriples)
            self.add_batch(batch)

    def new_batch(self) -> GraphBatch:
        """An empty batch of graphs to load, its file beside the store."""
        return GraphBatch(self.root)

    def replace_batch(self, batch: GraphBatch) -> None:
        """Replace the batch's graphs: drop those the store has, then bulk load the batch
        (each name once in a batch: `GraphBatch` keeps every graph it is given)."""
        if not batch:
            return
        present = [n for n in batch.names if self.store.contains_named_graph(ox.NamedNode(n))]
        self.remove_graphs(present)
        self.add_batch(batch)
        for name in batch.empty:  # a graph with no triples still exists
            self.store.add_graph(ox.NamedNode(name))

    def add_batch(self, batch: GraphBatch) -> None:
        """Add the batch's triples to its graphs with one bulk load, read from its file."""
        if not batch.bytes:
            return
        # a batch of one chunk loads on one thread: a pool would cost more than it saves
        workers = 1 if batch.bytes <= CHUNK_BYTES else None
        self.bulk_load(
            batch.rewind(), ox.RdfFormat.N_QUADS, workers=workers, label="article graphs"
        )

    def clear_derived(self, graphs: list[tuple[str, str]]) -> None:
        """Empty article graphs (graph IRI, article IRI) of all but the article node's own
        statements (its text and metadata, stored when it was read), in one update.

        >>> store = KgStore(None)
        >>> store.add_to_graphs({"urn:g": "<urn:a> <urn:p> <urn:x> .\\n<urn:q> <urn:p> <urn:a> ."})
        >>> store.clear_derived([("urn:g", "urn:a")])
        >>> [str(q.subject) for q in store.store]
        ['<urn:a>']
        """
        if not graphs:
            return
        rows = " ".join(f"(<{g}> <{a}>)" for g, a in graphs)
        self.store.update(
            "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { "
            f"VALUES (?g ?a) {{ {rows} }} "
            "GRAPH ?g { ?s ?p ?o } "
            "FILTER(?s != ?a || ?p = <https://kg.example.org/ns#sameTextAs>) }"
        )

    def bulk_load(
        self,
        source: str | Path | bytes | BinaryIO,
        format: ox.RdfFormat,
        *,
        to_graph: str | None = None,
        workers: int | None = None,
        label: str | None = None,
    ) -> None:
        r"""Add RDF to the store with Oxigraph's bulk loader, in parallel where it can.

        N-Quads and N-Triples are cut into line-aligned chunks of `CHUNK_BYTES` that load
        on `workers` threads (default: the usable cores); memory stays bounded by a few
        chunks whatever the input's size. Other formats load in one bulk-load call.
        Bulk loading is not transactional: use it inside `updating`, which publishes the
        new generation only if the whole load succeeded.

        Parameters
        ----------
        source : a file path, the data itself, or a binary stream
        format : the RDF syntax of `source`
        to_graph : the named graph for triples (formats without graphs)
        workers : how many chunks load at once
        label : how errors name the source (default: its path)

        Raises `KgError` naming the source and the line on a syntax error.

        >>> store = KgStore(None)
        >>> store.bulk_load(b"<urn:a> <urn:b> <urn:c> <urn:g> .\n", ox.RdfFormat.N_QUADS)
        >>> len(store.store)
        1
        """
        if isinstance(source, (str, Path)):
            label = label or str(source)
            with open(source, "rb") as stream:
                return self.bulk_load(
                    stream, format, to_graph=to_graph, workers=workers, label=label
                )
        label = label or "<data>"
        graph = ox.NamedNode(to_graph) if to_graph else None
        workers = workers or load_workers()
        try:
            if format not in LINE_FORMATS:
                self._load_one(source, format, graph, label)
                return
            if isinstance(source, bytes):
                if len(source) <= CHUNK_BYTES:
                    workers = 1  # threads would cost more than they save (and keep memory)
                source = io.BytesIO(source)
            self._load_chunks(line_chunks(source), format, graph, workers, label)
        finally:
            release_freed_memory()

    def _load_one(self, source, format, graph, label: str, first_line: int = 1) -> None:
        try:
            self.store.bulk_load(source, format, to_graph=graph)
        except SyntaxError as exc:
            line = first_line + (exc.lineno or 1) - 1
            raise KgError(f"{label}: line {line}: {_reason(exc)}") from None

    def _load_chunks(self, chunks: Iterable[bytes], format, graph, workers: int, label: str):
        numbered = _numbered(chunks)
        if workers == 1:
            for chunk, line in numbered:
                self._load_one(chunk, format, graph, label, line)
            return
        with ThreadPoolExecutor(workers) as pool:
            pending: deque = deque()
            for chunk, line in numbered:
                pending.append(pool.submit(self._load_one, chunk, format, graph, label, line))
                if len(pending) > workers:  # hold at most workers + 1 chunks in memory
                    pending.popleft().result()
            for future in pending:
                future.result()

    def graph_names(self) -> set[str]:
        return {g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)}

    def article_graphs(self) -> set[str]:
        return set(self.iter_article_graphs())

    def iter_article_graphs(self) -> Iterator[str]:
        """The names of the articles' graphs, streamed (the store may hold millions)."""
        prefix = str(GRAPH)
        for graph in self.store.named_graphs():
            if isinstance(graph, ox.NamedNode) and graph.value.startswith(prefix):
                yield graph.value

    def flush(self) -> None:
        if self.root is not None and not self.read_only:
            self.store.flush()

    def compact(self) -> None:
        """Merge the store's table files (what a bulk load leaves many of) so queries
        read fewer of them; a store on disk only."""
        if self.root is not None:
            self.store.optimize()

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

    def article_text(self, article: str) -> str | None:
        """The exact text stored for an article (``nif:isString``), by a lookup in the
        store's indexes, or None.

        >>> store = KgStore(None)
        >>> store.add_to_graphs({"urn:g": f'<urn:a> <{NIF.isString}> "It rained." .'})
        >>> store.article_text("urn:a"), store.article_text("urn:b")
        ('It rained.', None)
        """
        for quad in self.store.quads_for_pattern(ox.NamedNode(article), _IS_STRING, None, None):
            if isinstance(quad.object, ox.Literal):
                return quad.object.value
        return None

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

    def distinct_ntriples(
        self, folder: str | Path, lines_per_run: int = SORT_RUN_LINES
    ) -> Iterator[bytes]:
        r"""Every triple of the union of graphs once, as sorted N-Triples lines, in memory
        bounded by `lines_per_run` whatever the store's size.

        An external merge sort: the quads are dumped (streamed by Oxigraph), stripped of
        their graph, sorted in runs written to `folder`, then merged with repeats dropped.
        A SPARQL ``SELECT DISTINCT ... ORDER BY`` over millions of triples holds them all.

        >>> import tempfile
        >>> store = KgStore(None)
        >>> store.add_to_graphs({"urn:g": "<urn:b> <urn:p> \"x y\" .\n", "urn:h": "<urn:b> <urn:p> \"x y\" .\n<urn:a> <urn:p> <urn:c> .\n"})
        >>> list(store.distinct_ntriples(tempfile.mkdtemp(), lines_per_run=1))
        [b'<urn:a> <urn:p> <urn:c> .\n', b'<urn:b> <urn:p> "x y" .\n']
        """
        import heapq

        with tempfile.TemporaryDirectory(dir=folder, prefix=".sort-") as tmp:
            runs: list[Path] = []

            def spill(lines: list[bytes]) -> None:
                lines.sort()
                run = Path(tmp) / f"run-{len(runs)}.nt"
                with open(run, "wb") as fh:
                    fh.writelines(lines)
                runs.append(run)

            dump = Path(tmp) / "all.nq"
            with open(dump, "wb") as fh:
                self.store.dump(fh, format=ox.RdfFormat.N_QUADS)
            lines: list[bytes] = []
            with open(dump, "rb") as fh:
                for quad in fh:
                    # "<s> <p> <o> <g> .": graph names are IRIs, without spaces
                    lines.append(quad.rsplit(b" ", 2)[0] + b" .\n")
                    if len(lines) >= lines_per_run:
                        spill(lines)
                        lines = []
            dump.unlink()
            spill(lines)
            with ExitStack() as stack:
                handles = [stack.enter_context(open(run, "rb")) for run in runs]
                last = None
                for line in heapq.merge(*handles):
                    if line != last:
                        yield line
                        last = line

    def write_turtle(self, output: BinaryIO, folder: str | Path) -> int:
        """Write the union of all graphs as Turtle (each triple once, sorted, kg's
        prefixes), streamed through `distinct_ntriples` so memory stays bounded; `folder`
        holds the sort's temporary files. Returns the number of distinct triples."""
        count = 0
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".union-", suffix=".nt") as sorted_nt:
            for line in self.distinct_ntriples(folder):
                sorted_nt.write(line)
                count += 1
            sorted_nt.flush()
            prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
            triples = ox.parse(path=sorted_nt.name, format=ox.RdfFormat.N_TRIPLES)
            ox.serialize(triples, output, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        return count

    def sorted_ntriples(self) -> str:
        """The union of all graphs as sorted, distinct N-Triples: equal strings mean
        identical graphs (there are no blank nodes)."""
        triples = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        lines = {f"{t.subject} {t.predicate} {t.object} ." for t in triples}
        return "\n".join(sorted(lines)) + "\n"
