"""kg: who said what, to whom, about what — a quote-attribution knowledge graph from news.

Data flows one way:

    ingest -> nlp -> extract (quotes, speakers, topics) -> resolve (people, statements)
           -> rdf (vocabulary, triples, store) -> outputs (query, html, export, push)
"""

__version__ = "0.1.0"
