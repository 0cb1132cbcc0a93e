"""A name finds its person however it is typed: surname first or last, by the one word
the articles use alone, or by a variant the merge rules accept (a nickname, a middle
name, a title); and "did you mean" offers only named speakers, alike everywhere."""

from __future__ import annotations

import json

import pytest

from kg.names import name_keys, names_agree, query_keys, surname_first_word
from kg.outputs.pagedata import UnknownSpeaker, read_page_data
from kg.outputs.query import agents_named, load_query, run_query, unknown_name
from kg.rdf.store import KgStore
from kg.resolve.people import explain
from kg.resolve.reduce import is_spelling_of

from .conftest import build_articles, kg

# Made-up local news: a minister written surname first, a harbour master and a
# councillor of one surname, a governor, a mill owner one letter from the minister.
ARTICLES = {
    "harbour.txt": "date 2025-04-02\nForeign Minister Zhou Wenbo said on Tuesday that "
    '"the harbour agreement will be signed before the summer recess." Zhou told '
    'reporters in the capital that "both delegations have agreed on the text."\n',
    "ferry.txt": 'date 2025-04-03\n"The ferry timetable will return to normal next week," '
    'Anthony Marsh, the harbour master, said. "We thank Kirsten Vallance for her patience '
    'with the repairs," Marsh added.\n',
    "council.txt": 'date 2025-04-04\nGovernor Katherine Doyle said the council "will publish '
    'every invoice from the bridge project by Friday." Brian Marsh, a councillor, said "the '
    'figures must be checked by an outside auditor first."\n',
    "mill.txt": 'date 2025-04-05\nZhao Wenbo, who runs the paper mill, said "the new boilers '
    'cut our coal use by a third." Officials said "the inspection found no fault with the '
    'boilers."\n',
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_articles(tmp_path_factory.mktemp("variants"), ARTICLES)


def _who(out, speaker: str) -> set[str]:
    store = KgStore(out, read_only=True)
    columns, rows = run_query(store, load_query("quotes-by-speaker"), {"speaker": speaker})
    return {row[columns.index("who")] for row in rows}


# -- 1. surname first -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, word, finds",
    [
        # surname first: the first word is no known given name, so it finds the person
        ("Zhou Wenbo", "Zhou", True),
        ("Foreign Minister Zhou Wenbo", "Zhou", True),
        ("Park Minseo", "Park", True),
        # surname last: the given name alone does not
        ("Katherine Doyle", "Katherine", False),
        ("Anthony Marsh", "Anthony", False),
        # and the last word always does, in either order
        ("Zhou Wenbo", "Wenbo", True),
        ("Katherine Doyle", "Doyle", True),
        # a middle name or initial keeps a name from being read surname first
        ("John Q. Public", "John", False),
    ],
)
def test_a_two_word_name_is_found_by_its_surname_in_either_order(name, word, finds):
    assert (query_keys(word)[0] in name_keys(name)) is finds


def test_the_first_word_counts_as_a_surname_only_when_it_is_no_given_name():
    from kg.names import parse_name

    assert surname_first_word(parse_name("Zhou Wenbo")) == "zhou"
    assert surname_first_word(parse_name("Maria Keller")) is None
    assert surname_first_word(parse_name("Zhou")) is None


def test_a_word_an_article_uses_alone_for_a_person_is_one_of_their_spellings():
    assert is_spelling_of("Zhou", "Zhou Wenbo")
    assert is_spelling_of("Kim", "Kim Jong Un")
    assert explain("Zhou", "Zhou Wenbo") == ("name-word",)
    # never another word, nor another person's surname
    assert not is_spelling_of("Zhao", "Zhou Wenbo")
    assert not is_spelling_of("Marsh", "Katherine Doyle")


def test_a_surname_first_name_is_found_by_each_order_and_by_its_surname_alone(built):
    for typed in ("Zhou", "Zhou Wenbo", "Wenbo Zhou", "Minister Zhou", "zhou wenbo"):
        assert _who(built, typed) == {"Zhou Wenbo"}, typed
    store = KgStore(built, read_only=True)
    spelt = {
        r["alt"].value
        for r in store.query(
            'SELECT ?alt WHERE { GRAPH ?g { ?a schema:name "Zhou Wenbo" ; schema:alternateName ?alt } }'
        )
    }
    assert "Zhou" in spelt  # the article's own word for him is an alternate name


def test_near_misses_stay_apart_when_typed(built):
    assert _who(built, "Zhao") == {"Zhao Wenbo"}
    assert _who(built, "Zhao Wenbo") == {"Zhao Wenbo"}
    assert agents_named(KgStore(built, read_only=True), "Chen Wenbo") == []


def test_on_the_seeds_the_surname_written_first_finds_the_person(seed_build):
    store = KgStore(seed_build, read_only=True)
    query = load_query("quotes-by-speaker")
    for short, full in (("Qin", "Qin Gang"), ("Wang", "Wang Yi")):
        columns, rows = run_query(store, query, {"speaker": short})
        _, expected = run_query(store, query, {"speaker": full})
        assert rows and rows == expected, short
        assert {row[columns.index("who")] for row in rows} == {full}
    result = kg("query", "quotes-by-speaker", "--store", str(seed_build), "--param", "speaker=Qin")
    assert "Qin Gang" in result.stdout


# -- 2. a variant the corpus never wrote ------------------------------------------------------
@pytest.mark.parametrize(
    "typed, spelling, agree",
    [
        ("Tony Marsh", "Anthony Marsh", True),  # a nickname
        ("Anthony R. Marsh", "Anthony Marsh", True),  # a middle initial
        ("Katherine Elspeth Doyle", "Katherine Doyle", True),  # a middle name
        ("Kate Doyle", "Katherine Doyle", True),
        ("Governor Doyle", "Katherine Doyle", False),  # no given name: matched by its key
        ("Wenbo Zhou", "Zhou Wenbo", True),  # the other order
        ("Tony Marsh", "Brian Marsh", False),
        ("Zhao Wenbo", "Zhou Wenbo", False),
        ("Katherine Doyle Jr.", "Katherine Doyle", False),
    ],
)
def test_the_merge_rules_decide_what_a_typed_name_finds(typed, spelling, agree):
    assert names_agree(typed, spelling) is agree


@pytest.mark.parametrize(
    "typed, who",
    [
        ("Tony Marsh", {"Anthony Marsh"}),
        ("Anthony R. Marsh", {"Anthony Marsh"}),
        ("Mr Anthony Marsh", {"Anthony Marsh"}),
        ("Marsh", {"Anthony Marsh", "Brian Marsh"}),
        ("Katherine Elspeth Doyle", {"Katherine Doyle"}),
        ("Kate Doyle", {"Katherine Doyle"}),
    ],
)
def test_a_variant_nobody_wrote_finds_the_person_in_query_and_page(built, typed, who):
    assert _who(built, typed) == who
    page = read_page_data(KgStore(built, read_only=True), speaker=typed)
    assert {page.agents[q.speaker].name for q in page.quotes} == who


def test_a_variant_finds_the_person_on_the_command_line_and_in_the_graph_page(built, tmp_path):
    rows = json.loads(
        kg(
            "query",
            "who-said-what",
            "--store",
            str(built),
            "--param",
            "speaker=Tony Marsh",
            "--format",
            "json",
        ).stdout
    )
    assert {r["who"] for r in rows} == {"Anthony Marsh"} and len(rows) == 2
    page = tmp_path / "marsh.html"
    kg("html", "--store", str(built), "-o", str(page), "--speaker", "Tony Marsh")
    assert "Anthony Marsh" in page.read_text("utf-8")


# -- 3. did you mean: named speakers only, the same everywhere ---------------------------------
def test_did_you_mean_offers_named_speakers_never_a_name_only_mentioned(built):
    store = KgStore(built, read_only=True)
    # Kirsten Vallance is only thanked in a quotation; "Officials" is an unnamed source
    message = unknown_name(store, "Kirstin Valence")
    assert message is not None and "Vallance" not in message
    message = unknown_name(store, "Marshe")
    assert message is not None and "did you mean Anthony Marsh, Brian Marsh?" in message


@pytest.mark.parametrize("typed", ["Marshe", "Katerine Doil", "Zhuo Wenbu", "Kirstin Valence"])
def test_the_command_line_and_the_page_suggest_the_same_names(built, typed):
    store = KgStore(built, read_only=True)
    message = unknown_name(store, typed) or ""
    with pytest.raises(UnknownSpeaker) as raised:
        read_page_data(store, speaker=typed)
    offered = raised.value.suggestions
    if offered:
        assert message.endswith(f"did you mean {', '.join(offered)}?")
    else:
        assert "did you mean" not in message
