"""Cross-article resolution: one person many spellings, near misses kept apart, aliases win,
every merge explained, statements clustered exactly as a comparison of all pairs would."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import KgError
from kg.extract.model import Quote, Speaker
from kg.resolve import AliasTable, canonical_people, cluster_statements, resolve_quotes
from kg.resolve.people import resolve_people
from kg.resolve.statements import (
    content_words,
    near_duplicates,
    similar_components,
    similar_pairs,
    similarity,
)

# Names are made up or public figures' names as news writes them; none comes from an eval set.
ONE_PERSON = [
    # transliterations, a possessive prefix, a title
    [
        "Volodymyr Zelenskyy",
        "Zelenskyy",
        "Zelenskiy",
        "Zelensky",
        "Ukraine's Volodymyr Zelenskyy",
        "President Volodymyr Zelensky",
    ],
    # a middle initial, a rank
    ["John F. Kirby", "John Kirby", "Kirby", "Rear Admiral John Kirby"],
    # honorifics and offices
    ["Keir Starmer", "Sir Keir Starmer", "Starmer", "Prime Minister Keir Starmer"],
    ["Joe Biden", "President Biden", "Joseph Biden", "Mr. Biden"],
    # spelling of the given name, a nickname, the surname alone
    [
        "Antony Blinken",
        "Anthony Blinken",
        "Tony Blinken",
        "Blinken",
        "Secretary of State Antony Blinken",
    ],
    ["William Burns", "Bill Burns"],
    ["Matthew Miller", "Matt Miller", "Miller"],
    ["Olena Kovalenko", "Olena Kovalenkko"],  # a doubled letter in a scrape
    ["Sergei Lavrov", "Sergey Lavrov"],
    ["Dmitry Peskov", "Dmitri Peskov"],
    ["Yulia Tymoshenko", "Julia Tymoshenko"],
    ["Mohammed bin Salman", "Muhammad bin Salman"],
    ["Katherine Maher", "Catherine Maher", "Kate Maher"],
    ["Alexander Stubb", "Alex Stubb", "Aleksandr Stubb"],
    # descriptive prefixes, a headline glued to a name
    ["Chinese Foreign Minister Qin Gang", "Qin Gang"],
    ["Barack Obama", "Mr. Obama", "Obama Says"],
    # initials, particles, name order
    ["John R. Tolland", "J. R. Tolland", "J.R. Tolland"],
    ["Ursula von der Leyen", "von der Leyen", "Ursula Von der Leyen"],
    ["Bill de Blasio", "De Blasio", "Mayor Bill de Blasio"],
    ["Mei-ling Hsiao", "Hsiao Mei-ling"],
]

APART = [
    ("Qin Gang", "Chen Gang"),  # same surname, different given names
    ("John Smith", "Jane Smith"),
    ("Ana Lopez", "Ana Lopes-Martins"),
    ("Mark Ellis", "Mark Elliott"),
    ("Michael Green", "Michael Greer"),  # surnames one letter apart but short
    ("Donald Hale", "Ronald Hale"),  # one letter apart, but the first
    # same-surname relatives: a gender ending, a generational suffix, another given name
    ("Paul Dunne", "Paula Dunne"),
    ("Alexander Petrov", "Alexandra Petrov"),
    ("Louis Garnier", "Louise Garnier"),
    ("Mario Rossi", "Maria Rossi"),
    ("Francis Ward", "Frances Ward"),
    ("Daniel Ortega", "Daniela Ortega"),
    ("Eric Trump", "Erica Trump"),
    ("Carl Hale", "Carol Hale"),
    ("Donald Trump", "Donald Trump Jr."),
    ("Robert Kennedy", "Robert Kennedy Jr."),
    ("George H. W. Bush", "George W. Bush"),
    ("Hillary Clinton", "Bill Clinton"),
    ("Hunter Biden", "Joe Biden"),
    ("Kim Jong Un", "Kim Jong Il"),
    # cognates that are names of their own in English
    ("Ian Hart", "John Hart"),
    ("Jean Martin", "John Martin"),
]


@pytest.mark.parametrize("names", ONE_PERSON, ids=lambda names: names[0])
def test_every_spelling_of_one_person_merges(names):
    result = resolve_people(Counter({n: 1 for n in names}))
    assert {result.name_of(n) for n in names} == {result.name_of(names[0])}
    # and every spelling is kept, with the rules that merged it
    canonical = result.name_of(names[0])
    for name in names:
        if name != canonical:
            assert result.rules[name], name
            assert name in result.spellings[canonical]


@pytest.mark.parametrize("a, b", APART, ids=lambda x: x if isinstance(x, str) else "")
def test_near_misses_stay_apart(a, b):
    result = resolve_people(Counter({a: 3, b: 1}))
    assert result.name_of(a) != result.name_of(b)


@pytest.mark.parametrize(
    "spelling, canonical, rule",
    [
        ("Sir Keir Starmer", "Keir Starmer", "title"),
        ("Ukraine's Volodymyr Zelenskyy", "Volodymyr Zelenskyy", "prefix"),
        ("John Kirby", "John F. Kirby", "middle-name"),
        ("Zelenskiy", "Volodymyr Zelenskyy", "surname-spelling"),
        ("Bill Burns", "William Burns", "nickname"),
        ("Anthony Blinken", "Antony Blinken", "given-spelling"),
        ("Blinken", "Antony Blinken", "surname-only"),
    ],
)
def test_each_merge_says_which_rule_made_it(spelling, canonical, rule):
    result = resolve_people(Counter({canonical: 5, spelling: 1}))
    assert result.name_of(spelling) == canonical
    assert rule in result.rules[spelling]


def test_the_most_used_clean_full_name_is_canonical():
    result = resolve_people(Counter({"President Joe Biden": 9, "Joe Biden": 2, "Biden": 30}))
    assert result.name_of("Biden") == "Joe Biden"
    only_titled = resolve_people(Counter({"President Biden": 2, "Mr. Biden": 1}))
    assert set(only_titled.canonical.values()) == {"Biden"}  # never "President Biden"


def test_a_name_that_fits_two_people_stays_on_its_own():
    mapping = canonical_people(["John Smith", "Jane Smith", "J. Smith", "Smith"])
    assert mapping["Smith"] == "Smith"
    assert mapping["J. Smith"] == "J. Smith"
    assert canonical_people(["Jane Smith", "Smith"])["Smith"] == "Jane Smith"
    # "Al" is Alan's and Albert's
    mapping = canonical_people(["Alan Roe", "Albert Roe", "Al Roe"])
    assert len(set(mapping.values())) == 3


def test_organisations_join_only_their_own_spelling():
    result = resolve_people(
        Counter({"The Harbour Times": 2, "Harbour Times": 1, "Times": 1}),
        exact_only={"The Harbour Times", "Harbour Times", "Times"},
    )
    assert (
        result.name_of("The Harbour Times")
        == result.name_of("Harbour Times")
        == "The Harbour Times"
    )
    assert result.name_of("Times") == "Times"


def test_the_alias_file_overrides_the_fuzzy_rules(tmp_path):
    path = tmp_path / "people.yaml"
    path.write_text(
        "- name: Qin Gang\n  aliases: [Chen Gang, Kin Gang]\n  wikidata: Q16196693\n", "utf-8"
    )
    aliases = AliasTable.load(path)
    mapping = canonical_people(
        ["Chen Gang", "Qin Gang", "kin gang", "Foreign Minister Qin Gang"], aliases
    )
    assert set(mapping.values()) == {"Qin Gang"}
    assert aliases.wikidata == {"Qin Gang": "Q16196693"}
    result = resolve_people(Counter({"Chen Gang": 1}), aliases)
    assert result.rules["Chen Gang"] == ("alias-file",)
    assert set(result.spellings["Qin Gang"]) == {"Chen Gang", "Kin Gang"}


TOML_OK = """
[[person]]
name = "Antony Blinken"
aliases = ["Anthony Blinken", "Tony Blinken"]
wikidata = "Q4109573"

[[person]]
name = "Qin Gang"
"""


def test_a_toml_alias_file_loads(tmp_path):
    path = tmp_path / "people.toml"
    path.write_text(TOML_OK, "utf-8")
    table = AliasTable.load(path)
    assert table.lookup("tony blinken") == "Antony Blinken"
    assert table.aliases_of("Antony Blinken") == ["Anthony Blinken", "Tony Blinken"]
    assert table.wikidata == {"Antony Blinken": "Q4109573"}
    assert table.lookup("Qin Gang") == "Qin Gang"


@pytest.mark.parametrize(
    "suffix, content, expected",
    [
        (".yaml", "- name: X\n  wikidata: 12\n", ["bad.yaml:2:", "wikidata id 12"]),
        (".yaml", "- name: X\n- aliases: [Y]\n", ["bad.yaml:2:", "needs a 'name'"]),
        (".yaml", "name: [unclosed\n", ["bad.yaml:2:", "not valid YAML"]),
        (".yaml", "name: Qin Gang\n", ["bad.yaml:1:", "expected a list of people"]),
        (
            ".yaml",
            "- name: A B\n  alias: [C]\n",
            ["bad.yaml:2:", "unknown key 'alias'", "did you mean 'aliases'"],
        ),
        (".yaml", "- name: A B\n  aliases: C D\n", ["'aliases' must be a list"]),
        (
            ".yaml",
            "- name: Ann Roe\n  aliases: [A. Roe]\n- name: Al Roe\n  aliases: [A. Roe]\n",
            ["bad.yaml:4:", "'A. Roe' is claimed by 'Al Roe' and by 'Ann Roe' (line 2)"],
        ),
        (".yaml", "- name: Ann Roe\n- name: ann roe\n", ["bad.yaml:2:", "listed twice"]),
        (".toml", '[[person]]\nname = "A"\nwikidata = "Q1x"\n', ["bad.toml:3:", "Q1x"]),
        (
            ".toml",
            '[[person]]\nname = "A"\n\n[[person]]\nalias = ["B"]\n',
            ["bad.toml:5:", "unknown key 'alias'", "bad.toml:4: entry 2 needs a 'name'"],
        ),
        (".toml", '[[person]]\nname = "A\n', ["bad.toml:2:", "not valid TOML"]),
        (".toml", '[person]\nname = "A"\n', ["write [[person]], not [person]"]),
        (".toml", '[people]\nname = "A"\n', ["bad.toml:1:", "unknown table 'people'"]),
        (".toml", b"\xff\xfe", ["not UTF-8"]),
    ],
)
def test_a_bad_alias_file_names_the_file_the_line_and_the_reason(
    tmp_path, suffix, content, expected
):
    path = tmp_path / f"bad{suffix}"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, "utf-8")
    with pytest.raises(KgError) as error:
        AliasTable.load(path)
    for part in expected:
        assert part in str(error.value)


def test_every_problem_of_an_alias_file_is_reported_at_once(tmp_path):
    path = tmp_path / "people.yaml"
    path.write_text(
        "- name: A B\n  wikidata: x\n- nme: C D\n- name: E F\n  aliases: [1]\n", "utf-8"
    )
    with pytest.raises(KgError) as error:
        AliasTable.load(path)
    message = str(error.value)
    assert (
        "people.yaml:2:" in message and "people.yaml:3:" in message and "people.yaml:5:" in message
    )


def test_a_missing_alias_file_is_a_clear_error(tmp_path):
    with pytest.raises(KgError, match="cannot read alias file"):
        AliasTable.load(tmp_path / "nope.toml")


# -- statements -------------------------------------------------------------------------------
def test_one_statement_across_articles_but_not_across_speakers():
    items = [
        ("a:1", "Ana Lopez", "The bridge will reopen in May after repairs to the deck"),
        ("b:7", "Ana Lopez", "the bridge will reopen in May, after the deck is repaired"),
        ("c:3", "Tom Hall", "The bridge will reopen in May after repairs to the deck"),
        ("d:2", "Ana Lopez", "Taxes will not rise this year"),
    ]
    ids = cluster_statements(items)
    assert ids[0] == ids[1] and ids[0] != ids[2] and ids[3] not in (ids[0], ids[2])
    assert cluster_statements(items) == ids  # stable from run to run


WORDS = st.sampled_from(["ab", "cd", "ef", "gh", "ij", "kl", "mn", "op", "qr", "st", "uv", "wx"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.frozensets(WORDS, max_size=7), max_size=40), st.sampled_from([0.5, 0.7, 0.8]))
def test_the_index_finds_exactly_the_pairs_a_full_comparison_finds(sets, overlap):
    brute = {
        (i, j)
        for i in range(len(sets))
        for j in range(i + 1, len(sets))
        if len(sets[i] & sets[j]) >= 2
        and len(sets[i] & sets[j]) >= overlap * min(len(sets[i]), len(sets[j])) - 1e-9
    }
    assert set(similar_pairs(sets, overlap, 2)) == brute


@settings(max_examples=300, deadline=None)
@given(st.lists(st.frozensets(WORDS, max_size=7), max_size=40))
def test_components_are_those_of_every_similar_pair(sets):
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(range(len(sets)))
    graph.add_edges_from(
        (i, j)
        for i in range(len(sets))
        for j in range(i + 1, len(sets))
        if similarity(sets[i], sets[j]) >= 0.5
    )
    expected = [0] * len(sets)
    for component in nx.connected_components(graph):
        for i in component:
            expected[i] = min(component)
    assert similar_components(sets) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.frozensets(WORDS, max_size=7), st.integers(0, 3)), max_size=40),
    st.sampled_from([0.6, 0.75, 0.9]),
)
def test_near_duplicates_are_exactly_the_pairs_that_share_most_of_the_shorter(items, share):
    sets = [s for s, _ in items]
    groups = [g for _, g in items]
    brute = {
        (i, j)
        for i in range(len(sets))
        for j in range(i + 1, len(sets))
        if groups[i] != groups[j]
        and len(sets[i] & sets[j]) >= 3
        and len(sets[i] & sets[j]) >= share * min(len(sets[i]), len(sets[j])) - 1e-9
    }
    assert set(near_duplicates(sets, share, 3, groups)) == brute


def test_similarity_counts_the_smaller_quotes_words():
    a = content_words("relations are at the lowest point since 1979")
    b = content_words("relations were at their lowest point since 1979, the year ties began")
    assert similarity(a, b) == 1.0


# -- the reduce step over quotes --------------------------------------------------------------
def _quote(
    article: str, speaker: str, text: str, start: int = 0, kind: str = "person", **kw
) -> Quote:
    return Quote(
        article + ".txt",
        article,
        start,
        start + len(text),
        text,
        "direct",
        Speaker(speaker, speaker, kind),
        **kw,
    )


def test_every_spelling_reaches_every_article_that_quotes_the_person():
    quotes = [
        _quote("a1", "Volodymyr Zelenskyy", "the front holds in the east"),
        _quote("a2", "Zelenskiy", "we need air defence before winter comes"),
        _quote("a3", "Ukraine's Volodymyr Zelenskyy", "grain exports will resume next month"),
    ]
    result = resolve_quotes(quotes)
    assert {q.speaker.name for q in quotes} == {"Volodymyr Zelenskyy"}
    expected = ["Ukraine's Volodymyr Zelenskyy", "Zelenskiy"]
    for article in ("a1", "a2", "a3"):
        assert result.alternate_names[article] == {"Volodymyr Zelenskyy": expected}
    rules = result.merges["Volodymyr Zelenskyy"]
    assert (
        "surname-spelling" in rules["Zelenskiy"]
        and "prefix" in rules["Ukraine's Volodymyr Zelenskyy"]
    )


def test_one_agent_has_one_type_across_articles():
    quotes = [
        _quote("a1", "Mara Voss", "the port reopens on Monday", kind="organization"),
        _quote("a2", "Mara Voss", "she will not resign", kind="person"),
        _quote("a3", "Harbour Times", "the port reopens on Monday", kind="organization"),
    ]
    resolve_quotes(quotes)
    assert [q.speaker.kind for q in quotes] == ["person", "person", "organization"]


def test_a_stray_spelling_in_one_article_joins_its_full_name():
    quotes = [
        _quote("a1", "Mbeki Dlamini", "the budget is sound", kind="organization"),
        _quote("a1", "Dlamini", "we will table it on Monday", 40, kind="organization"),
        _quote("a2", "Dlamini", "nobody asked us", kind="organization"),
    ]
    resolve_quotes(quotes)
    assert [q.speaker.name for q in quotes] == ["Mbeki Dlamini", "Mbeki Dlamini", "Dlamini"]


def test_the_corpus_spelling_wins_when_the_article_saw_both():
    quotes = [_quote(f"a{i}", "Qin Gang", f"statement number {i} about trade") for i in range(4)]
    quotes.append(_quote("t1", "Chen Gang", "dialogue must continue"))
    resolve_quotes(quotes, {"t1": {"Chen Gang": ["Chen Gang", "Qin Gang"]}})
    assert quotes[-1].speaker.name == "Qin Gang"


def test_conflicting_attributions_are_flagged():
    words = "the ceasefire will hold only if both sides withdraw their heavy artillery"
    quotes = [
        _quote("a1", "Mara Voss", words),
        _quote(
            "a2", "Ilan Roth", "The ceasefire will hold only if both sides withdraw heavy artillery"
        ),
        _quote("a3", "Mara Voss", words),
        # relayed: the outlet passed the minister's words on, no conflict
        _quote("a4", "Harbour Times", words, kind="organization"),
        _quote("a5", "Mara Voss", words, via="Harbour Times"),
        # another figure is another claim
        _quote("d1", "Ana Lopez", "the new bridge over the river would cost 12 million dollars"),
        _quote("d2", "Tom Hall", "the new bridge over the river would cost 40 million dollars"),
        # nor words that five people say: a formula
        *[
            _quote(f"e{k}", name, "I pledge to serve the people of this great county faithfully")
            for k, name in enumerate(["Ana Roe", "Ben Cole", "Cy Dunn", "Di Eames", "Ed Ford"])
        ],
        # a stock phrase is not a conflict
        _quote("b1", "Ana Lopez", "we will win"),
        _quote("b2", "Tom Hall", "we will win"),
        # nor are two speakers in one article
        _quote("c1", "Ana Lopez", "the mine closes in March and three hundred jobs go"),
        _quote("c1", "Tom Hall", "the mine closes in March and three hundred jobs go", 90),
    ]
    result = resolve_quotes(quotes)
    assert [c.speakers for c in result.conflicts] == [("Ilan Roth", "Mara Voss")]
    conflict = result.conflicts[0]
    voss = next(s for s in conflict.sides if s.speaker == "Mara Voss")
    assert set(voss.docs) == {"a1.txt", "a3.txt", "a5.txt"}
    assert result.conflicting[quotes[0].statement] == (quotes[1].statement,)
    assert result.conflicting[quotes[1].statement] == (quotes[0].statement,)
    assert quotes[3].statement not in result.conflicting


def test_an_organisations_name_is_kept_whole():
    """Organisations join only when spelt alike, and keep their own name: nothing of
    "the Harbour Department of Works" is a title to cut."""
    counts = Counter({"Harbour Department of Works": 2, "Lakeside Conference of Mayors": 1})
    r = resolve_people(counts, exact_only=set(counts))
    assert r.canonical["Harbour Department of Works"] == "Harbour Department of Works"
    assert r.canonical["Lakeside Conference of Mayors"] == "Lakeside Conference of Mayors"


# -- the packed reduce ------------------------------------------------------------------------
def _zipf_sets(count: int, seed: int) -> list[frozenset[str]]:
    import random

    rng = random.Random(seed)
    vocabulary = [f"w{n}" for n in range(400)]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    return [frozenset(rng.choices(vocabulary, weights, k=rng.randint(2, 9))) for _ in range(count)]


def test_packed_word_ids_cluster_as_the_words_themselves_beyond_the_exact_block():
    from kg.resolve.statements import EXACT_BLOCK, Vocabulary, WordSets

    # past EXACT_BLOCK common words are no index keys, and which pairs are found depends
    # on the rarest-first order: word ids renumbered in the words' own order keep it
    sets = _zipf_sets(EXACT_BLOCK + 500, seed=7)
    vocabulary, packed = Vocabulary(), WordSets()
    for words in sets:
        packed.add(vocabulary.ids(words))
    packed.renumber(vocabulary.string_order())
    assert similar_components([packed[i] for i in range(len(packed))]) == similar_components(sets)
    shares = [frozenset(s) for s in sets]
    assert set(near_duplicates(packed, 0.8, 4, range(len(sets)))) == set(
        near_duplicates(shares, 0.8, 4, range(len(sets)))
    )


def test_the_reduce_reading_articles_again_decides_as_the_one_in_memory():
    import copy

    from bench.resolve_scale import Corpus
    from kg.resolve import apply_decision, reduce_corpus

    articles = Corpus(3000, seed=5).articles()
    in_memory = copy.deepcopy(articles)
    quotes = [q for e in in_memory for q in e.quotes.quotes]
    expected = resolve_quotes(quotes, {e.info.id: e.quotes.people for e in in_memory})

    def read():  # fresh copies each time, as the spill gives them
        return ((e.info.id, e.quotes.quotes, e.quotes.people) for e in copy.deepcopy(articles))

    state = reduce_corpus(read)
    decided = []
    for article, article_quotes, people in read():
        decision = state.decide(article, article_quotes, people)
        for q, fields in zip(article_quotes, decision.quotes, strict=True):
            apply_decision(q, fields)
        decided += article_quotes
        if decision.alternate_names:
            assert decision.alternate_names == expected.alternate_names[article]
    got = state.resolution()
    assert [q.to_json() for q in decided] == [q.to_json() for q in quotes]
    assert got.conflicts == expected.conflicts and got.conflicts
    assert got.merges_json() == expected.merges_json()


def test_decisions_must_cover_every_quote_read():
    from kg.resolve import reduce_corpus

    quotes = [
        Quote("d", "a1", 0, 9, "we will build the bridge", "direct", Speaker("Ana Lopez", "Lopez"))
    ]
    state = reduce_corpus(lambda: [("a1", quotes, {})])
    with pytest.raises(ValueError, match="decided 0 of 1 quotes"):
        state.resolution()


def test_two_departments_are_never_one_organisation():
    from collections import Counter

    from kg.resolve import resolve_people

    names = Counter(
        {
            "Interior Department": 3,
            "Department of Health": 2,
            "New York Times": 1,
            "The New York Times": 2,
            "Ana Lopez": 1,
        }
    )
    bodies = {"Interior Department", "Department of Health", "New York Times", "The New York Times"}
    r = resolve_people(names, exact_only=bodies, organisations=bodies)
    assert r.name_of("Interior Department") != r.name_of("Department of Health")
    assert r.name_of("New York Times") == r.name_of("The New York Times")
