"""Who is who inside one article: named people, their roles, and what a mention refers to.

A news article names a person in full once ("State Department spokesman Matthew Miller")
and then by surname, title, role or pronoun. `PeopleIndex` collects the named people of
one `Doc` with the role words the article attaches to them, so that "Miller",
"Mr. Miller", "the spokesman" and "he" can all be brought back to "Matthew Miller".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.extract.lexicon import (
    GENDERED_ROLES,
    HONORIFICS,
    NOT_NAMES,
    PERSON_ROLE_NOUNS,
    ROLE_ABBREVIATIONS,
    ROLE_SYNONYMS,
)

_NAME_JUNK = re.compile(r"(?:['’]s|['’])$")
_ROLE_DEPS = {"compound", "amod", "nmod", "poss", "npadvmod", "appos", "attr", "pobj", "prep"}


_NAME_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "da",
        "del",
        "della",
        "di",
        "du",
        "le",
        "la",
        "bin",
        "ibn",
        "al",
        "el",
    ]
)


_INNER_APOSTROPHE = re.compile(r"(?<=\w)[’‘ʼ`´](?=\w)")


def clean_name(text: str) -> tuple[str, str | None]:
    """Strip honorifics, possessives and stray marks from a name; return it and a gender hint.

    >>> clean_name("Mr. Blinken’s")
    ('Blinken', 'm')
    >>> clean_name("qin gang")
    ('Qin Gang', None)
    >>> clean_name("tenant Ana Lopez"), clean_name("van der Berg")
    (('Ana Lopez', None), ('van der Berg', None))
    >>> clean_name("Sean O’Neill")  # one spelling of the apostrophe, whatever the font
    ("Sean O'Neill", None)
    """
    text = _INNER_APOSTROPHE.sub("'", text)
    words = [w for w in re.split(r"\s+", text.strip(" \t\n“”\"'‘’,.;:()")) if w]
    gender = None
    while len(words) > 1 and words[0].lower().rstrip(".") in HONORIFICS:
        gender = gender or HONORIFICS[words[0].lower().rstrip(".")]
        words.pop(0)
    while len(words) > 1 and words[0].islower() and words[0] not in _NAME_PARTICLES:
        if not any(w[:1].isupper() for w in words[1:]):
            break
        words.pop(0)  # "tenant Ana Lopez", "striker Tom Hall": a description, not the name
    if words:
        words[-1] = _NAME_JUNK.sub("", re.sub(r"\.[a-z]+$", "", words[-1]))
    words = [w for w in words if w]
    if words and all(w.islower() for w in words):
        words = [w[:1].upper() + w[1:] for w in words]
    return " ".join(words), gender


def role_words(tokens: list[Token]) -> set[str]:
    """Normalised role vocabulary of some tokens: lemmas, abbreviations expanded.

    >>> import spacy
    >>> sorted(role_words(list(spacy.blank("en")("the Chinese FM"))))
    ['chinese', 'foreign', 'minister']
    """
    words: set[str] = set()
    for t in tokens:
        if t.is_punct or t.is_stop or t.like_num:
            continue
        words.update(_normalise_role(t.lower_.strip(".")))
    return words


def role_head(word: str) -> str:
    """The head noun of a role word, abbreviations expanded (English titles are head-final).

    >>> role_head("FM"), role_head("spokeswoman"), role_head("officials")
    ('minister', 'spokesperson', 'official')
    """
    return _normalise_role(word.lower().strip("."))[-1]


def _normalise_role(word: str) -> tuple[str, ...]:
    if word in ROLE_ABBREVIATIONS:
        return ROLE_ABBREVIATIONS[word]
    if word.endswith("s") and word[:-1] in PERSON_ROLE_NOUNS:
        word = word[:-1]
    return (ROLE_SYNONYMS.get(word, word),)


@dataclass
class Person:
    """A named person (or organisation) of one article."""

    name: str
    kind: str = "person"
    variants: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    gender: str | None = None
    first_char: int = 0
    mentions: list[int] = field(default_factory=list)

    @property
    def tokens(self) -> list[str]:
        return self.name.lower().split()


class PeopleIndex:
    """The named people of one article and the positions where each is mentioned."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.people: list[Person] = []
        self._by_token: dict[str, list[Person]] = {}
        self.mention_at: dict[int, Person] = {}
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                self._add_name(ent)
        self._merge_variants()
        for ent in doc.ents:
            if ent.label_ != "PERSON" and ent.root.pos_ == "PROPN":
                self._claim_mislabelled(ent)
        self._claim_bare_surnames()
        for ent in doc.ents:
            if ent.label_ == "PERSON" or ent.start in self.mention_at:
                person = self.mention_at.get(ent.start)
                if person is not None:
                    self._learn_roles(person, ent)

    # -- building -----------------------------------------------------------------------
    def _add_name(self, ent: Span) -> None:
        name, gender = clean_name(ent.text)
        if not name or name.lower() in NOT_NAMES or not any(c.isalpha() for c in name):
            return
        if all(t.is_punct or ent.start <= t.i < ent.end for t in ent.sent) and len(ent) == 1:
            return  # "Harsh? He doesn't think so.": a word asked as a sentence, not a name
        person = self.find_name(name)
        if person is None:
            person = Person(name=name, first_char=ent.start_char)
            self.people.append(person)
        elif len(name.split()) > len(person.name.split()):
            person.name = name
        person.variants.add(name)
        person.gender = person.gender or gender
        person.mentions.append(ent.start_char)
        for word in name.lower().split():
            bucket = self._by_token.setdefault(word, [])
            if person not in bucket:
                bucket.append(person)
        for i in range(ent.start, ent.end):
            self.mention_at[i] = person

    def _merge_variants(self) -> None:
        """Fold one person written several ways ("Qin" / "Qin Gang", a glued or misspelt
        surname) into one, named by the spelling the article uses most."""
        from rapidfuzz.fuzz import ratio

        counts: dict[str, int] = {}
        for t in self.doc:
            counts[t.lower_] = counts.get(t.lower_, 0) + 1
        merged: list[Person] = []
        for person in sorted(self.people, key=lambda p: -len(p.tokens)):
            target = next((m for m in merged if _same_person(person, m, ratio)), None)
            if target is None:
                merged.append(person)
                continue
            if counts.get(person.tokens[-1], 0) > counts.get(target.tokens[-1], 0) and len(
                person.tokens
            ) >= len(target.tokens):
                target.name = person.name
            target.variants |= person.variants
            target.mentions += person.mentions
            target.gender = target.gender or person.gender
            target.first_char = min(target.first_char, person.first_char)
            for i, owner in list(self.mention_at.items()):
                if owner is person:
                    self.mention_at[i] = target
        self.people = sorted(merged, key=lambda p: p.first_char)
        self._by_token = {}
        for person in self.people:
            for variant in person.variants:
                for word in variant.lower().split():
                    bucket = self._by_token.setdefault(word, [])
                    if person not in bucket:
                        bucket.append(person)

    def _claim_mislabelled(self, ent: Span) -> None:
        """A surname the tagger once called a place ("Blinken" as GPE) is still the person."""
        name, _ = clean_name(ent.text)
        person = self.find_name(name) if name else None
        if person is not None and len(name.split()) <= len(person.name.split()):
            for i in range(ent.start, ent.end):
                self.mention_at[i] = person
            person.mentions.append(ent.start_char)

    def _claim_bare_surnames(self) -> None:
        """A surname standing alone that the tagger did not mark ("Evans read the letter")
        is still a mention of the one person of the article who bears it."""
        for token in self.doc:
            if token.i in self.mention_at or token.pos_ != "PROPN" or not token.is_title:
                continue
            owners = self._by_token.get(token.lower_, [])
            if len(owners) != 1 or owners[0].tokens[-1] != token.lower_:
                continue
            neighbours = [self.doc[i] for i in (token.i - 1, token.i + 1) if 0 <= i < len(self.doc)]
            if any(n.pos_ == "PROPN" for n in neighbours):
                continue  # part of another name ("Evans Street", "Mary Evans")
            self.mention_at[token.i] = owners[0]
            owners[0].mentions.append(token.idx)

    def _learn_roles(self, person: Person, ent: Span) -> None:
        head = ent.root
        doc = self.doc
        left = [
            t
            for t in doc[head.left_edge.i : ent.start]
            if t.dep_ in _ROLE_DEPS or t.pos_ in ("NOUN", "ADJ", "PROPN")
        ]
        words = role_words(left)
        for child in head.children:
            if child.dep_ == "appos" and child.i > head.i:
                words |= role_words(list(child.subtree))
        if head.dep_ == "appos" and head.head.i < ent.start:
            words |= role_words(list(head.head.subtree)[: head.head.i - head.head.left_edge.i + 1])
        if head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_ == "be":
            for child in head.head.children:
                if child.dep_ == "attr":
                    words |= role_words(list(child.subtree))
        words -= set(person.tokens) | set(HONORIFICS) - set(PERSON_ROLE_NOUNS)
        person.roles |= words
        for word in words:
            if word in GENDERED_ROLES and person.gender is None:
                person.gender = GENDERED_ROLES[word]

    # -- lookups ------------------------------------------------------------------------
    def find_name(self, name: str) -> Person | None:
        """The person a name refers to: same full name, or one of its words.

        A one-word mention matches a longer name's last or first word ("Qin" in "Qin Gang").
        """
        words = name.lower().split()
        if not words:
            return None
        exact = [p for p in self.people if name.lower() in {v.lower() for v in p.variants}]
        if exact:
            return exact[0]
        if len(words) == 1:
            bucket = self._by_token.get(words[0], [])
            return bucket[0] if len(bucket) == 1 else (bucket[-1] if bucket else None)
        last = self._by_token.get(words[-1], [])
        for person in last:
            if person.tokens[-1] == words[-1] or len(person.tokens) == 1:
                return person
        return None

    def person_at(self, token: Token) -> Person | None:
        return self.mention_at.get(token.i)

    def by_role(self, words: set[str], head: str, before: int | None = None) -> Person | None:
        """The person the article gives this role to: the role's head noun must match,
        then the most shared modifiers, then the person the role describes best (a title
        rather than a word in a long description: "the US president" is President Biden,
        not a think tank's vice president), then the most recent mention ("the Chinese FM"
        -> the person introduced as "Chinese Foreign Minister Qin Gang"). With `before`, a
        person named before that offset comes ahead of one named only after it.
        """
        best: tuple[tuple[int, int, float, int], Person] | None = None
        for person in self.people:
            if head not in person.roles:
                continue
            overlap = len(words & person.roles)
            recent = max((m for m in person.mentions if before is None or m < before), default=-1)
            introduced = int(before is None or recent >= 0)  # named before the role: preferred
            key = (introduced, overlap, round(overlap / len(person.roles), 2), recent)
            if best is None or key > best[0]:
                best = (key, person)
        return best[1] if best else None

    def most_mentioned(
        self, before: int, exclude: set[str] | frozenset = frozenset()
    ) -> Person | None:
        """The person mentioned most often before `before` (ties: the most recent),
        leaving out the names in `exclude`."""
        counts = [
            (sum(m < before for m in person.mentions), max(person.mentions, default=-1), person)
            for person in self.people
            if person.kind == "person" and person.name not in exclude
        ]
        counts = [c for c in counts if c[0] > 0]
        return max(counts, key=lambda c: c[:2])[2] if counts else None


def _same_person(a: Person, b: Person, ratio) -> bool:
    """Two names of one article that denote the same person.

    A one-word name joins a longer one sharing that word; two full names join when their
    surnames agree up to a glued or dropped letter and their first names are alike.
    """
    ta, tb = a.tokens, b.tokens
    if len(ta) == 1:
        return ta[0] in (tb[0], tb[-1]) or (len(ta[0]) >= 5 and ratio(ta[0], tb[-1]) >= 90)
    if ta == tb:
        return True
    sa, sb = ta[-1], tb[-1]
    surname_close = sa == sb or (
        min(len(sa), len(sb)) >= 5
        and (sa.startswith(sb) or sb.startswith(sa) or ratio(sa, sb) >= 88)
    )
    return surname_close and ratio(ta[0], tb[0]) >= 80
