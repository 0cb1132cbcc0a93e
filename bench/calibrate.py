"""Does confidence mean something? How often quotes above 0.9 / 0.7 / 0.5 are right.

Runs kg's extraction on the seeds and every dev set (parsed once) and judges every quote
as the shared scorer does (right span and right speaker; splits and optional gold items
left out), then prints, per set and over all of them, the share right in each band of
confidence:

    python -m bench.calibrate [--sets seeds pages pages2 polnear]
"""

from __future__ import annotations

import argparse

from bench.evalsets import judge, load_sets, predict

BANDS = ((0.9, 1.01), (0.7, 0.9), (0.5, 0.7), (0.0, 0.5))


def bands(pairs: list[tuple[float, bool]]) -> list[str]:
    cells = []
    for lo, hi in BANDS:
        verdicts = [v for c, v in pairs if lo <= c < hi]
        cells.append(f"{sum(verdicts) / len(verdicts):.2f} ({len(verdicts)})" if verdicts else "–")
    above = [(t, [v for c, v in pairs if c >= t]) for t in (0.9, 0.7, 0.5)]
    cells += [f"{sum(v) / len(v):.2f}" if v else "–" for _, v in above]
    return cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=None)
    args = parser.parse_args()
    everything: list[tuple[float, bool]] = []
    header = "| set | ≥0.9 | 0.7–0.9 | 0.5–0.7 | <0.5 | right above 0.9 | above 0.7 | above 0.5 |"
    print(header)
    print("| --- " * 8 + "|")
    for s in load_sets(args.sets):
        quotes = predict(s)
        pairs = [(q.confidence, v) for q, v in zip(quotes, judge(s, quotes)) if v is not None]
        everything += pairs
        print(f"| {s.name} | " + " | ".join(bands(pairs)) + " |")
    print("| all | " + " | ".join(bands(everything)) + " |")


if __name__ == "__main__":
    main()
