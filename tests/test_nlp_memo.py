"""kg.nlp.memo: the stand-ins for the model's attribute ruler and lemmatizer give every
token exactly the attributes the stock components give."""

from __future__ import annotations

import numpy
import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, ORTH, POS, SENT_START, TAG

from kg.ingest import Article, iter_articles
from kg.nlp import memo
from kg.nlp.pipeline import _chunks, load_pipeline, model_name, prepare_article

from .conftest import ROOT

ATTRS = [ORTH, TAG, POS, MORPH, LEMMA, DEP, HEAD, SENT_START, ENT_IOB, ENT_TYPE]
# the ruler's own special cases: contractions, dropped g's, "y'all", do/have as main
# verbs, "there is", "gets"/"got", runs of spaces and line breaks
SPECIAL = (
    "We don't know. They can't go, and she won't. Y'all ain't seen nothin' yet.\n\n"
    "There's a plan and there are two.  He gets it; she got it. They did it and had fun.\n"
    "I'd rather not.   It's 5 p.m. on Tuesday, and the U.N. said so.\n \n"
)


@pytest.fixture(scope="module")
def stock():
    nlp = spacy.load(model_name(), exclude=["senter"])
    nlp.add_pipe("kg_paragraph_breaks", before="parser")
    nlp.max_length = load_pipeline().max_length
    return nlp


def differences(stock_nlp, text: str) -> list[str]:
    a, b = stock_nlp(text), load_pipeline()(text)
    x, y = a.to_array(ATTRS), b.to_array(ATTRS)
    return [
        f"{a[i].text!r}: {a[i].tag_}/{a[i].pos_}/{a[i].morph}/{a[i].lemma_} != "
        f"{b[i].tag_}/{b[i].pos_}/{b[i].morph}/{b[i].lemma_}"
        for i in map(int, numpy.nonzero((x != y).any(axis=1))[0])
    ]


def test_kg_pipeline_runs_the_stand_ins_under_the_stock_names():
    nlp = load_pipeline()
    assert isinstance(nlp.get_pipe("attribute_ruler"), memo.MemoAttributeRuler)
    assert isinstance(nlp.get_pipe("lemmatizer"), memo.MemoLemmatizer)
    order = nlp.pipe_names
    assert order.index("parser") < order.index("attribute_ruler") < order.index("lemmatizer")


def test_every_token_of_the_seeds_and_the_special_cases_gets_the_stock_attributes(stock):
    texts = [SPECIAL]
    for article in iter_articles([str(ROOT / "seeds")]):
        assert isinstance(article, Article)
        texts.extend(_chunks(prepare_article(article)[0].clean))
    for text in texts:
        assert differences(stock, text) == []


WORDS = st.sampled_from(
    [
        "the",
        "a",
        "said",
        "says",
        "told",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "'s",
        "'re",
        "n't",
        "'d",
        "nothin'",
        "y'",
        "y'all",
        "there",
        "is",
        "are",
        "was",
        "were",
        "gets",
        "got",
        "I",
        "you",
        "he",
        "she",
        "we",
        "they",
        "it",
        "Mr.",
        "Ms.",
        "Smith",
        "Paris",
        "U.N.",
        "run",
        "running",
        "ran",
        "better",
        "best",
        "good",
        "officials",
        "minister",
        "2024",
        "5",
        "%",
        ",",
        ".",
        ";",
        ":",
        "—",
        "“",
        "”",
        "'",
        '"',
        "(",
        ")",
        "\n",
        "\n\n",
    ]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(WORDS, min_size=1, max_size=40))
def test_any_run_of_words_gets_the_stock_attributes(stock, words):
    assert differences(stock, " ".join(words)) == []


def test_a_memo_that_starts_again_decides_the_same(stock, monkeypatch):
    monkeypatch.setattr(memo, "MEMO_LIMIT", 3)
    assert differences(stock, SPECIAL * 2) == []


def test_the_lemmatizer_stand_in_keeps_the_word_index_kg_reads():
    index = load_pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert "candid" in index["adj"] and "candid" not in index["noun"]


# -- on a pipeline of one's own ----------------------------------------------------------------
def ruler_pipeline(patterns: list[dict]) -> spacy.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler").add_patterns(patterns)
    return nlp


RULES = [
    {"patterns": [[{"LOWER": {"REGEX": "^n'?t$"}}]], "attrs": {"LEMMA": "not", "POS": "PART"}},
    {
        "patterns": [[{"LOWER": "the"}, {"LOWER": {"IN": ["cat", "dog"]}}]],
        "attrs": {"POS": "NOUN"},
        "index": 1,
    },
    {
        "patterns": [[{"LOWER": {"NOT_IN": ["the", "a"]}, "IS_SPACE": False}]],
        "attrs": {"TAG": "XX"},
    },
    {"patterns": [[{"LOWER": "dog"}]], "attrs": {"TAG": "NN", "MORPH": "Number=Sing"}},
]


def test_a_ruler_of_equality_in_not_in_and_regex_patterns_is_reproduced():
    """Later patterns win, as in spaCy: "dog" is tagged NN though every word but "the"
    and "a" is first tagged XX; the second token of "the cat" becomes a noun."""
    text = "The dog didn't bark; the cat can't sleep and a bird won't  sing."
    stock, kg = ruler_pipeline(RULES), ruler_pipeline(RULES)
    assert memo.install(kg) == ["attribute_ruler"]
    assert isinstance(kg.get_pipe("attribute_ruler"), memo.MemoAttributeRuler)
    a, b = stock(text), kg(text)
    assert [(t.tag_, t.pos_, str(t.morph), t.lemma_) for t in a] == [
        (t.tag_, t.pos_, str(t.morph), t.lemma_) for t in b
    ]
    assert [t.tag_ for t in b][:2] == ["", "NN"] and b[7].pos_ == "NOUN" and b[3].lemma_ == "not"


@pytest.mark.parametrize(
    "pattern",
    [
        [{"LENGTH": 3}],  # an attribute it does not read
        [{"LOWER": "a", "OP": "+"}],  # an operator
        [{"LOWER": {"FUZZY": "dog"}}],  # a predicate other than =, IN, NOT_IN, REGEX
    ],
)
def test_a_pattern_it_cannot_reproduce_leaves_the_stock_ruler(pattern):
    nlp = ruler_pipeline([{"patterns": [pattern], "attrs": {"TAG": "XX"}}])
    stock = nlp.get_pipe("attribute_ruler")
    assert memo.install(nlp) == []
    assert nlp.get_pipe("attribute_ruler") is stock
