"""Typed records that leave the ingest stage."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


def content_id(text: str) -> str:
    """A stable id for an article's text: the same text always gets the same id.

    >>> content_id("Hello") == content_id("Hello")
    True
    """
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class Article:
    """One news article, its exact text and what is known about it.

    Every character offset produced downstream points into `text`.
    `body_start` is where the article proper begins (after a leading date line).
    """

    doc: str
    text: str
    path: str = ""
    title: str | None = None
    url: str | None = None
    date: str | None = None
    outlet: str | None = None
    body_start: int = 0

    @property
    def id(self) -> str:
        return content_id(self.text)


@dataclass(frozen=True)
class Skipped:
    """A file (or JSONL line) that could not be used, with the reason in plain words."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"
