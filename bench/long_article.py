"""One long article (a live blog) through the whole map step, stage by stage, against
spaCy's bare parse of the same text, at 100 KB, 400 KB and 1.6 MB.

Each size runs in a fresh process so its peak RSS is its own. Stages: prepare (quote-mark
pairing, boilerplate, the parser's copy of the text), parse (kg's chunked parse into one
Doc), extract (cues, speakers, attribution, topics); the bare parse is `nlp.pipe` over the
same pieces with nothing else. Targets (issue 18): time(1.6 MB) / time(100 KB) <= 20,
the whole map step <= 1.5x the bare parse at every size, peak RSS <= 600 MB at 1.6 MB.
A size whose map step passes `--limit` seconds is reported as such.

    python -m bench.long_article [--sizes 100000,400000,1600000] [--limit 900]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(chars: int, bare: bool) -> dict:
    """Run in a child process: time and peak RSS of kg's stages for one size, or of the
    bare parse alone (`bare`), so each peak is its own."""
    from bench.synthetic import long_article
    from kg.extract import extract_quotes
    from kg.extract.topics import default_taxonomy
    from kg.ingest.read import text_article
    from kg.nlp import load_pipeline, parse_articles
    from kg.nlp.pipeline import _chunks, prepare_article

    nlp = load_pipeline()
    taxonomy = default_taxonomy()
    list(nlp.pipe(["Warm up the pipeline, said the mayor."]))
    article = text_article(long_article(chars), Path("live.txt"))
    base = peak_mb()
    result: dict = {"chars": len(article.text), "rss_base_mb": round(base)}

    started = time.perf_counter()
    offsets, _ = prepare_article(article)
    result["prepare_s"] = time.perf_counter() - started

    if bare:
        pieces = _chunks(offsets.clean)
        started = time.perf_counter()
        tokens = sum(len(doc) for doc in nlp.pipe(pieces, batch_size=16))
        result["bare_parse_s"] = time.perf_counter() - started
        result["tokens"] = tokens
        result["rss_bare_mb"] = round(peak_mb())
        return result

    started = time.perf_counter()
    parsed = next(parse_articles([article], nlp))
    result["parse_s"] = time.perf_counter() - started
    result["rss_parse_mb"] = round(peak_mb())

    started = time.perf_counter()
    quotes = extract_quotes(parsed, taxonomy).quotes
    result["extract_s"] = time.perf_counter() - started
    result["quotes"] = len(quotes)
    result["rss_peak_mb"] = round(peak_mb())
    result["map_s"] = result["prepare_s"] + result["parse_s"] + result["extract_s"]
    return result


def child(size: int, flags: list[str], limit: float) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.long_article", "--child", str(size), *flags],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=limit,
    )
    if proc.returncode != 0:
        sys.exit(proc.stderr)
    return json.loads(proc.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,400000,1600000")
    parser.add_argument("--limit", type=float, default=900, help="seconds allowed per size")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.bare)))
        return
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        try:
            bare, row = (child(size, flag, args.limit) for flag in (["--bare"], []))
        except subprocess.TimeoutExpired:
            print(f"{size:>9,} chars: over the {args.limit:.0f} s limit")
            rows.append(None)
            continue
        row.update(bare)
        rows.append(row)
        print(
            f"{row['chars']:>9,} chars {row['tokens']:>7,} tokens: "
            f"prepare {row['prepare_s']:6.2f} s, parse {row['parse_s']:6.2f} s, "
            f"extract {row['extract_s']:7.2f} s | bare parse {row['bare_parse_s']:6.2f} s | "
            f"map / bare {row['map_s'] / row['bare_parse_s']:5.2f}x (target <= 1.5) | "
            f"peak RSS {row['rss_peak_mb']} MB (after the parse {row['rss_parse_mb']}; "
            f"bare parse {row['rss_bare_mb']}; model loaded {row['rss_base_mb']})",
            flush=True,
        )
    if rows and rows[0] and rows[-1]:
        print(
            f"time(largest) / time(smallest) = {rows[-1]['map_s'] / rows[0]['map_s']:.1f} "
            f"for {rows[-1]['chars'] / rows[0]['chars']:.0f}x the text (target <= 20)"
        )


if __name__ == "__main__":
    main()
