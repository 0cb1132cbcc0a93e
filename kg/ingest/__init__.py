"""Ingest: turn files, folders and globs into `Article`s (or `Skipped` records)."""

from kg.ingest.article import Article, Skipped, Source
from kg.ingest.read import iter_articles, iter_sources, read_source

__all__ = ["Article", "Skipped", "Source", "iter_articles", "iter_sources", "read_source"]
