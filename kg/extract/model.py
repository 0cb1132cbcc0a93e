"""Typed results of the extract stage (plain data: no spaCy objects escape it)."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

KINDS = ("direct", "mixed", "indirect", "unquoted")
EVIDENCE_ROLES = ("cue", "mention", "antecedent", "via", "addressee")
MENTION_KINDS = ("person", "place", "country", "organization")


@dataclass(frozen=True)
class Evidence:
    """A span of the article's exact text that a decision about a quote rests on.

    `role` says what the words are to the quote (its `cue`, the `mention` naming the
    speaker at the quote, the `antecedent` a pronoun or role was resolved to, the `via`
    or `addressee` phrase); `rule` names the sieve that found them. The invariant
    ``article.text[start:end] == text`` holds for every span.
    """

    role: str
    start: int
    end: int
    text: str
    rule: str

    def to_json(self) -> dict:
        return {
            "role": self.role,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class Topic:
    """A concept of the topic scheme that a quote is about, with the assigner's score.

    `iri` is the concept's IRI (an IPTC Media Topic by default), `qcode` its notation
    when the scheme gives one, `score` in (0, 1]: higher is more evidence.

    >>> Topic("http://cv.iptc.org/newscodes/mediatopic/20000639", "Diplomacy", 0.8,
    ...       "medtop:20000639").to_json()["qcode"]
    'medtop:20000639'
    """

    iri: str
    label: str
    score: float
    qcode: str | None = None

    def to_json(self) -> dict:
        # "id" first: topic_score.py and JSON-LD readers take the IRI from it
        return {"id": self.iri, "qcode": self.qcode, "label": self.label, "score": self.score}


@dataclass(frozen=True)
class Mention:
    """A person, place, country or organisation a quote names: an entity, never a topic.

    `name` is the entity's name (for people, the article's name for the person, so a
    mentioned speaker links to the same node); `start`/`end`/`text` are the first
    mention's offsets and words in the article's exact text.
    """

    name: str
    kind: str
    start: int
    end: int
    text: str

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }


def quote_id(article_id: str, start: int, end: int) -> str:
    """A stable id for the quote at these offsets of this article.

    >>> quote_id("a1", 0, 10) == quote_id("a1", 0, 10) != quote_id("a1", 0, 11)
    True
    """
    return hashlib.sha1(f"{article_id}:{start}:{end}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Speaker:
    """Who a quote is attributed to.

    `name` is the canonical name within the article (or a description such as
    "a senior US official"); `mention` is the words the article used at the cue.
    `kind` is person, organization, anonymous or unknown.
    """

    name: str
    mention: str
    kind: str = "person"
    start: int | None = None
    end: int | None = None


@dataclass
class Quote:
    """One attributed statement in one article. Offsets index the article's exact text."""

    doc: str
    article_id: str
    start: int
    end: int
    text: str
    kind: str
    speaker: Speaker
    cue: str = ""
    via: str | None = None
    via_kind: str | None = None  # person or organization, as the extract stage judged
    addressee: str | None = None
    topics: list[Topic] = field(default_factory=list)
    confidence: float = 0.5
    statement: str | None = None
    roles: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    # the sieves that decided, in order ("link:cue_content", "speaker:exact_name", ...)
    sieves: list[str] = field(default_factory=list)
    # candidates the sieves passed over, with the reason ("pronoun_salience: X: named in ...")
    rejected: list[str] = field(default_factory=list)
    # people, places and organisations the quote names (schema:mentions, not topics)
    mentions: list[Mention] = field(default_factory=list)

    @property
    def id(self) -> str:
        return quote_id(self.article_id, self.start, self.end)

    def to_json(self) -> dict:
        """The record `kg quotes --format jsonl` prints (the scorer's input format)."""
        return {
            "id": self.id,
            "doc": self.doc,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "speaker": self.speaker.name,
            "speaker_mention": self.speaker.mention,
            "cue": self.cue,
            "kind": self.kind,
            "via": self.via,
            "addressee": self.addressee,
            "topics": [t.to_json() for t in self.topics],
            "mentions": [m.to_json() for m in self.mentions],
            "statement": self.statement,
            "confidence": round(self.confidence, 3),
            "sieves": list(self.sieves),
            "rejected": list(self.rejected),
            "evidence": [e.to_json() for e in self.evidence],
        }

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ArticleQuotes:
    """Everything extracted from one article: the map step's output."""

    article_id: str
    doc: str
    quotes: list[Quote]
    people: dict[str, list[str]] = field(default_factory=dict)
