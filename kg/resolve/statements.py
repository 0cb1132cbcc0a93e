"""The same statement reported by several articles gets one id.

Two quotes are one statement when their speakers are the same person and their content
words overlap enough (the share of the shorter quote's content words found in the
other). Clusters are the connected components of that relation; ids are content hashes,
so they are stable from run to run.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence

OVERLAP = 0.5
MIN_SHARED = 2
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "their",
        "our",
        "my",
        "your",
        "not",
        "no",
        "nor",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "also",
        "than",
        "then",
        "there",
        "here",
        "over",
        "into",
        "about",
        "after",
        "before",
        "again",
        "more",
        "most",
        "very",
        "so",
        "such",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "both",
        "each",
        "few",
        "other",
        "some",
        "only",
        "own",
        "same",
        "too",
        "just",
        "now",
        "said",
        "say",
        "says",
    ]
)


def content_words(text: str) -> frozenset[str]:
    """Lowercased content words with a light stem, for comparing translations.

    >>> sorted(content_words("Relations are at the lowest point"))
    ['lowest', 'point', 'relation']
    """
    words = re.findall(r"[a-z0-9]+", text.lower())
    return frozenset(_stem(w) for w in words if w not in _STOP and len(w) > 1)


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    if shared < MIN_SHARED:
        return 0.0
    return shared / min(len(a), len(b))


def cluster_statements(items: Sequence[tuple[str, str, str]]) -> list[str]:
    """Statement ids for `(key, speaker, text)` items, in the same order.

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
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if similarity(words[i], words[j]) >= OVERLAP:
                    parent[find(i)] = find(j)
    root_key: dict[int, str] = {}
    for i, (key, _, _) in enumerate(items):
        root = find(i)
        root_key[root] = min(root_key.get(root, key), key)
    return [
        "st-" + hashlib.sha1(root_key[find(i)].encode()).hexdigest()[:12] for i in range(len(items))
    ]
