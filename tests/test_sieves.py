"""Every registered sieve decides its own example cases, says so, and is needed for them.

The examples live beside each sieve (`kg/extract/sieves/*.py`, written for these tests):
each names the words of a quote, a field and the expected value. For every example:
with the shipped pipeline the field has the expected value and the quote's record names
the sieve; with that one sieve disabled, the outcome differs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import KgError
from kg.extract.lexicon import load_lexicon
from kg.extract.sieves import REGISTRY, default_pipeline, load_pipeline_config

EXAMPLES = [
    pytest.param(key, i, id=f"{key}[{i}]")
    for key, s in sorted(REGISTRY.items())
    for i in range(len(s.examples))
]


@pytest.fixture(scope="session")
def run_text(nlp):
    from kg.extract import extract_quotes
    from kg.ingest.read import text_article
    from kg.nlp import parse_articles

    def run(text: str, pipeline=None):
        article = text_article(text, Path("fixture.txt"))
        parsed = next(parse_articles([article], nlp))
        return extract_quotes(parsed, pipeline=pipeline).quotes

    return run


def outcome(quotes, example):
    """What the example is about, read off the quotes: the field of the quote holding
    the example's words (None when no quote holds them), or how many quotes do."""
    holding = sorted((q for q in quotes if example.quote in q.text), key=lambda q: len(q.text))
    if example.field == "count":
        return str(len(holding))
    if not holding:
        return None
    q = holding[0]  # the closest fit: a report inside an answer, not the whole answer
    if example.field == "quote":
        return q.text
    if example.field == "speaker":
        return q.speaker.name
    if example.field == "speaker.kind":
        return q.speaker.kind
    return getattr(q, example.field)


def deciding(quotes, example) -> list[str]:
    holding = sorted((q for q in quotes if example.quote in q.text), key=lambda q: len(q.text))
    return list(holding[0].sieves) if holding else []


def test_every_sieve_has_examples_and_a_place_in_the_pipeline():
    pipeline = default_pipeline()
    for key, s in REGISTRY.items():
        assert s.examples, f"{key} has no example cases"
        assert s.rule and len(s.rule) < 200, f"{key} needs a one-line rule"
        assert pipeline.enabled(key), f"{key} is not in kg/extract/pipeline.toml"


@pytest.mark.parametrize(("key", "number"), EXAMPLES)
def test_sieve_decides_its_example_and_is_needed_for_it(run_text, key, number):
    s = REGISTRY[key]
    example = s.examples[number]
    quotes = run_text(example.text)
    got = outcome(quotes, example)
    if example.expected is None:
        assert got is None, f"{key}: expected no quote with {example.quote!r}, got {got!r}"
    else:
        assert got is not None and example.expected in got, (
            f"{key}: {example.field} of the quote with {example.quote!r} is {got!r}, "
            f"expected {example.expected!r}; quotes: {[(q.text, q.speaker.name) for q in quotes]}"
        )
    if s.stage != "veto" and example.field != "count":
        step = f"{s.stage}:{s.name}"
        assert step in deciding(quotes, example), (
            f"{key} is not recorded: {deciding(quotes, example)}"
        )
    without = run_text(example.text, default_pipeline().without([key]))
    assert outcome(without, example) != got, f"disabling {key} changes nothing in its example"


# Words taken out of a wave-1 list on purpose, each with the measured reason.
DELIBERATELY_REMOVED = {
    # "reported a profit of $1 per share", "predicted a loss": data, not words (a quoted
    # object or a clause still counts); dev FPs gone, no set lost a quote
    "CONTENT_OBJECT_VERBS": ("report", "predict"),
}


def test_lexicon_keeps_every_word_of_the_wave1_lists():
    """The move of the word lists to data files lost no word (new words may be added)."""
    old = json.loads((Path(__file__).parent / "data" / "lexicon_wave1.json").read_text())
    lex = load_lexicon()
    sets = {
        "REPORTING_VERBS": lex.reporting_verbs,
        "CONTENT_OBJECT_VERBS": lex.content_object_verbs,
        "ADDRESSEE_OBJECT_VERBS": lex.addressee_object_verbs,
        "RELAY_VERBS": lex.relay_verbs,
        "WEAK_VERBS": lex.weak_verbs,
        "EVALUATIVE_VERBS": lex.evaluative_verbs,
        "AGREEMENT_VERBS": lex.agreement_verbs,
        "CHARACTERISING_VERBS": lex.characterising_verbs,
        "PERSON_ROLE_NOUNS": lex.role_nouns,
        "ORGANIZATION_NOUNS": lex.organization_nouns,
        "COLLECTIVE_BODIES": lex.collective_bodies,
        "DOCUMENT_NOUNS": lex.document_nouns,
        "REPORTING_NOUNS": lex.reporting_nouns,
        "MEDIA_WORDS": lex.media_words,
        "NOT_NAMES": lex.not_names,
    }
    for name, words in sets.items():
        lost = set(old[name]) - words - set(DELIBERATELY_REMOVED.get(name, ()))
        assert not lost, f"{name} lost {sorted(lost)}"
    maps = {
        "GENDERED_ROLES": lex.role_gender,
        "ROLE_SYNONYMS": lex.role_synonyms,
        "HONORIFICS": lex.honorifics,
        "PRONOUN_GENDER": lex.pronoun_gender,
    }
    for name, table in maps.items():
        for word, value in old[name].items():
            assert table.get(word, "missing") == value, f"{name}[{word!r}] changed"
    for word, value in old["ROLE_ABBREVIATIONS"].items():
        assert list(lex.role_abbreviations[word]) == value


def test_pipeline_file_overrides_and_errors(tmp_path):
    own = tmp_path / "pipeline.toml"
    own.write_text('disabled = ["epithet"]\n[priors]\n"speaker.role_holder" = 0.5\n')
    pipeline = load_pipeline_config(str(own), disable=["continuation"])
    assert not pipeline.enabled("speaker.epithet") and not pipeline.enabled("link.continuation")
    assert pipeline.prior("speaker.role_holder") == 0.5
    for text, message in [
        ("[speaker]\norder = ['no_such_sieve']\n", "no registered sieve"),
        ("[colours]\n", "unknown section"),
        ('[priors]\n"speaker.role_holder" = 3\n', "between 0 and 1"),
        ("[link\n", "not valid TOML"),
    ]:
        own.write_text(text)
        with pytest.raises(KgError, match=message) as error:
            load_pipeline_config(str(own))
        assert str(own) in str(error.value)
    with pytest.raises(KgError, match="no sieve named"):
        load_pipeline_config(None, disable=["no_such_sieve"])


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.sampled_from(
            [
                "“We will win,” she said.",
                "Ana Lopez, the mayor, said the bridge would open.",
                "He added: “Nobody expected it.”",
                "According to the agency, the port closed.",
                "Jane Roe: We have no comment.",
                "“Fine.” — Tom Hall",
                "The company said profits fell.",
                "\n\n",
                "“",
                "Q: Why?",
                "It said it would appeal.",
            ]
        ),
        min_size=1,
        max_size=12,
    )
)
def test_evidence_spans_are_exact_slices_and_runs_repeat(run_text, parts):
    text = " ".join(parts)
    if not text.strip():
        return
    first = run_text(text)
    for q in first:
        assert text[q.start : q.end] == q.text
        for e in q.evidence:
            assert text[e.start : e.end] == e.text and e.role in (
                "cue",
                "mention",
                "antecedent",
                "via",
                "addressee",
            )
        assert q.sieves and q.sieves[0].startswith("link:")
        assert 0 < q.confidence <= 1
    assert [q.to_json() for q in first] == [q.to_json() for q in run_text(text)]


def test_explain_a_stored_quote_marks_its_evidence_and_chain(seed_build):
    from tests.conftest import kg

    records = [json.loads(line) for line in (seed_build / "quotes.jsonl").read_text().splitlines()]
    pronoun = next(r for r in records if any(e["role"] == "antecedent" for e in r["evidence"]))
    out = kg("explain", pronoun["id"], "--store", str(seed_build)).stdout
    assert f"[[{pronoun['text']}" in out or pronoun["text"][:30] in out
    assert "decided by: link:" in out
    for span in pronoun["evidence"]:
        assert repr(span["text"]) in out and span["rule"] in out
    missing = kg("explain", "0000000000000000", "--store", str(seed_build), check=False)
    assert missing.returncode != 0 and "no quote with id" in missing.stderr


def test_explain_a_file_at_an_offset_shows_what_was_turned_down(tmp_path):
    from tests.conftest import kg

    text = "Ravi Menon met union leaders on Monday.\n\n“Nobody will lose their job,” he said.\n"
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    out = kg("explain", str(path), "--at", str(text.index("Nobody"))).stdout
    assert "speaker: Ravi Menon" in out and "<he>" in out and "«Ravi Menon»" in out
    assert "speaker:pronoun_salience" in out
    text = "Mayor praises the “historic” deal with the rail union\n\nThe council met on Tuesday.\n"
    path.write_text(text, encoding="utf-8")
    headline = kg("explain", str(path), "--at", str(text.index("historic")), check=False)
    assert headline.returncode != 0 and "veto:headline" in headline.stderr


def test_docs_list_every_sieve_with_its_rule():
    """docs/sieves.md is generated from the registry (`kg sieves --markdown`): it stays true."""
    from kg.extract.sieves.registry import catalogue

    doc = (Path(__file__).resolve().parents[1] / "docs" / "sieves.md").read_text(encoding="utf-8")
    assert catalogue(default_pipeline()) in doc, "regenerate docs/sieves.md: kg sieves --markdown"
