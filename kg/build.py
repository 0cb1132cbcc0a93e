"""The build, below the command line: map -> reduce -> store -> outputs.

1. **Map** (ingest -> nlp -> extract), a pure function of a partition of the input files,
   runs inline, in local worker processes (`--workers N`) or as tasks on a Dask
   distributed cluster (`--dask`). Local workers are forked from a server that loaded
   the model once for all of them (`kg._pool`); each Dask worker loads its own. A partition
   returns small records (quotes, names, the article's metadata without its text) and,
   for a build, the N-Triples of each article node with its exact text.
2. The **store writer** (a thread) bulk loads those article nodes into the new store
   generation while extraction goes on, so the coordinator never holds the texts; the
   records are **spilled** to an unnamed temporary file in the build folder
   (`kg.spill`) as they arrive, so it never holds the corpus's records either.
3. The **reduce** (`resolve`: `kg.resolve.reduce_corpus`) reads the spill in input
   order, four times: canonical people, statement ids; articles with identical text are
   linked. Its decisions for each quote and article go back to the spill, by partition.
   Over a big corpus it runs in a process of its own, lent the spill (`resolve_apart`),
   so the memory it used is the system's again when it ends.
4. The **store** then receives each article's quotations, people and topics (only where
   they changed since the last build) as the spill is read a partition at a time, and
   `quotes.jsonl` is written in the same pass; stale articles are pruned or counted, and
   graph.ttl (an external sort), graph.html (the most quoted speakers, up to
   `page_quotes` quotes) and report.json are written.

Memory on the coordinator: one partition of records, the reduce's tables (counts and
spellings per distinct name, a few integers per quote in arrays, one speaker's word sets
at a time) and the page's quotes; what it keeps per file or article (the list of input
files, the store manifest, which source and which text came first, which graphs it wrote)
is in SQLite (`kg.ledger`), and graphs wait for their bulk load in a temporary file
(`kg.rdf.store.GraphBatch`).
The graph, quotes.jsonl and report.json (apart from its timings) do not depend on the
engine or the number of workers: results are put back in input order before the reduce.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from kg._pool import cores, pool_pays, start_fork_server, workers_import_this_kg
from kg.corpus import ArticleInfo, Extracted, extract_stream
from kg.errors import KgError
from kg.ingest import Article, Skipped, Source, iter_sources, read_source
from kg.ledger import BuildLedger, FileList, FirstSeen, Manifest
from kg.resolve import Resolution
from kg.spill import Spill

# Graphs bulk loaded at once, gathered in a file (`kg.rdf.store.GraphBatch`) so memory
# holds their names only: each bulk load has a fixed cost (new table files, which the
# store later merges) that small batches would pay thousands of times. Measured on
# bench.build_scale at 20k articles: 500 graphs / 8 MB loaded 105-114k triples/s, 2,000 /
# 32 MB 152k, 4,000 / 64 MB 153k (while the batches were held in memory, 1,000 / 16 MB
# cost 60-100 MB more than 500 / 8 MB).
LOAD_EVERY = 2000
LOAD_BYTES = 32 * 1024 * 1024  # ... or this much N-Quads, whichever comes first
MAX_PARTITION = 16  # files per map task
# A reduce over at least this much spilled records runs in a process of its own
# (`resolve_apart`): what it allocates, freed among the tables that outlive it, would
# otherwise stay with the coordinator for the store and the outputs (measured on
# bench.build_scale at 100k articles, a 140 MB spill: 85 MB). Below it, starting the
# process (importing kg, about 2 s) would cost more than the reduce.
REDUCE_APART_BYTES = 16 * 1024 * 1024
# graph.html of a build holds the quotes of the most quoted speakers up to this many (the
# page of 50,000 quotes opens in about 2 s; making it costs the build ~2 KB per quote)
PAGE_QUOTES = 50_000
# An extractor turns a batch of articles into their Extracted records, in order; the
# default is kg's own pipeline. Tests and benchmarks pass their own.
Extractor = Callable[[list[Article], "MapOptions"], Iterable[Extracted]]


usable_cores = cores  # the cores this process may run on (its CPU affinity)


@dataclass(frozen=True)
class MapOptions:
    """What every map task needs besides its files (small and picklable)."""

    max_bytes: int = 5 * 1024 * 1024
    max_quotes: int = 2000
    topics: str | None = None  # a taxonomy file; None: the shipped one
    source_triples: bool = True  # also return each article node's N-Triples (a build)
    pipeline: str | None = None  # an attribution sieve pipeline file; None: the shipped one
    disable: tuple[str, ...] = ()  # sieves switched off
    topic_keywords: str | None = None  # a topic keyword file; None: the shipped one


@dataclass
class MapResult:
    """One partition's output: records in input order and the article nodes to store."""

    items: list[Extracted | Skipped] = field(default_factory=list)
    failed: list[Skipped] = field(default_factory=list)
    graphs: list[tuple[str, str]] = field(default_factory=list)  # (graph IRI, N-Triples)


def kg_extractor(articles: list[Article], options: MapOptions) -> Iterator[Extracted]:
    """kg's pipeline over a batch of articles (the model and taxonomy load once per process)."""
    from kg.extract.topics import default_taxonomy

    return extract_stream(
        articles,
        default_taxonomy(options.topics, options.topic_keywords),
        options.max_quotes,
        sieve_pipeline(options.pipeline, options.disable),
    )


@functools.lru_cache(maxsize=4)
def sieve_pipeline(path: str | None, disable: tuple[str, ...]):
    """The attribution sieve pipeline, read once per process (and checked by the CLI
    before any work, so a bad file fails with its name)."""
    from kg.extract.sieves import load_pipeline_config

    return load_pipeline_config(path, disable)


_MAP_LOCK = threading.Lock()  # a Dask worker with several threads parses one task at a time


def map_partition(
    sources: list[Source], options: MapOptions, extractor: Extractor | None = None
) -> MapResult:
    """The map step for some files: read, parse and extract them.

    An article whose extraction raises is reported in `failed` with the error; the others
    go on (a failing batch is retried one article at a time to find the culprit).
    """
    extractor = extractor or kg_extractor
    with _MAP_LOCK:
        result = MapResult()
        read = [item for source in sources for item in read_source(source, options.max_bytes)]
        articles = [item for item in read if not isinstance(item, Skipped)]
        outcomes = iter(_extract_isolating_failures(articles, options, extractor))
        for item in read:  # records in the order of the files
            outcome = item if isinstance(item, Skipped) else next(outcomes)
            if isinstance(item, Skipped):
                result.items.append(item)
            elif isinstance(outcome, Skipped):
                result.failed.append(outcome)
            else:
                if options.source_triples:
                    from kg.rdf.triples import graph_iri, source_triples

                    graph = str(graph_iri(item.id))
                    result.graphs.append((graph, source_triples(outcome.info)))
                outcome.info = outcome.info.without_text()
                result.items.append(outcome)
        return result


def _extract_isolating_failures(
    articles: list[Article], options: MapOptions, extractor: Extractor
) -> list[Extracted | Skipped]:
    """One outcome per article, in order: its record, or why its extraction failed."""
    if not articles:
        return []
    try:
        extracted = list(extractor(articles, options))
        if len(extracted) == len(articles):
            return extracted
    except Exception:  # noqa: BLE001 - find the article at fault, keep the others
        pass
    outcomes: list[Extracted | Skipped] = []
    for article in articles:
        try:
            (one,) = extractor([article], options)
            outcomes.append(one)
        except Exception as exc:  # noqa: BLE001 - one bad article never sinks the batch
            outcomes.append(Skipped(article.doc, _failure(exc)))
    return outcomes


def _failure(exc: BaseException) -> str:
    message = " ".join(str(exc).split())[:300]
    return f"extraction failed: {type(exc).__name__}" + (f": {message}" if message else "")


def _warm(options: MapOptions) -> None:
    """Load the model and taxonomy once, when a worker process starts. The worker dies
    with its parent, the fork server, which dies with the build (`kg._forkserver`)."""
    from kg._forkserver import die_with_parent

    die_with_parent()
    _warm_shared(options)


def _warm_shared(options: MapOptions) -> None:
    """The model, taxonomy and sieves a map task uses (each cached for the process)."""
    from kg.extract.topics import default_taxonomy
    from kg.nlp import load_pipeline

    load_pipeline()
    default_taxonomy(options.topics, options.topic_keywords)
    sieve_pipeline(options.pipeline, options.disable)


# -- engines: each yields (partition number, MapResult), every partition once ----------------
def run_inline(partitions: Sequence[list[Source]], options: MapOptions, extractor=None):
    for number, part in enumerate(partitions):
        yield number, map_partition(part, options, extractor)


def run_processes(
    partitions: Sequence[list[Source]], options: MapOptions, workers: int, extractor=None
):
    """Local worker processes (started from a clean fork server), at most two partitions
    each in flight so results never pile up, each yielded as soon as it is done; a pool
    broken by a killed worker is restarted and its unfinished partitions run again
    (twice at most)."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    context = start_fork_server()  # it may be running already: kg build starts it early

    def new_pool():
        return ProcessPoolExecutor(
            workers, mp_context=context, initializer=_warm, initargs=(options,)
        )

    pool = new_pool()
    attempts = [0] * len(partitions)
    waiting = deque(range(len(partitions)))
    pending: dict = {}  # future -> partition number
    try:
        while waiting or pending:
            while waiting and len(pending) < 2 * workers:
                number = waiting.popleft()
                pending[pool.submit(map_partition, partitions[number], options, extractor)] = number
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = []
            for future in sorted(done, key=pending.get):
                number = pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    broken.append(number)
                    continue
                yield number, result
            if broken:
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
                retry = sorted([*broken, *pending.values()])
                pending.clear()
                for number in broken:
                    attempts[number] += 1
                    if attempts[number] > 2:
                        retry.remove(number)
                        yield number, _failed_partition(partitions[number], "a worker process died")
                waiting.extendleft(reversed(retry))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_dask(
    partitions: Sequence[list[Source]],
    options: MapOptions,
    address: str,
    workers: int,
    extractor=None,
):
    """Partitions as tasks on a Dask distributed cluster (`address`, or "local" for a
    LocalCluster of `workers` processes), gathered as they complete. Dask re-runs the
    tasks of a worker that dies; a task that still fails marks its files failed."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise KgError(
            "--dask needs Dask distributed: pip install 'kg[dask]' (or 'dask[distributed]')"
        ) from None
    cluster = None
    if address == "local":
        workers_import_this_kg()
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
            silence_logs=40,
        )
        client = Client(cluster)
    else:
        try:
            client = Client(address, timeout="30s")
        except (OSError, TimeoutError) as exc:
            raise KgError(f"--dask {address}: cannot reach the scheduler ({exc})") from None
    try:
        slots = max(2, 2 * sum(client.nthreads().values()))
        tasks = iter(enumerate(partitions))
        owner = {}
        running = as_completed()
        for number, part in tasks:
            future = client.submit(map_partition, part, options, extractor, pure=False)
            owner[future.key] = number
            running.add(future)
            if len(owner) >= slots:
                break
        for future in running:
            number = owner.pop(future.key)
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - the task failed on every attempt
                result = _failed_partition(partitions[number], _failure(exc))
            future.release()
            for next_number, part in tasks:
                new = client.submit(map_partition, part, options, extractor, pure=False)
                owner[new.key] = next_number
                running.add(new)
                break
            yield number, result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _failed_partition(sources: list[Source], reason: str) -> MapResult:
    return MapResult(failed=[Skipped(s.location, f"extraction failed: {reason}") for s in sources])


# -- the store writer ----------------------------------------------------------------------
def _digest(ntriples: str) -> str:
    return hashlib.sha256("\n".join(sorted(ntriples.splitlines())).encode()).hexdigest()


class SourceWriter(threading.Thread):
    """Bulk loads article nodes (with their texts) into the store while the map step runs.

    Batches arrive through a bounded queue, so a slow store holds back the map step
    instead of filling memory. An article whose node is as stored is left alone; a new or
    changed one has its whole graph replaced (its quotations follow after the reduce).
    When one source arrives twice (a url in two JSONL files), the first in input order wins.
    """

    def __init__(self, store, manifest: Manifest, ledger: BuildLedger) -> None:
        super().__init__(name="kg-store-writer", daemon=True)
        self.store = store
        self.manifest = manifest
        self.ledger = ledger  # which graphs were present, which this build replaced
        self.triples = 0
        self.seconds = 0.0
        self.error: BaseException | None = None
        self.queue: queue.Queue = queue.Queue(maxsize=4)
        self.batch = store.new_batch()  # on disk until it loads

    def put(self, number: int, graphs: list[tuple[str, str]]) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((number, graphs))

    def close(self) -> None:
        self.queue.put(None)
        self.join()
        if self.error is not None:
            raise self.error

    def run(self) -> None:
        try:
            while (item := self.queue.get()) is not None:
                number, graphs = item
                for position, (name, ntriples) in enumerate(graphs):
                    self._add(name, ntriples, (number, position))
                    if len(self.batch) >= LOAD_EVERY or self.batch.bytes >= LOAD_BYTES:
                        self._flush()
            self._flush()
        except BaseException as exc:  # noqa: BLE001 - handed to the coordinator
            self.error = exc
            while self.queue.get() is not None:  # let the coordinator finish putting
                pass
        finally:
            with contextlib.suppress(OSError):  # a full disk was said where it happened
                self.batch.close()

    def _add(self, name: str, ntriples: str, key: tuple[int, int]) -> None:
        if not self.ledger.claim(name, key):
            return  # the same source seen earlier in input order
        digest = _digest(ntriples)
        unchanged = self.manifest.digests(name)[0] == digest and self.ledger.is_present(name)
        if unchanged and not self.ledger.is_fresh(name):
            return
        self.manifest.set_source(name, digest)
        if name in self.batch:  # an earlier source of a graph already in the batch: the
            self._flush()  # batch loads first, and this source replaces the graph next
            # (so `triples`, what was loaded, counts both copies)
        self.batch.add(name, ntriples)

    def _flush(self) -> None:
        if not self.batch:
            return
        started = time.perf_counter()
        self.store.replace_batch(self.batch)
        self.ledger.mark_fresh(self.batch.names)
        self.triples += self.batch.triples
        self.batch.close()
        self.batch = self.store.new_batch()
        self.seconds += time.perf_counter() - started


# -- collecting the map step's results -----------------------------------------------------
@dataclass
class Collected:
    """The map step's records, spilled to disk as partitions arrive (`kg.spill`), with
    what went wrong and how long it took. `records()` reads them back in input order, one
    partition in memory at a time; `close()` drops the spill."""

    spill: Spill
    partitions: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    failed: list[Skipped] = field(default_factory=list)
    map_seconds: float = 0.0
    # (partition, position among its records) of an article whose source came before
    repeats: set[tuple[int, int]] = field(default_factory=set)

    def records(self) -> Iterator[tuple[int, list[Extracted]]]:
        """Each partition's articles in input order (a source read twice: the first)."""
        for number in range(self.partitions):
            if number in self.spill:
                items = self.spill.get(number)
                yield number, [e for i, e in enumerate(items) if (number, i) not in self.repeats]

    def close(self) -> None:
        self.spill.close()


def partition_bounds(files: int, workers: int) -> list[tuple[int, int]]:
    """Files cut into tasks of consecutive files, at most 16 each, smaller towards the
    end (guided self-scheduling: a task holds a quarter of a worker's share of what is
    left), so that no worker is still on a long task while the others have nothing.
    Each task is given as the (start, stop) of its files.

    >>> [stop - start for start, stop in partition_bounds(40, 2)]
    [5, 4, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    >>> partition_bounds(5, 1)
    [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]
    """
    bounds, start = [], 0
    while start < files:
        size = max(1, min(MAX_PARTITION, (files - start) // (4 * workers)))
        bounds.append((start, start + size))
        start += size
    return bounds


class Partitions(Sequence[list[Source]]):
    """The map tasks over a build's files (`partition_bounds`), each task's sources read
    from the file list on disk when it is sent, so the coordinator never holds the list
    of a corpus's files; with `absolute`, each location is made absolute (for Dask
    workers, which may run elsewhere).

    >>> files = FileList()
    >>> for n in range(40):
    ...     files.add(f"in/{n}.txt", f"{n}.txt")
    >>> tasks = Partitions(files, workers=2)
    >>> len(tasks), [s.doc for s in tasks[1]]
    (23, ['5.txt', '6.txt', '7.txt', '8.txt'])
    >>> files.close()
    """

    def __init__(self, files: FileList, workers: int, absolute: bool = False) -> None:
        self.files = files
        self.bounds = partition_bounds(len(files), workers)
        self.absolute = absolute

    def __len__(self) -> int:
        return len(self.bounds)

    def __getitem__(self, number: int) -> list[Source]:  # type: ignore[override]
        rows = self.files.rows(*self.bounds[number])
        if self.absolute:
            return [Source(str(Path(location).absolute()), doc) for location, doc in rows]
        return [Source(location, doc) for location, doc in rows]


def collect(
    paths: list[str],
    options: MapOptions,
    *,
    workers: int = 1,
    dask: str | None = None,
    exclude: Iterable[str | Path] = (),
    on_item: Callable | None = None,
    writer: SourceWriter | None = None,
    extractor: Extractor | None = None,
    spill_dir: str | Path | None = None,
) -> Collected:
    """Run the map step over every file under `paths`, spilling its records to a
    temporary file in `spill_dir` (default: the system's) as they arrive.

    Partitions may finish in any order (Dask); what needs input order (which of two
    articles from one source is kept, the order of the skipped files) is decided from a
    few words per article as soon as every earlier partition is in.
    """
    started = time.perf_counter()
    collected = Collected(Spill(spill_dir))
    with (
        contextlib.closing(FileList()) as files,
        contextlib.closing(FirstSeen()) as first_doc,  # article id -> its first file
    ):
        for item in iter_sources(paths, exclude):
            if isinstance(item, Skipped):
                collected.skipped.append(item)
                if on_item:
                    on_item(item)
            else:
                files.add(item.location, item.doc)
        if dask:
            parts = Partitions(files, workers, absolute=True)
            results = run_dask(parts, options, dask, workers, extractor)
        elif pool_pays(len(files), workers):
            parts = Partitions(files, workers)
            results = run_processes(parts, options, workers, extractor)
        else:  # a handful of files: starting worker processes would cost more than it saves
            parts = Partitions(files, 1)
            results = run_inline(parts, options, extractor)
        collected.partitions = len(parts)
        _gather(results, collected, first_doc, writer, on_item)
    collected.map_seconds = time.perf_counter() - started
    return collected


def _gather(results, collected: Collected, first_doc: FirstSeen, writer, on_item) -> None:
    """Spill each partition's records as it arrives; in input order, tell which article
    came from a source already read."""
    waiting: dict[int, tuple[list, list[Skipped]]] = {}  # partitions ahead of their turn
    turn = 0
    for number, result in results:
        if writer is not None:
            writer.put(number, result.graphs)
        collected.spill.put(number, [i for i in result.items if not isinstance(i, Skipped)])
        summary = [
            i if isinstance(i, Skipped) else (i.info.id, i.info.doc, i.info.source)
            for i in result.items
        ]
        waiting[number] = (summary, result.failed)
        if on_item:
            for item in [*result.items, *result.failed]:
                on_item(item)
        del result
        while turn in waiting:
            summary, failed = waiting.pop(turn)
            position = 0
            for entry in summary:
                if isinstance(entry, Skipped):
                    collected.skipped.append(entry)
                    continue
                article, doc, source = entry
                if (earlier := first_doc.first(article, doc)) is not None:
                    collected.repeats.add((turn, position))
                    reason = f"same source as {earlier} ({source}): read once"
                    collected.skipped.append(Skipped(doc, reason))
                    if on_item:
                        on_item(collected.skipped[-1])
                position += 1
            collected.failed += failed
            turn += 1


@dataclass
class Reduced:
    """The reduce step's output over a corpus: what is corpus-wide (people merged,
    conflicts, which articles share a text, counts). What it decided for each quote and
    article (canonical speaker, statement, alternate names) waits in the spill, by
    partition, until `resolved_articles` hands it to the outputs."""

    resolution: Resolution
    wikidata: dict[str, str]
    same_text: dict[str, list[str]]  # article id -> the other articles with its text
    same_text_groups: list[list[str]]  # their docs, for report.json
    articles: int = 0
    quotes: int = 0
    speakers: int = 0
    statements: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    limited: list[tuple[str, str]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class ResolvedArticle:
    """One article with its quotes as the reduce resolved them, for the outputs."""

    info: ArticleInfo
    quotes: list
    alternate_names: dict[str, list[str]] | None = None
    merges: dict[str, dict[str, tuple[str, ...]]] | None = None


def resolve(collected: Collected, aliases=None) -> Reduced:
    """The reduce step over the spilled records (`kg.resolve.reduce_corpus`).

    It reads the spill four times in input order and keeps only what is corpus-wide
    (counts and spellings per name, a few integers per quote); its decisions for each
    quote and article are spilled again by partition on the last reading.
    """
    from kg.resolve import AliasTable, forget_name_caches, reduce_corpus

    started = time.perf_counter()
    aliases = aliases or AliasTable()

    def articles():
        for _, extracted in collected.records():
            for item in extracted:
                yield item.info.id, item.quotes.quotes, item.quotes.people

    state = reduce_corpus(articles, aliases)
    limited: list[tuple[str, str]] = []
    shared: dict[str, list[tuple[str, str]]] = {}  # content hash -> its articles, if several
    count = 0
    # content hash -> its first article (id and doc), on disk: one row per article
    with contextlib.closing(FirstSeen()) as first_with_text:
        for number, extracted in collected.records():
            decided = []
            for item in extracted:
                info = item.info
                decision = state.decide(info.id, item.quotes.quotes, item.quotes.people)
                decided.append((decision.alternate_names, decision.merges, decision.quotes))
                count += 1
                limited += [(info.path, note) for note in item.notes]
                if info.content_hash:
                    here = (info.id, info.doc)
                    first = first_with_text.first(info.content_hash, json.dumps(here))
                    if first is not None:
                        group = shared.setdefault(info.content_hash, [tuple(json.loads(first))])
                        group.append(here)
            collected.spill.put(("resolved", number), decided)
    resolution = state.resolution()
    forget_name_caches()
    reduced = Reduced(
        resolution,
        dict(aliases.wikidata),
        {
            member: sorted(other for other, _ in group if other != member)
            for group in shared.values()
            for member, _ in group
        },
        sorted(sorted(doc for _, doc in group) for group in shared.values()),
        articles=count,
        quotes=state.quotes,
        speakers=len(state.speakers),
        statements=state.statements,
        skipped=collected.skipped,
        limited=limited,
    )
    reduced.timings = {
        "extract_seconds": round(collected.map_seconds, 3),
        "resolve_seconds": round(time.perf_counter() - started, 3),
    }
    return reduced


def resolve_apart(collected: Collected, aliases=None) -> Reduced:
    """`resolve` in a fresh process that is lent the spill (`kg.spill.Spill.lend`), so
    all the memory the reduce used goes back to the system when it ends; the same
    `Reduced` and the same decisions in the spill as `resolve` in this process.

    Raises the reduce's own error if it fails, and `KgError` if its process dies.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")  # not a fork of a process with threads
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        task = pool.submit(
            _resolve_lent,
            collected.spill.lend(),
            collected.partitions,
            collected.repeats,
            collected.map_seconds,
            aliases,
        )
        try:
            reduced, added = task.result()
        except BrokenProcessPool:
            raise KgError(
                "the reduce step's process ended before it finished (out of memory, or "
                "killed); nothing was stored"
            ) from None
    collected.spill.take_back(added)
    reduced.skipped = collected.skipped
    reduced.timings["resolve_seconds"] = round(time.perf_counter() - started, 3)
    return reduced


def _resolve_lent(lent, partitions: int, repeats, map_seconds: float, aliases):
    """`resolve_apart`'s side: the reduce over a lent spill, and what it added to it."""
    spill = Spill.borrow(lent)
    try:
        collected = Collected(spill, partitions, repeats=repeats, map_seconds=map_seconds)
        reduced = resolve(collected, aliases)
        # what the reduce's process held at its peak: the coordinator's own peak no longer
        # shows it
        reduced.timings["reduce_process_peak_rss_mb"] = _peak_rss_mb()
        return reduced, spill.give_back()
    finally:
        spill.close()


def _peak_rss_mb() -> int | None:
    """This process's own peak resident memory in MB (None where the system does not
    say). Read from /proc, not `getrusage`: a spawned process starts as a fork, and on
    Linux its `ru_maxrss` keeps the peak of the parent it was forked from."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024)
    except (OSError, ValueError, IndexError):
        pass
    return None


def reduce_step(collected: Collected, aliases=None, apart: bool | None = None) -> Reduced:
    """The reduce, in this process or apart (`resolve_apart`): apart when `apart`, or,
    left to None, when the spill holds at least `REDUCE_APART_BYTES`."""
    if apart is None:
        apart = collected.spill.bytes >= REDUCE_APART_BYTES
    return (resolve_apart if apart else resolve)(collected, aliases)


def resolved_articles(collected: Collected) -> Iterator[ResolvedArticle]:
    """Every article in input order with its quotes as the reduce resolved them, read
    back from the spill a partition at a time (after `resolve`)."""
    from kg.resolve import apply_decision

    for number, extracted in collected.records():
        decided = collected.spill.get(("resolved", number))
        for item, (alternate, merges, fields) in zip(extracted, decided, strict=True):
            for q, decided in zip(item.quotes.quotes, fields, strict=True):
                apply_decision(q, decided)
            yield ResolvedArticle(item.info, item.quotes.quotes, alternate, merges)


def quote_records(article: ResolvedArticle) -> Iterator[dict]:
    """`quotes.jsonl` records: each quote with its article's url, title, outlet and date."""
    provenance = article.info.provenance()
    for q in article.quotes:
        record = q.to_json()
        record.update(provenance)
        yield record


def _writing_quotes(articles: Iterable[ResolvedArticle], fh) -> Iterator[ResolvedArticle]:
    """The articles, each written to `quotes.jsonl` as it passes."""
    for article in articles:
        for record in quote_records(article):
            fh.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
        yield article


# -- the whole build -----------------------------------------------------------------------
@dataclass
class BuildResult:
    reduced: Reduced
    counts: dict
    failed: list[Skipped]
    stale: int
    report: dict
    # (quotes on graph.html, quotes in the store) when the page was cut to `page_quotes`
    page_cut: tuple[int, int] | None = None


def build(
    paths: list[str],
    out: str | Path,
    options: MapOptions,
    *,
    aliases=None,
    prune: bool = False,
    max_nodes: int = 2000,
    page_quotes: int | None = PAGE_QUOTES,
    workers: int = 1,
    dask: str | None = None,
    on_item: Callable | None = None,
    extractor: Extractor | None = None,
    reduce_apart: bool | None = None,
) -> BuildResult:
    """`kg build`: map with the store writer alongside, reduce, store, outputs.

    The map step's records go to a temporary file in `out` as they arrive; the reduce
    and the outputs (the store's quotations, `quotes.jsonl`) read them back in input
    order, so memory does not grow with the corpus. `graph.html` holds the quotes of the
    most quoted speakers, at most `page_quotes` (None: all of them). The reduce runs in
    a process of its own for a big corpus (`reduce_step`; `reduce_apart` decides it).
    """
    from kg.extract.topics import default_taxonomy
    from kg.files import atomic_output, atomic_write
    from kg.outputs.html import page_model, write_page
    from kg.outputs.pagedata import read_page_data
    from kg.rdf.store import limit_malloc_arenas, release_freed_memory, updating, write_lock

    limit_malloc_arenas()  # before the writer's and the loaders' threads start
    out = Path(out)
    started = time.perf_counter()
    engine = {"engine": "dask" if dask else "processes" if workers > 1 else "inline"}
    engine["workers"] = workers
    with write_lock(out):
        # quotes.jsonl and graph.html are replaced after the store is published, and only
        # if it is
        with (
            atomic_output(out / "quotes.jsonl") as quotes_file,
            atomic_output(out / "graph.html") as page_file,
            updating(out, locked=True) as store,
            contextlib.closing(store.manifest()) as manifest,
            contextlib.closing(BuildLedger()) as ledger,
        ):
            ledger.mark_present(store.iter_article_graphs())
            # the store pass's taxonomy loads while the workers parse (an error in it is
            # raised again where the store pass asks for it)
            taxonomy = threading.Thread(
                target=_quietly,
                args=(default_taxonomy, options.topics, options.topic_keywords),
                daemon=True,
            )
            taxonomy.start()
            writer = SourceWriter(store, manifest, ledger)
            writer.start()
            try:
                collected = collect(
                    paths,
                    options,
                    workers=workers,
                    dask=dask,
                    exclude=[out],
                    on_item=on_item,
                    writer=writer,
                    extractor=extractor,
                    spill_dir=out,
                )
            finally:
                writer.close()
            try:
                reduced = reduce_step(collected, aliases, reduce_apart)
                release_freed_memory()  # the reduce's records, before the store's turn
                if not reduced.articles:
                    report = _report(reduced, collected, {}, 0, started, engine)
                    atomic_write(out / "report.json", _json(report))
                    raise NoArticles(report)
                taxonomy.join()
                stored = time.perf_counter()
                articles = _writing_quotes(resolved_articles(collected), quotes_file)
                counts = _store_quotes(store, reduced, articles, options, writer, prune)
            finally:
                collected.close()
            counts["source_triples_loaded"] = writer.triples
            load_triples = counts.pop("load_triples") + writer.triples
            load_seconds = counts.pop("load_seconds") + writer.seconds
            timings = {
                "store_seconds": round(time.perf_counter() - stored + writer.seconds, 3),
                "store_overlapped_seconds": round(writer.seconds, 3),
                # the bulk loads alone (the rest of store_seconds makes the triples)
                "store_load_triples_per_second": round(load_triples / max(load_seconds, 1e-9)),
            }
            written = time.perf_counter()
            store.reopen_read_only()  # the outputs only read
            with (
                atomic_output(out / "graph.ttl") as fh,
                ThreadPoolExecutor(1, thread_name_prefix="kg-turtle") as turtle,
            ):
                # Oxigraph reads the store for Turtle without the GIL, so the page is
                # made meanwhile on the other core
                triples = turtle.submit(store.write_turtle, fh, out)
                data = read_page_data(store, max_quotes=page_quotes)
                page_cut = (
                    (len(data.quotes), data.quotes_in_store) if data.quotes_in_store else None
                )
                model = page_model(data, max_nodes)
                del data
                write_page(model, lambda piece: page_file.write(piece.encode("utf-8")))
                del model
                counts["triples"] = triples.result()
        timings["outputs_seconds"] = round(time.perf_counter() - written, 3)
        stale = counts.pop("stale")
        report = _report(reduced, collected, counts, stale, started, {**engine, **timings})
        atomic_write(out / "report.json", _json(report))
    return BuildResult(reduced, counts, collected.failed, stale, report, page_cut)


def _quietly(function: Callable, *args) -> None:
    """Call `function` for its cached result, if any; a failure shows where it is used."""
    with contextlib.suppress(Exception):  # raised again where the result is needed
        function(*args)


class NoArticles(KgError):
    """Nothing under the given paths could be used (the report is written all the same)."""

    def __init__(self, report: dict) -> None:
        super().__init__("no usable article in the given paths")
        self.report = report


def _store_quotes(
    store, reduced: Reduced, articles: Iterable[ResolvedArticle], options, writer, prune
) -> dict:
    """Add each article's quotations, people and topics to its graph where they changed."""
    from kg.extract.topics import default_taxonomy
    from kg.rdf.triples import article_iri, article_triples, graph_iri

    taxonomy = default_taxonomy(options.topics, options.topic_keywords)
    manifest, ledger = writer.manifest, writer.ledger
    written = unchanged = 0
    loads = store.new_batch()  # on disk until it loads
    clears: list[tuple[str, str]] = []
    loaded = {"triples": 0, "seconds": 0.0}  # what the store's own writes took
    # a batch loads on a thread (Oxigraph without the GIL) while the next one is written;
    # one batch at a time, in order, so a changed graph is cleared before it is added to
    loader = ThreadPoolExecutor(1, thread_name_prefix="kg-store-load")
    in_flight = None

    def load(clears: list[tuple[str, str]], loads) -> None:
        started = time.perf_counter()
        try:
            store.clear_derived(clears)
            store.add_batch(loads)
            loaded["triples"] += loads.triples
        finally:
            loads.close()
        loaded["seconds"] += time.perf_counter() - started

    def flush(last: bool = False) -> None:
        nonlocal in_flight, loads, clears
        if in_flight is not None:
            in_flight.result()
        in_flight = loader.submit(load, clears, loads)
        loads, clears = store.new_batch(), []
        if last:
            in_flight.result()

    try:
        for article in articles:
            info = article.info
            name = str(graph_iri(info.id))
            ledger.mark_current(name)
            ntriples = article_triples(
                info,
                article.quotes,
                taxonomy,
                reduced.wikidata,
                alternate_names=article.alternate_names,
                merges=article.merges,
                conflicting=reduced.resolution.conflicting,
                same_text=reduced.same_text.get(info.id, []),
                include_source=False,
            ).serialize(format="nt")
            digest = _digest(ntriples)
            if not ledger.is_fresh(name):
                if manifest.digests(name)[1] == digest:
                    unchanged += 1
                    continue
                clears.append((name, str(article_iri(info.id))))
            manifest.set_quotes(name, digest)
            loads.add(name, ntriples)
            written += 1
            if len(loads) >= LOAD_EVERY or loads.bytes >= LOAD_BYTES:
                flush()
        flush(last=True)
    finally:
        loader.shutdown(wait=True)
        loads.close()
    gone = list(ledger.gone())
    removed = 0
    if prune:
        store.remove_graphs(gone)
        manifest.forget(gone)
        removed = len(gone)
    store.compact()
    manifest.save()
    return {
        "graphs_written": written,
        "graphs_unchanged": unchanged,
        "graphs_removed": removed,
        "triples": 0,  # counted as graph.ttl is written: the distinct triples of the union
        "stale": 0 if prune else len(gone),
        "load_triples": loaded["triples"],
        "load_seconds": loaded["seconds"],
    }


def _report(reduced: Reduced, collected: Collected, counts, stale: int, started, timings) -> dict:
    return {
        "articles_read": reduced.articles,
        "quotes": reduced.quotes,
        "speakers": reduced.speakers,
        "statements": reduced.statements,
        "same_text": {"articles": len(reduced.same_text), "groups": reduced.same_text_groups},
        "skipped": [{"path": s.path, "reason": s.reason} for s in reduced.skipped],
        "failed": [{"path": s.path, "reason": s.reason} for s in collected.failed],
        "limited": [{"path": path, "reason": note} for path, note in reduced.limited],
        "store": {**counts, "stale": stale} if counts else {},
        # who was merged from which spellings, and why; the same words given to different
        # speakers by different articles (kg.resolve.reduce)
        "people": reduced.resolution.merges_json(),
        "conflicting_attributions": [c.to_json() for c in reduced.resolution.conflicts],
        "timings": {
            **reduced.timings,
            **timings,
            "total_seconds": round(time.perf_counter() - started, 3),
        },
    }


def _json(report: dict) -> str:
    return json.dumps(report, indent=1, ensure_ascii=False)
