"""'Did you mean': the speakers' names closest to what a reader typed.

One small function so the front end can later call the shared person-identity module
instead (it will offer the same: names in, best matches out).
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from kg.resolve.aliases import fold


def suggest_names(typed: str, names: list[str], limit: int = 5, cutoff: float = 70) -> list[str]:
    """The names most like `typed` (case and accents ignored), best first, without `typed` itself.

    >>> suggest_names("antony blinkin", ["Antony Blinken", "Joe Biden", "Tony Blair"])
    ['Antony Blinken']
    >>> suggest_names("", ["Joe Biden"])
    []
    """
    key = fold(typed)
    if not key.strip():
        return []
    folded: dict[str, str] = {}
    for name in names:
        folded.setdefault(fold(name), name)
    found = process.extract(
        key, list(folded), scorer=fuzz.WRatio, limit=limit * 2, score_cutoff=cutoff
    )
    seen, best = set(), []
    for candidate, _score, _ in found:
        name = folded[candidate]
        if candidate != key and name not in seen:
            seen.add(name)
            best.append(name)
    return best[:limit]
