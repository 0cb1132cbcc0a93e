"""One person, many spellings, across the corpus.

Every name is parsed (`kg.names.parse_name`: titles, possessive prefixes and headline
words stripped; given name, middle names or initials, surname, suffix). Names are then
blocked by their surname's spelling skeleton ("Zelenskyy", "Zelenskiy", "Zelensky" share
``zelenski``), and blocks whose skeletons are one typo apart are joined (found through
the skeletons' one-deletion neighbourhoods, so never by comparing every pair). Inside a
block a name joins a person when it agrees with every spelling already theirs:

- given names agree: equal, an initial of the other ("J." / "John"), one a short form of
  the other ("Matt" / "Matthew", but not "Paul" / "Paula"), a nickname in
  `kg/data/nicknames.txt` ("Bill" / "William"), or one spelling apart past the first
  letter ("Antony" / "Anthony", "Brian" / "Bryan", but not "Alexander" / "Alexandra");
- middle names agree where both have them ("John F. Kirby" / "John Kirby", not
  "George H. W. Bush" / "George W. Bush");
- the generational suffix is the same ("Karl Berg Jr." is not "Karl Berg").

A name that agrees with two people ("J. Smith" beside John and Jane Smith) stays on its
own, and so does a lone surname when its block holds more than one person. A two-word
name written surname first ("Liao Wen-jun") joins the same words in the other order. Near misses
stay apart: "Qin Gang" / "Chen Gang", "John Smith" / "Jane Smith". The user's alias file
always wins. Every merged spelling keeps the rules that merged it (`PeopleResolution.rules`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import Indel

from kg.names import (
    ParsedName,
    _nickname_groups,
    _suffix,
    fold,
    given_name_forms,
    given_names_agree,
    looks_like_name,
    parse_name,
    same_person,
    skeleton,
)
from kg.resolve.aliases import AliasTable

SURNAME_SIMILARITY = 0.9  # normalised Indel similarity of two surname skeletons one typo apart
MIN_TYPO_LENGTH = 5  # shorter surnames must match exactly: "Hall" / "Hill" are two names


@lru_cache(maxsize=500_000)
def parsed(name: str) -> ParsedName:
    return parse_name(name)


def forget_parsed_names() -> None:
    """Drop the caches kept per distinct name (parsed names, given-name classes)."""
    parsed.cache_clear()
    _given_classes.cache_clear()


def _form(p: ParsedName) -> tuple:
    """Spellings with one form are the same name for certain: same skeletons throughout."""
    return (
        skeleton(p.given) if p.given else None,
        tuple(skeleton(m) for m in p.middles),
        p.surname_key,
        _suffix(p),
    )


@dataclass(frozen=True)
class PeopleResolution:
    """Each name's canonical spelling, why it was merged, and every person's spellings.

    `canonical` maps every name given to its canonical name; `rules` the names that
    changed to the rules that merged them (``"title"``, ``"middle-name"``,
    ``"surname-spelling"``, ...); `spellings` each canonical name to its other
    spellings, sorted.
    """

    canonical: Mapping[str, str]
    rules: Mapping[str, tuple[str, ...]]
    spellings: Mapping[str, tuple[str, ...]]

    def name_of(self, name: str) -> str:
        return self.canonical.get(name, name)


@dataclass
class _Person:
    members: list[ParsedName] = field(default_factory=list)
    alias: str | None = None
    ambiguous: bool = False
    given_classes: set[str] = field(default_factory=set)


@lru_cache(maxsize=100_000)
def _given_classes(given: str) -> frozenset[str]:
    """First letters a compatible given name may start with: an index, so that a name is
    compared only with the people of its block it could agree with.

    >>> sorted(_given_classes("bill")), sorted(_given_classes("c"))
    (['b', 'w'], ['c', 'k'])
    """
    letters = {given[0], skeleton(given)[:1]}
    groups = given_name_forms(given) if len(given) > 1 else frozenset()
    if groups:
        letters |= {n[0] for n, g in _nickname_groups().items() if g & groups}
    letters.discard("")
    return frozenset(letters)


def resolve_people(
    counts: Mapping[str, int],
    aliases: AliasTable | None = None,
    exact_only: Iterable[str] = (),
    organisations: Iterable[str] = (),
) -> PeopleResolution:
    """Group names into people and pick each person's canonical spelling.

    Parameters
    ----------
    counts : every name seen and how often it was used (counts pick the spelling)
    aliases : the user's alias table, applied first
    exact_only : names that join others only when spelt the same after folding and
        stripping titles (organisations: "The New York Times" / "New York Times")
    organisations : names known to be organisations, which join only names folding to
        the same words (`organisation_key`), never a person's surname block

    Example
    -------
    >>> r = resolve_people(Counter({"Volodymyr Zelenskyy": 5, "Zelenskiy": 2,
    ...                             "Ukraine's Volodymyr Zelenskyy": 1, "Qin Gang": 3}))
    >>> r.name_of("Zelenskiy"), r.rules["Zelenskiy"]
    ('Volodymyr Zelenskyy', ('surname-only', 'surname-spelling'))
    >>> r.spellings["Volodymyr Zelenskyy"]
    ("Ukraine's Volodymyr Zelenskyy", 'Zelenskiy')
    """
    aliases = aliases or AliasTable()
    exact = set(exact_only)
    names = [n for n in counts if n and n.strip()]
    canonical: dict[str, str] = {}
    rules: dict[str, tuple[str, ...]] = {}
    people: list[_Person] = []
    person_of: dict[str, _Person] = {}

    # the alias file's people come first, so spellings join them like any other person
    alias_people: dict[str, _Person] = {}
    for name in sorted(set(aliases.canonical.values())):
        person = _Person(alias=name)
        for spelling in [name, *aliases.aliases_of(name)]:
            person.members.append(parsed(spelling))
        alias_people[name] = person
        people.append(person)
    for name in names:
        fixed = aliases.lookup(name)
        if fixed is not None:
            person_of[name] = alias_people[fixed]

    # an organisation joins only its own spelling ("The New York Times" / "New York
    # Times"): never a person's surname block, where "Interior Department" and
    # "Department of Health" would both be cut to "Department"
    bodies: dict[str, _Person] = {}
    organisation_names = set(organisations)
    for name in names:
        # a name with a given name may be a person a quote mistook for a body
        if name in organisation_names and name not in person_of and parsed(name).given is None:
            key = organisation_key(name)
            if key not in bodies:
                bodies[key] = _Person()
                people.append(bodies[key])
            person_of[name] = bodies[key]
    blocks: dict[str, list[str]] = defaultdict(list)
    for name in names:
        if name in person_of:
            continue
        p = parsed(name)
        if not looks_like_name(name) or not p.surname_key:
            person_of[name] = _alone(people, p)
            continue
        blocks[p.surname_key].append(name)
    block_people: dict[str, list[_Person]] = defaultdict(list)
    for person in alias_people.values():
        for member in person.members:
            if member.surname_key and person not in block_people[member.surname_key]:
                block_people[member.surname_key].append(person)
    for keys in _typo_groups(list(blocks)):
        seeded = []
        for key in keys:
            seeded += [p for p in block_people.get(key, []) if p not in seeded]
        _cluster_block(
            set(keys),
            [n for key in keys for n in blocks[key]],
            seeded,
            counts,
            exact,
            people,
            person_of,
        )

    _join_name_orders(people, person_of)
    names_of: dict[int, list[str]] = defaultdict(list)
    for name, person in person_of.items():
        names_of[id(person)].append(name)
    for person in people:
        spelt = names_of.get(id(person), [])
        if not spelt and person.alias is None:
            continue
        if person.alias:
            best = person.alias
        elif all(name in exact for name in spelt):
            # an organisation's name is not a person's: no title or headline word to cut
            # ("the state Department of Health" is not "Department")
            best = max(spelt, key=lambda n: (counts.get(n, 0), len(n), n))
        else:
            best = _best_spelling(spelt, counts)
        for name in spelt:
            canonical[name] = best
            if name != best:
                reason = ("alias-file",) if person.alias and aliases.lookup(name) else ()
                rules[name] = reason or explain(name, best)
    spellings: dict[str, set[str]] = defaultdict(set)
    for name, best in canonical.items():
        if name != best and looks_like_name(name):
            spellings[best].add(name)
    for best in set(canonical.values()):
        for alias in aliases.aliases_of(best):
            spellings[best].add(alias)
    return PeopleResolution(
        canonical, rules, {k: tuple(sorted(v - {k})) for k, v in spellings.items() if v - {k}}
    )


def _join_name_orders(people: list[_Person], person_of: dict[str, _Person]) -> None:
    """One person written given name first and surname first ("Liao Wen-jun" /
    "Wen-jun Liao"): two-word names with the same two words join."""
    by_words: dict[frozenset[str], _Person] = {}
    joined: dict[int, _Person] = {}
    for person in people:
        if person.ambiguous:
            continue
        for m in person.members:
            if not m.given or len(m.given) == 1 or m.middles or m.particles:
                continue
            words = frozenset((skeleton(m.given), m.surname_key, f"suffix:{_suffix(m)}"))
            if len(words) < 3:
                continue
            other = by_words.setdefault(words, person)
            if other is not person and id(person) not in joined:
                joined[id(person)] = other
    if not joined:
        return
    for name, person in list(person_of.items()):
        while id(person) in joined:
            person = joined[id(person)]
        person_of[name] = person
    for person in people:
        target = person
        while id(target) in joined:
            target = joined[id(target)]
        if target is not person:
            target.members.extend(person.members)
            person.members = []


def _alone(people: list[_Person], p: ParsedName) -> _Person:
    person = _Person(members=[p])
    people.append(person)
    return person


def _typo_groups(keys: list[str]) -> list[list[str]]:
    """Surname skeletons joined when one typo apart ("blinken" / "blinkens"), found
    through one-deletion neighbourhoods: near-linear in the number of surnames. Short
    ones and one-letter changes of mid-length ones stay apart ("gang" / "gangs",
    "Hernandez" / "Hernandes" may be two families).

    >>> sorted(map(sorted, _typo_groups(["blinken", "blinkens", "gang", "gangs", "hernandez", "hernandes"])))
    [['blinken', 'blinkens'], ['gang'], ['gangs'], ['hernandes'], ['hernandez']]
    """
    parent = {k: k for k in keys}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    by_deletion: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        if len(key) < MIN_TYPO_LENGTH:
            continue
        for variant in {key} | {key[:i] + key[i + 1 :] for i in range(len(key))}:
            by_deletion[variant].append(key)
    for bucket in by_deletion.values():
        first = bucket[0]
        for other in bucket[1:]:
            if other != first and Indel.normalized_similarity(first, other) >= SURNAME_SIMILARITY:
                parent[find(other)] = find(first)
    groups: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        groups[find(key)].append(key)
    return list(groups.values())


def _cluster_block(
    keys: set[str],
    names: list[str],
    seeded: list[_Person],
    counts: Mapping[str, int],
    exact: set[str],
    people: list[_Person],
    person_of: dict[str, _Person],
) -> None:
    """People of one surname block: most informative spellings first, each joining the
    one person it agrees with entirely; lone surnames last."""
    block: list[_Person] = list(seeded)
    by_form: dict[tuple, list[str]] = defaultdict(list)
    for name in names:
        by_form[_form(parsed(name))].append(name)
    for person in block:
        for member in person.members:
            if member.given:
                person.given_classes |= _given_classes(member.given)

    def informative(form: tuple) -> tuple:
        given, middles, _, suffix = form
        uses = sum(counts.get(n, 0) for n in by_form[form])
        # full given names before initials and short forms ("Alan" and "Albert" before
        # "Al", which then fits both), more middle names first
        full = given is not None and len(given) > 1
        return (-full, -len(middles), -len(given or ""), -uses, min(by_form[form]))

    forms = sorted(by_form, key=informative)
    for form in forms:
        spelt = by_form[form]
        p = parsed(spelt[0])
        if p.given is None:
            continue
        if all(n in exact for n in spelt):
            home = _exact_home(block, form)
        else:
            classes = _given_classes(p.given)
            fits = [
                person
                for person in block
                if not person.ambiguous
                and person.given_classes & classes
                and _agrees_with_all(p, person, keys)
            ]
            home = fits[0] if len(fits) == 1 else None
            if len(fits) > 1:
                home = _alone(people, p)
                home.ambiguous = True
                block.append(home)
        if home is None:
            home = _alone(people, p)
            block.append(home)
        else:
            home.members.append(p)
        home.given_classes |= _given_classes(p.given)
        for name in spelt:
            person_of[name] = home
    # lone surnames: the block's one person, else one "person" of their own
    named = [person for person in block if any(m.given for m in person.members)]
    lone: _Person | None = None
    for form in forms:
        spelt = by_form[form]
        if form[0] is not None:
            continue
        if len(named) == 1 and not named[0].ambiguous and not all(n in exact for n in spelt):
            home = named[0]
        else:
            lone = lone or _alone(people, parsed(spelt[0]))
            home = lone
        for name in spelt:
            person_of[name] = home


def organisation_key(name: str) -> str:
    """An organisation's name folded for comparison: case, accents, a leading "the",
    punctuation and spacing do not count; every word does.

    >>> organisation_key("The New York Times"), organisation_key("new york  times.")
    ('new york times', 'new york times')
    >>> organisation_key("Interior Department") == organisation_key("Department of Health")
    False
    """
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9&]+", plain)
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def _agrees_with_all(p: ParsedName, person: _Person, keys: set[str]) -> bool:
    """Whether a name agrees with every full spelling a person has in this block (an
    alias-file person may also have spellings under other surnames: those do not count)."""
    compared = [m for m in person.members if m.given and m.surname_key in keys]
    return bool(compared) and all(same_person(p, m) for m in compared)


def _exact_home(block: list[_Person], form: tuple) -> _Person | None:
    for person in block:
        if any(_form(m) == form for m in person.members):
            return person
    return None


def _best_spelling(spelt: list[str], counts: Mapping[str, int]) -> str:
    """A person's canonical spelling: a full name written cleanly, the most used."""

    def clean(name: str) -> bool:
        p = parsed(name)
        if not set(p.stripped) - {"case"}:
            return True
        words = name.split(None, 1)
        # "The New York Times" is that paper's name, not a title and a name
        return len(words) == 2 and words[0] in ("The", "the") and fold(p.display) == fold(words[1])

    def score(name: str) -> tuple:
        return (parsed(name).given is not None, clean(name), counts.get(name, 0), len(name), name)

    best = max(spelt, key=score)
    if not clean(best):
        return parsed(best).display  # only "President Biden", "Adler Says": the name without them
    return best


def lone_name_word(word: ParsedName, name: ParsedName) -> bool:
    """Whether a one-word spelling is a word of the name other than its last: the
    surname of a name written surname first ("Qin" for "Qin Gang"), or the family part
    of a longer one ("Kim" for "Kim Jong Un"). Only an article's own use of the word for
    that person makes it a spelling (`kg.resolve.reduce.is_spelling_of`).

    >>> lone_name_word(parse_name("Qin"), parse_name("Qin Gang"))
    True
    >>> lone_name_word(parse_name("Gang"), parse_name("Qin Gang")), lone_name_word(parse_name("J."), parse_name("J. Smith"))
    (False, False)
    """
    if word.given is not None or word.particles or len(word.surname) < 2:
        return False
    return any(
        part == word.surname or skeleton(part) == word.surname_key
        for part in (name.given, *name.middles)
        if part and len(part) > 1
    )


def explain(spelling: str, canonical: str) -> tuple[str, ...]:
    """Why a spelling is the same person as the canonical name: the rules that differ.

    >>> explain("Sir Keir Starmer", "Keir Starmer"), explain("John F. Kirby", "John Kirby")
    (('title',), ('middle-name',))
    >>> explain("Zelenskiy", "Volodymyr Zelenskyy"), explain("Bill Burns", "William Burns")
    (('surname-only', 'surname-spelling'), ('nickname',))
    >>> explain("Minister Qin", "Qin Gang")
    ('title', 'name-word')
    """
    a, b = parsed(spelling), parsed(canonical)
    found: list[str] = [s for s in a.stripped if s != "case" and s not in b.stripped]
    if lone_name_word(a, b):
        return (*found, "name-word")
    if a.given and b.given and a.given != b.given and (a.given, a.surname) == (b.surname, b.given):
        return (*found, "name-order")
    if a.given is None and b.given is not None:
        found.append("surname-only")
    elif a.given and b.given and a.given != b.given:
        if len(a.given) == 1 or len(b.given) == 1:
            found.append("initial")
        elif skeleton(a.given) == skeleton(b.given):
            found.append("given-spelling")
        elif given_name_forms(a.given) & given_name_forms(b.given):
            found.append("nickname")
        elif a.given.startswith(b.given) or b.given.startswith(a.given):
            found.append("short-form")
        else:
            found.append("given-spelling")
    if a.middles != b.middles and a.given and b.given:
        found.append("middle-name")
    if a.surname != b.surname:
        found.append("surname-spelling" if a.surname_key == b.surname_key else "surname-typo")
    if a.particles != b.particles and a.surname == b.surname:
        found.append("particle")
    if _suffix(a) != _suffix(b):
        found.append("suffix")
    if not found:
        found.append(
            "case" if fold(spelling) != fold(canonical) or spelling != canonical else "same"
        )
    return tuple(dict.fromkeys(found))


def canonical_people(names: Iterable[str], aliases: AliasTable | None = None) -> dict[str, str]:
    """Map every person name seen to its canonical spelling (`resolve_people` on counts).

    Example
    -------
    >>> m = canonical_people(["Antony Blinken", "Anthony Blinken", "Blinken", "Antony Blinken"])
    >>> sorted(set(m.values()))
    ['Antony Blinken']
    """
    counts = Counter(n for n in names if n and n.strip())
    return dict(resolve_people(counts, aliases).canonical)


def in_article_names(names: Mapping[str, str], people: Iterable[str] = ()) -> dict[str, str]:
    """Within one article: a stray spelling of a name the article states in full.

    `names` maps the names the article's quotes use to their kind; `people` are the
    people the extraction found in it. A lone surname the extraction did not take for a
    person (kind organization: "Mabena" beside "Sipho Mabena"), or a spelling that is
    not one of the article's people but matches one of them but for a title or a suffix
    ("Port Deputy Director J.R. Hollis, Jr" beside "J.R. Hollis"), or that ends
    with a full name the article uses ("Singer Tia Marlow" beside "Tia Marlow"), goes to
    the one full name it matches there. A lone surname of a person is left to the extraction,
    which knows whom "President Biden" is beside "Hunter Biden".

    >>> in_article_names({"Sipho Mabena": "organization", "Mabena": "organization"})
    {'Mabena': 'Sipho Mabena'}
    >>> in_article_names({"Hunter Biden": "person", "Biden": "person"})
    {}
    >>> in_article_names({"Ann Lee, Jr": "person", "Ann Lee": "person"}, people=["Ann Lee"])
    {'Ann Lee, Jr': 'Ann Lee'}
    >>> in_article_names({"Crooner Ann Lee": "person", "Ann Lee": "person"})
    {'Crooner Ann Lee': 'Ann Lee'}
    """
    people = set(people)
    full: dict[str, list[str]] = defaultdict(list)
    for name in set(names) | people:
        p = parsed(name)
        if p.given is not None and looks_like_name(name):
            full[p.surname_key].append(name)
    moved: dict[str, str] = {}
    for name, kind in names.items():
        p = parsed(name)
        if not looks_like_name(name) or name in people or not p.surname_key:
            continue
        others = [m for m in full.get(p.surname_key, []) if m != name]
        if p.given is None:
            targets = others if kind != "person" else []
        else:
            targets = [
                m
                for m in others
                if m in people
                and same_person(p, parsed(m), ignore_suffix=True)
                or _ends_with(p, parsed(m))
            ]
        if len({_form(parsed(m)) for m in targets}) == 1:
            moved[name] = min(targets, key=lambda m: (len(m), m))
    return moved


def _ends_with(longer: ParsedName, name: ParsedName) -> bool:
    """Whether a name is the end of a longer one ("Singer Tia Marlow" / "Tia Marlow")."""
    tail = name.display.split()
    words = longer.display.split()
    return (
        len(tail) >= 2
        and len(words) > len(tail)
        and [fold(w) for w in words[-len(tail) :]] == [fold(w) for w in tail]
    )


def prefer_corpus_spelling(
    people: Mapping[str, list[str]], frequency: Mapping[str, int]
) -> dict[str, str]:
    """For one article, rename a person to the full-name spelling the rest of the corpus uses.

    An article (often machine-translated) may name one person two ways, which the
    extraction saw were one person; the spelling other articles use at least twice as
    often wins, so the article's quotes join that person. Only spellings with the same
    surname count: the extraction's variants sometimes hold a relative.

    Example
    -------
    >>> prefer_corpus_spelling({"Chen Gang": ["Chen Gang", "Qin Gang"]}, Counter({"Qin Gang": 9, "Chen Gang": 2}))
    {'Chen Gang': 'Qin Gang'}
    """
    renamed = {}
    for name, variants in people.items():
        key = parsed(name).surname_key
        full = [
            v for v in variants if len(v.split()) > 1 and v != name and parsed(v).surname_key == key
        ]
        if not full:
            continue
        best = max(full, key=lambda v: (frequency.get(v, 0), v))
        if frequency.get(best, 0) >= 2 * max(frequency.get(name, 0), 1):
            renamed[name] = best
    return renamed


__all__ = [
    "PeopleResolution",
    "canonical_people",
    "explain",
    "given_names_agree",
    "lone_name_word",
    "in_article_names",
    "prefer_corpus_spelling",
    "resolve_people",
    "same_person",
]
