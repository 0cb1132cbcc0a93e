"""The cross-article reduce step: one agent per person, statements, conflicting attributions.

`resolve_quotes` takes every quote of the corpus (plus each article's people as the
extraction found them) and, in time near-linear in the number of quotes:

1. renames an article's person to the corpus's spelling when the extraction saw the two
   spellings were one person (`prefer_corpus_spelling`);
2. inside each article, sends a stray spelling to the full name it stands for
   (`in_article_names`: "Mabena" beside "Sipho Mabena");
3. merges spellings across the corpus (`resolve_people`: blocked by surname skeleton),
   and gives each agent one type (a person wherever one quote says so);
4. collects every spelling of each agent, with the rules that merged it, so that each
   article graph can state all of them (`schema:alternateName`) and a query by any
   spelling finds the same rows in every article;
5. clusters statements per speaker (`cluster_statements`);
6. flags conflicting attributions: near-identical words that different articles give to
   different named speakers (`find_conflicts`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from rapidfuzz.distance import Indel

from kg.names import fold, looks_like_name
from kg.resolve.aliases import AliasTable
from kg.resolve.people import (
    MIN_TYPO_LENGTH,
    SURNAME_SIMILARITY,
    explain,
    in_article_names,
    lone_name_word,
    parsed,
    prefer_corpus_spelling,
    resolve_people,
    same_person,
)
from kg.resolve.statements import cluster_statements, content_words, near_duplicates

if TYPE_CHECKING:  # quotes come from the extract stage; importing it here would load spaCy
    from kg.extract.model import Quote

NAMED_KINDS = ("person", "organization")
# near-identical words: most of the shorter quote's content words (one article may quote
# more of the sentence), and enough of them that a slogan ("we will win") is no conflict
CONFLICT_OVERLAP = 0.8
CONFLICT_MIN_SHARED = 4
# words that more speakers than this say are a formula (an oath, a pledge, a slogan, a
# template), not one statement given to the wrong person
CONFLICT_MAX_SPEAKERS = 4


@dataclass(frozen=True)
class ConflictSide:
    """One speaker's side of a conflict: their statement and the quotes that carry it."""

    statement: str
    speaker: str
    quotes: tuple[str, ...]
    docs: tuple[str, ...]

    def to_json(self) -> dict:
        return {
            "statement": self.statement,
            "speaker": self.speaker,
            "quotes": list(self.quotes),
            "docs": list(self.docs),
        }


@dataclass(frozen=True)
class Conflict:
    """The same words attributed to different speakers by different articles."""

    text: str
    sides: tuple[ConflictSide, ...]
    # the pairs of statements whose words are near-identical
    pairs: tuple[tuple[str, str], ...] = ()

    @property
    def speakers(self) -> tuple[str, ...]:
        return tuple(sorted({s.speaker for s in self.sides}))

    def to_json(self) -> dict:
        return {
            "speakers": list(self.speakers),
            "text": self.text,
            "sides": [s.to_json() for s in self.sides],
        }


@dataclass
class Resolution:
    """What the reduce step adds besides the resolved quotes themselves.

    `alternate_names`: article id -> canonical name -> every other spelling of that agent
    in the corpus (the lists are shared between articles). `merges`: canonical name ->
    spelling -> the rules that merged it; `article_merges`: the same for each article, kept
    to the spellings that article itself wrote (its graph tells why they are the agent's).
    `conflicts`, and `conflicting`: statement id ->
    the statements of other speakers it conflicts with.
    """

    alternate_names: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    merges: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    article_merges: dict[str, dict[str, dict[str, tuple[str, ...]]]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    conflicting: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def merges_json(self) -> list[dict]:
        """The merges for report.json: each agent with its spellings and why."""
        return [
            {
                "agent": name,
                "spellings": [
                    {"spelling": s, "rules": list(rules)} for s, rules in sorted(spelt.items())
                ],
            }
            for name, spelt in sorted(self.merges.items())
        ]


def resolve_quotes(
    quotes: Sequence[Quote],
    people_by_article: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    aliases: AliasTable | None = None,
) -> Resolution:
    """Resolve every quote's speaker, relay and addressee, and its statement, in place.

    Example
    -------
    >>> from kg.extract.model import Quote, Speaker
    >>> def q(a, s, text, start=0): return Quote(a, a, start, start + 5, text, "direct", Speaker(s, s))
    >>> quotes = [q("a1", "Volodymyr Zelenskyy", "we will never give up our land to anyone"),
    ...           q("a2", "Zelenskiy", "we will not stop defending the east"),
    ...           q("a3", "John Kirby", "we will never give up our land to anyone at all")]
    >>> result = resolve_quotes(quotes)
    >>> [x.speaker.name for x in quotes]
    ['Volodymyr Zelenskyy', 'Volodymyr Zelenskyy', 'John Kirby']
    >>> result.alternate_names["a2"]
    {'Volodymyr Zelenskyy': ['Zelenskiy']}
    >>> [c.speakers for c in result.conflicts]
    [('John Kirby', 'Volodymyr Zelenskyy')]
    """
    aliases = aliases or AliasTable()
    people_by_article = people_by_article or {}
    early_rules: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)  # new -> old -> why
    # the words each article itself used for its agents, before any renaming
    written: dict[str, set[str]] = defaultdict(set)
    for q in quotes:
        written[q.article_id].update(
            n for n in (q.speaker.name, q.speaker.mention, q.via, q.addressee) if n
        )
    for article, article_people in people_by_article.items():
        for name, variants in article_people.items():
            written[article].add(name)
            written[article].update(variants)

    # 1. the corpus's spelling of a person the extraction saw two ways in one article
    frequency = Counter(q.speaker.name for q in quotes if q.speaker.kind == "person")
    renamed_by_article = {
        article: prefer_corpus_spelling(people, frequency)
        for article, people in people_by_article.items()
    }
    for q in quotes:
        renamed = renamed_by_article.get(q.article_id, {})
        new = renamed.get(q.speaker.name)
        if new and q.speaker.kind == "person":
            early_rules[new][q.speaker.name] = ("corpus-spelling",)
            q.speaker = replace(q.speaker, name=new)
        if renamed and q.mentions:
            q.mentions = [_renamed(m, renamed, ("person",)) for m in q.mentions]

    # 2. stray spellings inside one article
    by_article: dict[str, list[Quote]] = defaultdict(list)
    for q in quotes:
        by_article[q.article_id].append(q)
    for article, article_quotes in by_article.items():
        kinds: dict[str, str] = {}
        for q in article_quotes:
            if q.speaker.kind in NAMED_KINDS:
                if kinds.get(q.speaker.name) != "person":
                    kinds[q.speaker.name] = q.speaker.kind
            elif _name_with_junk(q.speaker.name):
                kinds.setdefault(q.speaker.name, "anonymous")
            for other in (q.via, q.addressee):
                if other and looks_like_name(other):
                    kinds.setdefault(other, "mentioned")
        known = set(people_by_article.get(article, {}))
        known |= set(renamed_by_article.get(article, {}).values())
        moved = in_article_names(kinds, known)
        if not moved:
            continue
        for old, new in moved.items():
            early_rules[new][old] = ("in-article", *explain(old, new))
        for q in article_quotes:
            target = moved.get(q.speaker.name)
            if target and q.speaker.kind in NAMED_KINDS:
                q.speaker = replace(q.speaker, name=target)
            elif target and kinds.get(q.speaker.name) == "anonymous":
                # a headline parsed as a speaker ("Reyes demands accountability"): the
                # name in it is the article's person
                kind = kinds.get(target) if kinds.get(target) in NAMED_KINDS else "person"
                q.speaker = replace(q.speaker, name=target, kind=kind)
            q.via = moved.get(q.via, q.via) if q.via else None
            q.addressee = moved.get(q.addressee, q.addressee) if q.addressee else None
            if q.mentions:
                q.mentions = [_renamed(m, moved) for m in q.mentions]

    # 3. one person, many spellings, across the corpus
    counts: Counter[str] = Counter()
    person_like: set[str] = set()
    for q in quotes:
        if q.speaker.kind in NAMED_KINDS:
            counts[q.speaker.name] += 1
            if q.speaker.kind == "person":
                person_like.add(q.speaker.name)
        for other in (q.via, q.addressee):
            if other:
                counts[other] += 1
                person_like.add(other)
        # the people and organisations a quote names are the same agents as when they speak
        for m in q.mentions:
            if m.kind in NAMED_KINDS:
                counts[m.name] += 1
                if m.kind == "person":
                    person_like.add(m.name)
    people = resolve_people(counts, aliases, exact_only=set(counts) - person_like)
    canonical = people.canonical
    for q in quotes:
        if q.speaker.kind in NAMED_KINDS:
            name = canonical.get(q.speaker.name, q.speaker.name)
            if name != q.speaker.name:
                q.speaker = replace(q.speaker, name=name)
        q.via = canonical.get(q.via, q.via) if q.via else None
        q.addressee = canonical.get(q.addressee, q.addressee) if q.addressee else None
        if q.mentions:
            q.mentions = [_renamed(m, canonical) for m in q.mentions]

    # one agent, one type: the extraction types an unfamiliar name an organisation when
    # its tagger is unsure, a person when a pronoun or a role says so; the person wins
    persons = {q.speaker.name for q in quotes if q.speaker.kind == "person"}
    for q in quotes:
        if q.speaker.kind == "organization" and q.speaker.name in persons:
            q.speaker = replace(q.speaker, kind="person")

    # 4. every spelling of every agent, and why it is theirs
    merges: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
    for name, rules in people.rules.items():
        target = canonical[name]
        if looks_like_name(name) and name != target:
            merges[target][name] = rules
    for target, olds in early_rules.items():
        final = canonical.get(target, target)
        for old, rules in olds.items():
            if old != final and looks_like_name(old):
                merges[final].setdefault(old, rules)
    for final, spelt in people.spellings.items():
        for spelling in spelt:
            if spelling != final:
                merges[final].setdefault(spelling, ("alias-file",))
    for q in quotes:
        if q.speaker.kind in NAMED_KINDS:
            _add_variant(merges, q.speaker.mention, q.speaker.name)
    for article, article_people in people_by_article.items():
        renamed = renamed_by_article.get(article, {})
        for name, variants in article_people.items():
            final = canonical.get(renamed.get(name, name), renamed.get(name, name))
            for variant in variants:
                _add_variant(merges, variant, final)
    spellings = {name: sorted(spelt) for name, spelt in merges.items() if spelt}

    alternate_names: dict[str, dict[str, list[str]]] = {}
    article_merges: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {}
    for article, article_quotes in by_article.items():
        agents = set()
        for q in article_quotes:
            agents.add(q.speaker.name)
            agents.update(n for n in (q.via, q.addressee) if n)
            agents.update(m.name for m in q.mentions if m.kind in NAMED_KINDS)
        found = {name: spellings[name] for name in sorted(agents) if name in spellings}
        if found:
            alternate_names[article] = found
            # why a spelling is the agent's is told where the spelling was written
            used = written.get(article, set())
            here = {
                name: {s: merges[name][s] for s in spelt if s in used}
                for name, spelt in found.items()
            }
            here = {name: rules for name, rules in here.items() if rules}
            if here:
                article_merges[article] = here

    # 5. statements, 6. conflicts
    keys = [f"{q.article_id}:{q.start}:{q.end}" for q in quotes]
    words = [content_words(q.text) for q in quotes]
    ids = cluster_statements([(k, q.speaker.name, q.text) for k, q in zip(keys, quotes)], words)
    for q, statement in zip(quotes, ids):
        q.statement = statement
    conflicts = find_conflicts(quotes, words)
    conflicting: dict[str, set[str]] = defaultdict(set)
    for conflict in conflicts:
        for one, other in conflict.pairs:
            conflicting[one].add(other)
            conflicting[other].add(one)
    return Resolution(
        alternate_names,
        {name: dict(spelt) for name, spelt in merges.items() if spelt},
        article_merges,
        conflicts,
        {k: tuple(sorted(v)) for k, v in sorted(conflicting.items())},
    )


def _renamed(mention, names: Mapping[str, str], kinds: tuple[str, ...] = NAMED_KINDS):
    """A mentioned person or organisation under its new name; places keep theirs."""
    if mention.kind not in kinds or mention.name not in names:
        return mention
    new = names[mention.name]
    return mention if new == mention.name else replace(mention, name=new)


def _name_with_junk(name: str) -> bool:
    """A speaker the extraction could not type whose words are a name and a headline's
    rest ("Reyes demands accountability")."""
    return looks_like_name(name) and "trailing" in parsed(name).stripped


def _add_variant(merges: dict, variant: str, name: str) -> None:
    """Record a spelling the article used for an agent when it is a spelling of its name."""
    if not variant or variant == name or not looks_like_name(variant):
        return
    if variant not in merges.get(name, {}) and is_spelling_of(variant, name):
        merges[name][variant] = explain(variant, name)


def is_spelling_of(variant: str, name: str) -> bool:
    """Whether the words an article used ("Mr. Zelenskyy", "Zelenskiy") spell this name.

    >>> is_spelling_of("Mr. Zelenskiy", "Volodymyr Zelenskyy"), is_spelling_of("Anthony Blinken", "Antony Blinken")
    (True, True)
    >>> is_spelling_of("Bill Clinton", "Hillary Clinton"), is_spelling_of("He", "Antony Blinken")
    (False, False)
    >>> is_spelling_of("Qin", "Qin Gang"), is_spelling_of("Chen", "Qin Gang")
    (True, False)
    """
    if fold(variant) == fold(name):
        return True
    v, n = parsed(variant), parsed(name)
    if lone_name_word(v, n):
        return True  # "Qin" for "Qin Gang": the article itself used the word alone for them
    if not v.surname_key or not n.surname_key:
        return False
    if v.surname_key != n.surname_key and not (
        min(len(v.surname_key), len(n.surname_key)) >= MIN_TYPO_LENGTH
        and Indel.normalized_similarity(v.surname_key, n.surname_key) >= SURNAME_SIMILARITY
    ):
        return False
    if v.given is None:
        return n.given is not None or v.surname_key == n.surname_key
    return same_person(v, n)


_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def _same_figures(a: str, b: str) -> bool:
    """Whether two texts give the same figures (one may leave some out).

    >>> _same_figures("would cost 5 million", "would cost 12 million")
    False
    >>> _same_figures("the lowest point since 1979", "at the lowest point since 1979, he said")
    True
    """
    x, y = set(_FIGURE.findall(a)), set(_FIGURE.findall(b))
    return x <= y or y <= x


def find_conflicts(
    quotes: Sequence[Quote], words: Sequence[frozenset[str]] | None = None
) -> list[Conflict]:
    """Statements that different articles attribute to different named speakers.

    Two quotes conflict when they come from different articles, name different speakers
    and share nearly all their content words (`CONFLICT_OVERLAP` of the shorter quote's,
    at least `CONFLICT_MIN_SHARED`) with the same figures (a different number is another
    claim, not another speaker for it), unless some article names one speaker as the relay
    of the other's statement (an outlet that passed the words on), and unless more than
    `CONFLICT_MAX_SPEAKERS` speakers share the words (a formula, not a misattribution). Candidates come from the same inverted index of
    rare words as statement clustering, so the check stays near-linear. Conflicts are
    grouped by statement: each side is one speaker's statement and its quotes.
    """
    named = [
        i
        for i, q in enumerate(quotes)
        if q.speaker.kind in NAMED_KINDS and looks_like_name(q.speaker.name) and q.statement
    ]
    sets = [words[i] if words is not None else content_words(quotes[i].text) for i in named]
    parent: dict[str, str] = {}

    def find(s: str) -> str:
        parent.setdefault(s, s)
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    relays: dict[str, set[str]] = defaultdict(set)
    for q in quotes:
        if q.via and q.statement:
            relays[q.statement].add(q.via)
    pairs: set[tuple[str, str]] = set()
    relayed: set[str] = set()  # an outlet's statement of words it passed on for someone
    group_of: dict[str, int] = {}
    groups = [group_of.setdefault(quotes[i].statement, len(group_of)) for i in named]
    for x, y in near_duplicates(sets, CONFLICT_OVERLAP, CONFLICT_MIN_SHARED, groups):
        a, b = quotes[named[x]], quotes[named[y]]
        if a.article_id == b.article_id or a.speaker.name == b.speaker.name:
            continue
        if not _same_figures(a.text, b.text):
            continue  # "would cost 12 million" and "would cost 4 million" are two claims
        if a.speaker.name in relays[b.statement]:
            relayed.add(a.statement)
        elif b.speaker.name in relays[a.statement]:
            relayed.add(b.statement)
        else:
            pairs.add((min(a.statement, b.statement), max(a.statement, b.statement)))
    involved: set[str] = set()
    links: dict[str, set[str]] = defaultdict(set)
    for one, other in pairs:
        if one in relayed or other in relayed:
            continue
        parent[find(one)] = find(other)
        involved |= {one, other}
        links[one].add(other)
        links[other].add(one)
    if not involved:
        return []
    members: dict[str, list[Quote]] = defaultdict(list)
    for q in quotes:
        if q.statement in involved:
            members[q.statement].append(q)
    groups: dict[str, list[str]] = defaultdict(list)
    for statement in sorted(involved):
        groups[find(statement)].append(statement)
    conflicts = []
    for statements in groups.values():
        sides = []
        for statement in statements:
            carried = sorted(members[statement], key=lambda q: (q.doc, q.start))
            sides.append(
                ConflictSide(
                    statement,
                    carried[0].speaker.name,
                    tuple(q.id for q in carried),
                    tuple(sorted({q.doc for q in carried})),
                )
            )
        sides.sort(key=lambda s: (s.speaker, s.statement))
        if len({s.speaker for s in sides}) > CONFLICT_MAX_SPEAKERS:
            continue
        example = min((q for s in statements for q in members[s]), key=lambda q: (q.doc, q.start))
        linked = tuple(sorted((a, b) for a in statements for b in links[a] if a < b))
        conflicts.append(Conflict(example.text, tuple(sides), linked))
    conflicts.sort(key=lambda c: (c.speakers, c.sides[0].statement))
    return conflicts


__all__ = [
    "Conflict",
    "ConflictSide",
    "Resolution",
    "find_conflicts",
    "is_spelling_of",
    "resolve_quotes",
]
