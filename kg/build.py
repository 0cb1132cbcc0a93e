"""The build, below the command line: map -> reduce -> store -> outputs.

1. **Map** (ingest -> nlp -> extract), a pure function of a partition of the input files,
   runs inline, in local worker processes (`--workers N`) or as tasks on a Dask
   distributed cluster (`--dask`). Each worker process loads the model once. A partition
   returns small records (quotes, names, the article's metadata without its text) and,
   for a build, the N-Triples of each article node with its exact text.
2. The **store writer** (a thread) bulk loads those article nodes into the new store
   generation while extraction goes on, so the coordinator never holds the texts.
3. The **reduce** (`kg.corpus.resolve_corpus`) runs on the small records, in input order:
   canonical people, statement ids; articles with identical text are linked.
4. The **store** then receives each article's quotations, people and topics (only where
   they changed since the last build), stale articles are pruned or counted, and the
   **outputs** (graph.ttl, graph.html, quotes.jsonl, report.json) are written.

The graph, quotes.jsonl and report.json (apart from its timings) do not depend on the
engine or the number of workers: results are put back in input order before the reduce.
"""

from __future__ import annotations

import functools
import hashlib
import json
import queue
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.corpus import ArticleInfo, Corpus, Extracted, extract_stream, resolve_corpus
from kg.errors import KgError, UsageError
from kg.ingest import Article, Skipped, Source, iter_sources, read_source

# Graphs bulk loaded at once: memory stays bounded by one batch, and each bulk load has a
# fixed cost (new table files) that small batches would pay thousands of times.
LOAD_EVERY = 200
LOAD_BYTES = 4 * 1024 * 1024  # ... or this much N-Triples, whichever comes first
MAX_PARTITION = 16  # files per map task
# Below this many files per worker, starting processes (a model each, ~2 s) costs more
# than it saves: the files are extracted in-process.
MIN_FILES_PER_WORKER = 8
# An extractor turns a batch of articles into their Extracted records, in order; the
# default is kg's own pipeline. Tests and benchmarks pass their own.
Extractor = Callable[[list[Article], "MapOptions"], Iterable[Extracted]]


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity), not the machine's count."""
    from kg.rdf.store import load_workers

    return load_workers()


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
    from kg.extract.topics import default_taxonomy
    from kg.nlp import load_pipeline

    die_with_parent()
    load_pipeline()
    default_taxonomy(options.topics, options.topic_keywords)
    sieve_pipeline(options.pipeline, options.disable)


# -- engines: each yields (partition number, MapResult), every partition once ----------------
def run_inline(partitions: list[list[Source]], options: MapOptions, extractor=None):
    for number, part in enumerate(partitions):
        yield number, map_partition(part, options, extractor)


def run_processes(
    partitions: list[list[Source]], options: MapOptions, workers: int, extractor=None
):
    """Local worker processes (started from a clean fork server), at most two partitions
    each in flight so results never pile up; a pool broken by a killed worker is
    restarted and its unfinished partitions run again (twice at most)."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = mp.get_context("forkserver")
    context.set_forkserver_preload(["kg._forkserver"])

    def new_pool():
        return ProcessPoolExecutor(
            workers, mp_context=context, initializer=_warm, initargs=(options,)
        )

    pool = new_pool()
    attempts = [0] * len(partitions)
    waiting = deque(range(len(partitions)))
    pending: deque = deque()
    try:
        while waiting or pending:
            while waiting and len(pending) < 2 * workers:
                number = waiting.popleft()
                pending.append(
                    (number, pool.submit(map_partition, partitions[number], options, extractor))
                )
            number, future = pending.popleft()
            try:
                result = future.result()
            except BrokenProcessPool:
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
                retry = [number] + [n for n, _ in pending]
                pending.clear()
                attempts[number] += 1
                if attempts[number] > 2:
                    retry.remove(number)
                    yield number, _failed_partition(partitions[number], "a worker process died")
                waiting.extendleft(reversed(retry))
                continue
            yield number, result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_dask(
    partitions: list[list[Source]], options: MapOptions, address: str, workers: int, extractor=None
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
    return MapResult(failed=[Skipped(str(s.path), f"extraction failed: {reason}") for s in sources])


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

    def __init__(self, store, manifest: dict[str, str], present: set[str]) -> None:
        super().__init__(name="kg-store-writer", daemon=True)
        self.store = store
        self.manifest = manifest
        self.present = present
        self.fresh: set[str] = set()  # graphs replaced in this build
        self.order: dict[str, tuple[int, int]] = {}
        self.triples = 0
        self.seconds = 0.0
        self.error: BaseException | None = None
        self.queue: queue.Queue = queue.Queue(maxsize=4)
        self.batch: dict[str, tuple[str, str]] = {}
        self.batch_bytes = 0

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
                    if len(self.batch) >= LOAD_EVERY or self.batch_bytes >= LOAD_BYTES:
                        self._flush()
            self._flush()
        except BaseException as exc:  # noqa: BLE001 - handed to the coordinator
            self.error = exc
            while self.queue.get() is not None:  # let the coordinator finish putting
                pass

    def _add(self, name: str, ntriples: str, key: tuple[int, int]) -> None:
        if name in self.order and self.order[name] < key:
            return  # the same source seen earlier in input order
        self.order[name] = key
        digest = _digest(ntriples)
        old = self.manifest.get(name, "").split(" ")
        if name not in self.fresh and name in self.present and old[0] == digest:
            return
        self.manifest[name] = f"{digest} {old[1] if len(old) > 1 else ''}"
        self.batch[name] = (ntriples, digest)
        self.batch_bytes += len(ntriples)

    def _flush(self) -> None:
        if not self.batch:
            return
        started = time.perf_counter()
        graphs = {name: ntriples for name, (ntriples, _) in self.batch.items()}
        self.store.replace_graphs(graphs)
        self.fresh.update(graphs)
        self.triples += sum(nt.count("\n") for nt in graphs.values())
        self.batch.clear()
        self.batch_bytes = 0
        self.seconds += time.perf_counter() - started


# -- collecting the map step's results -----------------------------------------------------
@dataclass
class Collected:
    """The map step's records in input order, with what went wrong and how long it took."""

    extracted: list[Extracted] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    failed: list[Skipped] = field(default_factory=list)
    map_seconds: float = 0.0


def partition(sources: list[Source], workers: int) -> list[list[Source]]:
    """Files cut into tasks: several per worker (so work evens out), at most 16 each."""
    size = max(1, min(MAX_PARTITION, len(sources) // (4 * workers) or 1))
    return [sources[i : i + size] for i in range(0, len(sources), size)]


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
) -> Collected:
    """Run the map step over every file under `paths` and gather its records in input order."""
    started = time.perf_counter()
    collected = Collected()
    sources: list[Source] = []
    for item in iter_sources(paths, exclude):
        if isinstance(item, Skipped):
            collected.skipped.append(item)
            if on_item:
                on_item(item)
        else:
            sources.append(item)
    if dask:
        parts = partition([Source(s.path.absolute(), s.doc) for s in sources], workers)
        results = run_dask(parts, options, dask, workers, extractor)
    elif workers > 1 and len(sources) >= MIN_FILES_PER_WORKER * workers:
        parts = partition(sources, workers)
        results = run_processes(parts, options, workers, extractor)
    else:  # a handful of files: starting worker processes would cost more than it saves
        parts = partition(sources, 1)
        results = run_inline(parts, options, extractor)
    done: dict[int, MapResult] = {}
    for number, result in results:
        if writer is not None:
            writer.put(number, result.graphs)
        result.graphs = []
        done[number] = result
        if on_item:
            for item in [*result.items, *result.failed]:
                on_item(item)
    seen: dict[str, Extracted] = {}
    for number in range(len(parts)):
        result = done[number]
        for item in result.items:
            if isinstance(item, Skipped):
                collected.skipped.append(item)
            elif item.info.id in seen:
                first = seen[item.info.id]
                reason = f"same source as {first.info.doc} ({item.info.source}): read once"
                collected.skipped.append(Skipped(item.info.doc, reason))
                if on_item:
                    on_item(collected.skipped[-1])
            else:
                seen[item.info.id] = item
                collected.extracted.append(item)
        collected.failed += result.failed
    collected.map_seconds = time.perf_counter() - started
    return collected


def resolve(collected: Collected, aliases=None) -> Corpus:
    """The reduce step over the collected records."""
    started = time.perf_counter()
    corpus = resolve_corpus(collected.extracted, aliases)
    corpus.skipped = collected.skipped
    corpus.limited = [(e.info.path, note) for e in collected.extracted for note in e.notes]
    corpus.timings = {
        "extract_seconds": round(collected.map_seconds, 3),
        "resolve_seconds": round(time.perf_counter() - started, 3),
    }
    return corpus


def same_text_groups(articles: list[ArticleInfo]) -> dict[str, list[str]]:
    """For each article whose text another article also has, the ids of the others.

    >>> a, b, c = (ArticleInfo(i, i, i, 1, content_hash=h) for i, h in [("a", "x"), ("b", "x"), ("c", "y")])
    >>> same_text_groups([a, b, c])
    {'a': ['b'], 'b': ['a']}
    """
    by_hash: dict[str, list[str]] = {}
    for info in articles:
        if info.content_hash:
            by_hash.setdefault(info.content_hash, []).append(info.id)
    return {
        member: sorted(m for m in group if m != member)
        for group in by_hash.values()
        if len(group) > 1
        for member in group
    }


def quote_records(corpus: Corpus) -> Iterator[dict]:
    """`quotes.jsonl` records: each quote with its article's url, title, outlet and date."""
    infos = {info.id: info for info in corpus.articles}
    for q in corpus.quotes:
        record = q.to_json()
        record.update(infos[q.article_id].provenance())
        yield record


# -- the whole build -----------------------------------------------------------------------
@dataclass
class BuildResult:
    corpus: Corpus
    counts: dict
    failed: list[Skipped]
    stale: int
    report: dict


def build(
    paths: list[str],
    out: str | Path,
    options: MapOptions,
    *,
    aliases=None,
    prune: bool = False,
    max_nodes: int = 2000,
    workers: int = 1,
    dask: str | None = None,
    on_item: Callable | None = None,
    extractor: Extractor | None = None,
) -> BuildResult:
    """`kg build`: map with the store writer alongside, reduce, store, outputs."""
    from kg.files import atomic_output, atomic_write
    from kg.outputs.html import build_page
    from kg.outputs.pagedata import read_page_data
    from kg.rdf.store import updating, write_lock

    out = Path(out)
    started = time.perf_counter()
    engine = {"engine": "dask" if dask else "processes" if workers > 1 else "inline"}
    engine["workers"] = workers
    with write_lock(out):
        with updating(out, locked=True) as store:
            manifest = store.manifest()
            present = store.article_graphs()
            writer = SourceWriter(store, manifest, present)
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
                )
            finally:
                writer.close()
            corpus = resolve(collected, aliases)
            if not corpus.articles:
                report = _report(corpus, collected, {}, 0, started, engine)
                atomic_write(out / "report.json", _json(report))
                raise NoArticles(report)
            stored = time.perf_counter()
            counts = _store_quotes(store, corpus, options, writer, present, prune)
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
            with atomic_output(out / "graph.ttl") as fh:
                counts["triples"] = store.write_turtle(fh, out)
            page = build_page(read_page_data(store), max_nodes)
        with atomic_output(out / "quotes.jsonl") as fh:
            for record in quote_records(corpus):
                fh.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
        atomic_write(out / "graph.html", page)
        timings["outputs_seconds"] = round(time.perf_counter() - written, 3)
        stale = counts.pop("stale")
        report = _report(corpus, collected, counts, stale, started, {**engine, **timings})
        atomic_write(out / "report.json", _json(report))
    return BuildResult(corpus, counts, collected.failed, stale, report)


class NoArticles(KgError):
    """Nothing under the given paths could be used (the report is written all the same)."""

    def __init__(self, report: dict) -> None:
        super().__init__("no usable article in the given paths")
        self.report = report


def _store_quotes(store, corpus: Corpus, options: MapOptions, writer, present, prune) -> dict:
    """Add each article's quotations, people and topics to its graph where they changed."""
    from kg.extract.topics import default_taxonomy
    from kg.rdf.ntriples import TripleSet
    from kg.rdf.triples import article_iri, article_triples, graph_iri

    taxonomy = default_taxonomy(options.topics, options.topic_keywords)
    manifest = writer.manifest
    same_text = same_text_groups(corpus.articles)
    by_article: dict[str, list] = {}
    for q in corpus.quotes:
        by_article.setdefault(q.article_id, []).append(q)
    written = unchanged = 0
    current = set()
    loads: dict[str, str] = {}
    clears: list[tuple[str, str]] = []
    loaded = {"triples": 0, "seconds": 0.0}  # what the store's own writes took
    pending_bytes = 0

    def flush() -> None:
        started = time.perf_counter()
        store.clear_derived(clears)
        store.add_to_graphs(loads)
        loaded["triples"] += sum(nt.count("\n") for nt in loads.values())
        loaded["seconds"] += time.perf_counter() - started
        loads.clear()
        clears.clear()

    for info in corpus.articles:
        name = str(graph_iri(info.id))
        current.add(name)
        ntriples = article_triples(
            info,
            by_article.get(info.id, []),
            taxonomy,
            corpus.wikidata,
            alternate_names=corpus.alternate_names.get(info.id),
            merges=corpus.resolution.article_merges.get(info.id),
            conflicting=corpus.resolution.conflicting,
            same_text=same_text.get(info.id, []),
            include_source=False,
            graph=TripleSet(),
        ).serialize(format="nt")
        digest = _digest(ntriples)
        source_digest, _, old = manifest.get(name, "").partition(" ")
        if name not in writer.fresh:
            if old == digest:
                unchanged += 1
                continue
            clears.append((name, str(article_iri(info.id))))
        manifest[name] = f"{source_digest} {digest}"
        loads[name] = ntriples
        pending_bytes += len(ntriples)
        written += 1
        if len(loads) >= LOAD_EVERY or pending_bytes >= LOAD_BYTES:
            flush()
            pending_bytes = 0
    flush()
    gone = sorted(present - current)
    removed = 0
    if prune:
        store.remove_graphs(gone)
        for name in gone:
            manifest.pop(name, None)
        removed = len(gone)
    store.compact()
    store.save_manifest(manifest)
    return {
        "graphs_written": written,
        "graphs_unchanged": unchanged,
        "graphs_removed": removed,
        "triples": 0,  # counted as graph.ttl is written: the distinct triples of the union
        "stale": 0 if prune else len(gone),
        "load_triples": loaded["triples"],
        "load_seconds": loaded["seconds"],
    }


def _report(corpus: Corpus, collected: Collected, counts, stale: int, started, timings) -> dict:
    same = same_text_groups(corpus.articles)
    docs = {info.id: info.doc for info in corpus.articles}
    groups = sorted(
        {tuple(sorted([docs[a], *(docs[o] for o in others)])) for a, others in same.items()}
    )
    return {
        "articles_read": len(corpus.articles),
        "quotes": len(corpus.quotes),
        "speakers": len({q.speaker.name for q in corpus.quotes}),
        "statements": len({q.statement for q in corpus.quotes}),
        "same_text": {"articles": len(same), "groups": [list(g) for g in groups]},
        "skipped": [{"path": s.path, "reason": s.reason} for s in corpus.skipped],
        "failed": [{"path": s.path, "reason": s.reason} for s in collected.failed],
        "limited": [{"path": path, "reason": note} for path, note in corpus.limited],
        "store": {**counts, "stale": stale} if counts else {},
        # who was merged from which spellings, and why; the same words given to different
        # speakers by different articles (kg.resolve.reduce)
        "people": corpus.resolution.merges_json(),
        "conflicting_attributions": [c.to_json() for c in corpus.resolution.conflicts],
        "timings": {
            **corpus.timings,
            **timings,
            "total_seconds": round(time.perf_counter() - started, 3),
        },
    }


def _json(report: dict) -> str:
    return json.dumps(report, indent=1, ensure_ascii=False)


def check_workers(workers: int | None) -> int:
    """The number of worker processes to use: the usable cores unless given; 0 is refused,
    more than the cores is allowed with a warning on stderr."""
    cores = usable_cores()
    if workers is None:
        return cores
    if workers < 1:
        raise UsageError(f"--workers must be at least 1 (this machine has {cores} usable cores)")
    if workers > cores:
        print(
            f"kg: warning: --workers {workers} is more than the {cores} usable cores: "
            "workers will compete for them, and each holds its own model in memory",
            file=sys.stderr,
        )
    return workers
