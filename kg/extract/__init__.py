"""Extract stage: quotes, speakers and topics from one parsed article (a pure map step)."""

from kg.extract.attribute import extract_quotes
from kg.extract.model import ArticleQuotes, Evidence, Quote, Speaker

__all__ = ["ArticleQuotes", "Evidence", "Quote", "Speaker", "extract_quotes"]
