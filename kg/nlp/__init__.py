"""NLP stage: find quote marks, normalise text, parse with spaCy."""

from kg.nlp.pipeline import ParsedArticle, load_pipeline, parse_articles

__all__ = ["ParsedArticle", "load_pipeline", "parse_articles"]
