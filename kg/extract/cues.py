"""Reporting cues in a parsed `Doc`: who is said to speak, and which words they said.

Each rule is one English news convention read off the dependency parse:

- a reporting verb and its subject: "Qin said (that) ...", "said Miller", "he added";
- a participle inherits its clause's subject: "Biden ..., saying: ...";
- the content is the verb's clausal complement, or its object for verbs like "stress":
  "Blinken stressed the importance of diplomacy";
- relays: "state media quoted Qin as telling Blinken" (speaker Qin, via state media);
- "according to X, ..." / "as per X" and "For X, ...".

Cues inside quotation marks are part of someone's words and are never used.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from kg.extract.lexicon import Lexicon, load_lexicon

SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
INHERIT_SUBJECT_DEPS = ("advcl", "xcomp", "conj", "pcomp", "acl")
PERSONISH_ENTS = ("PERSON", "ORG", "GPE", "NORP")
WH_TAGS = ("WP", "WDT", "WRB", "WP$")  # who, which, when, whose: an embedded question


@dataclass(frozen=True)
class Cue:
    """A reporting cue. Token ranges are ``[start, end)`` token indices of the `Doc`."""

    token: Token
    kind: str  # verb | relay | according | for
    speaker: Token | None
    content: tuple[int, int] | None
    addressee: Token | None = None
    via: Token | None = None
    content_before: bool = False
    relays_only: bool = False  # an "according to" around another cue: a relayer, never a speaker

    @property
    def text(self) -> str:
        if self.kind == "according":
            if self.token.lower_ == "according":
                return "according to"
            return "as per" if self.token.lower_ == "as" else "per"
        return self.token.text


@dataclass(frozen=True)
class ArticleWords:
    """The lexicon, plus the tokens the article's entity table knows to name people (the
    tagger misses many names, and "Mayor Ana Lopez was told" needs to know she is one)."""

    lexicon: Lexicon
    people: frozenset[int] = frozenset()

    def __getattr__(self, name: str):
        return getattr(self.lexicon, name)


def find_cues(
    doc: Doc,
    in_quote: list[int],
    lexicon: Lexicon | None = None,
    people: frozenset[int] = frozenset(),
) -> Iterator[Cue]:
    """Yield every reporting cue outside quotation marks, in text order. `people` holds
    the indices of tokens known to name a person."""
    lex = ArticleWords(lexicon or load_lexicon(), people)
    for token in doc:
        if in_quote[token.i] >= 0:
            continue
        lower = token.lower_
        if lower == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            cue = _according(token, doc[token.i + 1], lex)
        elif lower == "per" and token.i > 0 and doc[token.i - 1].lower_ == "as":
            cue = _according(doc[token.i - 1], token, lex)
        elif lower == "per" and _names_a_source(token, lex):
            cue = _according(token, token, lex)  # "..., per the AP"
        elif lower == "for" and token.is_sent_start:
            cue = _for_speaker(token, lex)
        elif (
            lower in ("said", "says")
            and token.is_sent_start
            and (first := _verb_first_cue(token, in_quote))
        ):
            cue = first
        elif lower == "put" and (aside := _as_x_put_it(token, in_quote)) is not None:
            cue = aside
        elif _may_report(token, in_quote, lex):
            cue = _verb_cue(token, in_quote, lex)
        elif token.pos_ == "NOUN" and token.lemma_.lower() in lex.reporting_nouns:
            cue = _noun_cue(token)
        else:
            cue = None
        if cue is not None:
            yield cue


def split_coordinated_reports(doc: Doc, cues: list[Cue]) -> list[Cue]:
    """A reporting verb coordinated inside another report, with no subject of its own, is
    the same speaker's next statement: in "Lale said the fees were lawful but noted that
    “we can only wait”" Lale said both, though the parser hangs "noted" on the first
    report's clause (whose subject, "the fees", would then have noted). So is a participle
    there ("..., adding that “I was available”"). The first report ends before the
    "but"/"and" or the comma, and the second takes its speaker.

    `cues` in text order; returns them in the same order.
    """
    out = list(cues)
    for o, outer in enumerate(out):
        if outer.kind != "verb" or outer.speaker is None or outer.content is None:
            continue
        start, end = outer.content
        for i in range(o + 1, len(out)):
            inner, verb = out[i], out[i].token
            if verb.i >= end:
                break
            if inner.kind != "verb" or inner.content is None or verb.i <= start:
                continue
            participle = verb.dep_ == "advcl" and verb.tag_ == "VBG"  # "..., adding that"
            if verb.dep_ != "conj" and not participle:
                continue
            if any(c.dep_ in SUBJECT_DEPS for c in verb.children):
                continue
            if not participle and (inner.speaker is None or not start <= inner.speaker.i < end):
                continue  # its subject is not the first report's
            if not start <= verb.head.i < verb.i or inner.content[1] > end:
                continue
            if not _reports_a_clause(verb, inner.content):
                continue  # "and called for a review": a demand, still part of the report
            cut = verb.left_edge.i
            while cut > start and (doc[cut - 1].dep_ == "cc" or doc[cut - 1].is_punct):
                cut -= 1
            first = _trim(doc, (start, cut), outer.token) if cut > start else None
            if first is None:
                continue
            out[o] = outer = replace(outer, content=first)
            out[i] = replace(inner, speaker=outer.speaker)
            start, end = first
    return out


def _reports_a_clause(verb: Token, content: tuple[int, int]) -> bool:
    """Whether a verb's content is a clause it governs ("noted that we can only wait"),
    not a phrase ("called for a review", "warned against hackers")."""
    return any(c.dep_ == "ccomp" and content[0] <= c.i < content[1] for c in verb.children)


def _may_report(token: Token, in_quote: list[int], lex: Lexicon) -> bool:
    """A reporting verb, or any verb that gives its object a quoted label."""
    if token.pos_ in ("VERB", "AUX") and verb_lemma(token) in lex.reporting_verbs:
        return True
    return token.pos_ == "VERB" and quoted_characterisation(token, in_quote, lex) is not None


def reports_in_quotation(
    doc: Doc, span: tuple[int, int], lexicon: Lexicon, people: frozenset[int] = frozenset()
) -> Iterator[Cue]:
    """Reporting cues among a quotation's tokens ``[start, end)``, read as if its marks
    were not there: "“... The governor said he was misquoted,” Ali said" holds the
    governor's report. Speaker and content stay inside the quotation; first- and
    second-person reports ("I said", "you told me") are the quoted speaker's own voice.
    """
    lex = ArticleWords(lexicon, people)
    local = _InsideOnly(*span)
    for token in doc[span[0] : span[1]]:
        if token.pos_ not in ("VERB", "AUX") or verb_lemma(token) not in lex.reporting_verbs:
            continue
        if not _reports_an_event(token):
            continue
        cue = _verb_cue(token, local, lex)
        if cue is None or cue.kind != "verb" or cue.speaker is None or cue.content is None:
            continue
        if not (span[0] <= cue.speaker.i < span[1]) or cue.speaker.lower_ in OWN_VOICE:
            continue
        if span[0] <= cue.content[0] and cue.content[1] <= span[1]:
            yield cue


class _InsideOnly:
    """A quote index that reads the tokens ``[start, end)`` as unquoted and every other
    token as quoted (out of reach), without a list as long as the article."""

    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end

    def __getitem__(self, i: int) -> int:
        return -1 if self.start <= i < self.end else 0


def _reports_an_event(verb: Token) -> bool:
    """Whether a verb inside a quotation tells of words actually said: not a wish or a
    demand ("he should disclose who told him", "tell me what you will do"), not a
    question, not a description ("the system that he claims to fight")."""
    if verb.dep_ in ("relcl", "acl", "xcomp", "advcl") or verb.tag_ in ("VB", "VBG"):
        return False
    if any(c.tag_ == "MD" for c in verb.children):
        return False
    return not any(t.text == "?" for t in verb.sent)


# the quoted speaker's own voice, or no one in particular
OWN_VOICE = frozenset(
    ["i", "we", "you", "me", "us", "it", "this", "that", "which", "who", "they", "one"]
)


def verb_lemma(verb: Token) -> str:
    """A verb's lemma with its particle, so phrasal verbs are words of their own:
    "went on" -> "go on", "pointed out" -> "point out", "said" -> "say"."""
    particle = next((c for c in verb.children if c.dep_ == "prt"), None)
    lemma = verb.lemma_.lower()
    return f"{lemma} {particle.lower_}" if particle is not None else lemma


def subject_of(verb: Token, depth: int = 0, lex: Lexicon | None = None) -> Token | None:
    """The subject of a verb, climbing from participles and conjuncts to their clause.

    "Biden played down the episode, saying: ..." -> "Biden" for "saying"; so too when the
    parser hangs the participle on the object ("dismissed the figures saying ...").
    """
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            return child
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    if (
        verb.dep_ in ("relcl", "acl")
        and verb.tag_ == "VBG"
        and verb.head.dep_ in ("dobj", "pobj")
        and verb.head.head != verb.head
        and depth < 3
        and not _is_person_like(verb.head, lex or load_lexicon())
    ):
        return subject_of(verb.head.head, depth + 1, lex)  # things do not say: their owner does
    if verb.dep_ == "relcl":
        return verb.head
    if depth < 3 and verb.dep_ in INHERIT_SUBJECT_DEPS and verb.head != verb:
        head = verb.head
        if head.dep_ == "prep" and head.head != head:
            head = head.head
        return subject_of(head, depth + 1, lex)
    return None


def _verb_cue(verb: Token, in_quote: list[int], lex: Lexicon) -> Cue | None:
    lemma = verb_lemma(verb)
    if lemma in lex.relay_verbs:
        relay = _relay(verb, lex)
        if relay is not None:
            return relay
    if lemma == "say" and _is_fixed_phrase(verb):
        return None
    if lemma in lex.weak_verbs and _is_infinitive(verb):
        return None
    if any(c.dep_ == "xcomp" and verb_lemma(c) in lex.reporting_verbs for c in verb.children):
        return None  # "went on to say that ...": the inner verb is the cue
    if any(c.dep_ == "neg" and c.i < verb.i and in_quote[c.i] < 0 for c in verb.children):
        # "Lee never claimed that ...", "did not say whether ...": no words of Lee's; inside
        # another's report ("Ana says Lee never claimed ...") the words are Ana's
        return None
    if _put_to_the_subject(verb, lex):
        return None
    speaker = subject_of(verb, 0, lex)
    if speaker is not None and speaker.dep_ == "csubj" and speaker.tag_ == "VBG":
        # "Talking to ANI, a senior official said": the parser made the opening participle
        # the subject and the speaker an apposition inside it
        speaker = next(
            (t for t in speaker.subtree if t.dep_ == "appos" and t.pos_ in ("NOUN", "PROPN")),
            None,
        )
    if in_quote[verb.i] < 0 and (speaker is None or in_quote[speaker.i] >= 0):
        if _participle(verb):
            # "..., Ortiz said, going on to say ...": the parser hung the participle on a
            # clause inside the quote; it continues the reporting clause before it
            speaker = _subject_before(verb, in_quote) or speaker
        if speaker is not None and in_quote[speaker.i] >= 0:
            # “C'est la vie,” said André Dupont: the parser took a word of the quote for
            # the subject; in an inverted cue the speaker follows the verb
            speaker = _subject_after(verb, in_quote)
    if _thing_subject_of_participle(verb, speaker, lex):
        # "dismissed the figures saying ...": the parser made the object the participle's
        # subject; things do not say, the person who dismissed them does
        owner = subject_of(verb.head, 1, lex)
        if owner is not None and _is_person_like(owner, lex):
            speaker = owner
    passive_addressee = None
    if speaker is not None and speaker.dep_ == "nsubjpass":
        if not _is_person_like(speaker, lex):
            speaker = None  # "no date was announced": the subject is what was said, not who
        elif lemma in lex.addressee_object_verbs and speaker.head == verb:
            # "X was told that ...": X heard it; the speaker is the agent, if named
            passive_addressee = speaker
            speaker = passive_agent(verb)
    content = _content(verb, in_quote, lex)
    if _refused(verb, lex) and (
        content is None
        or any(_opens_question(verb.doc[i]) for i in range(max(content[0] - 1, 0), content[0] + 1))
    ):  # (the content is trimmed of its "whether")
        return None  # "declined to say who ...": an unanswered question, not a report
    if content is not None and not _has_quote(verb.doc, content, in_quote):
        if _is_free_relative(verb, content) or lemma in lex.agreement_verbs:
            return None  # a borrowed label, or an agreement reached: not a report of words
    addressee = passive_addressee or _addressee(verb, content, lex)
    if content is None and lemma in lex.weak_verbs and not _ends_clause(verb):
        return None
    if speaker is None and content is None:
        return None
    if (
        speaker is not None
        and speaker.lower_ in ("it", "this", "that", "which")
        and content is None
    ):
        return None
    before = content is not None and content[1] <= verb.i
    citing = _citing(verb, content, lex)
    if citing is not None and content is not None:
        # "Reuters reported, citing two officials, that ...": the officials said it, and
        # it reached the article through Reuters
        source, phrase = citing
        content = _outside(content, phrase)
        content = _trim(verb.doc, content) if content is not None else None
        if content is not None:
            return Cue(verb, "relay", source, content, addressee, speaker, before)
    return Cue(verb, "verb", speaker, content, addressee, None, before)


def _noun_cue(noun: Token) -> Cue | None:
    """ "the minister's warning that prices would rise", "remarks by X that ...": the noun's
    "that" clause is the content, its owner ("'s", "of", "by") the speaker."""
    clause = next(
        (
            c
            for c in noun.children
            if c.dep_ in ("acl", "ccomp", "relcl")
            and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
        ),
        None,
    )
    if clause is None:
        return None
    speaker = next((c for c in noun.children if c.dep_ == "poss"), None)
    if speaker is None:
        for prep in noun.children:
            if prep.dep_ in ("prep", "agent") and prep.lower_ in ("of", "by", "from"):
                speaker = next((g for g in prep.children if g.dep_ == "pobj"), None)
                if speaker is not None:
                    break
    if speaker is None or (speaker.pos_ == "PRON" and speaker.lower_ in ("its", "their")):
        return None
    content = _trim(noun.doc, (clause.left_edge.i, clause.right_edge.i + 1))
    return Cue(noun, "verb", speaker, content, None, None, False)


def _relay(verb: Token, lex: Lexicon) -> Cue | None:
    """ "X quoted Y as saying ..." / "Y was quoted as saying" / "X cited Y as saying"."""
    as_prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"), None)
    if as_prep is None:
        return None
    inner = next((c for c in as_prep.children if c.dep_ in ("pcomp", "pobj")), None)
    quoted = next((c for c in verb.children if c.dep_ == "dobj"), None)
    relayer = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if quoted is None:
        quoted = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        relayer = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent else None
    if quoted is None:
        return None
    content = None
    addressee = None
    if inner is not None:
        content = _content(inner, None, lex)
        addressee = _addressee(inner, content, lex)
    if content is None:
        clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if clause is not None:
            content = _trim(verb.doc, (clause.left_edge.i, clause.right_edge.i + 1), verb)
    if content is None:
        content = _content_from_head(verb)
    before = content is not None and content[1] <= verb.i
    return Cue(verb, "relay", quoted, content, addressee, relayer, before)


def _according(first: Token, to: Token, lex: Lexicon) -> Cue | None:
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None:
        return None
    sent = first.sent
    phrase_start, phrase_end = first.i, source.right_edge.i + 1
    head = first.head if first.head != first else None
    if head is not None and head.dep_ == "prep" and head.i < first.i:
        phrase_start = head.i
    left = (sent.start, phrase_start)
    right = (phrase_end, sent.end)
    content = left if _span_words(first.doc, left) >= _span_words(first.doc, right) else right
    if _span_words(first.doc, content) < 3:
        return None
    if _reports_inside(first.doc, content, lex):
        # "Qin told Blinken ..., according to CCTV": CCTV relays Qin's report, it says nothing
        return Cue(first, "according", source, None, None, None, False, relays_only=True)
    return Cue(first, "according", source, _trim(first.doc, content), None, None, content == left)


def _citing(
    verb: Token, content: tuple[int, int] | None, lex: Lexicon
) -> tuple[Token, tuple[int, int]] | None:
    """The source a report cites ("citing two officials") and the phrase's token range,
    when the participle hangs on the verb or on the head of its content."""
    heads = {verb.i}
    if content is not None:
        heads |= {t.i for t in verb.doc[content[0] : content[1]] if t.head.i == verb.i}
    for token in verb.doc[verb.sent.start : verb.sent.end]:
        if token.lemma_.lower() != "cite" or token.tag_ != "VBG" or token.head.i not in heads:
            continue
        source = next((c for c in token.children if c.dep_ == "dobj"), None)
        if source is not None and _is_person_like(source, lex):
            return source, (token.i, token.right_edge.i + 1)
    return None


def _outside(content: tuple[int, int], phrase: tuple[int, int]) -> tuple[int, int] | None:
    """A content without a phrase at its start or end."""
    start, end = content
    if phrase[0] <= start < phrase[1]:
        start = phrase[1]
    elif start < phrase[0] < end and phrase[1] >= end - 1:
        end = phrase[0]
    while start < end and phrase[0] <= start < phrase[1]:
        start += 1
    return (start, end) if end - start >= 2 else None


def _names_a_source(per: Token, lex: Lexicon) -> bool:
    """ "per the AP", "per Reuters": a source, not a rate ("per share", "per cent")."""
    source = next((c for c in per.children if c.dep_ == "pobj"), None)
    if source is None:
        return False
    return (
        source.pos_ == "PROPN"
        or source.ent_type_ in ("ORG", "PERSON")
        or (source.lemma_.lower() in lex.media_words)
    )


def _reports_inside(doc: Doc, span: tuple[int, int], lex: Lexicon) -> bool:
    """Whether a span holds its own reporting verb with a subject ("Qin told ...")."""
    return any(
        t.pos_ == "VERB"
        and t.lemma_.lower() in lex.reporting_verbs
        and any(c.dep_ in SUBJECT_DEPS for c in t.children)
        for t in doc[span[0] : span[1]]
    )


def _for_speaker(first: Token, lex: Lexicon) -> Cue | None:
    """ "For Ines Mora, a former official, each side has an interest ..."."""
    source = next((c for c in first.children if c.dep_ == "pobj"), None)
    if source is None:
        return None
    if source.ent_type_ != "PERSON" and source.lemma_.lower() not in lex.role_nouns:
        return None
    sent = first.sent
    comma = next((t for t in first.doc[source.right_edge.i + 1 : sent.end] if t.text == ","), None)
    if comma is None or comma.i - first.i > 25:
        comma = source.right_edge.nbor(1) if source.right_edge.i + 1 < sent.end else None
        if comma is None or comma.text != ",":
            return None
    content = (comma.i + 1, sent.end)
    if _span_words(first.doc, content) < 4:
        return None
    return Cue(first, "for", source, _trim(first.doc, content), None, None, False)


def _content(verb: Token, in_quote: list[int] | None, lex: Lexicon) -> tuple[int, int] | None:
    """Token range of what the verb reports, or None when its clause names no content."""
    lemma = verb_lemma(verb)
    clauses = [
        c
        for c in verb.children
        if c.dep_ in ("ccomp", "csubj")
        and not (c.dep_ == "csubj" and c.tag_ == "VBG")  # "Talking to ANI, X said": no content
        and not (
            c.lemma_.lower() in lex.relay_verbs and any(g.dep_ in SUBJECT_DEPS for g in c.children)
        )
    ]
    clause = _clause_under_adjunct(verb) or _that_clause_mislabelled(verb)
    if clauses:
        best = max(clauses, key=lambda c: c.right_edge.i - c.left_edge.i)
        if clause is None or best.left_edge.i < clause[0]:
            return _trim(verb.doc, (best.left_edge.i, best.right_edge.i + 1), verb)
        # "denied on the show that the ring meant ..., telling the host, “We're ...”": the
        # that-clause right after the verb's phrase is its content; a clause further on
        # belongs to what comes between
    if clause is not None:
        return _trim(verb.doc, clause, verb)
    if lemma in lex.question_verbs:
        question = _indirect_question(verb)
        if question is not None:
            return _trim(verb.doc, question, verb)
    if lemma in lex.content_object_verbs:
        for child in verb.children:
            if child.dep_ == "dobj" and not _is_person_like(child, lex):
                span = (child.left_edge.i, child.right_edge.i + 1)
                quoted = _has_quote(verb.doc, span, in_quote)
                if quoted or (
                    _span_words(verb.doc, span) >= 3 and lemma not in lex.evaluative_verbs
                ):
                    return _trim(verb.doc, span, verb)
    if lemma in lex.characterising_verbs:
        # "called the talks 'candid'" reports words; "described as useful" only labels
        for child in verb.children:
            if child.dep_ in ("oprd", "acomp", "xcomp") or (
                child.dep_ == "prep" and child.lower_ == "as"
            ):
                span = (child.left_edge.i, child.right_edge.i + 1)
                if _has_quote(verb.doc, span, in_quote):
                    return _trim(verb.doc, span, verb)
                return None
        for child in verb.children:  # the quoted label parsed inside the object
            if child.dep_ == "dobj":
                span = (child.left_edge.i, child.right_edge.i + 1)
                if _has_quote(verb.doc, span, in_quote):
                    return _trim(verb.doc, span, verb)
    label = quoted_characterisation(verb, in_quote, lex)
    if label is not None:
        return label
    xcomp = next((c for c in verb.children if c.dep_ == "xcomp"), None)
    if xcomp is not None and lemma in lex.infinitive_content_verbs:
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        start = obj.left_edge.i if obj is not None and obj.i < xcomp.i else xcomp.left_edge.i
        return _trim(verb.doc, (start, xcomp.right_edge.i + 1), verb)
    quoted = _quoted_object(verb, in_quote, lex)
    if quoted is not None:
        return quoted
    if lemma in lex.topic_content_verbs:
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in ("against", "about", "of", "for", "on"):
                span = (child.i, child.right_edge.i + 1)
                if _span_words(verb.doc, span) >= 3:
                    return _trim(verb.doc, span, verb)
    return _content_from_head(verb) or _clause_after_second_subject(verb)


def _clause_after_second_subject(verb: Token) -> tuple[int, int] | None:
    """ "Lee says many food options offered at schools skirt the rules": the tagger took
    the reported clause's verb for a noun ("skirt") and gave "says" a second subject
    right after it; from that subject to the sentence's end is what was said."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if not any(c.i < verb.i for c in subjects):
        return None
    after = next((c for c in subjects if c.i > verb.i), None)
    if after is None or after.left_edge.i not in (verb.i + 1, verb.i + 2):
        return None
    span = (after.left_edge.i, verb.sent.end)
    return _trim(verb.doc, span, verb) if _span_words(verb.doc, span) >= 4 else None


def quoted_characterisation(
    verb: Token, in_quote: list[int] | None, lex: Lexicon
) -> tuple[int, int] | None:
    """The quoted label a verb's subject gives its object, whatever the verb: the label
    is the subject's words. "dismissed the report as “fake news”" (any verb with "as"),
    "blasted the media for being “dishonest”" (a verb that judges: "for", "of"),
    "likened the rules to “burning the Constitution”" (a verb that likens: "to").

    Returns the token range after the preposition, or None when the phrase is not
    mostly quoted ("praised her as a leader" labels, it reports no words).
    """
    if in_quote is None:
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None:
        return _label_before_object(verb, in_quote)
    lemma = verb_lemma(verb)
    allowed = {"as"}
    if lemma in lex.target_object_verbs:
        allowed |= {"for", "of"}
    if lemma in lex.likening_verbs:
        allowed.add("to")
    for start, end in _label_phrases(verb, obj, allowed):
        quoted = [i for i in range(start, end) if in_quote[i] >= 0]
        if not quoted:
            continue
        span = (start, quoted[-1] + 1)  # "as a “con artist” this year": to the quote's end
        words = [t for t in verb.doc[span[0] : span[1]] if not t.is_punct and t.dep_ != "det"]
        inside = sum(1 for t in words if in_quote[t.i] >= 0)
        if words and inside >= 0.5 * len(words):
            return _trim(verb.doc, span, verb)
    return None


def _indirect_question(verb: Token) -> tuple[int, int] | None:
    """The if/whether clause after a verb of asking, which the parser often labels an
    adverbial clause: "asked Ahern if he would resign" puts the question "if he would
    resign". Returns its token range, or None."""
    for child in verb.rights:
        if child.dep_ in ("advcl", "ccomp") and any(
            c.dep_ == "mark" and c.lower_ in ("if", "whether") and c.i < child.i
            for c in child.children
        ):
            return child.left_edge.i, child.right_edge.i + 1
    return None


def _that_clause_mislabelled(verb: Token) -> tuple[int, int] | None:
    """A clause after the verb that opens with "that" is its complement, whatever the
    parser called it: "tweeted in the early hours that Machado was ..." (an adverbial
    clause with "that" as an adverb). No adverbial clause opens with a bare "that"
    ("so that", "now that" open with another word). Returns its token range, or None."""
    for child in verb.rights:
        if child.dep_ == "advcl" and child.left_edge.lower_ == "that":
            before = verb.doc[child.left_edge.i - 1]
            if before.lower_ not in ("so", "now", "such", "order", "given"):
                return child.left_edge.i, child.right_edge.i + 1
    return None


def _clause_under_adjunct(verb: Token) -> tuple[int, int] | None:
    """A that-clause the parser hung on the noun of a phrase between the verb and it:
    "said in a statement that ...", "told reporters at a briefing that ...". The clause
    is what was said, not a description of the statement.

    Returns the clause's token range, or None."""
    doc = verb.doc
    for prep in verb.children:
        if prep.i < verb.i or prep.dep_ != "prep" or prep.i > verb.i + 4 or prep.lower_ == "as":
            continue
        for noun in (c for c in prep.children if c.dep_ == "pobj"):
            for clause in noun.children:
                mark = doc[clause.left_edge.i]
                # "that" as the clause's mark, not its subject or object: a complement,
                # whatever label the parser gave the clause
                if (
                    clause.dep_ in ("acl", "relcl")
                    and mark.lower_ == "that"
                    and mark.dep_ == "mark"
                ):
                    return clause.left_edge.i, clause.right_edge.i + 1
    return None


def _label_before_object(verb: Token, in_quote: list[int]) -> tuple[int, int] | None:
    """A quoted label put before a long object ("dismissing as “absurd” reports that she
    was sidelined"): the parser reads the object as the label's noun, so the phrase after
    "as" is the label and the object it gives it, and it opens with the quoted label.
    """
    doc = verb.doc
    prep = next((c for c in verb.children if c.dep_ == "prep" and c.i == verb.i + 1), None)
    if prep is None or prep.lower_ != "as" or prep.i + 2 >= len(doc):
        return None
    first = next((t for t in doc[prep.i + 1 : prep.right_edge.i + 1] if not t.is_punct), None)
    if first is None or in_quote[first.i] < 0:
        return None
    return _trim(doc, (prep.i + 1, prep.right_edge.i + 1), verb)


def _label_phrases(verb: Token, obj: Token, preps: set[str]) -> Iterator[tuple[int, int]]:
    """Token ranges of the phrases after the object that start with one of `preps`: the
    parser hangs "as ..." on the verb or on its object, and reads "to “burning ...”" as
    an infinitive's "to"."""
    for child in [*verb.children, *obj.children]:
        if child.i < obj.i:
            continue
        if child.dep_ == "prep" and child.lower_ in preps:
            yield child.i + 1, child.right_edge.i + 1
        elif child.dep_ == "xcomp" and "to" in preps:
            to = next((c for c in child.children if c.dep_ == "aux" and c.lower_ == "to"), None)
            if to is not None:
                yield to.i + 1, child.right_edge.i + 1


def _quoted_object(verb: Token, in_quote: list[int] | None, lex: Lexicon) -> tuple[int, int] | None:
    """A quotation that is the verb's object is what it reports, whatever the verb:
    "shouting “Control the police!”", "reported “2,521 incidents” in the city". Not the
    object of "told X" or "accused X": that is a listener or a target."""
    lemma = verb_lemma(verb)
    if in_quote is None or lemma in lex.addressee_object_verbs or lemma in lex.target_object_verbs:
        return None
    for child in verb.children:
        if child.i < verb.i or child.dep_ not in (
            "dobj",
            "npadvmod",
            "oprd",
            "attr",
            "dep",
            "xcomp",
        ):
            continue
        if child.dep_ == "dobj" and _is_person_like(child, lex):
            continue
        span = (child.left_edge.i, child.right_edge.i + 1)
        inside = sum(1 for i in range(*span) if in_quote[i] >= 0)
        if inside and inside >= (0.3 if child.dep_ == "dobj" else 0.6) * (span[1] - span[0]):
            return _trim(verb.doc, span, verb)
    return None


def _refused(verb: Token, lex: Lexicon) -> bool:
    """Whether the verb is what someone declined or refused to do: "declined to provide
    details or say who uttered the remark" reports nothing said (but "declined to deny
    that he told Bruton ..." still reports what he is said to have told him)."""
    node = verb
    for _ in range(4):
        if node.dep_ not in ("xcomp", "conj") or node.head.i == node.i:
            return False
        node = node.head
        if node.lemma_.lower() in lex.refusal_verbs:
            return True
    return False


def _opens_question(word: Token) -> bool:
    """Whether a clause's first word makes it an embedded question: who, which, when,
    how, whether, if."""
    return word.tag_ in WH_TAGS or word.lower_ in ("whether", "if", "how")


def _put_to_the_subject(verb: Token, lex: Lexicon) -> bool:
    """A passive participle opening a clause ("Asked whether the deal was dead, Lee said
    ..."): the question was put to the clause's subject; its words are nobody's report.

    >>> import spacy
    >>> from spacy.tokens import Doc
    >>> words = ["Asked", "whether", "it", "ended", ",", "Lee", "said", "no", "."]
    >>> doc = Doc(spacy.blank("en").vocab, words=words, heads=[6, 3, 3, 0, 6, 6, 6, 6, 6],
    ...           deps=["advcl", "mark", "nsubj", "ccomp", "punct", "nsubj", "ROOT", "dobj", "punct"],
    ...           tags=["VBN", "IN", "PRP", "VBD", ",", "NNP", "VBD", "UH", "."],
    ...           lemmas=["ask", "whether", "it", "end", ",", "Lee", "say", "no", "."])
    >>> _put_to_the_subject(doc[0], load_lexicon()), _put_to_the_subject(doc[6], load_lexicon())
    (True, False)
    """
    return (
        verb.tag_ == "VBN"
        and verb.dep_ in ("advcl", "ccomp", "dep")
        and verb.i < verb.head.i
        and verb_lemma(verb) in lex.addressee_object_verbs
        and not any(c.dep_ in SUBJECT_DEPS or c.dep_ == "agent" for c in verb.children)
    )


def _thing_subject_of_participle(verb: Token, subject: Token | None, lex: Lexicon) -> bool:
    """A participle ("saying") whose subject is a plain thing ("the figures")."""
    if subject is None or verb.tag_ != "VBG" or subject.dep_ != "nsubj":
        return False
    if verb.dep_ not in ("ccomp", "advcl", "xcomp", "conj") or verb.head == verb:
        return False
    lemma = subject.lemma_.lower()
    return (
        subject.pos_ == "NOUN"
        and not subject.ent_type_
        and not _is_person_like(subject, lex)
        and lemma not in lex.organization_nouns
        and lemma not in lex.document_nouns
    )


def _participle(verb: Token) -> bool:
    """ "going", "saying", or a verb of a participle chain ("going on to say")."""
    for _ in range(3):
        if verb.tag_ == "VBG":
            return True
        if verb.dep_ != "xcomp" or verb.head == verb:
            return False
        verb = verb.head
    return False


def _subject_before(verb: Token, in_quote: list[int]) -> Token | None:
    """The subject of the nearest reporting clause before `verb` in its sentence, outside
    quotation marks."""
    for token in reversed(verb.doc[verb.sent.start : verb.i]):
        if in_quote[token.i] < 0 and token.dep_ in ("nsubj", "nsubjpass"):
            if in_quote[token.head.i] < 0:
                return token
    return None


def _as_x_put_it(verb: Token, in_quote: list[int]) -> Cue | None:
    """ "As Ruiz put it, the pier is “a death trap”": the clause the "as ... put it" aside
    hangs on is what Ruiz said, before or after the aside."""
    if verb.dep_ not in ("advcl", "ccomp") or verb.head == verb:
        return None  # the parser hangs the aside either way
    children = list(verb.children)
    mark = next((c for c in children if c.dep_ == "mark" and c.lower_ == "as"), None)
    if mark is None:
        return None
    if not any(c.dep_ == "dobj" and c.lower_ == "it" for c in children):
        return None
    # the subject inside the aside: a parse that hangs the clause's own subject on "put"
    # as well puts it first ("Induced demand, as the planner put it, ...")
    speaker = next((c for c in children if c.dep_ in SUBJECT_DEPS and c.i > mark.i), None)
    if speaker is None:
        return None
    head = verb.head
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head  # "Induced demand, as X put it, is ...": hung on the subject noun
    before = (head.left_edge.i, verb.left_edge.i)
    after = (verb.right_edge.i + 1, head.right_edge.i + 1)
    # the aside first, or set inside the clause before a quotation ("... being seen, as
    # the magazine put it, “the operator.”"): the words after it; else those before it
    quoted_after = any(in_quote[i] >= 0 for i in range(*after))
    span = after if verb.left_edge.i < head.i or quoted_after else before
    if _span_words(verb.doc, span) < (1 if quoted_after else 3):
        return None
    content = _trim(verb.doc, span, verb)
    if content is None:
        return None
    return Cue(verb, "verb", speaker, content, None, None, content[1] <= verb.i)


def _verb_first_cue(verb: Token, in_quote: list[int]) -> Cue | None:
    """ "Said Lindqvist: “I do not think so.”": a cue that opens its sentence with the verb,
    then the speaker and a colon or comma before the quotation (the tagger often reads
    "Said" as a name). A sentence-initial "said" with a clause of its own is an ordinary
    verb and is left to the other rules."""
    if verb.pos_ == "VERB" and any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return None
    speaker = _subject_after(verb, in_quote)
    if speaker is None:
        return None
    doc = verb.doc
    mark = speaker.i + 1
    if mark >= len(doc) or doc[mark].text not in (":", ","):
        return None
    quoted = [i for i in range(mark + 1, verb.sent.end) if in_quote[i] >= 0]
    if not quoted or quoted[0] > mark + 2:
        return None
    return Cue(verb, "verb", speaker, (quoted[0], quoted[-1] + 1), None, None, False)


def _subject_after(verb: Token, in_quote: list[int]) -> Token | None:
    """The speaker of an inverted cue ("said André Dupont", "said the mayor"): the head of
    the name or noun phrase right after the verb."""
    doc = verb.doc
    i = verb.i + 1
    while i < len(doc) and i <= verb.i + 4 and doc[i].ent_type_ in ("DATE", "TIME"):
        i += 1  # "said Monday", "said on Thursday morning": when, not who
    if i < len(doc) and doc[i].pos_ == "DET":
        i += 1
    while i < len(doc) and doc[i].pos_ == "ADJ":
        i += 1
    head = None
    while (
        i < len(doc)
        and in_quote[i] < 0
        and doc[i].pos_ in ("PROPN", "NOUN")
        and doc[i].ent_type_ not in ("DATE", "TIME")
    ):
        head = doc[i]
        if doc[i].pos_ == "NOUN" and not (i + 1 < len(doc) and doc[i + 1].pos_ == "NOUN"):
            break
        i += 1
    return head


def passive_agent(verb: Token) -> Token | None:
    """The "by X" of a passive verb."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    return next((g for g in agent.children if g.dep_ == "pobj"), None) if agent else None


def _content_from_head(verb: Token) -> tuple[int, int] | None:
    """ "Relations are at a low, Qin said": the cue hangs off the reported clause.

    Not for an infinitive ("agreed that Qin would travel to Washington to continue
    talks"): a purpose clause reports nothing.
    """
    if verb.dep_ not in ("parataxis", "ccomp", "advcl") or verb.head == verb:
        return None
    head = verb.head
    if (
        verb.dep_ == "ccomp"
        and head.lemma_.lower() in load_lexicon().reporting_verbs
        and verb.left_edge.i - head.i <= 2
    ):
        return None  # "it was revealed the state reported ...": itself what was reported
    if _is_infinitive(verb) or any(
        c.dep_ == "mark" or (c.dep_ == "advmod" and c.tag_ == "WRB" and c.i < verb.i)
        for c in verb.children
    ):
        # "... since the US accused Beijing", "He was 23 when the board posted him": a
        # subordinate clause, no report
        return None
    if verb.tag_ == "VBG" and verb.dep_ == "advcl":
        return None  # "profits fell, blaming cocoa prices": the clause it hangs on is narrative
    head = verb.head
    if head.i > verb.i:
        if verb.dep_ != "parataxis":
            return None
        # "Among the sticking points, he said, Taiwan is the most sensitive": a cue set
        # in commas inside the clause it reports; the words after it are the statement
        span = (verb.right_edge.i + 1, head.right_edge.i + 1)
        return _trim(verb.doc, span) if _span_words(verb.doc, span) >= 3 else None
    start = head.left_edge.i
    end = verb.left_edge.i
    if _span_words(verb.doc, (start, end)) < 3:
        return None
    return _trim(verb.doc, (start, end), verb)


def _addressee(verb: Token, content: tuple[int, int] | None, lex: Lexicon) -> Token | None:
    lemma = verb_lemma(verb)
    for child in verb.children:
        if content and content[0] <= child.i < content[1]:
            continue
        if (
            child.dep_ in ("dobj", "dative")
            and lemma in lex.addressee_object_verbs
            and _is_person_like(child, lex)
        ):
            return child
        if (
            child.dep_ in ("dative", "prep")
            and child.lower_ == "to"
            and lemma not in ("agree", "point")
        ):
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None and _is_person_like(pobj, lex):
                return pobj
    return None


def _is_person_like(token: Token, lex: Lexicon | ArticleWords) -> bool:
    if token.i in getattr(lex, "people", ()):
        return True
    if token.pos_ == "PRON":
        return token.lower_ not in ("it", "this", "that", "what", "which", "something", "nothing")
    if token.ent_type_ in PERSONISH_ENTS:
        return True
    lemma = token.lemma_.lower()
    return lemma in lex.role_nouns or lemma in lex.media_words or lemma in lex.audience_nouns


def _is_infinitive(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)


def _is_free_relative(verb: Token, content: tuple[int, int] | None) -> bool:
    """ "what officials called candid talks", "what it said was a spy balloon": a label
    the writer borrows, not a report of what was said."""
    for child in verb.children:
        if child.lower_ == "what" and child.dep_ in ("dobj", "nsubj", "nsubjpass", "oprd"):
            return True
        if content and child.dep_ == "ccomp":
            if any(g.lower_ == "what" and g.dep_ in SUBJECT_DEPS for g in child.children):
                return True
    return False


def _is_fixed_phrase(verb: Token) -> bool:
    """ "that is to say", "needless to say", "so to say" (but not "went on to say that ...":
    a fixed phrase reports no clause)."""
    prev = verb.nbor(-1) if verb.i > 0 else None
    return (
        prev is not None
        and prev.lower_ == "to"
        and verb.dep_ in ("xcomp", "advcl", "acl")
        and not any(c.dep_ == "ccomp" for c in verb.children)
    )


def _ends_clause(verb: Token) -> bool:
    """Whether nothing but punctuation follows the verb (and its particle: "went on:")."""
    i = verb.i + 1
    while i < len(verb.doc) and verb.doc[i].dep_ == "prt" and verb.doc[i].head == verb:
        i += 1
    return i >= len(verb.doc) or verb.doc[i].is_punct


def _has_quote(doc: Doc, span: tuple[int, int], in_quote: list[int] | None) -> bool:
    if in_quote is None:
        return False
    return any(in_quote[i] >= 0 for i in range(span[0], span[1]))


def _span_words(doc: Doc, span: tuple[int, int]) -> int:
    return sum(1 for t in doc[span[0] : span[1]] if not (t.is_punct or t.is_space))


def _trim(doc: Doc, span: tuple[int, int], verb: Token | None = None) -> tuple[int, int] | None:
    """Drop leading "that"/punctuation and trailing punctuation; never include the cue."""
    start, end = span
    if verb is not None and start <= verb.i < end:
        if verb.i - start > end - verb.i:
            end = verb.i
        else:
            start = verb.i + 1
    while start < end and (
        doc[start].is_space
        or (doc[start].is_punct and doc[start].text not in "“‘\"'(")
        or (doc[start].lower_ in ("that", "whether") and doc[start].dep_ == "mark")
    ):
        start += 1
    while end > start and (
        doc[end - 1].is_space or (doc[end - 1].is_punct and doc[end - 1].text not in "”’\"')…?!")
    ):
        end -= 1
    return (start, end) if end > start else None


@dataclass(frozen=True)
class CueNesting:
    """How reports nest: which cue's report another cue relays, which are buried.

    In "X said [Y told Z that ...]" Y's report heads what X said, so X relays Y (`outer_of`
    maps Y's index to X's). In "X said [that while Y said ..., the plan stands]" Y's report
    is buried in X's own statement and stays part of it (`buried`).
    """

    outer_of: dict[int, int]
    buried: frozenset[int]

    @property
    def outers(self) -> frozenset[int]:
        return frozenset(self.outer_of.values())


def cue_nesting(doc: Doc, cues: list[Cue], lex: Lexicon | None = None) -> CueNesting:
    """The nesting of `cues` (in text order), looking only at cues inside each content."""
    lex = lex or load_lexicon()
    positions = [c.token.i for c in cues]
    outer_of: dict[int, int] = {}
    buried: set[int] = set()
    for o, outer in enumerate(cues):
        if outer.content is None:
            continue
        head = _head_of(doc, outer.content)
        lo = bisect.bisect_left(positions, outer.content[0])
        hi = bisect.bisect_left(positions, outer.content[1])
        for i in range(lo, hi):
            inner = cues[i]
            if i == o or inner.speaker is None or inner.content is None:
                continue
            if inner.token == head and _relays(inner, lex):
                outer_of[i] = o
            else:
                buried.add(i)
    return CueNesting(outer_of, frozenset(buried))


def _relays(inner: Cue, lex: Lexicon) -> bool:
    """Whether a report heading another's content is words the outer speaker passes on
    ("Lee said Ruiz told him ..."), not part of the outer speaker's own statement: an
    earlier exchange they recount ("had told"), a plan ("her group would ask the board to
    ..."), or what a thing says ("the agreement acknowledged ...") are the outer's words."""
    verb, subject = inner.token, inner.speaker
    if _past_perfect(verb) or any(
        c.dep_ == "aux" and c.tag_ == "MD" and c.lower_ != "can" for c in verb.children
    ):
        return False
    if subject is None or subject.pos_ in ("PRON", "PROPN") or subject.ent_type_:
        return True
    lemma = subject.lemma_.lower()
    return (
        _is_person_like(subject, lex)
        or lemma in lex.organization_nouns
        or lemma in lex.document_nouns
        or lemma in lex.collective_bodies
    )


def _past_perfect(verb: Token) -> bool:
    """ "had told", "had assured": an earlier exchange the outer speaker recounts as part
    of their own statement, not words relayed from the meeting itself."""
    return verb.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in verb.children
    )


def _head_of(doc: Doc, span: tuple[int, int]) -> Token | None:
    """The token of a span whose head lies outside it: the clause's main verb."""
    for token in doc[span[0] : span[1]]:
        if not (span[0] <= token.head.i < span[1]) or token.head == token:
            return token
    return None
