"""Load on `kg serve`: concurrent clients on loopback for a bounded time, latency measured.

Builds a synthetic store (bench/synthetic.py, kg's model through the real
`article_triples`), starts `kg serve` on 127.0.0.1 and a free port, and runs `--clients`
threads, each with its own keep-alive connection, for `--seconds`. With `--articles N`
(default 50) every client cycles through every named query (required parameters given);
with `--triples N` it sends the parameterised who-said-what, a different speaker each
time. It prints requests/s, p50 and p99 latency and the errors, and fails when any request
failed or p99 is over `--p99` seconds (default 1.5). Only loopback traffic; it stops by itself.

    python -m bench.serve_load                      # 16 clients x 20 s, 50 articles
    python -m bench.serve_load --triples 1000000    # the same at a million triples
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox

from bench.synthetic import speaker_names, synthetic_corpus, synthetic_nquads
from kg.extract.topics import default_taxonomy
from kg.outputs.query import available_queries, load_query
from kg.rdf.store import updating
from kg.rdf.triples import article_triples, graph_iri

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_store(root: Path, articles: int | None, triples: int | None) -> int:
    """Write the synthetic graph to a published store generation under `root`; its size."""
    data = root / "graph.nq"
    with data.open("w", encoding="utf-8") as out:
        if triples:
            lines = sum(1 for line in synthetic_nquads(triples) if out.write(line))
        else:
            lines = 0
            taxonomy = default_taxonomy()
            for info, quotes in synthetic_corpus(articles or 50):
                graph = f"<{graph_iri(info.id)}>"
                for line in (
                    article_triples(info, quotes, taxonomy).serialize(format="nt").splitlines()
                ):
                    if line.strip():
                        out.write(f"{line[:-1].rstrip()} {graph} .\n")
                        lines += 1
    with updating(root) as store:
        store.bulk_load(data, ox.RdfFormat.N_QUADS)
        store.compact()
    data.unlink()
    return lines


def named_requests() -> list[str]:
    """A GET path for every named query, with its required parameters (and some optional)."""
    concepts = default_taxonomy().concepts
    topic = concepts[min(c.iri for c in concepts.values() if c.depth == 2)].label
    values = {"speaker": "Ana Abbot", "topic": topic, "via": "Daily", "minimum": "2"}
    paths = []
    for name in available_queries():
        params = load_query(name).params
        required = {p: values[p] for p, about in params.items() if about.required}
        paths.append(f"/queries/{name}?" + urllib.parse.urlencode({**required, "format": "srj"}))
        optional = {
            p: values[p] for p, about in params.items() if not about.required and p in values
        }
        if optional:
            paths.append(
                f"/queries/{name}?" + urllib.parse.urlencode({**optional, "format": "srj"})
            )
    return paths


def speaker_requests(count: int = 500) -> list[str]:
    return [
        "/queries/who-said-what?" + urllib.parse.urlencode({"speaker": name, "format": "srj"})
        for name in speaker_names(count)
    ]


def client(port: int, paths: list[str], until: float, seed: int, out: list, errors: list) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    order = paths[:]
    rng.shuffle(order)
    n = 0
    while time.monotonic() < until:
        path = order[n % len(order)]
        n += 1
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
            response = connection.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200:
                errors.append(f"{response.status} {path}: {body[:200]!r}")
            else:
                json.loads(body)
            out.append(elapsed)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            errors.append(f"{type(exc).__name__} {path}: {exc}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--articles", type=int, default=50)
    size.add_argument("--triples", type=int)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--p99", type=float, default=1.5, help="the p99 latency target (s)")
    parser.add_argument("--workers", type=int, help="kg serve --workers (default: the cores)")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="kg serve --cache-mb 0: every request runs its query",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        started = time.perf_counter()
        lines = build_store(root, args.articles, args.triples)
        print(f"store: {lines:,} triples, built in {time.perf_counter() - started:.1f} s")
        paths = speaker_requests() if args.triples else named_requests()
        port = free_port()
        command = [sys.executable, "-m", "kg", "serve", "--store", str(root), "--port", str(port)]
        if args.workers:
            command += ["--workers", str(args.workers)]
        if args.no_cache:
            command += ["--cache-mb", "0"]
        server = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    connection.request("GET", "/status")
                    if connection.getresponse().status == 200:
                        break
                except OSError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    print(f"kg serve did not start: {server.stderr.read()}", file=sys.stderr)
                    return 1
                time.sleep(0.2)
            latencies: list[float] = []
            errors: list[str] = []
            until = time.monotonic() + args.seconds
            threads = [
                threading.Thread(target=client, args=(port, paths, until, n, latencies, errors))
                for n in range(args.clients)
            ]
            began = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join(args.seconds + 120)
            wall = time.perf_counter() - began
        finally:
            server.terminate()
            server.wait(30)
    if not latencies:
        print("no request was answered", file=sys.stderr)
        return 1
    p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
    kind = "parameterised who-said-what" if args.triples else f"{len(paths)} named-query requests"
    kind += ", answer cache off" if args.no_cache else ", answer cache on"
    print(
        f"{args.clients} clients x {args.seconds:g} s, {kind}: {len(latencies)} requests, "
        f"{len(latencies) / wall:.1f} requests/s, p50 {p50 * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms, {len(errors)} errors"
    )
    for line in errors[:10]:
        print("  error:", line)
    ok = not errors and p99 < args.p99
    print(f"target (no errors, p99 < {args.p99:g} s): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
