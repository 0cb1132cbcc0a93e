"""Ingest: turn files, folders and globs into `Article`s (or `Skipped` records)."""

from kg.ingest.article import Article, Skipped
from kg.ingest.read import iter_articles, iter_sources

__all__ = ["Article", "Skipped", "iter_articles", "iter_sources"]
