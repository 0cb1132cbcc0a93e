"""Assemble attributed quotes from cues and quoted spans of one parsed article.

The order of rules, each a news convention:

1. a cue's content from the parse (direct when the content is one quotation, mixed when
   it holds quoted words, indirect or unquoted when it holds none);
2. a report inside a report ("Blinken stressed X, Miller said") belongs to the inner
   speaker, relayed by the outer one; "according to" and "quoted ... as saying" relay too;
3. a quotation with no clause of its own takes the cue next to it ("“...,” he said",
   "He added: “...”", or a cue sentence right after it);
4. a quotation paragraph with no cue continues the previous speaker's quote;
5. pronouns and role descriptions resolve to the people the article names.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from kg.extract.cues import Cue, find_cues, token_quote_index
from kg.extract.lexicon import (
    COLLECTIVE_BODIES,
    DOCUMENT_NOUNS,
    MEDIA_WORDS,
    ORGANIZATION_NOUNS,
    PERSON_ROLE_NOUNS,
    PRONOUN_GENDER,
    REPORTING_NOUNS,
    ROLE_ABBREVIATIONS,
)
from kg.extract.mentions import quote_mentions
from kg.extract.model import ArticleQuotes, Quote, Speaker
from kg.extract.people import PeopleIndex, Person, clean_name, role_head, role_words
from kg.extract.topics import Taxonomy, article_prior, assign_topics, default_taxonomy
from kg.extract.transcript import interview_answers, speaker_labels
from kg.nlp.marks import QuotedSpan
from kg.nlp.pipeline import DATELINE, ParsedArticle

MIN_QUOTE_WORDS = 3
MIN_REPORTED_WORDS = 4
_TITLE_SMALL_WORDS = {
    "a",
    "an",
    "the",
    "of",
    "and",
    "or",
    "in",
    "on",
    "to",
    "for",
    "at",
    "by",
    "with",
}
_WORD = re.compile(r"\w+")
_CONTRACTION_TAILS = {"t", "s", "re", "ll", "ve", "d", "m"}  # "Isn't", "We're"
_INDEFINITE = {"a", "an", "one", "some", "several", "two", "three", "many", "other", "another"}


@dataclass
class Candidate:
    start: int  # clean-text char offsets
    end: int
    kind: str
    cue: Cue | None
    speaker: Speaker | None = None
    via: str | None = None
    addressee: str | None = None
    confidence: float = 0.8
    quotes: list[int] = field(default_factory=list)
    relayed_by: Cue | None = None


class _Article:
    """Per-article working state: the parse, its people, and speakers seen so far."""

    def __init__(self, parsed: ParsedArticle) -> None:
        self.parsed = parsed
        self.doc: Doc = parsed.doc
        self.text = self.doc.text
        self.quoted: list[QuotedSpan] = self.doc._.quoted or []
        self.in_quote = token_quote_index(self.doc)
        self.people = PeopleIndex(self.doc)
        self.entity_at = {i: ent for ent in self.doc.ents for i in range(ent.start, ent.end)}
        # a run of blank lines is one break: double-spaced text has no more paragraphs
        runs = list(re.finditer(r"\n\s*", self.text))
        self.breaks = [m.start() for m in runs]
        self.starts = [m.end() for m in runs]
        self.mentions = sorted(
            (t.idx, person, t.dep_ in ("nsubj", "nsubjpass"))
            for i, person in self.people.mention_at.items()
            for t in [self.doc[i]]
            if i == 0 or self.people.mention_at.get(i - 1) is not person
        )
        self.spoken: list[tuple[int, Speaker, str | None]] = []
        # people a quote being attributed names in the third person: not its speaker
        self.named_in_quote: set[str] = set()

    def paragraph(self, char: int) -> int:
        return bisect.bisect_right(self.breaks, char)

    def people_named_in(self, start: int, end: int) -> set[str]:
        """Names of the people mentioned between two offsets."""
        cut = bisect.bisect_left(self.mentions, (start,), key=lambda m: (m[0],))
        names = set()
        for pos, person, _ in self.mentions[cut:]:
            if pos >= end:
                break
            names.add(person.name)
        return names

    def is_headline(self, char: int) -> bool:
        """Whether `char` lies in a short line with no closing punctuation: a headline,
        a caption or a navigation line, whose words repeat or label the story."""
        line = self.text[self.paragraph_start(char) : self.paragraph_end(char)].strip()
        return len(line.split()) <= 20 and line[-1:] not in ".!?\"”’'…:)]"

    def paragraph_end(self, char: int) -> int:
        """Offset of the line break that closes `char`'s paragraph (the text's end for the last)."""
        number = self.paragraph(char)
        return self.breaks[number] if number < len(self.breaks) else len(self.text)

    def paragraph_start(self, char: int) -> int:
        """Offset of the first character after the line breaks that open `char`'s paragraph
        (0 for the first)."""
        number = self.paragraph(char)
        return self.starts[number - 1] if number else 0

    # -- speakers -------------------------------------------------------------------------
    def speaker(self, token: Token | None) -> Speaker | None:
        if token is None:
            return None
        if (
            token.tag_ == "WDT"
            and token.head.dep_ == "relcl"
            and self._names_a_body(token.head.head)
        ):
            return self.speaker(token.head.head)  # "the ministry, which said ..."
        if token.tag_ == "WP" and token.head.dep_ == "relcl":
            antecedent = _antecedent(token.head.head)
            if antecedent is not None and antecedent.pos_ in ("PROPN", "NOUN"):
                return self.speaker(antecedent)  # "Ana Lopez, who said ..."
        if token.lower_ in ("it", "its"):
            organization = self._organization_before(token)
            if organization is not None:
                return organization
        if token.lower_ in PRONOUN_GENDER or token.pos_ == "PRON":
            return self._pronoun(token)
        lemma = token.lemma_.lower()
        if (lemma in ORGANIZATION_NOUNS or lemma in DOCUMENT_NOUNS or lemma in MEDIA_WORDS) and (
            not self._indefinite(token) or lemma in COLLECTIVE_BODIES
        ):
            if lemma in ORGANIZATION_NOUNS and _named_by_modifier(token):
                phrase = _strip_article(self._phrase_text(token))
                return Speaker(phrase, phrase, "organization")  # "the US government"
            organization = self._organization_before(token)  # "the company/statement said"
            if organization is not None:
                return organization
            if lemma in ORGANIZATION_NOUNS:  # "police said": a body, even unnamed
                phrase = self._phrase_text(token)
                if phrase.isupper():  # "POLICE say ...": a lead's capitals, not an acronym
                    phrase = phrase.capitalize()
                return Speaker(phrase, phrase, "organization")
        person = self.people.person_at(token) or self._person_in_phrase(token)
        if person is not None:
            return Speaker(person.name, self._phrase_text(token), person.kind)
        if token.ent_type_ in ("ORG", "GPE", "NORP", "FAC"):
            ent = self.entity_at.get(token.i)
            name = ent.text if ent is not None else token.text
            return Speaker(_strip_article(name), self._phrase_text(token), "organization")
        lemma = token.lemma_.lower()
        phrase = self._phrase_text(token)
        if lemma in PERSON_ROLE_NOUNS or token.lower_ in ROLE_ABBREVIATIONS:
            if self._indefinite(token):
                return Speaker(phrase, phrase, "anonymous")  # "a senior official": nobody named
            tokens = list(self.doc[token.left_edge.i : token.i + 1])
            return self._by_role(tokens, token, phrase, phrase, before=token.idx)
        if token.pos_ in ("PROPN",) and token.is_title:
            name, _ = clean_name(phrase)
            return Speaker(name or phrase, phrase, "person")
        return Speaker(phrase, phrase, "anonymous" if token.pos_ == "NOUN" else "unknown")

    def label_speaker(self, start: int, end: int) -> Speaker | None:
        """Who a transcript label names: a person of the article, a PERSON name, a role
        ("Official Spokesperson"), or a capitalised surname ("SMITH")."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return None
        mention = self.text[start:end]
        while len(span) > 1 and span[-1].is_punct:
            span = span[:-1]  # "— Jane Roe."
        tail: list[str] = []
        for token in reversed(span):  # "Official Spokesperson, Jane Roe": the name ends the label
            if token.pos_ != "PROPN" or not token.is_title:
                break
            tail.insert(0, token.text)
        full, _ = clean_name(" ".join(tail)) if len(tail) >= 2 else ("", None)
        for token in span:
            person = self.people.person_at(token)
            if person is not None:
                if full and set(person.tokens) < set(full.lower().split()):
                    break  # the tagger found part of the name: the label's whole name wins
                return Speaker(person.name, mention, person.kind)
        for ent in span.ents:
            if ent.label_ == "PERSON" and not full:
                name, _ = clean_name(ent.text)
                if name:
                    return Speaker(name, mention, "person")
        if mention.isupper() and len(mention.split()) <= 3:
            name, _ = clean_name(mention.title())
            person = self.people.find_name(name) if name else None
            if person is not None:
                return Speaker(person.name, mention, person.kind)
            return Speaker(name, mention, "person") if name else None
        if full and len(full.split()) >= 2:
            person = self.people.find_name(full)
            longer = person is None or len(person.tokens) < len(full.split())
            return Speaker(full if longer else person.name, mention, "person")
        head = span[-1]
        if head.lemma_.lower() in PERSON_ROLE_NOUNS or head.lower_ in ROLE_ABBREVIATIONS:
            return self._by_role(list(span), head, mention, _strip_article(mention), before=None)
        return None

    def _by_role(
        self, tokens: list[Token], head: Token, mention: str, anonymous: str, before: int | None
    ) -> Speaker:
        """The person the article gives this role ("the minister"), else a described source."""
        person = self.people.by_role(role_words(tokens), role_head(head.lower_), before=before)
        if person is None and before is not None and self._epithet(tokens, head):
            person = self.people.most_mentioned(before, exclude=self.named_in_quote)
        if person is not None:
            return Speaker(person.name, mention, "person")
        return Speaker(anonymous, mention, "anonymous")

    def _epithet(self, tokens: list[Token], head: Token) -> bool:
        """Whether a role is a definite description specific enough to stand for someone
        already in the story: "the New York businessman", "the Republican nominee" (a
        proper name among its modifiers), not "the official" or "a senior official"."""
        return _definite_singular(head, ("the", "this")) and any(
            t.pos_ == "PROPN" or t.ent_type_ in ("NORP", "GPE") for t in tokens if t != head
        )

    def _names_a_body(self, token: Token) -> bool:
        """Whether a noun names an organisation ("the EU", "the ministry")."""
        ent = self.entity_at.get(token.i)
        return (
            ent is not None and ent.label_ in ("ORG", "GPE")
        ) or token.lemma_.lower() in ORGANIZATION_NOUNS

    def _organization_before(self, token: Token) -> Speaker | None:
        """The organisation "it", "the company" or "the statement" refers to.

        An organisation (or a document's issuer) quoted in this or the two paragraphs
        before comes first ("..., the statement said. It said ..."); else the nearest
        organisation named there. "The newspaper" looks for an outlet, anything else
        for an organisation that is not one.
        """
        para = self.paragraph(token.idx)
        for pos, speaker, _ in reversed(self.spoken):
            if pos > token.idx or self.paragraph(pos) < para - 2:
                break
            if speaker.kind == "organization" and token.lemma_.lower() not in MEDIA_WORDS:
                return Speaker(speaker.name, token.text, "organization")
        wants_outlet = token.lemma_.lower() in MEDIA_WORDS
        best = None
        for ent in self.doc.ents:
            if ent.start >= token.i:
                break
            near = wants_outlet or self.paragraph(ent.start_char) >= para - 2  # outlets: named once
            if ent.label_ == "ORG" and near:
                if self.in_quote[ent.start] >= 0 or ent.start in self.people.mention_at:
                    continue
                # an outlet is named like one ("Daily Herald") or reports ("reports UNB")
                reports = ent.root.dep_ == "nsubj" and ent.root.head.lemma_ in ("report", "say")
                if (_is_media_name(ent.text) or (wants_outlet and reports)) == wants_outlet:
                    best = ent
        if best is None:
            return None
        return Speaker(_strip_article(best.text), token.text, "organization")

    def _person_in_phrase(self, token: Token) -> Person | None:
        for child in token.children:
            if child.dep_ in ("appos", "compound") and self.people.person_at(child):
                return self.people.person_at(child)
        return None

    def _indefinite(self, token: Token) -> bool:
        dets = [c.lower_ for c in token.children if c.dep_ in ("det", "nummod", "amod")]
        if any(d in _INDEFINITE for d in dets):
            return True
        return token.tag_ in ("NNS", "NNPS") and not any(
            c.dep_ in ("det", "poss") for c in token.children
        )

    def _phrase_text(self, token: Token) -> str:
        doc = self.doc
        start = token.left_edge.i
        while start < token.i and (
            doc[start].is_punct or doc[start].lower_ in ("the",) or self.in_quote[start] >= 0
        ):
            start += 1
        end = token.i + 1
        for child in token.rights:
            if (
                child.dep_ == "prep"
                and child.lower_ in ("of", "for", "at")
                and child.right_edge.i - token.i <= 6
                or child.dep_ in ("compound", "flat")
            ):
                end = child.right_edge.i + 1
        ent = self.entity_at.get(token.i)
        if ent is not None:
            start, end = min(start, ent.start), max(end, ent.end)
        return doc[start:end].text.strip(" ,“”\"'‘’")

    def _pronoun(self, token: Token) -> Speaker:
        gender = PRONOUN_GENDER.get(token.lower_)
        if token.lower_ in ("i", "we", "me", "us"):
            return Speaker(token.text, token.text, "unknown")
        here = token.idx
        para = self.paragraph(here)
        best: tuple[float, Speaker] | None = None
        for pos, speaker, spoken_gender in reversed(self.spoken):
            if pos > here or speaker.name in self.named_in_quote:
                continue
            if self.paragraph(pos) < para - 2:
                break
            if _compatible(gender, spoken_gender, speaker.kind):
                best = (pos, speaker)
                break
        cut = bisect.bisect_left(self.mentions, (here,), key=lambda m: (m[0],))
        for pos, person, is_subject in reversed(self.mentions[:cut]):
            if self.paragraph(pos) < para - 3:
                break
            score = pos - (0 if is_subject else 150)
            if (best is not None and score <= best[0]) or person.name in self.named_in_quote:
                continue
            if _compatible(gender, person.gender, person.kind):
                best = (score, Speaker(person.name, token.text, person.kind))
        if best is None and gender in ("m", "f"):
            # machine translation swaps he/she: the last person quoted just before still wins
            best = next(
                (
                    (pos, sp)
                    for pos, sp, _ in reversed(self.spoken)
                    if pos <= here
                    and sp.name not in self.named_in_quote
                    and self.paragraph(pos) >= para - 2
                    and (sp.kind == "person" or _looks_personal(sp.name))
                ),
                None,
            )
        if best is None:
            return Speaker(token.text, token.text, "unknown")
        speaker = best[1]
        person = self.people.find_name(speaker.name)
        if person is not None and person.gender is None and gender in ("m", "f"):
            person.gender = gender
        return Speaker(speaker.name, token.text, speaker.kind)

    def remember(self, candidate: Candidate) -> None:
        if candidate.speaker is None:
            return
        person = self.people.find_name(candidate.speaker.name)
        gender = person.gender if person is not None else None
        if candidate.cue is not None and candidate.cue.speaker is not None:
            head = candidate.cue.speaker
            if head.tag_ in ("NNS", "NNPS"):
                gender = "p"  # "officials said": a later "he" is someone else
            gender = PRONOUN_GENDER.get(head.lower_, gender)
        self.spoken.append((candidate.end, candidate.speaker, gender))

    # -- spans ----------------------------------------------------------------------------
    def char_span(self, span: tuple[int, int]) -> tuple[int, int]:
        first, last = self.doc[span[0]], self.doc[span[1] - 1]
        return first.idx, last.idx + len(last.text)

    def quotes_overlapping(self, start: int, end: int) -> list[int]:
        return [i for i, q in enumerate(self.quoted) if q.outer_start < end and start < q.outer_end]

    def clause_bounds(self, cue: Cue) -> tuple[int, int]:
        """Character bounds of the cue's own words (its subtree minus quotes)."""
        sent = cue.token.sent
        tokens = [
            t
            for t in cue.token.subtree
            if sent.start <= t.i < sent.end
            and self.in_quote[t.i] < 0
            and not t.is_punct
            and not t.is_space
            and (cue.content is None or not (cue.content[0] <= t.i < cue.content[1]))
        ]
        if not tokens:
            return cue.token.idx, cue.token.idx + len(cue.token)
        return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def extract_quotes(parsed: ParsedArticle, taxonomy: Taxonomy | None = None) -> ArticleQuotes:
    """All attributed quotes of one parsed article (no cross-article work here).

    A pure function of the article and the shared read-only `taxonomy`.
    """
    taxonomy = taxonomy or default_taxonomy()
    art = _Article(parsed)
    cues = list(find_cues(art.doc, art.in_quote))
    candidates = _from_cue_content(art, cues)
    claimed = {q for c in candidates for q in c.quotes}
    candidates += _from_adjacent_cues(art, cues, claimed)
    candidates = _from_speaker_labels(art, candidates, claimed)
    candidates += _from_dash_signatures(art, claimed)
    candidates.sort(key=lambda c: c.start)
    candidates = _resolve_and_continue(art, candidates, claimed)
    candidates = _with_interview_answers(art, candidates)
    _name_described_leads(art, candidates)
    _relay_passages(art, candidates)
    quotes = [_to_quote(art, c, taxonomy) for c in candidates]
    quotes = [q for q in quotes if q is not None]
    people = {p.name: sorted(p.variants) for p in art.people.people}
    return ArticleQuotes(parsed.article.id, parsed.article.doc, _drop_repeats(quotes), people)


def _from_speaker_labels(
    art: _Article, candidates: list[Candidate], claimed: set[int]
) -> list[Candidate]:
    """Transcript paragraphs opened by a speaker label ("Jane Roe: We will ..."): the
    paragraph is the labelled speaker's; a first-person cue inside it is the same voice."""
    labelled: list[Candidate] = []
    for label in speaker_labels(art.text):
        if label.question or art.is_headline(label.start):
            continue
        speaker = art.label_speaker(label.label_start, label.label_end)
        if speaker is None:
            continue
        overlapping = art.quotes_overlapping(label.start, label.end)
        kind = "unquoted"
        start, end = label.start, label.end
        if len(overlapping) == 1:
            q = art.quoted[overlapping[0]]
            if q.outer_start <= label.start + 1 and q.outer_end >= label.end - 2:
                kind, start, end = "direct", q.start, _content_end(art.text, q)
        claimed.update(overlapping)
        labelled.append(
            Candidate(start, end, kind, None, speaker, confidence=0.8, quotes=overlapping)
        )
    if not labelled:
        return candidates
    kept = [
        c
        for c in candidates
        if not any(
            lab.start <= c.start and c.end <= lab.end + 2 and _first_person_cue(c)
            for lab in labelled
        )
    ]
    return kept + labelled


_SIGNED_LINE = re.compile(
    r"^[^\S\n]*[“”\"‘’«„](?P<body>[^\n]+?)[”“\"’‘»][^\S\n]*[—–―‒]{1,2}[^\S\n]*"
    r"(?P<name>[A-Z][^\n,;(]{1,60}?)[^\S\n]*\.?[^\S\n]*$",
    re.MULTILINE,
)
_DASH_SIGNATURE = re.compile(r"[^\S\n]*[—–―‒-]{1,2}[^\S\n]*(?=[A-Z])([^\n,;(]{2,80})")


def _from_dash_signatures(art: _Article, claimed: set[int]) -> list[Candidate]:
    """A quotation signed with a dash: “Cities must lead.” — Mayor Ana Lopez, in Lisbon."""
    out = []
    for index, q in enumerate(art.quoted):
        if index in claimed or not _substantive(art, q):
            continue
        match = _DASH_SIGNATURE.match(art.text, q.outer_end)
        if match is None:
            continue
        speaker = art.label_speaker(match.start(1), match.end(1))
        if speaker is None:
            continue
        claimed.add(index)
        out.append(
            Candidate(
                q.start,
                _content_end(art.text, q),
                "direct",
                None,
                speaker,
                confidence=0.75,
                quotes=[index],
            )
        )
    for line in _SIGNED_LINE.finditer(art.text):
        # marks nested or mismatched inside the line ("... he calls “hell” than ...”) can
        # leave no quotation that ends at the dash: the whole line is still the quote
        inside = art.quotes_overlapping(line.start("body"), line.end("body"))
        if any(i in claimed for i in inside) or len(_WORD.findall(line["body"])) < 4:
            continue
        speaker = art.label_speaker(line.start("name"), line.end("name"))
        if speaker is None or speaker.kind != "person":
            continue
        claimed.update(inside)
        out.append(
            Candidate(
                line.start("body"),
                line.end("body"),
                "direct",
                None,
                speaker,
                confidence=0.7,
                quotes=inside,
            )
        )
    return out


def _first_person_cue(candidate: Candidate) -> bool:
    cue = candidate.cue
    return cue is None or (cue.speaker is not None and cue.speaker.lower_ in ("i", "we"))


def _with_interview_answers(art: _Article, candidates: list[Candidate]) -> list[Candidate]:
    """An interview printed as questions and answers: each unmarked answer is the
    interviewee's, the person quoted most before the questions start."""
    pairs = interview_answers(art.text)
    if not pairs:
        return candidates
    first_question = pairs[0][0].start
    before = [
        c.speaker.name
        for c in candidates
        if c.start < first_question and c.speaker is not None and c.speaker.kind == "person"
    ]
    if not before:
        return candidates
    interviewee = max(before, key=lambda name: (before.count(name), -before[::-1].index(name)))
    speaker = next(
        c.speaker for c in candidates if c.speaker is not None and c.speaker.name == interviewee
    )
    answers = []
    for _, answer in pairs:
        length = answer.end - answer.start
        covered = any(
            min(c.end, answer.end) - max(c.start, answer.start) >= 0.8 * length for c in candidates
        )
        if covered:
            continue
        for c in candidates:
            if (
                answer.start <= c.start
                and c.end <= answer.end
                and c.via is None
                and c.speaker != speaker
            ):
                c.via = interviewee  # "He told me that ..." inside the answer: relayed by the interviewee
        answers.append(
            Candidate(answer.start, answer.end, "unquoted", None, speaker, confidence=0.55)
        )
    return sorted(candidates + answers, key=lambda c: c.start)


_PASSAGE_RELAY = re.compile(
    r"(?:^[ \t]*|[.!?”\"][ \t]+)As (?:the )?(?P<name>[A-Z][\w&.'’-]*(?: [A-Z][\w&.'’-]*){0,5}) "
    r"(?:notes?|noted|reports?|reported|writes?|wrote|says?|said|explains?|explained|observe[sd]?)"
    r"\b[^\n]*:[ \t]*$",
    re.MULTILINE,
)


def _relay_passages(art: _Article, candidates: list[Candidate]) -> None:
    """ "As Bloomberg notes in its story:" introduces a passage: the quotes of the next
    paragraph reached the article through Bloomberg."""
    for match in _PASSAGE_RELAY.finditer(art.text):
        rest = art.text[match.end() :]
        following = match.end() + len(rest) - len(rest.lstrip())
        if following >= len(art.text):
            continue
        passage = art.paragraph(following)
        for c in candidates:
            if art.paragraph(c.start) == passage and c.via is None:
                c.via = match.group("name")


def _from_cue_content(art: _Article, cues: list[Cue]) -> list[Candidate]:
    """Rules 1 and 2: content clauses, with nested reports relayed by the outer cue."""
    outer_of: dict[int, Cue] = {}
    buried: set[int] = set()
    for outer in cues:
        if outer.content is None:
            continue
        head = _head_of(art.doc, outer.content)
        for inner in cues:
            if inner is not outer and inner.speaker is not None and inner.content is not None:
                if outer.content[0] <= inner.token.i < outer.content[1]:
                    if inner.token == head and not _past_perfect(inner.token):
                        outer_of[id(inner)] = outer
                    else:
                        buried.add(id(inner))
    outers = {id(cue) for cue in outer_of.values()}
    out: list[Candidate] = []
    for cue in cues:
        if cue.content is None or id(cue) in outers or id(cue) in buried:
            continue
        start, end = art.char_span(cue.content)
        dateline = DATELINE.match(art.text, start)
        if dateline is not None and dateline.end() < end and art.paragraph_start(start) == start:
            start = (
                dateline.end()
            )  # "PARIS, Feb 27 (AFP) – There are ...": the dateline is not said
        overlapping = art.quotes_overlapping(start, end)
        for i in overlapping:
            start, end = min(start, art.quoted[i].outer_start), max(end, art.quoted[i].outer_end)
        kind, start, end = _kind_of(art, start, end, overlapping, cue)
        least = (
            2 if kind in ("direct", "mixed") else MIN_REPORTED_WORDS
        )  # "agreed to meet": no report
        if len(_WORD.findall(art.text[start:end])) < least or art.is_headline(start):
            continue
        if kind == "indirect" and _is_infinitive(art, start):
            continue  # "pledged to ban all imports": a commitment, not words reported
        candidate = Candidate(start, end, kind, cue, quotes=overlapping)
        candidate.confidence = {"direct": 0.9, "mixed": 0.85, "indirect": 0.75, "unquoted": 0.7}[
            kind
        ]
        candidate.relayed_by = outer_of.get(id(cue))
        if candidate.relayed_by is None:
            candidate.relayed_by = _according_beside(cues, cue)
        out.append(candidate)
    for cue in cues:
        if id(cue) in outers:
            cue.content = None  # its words are the inner speaker's; the cue may still claim a quote
    return out


def _past_perfect(verb: Token) -> bool:
    """ "had told", "had assured": an earlier exchange the outer speaker recounts as part
    of their own statement, not words relayed from the meeting itself."""
    return verb.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in verb.children
    )


def _head_of(doc: Doc, span: tuple[int, int]) -> Token | None:
    """The token of a span whose head lies outside it: the clause's main verb.

    In "X said [Y told Z that ...]" the report of Y heads what X said, so X relays Y;
    in "X said [that while Y said ..., the plan stands]" Y's report is buried in X's
    own statement and stays part of it.
    """
    for token in doc[span[0] : span[1]]:
        if not (span[0] <= token.head.i < span[1]) or token.head == token:
            return token
    return None


def _according_beside(cues: list[Cue], cue: Cue) -> Cue | None:
    """The "according to X" of the cue's sentence: X relayed what the cue reports."""
    return next(
        (
            c
            for c in cues
            if c is not cue and c.kind == "according" and c.token.sent == cue.token.sent
        ),
        None,
    )


def _via_text(art: _Article, cue: Cue) -> str | None:
    """Who relays through this cue: "X quoted Y as saying" -> X; "according to X" -> X."""
    if cue.kind == "relay" and cue.via is not None:
        return _relayer_name(art, cue.via)
    if cue.kind == "according" and cue.speaker is not None:
        return _relayer_name(art, _issuer(cue.speaker))
    return None


def _issuer(source: Token) -> Token:
    """Who put out the document a source names: "statements reported by CCTV" -> CCTV."""
    if source.lemma_.lower() not in DOCUMENT_NOUNS | REPORTING_NOUNS:
        return source
    for verb in source.children:
        if verb.dep_ == "acl":
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            actor = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            if actor is not None:
                return actor
    return source


def _relayer_name(art: _Article, token: Token) -> str:
    """The relayer's name: the outlet's own name when the phrase gives one
    ("the state-run broadcaster CCTV" -> "CCTV"), else the phrase."""
    for child in (token, *token.children):
        if child is token or child.dep_ in ("appos", "compound", "npadvmod", "nmod"):
            ent = art.entity_at.get(child.i)
            if (
                ent is not None
                and ent.label_ in ("ORG", "PERSON", "GPE", "NORP")
                and child.pos_ == "PROPN"
            ):
                return _strip_article(ent.text)
    if token.pos_ == "NOUN" and token.lemma_.lower() in MEDIA_WORDS:
        outlet = art._organization_before(token)  # "told the agency": the agency named earlier
        if outlet is not None:
            return outlet.name
    return _strip_article(art._phrase_text(token))


def _kind_of(
    art: _Article, start: int, end: int, overlapping: list[int], cue: Cue
) -> tuple[str, int, int]:
    if not overlapping:
        first_person = re.match(r"\s*(I|We|My|Our)\b", art.text[start:end]) is not None
        return ("unquoted" if cue.content_before and first_person else "indirect"), start, end
    total = len(_WORD.findall(art.text[start:end]))
    if len(overlapping) == 1:
        q = art.quoted[overlapping[0]]
        if len(_WORD.findall(art.text[q.start : q.end])) >= 0.85 * total:
            return "direct", q.start, _content_end(art.text, q)
    return "mixed", start, end


def _content_end(text: str, q: QuotedSpan) -> int:
    end = q.end
    while end > q.start and text[end - 1] in " ,\n":
        end -= 1
    return end


def _substantive(art: _Article, q: QuotedSpan) -> bool:
    """Long enough to be someone's words, and not a title ("The Late Late Show")."""
    text = art.text[q.start : q.end]
    words = _WORD.findall(text)
    if _is_title(words, text) or _is_subhead(art, q, words):
        return False
    return len(words) >= MIN_QUOTE_WORDS + 1 or (
        len(words) >= MIN_QUOTE_WORDS and text.rstrip()[-1:] in ".!?,"
    )


def _is_subhead(art: _Article, q: QuotedSpan, words: list[str]) -> bool:
    """A quoted line alone in Title Case ("'Down but Not Out.'"): a section heading that
    quotes the story, not a quotation of its own."""
    start, end = art.paragraph_start(q.outer_start), art.paragraph_end(q.outer_start)
    alone = not art.text[start : q.outer_start].strip() and not art.text[q.outer_end : end].strip()
    return alone and _is_title(words, art.text[q.start : q.end].rstrip().rstrip(".!?"))


def _is_title(words: list[str], text: str) -> bool:
    """A name of a work or a show: every word capitalised, short, no sentence end.

    >>> _is_title(["The", "Morning", "Show"], "The Morning Show"), _is_title(["We", "Will", "Win"], "We Will Win!")
    (True, False)
    """
    return (
        2 <= len(words) <= 8
        and all(
            w[:1].isupper() or w.lower() in _TITLE_SMALL_WORDS or w in _CONTRACTION_TAILS
            for w in words
        )
        and text.rstrip()[-1:] not in ".!?,"
    )


def _from_adjacent_cues(art: _Article, cues: list[Cue], claimed: set[int]) -> list[Candidate]:
    """Rule 3: a quotation takes the cue right before or after it."""
    out: list[Candidate] = []
    free_cues = [
        c for c in cues if c.content is None and c.speaker is not None and not c.relays_only
    ]
    bounds = {id(c): art.clause_bounds(c) for c in free_cues}
    for index, q in enumerate(art.quoted):
        if index in claimed or not _substantive(art, q) or art.is_headline(q.start):
            continue
        para = art.paragraph(q.outer_start)
        best: tuple[float, Cue] | None = None
        tail = art.text[q.start : q.end].rstrip()[-1:]
        for cue in free_cues:
            left, right = bounds[id(cue)]
            if art.paragraph(left) != para and art.paragraph(right) != para:
                continue
            score = 0.0
            if left >= q.outer_end:
                gap = art.text[q.outer_end : left]
                if _clean_gap(gap):
                    score = 3.0 if tail not in ".!?" else 2.0
                    score -= 0.01 * len(gap)
            elif right <= q.outer_start:
                gap = art.text[right : q.outer_start]
                if _clean_gap(gap):
                    score = 3.0 if ":" in gap else 2.5 if "," in gap or not gap.strip() else 1.0
                    score -= 0.01 * len(gap)
            elif left < q.outer_start and q.outer_end < right:
                score = 2.2
            if score > 0 and (best is None or score > best[0]):
                best = (score, cue)
        if best is None:
            continue
        cue = best[1]
        candidate = Candidate(
            q.start, _content_end(art.text, q), "direct", cue, confidence=0.85, quotes=[index]
        )
        candidate.relayed_by = _according_beside(cues, cue)
        out.append(candidate)
        claimed.add(index)
    return out


def _clean_gap(gap: str) -> bool:
    return len(gap) <= 12 and not gap.strip(" \t,;:.—–-\u2014")


def _resolve_and_continue(
    art: _Article, candidates: list[Candidate], claimed: set[int]
) -> list[Candidate]:
    """Rules 4 and 5, in text order so each pronoun sees the speakers before it."""
    free = [
        (q.start, i) for i, q in enumerate(art.quoted) if i not in claimed and _substantive(art, q)
    ]
    events = sorted(
        [(c.start, 0, c) for c in candidates] + [(s, 1, i) for s, i in free],
        key=lambda e: (e[0], e[1]),
    )
    out: list[Candidate] = []
    last: Candidate | None = None
    for _, is_free, item in events:
        if not is_free:
            candidate = item
            if candidate.relayed_by is not None:
                candidate.via = _via_text(art, candidate.relayed_by)
                if candidate.via is None:
                    relayer = art.speaker(candidate.relayed_by.speaker)
                    candidate.via = relayer.name if relayer is not None else None
            if candidate.cue is not None:
                if candidate.cue.addressee is not None:
                    addressee = art.speaker(candidate.cue.addressee)
                    candidate.addressee = addressee.name if addressee else None
                    if _is_media(candidate.cue.addressee) and candidate.via is None:
                        candidate.via = _relayer_name(art, candidate.cue.addressee)
                # neither the people the quote names nor the one it is said to speak it
                art.named_in_quote = art.people_named_in(candidate.start, candidate.end)
                if candidate.addressee:
                    art.named_in_quote.add(candidate.addressee)
                candidate.speaker = art.speaker(candidate.cue.speaker)
                art.named_in_quote = set()
                if candidate.cue.kind == "relay" and candidate.via is None:
                    candidate.via = _via_text(art, candidate.cue)
            if candidate.speaker is None:
                continue
            if _continues_relay(art, candidate, last):
                candidate.via = (
                    last.via
                )  # "..., Chowdhury told the agency. He said ...": same channel
            art.remember(candidate)
            out.append(candidate)
            last = candidate
            continue
        q = art.quoted[item]
        if last is None or last.speaker is None:
            continue
        gap_paragraphs = art.paragraph(q.outer_start) - art.paragraph(last.end)
        starts_paragraph = not art.text[art.paragraph_start(q.outer_start) : q.outer_start].strip()
        if gap_paragraphs > 2 or (
            gap_paragraphs == 0 and not starts_paragraph and q.outer_start - last.end > 200
        ):
            continue
        confidence = 0.6 if gap_paragraphs <= 1 else 0.45
        candidate = Candidate(
            q.start,
            _content_end(art.text, q),
            "direct",
            None,
            last.speaker,
            last.via,
            None,
            confidence,
            [item],
        )
        art.remember(candidate)
        out.append(candidate)
        last = candidate
    return out


def _name_described_leads(art: _Article, candidates: list[Candidate]) -> None:
    """A lead that describes its speaker by a unique role ("said the head of the
    agency") and names them in the next paragraph ("..., said Jane Roe") speaks of one
    person: the named speaker who first appears there."""
    for i, candidate in enumerate(candidates):
        cue = candidate.cue
        if candidate.speaker is None or candidate.speaker.kind != "anonymous" or cue is None:
            continue
        head = cue.speaker
        if head is None or not _unique_role(head):
            continue
        for later in candidates[i + 1 :]:
            if art.paragraph(later.start) - art.paragraph(candidate.end) > 1:
                break
            if later.speaker is None or later.speaker.kind != "person":
                continue
            person = art.people.find_name(later.speaker.name)
            if person is not None and min(person.mentions, default=0) > candidate.end:
                candidate.speaker = Speaker(person.name, candidate.speaker.mention, "person")
            break


def _unique_role(head: Token) -> bool:
    """ "The head of the agency", "the chief of police": a definite role that only one
    person holds, as opposed to "an official" or "the officials"."""
    of_phrase = any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children)
    return _definite_singular(head, ("the",)) and of_phrase


def _definite_singular(head: Token, determiners: tuple[str, ...]) -> bool:
    """A singular common noun with exactly one determiner, one of `determiners`."""
    found = [t.lower_ for t in head.children if t.dep_ == "det"]
    return head.tag_ == "NN" and len(found) == 1 and found[0] in determiners


def _continues_relay(art: _Article, candidate: Candidate, last: Candidate | None) -> bool:
    """A pronoun-cued quote right after a relayed quote of the same speaker came the same way."""
    cue = candidate.cue
    return (
        last is not None
        and last.via is not None
        and candidate.via is None
        and cue is not None
        and cue.speaker is not None
        and cue.speaker.pos_ == "PRON"
        and last.speaker is not None
        and candidate.speaker is not None
        and last.speaker.name == candidate.speaker.name
        and art.paragraph(candidate.start) - art.paragraph(last.end) <= 2
    )


def _to_quote(art: _Article, c: Candidate, taxonomy: Taxonomy) -> Quote | None:
    if c.speaker is None:
        return None
    span = art.doc.char_span(c.start, c.end, alignment_mode="expand")
    # topics from the quote's own words (not its cue or speaker), backed by the article
    topics = assign_topics(span, article_prior(art.doc, taxonomy), taxonomy) if span else []
    mentions = quote_mentions(span, art.people, art.parsed) if span else []
    article = art.parsed.article
    raw_start, raw_end = art.parsed.raw_span(c.start, c.end)
    text = article.text[raw_start:raw_end]
    stripped = text.strip()
    if not stripped:
        return None
    raw_start += len(text) - len(text.lstrip())
    raw_end -= len(text) - len(text.rstrip())
    speaker = c.speaker
    return Quote(
        doc=article.doc,
        article_id=article.id,
        start=raw_start,
        end=raw_end,
        text=article.text[raw_start:raw_end],
        kind=c.kind,
        speaker=speaker,
        cue=c.cue.text if c.cue is not None else "",
        via=c.via,
        addressee=c.addressee,
        topics=topics,
        mentions=mentions,
        confidence=c.confidence * (0.9 if speaker.kind in ("unknown",) else 1.0),
    )


def _drop_repeats(quotes: list[Quote]) -> list[Quote]:
    """A pull quote or caption repeating an earlier quote is not a second statement."""
    kept: list[Quote] = []
    seen: list[set[str]] = []
    for q in quotes:
        words = set(_WORD.findall(q.text.lower()))
        repeat = len(words) >= 5 and any(len(words & s) >= 0.9 * len(words) for s in seen)
        if repeat and not q.cue:
            continue
        kept.append(q)
        seen.append(words)
    return kept


def _compatible(pronoun: str | None, gender: str | None, kind: str) -> bool:
    if pronoun == "p":
        return kind in ("organization", "anonymous", "unknown") or gender == "p"
    if pronoun == "n":
        return kind == "organization"
    if kind == "organization":
        return False
    return gender is None or pronoun is None or gender == pronoun


def _is_infinitive(art: _Article, start: int) -> bool:
    """Whether the content starting at `start` is a bare infinitive clause ("to ban ...")."""
    span = art.doc.char_span(start, start + 2, alignment_mode="expand")
    if span is None or span[0].lower_ != "to" or span[0].i + 1 >= len(art.doc):
        return False
    return art.doc[span[0].i + 1].tag_ == "VB"


def _antecedent(noun: Token) -> Token | None:
    """The person or body a relative clause's noun stands for: "Lee, a lawyer who said"
    and "Lee is a lawyer who said" both lead back to Lee."""
    for _ in range(4):
        if noun.dep_ in ("conj", "appos"):
            noun = noun.head
        elif noun.dep_ == "attr":
            subject = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
            if subject is None:
                return noun
            noun = subject
        else:
            return noun
    return noun


def _named_by_modifier(token: Token) -> bool:
    """Whether a place, people or name before an organisation noun makes it a name of its
    own ("the US government", "the Chinese ministry") rather than a reference back."""
    return any(
        child.dep_ in ("compound", "amod", "nmod")
        and child.i < token.i
        and (child.ent_type_ in ("GPE", "NORP", "ORG") or child.pos_ == "PROPN")
        for child in token.children
    )


def _looks_personal(name: str) -> bool:
    """Whether a name the tagger called an organisation reads like a person's: two or
    three capitalised words, none of them an organisation word ("Maryam Irandoost", not
    "Harbour Council")."""
    words = name.split()
    return 2 <= len(words) <= 3 and all(
        w.isalpha() and w[0].isupper() and w[1:].islower() and w.lower() not in ORGANIZATION_NOUNS
        for w in words
    )


def _is_media(token: Token) -> bool:
    words = {t.lower_ for t in token.subtree} | {token.lemma_.lower()}
    return bool(words & MEDIA_WORDS)


def _is_media_name(text: str) -> bool:
    return bool({w.lower() for w in _WORD.findall(text)} & MEDIA_WORDS)


def _strip_article(text: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)
