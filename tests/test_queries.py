"""The named queries in queries/, run on the seeds' graph: each answers what a reader of the articles would."""

from __future__ import annotations

import json

import pytest

from kg.errors import KgError
from kg.outputs.query import available_queries, load_query, run_query
from kg.rdf.store import KgStore

from .conftest import SEEDS, kg
from .test_push import virtuoso  # noqa: F401  (a throwaway Virtuoso on 127.0.0.1)


@pytest.fixture(scope="module")
def ask(seed_build):
    store = KgStore(seed_build, read_only=True)

    def run(name: str, **params: str) -> list[dict]:
        columns, rows = run_query(store, load_query(name), params)
        return [dict(zip(columns, row)) for row in rows]

    return run


def test_every_named_query_is_shipped_and_described():
    names = set(available_queries())
    assert {
        "who-said-what",
        "quotes-by-speaker",
        "quotes-about-topic",
        "speakers-on-topic",
        "who-spoke-to-whom",
        "relayed-by",
        "statements-reported-by-several-articles",
        "speaker-timeline",
    } <= names
    for name in names:
        assert load_query(name).description, name


def test_quotes_by_speaker_accepts_an_alias_and_points_at_the_words(ask):
    rows = ask("quotes-by-speaker", speaker="Blinken")
    assert rows and {r["who"] for r in rows} == {"Antony Blinken"}
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.iterdir()}
    for row in rows:
        assert texts[row["doc"]][int(row["start"]) : int(row["end"])] == row["quote"]


def test_a_required_parameter_must_be_given(ask):
    with pytest.raises(KgError, match="needs --param speaker"):
        ask("quotes-by-speaker")


def test_quotes_about_international_relations_are_mostly_qin_gangs(ask):
    rows = ask("quotes-about-topic", topic="international relations")
    assert sum(r["who"] == "Qin Gang" for r in rows) >= 3
    # the qcode names the same concept
    assert ask("quotes-about-topic", topic="medtop:20000638") == rows


def test_speakers_on_topic_ranks_the_most_frequent_speaker_first(ask):
    rows = ask("speakers-on-topic", topic="International relations")
    assert rows[0]["who"] == "Qin Gang"
    assert [int(r["quotes"]) for r in rows] == sorted(
        (int(r["quotes"]) for r in rows), reverse=True
    )
    assert {r["topicLabel"] for r in rows} == {"International relations"}


def test_who_spoke_to_whom_has_the_two_ministers(ask):
    pairs = {(r["who"], r["addressee"]) for r in ask("who-spoke-to-whom")}
    assert ("Qin Gang", "Antony Blinken") in pairs
    only_qin = {r["who"] for r in ask("who-spoke-to-whom", speaker="qin gang")}
    assert only_qin == {"Qin Gang"}


def test_relayed_by_the_state_broadcaster(ask):
    rows = ask("relayed-by", via="CCTV")
    assert rows and all("cctv" in r["relayer"].lower() for r in rows)
    assert {r["who"] for r in rows} == {"Qin Gang"}


def test_statements_reported_by_several_articles(ask):
    rows = ask("statements-reported-by-several-articles")
    assert rows and all(int(r["articles"]) >= 2 for r in rows)
    assert any(
        r["who"] == "Qin Gang" and "Taiwan" in r["example"] and int(r["articles"]) >= 3
        for r in rows
    )
    at_least_four = ask("statements-reported-by-several-articles", minimum="4")
    assert at_least_four and len(at_least_four) < len(rows)
    assert all(int(r["articles"]) >= 4 for r in at_least_four)


def test_speaker_timeline_is_in_date_order_with_undated_last(ask):
    rows = ask("speaker-timeline", speaker="Biden")
    assert rows and {r["who"] for r in rows} == {"Joe Biden"}
    dates = [r["date"] for r in rows]
    dated = [d for d in dates if d]
    assert dated == sorted(dated) and dates == dated + [""] * (len(dates) - len(dated))


NAME_PARAMS = ("speaker", "topic", "via")


@pytest.mark.parametrize(
    "name", sorted(n for n in available_queries() if set(load_query(n).params) & set(NAME_PARAMS))
)
def test_no_parameter_value_escapes_its_term(ask, name):
    payload = 'x" } ; DROP ALL ; #'
    values = {p: payload for p in load_query(name).params if p in NAME_PARAMS}
    assert ask(name, **values) == []
    assert ask("who-said-what")


def test_an_alias_file_names_people_and_links_wikidata(tmp_path):
    aliases = tmp_path / "people.toml"
    aliases.write_text(
        '[[person]]\nname = "Antony Blinken"\naliases = ["Tony Blinken"]\nwikidata = "Q4109573"\n',
        "utf-8",
    )
    source = tmp_path / "in"
    source.mkdir()
    seed = sorted(SEEDS.iterdir())[0]
    (source / seed.name).write_text(seed.read_text("utf-8"), "utf-8")
    kg("build", str(source), "--out", str(tmp_path / "out"), "--aliases", str(aliases), "--quiet")
    rows = json.loads(
        kg(
            "query",
            "quotes-by-speaker",
            "--store",
            str(tmp_path / "out"),
            "--param",
            "speaker=tony blinken",
            "--format",
            "json",
        ).stdout
    )
    assert rows and {r["who"] for r in rows} == {"Antony Blinken"}
    same = kg(
        "query",
        "SELECT ?id WHERE { ?a schema:name 'Antony Blinken' ; owl:sameAs ?id }",
        "--store",
        str(tmp_path / "out"),
        "--format",
        "json",
    ).stdout
    assert {r["id"] for r in json.loads(same)} == {"http://www.wikidata.org/entity/Q4109573"}


# -- the same files, unchanged, on three SPARQL engines ------------------------------------
# (corpus, query, parameters): "seeds" is seeds/; "conflicts" is CONFLICT_ARTICLES below,
# because the seeds give no statement to two different speakers.
CROSS_ENGINE_PARAMS = [
    ("seeds", "who-said-what", {}),
    ("seeds", "who-said-what", {"speaker": "Blinken"}),
    ("seeds", "who-said-what", {"speaker": "qin gang", "topic": "International relations"}),
    ("seeds", "who-said-what", {"topic": "politics"}),
    ("seeds", "quotes-by-speaker", {"speaker": "Antony Blinken"}),
    ("seeds", "quotes-about-topic", {"topic": "medtop:20000638"}),
    ("seeds", "speakers-on-topic", {}),
    ("seeds", "speakers-on-topic", {"topic": "politics"}),
    ("seeds", "who-spoke-to-whom", {}),
    ("seeds", "who-spoke-to-whom", {"speaker": "Qin Gang"}),
    ("seeds", "relayed-by", {}),
    ("seeds", "relayed-by", {"via": "cctv"}),
    ("seeds", "statements-reported-by-several-articles", {}),
    ("seeds", "statements-reported-by-several-articles", {"minimum": "4"}),
    ("seeds", "speaker-timeline", {}),
    ("seeds", "speaker-timeline", {"speaker": "Biden"}),
    ("conflicts", "conflicting-attributions", {}),
    ("conflicts", "conflicting-attributions", {"speaker": "tomas brandt"}),
    ("conflicts", "who-said-what", {}),
]
# Made-up local news: the dock sentence is given to the port director by one article and
# to the council treasurer by another; the ferry quote is the director's alone.
CONFLICT_ARTICLES = {
    "dock-monday.txt": "date 2024-04-02\nHARBOUR CITY \u2014 Port director Ines Valdez said on "
    'Monday that "the new dock will open before the summer season if the cranes arrive on '
    'schedule," speaking at the quay.\n',
    "dock-council.txt": 'date 2024-04-03\n"The new dock will open before the summer season if '
    'the cranes arrive on schedule," council treasurer Tomas Brandt said on Tuesday.\n',
    "ferry.txt": "date 2024-04-04\nInes Valdez told the board: "
    '"Ferry fares will stay the same for another year."\n',
}
# the pair each conflicting-attributions row must name, as (who, otherWho)
CONFLICT_PAIRS = {
    (): [("Ines Valdez", "Tomas Brandt")],
    ("speaker",): [("Tomas Brandt", "Ines Valdez")],
}


def test_every_query_file_runs_on_three_engines():
    """A new query file must join CROSS_ENGINE_PARAMS, on a corpus where it finds rows."""
    assert {name for _, name, _ in CROSS_ENGINE_PARAMS} == set(available_queries())


def _canonical(columns: list[str], rows: list[dict]) -> list[tuple]:
    """Rows as comparable tuples: term values, the parts of a GROUP_CONCAT sorted (its
    order is not defined by SPARQL), sorted as a multiset."""

    def cell(column: str, value: str) -> str:
        return ", ".join(sorted(value.split(", "))) if column == "docs" else value

    return sorted(tuple(cell(c, row.get(c, "")) for c in columns) for row in rows)


def test_every_query_file_is_standalone_sparql(seed_build):
    """No kg-only syntax is left: each file parses as SPARQL 1.1 with no predeclared prefixes."""
    import pyoxigraph as ox

    empty = ox.Store()
    for name, path in available_queries().items():
        text = path.read_text(encoding="utf-8")
        assert "# values" not in text and "# if:" not in text, name
        empty.query(text)  # raises SyntaxError on an undeclared prefix


@pytest.fixture(scope="module")
def conflict_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("conflicts")
    docs = folder / "docs"
    docs.mkdir()
    for name, text in CONFLICT_ARTICLES.items():
        (docs / name).write_text(text, encoding="utf-8")
    kg("build", str(docs), "--out", str(folder / "out"), "--quiet")
    return folder / "out"


@pytest.fixture(scope="module")
def engines(seed_build, conflict_build, virtuoso):  # noqa: F811
    """corpus -> {engine: run}: SPARQL text run on that corpus's graph in Oxigraph, rdflib
    and Virtuoso. Virtuoso holds one corpus at a time: asking for another drops the graphs
    of the one it holds and pushes the new one's."""
    import urllib.error
    import urllib.parse
    import urllib.request

    import rdflib

    builds = {"seeds": seed_build, "conflicts": conflict_build}
    held: dict[str, set[str]] = {}  # the corpus Virtuoso holds -> its graph IRIs
    made: dict[str, dict] = {}

    def post(form: dict[str, str], accept: str) -> bytes:
        request = urllib.request.Request(
            virtuoso + "/sparql",
            data=urllib.parse.urlencode(form).encode(),
            headers={"Accept": accept},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"Virtuoso refused: {exc.read()[:500]!r}") from None

    def hold(corpus: str) -> None:
        if corpus in held:
            return
        for graphs in held.values():
            for graph in sorted(graphs):
                post({"query": f"DROP SILENT GRAPH <{graph}>"}, "text/plain")
        held.clear()
        store = KgStore(builds[corpus], read_only=True)
        kg(
            "push",
            "--store",
            str(builds[corpus]),
            "--endpoint",
            virtuoso + "/sparql-graph-crud",
            "--per-article",
        )
        held[corpus] = store.article_graphs()

    def for_corpus(corpus: str) -> dict:
        if corpus in made:
            return made[corpus]
        store = KgStore(builds[corpus], read_only=True)
        dataset = rdflib.Dataset()
        dataset.parse(data=store.dump_nquads(), format="nquads")

        def oxigraph(text: str) -> tuple[list[str], list[dict]]:
            result = store.store.query(text)
            columns = [v.value for v in result.variables]
            rows = [{c: s[c].value for c in columns if s[c] is not None} for s in result]
            return columns, rows

        def with_rdflib(text: str) -> tuple[list[str], list[dict]]:
            result = dataset.query(text)
            columns = [str(v) for v in result.vars]
            return columns, [
                {c: str(row[c]) for c in columns if row[c] is not None} for row in result
            ]

        def with_virtuoso(text: str) -> tuple[list[str], list[dict]]:
            hold(corpus)
            data = json.loads(post({"query": text}, "application/sparql-results+json"))
            rows = [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]
            return data["head"]["vars"], rows

        made[corpus] = {"oxigraph": oxigraph, "rdflib": with_rdflib, "virtuoso": with_virtuoso}
        return made[corpus]

    return for_corpus


@pytest.mark.slow
@pytest.mark.parametrize(("corpus", "name", "params"), CROSS_ENGINE_PARAMS, ids=lambda p: str(p))
def test_a_query_file_gives_the_same_rows_on_oxigraph_rdflib_and_virtuoso(
    engines, corpus, name, params
):
    from kg.outputs.query import bind

    text = bind(load_query(name), params)
    answers = {engine: run(text) for engine, run in engines(corpus).items()}
    columns, rows = answers["oxigraph"]
    assert rows, f"{name} {params} found nothing on the {corpus}"
    if name == "conflicting-attributions":
        pairs = sorted({(r["who"], r["otherWho"]) for r in rows})
        assert pairs == CONFLICT_PAIRS[tuple(params)], pairs
    for engine, (their_columns, their_rows) in answers.items():
        assert their_columns == columns, engine
        theirs, ours = _canonical(columns, their_rows), _canonical(columns, rows)
        if "SELECT DISTINCT" in text:
            # a DISTINCT answer is a set; Virtuoso 7 repeats some rows of a DISTINCT whose
            # filter has an EXISTS inside an OR
            theirs, ours = sorted(set(theirs)), sorted(set(ours))
        assert theirs == ours, (
            f"{engine} differs from oxigraph: only there {sorted(set(theirs) - set(ours))[:3]},"
            f" only in oxigraph {sorted(set(ours) - set(theirs))[:3]}"
        )
