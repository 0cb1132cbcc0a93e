"""The entity table: who and what an article names, and what its pronouns and body nouns
("the company", "it") stand for, before any quote is attributed."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract.entities import EntityTable, initials
from kg.ingest.read import text_article
from kg.nlp import parse_articles


@pytest.fixture(scope="module")
def table(nlp):
    def build(text: str) -> EntityTable:
        parsed = next(parse_articles([text_article(text, Path("fixture.txt"))], nlp))
        return EntityTable(parsed.doc)

    return build


def _token(table: EntityTable, word: str, nth: int = 0):
    return [t for t in table.doc if t.text == word][nth]


def test_organisations_are_entities_with_their_mentions(table):
    t = table("Northwind Airlines cancelled 40 flights on Monday. The storm hit the coast.")
    assert [(o.name, o.kind, len(o.mentions)) for o in t.organisations] == [
        ("Northwind Airlines", "organization", 1)
    ]
    assert t.organisation_at[0].name == "Northwind Airlines"


def test_an_acronym_and_its_long_form_are_one_organisation(table):
    t = table(
        "The World Health Organization issued new advice on Monday. Doctors welcomed it. "
        "Later the WHO said the advice would be reviewed."
    )
    names = {o.name: sorted(o.variants) for o in t.organisations}
    assert names == {"World Health Organization": ["WHO", "World Health Organization"]}


def test_a_short_form_joins_the_name_it_opens_but_a_generic_noun_does_not(table):
    t = table(
        "Shares of Northwind Airlines fell on Monday. Analysts said Northwind had lost "
        "ground. The Ministry of Transport said it would study the fares."
    )
    northwind = next(o for o in t.organisations if o.name == "Northwind Airlines")
    assert "Northwind" in northwind.variants and len(northwind.mentions) == 2


def test_initials_skip_small_words():
    assert initials("Bank of England") == "BE"
    assert initials("International Monetary Fund") == "IMF"


def test_it_and_the_company_refer_to_the_organisation_named_before(table):
    t = table(
        "Northwind Airlines cancelled 40 flights on Monday. It blamed the storm. "
        "The company said the fleet would fly again on Friday."
    )
    for word in ("It", "company"):
        ref = t.reference_at(_token(t, word))
        assert ref is not None and ref.entity is not None
        assert ref.entity.name == "Northwind Airlines"
        assert t.doc.text[ref.antecedent.start : ref.antecedent.end] == "Northwind Airlines"


def test_an_organisation_named_inside_a_quotation_or_too_far_back_is_not_it(table):
    t = table(
        "“We trust Northwind Airlines,” a passenger said.\n\nIt was raining.\n\n"
        "Crowds gathered.\n\nThe company was silent."
    )
    assert t.reference_at(_token(t, "company")).entity is None


def test_the_newspaper_is_the_outlet_named_last_however_far_back(table):
    t = table(
        "Reporters at the Lakeside Tribune broke the story in May.\n\nThe council met.\n\nVoters were angry."
        "\n\nTraffic was slow.\n\nThe newspaper said the mayor knew."
    )
    ref = t.reference_at(_token(t, "newspaper"))
    assert ref.entity is not None and ref.entity.name == "Lakeside Tribune"


def test_a_pronoun_is_grouped_with_the_person_of_its_gender(table):
    t = table("Mr. Paul Ward met Ms. Rita Stone in Paris. She said the talks went well.")
    ref = t.reference_at(_token(t, "She"))
    assert ref.entity is not None and ref.entity.name == "Rita Stone"


def test_the_narrative_subject_of_an_earlier_sentence_is_the_most_salient(table):
    t = table("Anna Adler spoke at length about the statue of Ben Berg. He said it was ugly.")
    ranked = [c.mention.entity.name for c in t.pronoun_candidates(_token(t, "He"))]
    assert ranked[0] == "Anna Adler"  # the table ranks; gender decides later
    ref = t.reference_at(_token(t, "He"))
    assert ref.entity is not None and ref.entity.name == "Ben Berg"  # Anna is a woman's name


def test_a_pronoun_with_no_one_in_reach_is_grouped_with_no_one(table):
    t = table("The storm hit the coast on Monday.\n\nHe said the roads were closed.")
    ref = t.reference_at(_token(t, "He"))
    assert ref.entity is None and ref.candidates == ()


def test_first_person_pronouns_are_not_references(table):
    t = table("Ana Lopez spoke. We listened.")
    assert t.reference_at(_token(t, "We")) is None


def test_a_lead_pronoun_is_read_forward_to_the_story_subject(table):
    t = table(
        "“We did everything we could,” he told reporters after the final whistle.\n\n"
        "Fans cheered Ana Ruiz, the keeper. Coach Tom Hale watched his side lose 3-0 on "
        "Saturday. Hale has lost four games in a row."
    )
    ref = t.reference_at(_token(t, "he"))
    assert ref.entity is None and ref.candidates == ()  # nobody is named before it
    assert ref.named_after is not None and ref.named_after.entity.name == "Tom Hale"


def test_a_pronoun_late_in_the_story_is_never_read_forward(table):
    t = table(
        "The match ended 3-0.\n\nFans left early.\n\nThe rain fell.\n\n"
        "“We tried,” he said.\n\nCoach Tom Hale left. Hale was angry."
    )
    assert t.reference_at(_token(t, "he")).named_after is None


def test_a_title_given_in_apposition_is_learnt_as_a_role_and_is_no_name(table):
    t = table("The Provost, Mr Tom Hale, declined to comment. The Provost left at noon.")
    assert "provost" in t.article_roles
    assert [p.name for p in t.people] == ["Tom Hale"]
    assert "provost" in t.people[0].roles


def test_a_name_inside_the_clause_of_the_pronoun_before_is_not_its_referent(table):
    # the second "he" continues the first, and the first cannot be the men it praises
    t = table(
        "Crowds filled the square.\n\nHe praised the engineers led by Tom Hale and thanked "
        "the crews of Ben Ode for two years of hard work on the bridge. He said the bridge "
        "would carry ten thousand cars a day."
    )
    he = [tok for tok in t.doc if tok.text == "He"][1]
    assert t.pronoun_candidates(he) == ()
    assert t.reference_at(he).entity is None


def test_a_name_the_tagger_cut_comes_out_whole(table):
    t = table(
        "Union Trade Minister Shri Harish Chandra Rawat said on Sunday.\n\n"
        "In Manila, Senator Maria Lourdes dela Cruz welcomed the deal.\n\n"
        "Philippine President Ramon “Bong” Villarosa said it would help."
    )
    names = {p.name for p in t.people}
    assert {"Harish Chandra Rawat", "Maria Lourdes dela Cruz", "Ramon Villarosa"} <= names


def test_a_name_the_tagger_cut_inside_its_compound_comes_out_whole(table):
    """The tagger took "Shri Nand" for the name and left "Kishore Yadav", the rest of the
    same compound, untagged; in a Title Case headline a capital says nothing."""
    t = table(
        "Elizabeth Warren Hammers Bank Chief Over Fake Accounts\n\n"
        "Meanwhile, Bihar Chief Minister Shri Nand Kishore Yadav chaired a meeting.\n\n"
        "Senator Elizabeth Warren spoke later."
    )
    names = {p.name for p in t.people}
    assert "Nand Kishore Yadav" in names and "Nand" not in names
    assert not any("Hammers" in name for name in names)


def test_a_name_in_apposition_to_a_capitalised_role_is_a_person(table):
    """The tagger called "SP Folake Adebayo" an organisation; in apposition to "the
    Police Public Relations Officer" it names the officer."""
    t = table(
        "Later, the Police Public Relations Officer in the state, SP Folake Adebayo, said "
        "the driver had been arrested.\n\nAdebayo said the inquiry would continue."
    )
    assert "Folake Adebayo" in {p.name for p in t.people}


def test_a_title_or_apposition_at_a_bare_surname_picks_the_namesake(table):
    t = table(
        "Councillor Emeka Okafor backs the quarry. His brother, Chidi Okafor, a teacher, "
        "opposes it.\n\nCouncillor Okafor has said he will not step aside.\n\n"
        "Mr Okafor, the teacher, said the campaign would go on."
    )
    councillor = _token(t, "Okafor", 2)
    teacher = _token(t, "Okafor", 3)
    assert t.person_at(councillor).name == "Emeka Okafor"
    assert t.person_at(teacher).name == "Chidi Okafor"


def test_a_name_before_its_own_acronym_is_an_organisation(table):
    t = table("Rashtriya Jan Morcha (RJM) chief Shri Ajay Kushwaha said the process was rigged.")
    assert [p.name for p in t.people] == ["Ajay Kushwaha"]


def test_a_gerund_opening_a_sentence_is_no_part_of_the_name_after_it(table):
    t = table("Ana Lopez spoke. Injecting Lopez's troubles into the race was a mistake.")
    assert [p.name for p in t.people] == ["Ana Lopez"]


def test_a_deputy_does_not_hold_the_plain_post(table):
    t = table(
        "Deputy Chief Minister Tom Hale spoke on Friday. Chief Minister Ana Ruiz chaired "
        "a meeting. The chief minister left early."
    )
    hale = next(p for p in t.people if p.name == "Tom Hale")
    assert hale.qualified == {"minister"}
    found = t.by_role({"chief", "minister"}, "minister")
    assert found is not None and found.name == "Ana Ruiz"
    assert t.by_role({"deputy", "chief", "minister"}, "minister").name == "Tom Hale"


def test_a_capitalised_title_just_before_a_name_gives_its_roles(table):
    t = table("Minister for Housing Declan Roe spoke on Monday about rents in the towns.")
    roe = next(p for p in t.people if p.name.endswith("Roe"))
    assert {"minister", "housing"} <= roe.roles


def test_two_names_the_parser_joins_in_apposition_keep_their_own_roles(table):
    t = table(
        "The conference was given by Health Minister Dr. Farah Siddiqui and the chief "
        "executive of the National Hospitals Authority, Robert Kane, on Tuesday."
    )
    roles = {p.name: p.roles for p in t.people}
    assert "minister" in roles["Farah Siddiqui"]
    assert not roles["Farah Siddiqui"] & {"robert", "kane"}
    assert not roles["Robert Kane"] & {"farah", "siddiqui", "minister"}


def test_the_words_between_commas_after_a_definite_role_are_a_name(table):
    t = table("The minister, Conor Fitzmaurice, later told reporters the summit was off.")
    assert [p.name for p in t.people] == ["Conor Fitzmaurice"]
    assert "minister" in t.people[0].roles


def test_a_name_in_apposition_to_the_subject_is_a_subject_mention(table):
    t = table("Our correspondent Nia Howells is in Pentmouth, where the sea wall has broken.")
    (mention,) = [m for m in t.mentions if m.entity.name == "Nia Howells"]
    assert mention.is_subject


def test_a_post_keeps_its_owner_and_anothers_post_is_not_it(table):
    t = table(
        "Quebec's immigration minister, Genevieve Roy, spoke first. Federal Immigration "
        "Minister Arjun Sandhu rejected the criticism."
    )
    roy = next(p for p in t.people if p.name.endswith("Roy"))
    assert roy.role_owners == {"minister": {"quebec"}}
    assert t.by_role({"immigration", "minister"}, "minister", owner="quebec").name.endswith("Roy")


def test_a_name_after_a_role_is_a_name_even_when_tagged_a_place(table):
    t = table("Their spokesperson, Tāmati Ruawai, said the process had been rushed.")
    assert [p.name for p in t.people] == ["Tāmati Ruawai"]


def test_a_surname_with_an_inner_capital_is_a_mention_of_its_bearer(table):
    """ "McCrummen reports:" opening a sentence mentions Stephanie McCrummen: a capital
    after "Mc" is still a capitalised name."""
    t = table(
        "The paper sent its reporter Stephanie McCrummen to a living room in Ohio.\n\n"
        "The woman disputes the idea that she needed to be hospitalized in the first "
        "place. McCrummen reports:"
    )
    [person] = [p for p in t.people if p.name == "Stephanie McCrummen"]
    assert len(person.mentions) == 2
