"""Typed results of the extract stage (plain data: no spaCy objects escape it)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

KINDS = ("direct", "mixed", "indirect", "unquoted")


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
    addressee: str | None = None
    topics: list[str] = field(default_factory=list)
    confidence: float = 0.5
    statement: str | None = None
    roles: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        """The record `kg quotes --format jsonl` prints (the scorer's input format)."""
        return {
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
            "topics": list(self.topics),
            "statement": self.statement,
            "confidence": round(self.confidence, 3),
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
