"""Does confidence mean something? How often quotes above 0.9 / 0.7 / 0.5 are right.

Runs kg's extraction on the seeds and every dev set (parsed once) and judges every quote
as the shared scorer does (right span and right speaker; splits and optional gold items
left out), then prints, per set and over all of them, the share right in each band of
confidence:

    python -m bench.calibrate [--sets seeds pages pages2 polnear] [--fit]

With --fit it also prints priors for kg/extract/pipeline.toml measured on those sets: a
link sieve's prior is the share of its quotes that are right (by kind for cue content),
a speaker sieve's the share right of its quotes over the share right of all quotes, so
their product follows both.
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
    parser.add_argument("--fit", action="store_true", help="print measured priors")
    args = parser.parse_args()
    judged: list[tuple[object, bool]] = []
    everything: list[tuple[float, bool]] = []
    header = "| set | ≥0.9 | 0.7–0.9 | 0.5–0.7 | <0.5 | right above 0.9 | above 0.7 | above 0.5 |"
    print(header)
    print("| --- " * 8 + "|")
    for s in load_sets(args.sets):
        quotes = predict(s)
        verdicts = judge(s, quotes)
        pairs = [(q.confidence, v) for q, v in zip(quotes, verdicts) if v is not None]
        judged += [(q, v) for q, v in zip(quotes, verdicts) if v is not None]
        everything += pairs
        print(f"| {s.name} | " + " | ".join(bands(pairs)) + " |")
    print("| all | " + " | ".join(bands(everything)) + " |")
    if args.fit:
        print_priors(judged)


def print_priors(judged: list[tuple[object, bool]], least: int = 5) -> None:
    """Measured priors, in the pipeline file's form (sieves with fewer than `least`
    judged quotes keep their configured prior)."""
    overall = sum(v for _, v in judged) / len(judged)
    link: dict[str, list[bool]] = {}
    speaker: dict[str, list[bool]] = {}
    for q, v in judged:
        first = q.sieves[0].replace(":", ".", 1)
        key = f"{first}:{q.kind}" if first == "link.cue_content" else first
        link.setdefault(key, []).append(v)
        deciding = [s for s in q.sieves if s.startswith("speaker:")]
        if deciding:
            speaker.setdefault(deciding[-1].replace(":", ".", 1), []).append(v)
    print("\n[priors]  # measured: share right (n)")
    for key, vs in sorted(link.items()):
        if len(vs) >= least:
            print(f'"{key}" = {sum(vs) / len(vs):.2f}  # {len(vs)}')
    for key, vs in sorted(speaker.items()):
        if len(vs) >= least:
            print(f'"{key}" = {min(1.0, sum(vs) / len(vs) / overall):.2f}  # {len(vs)}')


if __name__ == "__main__":
    main()
