"""A synthetic build at 2k, 20k and 100k articles: peak memory of the coordinating process
and where the time goes.

Real files are written and read, the store writer, the reduce, the store and the outputs
are kg's own; only extraction is replaced by a cheap stand-in (quotations found by their
marks, the speaker named in the same paragraph), so the build's own costs show at a scale
the parser would need hours for. Each size runs in its own process on `--workers` local
processes. Target (issue 18): peak RSS flat across sizes. Beside it, the peak of a bare
process that reads the same store with pyoxigraph alone: the store engine's share, which
grows with the store and which kg cannot size. Up to 20k articles, the map
and reduce run again under tracemalloc to show what the coordinator's Python heap holds
per article at each stage and what the reduce holds per quote.

    python -m bench.build_scale [--sizes 2000,20000,100000] [--workers 2] [--numbered-names]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.synthetic import news_paragraphs, speaker_names

ROOT = Path(__file__).resolve().parents[1]
HEAP_UP_TO = 20_000  # sizes whose heap is also measured (tracemalloc makes it slow)
_QUOTE = re.compile(r"“([^”]{8,200})”")
_NAME = re.compile(r"\b([A-Z][a-z]+ [A-Z][a-z]+(?: \d+)?)\b")


def distinct_names(count: int, seed: int = 5) -> list[str]:
    """`count` distinct made-up names of people, a given name and a surname of two or
    three syllables ("Alan Bakora"), none a spelling of another but by chance.

    >>> names = distinct_names(3000)
    >>> len(set(names)), all(len(n.split()) == 2 for n in names)
    (3000, True)
    """
    from bench.resolve_scale import GIVEN, SYLLABLES

    rng = random.Random(seed)
    surnames: list[str] = []
    seen: set[str] = set()
    while len(surnames) * len(GIVEN) < count:
        word = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))).capitalize()
        if word not in seen:
            seen.add(word)
            surnames.append(word)
    names = [f"{given} {surname}" for surname in surnames for given in GIVEN]
    rng.shuffle(names)
    return names[:count]


def write_articles(folder: Path, count: int, seed: int = 5, numbered: bool = False) -> None:
    """`count` short articles (two paragraphs each), 500 to a folder, each ending with a
    quote of one of 20,000 people. With `numbered`, the people are the 120 names of
    `bench.synthetic.speaker_names` with numbers ("Ana Abbot 17"), which the reduce takes
    for 120 people with up to 167 spellings each, all of them stated in every article
    that names the person: the corpus the first measurements used."""
    rng = random.Random(seed)
    people = speaker_names(20_000) if numbered else distinct_names(20_000)
    paragraphs = news_paragraphs(seed)
    for n in range(count):
        sub = folder / f"{n // 500:04d}"
        if n % 500 == 0:
            sub.mkdir(parents=True)
        name = rng.choice(people)
        text = f"date 2024-{1 + n % 12:02d}-{1 + n % 28:02d}\n{next(paragraphs)}\n\n{next(paragraphs)}\n"
        text += f"\n“We will publish the figures for story {n} next week,” said {name}.\n"
        (sub / f"story-{n:06d}.txt").write_text(text, encoding="utf-8")


def stand_in_extractor(articles, options):
    """Quotes by their marks, attributed to the last full name in their paragraph."""
    from kg.corpus import ArticleInfo, Extracted
    from kg.extract import ArticleQuotes, Quote, Speaker

    for article in articles:
        quotes = []
        for match in _QUOTE.finditer(article.text):
            start = article.text.rfind("\n", 0, match.start()) + 1
            end = article.text.find("\n", match.end())
            names = _NAME.findall(article.text[start : end if end >= 0 else None])
            if not names:
                continue
            speaker = Speaker(names[-1], names[-1], "person")
            quotes.append(
                Quote(
                    article.doc,
                    article.id,
                    match.start(1),
                    match.end(1),
                    match.group(1),
                    "direct",
                    speaker,
                    cue="said",
                    topics=[],
                    confidence=0.8,
                )
            )
        people = {q.speaker.name: [q.speaker.name.split()[-1]] for q in quotes}
        yield Extracted(
            ArticleInfo.of(article), ArticleQuotes(article.id, article.doc, quotes, people)
        )


def heap_per_stage(folder: Path, spill_dir: Path) -> dict:
    """The Python heap (tracemalloc) the coordinator holds after the map step, after the
    reduce and at the peak of the outputs pass (bytes above the start, garbage collected),
    and the reduce's own peak per quote; the map and reduce of `kg.build` over `folder`,
    without the store."""
    import gc
    import tracemalloc

    from kg.build import MapOptions, collect, resolve, resolved_articles

    def traced() -> int:
        gc.collect()
        return tracemalloc.get_traced_memory()[0]

    tracemalloc.start()
    collected = None
    try:
        base = traced()
        collected = collect(
            [str(folder)],
            MapOptions(source_triples=False),
            extractor=stand_in_extractor,
            spill_dir=spill_dir,
        )
        after_map = traced() - base
        tracemalloc.reset_peak()
        reduced = resolve(collected)
        reduce_peak = tracemalloc.get_traced_memory()[1] - base - after_map
        after_reduce = traced() - base
        tracemalloc.reset_peak()
        quotes = sum(len(article.quotes) for article in resolved_articles(collected))
        outputs_peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
        if collected is not None:
            collected.close()
    return {
        "articles": reduced.articles,
        "quotes": quotes,
        "map": after_map,
        "reduce": after_reduce,
        "outputs": outputs_peak,
        "reduce_per_quote": round(reduce_peak / max(1, quotes)),
        "spill_per_quote": round(collected.spill.bytes / max(1, quotes)),
    }


class RssSampler(threading.Thread):
    """The process's resident memory every `every` seconds while a build runs (from
    /proc/self/statm; nothing on systems without it), to tell which step holds the peak."""

    def __init__(self, every: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.every = every
        self.samples: list[tuple[float, float]] = []  # (seconds since start, MB)
        self.started = time.perf_counter()
        self._done = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE") / 2**20

    def run(self) -> None:
        while not self._done.wait(self.every):
            try:
                pages = int(Path("/proc/self/statm").read_text().split()[1])
            except (OSError, IndexError, ValueError):
                return
            self.samples.append((time.perf_counter() - self.started, pages * self._page))

    def stop(self) -> None:
        self._done.set()
        self.join()

    def peaks(self, timings: dict) -> dict[str, int]:
        """The highest sample in each step of the build, from the report's timings (the
        store pass's own part follows the reduce; the writer's part overlaps the map)."""
        ends, at = {}, 0.0
        for step, key in (
            ("map", "extract_seconds"),
            ("reduce", "resolve_seconds"),
            ("store", None),
            ("outputs", "outputs_seconds"),
        ):
            if key is None:
                at += timings["store_seconds"] - timings["store_overlapped_seconds"]
            else:
                at += timings[key]
            ends[step] = at
        peaks: dict[str, int] = {}
        for t, mb in self.samples:
            step = next((s for s, end in ends.items() if t <= end), "outputs")
            peaks[step] = max(peaks.get(step, 0), round(mb))
        return peaks


_ENGINE_ALONE = """
import sys, pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
with open("/dev/null", "wb") as sink:
    store.dump(sink, ox.RdfFormat.N_QUADS)
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")))
"""


def engine_alone_mb(generation: Path) -> int | None:
    """Peak RSS of a bare Python process that only opens the store with pyoxigraph and
    reads all of it (as the outputs' Turtle dump does): Oxigraph's own memory at this
    store size, which kg cannot set (Linux only; None elsewhere)."""
    proc = subprocess.run(
        [sys.executable, "-c", _ENGINE_ALONE, str(generation)], capture_output=True, text=True
    )
    return round(int(proc.stdout.split()[-1]) / 1024) if proc.returncode == 0 else None


def measure(count: int, workers: int, numbered: bool = False) -> dict:
    from kg.build import MapOptions, build
    from kg.rdf.store import published

    with tempfile.TemporaryDirectory(prefix="kg-build-scale-") as tmp:
        folder = Path(tmp) / "in"
        started = time.perf_counter()
        write_articles(folder, count, numbered=numbered)
        written = time.perf_counter() - started
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        sampler = RssSampler()
        sampler.start()
        started = time.perf_counter()
        result = build(
            [str(folder)],
            Path(tmp) / "out",
            MapOptions(),
            workers=workers,
            extractor=stand_in_extractor,
            max_nodes=2000,
        )
        seconds = time.perf_counter() - started
        sampler.stop()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        heap = heap_per_stage(folder, Path(tmp)) if count <= HEAP_UP_TO else None
        engine = engine_alone_mb(published(Path(tmp) / "out"))
    report = result.report
    return {
        "articles": report["articles_read"],
        "quotes": report["quotes"],
        "triples": report["store"]["triples"],
        "write_files_s": round(written, 1),
        "build_s": round(seconds, 1),
        "timings": report["timings"],
        "rss_before_mb": round(base),
        "rss_peak_mb": round(peak),
        "rss_peak_by_step_mb": sampler.peaks(report["timings"]),
        "page_quotes": result.page_cut[0] if result.page_cut else report["quotes"],
        "heap": heap,
        "engine_alone_mb": engine,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,20000,100000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--numbered-names",
        action="store_true",
        help="the first measurements' corpus: 120 people with numbered spellings",
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.workers, args.numbered_names)))
        return
    for size in (int(s) for s in args.sizes.split(",")):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.build_scale",
                "--child",
                str(size),
                "--workers",
                str(args.workers),
                *(["--numbered-names"] if args.numbered_names else []),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            sys.exit(proc.stderr)
        row = json.loads(proc.stdout.splitlines()[-1])
        t = row["timings"]
        child = t.get("reduce_process_peak_rss_mb")
        apart = f", the reduce's own process {child}" if child is not None else ""
        print(
            f"{row['articles']:>7,} articles {row['quotes']:>7,} quotes {row['triples']:>10,} triples: "
            f"build {row['build_s']:7.1f} s (map+writer {t['extract_seconds']:.1f}, "
            f"reduce {t['resolve_seconds']:.1f}, store {t['store_seconds']:.1f} of which "
            f"{t['store_overlapped_seconds']:.1f} during the map, bulk loads at "
            f"{t['store_load_triples_per_second']:,} triples/s, outputs {t['outputs_seconds']:.1f}) | "
            f"coordinator peak RSS {row['rss_peak_mb']} MB (before the build {row['rss_before_mb']}; "
            f"by step {row['rss_peak_by_step_mb']}{apart}); "
            f"graph.html holds {row['page_quotes']:,} quotes; Oxigraph alone reading the "
            f"whole store peaks at {row['engine_alone_mb']} MB",
            flush=True,
        )
        if heap := row["heap"]:
            n = heap["articles"]
            print(
                f"         Python heap per article after the map {heap['map'] / n:,.0f} B, "
                f"after the reduce {heap['reduce'] / n:,.0f} B, during the outputs "
                f"{heap['outputs'] / n:,.0f} B; the reduce's peak {heap['reduce_per_quote']:,} "
                f"B per quote; the spill {heap['spill_per_quote']:,} B per quote on disk",
                flush=True,
            )


if __name__ == "__main__":
    main()
