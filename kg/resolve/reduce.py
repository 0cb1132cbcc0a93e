"""The cross-article reduce step: one agent per person, statements, conflicting attributions.

`reduce_corpus` reads every article of the corpus (its quotes and its people as the
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
5. clusters statements per speaker (`statement_representatives`);
6. flags conflicting attributions: near-identical words that different articles give to
   different named speakers (`_conflicting_pairs`).

Memory: the corpus is read article by article, several times (a `Reader` gives the
articles again on each call), and steps 1 and 2, which depend on one article and a count
per name, are redone on each reading instead of being kept. What stays resident is
corpus-wide and small: counts, spellings and merges per distinct name, and per quote a
few integers in arrays (`_QuoteTable`: its speaker, its article, its offsets, its
content words and figures as ids into a vocabulary) — about 70 bytes per quote, where a
quote object with its word set took about 2 KB. `ReduceState.decide` then hands back, an
article at a time, what was decided for each quote; `resolve_quotes` does the same over
quotes in memory and applies the decisions in place.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from rapidfuzz.distance import Indel

from kg.names import fold, skeleton
from kg.names import looks_like_name as _name_test
from kg.resolve.aliases import AliasTable
from kg.resolve.people import (
    MIN_TYPO_LENGTH,
    SURNAME_SIMILARITY,
    PeopleResolution,
    explain,
    forget_parsed_names,
    in_article_names,
    lone_name_word,
    parsed,
    prefer_corpus_spelling,
    resolve_people,
    same_person,
)
from kg.resolve.statements import (
    Vocabulary,
    WordSets,
    content_words,
    forget_stems,
    near_duplicates,
    statement_id,
    statement_representatives,
)

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

# every reading asks this of the same names again
looks_like_name = lru_cache(maxsize=65_536)(_name_test)

# one article as the reduce reads it: its id, its quotes, its people (name -> spellings)
ArticleRecord = tuple[str, Sequence["Quote"], Mapping[str, Sequence[str]]]
# gives every article of the corpus, in the same order, each time it is called
Reader = Callable[[], Iterable[ArticleRecord]]


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

    The quotes are read article by article, in the order each article first appears
    (`reduce_corpus`); an article of `people_by_article` without quotes comes last.

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
    by_article: dict[str, list[Quote]] = {}
    for q in quotes:
        by_article.setdefault(q.article_id, []).append(q)
    people = people_by_article or {}
    articles: list[ArticleRecord] = [(a, qs, people.get(a, {})) for a, qs in by_article.items()]
    articles += [(a, [], p) for a, p in people.items() if a not in by_article]
    state = reduce_corpus(lambda: articles, aliases)
    alternate_names: dict[str, dict[str, list[str]]] = {}
    article_merges: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {}
    for article, article_quotes, article_people in articles:
        decision = state.decide(article, article_quotes, article_people)
        for q, decided in zip(article_quotes, decision.quotes, strict=True):
            apply_decision(q, decided)
        if decision.alternate_names:
            alternate_names[article] = decision.alternate_names
        if decision.merges:
            article_merges[article] = decision.merges
    resolution = state.resolution()
    resolution.alternate_names = alternate_names
    resolution.article_merges = article_merges
    return resolution


class Decided(NamedTuple):
    """What the reduce decided for one quote."""

    speaker: object  # kg.extract.model.Speaker
    via: str | None
    addressee: str | None
    mentions: list
    statement: str


def apply_decision(q: Quote, decided: Decided) -> None:
    """Give a quote what the reduce decided for it."""
    q.speaker, q.via, q.addressee, mentions, q.statement = decided
    q.mentions = list(mentions)


@dataclass
class ArticleDecision:
    """What the reduce decided for one article: each quote's `Decided`, and the other
    spellings of the agents it names (`Resolution.alternate_names`) with why, for the
    spellings this article wrote (`Resolution.article_merges`)."""

    quotes: list[Decided]
    alternate_names: dict[str, list[str]] | None = None
    merges: dict[str, dict[str, tuple[str, ...]]] | None = None


@dataclass(slots=True)
class _Agents:
    """A quote's agents as the reduce renames them: copies, so the quote stays as read."""

    name: str
    kind: str
    via: str | None
    addressee: str | None
    mentions: Sequence


class _InArticle(NamedTuple):
    agents: list[_Agents]
    renamed: dict[str, str]  # step 1: a person's name -> the corpus's spelling
    moved: dict[str, str]  # step 2: a stray spelling -> the article's full name


def _in_article(
    quotes: Sequence[Quote], people: Mapping[str, Sequence[str]], frequency: Mapping[str, int]
) -> _InArticle:
    """Steps 1 and 2 for one article: they depend on the article and on how often each
    person's name is used in the corpus (`frequency`), so every reading redoes them.

    >>> from kg.extract.model import Quote, Speaker
    >>> quotes = [Quote("d", "a", 0, 5, "words", "direct", Speaker(n, n, "organization"))
    ...           for n in ("Sipho Mabena", "Mabena")]
    >>> [a.name for a in _in_article(quotes, {}, {}).agents]
    ['Sipho Mabena', 'Sipho Mabena']
    """
    renamed = prefer_corpus_spelling(people, frequency) if people else {}
    agents = []
    for q in quotes:
        a = _Agents(q.speaker.name, q.speaker.kind, q.via, q.addressee, q.mentions or ())
        new = renamed.get(a.name)
        if new and a.kind == "person":
            a.name = new
        if renamed and a.mentions:
            a.mentions = [_renamed(m, renamed, ("person",)) for m in a.mentions]
        agents.append(a)
    if not agents:
        return _InArticle(agents, renamed, {})
    kinds: dict[str, str] = {}
    for a in agents:
        if a.kind in NAMED_KINDS:
            if kinds.get(a.name) != "person":
                kinds[a.name] = a.kind
        elif _name_with_junk(a.name):
            kinds.setdefault(a.name, "anonymous")
        for other in (a.via, a.addressee):
            if other and looks_like_name(other):
                kinds.setdefault(other, "mentioned")
    moved = in_article_names(kinds, set(people) | set(renamed.values()))
    if not moved:
        return _InArticle(agents, renamed, moved)
    for a in agents:
        target = moved.get(a.name)
        if target and a.kind in NAMED_KINDS:
            a.name = target
        elif target and kinds.get(a.name) == "anonymous":
            # a headline parsed as a speaker ("Reyes demands accountability"): the
            # name in it is the article's person
            a.kind = kinds[target] if kinds.get(target) in NAMED_KINDS else "person"
            a.name = target
        a.via = moved.get(a.via, a.via) if a.via else None
        a.addressee = moved.get(a.addressee, a.addressee) if a.addressee else None
        if a.mentions:
            a.mentions = [_renamed(m, moved) for m in a.mentions]
    return _InArticle(agents, renamed, moved)


def _to_canonical(a: _Agents, canonical: Mapping[str, str]) -> None:
    """Step 3 for one quote: every agent under its corpus-wide canonical name."""
    if a.kind in NAMED_KINDS:
        a.name = canonical.get(a.name, a.name)
    a.via = canonical.get(a.via, a.via) if a.via else None
    a.addressee = canonical.get(a.addressee, a.addressee) if a.addressee else None
    if a.mentions:
        a.mentions = [_renamed(m, canonical) for m in a.mentions]


class _QuoteTable:
    """Per quote, what statements and conflicts need, as integers in arrays: its article,
    offsets, speaker and relay (ids into `names`), whether the speaker is named, and its
    content words and figures (`WordSets`). About 70 bytes a quote.
    """

    def __init__(self) -> None:
        self.names: dict[str, int] = {}
        self.article_ids: list[str] = []
        self.article = array("I")
        self.start = array("I")
        self.end = array("I")
        self.speaker = array("I")
        self.via = array("i")
        self.named = bytearray()
        self._words, self._figures = Vocabulary(), Vocabulary()
        self.words, self.figures = WordSets(), WordSets()

    def __len__(self) -> int:
        return len(self.article)

    def name_id(self, name: str) -> int:
        return self.names.setdefault(name, len(self.names))

    def add(self, q: Quote, a: _Agents) -> None:
        # an article's quotes come together: a new id is a new article (were one id to
        # come back later, its keys, made from the id itself, would be the same)
        if not self.article_ids or self.article_ids[-1] != q.article_id:
            self.article_ids.append(q.article_id)
        self.article.append(len(self.article_ids) - 1)
        self.start.append(q.start)
        self.end.append(q.end)
        self.speaker.append(self.name_id(a.name))
        self.via.append(self.name_id(a.via) if a.via else -1)
        self.named.append(a.kind in NAMED_KINDS and looks_like_name(a.name))
        self.words.add(self._words.ids(content_words(q.text)))
        self.figures.add(self._figures.ids(set(_FIGURE.findall(q.text))))

    def seal(self) -> None:
        """After the last quote: word ids renumbered to sort as the words do (equally rare
        words are then ordered as before), and the vocabularies dropped."""
        self.words.renumber(self._words.string_order())
        del self._words, self._figures
        forget_stems()

    def release(self) -> None:
        """Drop all but what the statement ids need (articles and offsets)."""
        self.speaker = self.via = self.words = self.figures = self.named = None  # type: ignore[assignment]

    def key(self, i: int) -> str:
        """The quote's stable key, from which its statement's id is made."""
        return f"{self.article_ids[self.article[i]]}:{self.start[i]}:{self.end[i]}"

    def speaker_blocks(self) -> array:
        """Each quote's block for statements: its speaker's name, lowercased."""
        block_of_name: dict[str, int] = {}
        block = [block_of_name.setdefault(name.lower(), len(block_of_name)) for name in self.names]
        return array("I", map(block.__getitem__, self.speaker))

    def same_figures(self, i: int, j: int) -> bool:
        """Whether two quotes give the same figures (one may leave some out).

        >>> from kg.extract.model import Quote, Speaker
        >>> table = _QuoteTable()
        >>> for n, text in enumerate(["would cost 5 million", "would cost 12 million",
        ...                           "the lowest since 1979", "at the lowest since 1979, he said"]):
        ...     table.add(Quote("d", "a", n, n + 1, text, "direct", Speaker("X", "X")),
        ...               _Agents("X", "person", None, None, ()))
        >>> table.same_figures(0, 1), table.same_figures(2, 3)
        (False, True)
        """
        x, y = self.figures[i], self.figures[j]
        return x <= y or y <= x


class _Member(NamedTuple):
    """A quote of a statement in conflict, as the report shows it (its id is made when
    the report is; only the group's first quote keeps its text, `ReduceState.examples`)."""

    doc: str
    start: int
    end: int
    article: str
    speaker: str

    @property
    def id(self) -> str:
        from kg.extract.model import quote_id

        return quote_id(self.article, self.start, self.end)


def reduce_corpus(read: Reader, aliases: AliasTable | None = None) -> ReduceState:
    """Steps 1 to 6 over the corpus that `read` gives (three readings), up to what is
    decided for each quote, which `ReduceState.decide` hands back on a fourth.

    1. how often each spelling names a speaking person;
    2. steps 1 and 2 in each article, and every name the agents then go by, counted
       (`resolve_people` merges them);
    3. every agent under its canonical name: which names are persons, the spellings each
       article used, and the `_QuoteTable` from which statements and conflicts follow.
    """
    aliases = aliases or AliasTable()
    frequency: Counter[str] = Counter()
    for _, quotes, _ in read():
        frequency.update(q.speaker.name for q in quotes if q.speaker.kind == "person")

    # new -> old -> why: the corpus's spelling first, then spellings inside an article
    corpus_spelling: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
    in_article: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
    counts: Counter[str] = Counter()
    person_like: set[str] = set()
    bodies: set[str] = set()  # names some quote gives an organisation
    for _, quotes, people in read():
        local = _in_article(quotes, people, frequency)
        for q in quotes:
            new = local.renamed.get(q.speaker.name)
            if new and q.speaker.kind == "person":
                corpus_spelling[new][q.speaker.name] = ("corpus-spelling",)
        for old, new in local.moved.items():
            in_article[new][old] = ("in-article", *explain(old, new))
        for a in local.agents:
            _count_names(a, counts, person_like, bodies)
    early_rules = {new: dict(olds) for new, olds in corpus_spelling.items()}
    for new, olds in in_article.items():
        early_rules.setdefault(new, {}).update(olds)
    del corpus_spelling, in_article
    exact = set(counts) - person_like
    people = resolve_people(counts, aliases, exact_only=exact, organisations=bodies & exact)
    del counts, person_like, bodies
    merges = _merges(people, early_rules)

    canonical = people.canonical
    persons: set[str] = set()
    table = _QuoteTable()
    for _, quotes, article_people in read():
        local = _in_article(quotes, article_people, frequency)
        for q, a in zip(quotes, local.agents):
            _to_canonical(a, canonical)
            if a.kind == "person":
                persons.add(a.name)
            if a.kind in NAMED_KINDS:
                _add_variant(merges, q.speaker.mention, a.name)
            table.add(q, a)
        for name, variants in article_people.items():
            renamed = local.renamed.get(name, name)
            final = canonical.get(renamed, renamed)
            for variant in variants:
                _add_variant(merges, variant, final)
    table.seal()
    return ReduceState(frequency, people, persons, merges, table)


def forget_name_caches() -> None:
    """Drop what the readings cached per distinct name (parsed names, which strings are
    names, spelling skeletons, given-name classes), once the corpus is reduced: the store
    pass and the outputs need none of it, and it grows with the corpus's names (up to
    hundreds of thousands of entries).

    >>> _ = looks_like_name("Ana Lima"); looks_like_name.cache_info().currsize > 0
    True
    >>> forget_name_caches(); looks_like_name.cache_info().currsize, parsed.cache_info().currsize
    (0, 0)
    """
    looks_like_name.cache_clear()
    skeleton.cache_clear()
    forget_parsed_names()
    forget_stems()


def _count_names(a: _Agents, counts: Counter[str], person_like: set[str], bodies: set[str]) -> None:
    """The names one quote's agents go by, for `resolve_people`."""

    def named(name: str, kind: str) -> None:
        if kind in NAMED_KINDS:
            counts[name] += 1
            if kind == "person":
                person_like.add(name)
            elif kind == "organization":
                bodies.add(name)

    named(a.name, a.kind)
    for other in (a.via, a.addressee):
        if other:
            counts[other] += 1
            person_like.add(other)
    # the people and organisations a quote names are the same agents as when they speak
    for m in a.mentions:
        named(m.name, m.kind)


def _merges(
    people: PeopleResolution, early_rules: Mapping[str, Mapping[str, tuple[str, ...]]]
) -> dict[str, dict[str, tuple[str, ...]]]:
    """Step 4's start: each canonical name's merged spellings with their rules, from the
    corpus-wide merge, then from steps 1 and 2, then from the alias file."""
    canonical = people.canonical
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
    return merges


class ReduceState:
    """What `reduce_corpus` decided for the whole corpus, kept small (per distinct name,
    and a few integers per quote); `decide` turns it into each article's decisions, in
    the order the articles were read, and `resolution` gives what is corpus-wide."""

    def __init__(
        self,
        frequency: Counter[str],
        people: PeopleResolution,
        persons: set[str],
        merges: dict[str, dict[str, tuple[str, ...]]],
        table: _QuoteTable,
    ) -> None:
        self.frequency = frequency
        self.canonical = people.canonical
        self.persons = persons
        self.merges = merges
        self.spellings = {name: sorted(spelt) for name, spelt in merges.items() if spelt}
        self.quotes = len(table)
        # 5. each quote's statement, as the quote whose key makes the statement's id
        self.chosen = statement_representatives(table.speaker_blocks(), table.words, table.key)
        # 6. the statements in conflict, grouped; their quotes are gathered by `decide`
        self.table = table
        pairs, relayed = _conflicting_pairs(table, self.chosen, self.statement_of)
        self.conflict_groups, self.links = _conflict_groups(pairs, relayed)
        self.members: dict[str, list[_Member]] = {
            s: [] for group in self.conflict_groups.values() for s in group
        }
        self.group_of = {s: root for root, group in self.conflict_groups.items() for s in group}
        # each group's first quote by (doc, start), with its text: the conflict's example
        self.examples: dict[str, tuple[str, int, str]] = {}
        table.release()
        self.table = table
        self._next = 0  # the next quote `decide` will see
        self.speakers: set[str] = set()
        self.statements = sum(1 for i, c in enumerate(self.chosen) if i == c)

    def statement_of(self, i: int) -> str:
        """The statement id of quote `i` (of its statement's quote with the smallest key)."""
        return statement_id(self.table.key(self.chosen[i]))

    def decide(
        self, article: str, quotes: Sequence[Quote], people: Mapping[str, Sequence[str]]
    ) -> ArticleDecision:
        """The decisions for one article: the same article, quotes and people as were read,
        in the same order."""
        local = _in_article(quotes, people, self.frequency)
        decided = []
        agents: set[str] = set()
        for q, a in zip(quotes, local.agents):
            _to_canonical(a, self.canonical)
            # one agent, one type: the extraction types an unfamiliar name an organisation
            # when its tagger is unsure, a person when a pronoun or a role says so
            if a.kind == "organization" and a.name in self.persons:
                a.kind = "person"
            statement = self.statement_of(self._next)
            self._next += 1
            speaker = q.speaker
            if (speaker.name, speaker.kind) != (a.name, a.kind):
                speaker = replace(speaker, name=a.name, kind=a.kind)
            decided.append(Decided(speaker, a.via, a.addressee, list(a.mentions), statement))
            self.speakers.add(a.name)
            agents.add(a.name)
            agents.update(n for n in (a.via, a.addressee) if n)
            agents.update(m.name for m in a.mentions if m.kind in NAMED_KINDS)
            if statement in self.members:
                self.members[statement].append(_Member(q.doc, q.start, q.end, q.article_id, a.name))
                group = self.group_of[statement]
                example = self.examples.get(group)
                if example is None or (q.doc, q.start) < example[:2]:
                    self.examples[group] = (q.doc, q.start, q.text)
        found = {name: self.spellings[name] for name in sorted(agents) if name in self.spellings}
        if not found:
            return ArticleDecision(decided)
        # why a spelling is the agent's is told where the spelling was written
        used = _written(quotes, people)
        here = {
            name: {s: self.merges[name][s] for s in spelt if s in used}
            for name, spelt in found.items()
        }
        return ArticleDecision(
            decided, found, {n: rules for n, rules in here.items() if rules} or None
        )

    def resolution(self) -> Resolution:
        """What is corpus-wide, once every article was decided: merges and conflicts."""
        if self._next != self.quotes:
            raise ValueError(f"decided {self._next} of {self.quotes} quotes")
        conflicts = _conflicts(self.conflict_groups, self.members, self.links, self.examples)
        conflicting: dict[str, set[str]] = defaultdict(set)
        for conflict in conflicts:
            for one, other in conflict.pairs:
                conflicting[one].add(other)
                conflicting[other].add(one)
        return Resolution(
            {},
            {name: dict(spelt) for name, spelt in self.merges.items() if spelt},
            {},
            conflicts,
            {k: tuple(sorted(v)) for k, v in sorted(conflicting.items())},
        )


def _written(quotes: Sequence[Quote], people: Mapping[str, Sequence[str]]) -> set[str]:
    """The words an article itself used for its agents, before any renaming."""
    used = {n for q in quotes for n in (q.speaker.name, q.speaker.mention, q.via, q.addressee) if n}
    for name, variants in people.items():
        used.add(name)
        used.update(variants)
    return used


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


def _conflicting_pairs(
    table: _QuoteTable, chosen: Sequence[int], statement_of: Callable[[int], str]
) -> tuple[set[tuple[str, str]], set[str]]:
    """Statements that different articles attribute to different named speakers.

    Two quotes conflict when they come from different articles, name different speakers
    and share nearly all their content words (`CONFLICT_OVERLAP` of the shorter quote's,
    at least `CONFLICT_MIN_SHARED`) with the same figures (a different number is another
    claim, not another speaker for it), unless some article names one speaker as the relay
    of the other's statement (an outlet that passed the words on: that statement is
    `relayed`). Candidates come from the same prefix index of rare words as statement
    clustering, so the check stays near-linear. Returns the pairs of statement ids in
    conflict, and the relayed statements.
    """
    named = array("I", (i for i in range(len(table)) if table.named[i]))
    sets = table.words.picked(named)
    groups = array("I", (chosen[i] for i in named))
    relays: dict[int, set[int]] = defaultdict(set)  # statement -> its relays' names
    for i, via in enumerate(table.via):
        if via >= 0:
            relays[chosen[i]].add(via)
    pairs: set[tuple[str, str]] = set()
    relayed: set[str] = set()  # an outlet's statement of words it passed on for someone
    speaker, article = table.speaker, table.article
    for x, y in near_duplicates(sets, CONFLICT_OVERLAP, CONFLICT_MIN_SHARED, groups):
        i, j = named[x], named[y]
        if article[i] == article[j] or speaker[i] == speaker[j]:
            continue
        if not table.same_figures(i, j):
            continue  # "would cost 12 million" and "would cost 4 million" are two claims
        a, b = statement_of(i), statement_of(j)
        if speaker[i] in relays.get(chosen[j], ()):
            relayed.add(a)
        elif speaker[j] in relays.get(chosen[i], ()):
            relayed.add(b)
        else:
            pairs.add((min(a, b), max(a, b)))
    return pairs, relayed


def _conflict_groups(
    pairs: set[tuple[str, str]], relayed: set[str]
) -> tuple[dict[str, list[str]], dict[str, set[str]]]:
    """The statements in conflict (a relayed one is none), grouped into connected
    components (each group's statements sorted), and each one's direct conflicts."""
    parent: dict[str, str] = {}

    def find(s: str) -> str:
        parent.setdefault(s, s)
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    involved: set[str] = set()
    links: dict[str, set[str]] = defaultdict(set)
    for one, other in pairs:
        if one in relayed or other in relayed:
            continue
        parent[find(one)] = find(other)
        involved |= {one, other}
        links[one].add(other)
        links[other].add(one)
    groups: dict[str, list[str]] = defaultdict(list)
    for statement in sorted(involved):
        groups[find(statement)].append(statement)
    return dict(groups), links


def _conflicts(
    groups: Mapping[str, list[str]],
    members: Mapping[str, list[_Member]],
    links: Mapping[str, set[str]],
    examples: Mapping[str, tuple[str, int, str]],
) -> list[Conflict]:
    """Conflicts grouped by statement: each side is one speaker's statement and its
    quotes; words that more than `CONFLICT_MAX_SPEAKERS` speakers share are a formula
    (an oath, a template), not a misattribution."""
    conflicts = []
    for root, statements in groups.items():
        sides = []
        for statement in statements:
            carried = sorted(members[statement], key=lambda m: (m.doc, m.start))
            sides.append(
                ConflictSide(
                    statement,
                    carried[0].speaker,
                    tuple(m.id for m in carried),
                    tuple(sorted({m.doc for m in carried})),
                )
            )
        sides.sort(key=lambda s: (s.speaker, s.statement))
        if len({s.speaker for s in sides}) > CONFLICT_MAX_SPEAKERS:
            continue
        linked = tuple(sorted((a, b) for a in statements for b in links[a] if a < b))
        conflicts.append(Conflict(examples[root][2], tuple(sides), linked))
    conflicts.sort(key=lambda c: (c.speakers, c.sides[0].statement))
    return conflicts


__all__ = [
    "ArticleDecision",
    "Conflict",
    "ConflictSide",
    "Decided",
    "ReduceState",
    "Resolution",
    "apply_decision",
    "is_spelling_of",
    "reduce_corpus",
    "resolve_quotes",
]
