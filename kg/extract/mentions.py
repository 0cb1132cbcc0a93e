"""The people, places and organisations a quote names: `schema:mentions`, never topics.

A quote about trade that names China mentions China (a country) and is about trade; the
topic assigner never sees names (`kg.extract.topics.NAME_ENTITIES`), and this module
keeps them instead, typed, with the article's name for each person so that a mentioned
person who also speaks is one node of the graph.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span

from kg.extract.lexicon import load_lexicon
from kg.extract.model import Mention
from kg.extract.people import clean_name
from kg.resolve.aliases import fold

ENTITY_KINDS = {
    "PERSON": "person",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "ORG": "organization",
}
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"\s*['’]s?$")
_EDGE_JUNK = " \t\n\"'“”‘’,.;:()[]-–—"
COUNTRIES_FILE = "countries.txt"


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """Folded names and short forms of countries -> the name kg uses, and folded
    adjectives of nationality -> the same (kg/data/countries.txt)."""
    names_of: dict[str, str] = {}
    adjectives: dict[str, str] = {}
    text = resources.files("kg.data").joinpath(COUNTRIES_FILE).read_text("utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        names, _, demonyms = line.partition(";")
        forms = [n.strip() for n in names.split("|") if n.strip()]
        for form in forms:
            names_of.setdefault(_country_key(form), forms[0])
        for adjective in demonyms.split("|"):
            if adjective.strip():
                adjectives.setdefault(_country_key(adjective), forms[0])
    return names_of, adjectives


def _country_key(name: str) -> str:
    return re.sub(r"^the\s+", "", fold(name).replace(".", ""))


def country_name(text: str) -> str | None:
    """The country a place name denotes, in kg's spelling, or None.

    >>> country_name("the U.S."), country_name("Britain"), country_name("Lisbon")
    ('United States', 'United Kingdom', None)
    """
    return _countries()[0].get(_country_key(entity_name(text)))


def nationality_country(text: str) -> str | None:
    """The country of an adjective of nationality ("Chinese" -> China), or None.

    >>> nationality_country("Chinese"), nationality_country("Saudi"), nationality_country("Muslim")
    ('China', 'Saudi Arabia', None)
    """
    return _countries()[1].get(_country_key(text))


def entity_name(text: str) -> str:
    """A place's or organisation's name as a node name: no leading article, possessive
    or stray marks.

    >>> entity_name("the United States’"), entity_name("the World Health Organization's")
    ('United States', 'World Health Organization')
    """
    name = " ".join(text.split()).strip(_EDGE_JUNK)
    name = _POSSESSIVE.sub("", _LEADING_ARTICLE.sub("", name)).strip(_EDGE_JUNK)
    return name


if not Doc.has_extension("kg_entity_starts"):
    Doc.set_extension("kg_entity_starts", default=None)


def entities_in(span: Span) -> list[Span]:
    """The named entities inside a span, looked up in the Doc's entities once sorted
    (kept on the Doc): ``span.ents`` scans every entity of the article each time.

    >>> import spacy
    >>> doc = spacy.blank("en")("Ana Lopez met Karl Berg in Lisbon")
    >>> doc.ents = [doc.char_span(0, 9, label="PERSON"), doc.char_span(27, 33, label="GPE")]
    >>> [e.text for e in entities_in(doc[2:7])]
    ['Lisbon']
    """
    doc = span.doc
    index = doc._.kg_entity_starts
    if index is None:  # the parse's entities: the extract stage reads, never sets them
        ents = list(doc.ents)
        index = doc._.kg_entity_starts = (ents, [e.start for e in ents])
    ents, starts = index
    lo = bisect.bisect_left(starts, span.start)
    return [e for e in ents[lo : bisect.bisect_left(starts, span.end)] if e.end <= span.end]


def quote_mentions(span: Span, people=None, parsed=None) -> list[Mention]:
    """The entities named in a quote's content span, first mention first, one per entity.

    `people` (the article's entity table, `kg.extract.entities.EntityTable`: anything
    with ``person_at(token)``) gives each person the article's full name
    ("Blinken" -> "Antony Blinken") and catches surnames the tagger missed; `parsed` (the
    `ParsedArticle`) maps offsets to the article's exact text, so ``text[start:end]`` of
    the file is the mention's `text`. Without it offsets are the parsed text's.
    """
    doc = span.doc
    found: dict[tuple[str, str], Mention] = {}
    covered: set[int] = set()

    def add(name: str, kind: str, words: Span) -> None:
        if not _plausible(name):
            return
        key = (kind, name.casefold())
        if key in found:
            return
        if parsed is not None:
            start, end = parsed.raw_span(words.start_char, words.end_char)
            text = parsed.article.text[start:end]
        else:
            start, end, text = words.start_char, words.end_char, words.text
        found[key] = Mention(name, kind, start, end, text)

    for ent in entities_in(span):
        covered.update(range(ent.start, ent.end))
        person = people.person_at(doc[ent.start]) if people is not None else None
        if person is not None:
            add(person.name, _person_kind(person.kind), ent)
            continue
        kind = ENTITY_KINDS.get(ent.label_)
        if kind is None:
            continue
        name = clean_name(ent.text)[0] if kind == "person" else entity_name(ent.text)
        country = country_name(name) if ent.label_ == "GPE" else None
        if country is not None:  # one node per country, however the article writes it
            name, kind = country, "country"
        add(name, kind, ent)
    if people is not None:
        for token in span:  # a bare surname the tagger did not mark ("Evans said ...")
            if token.i in covered:
                continue
            person = people.person_at(token)
            if person is not None:
                add(person.name, _person_kind(person.kind), doc[token.i : token.i + 1])
    return sorted(found.values(), key=lambda m: m.start)


def _person_kind(kind: str) -> str:
    return "organization" if kind == "organization" else "person"


def _plausible(name: str) -> bool:
    """A name at all: letters, not all lower case, not a word the tagger mistakes for one.

    >>> _plausible("Qin Gang"), _plausible("us"), _plausible("--"), _plausible("X")
    (True, False, False, False)
    """
    letters = [c for c in name if c.isalpha()]
    return (
        len(letters) >= 2
        and any(c.isupper() for c in letters)
        and name.lower() not in load_lexicon().not_names
    )
