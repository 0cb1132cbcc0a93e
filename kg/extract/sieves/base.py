"""What sieves pass to the runner and read from it: frozen records, nothing shared to mutate.

Offsets here are character offsets of the parsed (clean) text, as `ArticleContext.text`;
the runner maps them to the article's exact text when it writes the `Quote`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Token

from kg.extract.context import TextSpan
from kg.extract.cues import Cue
from kg.extract.model import Speaker


@dataclass(frozen=True)
class Mention:
    """The words at a quote that name (or stand for) its speaker.

    `token` is the head of the phrase when the parse gives one ("he", "the minister",
    "Qin"); a label or signature line gives only a span of text (`label`).
    """

    span: TextSpan
    token: Token | None = None
    label: bool = False


@dataclass(frozen=True)
class Claim:
    """A link sieve's proposal: the words in ``[start, end)`` are someone's.

    `mention` names them at the quote; None means the speaker comes from the discourse
    (a quotation paragraph continuing the previous speaker, an interview answer).
    """

    start: int
    end: int
    kind: str
    link: str
    quotes: tuple[int, ...] = ()
    cue: Cue | None = None
    mention: Mention | None = None
    relayed_by: Cue | None = None
    # a label line speaks for its whole paragraph: first-person cues inside are the same voice
    paragraph_voice: bool = False
    # an interview answer ("A: ..." or an unmarked answer paragraph): the interviewee's
    answer: bool = False
    # words reported inside another's quotation: they exist as a relay or not at all (when
    # the inner speaker is the quoted speaker, the words are simply theirs)
    relay_only: bool = False


@dataclass(frozen=True)
class LinkView:
    """What earlier link sieves decided, as a link sieve sees it."""

    claimed_quotes: frozenset[int]
    claims: tuple[Claim, ...]

    def covered(self, start: int, end: int, share: float) -> bool:
        """Whether one claim covers at least `share` of ``[start, end)``."""
        length = end - start
        return any(min(c.end, end) - max(c.start, start) >= share * length for c in self.claims)


@dataclass(frozen=True)
class Decision:
    """A speaker or relay sieve's answer.

    A `speaker` decides; a `redirect` asks the chain to resolve another token instead
    ("who" -> the noun its clause hangs on); `rejected` lists candidates passed over,
    with the reason, for `kg explain`. A decision with neither speaker nor redirect lets
    the next sieve try.
    """

    speaker: Speaker | None = None
    redirect: Token | None = None
    antecedent: TextSpan | None = None
    rejected: tuple[str, ...] = ()
    note: str = ""
    gender: str | None = None  # what the decision says of the entity's gender ("she" -> f)


@dataclass(frozen=True)
class RelayDecision:
    """A relay sieve's answer for its field (via or addressee)."""

    value: str
    span: TextSpan | None = None
    kind: str | None = None  # person / organization (via)
    note: str = ""


@dataclass(frozen=True)
class Step:
    """One decision on a quote: which sieve, at which stage, what it said."""

    stage: str
    sieve: str
    note: str = ""

    @property
    def key(self) -> str:
        return f"{self.stage}:{self.sieve}"


@dataclass(frozen=True)
class CleanEvidence:
    role: str
    span: TextSpan
    rule: str


@dataclass(frozen=True)
class Attributed:
    """A claim with its speaker, relays, confidence and the record of how."""

    claim: Claim
    speaker: Speaker
    via: str | None = None
    via_kind: str | None = None
    addressee: str | None = None
    confidence: float = 0.5
    steps: tuple[Step, ...] = ()
    evidence: tuple[CleanEvidence, ...] = ()
    rejected: tuple[str, ...] = ()

    @property
    def start(self) -> int:
        return self.claim.start

    @property
    def end(self) -> int:
        return self.claim.end


@dataclass(frozen=True)
class Revision:
    """A revise sieve's correction of one attributed quote: its new speaker or via
    (or its removal), and the words it rests on."""

    index: int
    speaker: Speaker | None = None
    via: str | None = None
    remove: bool = False
    antecedent: TextSpan | None = None
    note: str = ""


@dataclass(frozen=True)
class Spoken:
    """One attributed quote as the discourse remembers it."""

    start: int
    end: int
    speaker: Speaker
    gender: str | None
    via: str | None
    paragraph: int
    mention: TextSpan | None
    link: str
    cue: Cue | None


@dataclass
class Discourse:
    """Who has spoken so far, in text order. Only the runner adds to it; sieves read."""

    _spoken: list[Spoken] = field(default_factory=list)
    _learned_gender: dict[str, str] = field(default_factory=dict)

    def latest_first(self) -> Iterator[Spoken]:
        return reversed(self._spoken)

    def last(self) -> Spoken | None:
        return self._spoken[-1] if self._spoken else None

    def gender_of(self, name: str, known: str | None) -> str | None:
        """An entity's gender: the table's, else what a pronoun that resolved to it said."""
        return known or self._learned_gender.get(name)

    def spoken_before(self, char: int) -> list[Spoken]:
        """Quotes that start before `char`, in text order."""
        return [s for s in self._spoken if s.start < char]

    # -- runner only ----------------------------------------------------------------------
    def _add(self, spoken: Spoken) -> None:
        self._spoken.append(spoken)

    def _learn(self, name: str, gender: str) -> None:
        self._learned_gender.setdefault(name, gender)
