"""Typed records that leave the ingest stage."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


def content_id(text: str) -> str:
    """A stable hash of an article's text: the same text always gets the same value.

    >>> content_id("Hello") == content_id("Hello") != content_id("Hello!")
    True
    """
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def source_id(source: str) -> str:
    """The article id of a source key (a path relative to the input root, a URL, or a
    JSONL file and line): one id per source, whatever its text.

    >>> source_id("politics/index.html") != source_id("sport/index.html")
    True
    >>> len(source_id("seeds/a.txt"))
    16
    """
    return hashlib.sha256(("source:" + source).encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Source:
    """A file to read and the name it goes by: its path relative to the input root.

    The location is kept as text: a build holds one `Source` per input file while its map
    step runs, and a `Path` object and an instance dict cost about 400 B more per file.

    >>> Source("in/a.txt", "a.txt").path
    PosixPath('in/a.txt')
    """

    location: str
    doc: str

    @property
    def path(self) -> Path:
        return Path(self.location)


@dataclass(frozen=True)
class Article:
    """One news article, its exact text and what is known about it.

    Every character offset produced downstream points into `text`, the article as read:
    a text file's decoded characters (line ends kept as they are, CRLF included), the main
    text trafilatura extracts from a web page, or a JSONL record's ``text``.
    `body_start` is where the article proper begins (after a leading date line).
    `source` is its identity (the path relative to the input root, or a JSONL record's
    url or file and line); two sources with the same text are two articles, with the same
    `content_hash`.

    >>> a = Article("a.txt", "Same words.", source="a.txt")
    >>> b = Article("b/a.txt", "Same words.", source="b/a.txt")
    >>> a.id != b.id and a.content_hash == b.content_hash
    True
    """

    doc: str
    text: str
    path: str = ""
    title: str | None = None
    url: str | None = None
    date: str | None = None
    outlet: str | None = None
    body_start: int = 0
    source: str = ""

    @property
    def id(self) -> str:
        return source_id(self.source or self.doc)

    @property
    def content_hash(self) -> str:
        return content_id(self.text)


@dataclass(frozen=True)
class Skipped:
    """A file (or JSONL line) that could not be used, with the reason in plain words."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"
