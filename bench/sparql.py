"""SPARQL speed: the who-said-what query on Oxigraph (kg's store) vs rdflib's in-memory graph.

On a synthetic graph that follows kg's model (bench/synthetic.py), in one run, it prints
the rate of `kg load`'s parallel bulk load into an on-disk store (published as a new
generation), the time of who-said-what filtered by a speaker and a topic right after the
load and after compaction, the same query on rdflib's in-memory graph, and the ratios.
Targets: >= 100k triples/s, >= 100x.

    python -m bench.sparql --triples 1000000
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
import rdflib

from bench.synthetic import synthetic_nquads
from kg.outputs.query import bind, load_query
from kg.rdf.store import KgStore, load_workers, updating
from kg.rdf.vocab import PREFIXES


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--speaker", default="Ana Abbot")
    parser.add_argument("--topic", default="economy")
    parser.add_argument("--workers", type=int, help="bulk-load threads (default: the cores)")
    parser.add_argument("--skip-rdflib", action="store_true", help="only measure Oxigraph")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "graph.nq"
        started = time.perf_counter()
        with data.open("w", encoding="utf-8") as out:
            lines = sum(1 for line in synthetic_nquads(args.triples) if out.write(line))
        print(f"generated {lines:,} quads in {time.perf_counter() - started:.1f} s")

        root = Path(folder) / "out"
        workers = args.workers or load_workers()

        def load() -> None:  # what `kg load` does: a new generation, published when complete
            with updating(root) as store:
                store.bulk_load(data, ox.RdfFormat.N_QUADS, workers=workers)

        load_s, _ = timed(load)
        print(
            f"oxigraph bulk load ({workers} workers, on disk, published): "
            f"{load_s:.1f} s = {lines / load_s:,.0f} triples/s"
        )

        sparql = bind(load_query("who-said-what"), {"speaker": args.speaker, "topic": args.topic})

        def query_ms(label: str) -> tuple[float, list]:
            store = KgStore(root, read_only=True)
            seconds, rows = timed(lambda: list(store.query(sparql)), repeat=5)
            print(f"oxigraph who-said-what (speaker+topic), {label}: {seconds * 1000:.1f} ms")
            return seconds, rows

        loaded_s, rows = query_ms("after the load")
        if not rows:
            raise SystemExit(
                f"no rows for speaker {args.speaker!r} and topic {args.topic!r}: pick others"
            )

        def compact() -> None:  # what `kg load --compact` and every `kg build` add
            with updating(root) as store:
                store.compact()

        compact_s, _ = timed(compact)
        print(
            f"compaction: {compact_s:.1f} s (load + compaction "
            f"{lines / (load_s + compact_s):,.0f} triples/s)"
        )
        ox_s, rows = query_ms("compacted")
        print(f"{len(rows)} rows")
        if args.skip_rdflib:
            return

        parse_s, dataset = timed(
            lambda: rdflib.Dataset(default_union=True).parse(str(data), format="nquads")
        )
        print(f"rdflib parse: {parse_s:.1f} s = {lines / parse_s:,.0f} triples/s")
        namespaces = {k: rdflib.Namespace(str(v)) for k, v in PREFIXES.items()}
        rdf_s, rdf_rows = timed(lambda: list(dataset.query(sparql, initNs=namespaces)))
        print(f"rdflib who-said-what (speaker+topic): {rdf_s * 1000:.1f} ms, {len(rdf_rows)} rows")
        print(
            f"ratio rdflib/oxigraph: {rdf_s / ox_s:,.0f}x compacted, "
            f"{rdf_s / loaded_s:,.0f}x right after the load (load {parse_s / load_s:.0f}x)"
        )


if __name__ == "__main__":
    main()
