"""Cue finders on hand-built parses: each rule reads the dependency tree, so each test
gives the tree it reads, whatever the tagger of the day would make of the words.

A parse is written one token per line: ``word head dep pos [lemma]``, heads as indices.
"""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from kg.extract.cues import find_cues, split_coordinated_reports

NLP = spacy.blank("en")


def parse(table: str) -> Doc:
    rows = [line.split() for line in table.strip().splitlines()]
    words = [r[0] for r in rows]
    return Doc(
        NLP.vocab,
        words=words,
        spaces=[not (i + 1 < len(words) and words[i + 1] in ",.") for i in range(len(words))],
        heads=[int(r[1]) for r in rows],
        deps=[r[2] for r in rows],
        pos=[r[3] for r in rows],
        lemmas=[r[4] if len(r) > 4 else r[0].lower() for r in rows],
    )


def cues_of(
    doc: Doc, quoted: tuple[int, ...] = (), split: bool = False
) -> list[tuple[str, str | None, str | None]]:
    """(cue word, speaker word, content text) of every cue; `quoted` marks token indices
    inside quotation marks; `split` applies `split_coordinated_reports` as the article
    context does."""
    in_quote = [0 if i in quoted else -1 for i in range(len(doc))]
    out = []
    found = list(find_cues(doc, in_quote))
    for cue in split_coordinated_reports(doc, found) if split else found:
        content = doc[cue.content[0] : cue.content[1]].text if cue.content else None
        out.append((cue.token.text, cue.speaker.text if cue.speaker else None, content))
    return out


def test_a_reporting_verb_and_its_clause():
    doc = parse(
        """
        Ruiz 1 nsubj PROPN
        said 1 ROOT VERB say
        the 3 det DET
        pier 5 nsubj NOUN
        would 5 aux AUX
        close 1 ccomp VERB
        . 1 punct PUNCT
        """
    )
    assert cues_of(doc) == [("said", "Ruiz", "the pier would close")]


def test_a_second_subject_after_the_verb_starts_the_clause_the_tagger_broke():
    """ "Ruiz says many lunch menus sold at schools skirt the rules": "skirt" read as a
    noun leaves "says" with no clause and a second subject; that subject starts what
    was said."""
    doc = parse(
        """
        Ruiz 1 nsubj PROPN
        says 1 ROOT VERB say
        many 4 amod ADJ
        lunch 4 compound NOUN
        menus 1 nsubj NOUN
        sold 4 acl VERB sell
        at 5 prep ADP
        schools 10 compound NOUN
        skirt 10 compound NOUN
        the 10 det DET
        rules 6 pobj NOUN rule
        . 1 punct PUNCT
        """
    )
    assert cues_of(doc) == [("says", "Ruiz", "many lunch menus sold at schools skirt the rules")]


def test_a_verb_that_judges_its_object_reports_a_quoted_reason():
    """ "Adler blasted the council for being “clueless”": not a reporting verb, but the
    quoted reason is Adler's words; unquoted, it is only a judgement."""
    table = """
        Adler 1 nsubj PROPN
        blasted 1 ROOT VERB blast
        the 3 det DET
        council 1 dobj NOUN
        for 1 prep ADP
        being 4 pcomp AUX be
        clueless 5 acomp ADJ
        . 1 punct PUNCT
        """
    assert cues_of(parse(table), quoted=(6,)) == [("blasted", "Adler", "being clueless")]
    assert cues_of(parse(table)) == []


def test_a_negated_report_is_no_cue():
    doc = parse(
        """
        Ruiz 3 nsubj PROPN
        did 3 aux AUX do
        not 3 neg PART
        say 3 ROOT VERB say
        whether 7 mark SCONJ
        the 6 det DET
        pier 7 nsubj NOUN
        closed 3 ccomp VERB close
        . 3 punct PUNCT
        """
    )
    assert cues_of(doc) == []


def test_an_inverted_cue_takes_the_subject_after_the_verb():
    """“The pier will close,” said Ruiz: the quote comes first, the speaker after."""
    doc = parse(
        """
        The 1 det DET
        pier 3 nsubj NOUN
        will 3 aux AUX
        close 5 ccomp VERB
        , 5 punct PUNCT
        said 5 ROOT VERB say
        Ruiz 5 nsubj PROPN
        . 5 punct PUNCT
        """
    )
    assert cues_of(doc, quoted=(0, 1, 2, 3)) == [("said", "Ruiz", "The pier will close")]


def test_a_participle_inherits_the_subject_of_its_clause():
    """ "Ruiz left early, saying the talks had failed": the participle has no subject of
    its own; the clause's is the speaker."""
    doc = parse(
        """
        Ruiz 1 nsubj PROPN
        left 1 ROOT VERB leave
        early 1 advmod ADV
        , 1 punct PUNCT
        saying 1 advcl VERB say
        the 6 det DET
        talks 8 nsubj NOUN talk
        had 8 aux AUX have
        failed 4 ccomp VERB fail
        . 1 punct PUNCT
        """
    )
    assert cues_of(doc) == [("saying", "Ruiz", "the talks had failed")]


def test_according_to_names_the_source_of_the_clause():
    doc = parse(
        """
        The 1 det DET
        pier 2 nsubj NOUN
        closed 2 ROOT VERB close
        on 2 prep ADP
        Monday 3 pobj PROPN
        , 2 punct PUNCT
        according 2 prep VERB
        to 6 prep ADP
        Ruiz 7 pobj PROPN
        . 2 punct PUNCT
        """
    )
    [(cue, speaker, content)] = cues_of(doc)
    assert (cue, speaker) == ("according", "Ruiz") and content.startswith("The pier closed")


SAID_BUT_NOTED = """
    Lale 1 nsubj PROPN
    said 1 ROOT VERB say
    the 3 det DET
    fees 4 nsubj NOUN
    were 1 ccomp AUX be
    legal 4 acomp ADJ
    but 4 cc CCONJ
    noted 4 conj VERB note
    that 11 mark SCONJ
    we 11 nsubj PRON
    must 11 aux AUX
    wait 7 ccomp VERB
    . 1 punct PUNCT
"""


def test_a_report_coordinated_inside_another_is_the_same_speakers_next_statement():
    """ "Lale said the fees were legal but noted that we must wait": the parser hangs
    "noted" on "were", whose subject is the fees; Lale noted it, and said only the first."""
    doc = parse(SAID_BUT_NOTED)
    assert cues_of(doc)[1][:2] == ("noted", "fees")  # what the parse alone gives
    assert cues_of(doc, split=True) == [
        ("said", "Lale", "the fees were legal"),
        ("noted", "Lale", "we must wait"),
    ]


def test_a_coordinated_demand_stays_part_of_the_report():
    """ "Kinsella said the plan was late and called for a freeze": "called for" reports a
    demand, not a clause; the report keeps it."""
    doc = parse(
        """
        Kinsella 1 nsubj PROPN
        said 1 ROOT VERB say
        the 3 det DET
        plan 4 nsubj NOUN
        was 1 ccomp AUX be
        late 4 acomp ADJ
        and 4 cc CCONJ
        called 4 conj VERB call
        for 7 prep ADP
        a 10 det DET
        freeze 8 pobj NOUN
        . 1 punct PUNCT
        """
    )
    said = cues_of(doc, split=True)[0]
    assert said == ("said", "Kinsella", "the plan was late and called for a freeze")


def test_a_coordinated_report_with_its_own_subject_is_left_alone():
    """ "Ruiz said the plan was late and Lee noted that it cost more": Lee is named."""
    doc = parse(
        """
        Ruiz 1 nsubj PROPN
        said 1 ROOT VERB say
        the 3 det DET
        plan 4 nsubj NOUN
        was 1 ccomp AUX be
        late 4 acomp ADJ
        and 4 cc CCONJ
        Lee 8 nsubj PROPN
        noted 4 conj VERB note
        that 12 mark SCONJ
        it 12 nsubj PRON
        cost 8 ccomp VERB
        more 12 dobj ADJ
        . 1 punct PUNCT
        """
    )
    assert cues_of(doc, split=True) == cues_of(doc)
    assert cues_of(doc)[1][:2] == ("noted", "Lee")


def test_a_that_clause_after_the_verbs_phrase_beats_a_clause_further_on():
    """ "Minaj denied on the show that the ring meant she was engaged, telling the host,
    we are fine": the parser hung the that-clause on "show" and gave "denied" the far
    clause; what she denied is the near one."""
    doc = parse(
        """
        Minaj 1 nsubj PROPN
        denied 1 ROOT VERB deny
        on 1 prep ADP
        the 4 det DET
        show 2 pobj NOUN
        that 8 mark SCONJ
        the 7 det DET
        ring 8 nsubj NOUN
        meant 4 relcl VERB mean
        she 10 nsubj PRON
        was 8 ccomp AUX be
        engaged 10 acomp ADJ
        , 1 punct PUNCT
        telling 1 advcl VERB tell
        the 15 det DET
        host 13 dobj NOUN
        , 1 punct PUNCT
        we 18 nsubj PRON
        are 1 ccomp AUX be
        fine 18 acomp ADJ
        . 1 punct PUNCT
        """
    )
    denied = next(c for c in cues_of(doc) if c[0] == "denied")
    assert denied[1] == "Minaj" and denied[2].endswith("the ring meant she was engaged")


def test_the_question_a_verb_of_asking_puts_is_its_content():
    """ "Spring asked Ahern if he would resign": the parser made the if-clause adverbial;
    it is the question Spring put."""
    doc = parse(
        """
        Spring 1 nsubj PROPN
        asked 1 ROOT VERB ask
        Ahern 1 dobj PROPN
        if 6 mark SCONJ
        he 6 nsubj PRON
        would 6 aux AUX
        resign 1 advcl VERB
        . 1 punct PUNCT
        """
    )
    assert cues_of(doc) == [("asked", "Spring", "if he would resign")]


def test_a_clause_opening_with_that_is_the_content_whatever_its_label():
    """ "Trump tweeted in the morning that Ruiz was late": the parser made "that" an
    adverb of an adverbial clause; no adverbial clause opens with a bare "that"."""
    doc = parse(
        """
        Trump 1 nsubj PROPN
        tweeted 1 ROOT VERB tweet
        in 1 prep ADP
        the 4 det DET
        morning 2 pobj NOUN
        that 7 advmod ADV
        Ruiz 7 nsubj PROPN
        was 1 advcl AUX be
        late 7 acomp ADJ
        . 1 punct PUNCT
        """
    )
    [(cue, speaker, content)] = cues_of(doc)
    assert (cue, speaker) == ("tweeted", "Trump") and content.endswith("Ruiz was late")
    so_that = parse(
        """
        Trump 1 nsubj PROPN
        tweeted 1 ROOT VERB tweet
        early 1 advmod ADV
        so 6 mark SCONJ
        that 6 mark SCONJ
        fans 6 nsubj NOUN
        woke 1 advcl VERB wake
        . 1 punct PUNCT
        """
    )
    assert all(content is None for _, _, content in cues_of(so_that))


def test_an_as_x_put_it_aside_hung_on_the_subject_reports_the_clause():
    """ "Demand, as Ruiz put it to me, is a law": the parser hung the aside on the
    subject noun; the clause it sits in is still what Ruiz said."""
    doc = parse(
        """
        Demand 8 nsubj NOUN
        , 0 punct PUNCT
        as 4 mark SCONJ
        Ruiz 4 nsubj PROPN
        put 0 advcl VERB put
        it 4 dobj PRON
        to 4 prep ADP
        me 6 pobj PRON
        is 8 ROOT AUX be
        a 10 det DET
        law 8 attr NOUN
        of 10 prep ADP
        nature 11 pobj NOUN
        . 8 punct PUNCT
        """
    )
    assert cues_of(doc, quoted=(8, 9, 10, 11, 12)) == [("put", "Ruiz", "is a law of nature")]


def test_a_when_clause_hung_on_a_statement_does_not_report_it():
    """ "Hall was 23 when the board posted him to the rock": the verb of a clause opened
    by "when" is subordinate; the clause it hangs on is not what the board said."""
    doc = parse(
        """
        Hall 1 nsubj PROPN
        was 1 ROOT AUX be
        23 1 attr NUM
        when 6 advmod SCONJ when
        the 5 det DET
        board 6 nsubj NOUN
        posted 1 advcl VERB post
        him 6 dobj PRON
        to 6 prep ADP
        the 10 det DET
        rock 8 pobj NOUN
        . 1 punct PUNCT
        """
    )
    doc[3].tag_ = "WRB"
    assert all(content is None for cue, _, content in cues_of(doc) if cue == "posted")


def test_a_question_someone_declined_to_answer_is_not_a_report():
    """ "Lee declined to say who left": nothing was said; "Lee declined to deny that
    he called Ruiz" still reports what he is said to have done."""
    asked = parse(
        """
        Lee 1 nsubj PROPN
        declined 1 ROOT VERB decline
        to 3 aux PART
        say 1 xcomp VERB say
        who 5 nsubj PRON
        left 3 ccomp VERB leave
        . 1 punct PUNCT
        """
    )
    asked[4].tag_ = "WP"
    assert [cue for cue, _, _ in cues_of(asked)] == []
    denied = parse(
        """
        Lee 1 nsubj PROPN
        declined 1 ROOT VERB decline
        to 3 aux PART
        deny 1 xcomp VERB deny
        that 6 mark SCONJ
        he 6 nsubj PRON
        called 3 ccomp VERB call
        Ruiz 6 dobj PROPN
        . 1 punct PUNCT
        """
    )
    assert [(cue, content) for cue, _, content in cues_of(denied)] == [("deny", "he called Ruiz")]


def test_a_participle_report_inside_another_is_the_same_speakers_next_statement():
    """ "Perdue said the ads failed, arguing that the party split": the parser hung
    "arguing" on the first report's clause; Perdue argued it."""
    doc = parse(
        """
        Perdue 1 nsubj PROPN
        said 1 ROOT VERB say
        the 3 det DET
        ads 4 nsubj NOUN
        failed 1 ccomp VERB fail
        , 4 punct PUNCT
        arguing 4 advcl VERB argue
        that 10 mark SCONJ
        the 9 det DET
        party 10 nsubj NOUN
        split 6 ccomp VERB split
        . 1 punct PUNCT
        """
    )
    doc[6].tag_ = "VBG"
    assert cues_of(doc, split=True) == [
        ("said", "Perdue", "the ads failed"),
        ("arguing", "Perdue", "the party split"),
    ]
