"""Query workers: processes holding read-only stores, killed and replaced past the timeout.

pyoxigraph cannot cancel a running query, and a thread cannot be stopped, so a query
runs in a worker process: the server waits for its answer at most ``timeout`` seconds,
then kills the process (SIGKILL, so its CPU is freed at once) and starts a fresh one.
Each job names the store generation the server saw published (``DIR/store`` is an atomic
symlink to a complete generation, see kg.rdf.store); a worker reopens its read-only store
when that changes, so a `kg build` is picked up without a restart and a half-written
generation is never opened.

Only the standard library: `multiprocessing` (spawned processes, one pipe each) and a
thread pool that waits on the pipes, so the ASGI event loop never blocks.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError


@dataclass(frozen=True)
class Job:
    """One query for a worker.

    `mode` is "protocol" (answer in a negotiated W3C format) or "rows" (plain rows for the
    front end's pages). `accept` lists media types, most wanted first.
    """

    query: str
    mode: str = "protocol"
    accept: tuple[str, ...] = ()
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int | None = None
    generation: str = ""


@dataclass(frozen=True)
class Answer:
    """A worker's reply: `status` 200 with a body, or an HTTP error status with a message."""

    status: int
    media_type: str = "text/plain; charset=utf-8"
    body: bytes = b""
    rows: int = 0
    columns: tuple[str, ...] = ()
    records: tuple[tuple, ...] = field(default=())
    message: str = ""


class QueryTimeout(KgError):
    pass


class ServerBusy(KgError):
    pass


# -- inside a worker process -------------------------------------------------------------------
def _worker_main(connection) -> None:
    """Answer jobs from the pipe until it closes."""
    store, opened = None, ""
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job.generation != opened:
            store = None
            gc.collect()  # close the previous generation's files
            try:
                store = ox.Store.read_only(job.generation)
                opened = job.generation
            except OSError as exc:
                connection.send(Answer(503, message=f"cannot open the store: {exc}"))
                continue
        connection.send(answer(store, job))


def answer(store: ox.Store, job: Job) -> Answer:
    """Run `job` on `store` (in whatever process holds it)."""
    from kg.outputs.serve import results
    from kg.rdf.vocab import PREFIXES

    options = {"prefixes": {k: str(v) for k, v in PREFIXES.items()}}
    if job.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if job.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    try:
        result = store.query(job.query, **options)
        if job.mode == "rows":
            return _rows(result, job.max_rows)
        if isinstance(result, ox.QueryBoolean):
            media = results.choose(list(job.accept), results.BOOLEAN_TYPES)
            if media is None:
                return _not_acceptable(results.BOOLEAN_TYPES)
            body = results.write_boolean(bool(result), results.BOOLEAN_TYPES[media])
            return Answer(200, _typed(media), body, 1)
        if isinstance(result, ox.QueryTriples):
            media = results.choose(list(job.accept), results.GRAPH_TYPES)
            if media is None:
                return _not_acceptable(results.GRAPH_TYPES)
            body, rows = results.write_triples(results.capped(result, job.max_rows), media)
            return Answer(200, _typed(media), body, rows)
        media = results.choose(list(job.accept), results.SOLUTION_TYPES)
        if media is None:
            return _not_acceptable(results.SOLUTION_TYPES)
        variables = [v.value for v in result.variables]
        solutions = ({v: s[v] for v in variables} for s in results.capped(result, job.max_rows))
        body, rows = results.write_solutions(variables, solutions, results.SOLUTION_TYPES[media])
        return Answer(200, _typed(media), body, rows)
    except SyntaxError as exc:
        return Answer(400, message=f"query syntax error: {exc}")
    except results.TooManyRows as exc:
        return Answer(400, message=str(exc))
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        return Answer(500, message=f"query failed: {exc}")


def _typed(media: str) -> str:
    return media + "; charset=utf-8" if not media.endswith("+xml") else media


def _not_acceptable(offered) -> Answer:
    return Answer(
        406, message="no acceptable result format; this endpoint offers " + ", ".join(offered)
    )


def _rows(result, cap: int | None) -> Answer:
    from kg.outputs.serve.results import capped

    if isinstance(result, ox.QueryBoolean):
        return Answer(200, columns=("answer",), records=((bool(result),),), rows=1)
    if isinstance(result, ox.QueryTriples):
        records = tuple(
            (_py(t.subject), _py(t.predicate), _py(t.object)) for t in capped(result, cap)
        )
        return Answer(
            200, columns=("subject", "predicate", "object"), records=records, rows=len(records)
        )
    columns = tuple(v.value for v in result.variables)
    records = tuple(tuple(_py(s[c]) for c in columns) for s in capped(result, cap))
    return Answer(200, columns=columns, records=records, rows=len(records))


def _py(term) -> str | None:
    """A term as the pages use it: its value (IRI, lexical form), or None when unbound."""
    if term is None:
        return None
    return term.value if hasattr(term, "value") else str(term)


# -- in the server ------------------------------------------------------------------------------
class _Worker:
    def __init__(self, context) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child,), daemon=True)
        self.process.start()
        child.close()

    def call(self, job: Job, timeout: float, limit: float) -> Answer:
        """Send a job and wait `timeout` seconds for the answer, else raise `QueryTimeout`
        (naming `limit`, the server's --timeout)."""
        self.connection.send(job)
        if not self.connection.poll(timeout):
            raise QueryTimeout(f"the query was stopped after {limit:g} s (the server's --timeout)")
        return self.connection.recv()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.connection.close()


class AnswerCache:
    """Answers of one store generation kept up to `limit` bytes, least recently used out.

    A generation never changes once published, so an answer stays right until the next
    one is; a new generation empties the cache.

    >>> cache = AnswerCache(100)
    >>> cache.put("g1", "k", Answer(200, body=b"12345"))
    >>> cache.get("g1", "k").body, cache.get("g2", "k")
    (b'12345', None)
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.generation = ""
        self.size = 0
        self.hits = 0
        self._answers: OrderedDict[Job, Answer] = OrderedDict()

    def get(self, generation: str, key) -> Answer | None:
        if generation != self.generation:
            return None
        found = self._answers.get(key)
        if found is not None:
            self._answers.move_to_end(key)
            self.hits += 1
        return found

    def put(self, generation: str, key, answer: Answer) -> None:
        if generation != self.generation:
            self._answers.clear()
            self.size, self.generation = 0, generation
        weight = len(answer.body) + sum(len(repr(r)) for r in answer.records)
        if weight > self.limit // 4:  # one huge answer would push out everything else
            return
        self._answers[key] = answer
        self.size += weight
        while self.size > self.limit and self._answers:
            _, old = self._answers.popitem(last=False)
            self.size -= len(old.body) + sum(len(repr(r)) for r in old.records)


class QueryPool:
    """`size` worker processes answering jobs on the store at `root`, one job each at a
    time; answers are cached per store generation up to `cache_bytes` (0: no cache)."""

    def __init__(
        self, root: Path, size: int = 2, timeout: float = 10.0, cache_bytes: int = 0
    ) -> None:
        self.root = Path(root)
        self.size = size
        self.timeout = timeout
        self.cache = AnswerCache(cache_bytes) if cache_bytes > 0 else None
        self._context = multiprocessing.get_context("spawn")
        self._threads = ThreadPoolExecutor(size, thread_name_prefix="kg-query")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._workers: list[_Worker] = []
        self.stopped_queries = 0

    def start(self) -> None:
        self._idle = asyncio.Queue()
        for _ in range(self.size):
            worker = _Worker(self._context)
            self._workers.append(worker)
            self._idle.put_nowait(worker)

    def pids(self) -> list[int]:
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def generation(self) -> Path:
        """The published generation now (a new one after each `kg build`)."""
        from kg.rdf.store import published

        path = published(self.root)
        if path is None:
            raise KgError(f"{self.root}: no kg store here (run `kg build ... --out {self.root}`)")
        return path

    async def run(self, job: Job) -> Answer:
        """Answer `job` on the published generation; `QueryTimeout` past the timeout,
        `ServerBusy` when no worker came free within it."""
        assert self._idle is not None, "start() the pool first"
        generation = str(self.generation())
        job = Job(**{**job.__dict__, "generation": generation})
        if self.cache is not None and (found := self.cache.get(generation, job)) is not None:
            return found
        answer = await self._run(job)
        if self.cache is not None and answer.status == 200:
            self.cache.put(generation, job, answer)
        return answer

    async def _run(self, job: Job) -> Answer:
        started = time.monotonic()
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.timeout)
        except asyncio.TimeoutError:
            raise ServerBusy(
                f"every query worker stayed busy for {self.timeout:g} s; try again"
            ) from None
        left = max(0.1, self.timeout - (time.monotonic() - started))
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._threads, worker.call, job, left, self.timeout)
        except QueryTimeout:
            self.stopped_queries += 1
            worker = self._replace(worker)
            raise
        except (EOFError, OSError, BrokenPipeError):  # the worker died (out of memory?)
            worker = self._replace(worker)
            return Answer(500, message="the query worker died; it has been restarted")
        finally:
            self._idle.put_nowait(worker)

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        fresh = _Worker(self._context)
        self._workers[self._workers.index(worker)] = fresh
        return fresh

    def close(self) -> None:
        for worker in self._workers:
            worker.kill()
        self._workers.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)
