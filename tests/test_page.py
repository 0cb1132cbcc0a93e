"""The graph page's data and builder, without a browser: what the store gives the page,
the sentence around a quote, unnamed sources, "did you mean", the layout, `kg html`."""

from __future__ import annotations

import json
import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.corpus import ArticleInfo
from kg.extract import Quote, Speaker, Topic
from kg.outputs.html import (
    build_page,
    drawn_summary,
    layout,
    page_model,
    render_page,
    script_json,
    speaker_graph,
    vis_assets,
    write_page,
    write_script_json,
)
from kg.outputs.pagedata import (
    PageData,
    UnknownSpeaker,
    is_unnamed,
    read_page_data,
    sentence_around,
    suggest_speakers,
)
from kg.rdf.store import KgStore
from kg.rdf.triples import agent_iri, article_triples, graph_iri, quote_iri

from .conftest import kg

TOPIC = "https://kg.example.org/topic/"

SEED_SPEAKERS = {"Qin Gang", "Joe Biden", "Matthew Miller", "Antony Blinken", "Danny Russell"}


def page_json(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert found, "the page carries its data in one JSON script element"
    return json.loads(found.group(1))


def store_of(articles: list[tuple[ArticleInfo, list[Quote]]], extra: str = "") -> KgStore:
    """An in-memory store of these articles; `extra` N-Triples go into the first graph."""
    store = KgStore(None)
    graphs = {}
    for info, quotes in articles:
        graphs[str(graph_iri(info.id))] = article_triples(info, quotes).serialize(format="nt")
    if extra:
        first = str(graph_iri(articles[0][0].id))
        graphs[first] += extra
    store.replace_graphs(graphs)
    return store


def article(text: str, number: int = 1, **meta) -> ArticleInfo:
    return ArticleInfo(
        f"{number:016x}", f"a{number}.txt", f"a{number}.txt", len(text), text=text, **meta
    )


def quote(info: ArticleInfo, words: str, speaker: str, kind: str = "person", **more) -> Quote:
    start = info.text.index(words)
    return Quote(
        info.doc,
        info.id,
        start,
        start + len(words),
        words,
        more.pop("quote_kind", "direct"),
        Speaker(speaker, speaker, kind),
        **more,
    )


# -- the sentence around a quote ------------------------------------------------------------
def test_sentence_around_stops_at_sentence_ends_but_not_abbreviations():
    text = (
        "The talks ended late.\nDr. Ana Ruiz of the U.S. team said the plan "
        '"will hold for now." Others disagreed! Nobody left.'
    )
    start = text.index("will hold")
    before, after = sentence_around(text, start, start + len("will hold for now."))
    assert before == 'Dr. Ana Ruiz of the U.S. team said the plan "'
    assert after == '"'


def test_sentence_around_spans_every_sentence_the_quote_touches():
    text = 'Intro here. He said: "One thing. Another thing." Then silence.'
    start = text.index("One")
    end = text.index('thing."') + len("thing.")
    assert sentence_around(text, start, end) == ('He said: "', '"')


def test_sentence_around_a_lower_case_continuation_is_one_sentence():
    text = "Earlier. At 5 p.m. Lee said it was fine. e.g. nothing else"
    start = text.index("it was fine")
    assert sentence_around(text, start, start + 11) == (
        "At 5 p.m. Lee said ",
        ". e.g. nothing else",
    )


def test_sentence_around_bounds_long_sentences_and_bad_offsets():
    text = "word " * 400 + "the quoted words" + " more" * 400
    start = text.index("the quoted")
    before, after = sentence_around(text, start, start + 16, limit=50)
    assert before.startswith("…") and len(before) <= 51
    assert after.endswith("…") and len(after) <= 51
    assert sentence_around("short", 3, 99) == ("", "")
    assert sentence_around("short", -1, 2) == ("", "")
    assert sentence_around("", 0, 0) == ("", "")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.data())
def test_sentence_around_is_always_a_slice_next_to_the_quote(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    before, after = sentence_around(text, start, end, limit=80)
    core_before = before[1:] if before.startswith("…") else before
    core_after = after[:-1] if after.endswith("…") else after
    assert text[:start].endswith(core_before)
    assert text[end:].startswith(core_after)
    assert len(core_before) <= 81 and len(core_after) <= 81
    assert "\n" not in core_before and "\n" not in core_after


# -- unnamed sources and names --------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "a senior official",
        "A senior US official",
        "officials",
        "Officials",
        "people",
        "They",
        "Two diplomats",
        "an adviser",
        "Sources",
        "spokesperson",
    ],
)
def test_descriptions_are_unnamed_sources(name):
    assert is_unnamed(name)


@pytest.mark.parametrize(
    "name",
    ["Qin Gang", "The White House", "Chinese state media", "Washington", "CCTV", "Officials Union"],
)
def test_names_are_not_unnamed(name):
    assert not is_unnamed(name)


def test_suggestions_offer_each_person_once_by_their_canonical_name():
    spellings = {"Qin Gang": "Qin Gang", "Qin": "Qin Gang", "Chen Gang": "Chen Gang"}
    assert suggest_speakers("Qin Gan", spellings) == ["Qin Gang"]
    assert sorted(suggest_speakers("Gang", spellings)) == ["Chen Gang", "Qin Gang"]
    assert suggest_speakers("zzzz", spellings) == []


# -- what the store gives the page ------------------------------------------------------------
def test_seed_page_data_carries_provenance_and_sentences(seed_build):
    data = read_page_data(KgStore(seed_build, read_only=True))
    assert len(data.quotes) >= 45, "the seeds have about 50 quotes"
    names = {a.name for a in data.agents.values()}
    assert names >= SEED_SPEAKERS
    with_context = [q for q in data.quotes if q.before or q.after]
    assert len(with_context) > 25, "most quotes sit inside a longer sentence"
    for q in data.quotes:
        source = data.articles[q.article]
        assert source.doc.endswith(".txt")
        assert q.speaker in data.agents
        assert all(t in data.topics for t in q.topics)
        assert "\n" not in q.before and "\n" not in q.after
    assert any(data.articles[q.article].date for q in data.quotes)
    # the people, places and organisations the quotes name, apart from their topics
    kinds = {m.kind for m in data.mentions.values()}
    assert data.mentions and kinds <= {"person", "place", "organization"} and "place" in kinds
    topic_labels = {t.label for t in data.topics.values()}
    assert not topic_labels & {m.label for m in data.mentions.values()}


def test_page_data_reads_title_outlet_url_mentions_and_kinds():
    text = 'Budget day. Mayor Ann Lee said "the budget is balanced" to reporters. More later.'
    info = article(
        text,
        title="Budget passes",
        url="https://news.example/budget",
        date="2024-03-02",
        outlet="Town News",
    )
    q = quote(
        info,
        "the budget is balanced",
        "Ann Lee",
        cue="said",
        addressee="reporters",
        topics=[Topic(f"{TOPIC}budget", "budget", 0.9)],
        via="Town News",
        via_kind="organization",
    )
    anon_text = 'A senior official said "no comment" today.'
    info2 = article(anon_text, 2, date="2024-03-03")
    q2 = quote(info2, "no comment", "a senior official", "anonymous")
    mentions = (
        f"<https://kg.example.org/quote/{q.id}> <http://schema.org/mentions> <https://kg.example.org/agent/ben-ode> .\n"
        '<https://kg.example.org/agent/ben-ode> <http://schema.org/name> "Ben Ode" .\n'
        "<https://kg.example.org/agent/ben-ode> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/Person> .\n"
    )
    data = read_page_data(store_of([(info, [q]), (info2, [q2])], mentions))
    by_text = {r.text: r for r in data.quotes}
    record = by_text["the budget is balanced"]
    source = data.articles[record.article]
    assert (source.title, source.outlet, source.url, source.date) == (
        "Budget passes",
        "Town News",
        "https://news.example/budget",
        "2024-03-02",
    )
    assert record.cue == "said" and record.kind == "direct"
    assert record.before == 'Mayor Ann Lee said "' and record.after == '" to reporters.'
    assert data.agents[record.addressee].name == "reporters"
    assert data.agents[record.addressee].kind == "other" and data.agents[record.addressee].unnamed
    assert data.agents[record.via].kind == "organization"
    assert [data.topics[t].label for t in record.topics] == ["budget"]
    assert [data.mentions[m].label for m in record.mentions] == ["Ben Ode"]
    assert data.mentions[record.mentions[0]].kind == "person"
    anonymous = data.agents[by_text["no comment"].speaker]
    assert anonymous.kind == "anonymous" and anonymous.unnamed


class ReadsRecorded:
    """A store that records every term its queries hand out."""

    def __init__(self, store: KgStore) -> None:
        self.store, self.terms = store, set()

    def query(self, sparql: str):
        for row in self.store.query(sparql):
            self.terms.update(term.value for term in row if term is not None)
            yield row

    def article_text(self, iri: str):
        return self.store.article_text(iri)


@pytest.mark.parametrize("chunk", [1, 500])
def test_a_page_of_some_speakers_reads_only_what_it_shows(chunk, monkeypatch):
    monkeypatch.setattr("kg.outputs.pagedata.VALUES_CHUNK", chunk)
    ann = article('Mayor Ann Lee said "the budget is balanced" and "Dan Fox is right".', 1)
    budget = quote(ann, "the budget is balanced", "Ann Lee", via="Town News")
    fox = quote(ann, "Dan Fox is right", "Ann Lee", addressee="reporters")
    ben = article('Ben Ode said "no" to Carl Ray.', 2)
    dan = article('Dan Fox said "yes".', 3)
    store = store_of(
        [
            (ann, [budget, fox]),
            (ben, [quote(ben, "no", "Ben Ode", addressee="Carl Ray")]),
            (dan, [quote(dan, "yes", "Dan Fox")]),
        ],
        # Ann's quote names Dan, who is a speaker (named in his own article's graph)
        f"<{quote_iri(fox)}> <http://schema.org/mentions> <{agent_iri('Dan Fox')}> .\n",
    )
    whole = read_page_data(store)
    reads = ReadsRecorded(store)
    cut = read_page_data(reads, max_quotes=2)
    assert cut.quotes_in_store == 4
    assert cut.quotes == tuple(q for q in whole.quotes if whole.agents[q.speaker].name == "Ann Lee")
    for table in ("agents", "topics", "mentions", "articles"):
        expected = {k: v for k, v in getattr(whole, table).items() if k in getattr(cut, table)}
        assert getattr(cut, table) == expected
    assert {a.name for a in cut.agents.values()} == {"Ann Lee", "Town News", "reporters"}
    assert [m.label for m in cut.mentions.values()] == ["Dan Fox"]
    assert not {"Ben Ode", "Carl Ray", 'Ben Ode said "no" to Carl Ray.', "yes"} & reads.terms


def test_speaker_is_matched_by_any_name_and_a_miss_suggests(seed_build):
    store = KgStore(seed_build, read_only=True)
    only = read_page_data(store, speaker="qin gang")
    assert only.quotes and {only.agents[q.speaker].name for q in only.quotes} == {"Qin Gang"}
    with pytest.raises(UnknownSpeaker) as caught:
        read_page_data(store, speaker="Qin Gagn")
    assert caught.value.suggestions[0] == "Qin Gang"
    assert "did you mean Qin Gang" in str(caught.value)


# -- the page model and layout ----------------------------------------------------------------
def test_page_model_rows_refer_to_existing_entries(seed_build):
    data = read_page_data(KgStore(seed_build, read_only=True))
    model = page_model(data)
    assert len(model["quotes"]) == len(data.quotes)
    for row in model["quotes"]:
        assert 0 <= row[4] < len(model["agents"]) and 0 <= row[5] < len(model["articles"])
        assert all(0 <= t < len(model["topics"]) for t in row[8])
        assert row[6] == -1 or 0 <= row[6] < len(model["agents"])
    keys = set(model["layout"])
    assert set(speaker_graph(model)) <= keys
    assert {f"a{i}" for i in range(len(model["agents"]))} <= keys
    assert all(-3 < x < 3 and -3 < y < 3 for x, y in model["layout"].values())


def test_unnamed_sources_fold_into_one_node_per_kind():
    model = {
        "agents": [
            ["Ann", "person", 0, []],
            ["officials", "other", 1, []],
            ["people", "other", 1, []],
            ["A senior official", "anonymous", 1, []],
        ],
        "topics": ["budget"],
        "mentions": [],
        "quotes": [
            ["q1", "", "direct", "", 1, 0, -1, -1, [0], [], "", ""],
            ["q2", "", "direct", "", 2, 0, -1, -1, [0], [], "", ""],
            ["q3", "", "direct", "", 3, 0, -1, -1, [0], [], "", ""],
            ["q4", "", "direct", "", 0, 0, -1, 1, [0], [], "", ""],
        ],
    }
    assert sorted(speaker_graph(model)) == ["a0", "t0", "u:anonymous", "u:other"]
    assert graph_weight(speaker_graph(model), "u:other", "t0") == 2


def graph_weight(graph, a, b) -> int:
    return graph[a][b]["weight"]


def test_layout_is_deterministic_and_spreads_nodes(seed_build):
    data = read_page_data(KgStore(seed_build, read_only=True))
    model = page_model(data)
    assert layout(model) == layout(model) == model["layout"]
    points = {tuple(p) for p in model["layout"].values()}
    assert len(points) == len(model["layout"]), "no two nodes start on the same spot"


def test_max_nodes_is_reported_truthfully(seed_build):
    data = read_page_data(KgStore(seed_build, read_only=True))
    drawn, total = drawn_summary(page_model(data, max_nodes=10))
    assert (drawn, total) == (10, drawn_summary(page_model(data))[1])
    assert total > 10
    with pytest.raises(ValueError):
        page_model(data, max_nodes=0)
    with pytest.raises(ValueError):
        page_model(data, view="articles")


def test_page_keeps_markup_as_data_and_drops_unsafe_links():
    text = 'Intro. Eve said "</script><img src=x onerror=alert(1)>" loudly.'
    info = article(
        text, title="<b>Title</b></title><script>x()</script>", url="javascript:alert(1)"
    )
    q = quote(info, "</script><img src=x onerror=alert(1)>", "<svg onload=alert(2)>")
    page = build_page(read_page_data(store_of([(info, [q])])))
    data_text = page.split('id="kg-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_text and ">" not in data_text
    model = page_json(page)
    assert model["articles"][0][3] == "", "a javascript: url never reaches the page"
    assert model["quotes"][0][1] == "</script><img src=x onerror=alert(1)>"
    assert not re.search(r"<(script|link|img)[^>]+(src|href)\s*=", page, re.IGNORECASE)


def test_text_that_looks_like_a_slot_of_the_template_stays_text():
    words = "/*VIS_JS*/ /*DATA*/ <!--TITLE--> /*VIS_CSS*/"
    info = article(f'Intro. Eve said "{words}" loudly.', title="/*DATA*/ and /*VIS_JS*/")
    page = build_page(read_page_data(store_of([(info, [quote(info, words, "Eve Adams")])])))
    model = page_json(page)
    assert model["quotes"][0][1] == words
    assert model["articles"][0][0] == "/*DATA*/ and /*VIS_JS*/"
    js, _ = vis_assets()
    assert page.count(js[:500]) == 1, "the script is inlined once, in its own slot"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(json_values, st.integers(1, 4))
def test_json_written_in_pieces_is_the_json_in_one_piece(value, rows):
    pieces: list[str] = []
    write_script_json(value, pieces.append, rows=rows)
    assert "".join(pieces) == script_json(value)


def test_a_big_page_is_written_in_pieces_none_of_them_big(seed_build):
    model = page_model(read_page_data(KgStore(seed_build, read_only=True)))
    model["quotes"] = model["quotes"] * 400  # a few thousand rows
    pieces: list[str] = []
    write_page(model, pieces.append)
    assert "".join(pieces) == render_page(model)
    data = "".join(pieces).split('id="kg-data">', 1)[1].split("</script>", 1)[0]
    assert json.loads(data)["quotes"] == model["quotes"]
    at = pieces.index(next(p for p in pieces if p.endswith('id="kg-data">'))) + 1
    end = next(i for i in range(at, len(pieces)) if pieces[i].startswith("</script>"))
    assert "".join(pieces[at:end]) == data
    assert max(len(p) for p in pieces[at:end]) < len(data) / 10


# -- kg html ----------------------------------------------------------------------------------
def test_kg_html_options(seed_build, tmp_path):
    out = tmp_path / "page.html"
    done = kg(
        "html", "--store", str(seed_build), "-o", str(out), "--max-nodes", "12", "--view", "quotes"
    )
    model = page_json(out.read_text(encoding="utf-8"))
    assert model["view"] == "quotes" and model["maxNodes"] == 12
    assert "the 12 most quoted of" in done.stderr
    missing = kg(
        "html",
        "--store",
        str(seed_build),
        "-o",
        str(tmp_path / "x.html"),
        "--speaker",
        "Joe Bidn",
        check=False,
    )
    assert missing.returncode == 1
    assert "no speaker 'Joe Bidn'" in missing.stderr and "did you mean Joe Biden" in missing.stderr
    assert not (tmp_path / "x.html").exists()
    alias = kg("html", "--store", str(seed_build), "-o", str(out), "--speaker", "BIDEN")
    assert "12 quotes" in alias.stderr
    assert page_json(out.read_text(encoding="utf-8"))["speaker"] == "BIDEN"
    bad = kg("html", "--store", str(seed_build), "--max-nodes", "0", check=False)
    assert bad.returncode == 2 and "at least 1" in bad.stderr


def test_empty_store_gives_a_working_page(tmp_path):
    model = page_json(build_page(PageData()))
    assert model["quotes"] == [] and model["layout"] == {}


def test_the_layout_is_the_same_whatever_the_process_string_hashing():
    """Two builds of one corpus draw the same page: the layout does not follow the order
    of a set of node names, which changes with each process's string hashing."""
    import subprocess
    import sys

    program = (
        "import json; from kg.outputs.html import layout\n"
        "agents = [[f'Speaker {i}', 'person', 0, []] for i in range(40)]\n"
        "quotes = [[f'q{i}', '', 'direct', '', i, 0, -1, -1, [i % 8], [], '', '']"
        " for i in range(40)]\n"
        "model = {'agents': agents, 'topics': [f'topic {t}' for t in range(8)],"
        " 'mentions': [], 'quotes': quotes}\n"
        "print(json.dumps(layout(model), sort_keys=True))\n"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", program],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(runs) == 1 and len(json.loads(runs.pop())) == 48
