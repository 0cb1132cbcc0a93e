"""Revise sieves: article-level corrections once every quote has a speaker.

Each reads the attributed quotes in text order and returns `Revision`s; the runner
applies them and records each as old -> new on the quote.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract.context import ArticleContext, TextSpan
from kg.extract.lexicon import load_lexicon
from kg.extract.model import Speaker
from kg.extract.people import role_head
from kg.extract.sieves.base import Attributed, Revision
from kg.extract.sieves.registry import sieve
from kg.extract.sieves.speaker import definite_singular

_WORD = re.compile(r"\w+")
_PASSAGE_RELAY = re.compile(
    r"(?:^[ \t]*|[.!?”\"][ \t]+)As (?:the )?(?P<name>[A-Z][\w&.'’-]*(?: [A-Z][\w&.'’-]*){0,5}) "
    r"(?:notes?|noted|reports?|reported|writes?|wrote|says?|said|explains?|explained|observe[sd]?)"
    r"\b[^\n]*:[ \t]*$",
    re.MULTILINE,
)


@sieve(
    "revise",
    "answer_relay",
    "a report inside an interview answer (“He told me that ...”) reached the article "
    "through the interviewee",
    examples=[
        (
            "Interview with Maria Santos.\n\n“We never gave up,” Maria Santos said.\n\n"
            "How was it?\n\nHard. Coach Tom Reyes told me the team was tired and needed a rest.\n\n"
            "What now?\n\nWe rest and then we train again for the final.",
            "team was tired",
            "via",
            "Maria Santos",
        ),
    ],
)
def answer_relay(ctx: ArticleContext, quotes: tuple[Attributed, ...]) -> Iterator[Revision]:
    answers = [q for q in quotes if q.claim.link == "interview_answer"]
    for answer in answers:
        for i, q in enumerate(quotes):
            if q is answer or q.via is not None or q.speaker == answer.speaker:
                continue
            if answer.start <= q.start and q.end <= answer.end:
                yield Revision(i, via=answer.speaker.name, note="inside the interviewee's answer")


@sieve(
    "revise",
    "described_lead",
    "a speaker first described by a specific role (“the head of the agency”, “the Chinese "
    "foreign minister”) and named at a quote soon after (“..., said Jane Roe”) is that person",
    examples=[
        (
            "Harbour chief says the port has no money problems\n\n"
            "PORT ELLEN, March 3 (Reuters) – There are no plans to close the port this year, "
            "said the head of the harbour authority in the town.\n\n"
            "“We have enough money for all the repairs,” said Omar Haddad on Tuesday.",
            "no plans to close",
            "speaker",
            "Omar Haddad",
        ),
        (  # a post written with a capital as its one holder's
            "Housing plan\n\nThe Governor has rejected calls for a summit, insisting the plan "
            "is working.\n\nSpeaking in the hall on Wednesday, Tom Hale said that 300 homes "
            "were completed last year.",
            "plan is working",
            "speaker",
            "Tom Hale",
        ),
    ],
)
def described_lead(ctx: ArticleContext, quotes: tuple[Attributed, ...]) -> Iterator[Revision]:
    renamed: set[int] = set()
    for i, q in enumerate(quotes):
        cue = q.claim.cue
        if i in renamed or q.speaker.kind not in ("anonymous", "unknown") or cue is None:
            continue
        if cue.speaker is None:
            continue
        if not _specific_role(cue.speaker):
            continue
        same = [i]
        for k in range(i + 1, len(quotes)):
            later = quotes[k]
            if ctx.prose(later.start) - ctx.prose(q.end) > 3:
                break
            if later.speaker == q.speaker or later.speaker.name == q.speaker.name:
                same.append(k)  # "he said" after it: the same described speaker
                continue
            if later.speaker.kind != "person":
                continue
            person = ctx.entities.find_name(later.speaker.name)
            if person is not None and _holds_another_role(person, cue.speaker, ctx.lexicon):
                break  # "the county boss" is not the economist quoted next
            if person is not None and min(person.mentions, default=0) > q.end:
                first = person.first_char
                for j in same:
                    renamed.add(j)
                    yield Revision(
                        j,
                        speaker=Speaker(person.name, quotes[j].speaker.mention, "person"),
                        antecedent=TextSpan(first, person.spans.get(first, first)),
                        note="named at a quote soon after",
                    )
            break


def _holds_another_role(person, head, lex) -> bool:
    """Whether the article gives a person a role, and the description's is not among
    them: "Economist Dr Peter Otieno" is not "the county boss"."""
    held = {r for r in person.roles if r in lex.role_nouns}
    return bool(held) and role_head(head.lower_, lex) not in person.roles


def _specific_role(head) -> bool:
    """ "The head of the agency", "the Chinese foreign minister", "the lead scientist": a
    definite role specific enough for one person, as opposed to "an official", "the
    officials" or a bare "the official"."""
    dets = [c.lower_ for c in head.children if c.dep_ == "det"]
    if (
        head.tag_ == "NNP"
        and dets == ["the"]
        and head.lemma_.lower() in load_lexicon().office_nouns
    ):
        return True  # "The Taoiseach has rejected ...": a post written as the one holder's
    if not definite_singular(head, ("the",)):
        return False
    modified = any(
        c.dep_ in ("amod", "compound", "nmod") and c.i < head.i and not c.is_stop
        for c in head.children
    )
    return _unique_role(head) or modified


def _unique_role(head) -> bool:
    """ "The head of the agency", "the chief of police": a definite role that only one
    person holds, as opposed to "an official" or "the officials"."""
    of_phrase = any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children)
    return definite_singular(head, ("the",)) and of_phrase


@sieve(
    "revise",
    "passage_relay",
    "“As the Gazette notes:” introduces a passage: its quotes reached the article through it",
    examples=[
        (
            "As the Harbour Gazette notes in its report:\n\n"
            "“The crane was never inspected,” Ana Lopez, a safety engineer, said in a letter.",
            "never inspected",
            "via",
            "Harbour Gazette",
        ),
    ],
)
def passage_relay(ctx: ArticleContext, quotes: tuple[Attributed, ...]) -> Iterator[Revision]:
    by_paragraph: dict[int, list[int]] = {}
    for i, q in enumerate(quotes):
        by_paragraph.setdefault(ctx.paragraph(q.start), []).append(i)
    for match in _PASSAGE_RELAY.finditer(ctx.text):
        rest = ctx.text[match.end() :]
        following = match.end() + len(rest) - len(rest.lstrip())
        if following >= len(ctx.text):
            continue
        for i in by_paragraph.get(ctx.paragraph(following), ()):
            if quotes[i].via is None:
                yield Revision(i, via=match.group("name"), note="a passage introduced by it")


@sieve(
    "revise",
    "repeat",
    "a pull quote or caption repeating an earlier quote without a cue is not a second statement",
    examples=[
        (
            "“We will rebuild every home on this street,” Mayor Ana Lopez said.\n\n"
            "“We will rebuild every home on this street.”\n",
            "rebuild every home",
            "count",
            "1",
        ),
    ],
)
def repeat(ctx: ArticleContext, quotes: tuple[Attributed, ...]) -> Iterator[Revision]:
    seen: list[set[str]] = []
    postings: dict[str, list[int]] = {}
    for i, q in enumerate(quotes):
        words = set(_WORD.findall(ctx.text[q.start : q.end].lower()))
        if len(words) >= 5 and q.claim.cue is None:
            # a quote sharing 90% of these words holds at least one of the k rarest of them
            k = int(0.1 * len(words)) + 1
            rarest = sorted(words, key=lambda w: (len(postings.get(w, ())), w))[:k]
            candidates = {j for w in rarest for j in postings.get(w, ())}
            if any(len(words & seen[j]) >= 0.9 * len(words) for j in candidates):
                yield Revision(i, remove=True, note="repeats an earlier quote")
                continue
        for w in words:
            postings.setdefault(w, []).append(len(seen))
        seen.append(words)
