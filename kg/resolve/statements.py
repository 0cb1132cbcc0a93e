"""The same statement reported by several articles gets one id.

Two quotes are one statement when their speakers are the same person and their content
words overlap enough (the share of the shorter quote's content words found in the
other). Clusters are the connected components of that relation; ids are content hashes,
so they are stable from run to run. Candidate pairs come from an inverted index of each
quote's rarest words (`similar_pairs`), so a speaker with 50,000 quotes costs about as
many look-ups as there are near-duplicates, not a billion comparisons; the exact
similarity is then checked on the candidates only, so the clusters are those of a
comparison of every pair.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib import resources

OVERLAP = 0.5
MIN_SHARED = 2


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    text = resources.files("kg.data").joinpath("stopwords.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def content_words(text: str) -> frozenset[str]:
    """Lowercased content words with a light stem, for comparing translations.

    >>> sorted(content_words("Relations are at the lowest point"))
    ['lowest', 'point', 'relation']
    """
    words = re.findall(r"[a-z0-9]+", text.lower())
    stop = _stop_words()
    return frozenset(_stem(w) for w in words if w not in stop and len(w) > 1)


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """The share of the smaller set's words found in the other (0 below `MIN_SHARED`).

    >>> similarity(frozenset("abc"), frozenset("abd")), similarity(frozenset("ab"), frozenset("ac"))
    (0.6666666666666666, 0.0)
    """
    if not a or not b:
        return 0.0
    shared = len(a & b)
    if shared < MIN_SHARED:
        return 0.0
    return shared / min(len(a), len(b))


def similar_pairs(
    sets: Sequence[frozenset[str]], overlap: float = OVERLAP, min_shared: int = MIN_SHARED
) -> Iterator[tuple[int, int]]:
    """Every pair ``(i, j)``, ``i < j``, whose sets share at least `min_shared` words and
    at least `overlap` of the smaller set's words: exactly the pairs a comparison of all
    pairs finds, without comparing all pairs.

    Prefix filtering: words are ordered rarest first; a set needs ``o = max(min_shared,
    ceil(overlap * size))`` words in common with any larger set it matches, so one of its
    first ``size - o + 1`` words (its prefix) must be among them. Sets are visited from the
    smallest; each looks up all its words in an index of the prefixes of the sets before
    it, and only those candidates are compared. Rare words have short lists, so the work
    grows with the number of real near-duplicates rather than with the square of the sets.

    >>> sets = [frozenset("abcd"), frozenset("abcx"), frozenset("wxyz"), frozenset("ab")]
    >>> sorted(similar_pairs(sets))
    [(0, 1), (0, 3), (1, 3)]
    """
    frequency: Counter[str] = Counter()
    for words in sets:
        frequency.update(words)
    index: dict[str, list[int]] = defaultdict(list)
    for j in sorted(range(len(sets)), key=lambda k: (len(sets[k]), k)):
        words = sets[j]
        need = max(min_shared, math.ceil(overlap * len(words) - 1e-9))
        if len(words) < need:
            continue
        seen: set[int] = set()
        for word in words:
            for i in index.get(word, ()):
                if i in seen:
                    continue
                seen.add(i)
                shared = len(words & sets[i])
                smaller = min(len(words), len(sets[i]))
                if shared >= min_shared and shared >= overlap * smaller - 1e-9:
                    yield (i, j) if i < j else (j, i)
        ordered = sorted(words, key=lambda w: (frequency[w], w))
        for word in ordered[: len(words) - need + 1]:
            index[word].append(j)


def cluster_statements(items: Sequence[tuple[str, str, str]]) -> list[str]:
    """Statement ids for `(key, speaker, text)` items, in the same order.

    Quotes are blocked by speaker; inside a block `similar_pairs` finds the pairs that
    overlap enough, and clusters are their connected components.

    Parameters
    ----------
    items : a stable key per quote (for the id), its canonical speaker, its text

    Returns
    -------
    one id per item; equal ids mean the same statement

    Example
    -------
    >>> ids = cluster_statements([
    ...     ("a", "Qin Gang", "relations are at the lowest point since 1979"),
    ...     ("b", "Qin Gang", "relations were at their lowest point since 1979"),
    ...     ("c", "Qin Gang", "Taiwan is the core issue"),
    ... ])
    >>> ids[0] == ids[1], ids[0] == ids[2]
    (True, False)
    """
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    words = [content_words(text) for _, _, text in items]
    by_speaker: dict[str, list[int]] = defaultdict(list)
    for i, (_, speaker, _) in enumerate(items):
        by_speaker[speaker.lower()].append(i)
    for members in by_speaker.values():
        for x, y in similar_pairs([words[i] for i in members]):
            parent[find(members[x])] = find(members[y])
    root_key: dict[int, str] = {}
    for i, (key, _, _) in enumerate(items):
        root = find(i)
        root_key[root] = min(root_key.get(root, key), key)
    return [statement_id(root_key[find(i)]) for i in range(len(items))]


def statement_id(key: str) -> str:
    """The id of the statement whose smallest member key is `key`.

    >>> statement_id("a1:0:10")
    'st-2f11051981c6'
    """
    return "st-" + hashlib.sha1(key.encode()).hexdigest()[:12]
