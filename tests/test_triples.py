"""Article graphs written as N-Triples lines (`kg.rdf.ntriples`, `kg.rdf.triples`): what
rdflib reads back from them is the graph the model describes, whatever the text holds."""

from __future__ import annotations

import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.corpus import ArticleInfo
from kg.extract.model import Mention, Quote, Speaker, Topic
from kg.rdf.triples import agent_iri, article_iri, article_triples, quote_iri, source_triples
from kg.rdf.vocab import KG, OWL, RDF, SCHEMA, STATEMENT, WD

INFO = ArticleInfo("a1", "doc.txt", "doc.txt", 200, title="Budget", outlet="Riverside Gazette")


def _quote(start: int, speaker: Speaker, statement: str, **extra) -> Quote:
    return Quote(
        "doc.txt",
        "a1",
        start,
        start + 20,
        "words",
        "direct",
        speaker,
        statement=statement,
        confidence=0.8,
        **extra,
    )


def _graph(nt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=nt, format="nt")


def test_an_agent_named_twice_keeps_each_role_and_kind():
    # the same name as a speaking person, a mentioned organisation and an anonymous source
    # in one article: the cached blocks of one role never stand in for another's
    quotes = [
        _quote(
            0,
            Speaker("Ana Lopez", "Lopez", "person"),
            "st-1",
            mentions=[Mention("Harbour Board", "organization", 3, 8, "Board")],
        ),
        _quote(40, Speaker("Harbour Board", "the board", "organization"), "st-2"),
        _quote(80, Speaker("an official", "an official", "anonymous"), "st-3"),
    ]
    nt = article_triples(INFO, quotes, wikidata={"Ana Lopez": "Q1"}, include_source=False)
    g = _graph(nt.serialize())
    ana, board, official = (agent_iri(n) for n in ("Ana Lopez", "Harbour Board", "an official"))
    assert (ana, RDF.type, SCHEMA.Person) in g and (ana, OWL.sameAs, WD.Q1) in g
    assert (board, RDF.type, SCHEMA.Organization) in g
    assert (quote_iri(quotes[0]), SCHEMA.mentions, board) in g
    assert (official, KG.anonymous, rdflib.Literal(True)) in g
    assert (agent_iri("Riverside Gazette"), RDF.type, SCHEMA.Organization) in g
    assert (article_iri("a1"), KG.docName, None) not in g  # the article node is the source's
    assert (article_iri("a1"), KG.docName, rdflib.Literal("doc.txt")) in _graph(
        source_triples(INFO)
    )


def test_conflicting_attributions_are_stated_for_the_articles_own_statements_only():
    quotes = [_quote(0, Speaker("Ana Lopez", "Lopez"), "st-1")]
    conflicting = {"st-1": ("st-9",), "st-5": ("st-6",)}
    g = _graph(article_triples(INFO, quotes, conflicting=conflicting).serialize())
    assert (STATEMENT["st-1"], KG.conflictingAttribution, STATEMENT["st-9"]) in g
    assert not list(g.triples((STATEMENT["st-5"], None, None)))


@settings(max_examples=80, deadline=None)
@given(st.text(min_size=1, max_size=60), st.text(max_size=30), st.floats(0, 1))
def test_any_text_reads_back_as_written(text, name, score):
    name = name.strip() or "Ana Lopez"
    q = Quote(
        "doc.txt",
        "a1",
        0,
        len(text),
        text,
        "direct",
        Speaker(name, name),
        cue='said "x"\\',
        topics=[Topic("https://example.org/topic/1", "Budget", score)],
    )
    info = ArticleInfo("a1", "doc.txt", "doc.txt", len(text), title=text, text=text)
    g = _graph(article_triples(info, [q]).serialize())
    assert (quote_iri(q), SCHEMA.text, rdflib.Literal(text)) in g
    assert (quote_iri(q), KG.cue, rdflib.Literal('said "x"\\')) in g
    assert (article_iri("a1"), SCHEMA.headline, rdflib.Literal(text)) in g
    assert (agent_iri(name), SCHEMA.name, rdflib.Literal(name)) in g
