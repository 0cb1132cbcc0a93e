"""The word lists of English news reporting, loaded from data files.

The lists live in ``kg/extract/lexicon_data/*.toml`` keyed by lowercase lemma with
features (``tell = { reporting = true, addressee_object = true }``), so they can be read,
reviewed and extended without touching code. `load_lexicon` reads them once per process
into a frozen `Lexicon` that the extract stage passes to whatever needs it; the sets are
frozensets so the per-token checks in the hot path stay O(1).

>>> lex = load_lexicon()
>>> "say" in lex.reporting_verbs, "tell" in lex.addressee_object_verbs
(True, True)
>>> lex.role_gender["spokeswoman"], lex.role_synonyms["spokeswoman"]
('f', 'spokesperson')
>>> lex.given_names["ana"], lex.given_names["robert"], "lopez" in lex.surnames
('f', 'm', True)
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from kg.errors import KgError

DATA = Path(__file__).with_name("lexicon_data")


@dataclass(frozen=True)
class Lexicon:
    """Every word list the extract stage uses, by what the words do."""

    reporting_verbs: frozenset[str]
    content_object_verbs: frozenset[str]
    addressee_object_verbs: frozenset[str]
    relay_verbs: frozenset[str]
    weak_verbs: frozenset[str]
    evaluative_verbs: frozenset[str]
    agreement_verbs: frozenset[str]
    characterising_verbs: frozenset[str]
    infinitive_content_verbs: frozenset[str]
    topic_content_verbs: frozenset[str]
    target_object_verbs: frozenset[str]
    issuing_verbs: frozenset[str]
    likening_verbs: frozenset[str]
    question_verbs: frozenset[str]
    refusal_verbs: frozenset[str]
    role_nouns: frozenset[str]
    description_nouns: frozenset[str]
    office_nouns: frozenset[str]
    organization_nouns: frozenset[str]
    collective_bodies: frozenset[str]
    document_nouns: frozenset[str]
    reporting_nouns: frozenset[str]
    media_words: frozenset[str]
    audience_nouns: frozenset[str]
    channel_nouns: frozenset[str]
    role_gender: dict[str, str]
    role_synonyms: dict[str, str]
    role_abbreviations: dict[str, tuple[str, ...]]
    honorifics: dict[str, str | None]
    pronoun_gender: dict[str, str]
    not_names: frozenset[str]
    name_particles: frozenset[str]
    indefinite: frozenset[str]
    role_qualifiers: frozenset[str]
    title_small_words: frozenset[str]
    question_labels: frozenset[str]
    page_labels: frozenset[str]
    answer_labels: frozenset[str]
    # given names (lowercase) with the gender most bearers have, None when it is mixed,
    # and surnames: the US Census name lists shipped in the `names` package (public domain)
    given_names: dict[str, str | None]
    surnames: frozenset[str]

    def __hash__(self) -> int:  # one lexicon per process: identity is enough
        return id(self)


def _read(directory: Path, name: str) -> dict:
    path = directory / f"{name}.toml"
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise KgError(f"{path}: cannot read the lexicon file ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise KgError(f"{path}: not valid TOML: {exc}") from exc


def _having(table: dict, feature: str) -> frozenset[str]:
    return frozenset(word for word, features in table.items() if features.get(feature))


@lru_cache(maxsize=4)
def load_lexicon(directory: str | None = None) -> Lexicon:
    """Read the lexicon files of `directory` (default: the shipped ones) once."""
    where = Path(directory) if directory else DATA
    verbs, nouns, names = (_read(where, n) for n in ("verbs", "nouns", "names"))
    lists = names.get("lists", {})
    return Lexicon(
        reporting_verbs=_having(verbs, "reporting"),
        content_object_verbs=_having(verbs, "content_object"),
        addressee_object_verbs=_having(verbs, "addressee_object"),
        relay_verbs=_having(verbs, "relay"),
        weak_verbs=_having(verbs, "weak"),
        evaluative_verbs=_having(verbs, "evaluative"),
        agreement_verbs=_having(verbs, "agreement"),
        characterising_verbs=_having(verbs, "characterising"),
        infinitive_content_verbs=_having(verbs, "infinitive_content"),
        topic_content_verbs=_having(verbs, "topic_content"),
        target_object_verbs=_having(verbs, "target_object"),
        issuing_verbs=_having(verbs, "issues_document"),
        likening_verbs=_having(verbs, "likening"),
        question_verbs=_having(verbs, "question_content"),
        refusal_verbs=_having(verbs, "refusal"),
        role_nouns=_having(nouns, "role"),
        description_nouns=_having(nouns, "description"),
        office_nouns=_having(nouns, "office"),
        organization_nouns=_having(nouns, "organization"),
        collective_bodies=_having(nouns, "collective"),
        document_nouns=_having(nouns, "document"),
        reporting_nouns=_having(nouns, "reporting"),
        media_words=_having(nouns, "media"),
        audience_nouns=_having(nouns, "audience"),
        channel_nouns=_having(nouns, "channel"),
        role_gender={w: f["gender"] for w, f in nouns.items() if f.get("gender")},
        role_synonyms={w: f["same_as"] for w, f in nouns.items() if f.get("same_as")},
        role_abbreviations={w: tuple(v) for w, v in names.get("abbreviations", {}).items()},
        honorifics={w: (f.get("gender") or None) for w, f in names.get("honorifics", {}).items()},
        pronoun_gender=dict(names.get("pronouns", {})),
        not_names=frozenset(lists.get("not_names", [])),
        name_particles=frozenset(lists.get("name_particles", [])),
        indefinite=frozenset(lists.get("indefinite", [])),
        role_qualifiers=frozenset(lists.get("role_qualifiers", [])),
        title_small_words=frozenset(lists.get("title_small_words", [])),
        question_labels=frozenset(lists.get("question_labels", [])),
        page_labels=frozenset(lists.get("page_labels", [])),
        answer_labels=frozenset(lists.get("answer_labels", [])),
        given_names=_given_names(),
        surnames=_census("dist.all.last"),
    )


GENDER_MAJORITY = 4.0  # a name counts as one gender's when that gender bears it 4x as often


def _census_counts(file: str) -> dict[str, float]:
    from importlib.resources import files

    counts = {}
    for line in (files("names") / file).read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2:
            counts[parts[0].lower()] = float(parts[1])
    return counts


def _census(file: str) -> frozenset[str]:
    return frozenset(_census_counts(file))


def _given_names() -> dict[str, str | None]:
    """Given names and their usual gender: "ana" -> f, "chris" -> None (borne by both)."""
    male, female = _census_counts("dist.male.first"), _census_counts("dist.female.first")
    out: dict[str, str | None] = {}
    for name in male.keys() | female.keys():
        m, f = male.get(name, 0.0), female.get(name, 0.0)
        out[name] = "m" if m >= GENDER_MAJORITY * f else "f" if f >= GENDER_MAJORITY * m else None
    return out
