"""Extraction cost against spaCy's own parse, measured in one run.

Parses the same articles twice with the same pipeline: once bare (`nlp.pipe` over the
texts) and once through kg's whole per-article map step (ingest text -> mark pairing ->
parse -> cues, speakers, topics). Prints articles per second for both and their ratio;
the target is a ratio >= 0.8 (extraction costs little more than the parse).

    python -m bench.extract_speed [FOLDER] --repeat 3
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kg.corpus import extract_stream
from kg.extract.topics import default_taxonomy
from kg.ingest import Article, iter_articles
from kg.nlp import load_pipeline
from kg.nlp.pipeline import prepare_article

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT / "seeds"))
    parser.add_argument("--repeat", type=int, default=4, help="times the corpus is repeated")
    args = parser.parse_args()
    articles = [a for a in iter_articles([args.folder]) if isinstance(a, Article)] * args.repeat
    nlp = load_pipeline()
    taxonomy = default_taxonomy()
    texts = [prepare_article(a)[0].clean for a in articles]
    list(nlp.pipe(texts[:2]))  # warm up

    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    bare = time.perf_counter() - started

    started = time.perf_counter()
    quotes = sum(len(item.quotes.quotes) for item in extract_stream(iter(articles), taxonomy))
    full = time.perf_counter() - started

    chars = sum(len(t) for t in texts)
    print(f"{len(articles)} articles, {chars:,} characters, {quotes} quotes")
    print(f"spaCy parse alone : {len(articles) / bare:7.1f} articles/s")
    print(f"kg extraction     : {len(articles) / full:7.1f} articles/s")
    print(f"ratio (kg / parse): {bare / full:.2f}  (target >= 0.8)")


if __name__ == "__main__":
    main()
