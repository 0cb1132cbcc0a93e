"""What each attribution sieve is worth: attribution F1 with it disabled, on every open set.

Parses the seeds and every dev set once, then runs the attribution stage with the shipped
pipeline and once more per sieve with that sieve disabled, scoring each with the shared
scorer. Also prints each sieve's measured precision: of the quotes it took part in
deciding, the share the scorer counts right. One run, one table:

    python -m bench.ablate [--sets seeds pages pages2 polnear] [--only speaker.epithet ...]
"""

from __future__ import annotations

import argparse
import time

from bench.evalsets import attribution_f1, judge, load_sets, predict
from kg.extract.sieves import REGISTRY, default_pipeline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=None)
    parser.add_argument("--only", nargs="+", default=None, help="ablate only these sieves")
    args = parser.parse_args()
    started = time.perf_counter()
    sets = load_sets(args.sets)
    base = default_pipeline()
    full = {s.name: predict(s, base) for s in sets}
    scores = {s.name: attribution_f1(s, full[s.name]) for s in sets}
    right: dict[str, list[int]] = {}
    for s in sets:
        for q, verdict in zip(full[s.name], judge(s, full[s.name])):
            if verdict is None:
                continue
            for step in q.sieves:
                key = step.replace(":", ".", 1)
                counts = right.setdefault(key, [0, 0])
                counts[0] += verdict
                counts[1] += 1
    names = [s.name for s in sets]
    print("| sieve | precision (n) | " + " | ".join(f"Δ {n}" for n in names) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in names) + " |")
    print("| (all on) | | " + " | ".join(f"{scores[n]:.3f}" for n in names) + " |")
    keys = [
        f"{stage}.{name}"
        for stage, order in base.order.items()
        for name in order
        if not args.only or f"{stage}.{name}" in args.only
    ]
    for key in keys:
        pipeline = base.without([key])
        deltas = [attribution_f1(s, predict(s, pipeline)) - scores[s.name] for s in sets]
        good, total = right.get(key, (0, 0))
        precision = f"{good / total:.2f} ({total})" if total else "–"
        print(f"| {key} | {precision} | " + " | ".join(f"{d:+.3f}" for d in deltas) + " |")
    print(
        f"\n{len(keys)} sieves ablated on {', '.join(names)} in {time.perf_counter() - started:.0f} s"
    )
    assert set(keys) <= set(REGISTRY)


if __name__ == "__main__":
    main()
