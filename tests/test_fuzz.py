"""Junk in, no crash out: hypothesis feeds every layer hostile input.

Invariants: ingest gives an Article or a per-file Skipped with a reason, never an
exception; quotes point into the text; the RDF parses back and conforms to the SHACL
shapes; the page's embedded data round-trips and never closes its <script> early.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.corpus import ArticleInfo
from kg.extract import Mention, Quote, Speaker, Topic
from kg.ingest import Article, Skipped, iter_articles
from kg.ingest.read import text_article
from kg.rdf.triples import article_triples

from .conftest import ROOT

SLOW = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
HOSTILE_PIECES = [
    "\u202eRTL override\u202c",
    "مرحبا بالعالم",
    "שלום",
    "e\u0301\u0301\u0301",
    "\u200b\u200d\ufeff",
    "👩‍👩‍👧‍👦",
    "\x00\x07\x1b",
    "\ud800",
    "\udfff",
    "“",
    "”",
    '"',
    "'",
    "‘",
    "’",
    "«",
    "»",
    "„",
    "said",
    "\n\n",
    "Mr. Ann Lee",
    "<script>alert(1)</script>",
    "&amp;",
    "\t",
]
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=30)), max_size=40
).map("".join)
FILE_NAMES = st.sampled_from(
    [
        "plain.txt",
        "with space.txt",
        "ünïcödé.txt",
        "new\nline.txt",
        "tab\tname.txt",
        "x.jsonl",
        "page.html",
        "noext",
        "😀.txt",
    ]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=FILE_NAMES,
    data=st.one_of(
        st.binary(max_size=3000), hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass"))
    ),
)
def test_ingest_gives_an_article_or_a_reason_for_any_file(tmp_path_factory, name, data):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / name
    path.write_bytes(data)
    items = list(iter_articles([str(folder)], max_bytes=10_000))
    assert items, "a file must give an article or a reason"
    for item in items:
        if isinstance(item, Skipped):
            assert item.reason and str(folder) in item.path
        else:
            assert isinstance(item, Article) and item.text.strip()
            item.text.encode("utf-8")  # never a lone surrogate


@SLOW
@given(hostile_text)
def test_extraction_survives_hostile_text(extract_article_text, text):
    if not text.strip():
        return
    article, quotes = extract_article_text(text)
    for q in quotes:
        assert 0 <= q.start < q.end <= len(article.text)
        assert article.text[q.start : q.end] == q.text


def test_extraction_of_ten_thousand_marks_and_a_long_line(extract_article_text):
    for text in ["“" * 5000 + "”" * 5000, "word " * 40_000, '"a" ' * 3000 + "he said."]:
        article, quotes = extract_article_text(text)
        assert all(article.text[q.start : q.end] == q.text for q in quotes)


def test_deeply_nested_html_is_read_or_skipped(tmp_path):
    page = (
        "<html><body>"
        + "<div>" * 10_000
        + "<p>“We will win,” said Ann Lee.</p>"
        + "</div>" * 10_000
    )
    (tmp_path / "deep.html").write_text(page + "</body></html>", encoding="utf-8")
    (item,) = list(iter_articles([str(tmp_path)]))
    assert isinstance(item, (Article, Skipped))


quote_text = st.text(min_size=1, max_size=80).filter(lambda t: t.strip())


@settings(max_examples=40, deadline=None)
@given(
    text=quote_text,
    speaker=quote_text,
    topic=st.text(max_size=20),
    via=st.one_of(st.none(), quote_text),
)
def test_rdf_of_any_text_parses_and_conforms(shapes, text, speaker, topic, via):
    article = text_article("x" * 10 + text, Path("fuzz.txt"))
    start = 10
    quote = Quote(
        article.doc,
        article.id,
        start,
        start + len(article.text) - 10,
        article.text[10:],
        "direct",
        Speaker(speaker, speaker),
        cue="said",
        via=via,
        addressee=via,
        topics=[Topic("https://example.org/topic/1", topic, 0.5)] if topic else [],
        mentions=[Mention(speaker, "person", start, start + 1, article.text[10:11])],
    )
    info = ArticleInfo.of(article)
    graph = article_triples(info, [quote])
    data = graph.serialize(format="nt")
    parsed = rdflib.Graph().parse(data=data, format="nt")
    assert len(parsed) == len(graph)
    import pyshacl

    conforms, _, report = pyshacl.validate(parsed, shacl_graph=shapes, advanced=True)
    assert conforms, report


@settings(max_examples=60, deadline=None)
@given(
    st.recursive(st.one_of(st.text(), st.integers(), st.none()), lambda c: st.lists(c, max_size=4))
)
def test_page_data_round_trips_and_never_closes_the_script(value):
    from kg.outputs.html import script_json

    encoded = script_json({"v": value, "t": "</script><!--"})
    assert not re.search(r"</script|<!--", encoded, re.IGNORECASE)
    assert json.loads(encoded) == {"v": value, "t": "</script><!--"}


@SLOW
@given(st.lists(quote_text, min_size=1, max_size=6))
def test_page_of_hostile_labels_is_self_contained(labels):
    from kg.outputs.html import build_page
    from kg.outputs.pagedata import Agent, PageData, QuoteRecord, Source, Topic

    agents = {
        f"urn:a{i}": Agent(f"urn:a{i}", label, "person", False) for i, label in enumerate(labels)
    }
    topics = {f"urn:t{i}": Topic(f"urn:t{i}", label) for i, label in enumerate(labels)}
    source = Source("urn:d", labels[0], labels[-1], labels[0], labels[0], labels[-1])
    quotes = tuple(
        QuoteRecord(
            f"urn:q{i}",
            f"q{i}",
            label,
            "direct",
            f"urn:a{i}",
            "urn:d",
            cue=label,
            topics=(f"urn:t{i}",),
            before=label,
            after=label,
        )
        for i, label in enumerate(labels)
    )
    page = build_page(PageData(quotes, agents, topics, {}, {"urn:d": source}))
    body = page.split('id="kg-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in body and ">" not in body
    assert json.loads(body)["quotes"][0][1] == labels[0]
    assert not re.search(r"\b(src|href)=[\"']?https?:", page)


@pytest.fixture(scope="module")
def shapes():
    return rdflib.Graph().parse(ROOT / "kg" / "shapes.ttl", format="turtle")


@pytest.fixture(scope="module")
def extract_article_text(nlp):
    from kg.extract import extract_quotes
    from kg.nlp import parse_articles

    def run(text: str):
        article = text_article(text, Path("fuzz.txt"))
        parsed = next(parse_articles([article], nlp))
        return article, extract_quotes(parsed).quotes

    return run
