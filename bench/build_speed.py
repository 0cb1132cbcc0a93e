"""End-to-end `kg build` throughput against spaCy's bare single-process parse, in one run.

The same texts are parsed bare (`nlp.pipe` over kg's cleaned texts, one process, nothing
else) and then built end to end (`kg build` as a user runs it, process start, store and
outputs included) with `--workers 1`, `--workers 2` and `--dask local --workers 2`.
Prints tokens per second for each. Targets on a 2-core machine (issue 18):
`--workers 2` >= 1.5x `--workers 1`, and `--workers 2` >= 1.3x the bare parse.

    python -m bench.build_speed [FOLDER] [--copies 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.build import usable_cores

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "eval" / "dev" / "polnear" / "docs"
RUNS = {
    "--workers 1": ["--workers", "1"],
    "--workers 2": ["--workers", "2"],
    "--dask local (2 workers)": ["--dask", "local", "--workers", "2"],
}


def corpus(folder: Path, copies: int, target: Path) -> Path:
    """`copies` copies of every file of `folder`, each copy its own article."""
    for n in range(copies):
        copy = target / f"copy-{n}"
        copy.mkdir(parents=True)
        for path in sorted(folder.iterdir()):
            if path.is_file():
                shutil.copyfile(path, copy / path.name)
    return target


def bare_parse(folder: Path) -> tuple[int, float]:
    """Tokens of the corpus and the seconds spaCy's single-process `nlp.pipe` takes: the
    model's own components as kg loads them, without kg's paragraph component."""
    import spacy

    from kg.ingest import Article, iter_articles
    from kg.nlp.pipeline import _chunks, model_name, prepare_article

    nlp = spacy.load(model_name(), exclude=["senter"])
    texts = [
        piece
        for a in iter_articles([str(folder)])
        if isinstance(a, Article)
        for piece in _chunks(prepare_article(a)[0].clean)
    ]
    list(nlp.pipe(texts[:2]))
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=16))
    return tokens, time.perf_counter() - started


def timed_build(folder: Path, flags: list[str], out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "kg", "build", str(folder), "--out", str(out), "--quiet", *flags],
        cwd=ROOT,
        check=True,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "folder", nargs="?", default=str(DEFAULT if DEFAULT.is_dir() else ROOT / "seeds")
    )
    parser.add_argument("--copies", type=int, default=3, help="times the folder is copied")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-build-speed-") as tmp:
        folder = corpus(Path(args.folder), args.copies, Path(tmp) / "in")
        tokens, bare = bare_parse(folder)
        cores = usable_cores()
        articles = sum(1 for _ in folder.rglob("*") if _.is_file())
        print(f"{articles} articles, {tokens:,} tokens, {cores} usable cores")
        print(f"{'bare nlp.pipe (1 process)':28} {tokens / bare:8,.0f} tokens/s  ({bare:.1f} s)")
        rates = {}
        for label, flags in RUNS.items():
            out = Path(tmp) / ("out" + "".join(flags))
            seconds = timed_build(folder, flags, out)
            rates[label] = tokens / seconds
            t = json.loads((out / "report.json").read_text("utf-8"))["timings"]
            print(
                f"{'kg build ' + label:28} {rates[label]:8,.0f} tokens/s  ({seconds:.1f} s: map "
                f"{t['extract_seconds']:.1f}, reduce {t['resolve_seconds']:.1f}, store after "
                f"the map {t['store_seconds'] - t['store_overlapped_seconds']:.1f}, outputs "
                f"{t['outputs_seconds']:.1f})",
                flush=True,
            )
    two, one = rates["--workers 2"], rates["--workers 1"]
    print(f"--workers 2 / --workers 1 = {two / one:.2f} (target >= 1.5)")
    print(f"--workers 2 / bare parse  = {two / (tokens / bare):.2f} (target >= 1.3)")


if __name__ == "__main__":
    main()
