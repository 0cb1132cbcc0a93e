"""One person, many spellings, across articles.

Names are grouped by surname; inside a group, names whose first names agree (the same,
one a prefix or nickname of the other, or a close spelling such as Antony/Anthony) are one
person. A one-word name joins its group when the group holds one person only. Near misses
with different first names ("Qin Gang" / "Chen Gang", "John Smith" / "Jane Smith") stay
apart. The user's alias table always wins.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from rapidfuzz.fuzz import ratio

from kg.resolve.aliases import AliasTable, fold

FIRST_NAME_SIMILARITY = 80
SURNAME_SIMILARITY = 90
NICKNAMES = {
    frozenset(p)
    for p in [
        ("bill", "william"),
        ("bob", "robert"),
        ("rob", "robert"),
        ("dick", "richard"),
        ("jim", "james"),
        ("mike", "michael"),
        ("tony", "anthony"),
        ("tony", "antony"),
        ("liz", "elizabeth"),
        ("beth", "elizabeth"),
        ("kate", "katherine"),
        ("peggy", "margaret"),
        ("ted", "edward"),
        ("ed", "edward"),
        ("chuck", "charles"),
        ("hank", "henry"),
        ("jack", "john"),
        ("sandy", "alexandra"),
        ("alex", "alexander"),
        ("joe", "joseph"),
    ]
}


def first_names_agree(a: str, b: str) -> bool:
    """Whether two first names can belong to one person.

    >>> first_names_agree("matt", "matthew"), first_names_agree("antony", "anthony")
    (True, True)
    >>> first_names_agree("qin", "chen"), first_names_agree("john", "jane")
    (False, False)
    """
    if a == b or frozenset((a, b)) in NICKNAMES:
        return True
    if min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)):
        return True
    if len(a.rstrip(".")) == 1 or len(b.rstrip(".")) == 1:
        return a[0] == b[0]
    return ratio(a, b) >= FIRST_NAME_SIMILARITY


def is_spelling_of(variant: str, name: str) -> bool:
    """Whether `variant` is a plausible way of writing `name` (part of it, or a close spelling).

    >>> is_spelling_of("Blinken", "Antony Blinken"), is_spelling_of("Anthony Blinken", "Antony Blinken")
    (True, True)
    >>> is_spelling_of("Beijing Blinken", "Antony Blinken")
    False
    """
    v, n = fold(variant).split(), fold(name).split()
    if not v or not n:
        return False
    if len(v) == 1:
        return any(ratio(v[0], part) >= SURNAME_SIMILARITY for part in n)
    if len(v) != len(n):
        return False
    return first_names_agree(v[0], n[0]) and all(
        ratio(a, b) >= FIRST_NAME_SIMILARITY for a, b in zip(v[1:], n[1:])
    )


def prefer_corpus_spelling(people: dict[str, list[str]], frequency: Counter) -> dict[str, str]:
    """For one article, rename a person to the full-name spelling the rest of the corpus uses.

    An article (often machine-translated) may name one person two ways; the spelling other
    articles use most wins, so the article's quotes join that person.

    Parameters
    ----------
    people : the article's canonical name -> the spellings it uses
    frequency : how often each name is a speaker across the corpus

    Returns
    -------
    dict from the article's names that should change to their corpus spelling

    Example
    -------
    >>> prefer_corpus_spelling({"Chen Gang": ["Chen Gang", "Qin Gang"]}, Counter({"Qin Gang": 9, "Chen Gang": 2}))
    {'Chen Gang': 'Qin Gang'}
    """
    renamed = {}
    for name, variants in people.items():
        full = [v for v in variants if len(v.split()) > 1 and v != name]
        if not full:
            continue
        best = max(full, key=lambda v: (frequency[v], v))
        if frequency[best] > frequency[name]:
            renamed[name] = best
    return renamed


def canonical_people(names: Iterable[str], aliases: AliasTable | None = None) -> dict[str, str]:
    """Map every person name seen to its canonical spelling.

    Parameters
    ----------
    names : every person name as extracted, repeats included (counts pick the spelling)
    aliases : the user's alias table, applied first

    Returns
    -------
    dict from each distinct name to its canonical name

    Example
    -------
    >>> m = canonical_people(["Antony Blinken", "Anthony Blinken", "Blinken", "Antony Blinken"])
    >>> sorted(set(m.values()))
    ['Antony Blinken']
    """
    aliases = aliases or AliasTable()
    counts = Counter(n for n in names if n and n.strip())
    mapping: dict[str, str] = {}
    groups: dict[str, list[str]] = defaultdict(list)
    for name in counts:
        fixed = aliases.lookup(name)
        if fixed is not None:
            mapping[name] = fixed
            continue
        tokens = fold(name).split()
        groups[_surname_key(tokens[-1]) if tokens else ""].append(name)
    groups = _merge_close_surnames(groups)
    for members in groups.values():
        full = [n for n in members if len(n.split()) > 1]
        people: list[list[str]] = []
        for name in sorted(full, key=lambda n: (-counts[n], n)):
            first = fold(name).split()[0]
            home = next(
                (p for p in people if first_names_agree(first, fold(p[0]).split()[0])), None
            )
            if home is None:
                people.append([name])
            else:
                home.append(name)
        for person in people:
            best = max(person, key=lambda n: (counts[n], len(n), n))
            for name in person:
                mapping[name] = aliases.lookup(best) or best
        for name in members:
            if name in mapping:
                continue
            mapping[name] = mapping[people[0][0]] if len(people) == 1 else name
    return mapping


def _surname_key(token: str) -> str:
    return token.rstrip(".").removesuffix("'s").removesuffix("’s")


def _merge_close_surnames(groups: dict[str, list[str]]) -> dict[str, list[str]]:
    """Join surname groups spelt nearly alike (a transliteration or a typo: Blinkens)."""
    keys = sorted(groups, key=lambda k: -len(groups[k]))
    merged: dict[str, list[str]] = {}
    for key in keys:
        target = next(
            (
                k
                for k in merged
                if len(key) >= 5
                and len(k) >= 5
                and (ratio(key, k) >= SURNAME_SIMILARITY or key.rstrip("s") == k)
            ),
            None,
        )
        if target is None:
            merged[key] = list(groups[key])
        else:
            merged[target].extend(groups[key])
    return merged
