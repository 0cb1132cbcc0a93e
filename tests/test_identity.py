"""One identity per person across a built corpus: a query by any spelling finds the same
rows in every article, unknown names get "did you mean", merges are auditable, and a
statement two articles give to different speakers is flagged."""

from __future__ import annotations

import json

import pytest
import rdflib

from kg.outputs.query import agents_named, load_query, run_query, unknown_name
from kg.rdf.store import KgStore

from .conftest import ROOT, build_articles, kg

# Made-up stories about public figures; one is told twice with different speakers.
ARTICLES = {
    "kyiv-monday.txt": "date 2024-03-02\nKYIV — Volodymyr Zelenskyy said on Monday that "
    '"the front will hold through the winter if the air defence arrives in time," '
    "speaking to reporters in the capital.\n",
    "schools.txt": "date 2024-03-03\nZelenskiy told lawmakers: "
    '"We will rebuild every school that was destroyed in the east."\n',
    "grain.txt": 'date 2024-03-04\n"Grain exports will resume next month through the '
    "southern ports,\" Ukraine's Volodymyr Zelenskyy said.\n",
    "defence.txt": 'date 2024-03-05\n"The front will hold through the winter if the air '
    'defence arrives in time," Defence Minister Olena Marchuk said on Tuesday.\n',
    "carrier.txt": 'date 2024-03-06\nJohn F. Kirby said "the carrier group will stay in the '
    'region until the end of the month."\n',
    "briefing.txt": '"Nobody wants a wider war in the region," John Kirby told reporters on Friday.\n',
}
SPELLINGS = [
    "Volodymyr Zelenskyy",
    "Zelenskyy",
    "Zelenskiy",
    "Zelensky",
    "ZELENSKYY",
    "Ukraine's Volodymyr Zelenskyy",
    "President Volodymyr Zelensky",
    "volodymyr zelenskiy",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_articles(tmp_path_factory.mktemp("identity"), ARTICLES)


def _rows(out, *args: str) -> list[dict]:
    result = kg("query", *args, "--store", str(out), "--format", "json")
    return json.loads(result.stdout)


def test_every_spelling_finds_the_same_rows_in_every_article(built):
    expected = _rows(built, "quotes-by-speaker", "--param", "speaker=Volodymyr Zelenskyy")
    assert {r["doc"] for r in expected} == {"kyiv-monday.txt", "schools.txt", "grain.txt"}
    assert {r["who"] for r in expected} == {"Volodymyr Zelenskyy"}
    store = KgStore(built, read_only=True)
    for spelling in SPELLINGS:
        columns, rows = run_query(store, load_query("quotes-by-speaker"), {"speaker": spelling})
        assert [dict(zip(columns, row)) for row in rows] == expected, spelling


@pytest.mark.parametrize(
    "spelling", ["John Kirby", "John F. Kirby", "Kirby", "J. Kirby", "Mr Kirby"]
)
def test_a_middle_initial_or_a_title_does_not_hide_anyone(built, spelling):
    store = KgStore(built, read_only=True)
    assert agents_named(store, spelling) == ["John F. Kirby"]
    columns, rows = run_query(store, load_query("quotes-by-speaker"), {"speaker": spelling})
    assert {row[columns.index("doc")] for row in rows} == {"carrier.txt", "briefing.txt"}


def test_every_article_graph_states_every_spelling(built):
    store = KgStore(built, read_only=True)
    rows = store.query(
        """SELECT ?g (GROUP_CONCAT(?alt; separator="|") AS ?alts) WHERE { GRAPH ?g {
             ?a schema:name "Volodymyr Zelenskyy" ; schema:alternateName ?alt } } GROUP BY ?g"""
    )
    spellings = {r["g"].value: set(r["alts"].value.split("|")) for r in rows}
    assert len(spellings) == 3
    assert len({frozenset(s) for s in spellings.values()}) == 1  # the same in each
    assert {"Zelenskiy", "Ukraine's Volodymyr Zelenskyy"} <= next(iter(spellings.values()))


def test_each_merge_is_explained_in_the_graph_and_the_report(built):
    store = KgStore(built, read_only=True)
    rules = {
        (r["spelling"].value, r["rule"].value)
        for r in store.query(
            """SELECT DISTINCT ?spelling ?rule WHERE { GRAPH ?g {
                 ?a schema:name "Volodymyr Zelenskyy" ; kg:nameMerge ?m .
                 ?m a kg:NameMerge ; kg:spelling ?spelling ; kg:rule ?rule } }"""
        )
    }
    assert ("Zelenskiy", "surname-spelling") in rules
    assert ("Ukraine's Volodymyr Zelenskyy", "prefix") in rules
    report = json.loads((built / "report.json").read_text("utf-8"))
    kirby = next(p for p in report["people"] if p["agent"] == "John F. Kirby")
    assert kirby["spellings"] == [{"spelling": "John Kirby", "rules": ["middle-name"]}]


def test_an_unknown_speaker_gets_did_you_mean_and_a_non_zero_exit(built):
    result = kg(
        "query",
        "quotes-by-speaker",
        "--store",
        str(built),
        "--param",
        "speaker=Zelenksy",
        check=False,
    )
    assert result.returncode != 0
    assert (
        "no speaker 'Zelenksy'" in result.stderr
        and "did you mean Volodymyr Zelenskyy" in result.stderr
    )
    far = unknown_name(KgStore(built, read_only=True), "Xavier Quist")
    assert far is not None and "did you mean" not in far
    assert unknown_name(KgStore(built, read_only=True), "Zelenskiy") is None


def test_a_known_speaker_with_nothing_to_show_is_an_empty_answer(built):
    result = kg(
        "query",
        "who-said-what",
        "--store",
        str(built),
        "--param",
        "speaker=Kirby",
        "--param",
        "topic=no such topic at all",
    )
    assert "(0 rows)" in result.stdout


def test_the_page_for_one_speaker_takes_any_spelling_and_refuses_an_unknown_one(built, tmp_path):
    page = tmp_path / "page.html"
    result = kg("html", "--store", str(built), "-o", str(page), "--speaker", "President Zelensky")
    assert page.is_file() and "(0 nodes)" not in result.stderr
    missing = tmp_path / "none.html"
    result = kg(
        "html", "--store", str(built), "-o", str(missing), "--speaker", "Zelenksy", check=False
    )
    assert result.returncode != 0 and "did you mean Volodymyr Zelenskyy" in result.stderr
    assert not missing.exists()


def test_conflicting_attributions_are_in_the_graph_the_query_stats_and_report(built):
    rows = _rows(built, "conflicting-attributions")
    assert [(r["who"], r["otherWho"]) for r in rows] == [("Olena Marchuk", "Volodymyr Zelenskyy")]
    assert {r["doc"] for r in rows} | {r["otherDoc"] for r in rows} == {
        "defence.txt",
        "kyiv-monday.txt",
    }
    # asked for one side, that side comes first
    rows = _rows(built, "conflicting-attributions", "--param", "speaker=Zelenskiy")
    assert [(r["who"], r["otherWho"]) for r in rows] == [("Volodymyr Zelenskyy", "Olena Marchuk")]
    stats = kg("stats", "--store", str(built)).stdout
    assert "Conflicting attributions (1):" in stats and "Olena Marchuk (defence.txt)" in stats
    report = json.loads((built / "report.json").read_text("utf-8"))
    [conflict] = report["conflicting_attributions"]
    assert conflict["speakers"] == ["Olena Marchuk", "Volodymyr Zelenskyy"]
    assert {d for side in conflict["sides"] for d in side["docs"]} == {
        "defence.txt",
        "kyiv-monday.txt",
    }


def test_the_identity_graph_conforms_to_the_shacl_shapes(built):
    import pyshacl

    data = rdflib.Graph().parse(data=KgStore(built, read_only=True).sorted_ntriples(), format="nt")
    shapes = rdflib.Graph().parse(ROOT / "kg" / "shapes.ttl", format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    assert conforms, text
