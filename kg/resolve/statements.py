"""The same statement reported by several articles gets one id.

Two quotes are one statement when their speakers are the same person and their content
words overlap enough (the share of the shorter quote's content words found in the
other). Clusters are the connected components of that relation; ids are content hashes,
so they are stable from run to run. Candidate pairs come from an inverted index of each
quote's rarest words (`similar_components`), so a speaker with 50,000 quotes costs a few
dozen look-ups per quote, not a billion comparisons; the exact similarity is then
checked on the candidates only, so the clusters are those of a comparison of every pair
(up to `EXACT_BLOCK` quotes per speaker; beyond it, see `KEY_USES`).
"""

from __future__ import annotations

import hashlib
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from importlib import resources

OVERLAP = 0.5
MIN_SHARED = 2
# Up to this many quotes in a block (one speaker's, or the corpus for conflicts), the
# index holds every prefix word and finds exactly the pairs a full comparison finds. In
# a bigger block a word that more than KEY_USES of its quotes use is no key (it still
# counts in the similarity): its list would grow with the block and every quote would
# walk it. A pair whose rarest words are all such common words can then be missed:
# generic phrases ("we will keep working for our people"), not re-reports of a statement,
# which share their rare words. The seeds and dev sets are far below the bound.
EXACT_BLOCK = 5000
KEY_USES = 50


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
    stop = _stop_words()
    return frozenset(_stem(w) for w in _WORD.findall(text.lower()) if w not in stop and len(w) > 1)


_WORD = re.compile(r"[a-z0-9]+")


def forget_stems() -> None:
    """Drop the cache of stems (one per distinct word) after a corpus was read."""
    _stem.cache_clear()


@lru_cache(maxsize=200_000)
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


def _need(size: int, overlap: float, min_shared: int) -> int:
    """Words a set of this size must share with a larger one: the prefix-filter bound."""
    return max(min_shared, math.ceil(overlap * size - 1e-9))


class PackedSets(Sequence[frozenset[int]]):
    """Sets of word ids that tell each set's size and each word's count without
    unpacking every set (`WordSets`, `PickedWordSets`)."""

    def size(self, k: int) -> int:
        raise NotImplementedError

    def frequency(self) -> Counter[int]:
        """How many sets hold each word."""
        raise NotImplementedError


class WordSets(PackedSets):
    """Many small sets of word ids, packed in two flat arrays of integers: about 4 bytes
    per word and 4 per set, where a frozenset of strings costs hundreds of bytes. A set is
    unpacked when it is read.

    >>> sets = WordSets()
    >>> sets.add([3, 1]); sets.add([]); sets.add([2, 3])
    >>> len(sets), sets[0], sets.size(2), sorted(sets.frequency().items())
    (3, frozenset({1, 3}), 2, [(1, 1), (2, 1), (3, 2)])
    """

    def __init__(self) -> None:
        self.words = array("I")
        self.ends = array("I")

    def add(self, ids: Iterable[int]) -> None:
        self.words.extend(ids)
        self.ends.append(len(self.words))

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, k: int) -> frozenset[int]:  # type: ignore[override]
        return frozenset(self.words[self.ends[k - 1] if k else 0 : self.ends[k]])

    def size(self, k: int) -> int:
        return self.ends[k] - (self.ends[k - 1] if k else 0)

    def frequency(self) -> Counter[int]:
        """How many sets hold each word."""
        return Counter(self.words)

    def picked(self, indices: array) -> PickedWordSets:
        """The sets at `indices`, in that order, read through (not copied)."""
        return PickedWordSets(self, indices)

    def renumber(self, new_id: Sequence[int]) -> None:
        """Give every word the id `new_id[old]`."""
        self.words = array("I", map(new_id.__getitem__, self.words))


class PickedWordSets(PackedSets):
    """Some sets of a `WordSets`, by their indices there, in that order: a view that
    costs nothing per word (the indices are the caller's).

    >>> sets = WordSets()
    >>> sets.add([3, 1]); sets.add([]); sets.add([2, 3])
    >>> picked = sets.picked(array("I", [2, 0]))
    >>> len(picked), picked[0], picked.size(1), sorted(picked.frequency().items())
    (2, frozenset({2, 3}), 2, [(1, 1), (2, 1), (3, 2)])
    """

    def __init__(self, sets: WordSets, indices: array) -> None:
        self.sets, self.indices = sets, indices

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, k: int) -> frozenset[int]:  # type: ignore[override]
        return self.sets[self.indices[k]]

    def size(self, k: int) -> int:
        return self.sets.size(self.indices[k])

    def frequency(self) -> Counter[int]:
        counts: Counter[int] = Counter()
        words, ends = self.sets.words, self.sets.ends
        for k in self.indices:
            counts.update(words[ends[k - 1] if k else 0 : ends[k]])
        return counts


class Vocabulary:
    """Words to small integer ids, one id per distinct word.

    `string_order` gives new ids that sort as the words do, so that sets renumbered with
    it break ties between equally rare words exactly as the words themselves would.

    >>> v = Vocabulary()
    >>> [v.id(w) for w in ("pear", "apple", "pear")], list(v.string_order())
    ([0, 1, 0], [1, 0])
    """

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def id(self, word: str) -> int:
        found = self._ids.get(word)
        if found is None:
            found = self._ids[word] = len(self._ids)
        return found

    def ids(self, words: Iterable[str]) -> list[int]:
        return [self.id(w) for w in words]

    def __len__(self) -> int:
        return len(self._ids)

    def string_order(self) -> array:
        new_id = array("I", [0]) * len(self._ids)
        for rank, word in enumerate(sorted(self._ids)):
            new_id[self._ids[word]] = rank
        return new_id


def _indices_by(keys: Iterable[int]) -> dict[int, array]:
    """The positions of each key in `keys`, in order, as arrays of integers.

    >>> {k: list(v) for k, v in _indices_by([7, 3, 7]).items()}
    {7: [0, 2], 3: [1]}
    """
    indices: dict[int, array] = {}
    for i, key in enumerate(keys):
        found = indices.get(key)
        if found is None:
            found = indices[key] = array("I")
        found.append(i)
    return indices


def _smallest_first(sets: Sequence[frozenset]) -> array:
    """The sets' indices from the smallest set, equal sizes in index order: a counting
    sort, a few bytes per set where sorting a list of indices held ~40.

    >>> list(_smallest_first([frozenset("abc"), frozenset("a"), frozenset("xy"), frozenset("q")]))
    [1, 3, 2, 0]
    """
    size = sets.size if isinstance(sets, PackedSets) else (lambda k: len(sets[k]))
    by_size = _indices_by(map(size, range(len(sets))))
    order = array("I")
    for n in sorted(by_size):
        order.extend(by_size.pop(n))
    return order


def _rarest_first(sets: Sequence[frozenset]) -> tuple[dict, set]:
    """Each word's sort key (rarest first) and the words too common to be index keys."""
    if isinstance(sets, PackedSets):
        frequency = sets.frequency()
    else:
        frequency = Counter()
        for words in sets:
            frequency.update(words)
    common = {w for w, n in frequency.items() if n > KEY_USES} if len(sets) > EXACT_BLOCK else set()
    if isinstance(sets, PackedSets):  # ids below 2**32: one integer orders as (count, id)
        return {word: (count << 32) | word for word, count in frequency.items()}, common
    return {word: (count, word) for word, count in frequency.items()}, common


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
    it, and only those candidates are compared. Exact up to `EXACT_BLOCK` sets.

    >>> sets = [frozenset("abcd"), frozenset("abcx"), frozenset("wxyz"), frozenset("ab")]
    >>> sorted(similar_pairs(sets))
    [(0, 1), (0, 3), (1, 3)]
    """
    for i, j, words in _prefix_candidates(sets, overlap, min_shared):
        if _share_enough(words, sets[i], overlap, min_shared):
            yield (i, j) if i < j else (j, i)


def _prefix_candidates(
    sets: Sequence[frozenset], share: float, min_shared: int
) -> Iterator[tuple[int, int, frozenset]]:
    """Each pair ``(i, j)`` of sets where set ``j`` holds a word of the prefix of an
    earlier set ``i`` (sets visited from the smallest), once, with set ``j`` (read once
    for all its pairs): the only pairs that can share `share` of the smaller set's words.
    A set's prefix is indexed after its pairs are yielded, so a caller sees every pair
    before the later sets."""
    rank, common = _rarest_first(sets)
    # integers in arrays, not lists: the index of a corpus-wide block holds a few
    # entries per set
    index: dict = defaultdict(lambda: array("I"))
    stamp = array("i", [-1]) * len(sets)
    for j in _smallest_first(sets):
        words = sets[j]
        need = _need(len(words), share, min_shared)
        if len(words) < need:
            continue
        for word in words:
            for i in index.get(word, ()):
                if stamp[i] != j:
                    stamp[i] = j
                    yield i, j, words
        for word in sorted(words, key=rank.__getitem__)[: len(words) - need + 1]:
            if word not in common:
                index[word].append(j)


def _share_enough(words: frozenset[str], smaller: frozenset[str], share: float, least: int) -> bool:
    """Whether two sets share `least` words and `share` of the smaller one's."""
    shared = len(words & smaller)
    return shared >= least and shared >= share * len(smaller) - 1e-9


def similar_components(
    sets: Sequence[frozenset[str]], overlap: float = OVERLAP, min_shared: int = MIN_SHARED
) -> list[int]:
    """The connected components of `similar_pairs`, as one label per set (the smallest
    index of its component), found without listing every pair: a candidate already in
    the set's component is not compared again, so a statement reported by a thousand
    articles costs about a thousand comparisons, not half a million.

    >>> similar_components([frozenset("abcd"), frozenset("wxyz"), frozenset("abcx"), frozenset("cxq")])
    [0, 1, 0, 0]
    """
    parent = list(range(len(sets)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, words in _prefix_candidates(sets, overlap, min_shared):
        root_i, root_j = find(i), find(j)
        if root_i == root_j:
            continue  # already one statement: no need to compare
        if _share_enough(words, sets[i], overlap, min_shared):
            parent[max(root_i, root_j)] = min(root_i, root_j)
    return [find(i) for i in range(len(sets))]


def near_duplicates(
    sets: Sequence[frozenset[str]], share: float, min_shared: int, groups: Sequence[int]
) -> Iterator[tuple[int, int]]:
    """Pairs of sets in different `groups` that share at least `share` of the smaller
    set's words (and `min_shared`): near-identical texts, one perhaps quoted at greater
    length than the other. The same prefix filter as `similar_pairs`, with a high share, so
    each set's prefix is short; pairs inside one group are skipped uncompared.

    >>> sets = [frozenset("abcde"), frozenset("abcdxyz"), frozenset("abcde"), frozenset("vwxyz")]
    >>> sorted(near_duplicates(sets, 0.8, 4, [0, 1, 0, 2]))
    [(0, 1), (1, 2)]
    """
    for i, j, words in _prefix_candidates(sets, share, min_shared):
        if groups[i] != groups[j] and _share_enough(words, sets[i], share, min_shared):
            yield (i, j) if i < j else (j, i)


def cluster_statements(
    items: Sequence[tuple[str, str, str]], words: Sequence[frozenset[str]] | None = None
) -> list[str]:
    """Statement ids for `(key, speaker, text)` items, in the same order.

    Quotes are blocked by speaker; inside a block `similar_components` finds the
    connected components of the pairs that overlap enough (`statement_representatives`).

    Parameters
    ----------
    items : a stable key per quote (for the id), its canonical speaker, its text
    words : the texts' `content_words`, when the caller has them already

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
    vocabulary, sets = Vocabulary(), WordSets()
    for i, (_, _, text) in enumerate(items):
        sets.add(vocabulary.ids(words[i] if words is not None else content_words(text)))
    sets.renumber(vocabulary.string_order())
    speakers: dict[str, int] = {}
    blocks = [speakers.setdefault(speaker.lower(), len(speakers)) for _, speaker, _ in items]
    chosen = statement_representatives(blocks, sets, lambda i: items[i][0])
    return [statement_id(items[chosen[i]][0]) for i in range(len(items))]


def statement_representatives(
    blocks: Sequence[int], sets: Sequence[frozenset], key: Callable[[int], str]
) -> array:
    """For each quote, the member of its statement whose `key` is smallest (the one the
    statement's id is made from).

    Quotes are blocked by `blocks` (their canonical speaker); each block's sets are
    unpacked while it is clustered (`similar_components`), so what is resident beyond
    the packed sets is one block. Keys are only made for statements of several quotes.

    >>> sets = [frozenset("abc"), frozenset("abd"), frozenset("abc"), frozenset("xyz")]
    >>> list(statement_representatives([0, 0, 1, 0], sets, "qpnm".__getitem__))
    [1, 1, 2, 3]
    """
    members_of = _indices_by(blocks)
    chosen = array("I", range(len(blocks)))
    for members in members_of.values():
        labels = similar_components([sets[i] for i in members])
        sizes = Counter(labels)
        best: dict[int, tuple[str, int]] = {}
        for member, label in zip(members, labels):
            if sizes[label] > 1:
                candidate = (key(member), member)
                if label not in best or candidate < best[label]:
                    best[label] = candidate
        for member, label in zip(members, labels):
            if label in best:
                chosen[member] = best[label][1]
    return chosen


def statement_id(key: str) -> str:
    """The id of the statement whose smallest member key is `key`.

    >>> statement_id("a1:0:10")
    'st-2f11051981c6'
    """
    return "st-" + hashlib.sha1(key.encode()).hexdigest()[:12]
