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

from spacy.tokens import Doc, Span, Token

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
    """The form a country name is looked up by: folded, no "the", dots or apostrophes.

    >>> _country_key("the People’s Republic of China") == _country_key("People's Republic of China")
    True
    """
    return re.sub(r"^the\s+", "", re.sub(r"[.'’]", "", fold(name)))


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
        words = unbracketed(ent)
        if words is None:
            continue
        person = people.person_at(doc[words.start]) if people is not None else None
        if person is not None and not _known_only_here(person, words):
            add(person.name, _person_kind(person.kind), words)
            continue
        kind = ENTITY_KINDS.get(ent.label_)
        if person is not None and kind is None:
            kind = _person_kind(person.kind)
        if kind is None or (kind == "person" and opens_adjective_list(words, span)):
            continue
        if person is not None:
            add(person.name, _person_kind(person.kind), words)
            continue
        name = clean_name(words.text)[0] if kind == "person" else entity_name(words.text)
        # a country however the article writes it ("the U.S.", "the People's Republic of
        # China"), and whatever the tagger took its official name for (ORG, LOC): one node
        country = country_name(name) if kind != "person" else None
        if country is not None:
            name, kind = country, "country"
        add(name, kind, words)
    if people is not None:
        for token in span:  # a bare surname the tagger did not mark ("Evans said ...")
            if token.i in covered:
                continue
            person = people.person_at(token)
            if person is not None:
                add(person.name, _person_kind(person.kind), doc[token.i : token.i + 1])
    return sorted(found.values(), key=lambda m: m.start)


_OPENING = frozenset("([{")
_CLOSING = frozenset(")]}")
_OPENING_QUOTES = frozenset(['"', "“", "‘", "'", "«", "(", "—", "–", "-"])
_LIST_JOINERS = frozenset([",", "and", "or", "but"])


def unbracketed(ent: Span) -> Span | None:
    """The part of an entity span outside a bracket it was cut at: the tagger's span
    "the (People's Republic of China" is re-read from after the opening bracket, and
    "Republic of China)" up to the closing one. None when nothing with letters is left.

    >>> import spacy
    >>> doc = spacy.blank("en")("with the (People's Republic of China) PRC")
    >>> unbracketed(doc[1:8]).text, unbracketed(doc[3:9]).text, unbracketed(doc[0:2]).text
    ("People's Republic of China", "People's Republic of China", 'with the')
    >>> unbracketed(doc[2:3]) is None
    True
    """
    start, end = ent.start, ent.end
    depth = 0
    for token in ent:  # an opening bracket not closed inside the span: start after it
        if token.text in _OPENING:
            depth += 1
            if not any(t.text in _CLOSING for t in ent.doc[token.i + 1 : end]):
                start = token.i + 1
        elif token.text in _CLOSING:
            if depth == 0:  # closed without being opened: the span ran past its end
                end = token.i
                break
            depth -= 1
    words = ent.doc[start:end]
    while len(words) and (words[-1].is_punct or words[-1].is_space):
        words = ent.doc[words.start : words.end - 1]
    if not any(c.isalpha() for c in words.text):
        return None
    return words


@lru_cache(maxsize=1)
def _adjectives() -> frozenset[str]:
    """English adjectives of the pipeline's lemmatizer (its WordNet-derived index), or
    none when the pipeline has no such table."""
    from kg.nlp import load_pipeline

    try:
        table = load_pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_index")
        return frozenset(table["adj"])
    except (KeyError, ValueError, AttributeError):  # pragma: no cover - another pipeline
        return frozenset()


def opens_adjective_list(words: Span, span: Span) -> bool:
    """A one-word "name" that opens the quote or a sentence and heads a comma-separated
    list of adjectives is the first adjective of that list, not a person: “Frank,
    substantial and constructive” (the tagger's PERSON "Frank"). Only a word the
    dictionary knows as an adjective, and only when the list has a lower-case adjective
    after the comma and a conjunction before its last item.

    >>> import spacy
    >>> doc = spacy.blank("en")("“Frank, candid and constructive,” he said.")
    >>> for t, pos in zip(doc[2:7], ["PUNCT", "ADJ", "CCONJ", "ADJ", "PUNCT"]):
    ...     t.pos_ = pos
    >>> opens_adjective_list(doc[1:2], doc[1:6])
    True
    >>> doc = spacy.blank("en")("“Frank, you and I agree,” he said.")
    >>> opens_adjective_list(doc[1:2], doc[1:7])
    False
    """
    if len(words) != 1 or not words[0].is_title:
        return False
    head = words[0]
    before = head.doc[head.i - 1] if head.i > 0 else None
    opening = (
        head.i == span.start
        or head.is_sent_start
        or before is None
        or before.text in _OPENING_QUOTES
    )
    if not opening or head.lower_ not in _adjectives():
        return False
    doc = head.doc
    if head.i + 2 >= len(doc) or doc[head.i + 1].text != ",":
        return False
    items: list[Token] = []
    joined = False
    for token in doc[head.i + 2 : min(len(doc), head.i + 12)]:
        if token.lower_ in _LIST_JOINERS:
            joined = joined or token.lower_ != ","
            continue
        if token.is_alpha and token.is_lower and _is_adjective(token):
            items.append(token)
            continue
        break
    return bool(items) and joined


def _is_adjective(token: Token) -> bool:
    return token.pos_ == "ADJ" or (not token.pos_ and token.lower_ in _adjectives())


def _known_only_here(person, words: Span) -> bool:
    """The article's entity table knows this one-word person from this very mention
    alone (no other mention, no role): the table took the tagger's word for it, so the
    mention is checked as the tagger's guess (`opens_adjective_list`) would be."""
    mentions = getattr(person, "mentions", None) or []
    return (
        len(words) == 1
        and len(person.name.split()) == 1
        and not getattr(person, "roles", None)
        and all(start == words.start_char for start in mentions)
    )


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
