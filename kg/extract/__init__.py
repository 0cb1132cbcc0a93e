"""Extract stage: quotes, speakers and topics from one parsed article (a pure map step)."""

from kg.extract.attribute import extract_quotes
from kg.extract.model import ArticleQuotes, Evidence, Mention, Quote, Speaker, Topic

__all__ = ["ArticleQuotes", "Evidence", "Mention", "Quote", "Speaker", "Topic", "extract_quotes"]
