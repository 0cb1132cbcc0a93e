"""Topics of a quote: concepts of a SKOS taxonomy matched on lemmas, else salient words.

The taxonomy is user-editable Turtle (`kg/data/topics.ttl` by default): each concept's
preferred and alternative labels are lemmatised once, and a quote's lemmas are matched
against them as phrases of up to four words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from spacy.tokens import Span

MAX_PHRASE = 4
GENERIC_NOUNS = frozenset(
    [
        "time",
        "times",
        "way",
        "ways",
        "thing",
        "things",
        "lot",
        "lots",
        "part",
        "parts",
        "kind",
        "sort",
        "point",
        "fact",
        "case",
        "day",
        "days",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "moment",
        "course",
        "line",
        "depth",
        "side",
        "sides",
        "number",
        "numbers",
        "people",
        "person",
        "man",
        "men",
        "woman",
        "women",
        "everyone",
        "someone",
        "anyone",
        "something",
        "nothing",
        "anything",
        "place",
        "end",
        "level",
        "levels",
        "area",
        "areas",
        "term",
        "terms",
    ]
)
FALLBACK_ENTS = ("PERSON", "ORG", "GPE", "NORP", "EVENT", "LOC", "PRODUCT", "LAW")
SKOS = "http://www.w3.org/2004/02/skos/core#"


@dataclass(frozen=True)
class Concept:
    iri: str
    label: str
    alt_labels: tuple[str, ...] = ()


class Taxonomy:
    """Label phrases (as lemma tuples) to concepts."""

    def __init__(self, concepts: dict[tuple[str, ...], Concept], all_concepts: list[Concept]):
        self.phrases = concepts
        self.concepts = all_concepts

    @classmethod
    def load(cls, path: str | Path | None = None) -> Taxonomy:
        import rdflib

        graph = rdflib.Graph()
        if path is None:
            graph.parse(
                data=resources.files("kg.data").joinpath("topics.ttl").read_text("utf-8"),
                format="turtle",
            )
        else:
            graph.parse(str(path), format="turtle")
        pref = rdflib.URIRef(SKOS + "prefLabel")
        alt = rdflib.URIRef(SKOS + "altLabel")
        concepts: dict[str, Concept] = {}
        labels: list[tuple[str, str]] = []
        for subject, label in sorted(graph.subject_objects(pref)):
            concepts[str(subject)] = Concept(str(subject), str(label))
            labels.append((str(subject), str(label)))
        for subject, label in sorted(graph.subject_objects(alt)):
            if str(subject) in concepts:
                labels.append((str(subject), str(label)))
                concept = concepts[str(subject)]
                concepts[str(subject)] = Concept(
                    concept.iri, concept.label, (*concept.alt_labels, str(label))
                )
        phrases: dict[tuple[str, ...], Concept] = {}
        for iri, label in labels:  # the concepts are complete now: map phrases to them
            key = lemma_key(label)
            if key and key not in phrases:
                phrases[key] = concepts[iri]
        return cls(phrases, list(concepts.values()))

    def match(self, lemmas: list[str]) -> list[Concept]:
        found: list[Concept] = []
        for i in range(len(lemmas)):
            for n in range(MAX_PHRASE, 0, -1):
                concept = self.phrases.get(tuple(lemmas[i : i + n]))
                if concept is not None:
                    if concept not in found:
                        found.append(concept)
                    break
        return found


def lemma_key(label: str) -> tuple[str, ...]:
    """A label as the lowercase word tuple the matcher compares (a light lemmatiser:
    plural -s dropped; hyphens split), so the taxonomy loads without a model.

    >>> lemma_key("Channels of Communication")
    ('channel', 'of', 'communication')
    """
    words = label.lower().replace("-", " ").replace("'", " ").split()
    return tuple(_singular(w) for w in words)


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=4)
def default_taxonomy(path: str | None = None) -> Taxonomy:
    return Taxonomy.load(path)


def span_lemmas(spans: Iterable[Span]) -> list[str]:
    out: list[str] = []
    for span in spans:
        for t in span:
            if t.is_punct or t.is_space:
                continue
            for part in t.lower_.replace("-", " ").replace("'", " ").split():
                out.append(_singular(part))
    return out


def topics_for(
    spans: list[Span], taxonomy: Taxonomy, limit: int = 5, speaker: str | None = None
) -> list[str]:
    """Topic labels for the words of a quote (and its cue sentence).

    Taxonomy concepts first; then named entities and noun-phrase heads of the quote
    itself as a fallback, so every quote carries something to search by. The speaker is
    not a topic of their own words, and nouns that say nothing of a subject ("time",
    "way", "lot") are skipped.
    """
    labels = [c.label for c in taxonomy.match(span_lemmas(spans))]
    quote = spans[0]
    own = set((speaker or "").lower().split())
    for ent in quote.ents:
        text = ent.text.strip(" \t\n,.;:“”\"'‘’")
        if (
            ent.label_ in FALLBACK_ENTS
            and text
            and text not in labels
            and not (ent.label_ == "PERSON" and set(text.lower().split()) & own)
        ):
            labels.append(text)
    if len(labels) < 2:
        for chunk in quote.noun_chunks:
            root = chunk.root
            lemma = root.lemma_.lower()
            if (
                root.pos_ == "NOUN"
                and not root.is_stop
                and len(root.text) > 3
                and lemma not in GENERIC_NOUNS
                and lemma not in labels
            ):
                labels.append(lemma)
    return labels[:limit]
