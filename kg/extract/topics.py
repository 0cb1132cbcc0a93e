"""Topics of a quote: concepts of a SKOS scheme (IPTC Media Topics by default), assigned
from the words of the quote's content and backed by its article.

Three data files, all user-replaceable (`kg/data/README.md`):

- the scheme, SKOS Turtle: concepts with IRIs, labels, notations (qcodes) and
  ``skos:broader`` (default: ``iptc-mediatopics.ttl``; ``--topics FILE`` for another);
- the keyword file, TOML: alternative labels and trigger words per concept, which the
  scheme's labels lack (default: ``topic-keywords.toml``; ``--topic-keywords FILE``);
- a scheme other than the keyword file's inherits its words through
  ``skos:exactMatch`` / ``skos:closeMatch`` (``topics.ttl``, kg's first taxonomy, maps
  onto IPTC that way).

The rule, in order:

1. every token of the article outside a person's, place's or nationality's name is
   matched once against the phrases (labels, alternative labels, words, weak words) by
   lower-case form or lemma, longest phrase first: `TopicIndex`, once per article;
2. the article's hits summed by second-level branch are its prior (`article_prior`);
3. a quote's own hits (its content only, never its cue or speaker) choose its branches:
   a branch needs one full-weight word in the quote, and reaches at least half the best
   branch's score; weak words count only where the article or a full word backs them;
4. within a branch the most specific concept the evidence supports is kept, and made
   more specific where the article's words all point one level down ("team" in a soccer
   report is Soccer);
5. a second or third branch resting on one word, in an area the rest of the article
   never touches, is a stray sense of the word and is dropped; an article clearly
   about one area (two fifths of its evidence) adds that area;
6. a short quote with no evidence of its own ("We will not be told what to do") takes the branch
   the words just before it (the question it answers) or the whole article are
   dominantly about, and also the branch the sentences around it are about when that
   differs; a long one gets nothing rather than a guess;
7. at most three concepts, most specific first, never one with its own ancestor.
"""

from __future__ import annotations

import bisect
import math
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from spacy.tokens import Doc, Span

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from kg.errors import KgError
from kg.extract.mentions import country_name, entities_in, nationality_country
from kg.extract.model import Topic
from kg.resolve.aliases import fold

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DCT_LICENSE = "http://purl.org/dc/terms/license"
DCT_CREATOR = "http://purl.org/dc/terms/creator"
SCHEME_FILE = "iptc-mediatopics.ttl"
KEYWORDS_FILE = "topic-keywords.toml"

# entity tokens that never trigger a topic: a person, place or people named is a
# mention (schema:mentions), not what the quote is about
NAME_ENTITIES = frozenset(["PERSON", "GPE", "LOC", "NORP", "ORG"])
IGNORED = ""  # the concept of an `ignore` phrase: none
WEAK = 0.5  # weight of a weak word: ambiguous alone ("match", "goal", "case")
MAX_TOPICS = 3
BRANCH_RATIO = 0.5  # a second branch needs half the best branch's score
BACKING_MASS = 1.5  # an article with this much evidence in an area backs its weak words
BACKING_SHARE = 0.1  # ... when that is this share of all its evidence
CLEAR_SHARE = 0.4  # an article this much about one area gives it to its quotes as well
RELATIONS_SHARE = 0.1  # an article this much about world affairs reads two countries as relations
DOMINANT_SHARE = 0.25  # ... or a quarter of it, when no question before the quote says more
STRAY_SHARE = 0.05  # a second area from one word needs this share of the rest of the article
STRAY_SCORE = 1.5  # ... unless the quote has more than one word's worth of evidence there
NEARBY_SHARE = 0.1  # the words around a short quote count in an area this much of the article
NEARBY_MARGIN = 0.75  # ... when one area leads the others around the quote by this much
SHORT_QUOTE = 30  # words: a quote this short may take its article's topic
_POS = {"n": ("NOUN",), "v": ("VERB",), "a": ("ADJ",)}  # "march/n" is never "in March"
_WORD = re.compile(r"[a-z0-9]+")
_LANG_RANK = {"en": 0, "en-us": 1, "en-gb": 2, "": 3}

if not Doc.has_extension("kg_topic_index"):
    Doc.set_extension("kg_topic_index", default=None)


def label_keys(concept: Concept) -> list[str]:
    """The folded forms a query may name a concept by: its labels, notation and IRI.

    >>> label_keys(Concept("x:1", "Diplomacy", ("Statecraft",), "medtop:1", extra_labels=("foreign affairs",)))
    ['diplomacy', 'statecraft', 'foreign affairs', 'medtop:1', 'x:1']
    """
    names = (concept.label, *concept.alt_labels, *concept.extra_labels)
    keys = [fold(n) for n in names] + ([fold(concept.notation)] if concept.notation else [])
    keys.append(fold(concept.iri))  # a query may name the concept by its IRI
    return list(dict.fromkeys(k for k in keys if k))


def words_of(text: str) -> list[str]:
    """A phrase as the folded word list the matcher compares (hyphens, apostrophes and
    accents do not matter).

    >>> words_of("Coup d'État"), words_of("COVID-19"), words_of("women’s rights")
    (['coup', 'd', 'etat'], ['covid', '19'], ['women', 's', 'rights'])
    """
    return _WORD.findall(fold(text.replace("’", "'")))


def singular(word: str) -> str:
    """A light English singular, so labels such as "Students" match "student".

    >>> singular("students"), singular("policies"), singular("news"), singular("crisis")
    ('student', 'policy', 'news', 'crisis')
    >>> singular("economics"), singular("series"), singular("species")
    ('economics', 'series', 'species')
    """
    if word in _NOT_PLURAL or word.endswith("ics"):  # "economics" is not an "economic"
        return word
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ws")):
        return word[:-1]
    return word


_NOT_PLURAL = frozenset(["series", "species", "means", "headquarters", "whereabouts"])


@dataclass(frozen=True)
class Concept:
    """One concept of the scheme: IRI, preferred label (English where given), the
    scheme's alternative labels, notation, broader concepts, depth (1 for a top
    concept), and the keyword file's alternative labels (`extra_labels`: kg's names
    for it, matched and queryable, never stated as the scheme's own)."""

    iri: str
    label: str
    alt_labels: tuple[str, ...] = ()
    notation: str | None = None
    broader: tuple[str, ...] = ()
    depth: int = 1
    lang: str | None = None
    extra_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Trigger:
    concept: str
    weight: float
    pos: tuple[str, ...] | None = None  # coarse parts of speech the word must have


@dataclass(frozen=True)
class Hit:
    """A phrase of the article that points at a concept: token position and weight."""

    position: int
    concept: str
    weight: float
    phrase: str


class Taxonomy:
    """A SKOS scheme with its matching phrases: load once per process and share.

    >>> tax = default_taxonomy()
    >>> tax.resolve("medtop:20000638").label, tax.resolve("international relations").notation
    ('International relations', 'medtop:20000638')
    >>> [tax.concepts[c].label for c in tax.ancestors(tax.resolve("Summit meetings").iri)]
    ['Diplomacy', 'International relations', 'Politics']
    """

    def __init__(
        self,
        concepts: dict[str, Concept],
        phrases: dict[tuple[str, ...], list[Trigger]],
        scheme_iri: str | None = None,
        source: str = "",
        scheme_label: str | None = None,
        scheme_license: str | None = None,
        scheme_creator: str | None = None,
        relations: str | None = None,
    ) -> None:
        self.concepts = concepts
        self.relations = relations
        self.scheme_iri = scheme_iri
        self.scheme_label = scheme_label
        self.scheme_license = scheme_license
        self.scheme_creator = scheme_creator
        self.source = source
        # phrases by first word, longest first, for the greedy longest match
        self.by_first: dict[str, list[tuple[tuple[str, ...], tuple[Trigger, ...]]]] = {}
        for words, triggers in phrases.items():
            self.by_first.setdefault(words[0], []).append((words, tuple(triggers)))
        for bucket in self.by_first.values():
            bucket.sort(key=lambda item: -len(item[0]))
        self.phrase_count = len(phrases)
        self._narrower: dict[str, list[str]] = defaultdict(list)
        for c in concepts.values():
            for b in c.broader:
                self._narrower[b].append(c.iri)
        self._keys: dict[str, list[str]] = defaultdict(list)
        for c in concepts.values():
            for key in label_keys(c):
                self._keys[key].append(c.iri)
        self._notations = {c.notation.lower(): c.iri for c in concepts.values() if c.notation}
        # memoised: the hierarchy is read for every hit of every article
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._branch: dict[str, str] = {}

    # -- loading ----------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path | None = None, keywords: str | Path | None = None) -> Taxonomy:
        """The scheme at `path` (default: IPTC Media Topics) with the keyword file
        `keywords` (default: the shipped one)."""
        if path is None:
            text, source = _data_text(SCHEME_FILE), f"kg/data/{SCHEME_FILE}"
        else:
            text, source = _read(path, "topic scheme"), str(path)
        scheme = parse_scheme(text, source)
        if keywords is None:
            kw_text, kw_source = _data_text(KEYWORDS_FILE), f"kg/data/{KEYWORDS_FILE}"
        else:
            kw_text, kw_source = _read(keywords, "topic keyword file"), str(keywords)
        entries = parse_keywords(kw_text, kw_source)
        return cls.build(scheme, entries, source)

    @classmethod
    def build(cls, scheme: ParsedScheme, keywords: KeywordFile, source: str = "") -> Taxonomy:
        """Join a parsed scheme and a keyword file into matching phrases.

        When the keyword file is written for this scheme (its ``scheme`` is the scheme's
        IRI), every entry must name a concept of it and agree with its label; otherwise
        entries reach the scheme's concepts through their exactMatch/closeMatch.
        """
        concepts, matches, scheme_iri = scheme.concepts, scheme.matches, scheme.iri
        strict = keywords.scheme is not None and keywords.scheme == scheme_iri
        targets: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for iri in concepts:
            targets[iri].append((iri, 1.0))
        for iri, mapped in matches.items():
            for other, factor in mapped:
                targets[other].append((iri, factor))
        phrases: dict[tuple[str, ...], list[Trigger]] = defaultdict(list)
        alt_extra: dict[str, list[str]] = defaultdict(list)
        label_weight: dict[str, float] = {}
        for entry in keywords.entries:
            iri = keywords.expand(entry.key)
            if iri is None or iri not in targets:  # a key may also be the concept's label
                by_label = [c.iri for c in concepts.values() if fold(c.label) == fold(entry.key)]
                iri = by_label[0] if len(by_label) == 1 else iri
            if iri is None or iri not in targets:
                if strict:
                    raise KgError(
                        f"{keywords.source}: [{entry.key}] names no concept of the scheme"
                    )
                continue
            if strict and entry.label is not None:
                if fold(entry.label) != fold(concepts[iri].label):
                    raise KgError(
                        f"{keywords.source}: [{entry.key}] says label {entry.label!r} but the "
                        f"scheme calls {iri} {concepts[iri].label!r}"
                    )
            for concept, factor in targets[iri]:
                if entry.label_weight is not None and concept == iri:
                    label_weight[concept] = entry.label_weight
                for alt in entry.alt:
                    if concept == iri:
                        alt_extra[concept].append(alt)
                    _add_phrase(phrases, alt, Trigger(concept, factor))
                for word in entry.words:
                    _add_phrase(phrases, word, Trigger(concept, factor), parse_pos=True)
                for word in entry.weak:
                    _add_phrase(phrases, word, Trigger(concept, WEAK * factor), parse_pos=True)
        for phrase in keywords.ignore:  # idioms and set phrases: matched, then dropped
            _add_phrase(phrases, phrase, Trigger(IGNORED, 0.0))
        full: dict[str, Concept] = {}
        for iri, c in concepts.items():
            extra = tuple(a for a in dict.fromkeys(alt_extra.get(iri, ())) if a not in c.alt_labels)
            full[iri] = Concept(
                c.iri, c.label, c.alt_labels, c.notation, c.broader, c.depth, c.lang, extra
            )
            weight = label_weight.get(iri, 1.0)
            if weight > 0 and "(" not in c.label:
                # a label with a qualifier ("Trial (court)") is never written that way
                _add_phrase(phrases, c.label, Trigger(iri, weight), plural=True)
            for alt in c.alt_labels:
                _add_phrase(phrases, alt, Trigger(iri, 1.0), plural=True)
        relations = None
        if keywords.relations:
            iri = keywords.expand(keywords.relations) or keywords.relations
            found = [c for c, _ in targets.get(iri, [])] or [
                c.iri for c in concepts.values() if fold(c.label) == fold(keywords.relations)
            ]
            if not found and strict:
                raise KgError(
                    f"{keywords.source}: relations = {keywords.relations!r} names no concept"
                )
            relations = found[0] if found else None
        return cls(
            full,
            phrases,
            scheme_iri,
            source,
            scheme.label,
            scheme.license,
            scheme.creator,
            relations,
        )

    # -- the hierarchy ----------------------------------------------------------------
    def ancestors(self, iri: str) -> list[str]:
        """Broader concepts, nearest first (the first broader at each step)."""
        known = self._ancestors.get(iri)
        if known is None:
            known = self._ancestors[iri] = tuple(self._walk_up(iri))
        return list(known)

    def _walk_up(self, iri: str) -> list[str]:
        out: list[str] = []
        seen = {iri}
        todo = list(self.concepts[iri].broader) if iri in self.concepts else []
        while todo:
            b = todo.pop(0)
            if b in seen or b not in self.concepts:
                continue
            seen.add(b)
            out.append(b)
            todo.extend(self.concepts[b].broader)
        return out

    def narrower(self, iri: str) -> list[str]:
        return list(self._narrower.get(iri, ()))

    def branch(self, iri: str) -> str:
        """The concept's second-level ancestor (itself at depth 1 or 2): the level at
        which topics are compared and chosen."""
        known = self._branch.get(iri)
        if known is not None:
            return known
        found = iri
        if self.concepts[iri].depth > 2:
            found = next((a for a in self.ancestors(iri) if self.concepts[a].depth == 2), iri)
        self._branch[iri] = found
        return found

    def is_ancestor(self, a: str, b: str) -> bool:
        return a in self.ancestors(b)

    def resolve(self, text: str) -> Concept | None:
        """A concept by IRI, qcode (``medtop:20000638``) or any label, case-insensitive.

        >>> default_taxonomy().resolve("http://cv.iptc.org/newscodes/mediatopic/20001065").label
        'Soccer'
        """
        t = text.strip().strip("<>")
        if t in self.concepts:
            return self.concepts[t]
        iri = self._notations.get(t.lower())
        if iri is None:
            found = self._keys.get(fold(t), [])
            iri = min(found, key=lambda i: self.concepts[i].depth) if found else None
        return self.concepts.get(iri) if iri else None

    def topic(self, iri: str, score: float) -> Topic:
        c = self.concepts[iri]
        return Topic(c.iri, c.label, round(score, 3), c.notation)

    # -- matching ---------------------------------------------------------------------
    def match(self, items: list[_Item]) -> list[Hit]:
        """Phrase hits over a token stream, greedy longest match from left to right.

        At each token every phrase whose words match the following tokens (by any of
        their forms) is a candidate; the longest win, and all of them that are that
        long give their concepts (the strongest trigger per concept), so the result
        does not depend on the order of phrases or forms.
        """
        hits: list[Hit] = []
        i, n = 0, len(items)
        while i < n:
            found: list[tuple[tuple[str, ...], Trigger]] = []
            length = 0
            for form in sorted(items[i].forms):
                for words, triggers in self.by_first.get(form, ()):
                    if len(words) < length:
                        break
                    if i + len(words) > n or not all(
                        words[k] in items[i + k].forms for k in range(1, len(words))
                    ):
                        continue
                    ok = [t for t in triggers if t.pos is None or items[i].pos in t.pos]
                    if not ok:
                        continue
                    if len(words) > length:
                        found, length = [], len(words)
                    found.extend((words, t) for t in ok)
            if not found:
                i += 1
                continue
            if any(t.concept == IGNORED for _, t in found):
                i += length  # "third party", "recipe for disaster": no evidence at all
                continue
            phrase = " ".join(min(words for words, _ in found))
            strongest: dict[str, float] = {}
            for _, trigger in found:
                strongest[trigger.concept] = max(
                    strongest.get(trigger.concept, 0.0), trigger.weight
                )
            for concept in sorted(strongest):
                hits.append(Hit(items[i].position, concept, strongest[concept], phrase))
            i += length
        return hits


@dataclass(frozen=True)
class KeywordEntry:
    key: str
    label: str | None = None
    alt: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    label_weight: float | None = None


@dataclass(frozen=True)
class KeywordFile:
    source: str
    scheme: str | None
    prefixes: dict[str, str]
    entries: tuple[KeywordEntry, ...]
    relations: str | None = None  # the concept two countries named together point at
    ignore: tuple[str, ...] = ()  # phrases that are never evidence ("third party")

    def expand(self, key: str) -> str | None:
        """An entry's key as an IRI: ``<iri>``, ``http...`` or ``prefix:local``."""
        k = key.strip()
        if k.startswith("<") and k.endswith(">"):
            return k[1:-1]
        if re.match(r"https?://", k):
            return k
        m = re.fullmatch(r"([A-Za-z][\w.-]*):(\S+)", k)
        if m and m.group(1) in self.prefixes:
            return self.prefixes[m.group(1)] + m.group(2)
        return None


_ENTRY_FIELDS = {"label", "alt", "words", "weak", "label_weight"}


def parse_keywords(text: str, source: str = "<keywords>") -> KeywordFile:
    """The keyword file: TOML with ``scheme``, ``[prefixes]`` and one table per concept.

    >>> kw = parse_keywords('''
    ... scheme = "http://cv.iptc.org/newscodes/mediatopic/"
    ... [prefixes]
    ... medtop = "http://cv.iptc.org/newscodes/mediatopic/"
    ... ["medtop:20000639"]
    ... label = "Diplomacy"
    ... words = ["ambassador", "embassy"]
    ... weak = ["visit/n"]
    ... ''')
    >>> kw.expand(kw.entries[0].key), kw.entries[0].weak
    ('http://cv.iptc.org/newscodes/mediatopic/20000639', ('visit/n',))
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KgError(f"{source}: not a valid keyword file ({exc})") from None
    scheme = data.pop("scheme", None)
    prefixes = data.pop("prefixes", {})
    relations = data.pop("relations", None)
    if relations is not None and not isinstance(relations, str):
        raise KgError(f"{source}: 'relations' must name a concept (qcode, IRI or label)")
    ignore = data.pop("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(v, str) and words_of(v) for v in ignore):
        raise KgError(f"{source}: 'ignore' must be a list of phrases")
    if scheme is not None and not isinstance(scheme, str):
        raise KgError(f"{source}: 'scheme' must be the scheme's IRI as a string")
    if not isinstance(prefixes, dict) or not all(isinstance(v, str) for v in prefixes.values()):
        raise KgError(f"{source}: [prefixes] must map names to IRIs")
    entries = []
    for key, table in data.items():
        if not isinstance(table, dict):
            raise KgError(f'{source}: {key!r} must be a table (["{key}"]) of a concept')
        unknown = set(table) - _ENTRY_FIELDS
        if unknown:
            raise KgError(
                f"{source}: [{key}] has unknown field(s) {', '.join(sorted(unknown))}"
                f" (allowed: {', '.join(sorted(_ENTRY_FIELDS))})"
            )
        lists = {}
        for name in ("alt", "words", "weak"):
            value = table.get(name, [])
            if not isinstance(value, list) or not all(
                isinstance(v, str) and words_of(v) for v in value
            ):
                raise KgError(f"{source}: [{key}] {name} must be a list of words or phrases")
            for v in value:
                tag = v.rsplit("/", 1)[1] if "/" in v else None
                if name == "alt" and tag in _POS:
                    raise KgError(
                        f"{source}: [{key}] alt {v!r}: an alternative label is taken as"
                        " written; put a word with a part of speech in words or weak"
                    )
                if name != "alt" and tag is not None and tag not in _POS:
                    raise KgError(
                        f"{source}: [{key}] {v!r}: a part of speech after '/' is n, v or a"
                    )
            lists[name] = tuple(value)
        label = table.get("label")
        if label is not None and not isinstance(label, str):
            raise KgError(f"{source}: [{key}] label must be a string")
        weight = table.get("label_weight")
        if weight is not None and (
            not isinstance(weight, (int, float)) or isinstance(weight, bool) or not 0 <= weight <= 2
        ):
            raise KgError(f"{source}: [{key}] label_weight must be a number from 0 to 2")
        entries.append(
            KeywordEntry(key, label, lists["alt"], lists["words"], lists["weak"], weight)
        )
    return KeywordFile(source, scheme, dict(prefixes), tuple(entries), relations, tuple(ignore))


@dataclass(frozen=True)
class ParsedScheme:
    """A SKOS file's concepts, their mappings to other schemes (exactMatch 1.0,
    closeMatch 0.75), and the concept scheme's IRI, label, licence and creator when it
    has them (CC BY asks for the attribution to travel with the data)."""

    concepts: dict[str, Concept]
    matches: dict[str, list[tuple[str, float]]]
    iri: str | None = None
    label: str | None = None
    license: str | None = None
    creator: str | None = None


def parse_scheme(text: str, source: str = "<scheme>") -> ParsedScheme:
    """The concepts of a SKOS Turtle text.

    >>> s = parse_scheme('''@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    ... <x:a> a skos:Concept ; skos:prefLabel "Sport"@en .
    ... <x:b> skos:prefLabel "Soccer"@en ; skos:broader <x:a> .''')
    >>> s.concepts["x:b"].depth, s.concepts["x:b"].broader
    (2, ('x:a',))
    """
    import pyoxigraph as ox

    try:
        triples = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise KgError(f"{source}: not valid Turtle ({exc})") from None
    typed: set[str] = set()
    schemes: list[str] = []
    labels: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    alts: dict[str, list[str]] = defaultdict(list)
    notation: dict[str, str] = {}
    broader: dict[str, list[str]] = defaultdict(list)
    matches: dict[str, list[tuple[str, float]]] = defaultdict(list)
    licenses: dict[str, str] = {}
    creators: dict[str, str] = {}
    for t in triples:
        s, p, o = t.subject, t.predicate.value, t.object
        if not isinstance(s, ox.NamedNode):
            continue
        subject = s.value
        if p == RDF_TYPE and isinstance(o, ox.NamedNode):
            if o.value == SKOS + "Concept":
                typed.add(subject)
            elif o.value == SKOS + "ConceptScheme":
                schemes.append(subject)
        elif p == SKOS + "prefLabel" and isinstance(o, ox.Literal):
            lang = o.language or ""
            labels[subject].append((_LANG_RANK.get(lang.lower(), 4), lang, o.value))
        elif p == SKOS + "altLabel" and isinstance(o, ox.Literal):
            alts[subject].append(o.value)
        elif p == SKOS + "notation" and isinstance(o, ox.Literal):
            notation.setdefault(subject, o.value)
        elif p == SKOS + "broader" and isinstance(o, ox.NamedNode):
            broader[subject].append(o.value)
        elif p == SKOS + "narrower" and isinstance(o, ox.NamedNode):
            broader[o.value].append(subject)
        elif p == DCT_LICENSE and isinstance(o, ox.NamedNode) and subject not in licenses:
            licenses[subject] = o.value
        elif p == DCT_CREATOR and isinstance(o, ox.Literal) and subject not in creators:
            creators[subject] = o.value
        elif p in (SKOS + "exactMatch", SKOS + "closeMatch") and isinstance(o, ox.NamedNode):
            matches[subject].append((o.value, 1.0 if p.endswith("exactMatch") else 0.75))
    names = typed | set(broader) | {b for bs in broader.values() for b in bs}
    concepts: dict[str, Concept] = {}
    for iri in sorted(names):
        if not labels.get(iri):
            continue
        _, lang, label = min(labels[iri])
        parents = tuple(dict.fromkeys(b for b in broader.get(iri, ()) if labels.get(b)))
        concepts[iri] = Concept(
            iri, label, tuple(dict.fromkeys(alts.get(iri, ()))), notation.get(iri), parents, 1, lang
        )
    if not concepts:
        raise KgError(f"{source}: no skos:Concept with a skos:prefLabel")
    depth = _depths(concepts)
    concepts = {
        iri: Concept(c.iri, c.label, c.alt_labels, c.notation, c.broader, depth[iri], c.lang)
        for iri, c in concepts.items()
    }
    matches = {k: v for k, v in matches.items() if k in concepts}
    iri = schemes[0] if len(schemes) == 1 else None
    label = min(labels[iri])[2] if iri and labels.get(iri) else None
    return ParsedScheme(
        concepts,
        matches,
        iri,
        label,
        licenses.get(iri) if iri else None,
        creators.get(iri) if iri else None,
    )


def _depths(concepts: dict[str, Concept]) -> dict[str, int]:
    """1 for a concept without broader concepts, else 1 + the shallowest broader's (the
    scorer's rule); a cycle without a root counts as top level."""
    depth: dict[str, int] = {}
    children: dict[str, list[str]] = defaultdict(list)
    for c in concepts.values():
        for b in c.broader:
            children[b].append(c.iri)
    queue = [iri for iri, c in concepts.items() if not c.broader]
    for iri in queue:
        depth[iri] = 1
    while queue:
        nxt = []
        for iri in queue:
            for child in children.get(iri, ()):
                if child not in depth:
                    depth[child] = depth[iri] + 1
                    nxt.append(child)
        queue = nxt
    for iri in concepts:
        depth.setdefault(iri, 1)
    return depth


def _add_phrase(
    phrases: dict[tuple[str, ...], list[Trigger]],
    text: str,
    trigger: Trigger,
    parse_pos: bool = False,
    plural: bool = False,
) -> None:
    pos = None
    if parse_pos and "/" in text:
        text, tag = text.rsplit("/", 1)
        pos = _POS.get(tag)
    words = tuple(words_of(text))
    if not words:
        return
    trigger = Trigger(trigger.concept, trigger.weight, pos)
    variants = {words}
    if plural:  # a label in the plural ("Students") also matches the singular
        variants.add((*words[:-1], singular(words[-1])))
    for variant in variants:
        bucket = phrases[variant]
        same = [t for t in bucket if t.concept == trigger.concept and t.pos == trigger.pos]
        if same:
            if trigger.weight > same[0].weight:
                bucket[bucket.index(same[0])] = trigger
        else:
            bucket.append(trigger)


def _read(path: str | Path, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KgError(f"{path}: no such {what}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KgError(f"{path}: cannot read {what} ({exc})") from None


def _data_text(name: str) -> str:
    return resources.files("kg.data").joinpath(name).read_text("utf-8")


@lru_cache(maxsize=4)
def default_taxonomy(path: str | None = None, keywords: str | None = None) -> Taxonomy:
    """The scheme and keyword file, loaded once per process."""
    return Taxonomy.load(path, keywords)


# -- per article --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)  # one per token of the article: kept small
class _Item:
    position: int  # token index in the Doc
    forms: frozenset[str]
    pos: str


@dataclass
class TopicIndex:
    """Every topic hit of one article, in token order, and the article's prior: the
    evidence per concept and per second-level branch. Built once per article
    (`article_prior`)."""

    taxonomy: Taxonomy
    hits: list[Hit]
    positions: list[int] = field(default_factory=list)
    branch_score: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, float] = field(default_factory=dict)
    total: float = 0.0
    _mass: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.positions = [h.position for h in self.hits]
        # many different weak words of one branch are evidence ("team", "goal",
        # "defeat", "scored"); one word repeated is not
        self.evidence = _evidence(self.hits, self.taxonomy)
        branch: dict[str, float] = defaultdict(float)
        mass: dict[str, float] = defaultdict(float)
        for iri, score in self.evidence.items():
            branch[self.taxonomy.branch(iri)] += score
            for c in (iri, *self.taxonomy.ancestors(iri)):
                mass[c] += score
        self.branch_score, self._mass = dict(branch), dict(mass)
        self.total = math.fsum(branch.values())

    def between(self, start: int, end: int) -> list[Hit]:
        """Hits at token positions start <= i < end."""
        lo = bisect.bisect_left(self.positions, start)
        hi = bisect.bisect_left(self.positions, end)
        return self.hits[lo:hi]

    def share(self, branch: str) -> float:
        return self.branch_score.get(branch, 0.0) / self.total if self.total else 0.0

    def subtree_mass(self, concept: str) -> float:
        """The article's evidence for a concept and everything narrower."""
        return self._mass.get(concept, 0.0)

    def backs(self, concept: str) -> bool:
        """Whether the article is about the area of `concept`: one and a half words'
        worth of evidence there, and a tenth of all the article's.

        The area is the concept's third-level ancestor with everything below it (or
        the concept itself when shallower); a second-level concept such as Government
        or Competition discipline counts only its own words, since a report on a city
        budget is not about every kind of government.
        """
        c = self.taxonomy.concepts[concept]
        if c.depth <= 2:
            mass = self.evidence.get(concept, 0.0)
        else:
            anchor = next(
                (
                    a
                    for a in self.taxonomy.ancestors(concept)
                    if self.taxonomy.concepts[a].depth == 3
                ),
                concept,
            )
            mass = self.subtree_mass(anchor)
        return mass >= BACKING_MASS and mass >= BACKING_SHARE * self.total

    def dominant(self) -> tuple[str, float] | None:
        """The branch the article is mostly about and its share, when it is clear: three
        words' worth of evidence at least, and half as much again as the runner-up's."""
        if not self.branch_score:
            return None
        ranked = sorted(self.branch_score.items(), key=lambda kv: (-kv[1], kv[0]))
        best, score = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        if score >= 3 and score >= 1.5 * second:
            return best, self.share(best)
        return None


def _evidence(hits: Iterable[Hit], taxonomy: Taxonomy) -> dict[str, float]:
    """Evidence per concept: one word counts once per branch (a phrase pointing at two
    concepts of a branch is one piece of evidence), and the same word again in the
    branch adds a quarter: a quote repeating "police" is not thrice as sure."""
    best: dict[tuple[int, str], Hit] = {}
    for h in hits:
        key = (h.position, taxonomy.branch(h.concept))
        if key not in best or h.weight > best[key].weight:
            best[key] = h
    out: dict[str, float] = defaultdict(float)
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for (_, branch), h in sorted(best.items()):
        seen[(branch, h.phrase)] += 1
        out[h.concept] += h.weight if seen[(branch, h.phrase)] == 1 else h.weight * 0.25
    return dict(out)


def name_tokens(doc: Doc) -> set[int]:
    """Token indices that belong to a name: entities of `NAME_ENTITIES` and the
    capitalised title run into a person's name ("Foreign Minister", "Secretary of State"
    before it): a quote that names the minister is not about ministers.

    >>> import spacy
    >>> doc = spacy.blank("en")("Foreign Minister Ana Lopez spoke")
    >>> doc.ents = [doc.char_span(17, 26, label="PERSON")]
    >>> sorted(name_tokens(doc))
    [0, 1, 2, 3]
    """
    names: set[int] = set()
    for ent in doc.ents:
        if ent.label_ not in NAME_ENTITIES:
            continue
        names.update(range(ent.start, ent.end))
        if ent.label_ != "PERSON":
            continue
        for child in ent.root.children:  # "Ana Lopez, Secretary to the Mayor, said"
            if child.dep_ == "appos" and child.i >= ent.end:
                inside = {t.i for t in child.subtree}
                names.update(
                    t.i
                    for t in child.subtree
                    if not any(a.dep_ == "relcl" and a.i in inside for a in t.ancestors)
                )
        i = ent.start - 1
        while i >= 0:
            t = doc[i]
            capitalised = t.is_title or (t.is_upper and t.is_alpha) or t.ent_type_ == "NORP"
            joiner = t.lower_ in _TITLE_JOINERS and i > 0 and doc[i - 1].is_title
            if not (capitalised or joiner):
                break
            names.add(i)
            if t.is_sent_start:
                break
            i -= 1
    return names


_TITLE_JOINERS = frozenset(["of", "for", "the"])


def article_items(doc: Doc) -> list[_Item]:
    """The article's tokens as match items; names (`name_tokens`) are gaps: no phrase
    matches across or inside them."""
    items: list[_Item] = []
    empty: frozenset[str] = frozenset()
    names = name_tokens(doc)
    # the forms of a word are worked out once per article: the tokens of a long text
    # repeat a few thousand words, and each token's item shares its word's set
    known: dict[tuple[str, str], tuple[frozenset[str], ...]] = {}
    for t in doc:
        if t.is_punct or t.is_space:
            continue
        if t.i in names:
            items.append(_Item(t.i, empty, t.pos_))
            continue
        key = (t.text, t.lemma_)
        forms = known.get(key)
        if forms is None:
            forms = known[key] = _forms(t.text, t.lemma_)
        items.extend(_Item(t.i, f, t.pos_) for f in forms)
    return items


def _forms(text: str, lemma: str) -> tuple[frozenset[str], ...]:
    """The match forms of a token: one set of its word, singular and lemma; or one set
    per word of a token of several ("COVID-19", "anti-corruption"); none for no word.

    >>> [sorted(f) for f in _forms("Schools", "school")]
    [['school', 'schools']]
    >>> [sorted(f) for f in _forms("anti-corruption", "anti-corruption")]
    [['anti'], ['corruption']]
    """
    parts = words_of(text)
    if len(parts) == 1:
        lemmas = words_of(lemma)
        forms = {parts[0], singular(parts[0])}
        if len(lemmas) == 1:
            forms.add(lemmas[0])
        return (frozenset(forms),)
    return tuple(frozenset({part, singular(part)}) for part in parts)


def article_prior(doc: Doc, taxonomy: Taxonomy) -> TopicIndex:
    """The article's topic hits and branch scores, computed once per Doc and taxonomy
    (kept on the Doc), so per-quote assignment costs only the quote's own hits."""
    cached = doc._.kg_topic_index
    if cached is not None and cached.taxonomy is taxonomy:
        return cached
    items = article_items(doc)
    hits = resolve_references(doc, items, taxonomy.match(items))
    index = TopicIndex(taxonomy, hits)
    doc._.kg_topic_index = index
    return index


_REFERRING = frozenset(["the", "this", "that", "these", "those"])


def resolve_references(doc: Doc, items: list[_Item], hits: list[Hit]) -> list[Hit]:
    """A definite noun that repeats the head of a phrase met earlier in the article
    refers to it: "the fire station ... reopen the station", "the nuclear deal ...
    the deal". It takes that phrase's concepts instead of its own (one pass).

    >>> import spacy
    >>> doc = spacy.blank("en")("The fire station shut . We want the station back")
    >>> for t in doc:
    ...     t.pos_ = "NOUN"
    >>> items = article_items(doc)
    >>> fire = Hit(1, "x:emergency", 1.0, "fire station")
    >>> [(h.position, h.concept) for h in resolve_references(doc, items, [fire])]
    [(1, 'x:emergency'), (8, 'x:emergency')]
    """
    at: dict[int, list[Hit]] = defaultdict(list)
    for h in hits:
        at[h.position].append(h)
    covered: set[int] = set()
    heads: dict[str, list[Hit]] = {}
    out: list[Hit] = []
    for k, item in enumerate(items):
        position = item.position
        found = at.get(position, [])
        long = [h for h in found if " " in h.phrase]
        if long:
            words = long[0].phrase.split()
            last = k  # a token of several words: the phrase runs from its last item
            while last + 1 < len(items) and items[last + 1].position == position:
                last += 1
            covered.update(i.position for i in items[last : last + len(words)])
            heads[words[-1]] = long
            heads[singular(words[-1])] = long
        token = doc[position]
        if (
            not long
            and position not in covered
            and token.pos_ == "NOUN"
            and position > 0
            and doc[position - 1].lower_ in _REFERRING
        ):
            earlier = next((heads[f] for f in sorted(item.forms) if f in heads), None)
            if earlier is not None:
                out.extend(Hit(position, h.concept, h.weight, h.phrase) for h in earlier)
                continue
        out.extend(found)
    return out


def assign_topics(
    span: Span, prior: TopicIndex, taxonomy: Taxonomy, limit: int = MAX_TOPICS
) -> list[Topic]:
    """Topics of the quote whose content is `span`, most specific first, each scored.

    `prior` is `article_prior(span.doc, taxonomy)`; only the hits inside the span are
    the quote's own evidence, those just before it and the article's prior back them.
    """
    own = prior.between(span.start, span.end)
    own += _relations_hit(span, own, prior, taxonomy)
    chosen = _drop_strays(_choose_branches(own, prior, taxonomy), own, prior, taxonomy)
    scores: dict[str, float] = {}
    if chosen:
        for branch, score in chosen[:limit]:
            concept = _specific(branch, own, taxonomy)
            if not any(h.weight >= 1 and h.concept == concept for h in own):
                # only general words of the branch ("team", "match"): the article says
                # which kind (a soccer report); a full word means what it says
                concept = _refine(concept, prior, taxonomy)
            scores[concept] = 1 - math.exp(-score / 1.5)
        dominant = prior.dominant()
        if (
            dominant is not None
            and dominant[1] >= CLEAR_SHARE
            and len(chosen) < limit
            and dominant[0] not in {b for b, _ in chosen}
        ):
            scores[_refine(dominant[0], prior, taxonomy)] = round(0.5 * dominant[1], 3)
    elif _word_count(span) <= SHORT_QUOTE:
        fallback = _from_context(span, prior, taxonomy)
        if fallback is not None:
            concept, score = fallback
            scores[concept] = score
            # the article's subject, and what the sentences around the answer are about
            nearby = _nearby_branch(span, prior, taxonomy)
            if nearby is not None and taxonomy.branch(nearby[0]) != taxonomy.branch(concept):
                scores[nearby[0]] = nearby[1]
    topics = sorted(scores, key=lambda c: (-taxonomy.concepts[c].depth, -scores[c], c))
    kept = [c for c in topics if not any(taxonomy.is_ancestor(c, other) for other in topics)]
    return [taxonomy.topic(c, scores[c]) for c in kept[:limit]]


def _relations_hit(span: Span, own: list[Hit], prior: TopicIndex, taxonomy: Taxonomy) -> list[Hit]:
    """Two countries named together (or their nationalities: "the Syrian president's
    visit to Iran"), in an article about world affairs, are evidence
    that the quote is about their relations (the keyword file's `relations` concept):
    "once the three countries put their differences aside" says nothing by its words."""
    if taxonomy.relations is None:
        return []
    branch = taxonomy.branch(taxonomy.relations)
    if any(taxonomy.branch(h.concept) == branch for h in own):
        return []  # the words already say it; the countries add nothing
    countries = {
        country_name(e.text) if e.label_ == "GPE" else nationality_country(e.text)
        for e in entities_in(span)
        if e.label_ in ("GPE", "NORP")
    } - {None}
    if len(countries) < 2 or prior.share(branch) < RELATIONS_SHARE:
        return []
    return [Hit(span.start, taxonomy.relations, 1.0, "<countries>")]


def _branch_scores(
    hits: Iterable[Hit], taxonomy: Taxonomy, prior: TopicIndex | None = None
) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """Per branch: full-word evidence, weak-word evidence the article backs
    (`TopicIndex.backs`), and weak-word evidence it does not."""
    full = [h for h in hits if h.weight >= 1]
    taken = {(h.position, taxonomy.branch(h.concept)) for h in full}
    weak = [
        h for h in hits if h.weight < 1 and (h.position, taxonomy.branch(h.concept)) not in taken
    ]
    strong: dict[str, float] = defaultdict(float)
    backed: dict[str, float] = defaultdict(float)
    unbacked: dict[str, float] = defaultdict(float)
    for iri, score in _evidence(full, taxonomy).items():
        strong[taxonomy.branch(iri)] += score
    for iri, score in _evidence(weak, taxonomy).items():
        target = backed if prior is not None and prior.backs(iri) else unbacked
        target[taxonomy.branch(iri)] += score
    return strong, backed, unbacked


def _choose_branches(
    own: list[Hit], prior: TopicIndex, taxonomy: Taxonomy
) -> list[tuple[str, float]]:
    """The branches a quote's own words are about, best first.

    A weak word counts double where the article is about its area (so one is enough),
    as it is where a full word of the quote backs its branch, and for nothing otherwise.
    A branch needs a score of 1 and half the best branch's.
    """
    strong, backed, unbacked = _branch_scores(own, taxonomy, prior)
    scores: dict[str, float] = {}
    for branch in sorted(set(strong) | set(backed) | set(unbacked)):
        score = strong.get(branch, 0.0) + 2 * backed.get(branch, 0.0)
        if strong.get(branch, 0.0) >= 1:
            score += unbacked.get(branch, 0.0)
        if score >= 1:
            scores[branch] = score
    tops = {b for b in scores if taxonomy.concepts[b].depth == 1}
    for top in tops:  # "politics" alone is kept only when nothing below it is
        if any(top in taxonomy.ancestors(b) for b in scores if b != top):
            del scores[top]
    if not scores:
        return []
    best = max(scores.values())
    # the article's subject wins ties
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], -prior.share(kv[0]), kv[0]))
    return [(b, s) for b, s in ranked if s >= BRANCH_RATIO * best]


def _drop_strays(
    chosen: list[tuple[str, float]], own: list[Hit], prior: TopicIndex, taxonomy: Taxonomy
) -> list[tuple[str, float]]:
    """A second or third area that rests on one word of the quote, in an article whose
    other words never touch that area, is a stray sense of the word, not a subject:
    "the school of thought" in a budget report. The best area is always kept.

    >>> tax = default_taxonomy()
    >>> politics, sport = tax.resolve("Government").iri, tax.resolve("Competition discipline").iri
    >>> hits = [Hit(0, politics, 1.0, "ministry")] * 4 + [Hit(9, sport, 1.0, "team")]
    >>> prior = TopicIndex(tax, hits)
    >>> [tax.concepts[b].label for b, _ in _drop_strays([(politics, 2), (sport, 1)], hits[-1:], prior, tax)]
    ['Government']
    """
    own_mass: dict[str, float] = defaultdict(float)
    for h in own:
        own_mass[taxonomy.branch(h.concept)] += h.weight
    kept = chosen[:1]
    for branch, score in chosen[1:]:
        rest = prior.branch_score.get(branch, 0.0) - own_mass.get(branch, 0.0)
        share = rest / prior.total if prior.total else 0.0
        if score >= STRAY_SCORE or share >= STRAY_SHARE:
            kept.append((branch, score))
    return kept


def _specific(branch: str, own: list[Hit], taxonomy: Taxonomy) -> str:
    """The most specific concept of a branch that the hits support: down the hierarchy
    while one narrower concept holds at least half of the evidence."""
    subtree: dict[str, float] = defaultdict(float)
    for h in own:
        if taxonomy.branch(h.concept) != branch:
            continue
        for c in (h.concept, *taxonomy.ancestors(h.concept)):
            subtree[c] += h.weight
    current = branch
    while True:
        children = [c for c in taxonomy.narrower(current) if subtree.get(c, 0) > 0]
        if not children:
            return current
        best = max(children, key=lambda c: (subtree[c], c))
        if subtree[best] < 0.5 * subtree[current]:
            return current
        current = best


def _refine(concept: str, prior: TopicIndex, taxonomy: Taxonomy) -> str:
    """Go down from `concept` while one narrower concept holds most of the article's
    evidence below it (at least two words' worth)."""
    current = concept
    while True:
        below = {}
        for child in taxonomy.narrower(current):
            mass = prior.subtree_mass(child)
            if mass > 0:
                below[child] = mass
        if not below:
            return current
        best = max(below, key=lambda c: (below[c], c))
        if below[best] < 2 or below[best] < 0.6 * math.fsum(below.values()):
            return current
        current = best


def _from_context(span: Span, prior: TopicIndex, taxonomy: Taxonomy) -> tuple[str, float] | None:
    """A short quote without evidence of its own ("We will not be told what to do", "How do you
    feel now?"): the branch the whole article is clearly about; else, for an answer, the
    branch of the question just before it; else the article's dominant branch; nothing
    when none is clear."""
    dominant = prior.dominant()
    if dominant is not None and dominant[1] >= CLEAR_SHARE:
        return _refine(dominant[0], prior, taxonomy), round(0.6 * dominant[1], 3)
    question = _question_before(span)
    if question is not None:
        asked = prior.between(question.start, question.end)
        strong, _, _ = _branch_scores(asked, taxonomy, prior)
        if strong:
            branch = max(strong, key=lambda b: (strong[b], prior.share(b), b))
            return _refine(_specific(branch, asked, taxonomy), prior, taxonomy), 0.4
    if dominant is not None and dominant[1] >= DOMINANT_SHARE:
        return _refine(dominant[0], prior, taxonomy), round(0.6 * dominant[1], 3)
    return None


def _nearby_branch(span: Span, prior: TopicIndex, taxonomy: Taxonomy) -> tuple[str, float] | None:
    """What the sentences around a short answer are about: the one before it and the
    rest of its own, when their full words point at one area the article covers too.
    "Nobody saw it coming", after a sentence on a leak of customer data, is about the
    leak as well as the merger the article reports."""
    doc = span.doc
    if not len(span):
        return None
    first, last = span[0].sent, span[-1].sent
    start = doc[first.start - 1].sent.start if first.start > 0 else first.start
    if _line_breaks(doc, start, span.start) > 3:
        start = first.start  # the sentence before sits paragraphs away: not its context
    around = prior.between(start, span.start) + prior.between(span.end, last.end)
    strong, _, _ = _branch_scores(around, taxonomy, prior)
    scored = {b: v for b, v in strong.items() if v >= 1 and prior.share(b) >= NEARBY_SHARE}
    if not scored:
        return None
    ranked = sorted(scored.items(), key=lambda kv: (-kv[1], -prior.share(kv[0]), kv[0]))
    if len(ranked) > 1 and ranked[1][1] >= NEARBY_MARGIN * ranked[0][1]:
        return None  # two subjects around it: no guess
    branch = ranked[0][0]
    return _refine(_specific(branch, around, taxonomy), prior, taxonomy), 0.3


def _question_before(span: Span) -> Span | None:
    """The question the quote answers: the sentence just before it, when it ends with a
    question mark and sits in the quote's paragraph or the one before."""
    doc = span.doc
    first = span[0].sent if len(span) else None
    if first is None or first.start == 0:
        return None
    before = doc[first.start - 1].sent
    words = [t for t in before if not t.is_space]
    if not words or words[-1].text not in ("?", "?”", '?"'):
        return None
    between = doc[before.end - 1].whitespace_.count("\n") + _line_breaks(
        doc, before.end, span.start
    )
    return before if between <= 3 else None


def _line_breaks(doc, start: int, end: int) -> int:
    """Line breaks in the text of tokens `start` to `end` (spaCy's `doc.text` joins the
    whole article anew at each call: too dear for every quote)."""
    return sum(t.text_with_ws.count("\n") for t in doc[start:end])


def _word_count(span: Span) -> int:
    return sum(1 for t in span if t.is_alpha)
