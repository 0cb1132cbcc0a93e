"""The entity table of one article: who the article names, and where.

A news article names a person in full once ("State Department spokesman Matthew Miller")
and then by surname, title, role or pronoun. The table is built before any quote is
attributed, by ordered passes, the most precise first (the shape of a deterministic
multi-pass coreference sieve):

1. ``person_names``: every PERSON name the tagger found, cleaned of honorifics;
   ``untagged_names``: a capitalised name the tagger missed or called something else, when
   a title stands before it ("Mayor Ana Lopez", "coach Peter Hall") or it opens with a
   known given name and ends with no organisation word ("Ana Lopez", not "Ana Airlines");
   ``appositive_names``: a name in apposition to a role ("The minister, Callum Reid,")
   is a person's, whatever the tagger called it;
2. ``name_variants``: one person written several ways ("Qin" / "Qin Gang", a glued or
   misspelt surname) becomes one entity;
3. ``mislabelled_names``: a surname the tagger called a place or body is still the person;
4. ``bare_surnames``: a surname standing alone that the tagger missed;
5. ``roles``: titles, appositions and copulas give each entity its role words
   ("X, the spokesman", "X is the coach"), each post's owner ("Quebec's minister") and
   the posts it holds only as deputy, vice or shadow, and, where a role or honorific says
   so, a gender; a given name gives a weaker hint of gender (``name_gender``) that
   stronger evidence beats; a title given in apposition ("The Provost, Tom Hale,") is
   learnt as a role word of the article;
   ``namesakes``: a bare surname two people share goes to the one its title, apposition
   or honorific fits ("Councillor Okafor"), else the one named last;
6. ``organisation_names``: every organisation the tagger names, outside a wire dateline;
7. ``organisation_variants``: an acronym and its long form, a short form and the name it
   opens, become one organisation ("WHO" / "World Health Organization");
8. ``references``: each pronoun ("he", "it") and definite body noun ("the company",
   "the newspaper") is grouped with the entity it most likely stands for — a body named
   in reach, or the most salient person of its gender — and a person pronoun keeps its
   ranked candidates.

The table knows the text only. Attribution weighs a pronoun's candidates against who has
just spoken (the discourse), which the table cannot know: "he said" after a quote is
usually its speaker, wherever the last name was.

>>> import spacy
>>> nlp = spacy.blank("en")
>>> nlp.add_pipe("sentencizer")  # doctest: +ELLIPSIS
<...>
>>> doc = nlp("Ana Lopez spoke. Lopez left.")
>>> doc.ents = [doc.char_span(0, 9, label="PERSON"), doc.char_span(17, 22, label="PERSON")]
>>> table = EntityTable(doc)
>>> [(e.name, len(e.mentions)) for e in table.people]
[('Ana Lopez', 2)]
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from rapidfuzz.fuzz import ratio
from spacy.tokens import Doc, Span, Token

from kg.extract.layout import Layout
from kg.extract.lexicon import Lexicon, load_lexicon
from kg.extract.people import (
    clean_name,
    is_media_name,
    nickname,
    role_head,
    role_words,
    strip_article,
)

ROLE_DEPS = frozenset(
    ["compound", "amod", "nmod", "poss", "npadvmod", "appos", "attr", "pobj", "prep"]
)
PASSES = (
    "person_names",
    "untagged_names",
    "appositive_names",
    "name_variants",
    "mislabelled_names",
    "bare_surnames",
    "roles",
    "namesakes",
    "organisation_names",
    "organisation_variants",
    "references",
)
NOT_NAME_ENTS = frozenset(["DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"])
# Above this many names the variant merge compares only names that share a first letter,
# so a long transcript does not cost a comparison of every pair.
MAX_PAIRWISE_NAMES = 200
MENTION_REACH_PARAGRAPHS = 3  # a person named this many paragraphs back is still "he"
BODY_REACH_PARAGRAPHS = 2  # an organisation named this many paragraphs back is still "it"
OBJECT_PENALTY_CHARS = 150  # a subject mention beats a nearer object mention by this much
LEAD_REACH_PARAGRAPHS = 2  # a lede's "he" is named within this many paragraphs after it
FIRST_PERSON = frozenset(["i", "we", "me", "us"])
SUBJECT = frozenset(["nsubj", "nsubjpass"])
# Small words a name's initials skip: "Bank of England" is "BoE", "World Health
# Organization" is "WHO".
ACRONYM_SKIPS = frozenset(["of", "the", "and", "for", "&", "in", "on", "de"])
HYPHENS = frozenset(["-", "‐", "‑"])


@dataclass
class Entity:
    """One entity of the table: a named person (or a body the tagger took for one), or an
    organisation (`kind` "organization").

    Filled while the table is built, read-only afterwards.
    """

    name: str
    kind: str = "person"
    variants: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    gender: str | None = None
    name_gender: str | None = None  # what the given name suggests: weaker than `gender`
    first_char: int = 0
    mentions: list[int] = field(default_factory=list)
    spans: dict[int, int] = field(default_factory=dict)  # mention start -> end
    # the titles written at the person's mentions ("Councillor" in "Councillor Emeka
    # Okafor"), as role heads: what tells one namesake from another at a bare surname
    titles: set[str] = field(default_factory=set)
    qualified: set[str] = field(default_factory=set)  # posts held as deputy, vice, shadow...
    # whose post it is: "Quebec's immigration minister" -> {"minister": {"quebec"}}
    role_owners: dict[str, set[str]] = field(default_factory=dict)

    def holds_only_qualified(self, head: str, words, qualifiers) -> bool:
        """Whether a description without a qualifier ("the minister", words) names a post
        this entity holds only as deputy, vice or shadow (`qualified`)."""
        return head in self.qualified and not any(w in qualifiers for w in words)

    @property
    def tokens(self) -> list[str]:
        return self.name.lower().split()

    def mention_before(self, char: int) -> tuple[int, int] | None:
        """The span of this entity's last mention starting before `char`."""
        starts = sorted(self.mentions)
        i = bisect.bisect_left(starts, char)
        if i == 0:
            return None
        start = starts[i - 1]
        return start, self.spans.get(start, start)


@dataclass(frozen=True)
class EntityMention:
    """Where an entity is mentioned: its char span and whether it is a clause subject."""

    start: int
    end: int
    entity: Entity
    is_subject: bool


@dataclass(frozen=True)
class Candidate:
    """An earlier mention a pronoun may stand for, with its salience (higher: likelier)."""

    salience: int
    mention: EntityMention


@dataclass(frozen=True)
class Reference:
    """A pronoun ("he", "it") or a definite description of a body ("the company") and the
    entity the table groups it with: the most salient earlier mention that agrees with it
    (None when nothing in reach does). A person pronoun keeps its ranked `candidates`, so
    attribution can weigh them against who has just spoken."""

    start: int
    end: int
    text: str
    entity: Entity | None
    antecedent: EntityMention | None
    candidates: tuple[Candidate, ...] = ()
    # a pronoun that opens a story before anyone is named ("He was the last to leave.
    # ... Tom Hale, 52, ..."): the person of its gender named in the next paragraphs
    named_after: EntityMention | None = None


class EntityTable:
    """The named people of one article and the positions where each is mentioned."""

    def __init__(
        self, doc: Doc, lexicon: Lexicon | None = None, layout: Layout | None = None
    ) -> None:
        self.doc = doc
        self.lexicon = lexicon or load_lexicon()
        quoted = doc._.quoted if Doc.has_extension("quoted") else None
        self.layout = layout or Layout(doc, quoted or [], self.lexicon)
        self.people: list[Entity] = []
        self.mention_at: dict[int, Entity] = {}
        self.organisations: list[Entity] = []
        self.organisation_at: dict[int, Entity] = {}
        # organisation mention start -> quoted / named like an outlet / can be "the newspaper"
        self._quoted_mention: dict[int, bool] = {}
        self._media_named: dict[int, bool] = {}
        self._outlet_like: dict[int, bool] = {}
        # id of a person -> (how many mentions they had, those mentions sorted)
        self._mentions_sorted: dict[int, tuple[int, list[int]]] = {}
        self._by_token: dict[str, list[Entity]] = {}
        self._by_variant: dict[str, Entity] = {}
        self._by_role: dict[str, list[Entity]] = {}
        self.article_roles: set[str] = set()  # title words the article gives in apposition
        self._name_spans: list[Span] = []
        # one-word names as written (start token, end token, word, gender, titles): who
        # bears a shared surname is decided again once every full name is known
        self._surname_mentions: list[tuple[int, int, str, str | None, set[str]]] = []
        self._unspanned: set[int] = set()
        self._ent_of = {i: ent for ent in doc.ents for i in range(ent.start, ent.end)}
        self._pass_person_names()
        self._pass_untagged_names()
        self._pass_appositive_names()
        self._pass_name_variants()
        self._pass_mislabelled_names()
        self._pass_bare_surnames()
        self._pass_roles()  # and `_pass_namesakes`, between full names' roles and the rest
        self.mentions: list[EntityMention] = self._mention_list()
        self._mention_starts = [m.start for m in self.mentions]
        self._pass_organisation_names()
        self._pass_organisation_variants()
        self.references: dict[int, Reference] = {}
        self._pass_references()

    # -- passes ---------------------------------------------------------------------------
    def _pass_person_names(self) -> None:
        for ent in self.doc.ents:
            if ent.label_ == "PERSON" and ent.start not in self.mention_at:
                self._add_name(ent)

    def _pass_untagged_names(self) -> None:
        doc, lex = self.doc, self.lexicon
        i = 0
        while i < len(doc):
            if i in self.mention_at or not _name_word(doc[i], lex):
                i += 1
                continue
            j = i
            while j + 1 < len(doc) and doc[j + 1].sent.start == doc[i].sent.start:
                if j + 1 not in self.mention_at and _name_word(doc[j + 1], lex):
                    j += 1
                    continue
                end = self._name_continues(j + 1)
                if end is None:
                    break
                j = end - 1
            run = doc[i : j + 1]
            i = j + 1
            name_span = self._untagged_person(run)
            if name_span is not None:
                self._add_name(name_span)

    def _pass_appositive_names(self) -> None:
        """A name in apposition to a person's role is a person's name, whatever the
        tagger called it: "The transport minister, Callum Reid, said" and "Callum Reid,
        the transport minister, said", with "Callum Reid" tagged an organisation."""
        roles = self.lexicon.role_nouns
        for ent in self.doc.ents:
            if (
                ent.label_ not in ("ORG", "PRODUCT", "WORK_OF_ART", "FAC")
                or ent.start in self.mention_at
            ):
                continue
            root = ent.root
            if not all(t.pos_ == "PROPN" for t in ent) or len(ent) < 2:
                continue
            role = root.head if root.dep_ == "appos" else None
            if role is None:
                role = next((c for c in root.children if c.dep_ == "appos"), None)
            # a capitalised role counts too: "the Police Public Relations Officer in the
            # state, SP Omolola Adeoye, confirmed"
            if (
                role is not None
                and role.pos_ in ("NOUN", "PROPN")
                and (role.lemma_.lower() in roles or role.lower_ in roles)
            ):
                self._add_name(ent)
        # "The Tánaiste, Conor Fitzmaurice, said": the words between the commas after a
        # definite role, whatever the tagger and parser made of them
        doc = self.doc
        for token in doc:
            word = token.lower_.rstrip(".")
            if word not in roles or token.i + 3 >= len(doc) or doc[token.i + 1].text != ",":
                continue
            before = doc[max(0, token.i - 2) : token.i]
            if not any(c.lower_ == "the" or c.dep_ == "poss" for c in before):
                continue
            end = token.i + 2
            while end < len(doc) and _name_word(doc[end], self.lexicon):
                end += 1
            run = doc[token.i + 2 : end]
            closes = end < len(doc) and doc[end].text in (",", ")")
            if len(run) >= 2 and closes and run.start not in self.mention_at:
                # two capitalised words in apposition to a person's role are a name even
                # when the tagger calls them a place ("Their spokesperson, Tāmati Ruawai,")
                if not any(t.ent_type_ in ("LOC", "NORP") for t in run):
                    self._add_name(run)

    def _untagged_person(self, run: Span) -> Span | None:
        """The part of a capitalised run that names a person, or None."""
        lex = self.lexicon
        start = run.start
        titled = False
        # the name follows the last title of the run: "Health Minister Joan Carter",
        # "Disease Control Director Ko Wen-li"
        for k in range(run.end - 2, run.start - 1, -1):
            if _is_title_word(self.doc[k], lex):
                start, titled = k + 1, True
                break
        portfolio = self._after_portfolio_title(run)
        if portfolio is not None:
            return portfolio
        before = self.doc[run.start - 1] if run.start > 0 else None
        if before is not None and (
            before.lower_.rstrip(".") in lex.honorifics
            or (before.is_lower and before.lemma_ in lex.role_nouns)
        ):
            titled = True  # "coach Peter Hall", "Ms Ana Lopez"
        name = self.doc[start : run.end]
        words = [t.lower_ for t in name]
        if any(
            w in lex.organization_nouns or w in lex.media_words or _is_title_word(t, lex)
            for w, t in zip(words, name)
        ):
            return None  # an organisation, an outlet, or a role phrase ("Cabinet Minister")
        if (
            any(t.ent_type_ in ("GPE", "LOC", "FAC", "NORP") for t in name)
            and _plain(words[0]) not in lex.given_names
        ):
            return None
        if titled:
            return name
        if len(name) >= 2 and _plain(words[0]) in lex.given_names and not self._org_entity(name):
            return name
        if (
            2 <= len(name) <= 3
            and words[-1] in self._lone_surnames
            and not self._by_token.get(words[-1])  # a known surname needs a known given name
            and name.root.dep_ != "poss"
            and not (words[0].endswith("ing") and _plain(words[0]) not in lex.given_names)
            and not self._org_entity(name)
        ):
            # "Fergus Dunleavy kept the light ... Dunleavy laughs.", not "Injecting
            # Lopez's troubles into the race"
            return name
        return None

    @functools.cached_property
    def _lone_surnames(self) -> frozenset[str]:
        """Capitalised words the article writes alone mid-sentence, as it writes a
        surname after the full name ("Asked again, Dunleavy laughs"): no other proper
        noun beside it, no article before it, no place."""
        doc = self.doc
        out = set()
        for t in doc:
            if t.pos_ not in ("PROPN", "NOUN", "ADJ") or not t.is_title or not t.is_alpha:
                continue  # the tagger calls a surname it does not know many things
            if t.is_sent_start:
                continue
            if t.ent_type_ in ("GPE", "LOC", "NORP", "FAC") or t.ent_type_ in NOT_NAME_ENTS:
                continue
            before = doc[t.i - 1]
            after = doc[t.i + 1] if t.i + 1 < len(doc) else None
            if before.pos_ in ("PROPN", "DET") or (after is not None and after.pos_ == "PROPN"):
                continue
            out.add(t.lower_)
        return frozenset(out)

    def _name_continues(self, i: int, tagged: bool = False) -> int | None:
        """Where a name that ends before token `i` really ends, when what follows is more
        of it: a particle and a name ("Maria dela Cruz", "Annelie van der Merwe"), the
        other half of a hyphenated surname ("Adeyemi-Bello"), a nickname in quotes and the
        surname after it (Ramon “Bong” Villarosa); with `tagged`, also a name the tagger
        cut in two ("Shri Harish" + "Chandra Rawat"). None when the name ends there."""
        doc, lex = self.doc, self.lexicon
        if i >= len(doc) or i == 0 or doc[i].sent.start != doc[i - 1].sent.start:
            return None
        token = doc[i]
        glued = not doc[i - 1].whitespace_
        ent = self._ent_of.get(i)
        if tagged and not glued and ent is not None and ent.label_ == "PERSON" and ent.start == i:
            return ent.end if i not in self.mention_at else None
        if tagged and not glued and ent is None:
            head = self._compound_head(i - 1)
            if head is not None:
                return head + 1
        if token.text in HYPHENS and glued and not token.whitespace_:
            nxt = i + 1
            return nxt + 1 if nxt < len(doc) and _name_word(doc[nxt], lex) else None
        k = i
        while k < len(doc) and k - i < 3 and doc[k].is_lower and doc[k].text in lex.name_particles:
            k += 1
        if k > i:
            return k + 1 if k < len(doc) and _name_word(doc[k], lex) else None
        if token.is_quote and not glued:
            k = i + 1
            while k < len(doc) and k - i <= 3 and doc[k].is_title and doc[k].is_alpha:
                k += 1
            if (
                i + 1 < k < len(doc)
                and doc[k].is_quote
                and doc[k].whitespace_
                and k + 1 < len(doc)
                and _name_word(doc[k + 1], lex)
            ):
                return k + 2
        return None

    def _compound_head(self, last: int) -> int | None:
        """The head of the compound a tagged name's last word hangs in, when the words up
        to it are more of the name: "Shri Nand" + "Kishore Chaudhary", tagged "Shri Nand"
        with "Nand" and "Kishore" compounds of "Chaudhary". At most two more words, each
        a name word, none a title, an organisation word or another entity's."""
        doc, lex = self.doc, self.lexicon
        token = doc[last]
        head = token.head.i
        if token.dep_ != "compound" or not last < head <= last + 2 or _title_cased(token.sent):
            return None  # in a Title Case headline a capital says nothing ("Warren Hammers")
        for k in range(last + 1, head + 1):
            word = doc[k]
            if (
                not _name_word(word, lex)
                or word.ent_type_
                or _is_title_word(word, lex)
                or word.lower_ in lex.organization_nouns
                or (k < head and (word.dep_ != "compound" or word.head.i != head))
            ):
                return None
        return head

    def _whole_name(self, ent: Span) -> Span:
        """A tagged name widened to the words the tagger left out: the rest of it on the
        right (see `_name_continues`) and a given name on the left ("Deputy Aoife" +
        "Nic Giolla Phádraig"), never over a title, a place or another entity."""
        doc, lex = self.doc, self.lexicon
        start, end = ent.start, ent.end
        while end - start > 1 and doc[end - 1].is_quote:
            end -= 1  # "Ramon “": the tagger stopped at a nickname's opening mark
        while (grown := self._name_continues(end, tagged=True)) is not None:
            end = grown
        for _ in range(2):
            k = start - 1
            if k < 0 or doc[k].sent.start != doc[start].sent.start or not doc[k].whitespace_:
                break
            t = doc[k]
            if (
                not _name_word(t, lex)
                or _is_title_word(t, lex)
                or _is_title_word(t, lex, t.lemma_.lower())
                or k in self.mention_at
                or k in self._ent_of
                or t.lower_ in self._place_words
            ):
                break
            # a name begins after a title, a mark or at the sentence's start, and a
            # sentence's first word is a given name only if it is a known one
            # ("Pensioner Margaret ...", "... and Protections Alison McGovern" are not)
            if t.is_sent_start or k == 0:
                if _plain(t.lower_) not in lex.given_names:
                    break
            elif not (doc[k - 1].is_punct or _is_title_word(doc[k - 1], lex)):
                break
            start = k
        return doc[start:end] if (start, end) != (ent.start, ent.end) else ent

    def _before_own_acronym(self, name: Span) -> bool:
        """Whether a name is followed by its own initials in brackets, as an organisation
        is and a person is not: "Rashtriya Jan Morcha (RJM)" (the tagger may have taken
        only "Jan Morcha", and "Jan" is a given name)."""
        doc = self.doc
        end = name.end
        if end + 2 >= len(doc) or doc[end].text != "(" or doc[end + 2].text != ")":
            return False
        acronym = doc[end + 1].text
        if not (acronym.isupper() and acronym.isalpha() and 2 <= len(acronym) <= 8):
            return False
        first = max(name.sent.start, name.start - 4)
        for s in range(name.start, first - 1, -1):
            if s < name.start and not (doc[s].is_title or doc[s].lower_ in ACRONYM_SKIPS):
                break
            if initials(doc[s:end].text).upper() == acronym:
                return True
        return False

    def _mention_titles(self, ent: Span, name: str) -> set[str]:
        """The titles written at a name's mention, inside it or just before it, as role
        heads: "Councillor Okafor" -> {"councillor"}; an honorific of gender alone ("Mr")
        is not a title."""
        lex = self.lexicon
        own = set(name.lower().split())
        words = [t for t in ent if t.lower_ not in own]
        k = ent.start - 1
        while k >= 0 and k >= ent.start - 3 and _is_title_word(self.doc[k], lex):
            words.append(self.doc[k])
            k -= 1
        out = set()
        for t in words:
            word = t.lower_.rstrip(".")
            if word in lex.honorifics and lex.honorifics[word] and word not in lex.role_nouns:
                continue
            if _is_title_word(t, lex):
                out.add(role_head(word, lex))
        return out

    def _after_portfolio_title(self, run: Span) -> Span | None:
        """The name ending a title's portfolio: "Minister for Housing Declan Mac Aodha",
        "Secretary of State Ana Lopez" give "Declan Mac Aodha", "Ana Lopez": the surname
        with its particles and the given names before it, the portfolio left out."""
        doc, lex = self.doc, self.lexicon
        if run.start < 2 or len(run) < 3 or doc[run.start - 1].lower_ not in ("for", "of"):
            return None
        if not _is_title_word(doc[run.start - 2], lex):
            return None
        start = run.end - 1
        while start - 1 > run.start and doc[start - 1].lower_ in lex.name_particles:
            start -= 1
        start -= 1  # the given name
        while start - 1 > run.start and _plain(doc[start - 1].lower_) in lex.given_names:
            start -= 1
        if start <= run.start or _is_title_word(doc[start], lex):
            return None
        name = doc[start : run.end]
        if any(t.lower_ in lex.organization_nouns or t.lower_ in lex.media_words for t in name):
            return None
        return name

    def _without_verbs(self, ent: Span) -> Span | None:
        """A tagged name cut before a verb the tagger ran into it, as in a Title Case
        headline ("Adler Says Pier ..." gives "Adler")."""
        lex = self.lexicon
        end = ent.start
        while end < ent.end:
            t = self.doc[end]
            if t.pos_ in ("VERB", "AUX") or (
                end > ent.start and t.lemma_.lower() in lex.reporting_verbs
            ):
                break
            end += 1
        return self.doc[ent.start : end] if end > ent.start else None

    def _without_leading_verb(self, ent: Span) -> Span:
        """A tagged name without the verb of a verb-first cue the tagger ran into it
        ("Said Lindqvist: ..." gives "Lindqvist"), or the capitalised first word of a
        sentence that is no name ("Beyond Ruiz's finances", "Injecting Lopez's ...")."""
        first = ent[0]
        opens = first.is_sent_start or first.i == 0 or self.doc[first.i - 1].is_space
        if len(ent) >= 2 and opens:
            verbal = first.pos_ in ("ADP", "VERB", "ADV", "SCONJ", "CCONJ", "DET") or (
                first.tag_ == "VBG" or (len(first) > 5 and first.lower_.endswith("ing"))
            )  # a gerund opening the sentence, whatever tag it got: "Injecting Lopez's"
            if first.lower_ in ("said", "says") or (
                verbal and _plain(first.lower_) not in self.lexicon.given_names
            ):
                return self.doc[ent.start + 1 : ent.end]
        return ent

    def _without_leading_place(self, ent: Span) -> Span:
        """A tagged name without a place the tagger ran into it where a comma was lost
        ("In Beijing Blinken met ..." gives "Blinken"): a first word the article tags as
        a place elsewhere is not a given name."""
        if len(ent) < 2 or ent[0].lower_ not in self._place_words:
            return ent
        return self.doc[ent.start + 1 : ent.end]

    @functools.cached_property
    def _place_words(self) -> frozenset[str]:
        """Single words the tagger calls a place somewhere in the article."""
        return frozenset(
            e.text.lower() for e in self.doc.ents if e.label_ in ("GPE", "LOC") and len(e) == 1
        )

    def _org_entity(self, name: Span) -> bool:
        """Whether the tagger put these words inside a longer organisation name ("Ana
        Lopez Foundation")."""
        ent = self._ent_of.get(name.start)
        return (
            ent is not None
            and ent.label_ == "ORG"
            and (ent.start < name.start or ent.end > name.end)
        )

    def _add_name(self, ent: Span) -> None:
        ent = self._without_verbs(ent)
        if ent is None:
            return
        ent = self._without_leading_place(self._without_leading_verb(ent))
        ent = self._whole_name(ent)
        if self._before_own_acronym(ent):
            return  # an organisation's name, whatever the tagger said
        name, gender = clean_name(ent.text, self.lexicon)
        if not name or name.lower() in self.lexicon.not_names:
            return
        if not any(c.isalpha() for c in name):
            return
        if all(t.is_punct or ent.start <= t.i < ent.end for t in ent.sent) and len(ent) == 1:
            return  # "Harsh? He doesn't think so.": a word asked as a sentence, not a name
        if len(name.split()) == 1 and _after_the(ent):
            return  # "the Taoiseach", "the Speaker": a title the tagger took for a name
        before = self.doc[ent.start - 1] if ent.start > 0 else None
        if before is not None:  # "Ms Ana Lopez" with the honorific outside the name
            gender = gender or self.lexicon.honorifics.get(before.lower_.rstrip("."))
        titles = self._mention_titles(ent, name)
        person = self.find_name(name, ent.start_char, gender, titles)
        if person is None:
            person = Entity(name=name, first_char=ent.start_char)
            self.people.append(person)
        elif len(name.split()) > len(person.name.split()):
            person.name = name
        person.variants.add(name)
        self._by_variant.setdefault(name.lower(), person)
        if len(name.split()) > 1:  # a bare surname's evidence waits for `_pass_namesakes`
            person.titles |= titles
            person.gender = person.gender or gender
        words = name.lower().split()
        if len(words) >= 2 and person.name_gender is None:
            person.name_gender = self.lexicon.given_names.get(_plain(words[0]))
        self._name_spans.append(ent)
        if len(name.split()) == 1:
            self._surname_mentions.append((ent.start, ent.end, name.lower(), gender, titles))
        person.mentions.append(ent.start_char)
        person.spans[ent.start_char] = ent.end_char
        nick = nickname(ent.text)
        if nick:  # "Bong" alone is Ramon “Bong” Villarosa too
            person.variants.add(nick)
        for word in f"{name} {nick or ''}".lower().split():
            bucket = self._by_token.setdefault(word, [])
            if person not in bucket:
                bucket.append(person)
        for i in range(ent.start, ent.end):
            self.mention_at[i] = person

    def _pass_name_variants(self) -> None:
        """Fold one person written several ways into one, named by the spelling the
        article uses most."""
        counts: dict[str, int] = {}
        for t in self.doc:
            counts[t.lower_] = counts.get(t.lower_, 0) + 1
        blocked = len(self.people) > MAX_PAIRWISE_NAMES
        merged: list[Entity] = []
        blocks: dict[str, list[Entity]] = {}
        owner: dict[int, Entity] = {}
        for person in sorted(self.people, key=lambda p: -len(p.tokens)):
            pool = merged
            if blocked:
                keys = {person.tokens[0][:1], person.tokens[-1][:1]}
                pool = [m for k in keys for m in blocks.get(k, [])]
            target = next((m for m in pool if _same_person(person, m)), None)
            if target is None:
                merged.append(person)
                for key in {person.tokens[0][:1], person.tokens[-1][:1]}:
                    blocks.setdefault(key, []).append(person)
                continue
            if counts.get(person.tokens[-1], 0) > counts.get(target.tokens[-1], 0) and len(
                person.tokens
            ) >= len(target.tokens):
                target.name = person.name
            target.variants |= person.variants
            target.mentions += person.mentions
            target.spans.update(person.spans)
            target.gender = target.gender or person.gender
            target.name_gender = target.name_gender or person.name_gender
            target.titles |= person.titles
            target.first_char = min(target.first_char, person.first_char)
            owner[id(person)] = target
        if owner:
            for i, person in list(self.mention_at.items()):
                if id(person) in owner:
                    self.mention_at[i] = owner[id(person)]
        self.people = sorted(merged, key=lambda p: p.first_char)
        self._by_token = {}
        self._by_variant = {}
        for person in self.people:
            for variant in person.variants:
                self._by_variant.setdefault(variant.lower(), person)
                for word in variant.lower().split():
                    bucket = self._by_token.setdefault(word, [])
                    if person not in bucket:
                        bucket.append(person)

    def _pass_namesakes(self) -> None:
        """A bare surname that two people of the article bear ("Councillor Okafor" when
        both Emeka and Chidi Okafor are named) is decided once every full name and its
        roles are known, by the evidence at the mention: the title or honorific written
        with it, a role in apposition ("Mr Okafor, the teacher"), then the namesake
        mentioned or referred to by title last (see `bearer_before`). The tagger's order
        of names is not the article's. The mention's roles then go to the one chosen."""
        lex = self.lexicon
        once = {m[0]: m for m in reversed(self._surname_mentions)}  # the first record wins
        for start, end, word, gender, titles in sorted(once.values(), key=lambda m: m[0]):
            current = self.mention_at.get(start)
            if current is None:
                continue
            span = self.doc[start:end]
            roles, role_gender = self._roles_at(current, span)
            char = span.start_char
            evidence = titles | {r for r in roles if r in lex.role_nouns}
            chosen = self.bearer_before(word, char, gender or role_gender, evidence) or current
            if chosen is not current:
                current.mentions.remove(char)
                current.spans.pop(char, None)
                chosen.mentions.append(char)
                chosen.spans[char] = span.end_char
                for i in range(start, end):
                    if self.mention_at.get(i) is current:
                        self.mention_at[i] = chosen
            chosen.titles |= titles
            chosen.gender = chosen.gender or gender
            if start not in self._unspanned:
                self._learn_roles(chosen, span)

    def _pass_mislabelled_names(self) -> None:
        """A surname the tagger once called a place ("Blinken" as GPE) is still the person."""
        for ent in self.doc.ents:
            if ent.label_ == "PERSON" or not (ent.root.pos_ == "PROPN" or ent.root.is_title):
                continue  # the tagger sometimes calls a capitalised surname a common noun
            name, _ = clean_name(ent.text, self.lexicon)
            person = self.find_name(name) if name else None
            if person is not None and len(name.split()) <= len(person.name.split()):
                for i in range(ent.start, ent.end):
                    self.mention_at[i] = person
                person.mentions.append(ent.start_char)
                person.spans[ent.start_char] = ent.end_char
                if len(name.split()) == 1:
                    self._surname_mentions.append(
                        (ent.start, ent.end, name.lower(), None, self._mention_titles(ent, name))
                    )

    def _pass_bare_surnames(self) -> None:
        """A surname standing alone that the tagger did not mark ("Evans read the letter")
        is still a mention of the one person of the article who bears it."""
        for token in self.doc:
            if token.i in self.mention_at or not (token.is_title or _inner_capital(token.text)):
                continue
            if token.pos_ != "PROPN" and (token.is_sent_start or token.pos_ != "NOUN"):
                continue  # a mistagged surname counts only mid-sentence ("In response, Reyes")
            if not self._by_token.get(token.lower_):
                continue
            neighbours = [self.doc[i] for i in (token.i - 1, token.i + 1) if 0 <= i < len(self.doc)]
            if any(n.pos_ == "PROPN" for n in neighbours):
                continue  # part of another name ("Evans Street", "Mary Evans")
            owner = self.bearer_before(token.lower_, token.idx)  # two Smiths: the recent one
            if owner is None:
                continue
            self.mention_at[token.i] = owner
            owner.mentions.append(token.idx)
            owner.spans[token.idx] = token.idx + len(token)
            before = self.doc[token.i - 1] if token.i else None
            gender = self.lexicon.honorifics.get(before.lower_.rstrip(".")) if before else None
            titles = self._mention_titles(self.doc[token.i : token.i + 1], token.text)
            self._surname_mentions.append((token.i, token.i + 1, token.lower_, gender, titles))
            self._unspanned.add(token.i)  # no tagged span: its roles were never read

    def _pass_roles(self) -> None:
        spans = list(self._name_spans)
        spans += [e for e in self.doc.ents if e.label_ != "PERSON" and e.start in self.mention_at]
        bare = {start for start, *_ in self._surname_mentions}
        for span in spans:
            person = self.mention_at.get(span.start)
            if person is not None and span.start not in bare:
                self._learn_roles(person, span)
        self._pass_namesakes()
        for person in self.people:
            for role in person.roles:
                self._by_role.setdefault(role, []).append(person)

    def _learn_roles(self, person: Entity, ent: Span) -> None:
        words, gender = self._roles_at(person, ent)
        words |= self._title_run_before(ent) - set(person.tokens)
        person.roles |= words
        person.gender = person.gender or gender
        person.qualified |= self._qualified_heads(self.doc[ent.root.left_edge.i : ent.start])
        for role in self._role_nouns_at(ent):
            owner = role_owner(role)
            if owner is not None:
                head = role_head(role.lower_, self.lexicon)
                person.role_owners.setdefault(head, set()).add(owner)

    def _role_nouns_at(self, ent: Span) -> list[Token]:
        """The role nouns describing a name: in the title before it and in apposition."""
        head = ent.root
        roles = self.lexicon.role_nouns
        near = list(self.doc[head.left_edge.i : ent.start])
        near += [c for c in head.children if c.dep_ == "appos" and c.i > head.i]
        if head.dep_ == "appos" and head.head.i < ent.start:
            near.append(head.head)
        return [t for t in near if t.lemma_.lower() in roles and t.i not in self.mention_at]

    def _title_run_before(self, ent: Span) -> set[str]:
        """The role words of a capitalised title written just before a name, whatever
        the parser made of it: "Minister for Housing Declan Roe" is a minister even when
        the parse hangs the name inside "for Housing"."""
        lex = self.lexicon
        run: list[Token] = []
        i = ent.start - 1
        while i >= ent.sent.start:
            token = self.doc[i]
            capitalised = token.is_title and token.pos_ in ("PROPN", "NOUN")
            if not (capitalised or (token.lower_ in ("for", "of", "and") and run)):
                break
            run.insert(0, token)
            i -= 1
        while run and not run[0].is_title:
            run.pop(0)
        if not any(t.lemma_.lower() in lex.role_nouns or t.lower_ in lex.role_nouns for t in run):
            return set()
        return role_words([t for t in run if t.is_title], lex)

    def _qualified_heads(self, title: Span) -> set[str]:
        """The posts a title names with a qualifier ("Deputy Chief Minister" -> "minister",
        "Shadow Secretary for Health" -> "secretary"): their holder does not hold the
        plain post, which "the chief minister" names."""
        lex = self.lexicon
        out: set[str] = set()
        qualified = False
        for token in title:
            word = token.lower_.rstrip(".")
            if word in lex.role_qualifiers:
                qualified = True
            elif qualified and token.lemma_.lower() in lex.role_nouns:
                head = role_head(word, lex)
                if (
                    token.i + 1 == title.end
                    or self.doc[token.i + 1].lower_.rstrip(".") not in lex.role_nouns
                ):
                    out.add(head)
                    qualified = False
        return out

    def _roles_at(self, person: Entity, ent: Span) -> tuple[set[str], str | None]:
        """The role words a mention gives its person (titles before it, appositions,
        copulas) and the gender its role words say, if the person has none yet."""
        lex = self.lexicon
        head = ent.root
        doc = self.doc
        left = [
            t
            for t in doc[head.left_edge.i : ent.start]
            if t.dep_ in ROLE_DEPS or t.pos_ in ("NOUN", "ADJ", "PROPN")
        ]

        def own(tokens) -> list[Token]:
            # another person's name is no role of this one: "Dr Ana Ruiz and the chief
            # executive, Tom Hale," parsed as one apposition must not swap their words
            return [t for t in tokens if self.mention_at.get(t.i) in (None, person)]

        words = role_words(own(left), lex)
        for child in head.children:
            if child.dep_ == "appos" and child.i > head.i and child.i not in self.mention_at:
                words |= role_words(own(child.subtree), lex)
        if (
            head.dep_ == "appos"
            and head.head.i < ent.start
            and not _vocative(head.head)
            and head.head.i not in self.mention_at
        ):
            subtree = list(head.head.subtree)[: head.head.i - head.head.left_edge.i + 1]
            words |= role_words(own(subtree), lex)
            title = head.head
            if _definite(title) and title.lemma_.lower() not in lex.organization_nouns:
                # "The Provost, Mr Hale, ...": the article itself says it is a title,
                # whether or not the role list knows the word
                self.article_roles.add(title.lemma_.lower())
        if head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_ == "be":
            for child in head.head.children:
                if child.dep_ == "attr":
                    words |= role_words(list(child.subtree), lex)
        words -= set(person.tokens) | set(lex.honorifics) - set(lex.role_nouns)
        # the words as written: "spokeswoman" says more than the role "spokesperson"
        for token in left + [t for c in head.children if c.dep_ == "appos" for t in c.subtree]:
            gender = lex.role_gender.get(token.lower_)
            if gender:
                return words, gender
        for word in sorted(words):
            if word in lex.role_gender:
                return words, lex.role_gender[word]
        return words, None

    def _mention_list(self) -> list[EntityMention]:
        """One entry per mention (the first token of a run of one entity's tokens)."""
        out = []
        for i, person in self.mention_at.items():
            if i and self.mention_at.get(i - 1) is person:
                continue
            token = self.doc[i]
            end = i
            while self.mention_at.get(end + 1) is person:
                end += 1
            last = self.doc[end]
            out.append(
                EntityMention(
                    token.idx,
                    last.idx + len(last),
                    person,
                    # the name's head is its last word: "Matthew Miller" is the subject
                    # when "Miller" is, even if "Matthew" hangs off it as a compound
                    any(_subject(t) for t in (token, last)),
                )
            )
        out.sort(key=lambda m: m.start)
        return out

    def _pass_organisation_names(self) -> None:
        """Every organisation the tagger names, outside a wire dateline ("PARIS (AFP) -")
        and not taken for a person by the passes before."""
        by_name: dict[str, Entity] = {}
        for ent in self.doc.ents:
            if ent.label_ != "ORG" or ent.start in self.mention_at or self.layout.in_dateline(ent):
                continue
            name = strip_article(ent.text)
            if not any(c.isalpha() for c in name):
                continue
            body = by_name.get(name.lower())
            if body is None:
                body = Entity(name=name, kind="organization", first_char=ent.start_char)
                by_name[name.lower()] = body
                self.organisations.append(body)
            body.variants.add(name)
            body.mentions.append(ent.start_char)
            body.spans[ent.start_char] = ent.end_char
            for i in range(ent.start, ent.end):
                self.organisation_at[i] = body

    def _pass_organisation_variants(self) -> None:
        """Fold an organisation written several ways into one, named by its fullest name:
        an acronym and its long form ("WHO", "World Health Organization"), a short form
        and the name it opens ("Northwind", "Northwind Airlines")."""
        lex = self.lexicon
        longest_first = sorted(self.organisations, key=lambda b: (-len(b.tokens), b.first_char))
        kept: list[Entity] = []
        owner: dict[int, Entity] = {}
        for body in longest_first:
            targets = [k for k in kept if _same_organisation(body, k, lex)]
            if len(targets) != 1:  # none, or a short form two bodies share: keep apart
                kept.append(body)
                continue
            target = targets[0]
            target.variants |= body.variants
            target.mentions += body.mentions
            target.spans.update(body.spans)
            target.first_char = min(target.first_char, body.first_char)
            owner[id(body)] = target
        for i, body in list(self.organisation_at.items()):
            if id(body) in owner:
                self.organisation_at[i] = owner[id(body)]
        self.organisations = sorted(kept, key=lambda b: b.first_char)
        self.organisation_mentions = self._organisation_mentions()
        self._organisation_starts = [m.start for m in self.organisation_mentions]
        # the mentions of bodies with a name of two words or more, by its last word
        # ("commission" -> the Northern Lights Commission's), in text order
        self._by_last_name_word: dict[str, list[int]] = {}
        for j, m in enumerate(self.organisation_mentions):
            words = m.entity.name.lower().split()
            if len(words) >= 2 and not self._quoted_mention[m.start]:
                self._by_last_name_word.setdefault(words[-1], []).append(j)
        outlets = [m for m in self.organisation_mentions if self._outlet_like[m.start]]
        self._outlet_mentions = outlets
        self._outlet_starts = [m.start for m in outlets]

    def _organisation_mentions(self) -> list[EntityMention]:
        """One mention per ORG entity of a table organisation, with what each reference
        lookup asks of it worked out once: is it quoted, named like an outlet ("Daily
        Herald"), or can it be "the newspaper" (an outlet's name, or reporting: "reports
        UNB")."""
        out = []
        for ent in self.doc.ents:
            body = self.organisation_at.get(ent.start)
            if body is None or ent.label_ != "ORG":
                continue
            root = ent.root
            out.append(EntityMention(ent.start_char, ent.end_char, body, root.dep_ in SUBJECT))
            start = ent.start_char
            self._quoted_mention[start] = self.layout.in_quote[ent.start] >= 0
            media = is_media_name(ent.text, self.lexicon)
            self._media_named[start] = media
            reports = root.dep_ == "nsubj" and root.head.lemma_ in ("report", "say")
            self._outlet_like[start] = media or reports
        return out

    def _pass_references(self) -> None:
        """Group each pronoun ("he", "it") and each definite body noun ("the company")
        with the entity it most likely stands for."""
        lex = self.lexicon
        for token in self.doc:
            word, lemma = token.lower_, token.lemma_.lower()
            if word in FIRST_PERSON:
                continue
            if word in ("it", "its") or lemma in lex.organization_nouns or lemma in lex.media_words:
                self.references[token.i] = self._body_reference(token)
            elif word in lex.pronoun_gender:
                self.references[token.i] = self._person_reference(token)

    def _body_reference(self, token: Token) -> Reference:
        """ "It" or "the company" is the organisation named nearest before it in this or the
        two paragraphs before, leaving out names inside quotations and outlets; "the
        newspaper" is the outlet named last, however far back."""
        antecedent = self.body_named_before(token)
        candidates = self.pronoun_candidates(token) if token.lower_ in ("it", "its") else ()
        return Reference(
            token.idx,
            token.idx + len(token),
            token.text,
            antecedent.entity if antecedent else None,
            antecedent,
            candidates,
        )

    def body_named_before(self, token: Token) -> EntityMention | None:
        """The organisation mention "it", "the company" or "the agency" refers back to."""
        quoted = self._quoted_mention
        if token.lemma_.lower() in self.lexicon.media_words:
            i = bisect.bisect_left(self._outlet_starts, token.idx)
            outlets = self._outlet_mentions  # read back from i, not copied up to it
            return next(
                (outlets[j] for j in range(i - 1, -1, -1) if not quoted[outlets[j].start]), None
            )
        para = self.layout.prose(token.idx)
        i = bisect.bisect_left(self._organisation_starts, token.idx)
        # "the Commission", capitalised, is the Northern Lights Commission named before,
        # however far back, not the nearest body ("the bank" is any bank)
        if token.text[:1].isupper() and not token.is_sent_start:
            named = self._by_last_name_word.get(token.lower_, [])
            k = bisect.bisect_left(named, i)
            if k:
                return self.organisation_mentions[named[k - 1]]
        for j in range(i - 1, -1, -1):
            m = self.organisation_mentions[j]
            if self.layout.prose(m.start) < para - BODY_REACH_PARAGRAPHS:
                break
            if quoted[m.start]:
                continue
            if not self._media_named[m.start]:
                return m
        return None

    def _person_reference(self, token: Token) -> Reference:
        candidates = self.pronoun_candidates(token)
        gender = self.lexicon.pronoun_gender.get(token.lower_)
        chosen = next(
            (
                c.mention
                for c in candidates
                if compatible(gender, c.mention.entity.gender, c.mention.entity.kind)
                and (gender not in ("m", "f") or c.mention.entity.name_gender in (None, gender))
            ),
            None,
        )
        entity = chosen.entity if chosen else None
        later = None if candidates else self._named_after_lead_pronoun(token, gender)
        return Reference(
            token.idx, token.idx + len(token), token.text, entity, chosen, candidates, later
        )

    def _named_after_lead_pronoun(self, token: Token, gender: str | None) -> EntityMention | None:
        """A delayed identification: "he"/"she" in the story's opening paragraphs with no
        one named before it stands for the first person of its gender named in the next
        LEAD_REACH_PARAGRAPHS paragraphs who is named again later (the story's subject,
        not a passer-by)."""
        prose = self.layout.prose(token.idx)
        if gender not in ("m", "f") or prose > 2:
            return None
        if prose == 2 and not self._lead_pronoun_before(token, gender):
            return None  # past the opening paragraph only as the lede's "he" again
        first = next((m for m in self.mentions if not self.layout.is_headline(m.start)), None)
        if first is not None and first.start < token.idx:
            return None  # someone is named before it (a headline's names label the story)
        reach = prose + LEAD_REACH_PARAGRAPHS
        for m in self.mentions:
            if m.start <= token.idx:
                continue
            if self.layout.prose(m.start) > reach:
                return None
            entity = m.entity
            if len(entity.mentions) < 2 or not compatible(gender, entity.gender, entity.kind):
                continue
            if entity.name_gender not in (None, gender):
                continue
            return m
        return None

    def _lead_pronoun_before(self, token: Token, gender: str) -> bool:
        """Whether the story's opening paragraph has a pronoun of this gender outside
        quotation marks before `token` ("He was the last to leave ... “...,” he says")."""
        for earlier in self.doc[: token.i]:
            if self.layout.prose(earlier.idx) > 1:
                break
            if (
                self.lexicon.pronoun_gender.get(earlier.lower_) == gender
                and self.layout.in_quote[earlier.i] < 0
                and not self.layout.is_headline(earlier.idx)
            ):
                return True
        return False

    def pronoun_candidates(self, token: Token) -> tuple[Candidate, ...]:
        """The people named in this or the three paragraphs before a pronoun, most salient
        first: a nearer mention is more salient, an object counts as if it were named
        OBJECT_PENALTY_CHARS earlier, and the narrative subject of an earlier sentence is
        as salient as the end of its sentence ("Adler spoke of the statue of Berg. He said"
        is Adler). Nothing here knows gender or who spoke: those decide later."""
        known = self.references.get(token.i)
        if known is not None and token.lower_ in self.lexicon.pronoun_gender:
            return known.candidates  # a pronoun's reference keeps them (a body noun's has none)
        here = token.idx
        para = self.layout.prose(here)
        own_sentence = token.sent.start_char
        out = []
        in_story = not self.layout.is_headline(here)
        for m in self.mentions_back_from(here):
            if self.layout.prose(m.start) < para - MENTION_REACH_PARAGRAPHS:
                break
            if in_story and self.layout.is_headline(m.start):
                continue  # a headline labels the story: the story's pronouns start after it
            salience = m.start - (0 if m.is_subject else OBJECT_PENALTY_CHARS)
            if (
                m.is_subject
                and m.start < own_sentence
                and not self.layout.quotes_overlapping(m.start, m.end)
            ):
                words = self.doc.char_span(m.start, m.end, alignment_mode="expand")
                if words is not None and len(words):
                    salience = max(salience, min(words[0].sent.end_char, own_sentence) - 1)
            out.append(Candidate(salience, m))
        bound = self._bound_by_earlier_pronoun(token)
        if bound is not None:
            out = [c for c in out if not bound[0] <= c.mention.start < bound[1]]
        out.sort(key=lambda c: (-c.salience, -c.mention.start))
        return tuple(out)

    def _bound_by_earlier_pronoun(self, token: Token) -> tuple[int, int] | None:
        """Where a pronoun's referent cannot be named: "He praised Ana Ruiz's staff and
        thanked Tom Hale. He said ...": the second "he" continues the first (the subject
        of the sentence before), and a name inside the clause the first "he" governs is
        not him. Returns the char span of that clause after the earlier pronoun."""
        gender = self.lexicon.pronoun_gender.get(token.lower_)
        if gender not in ("m", "f") or token.dep_ not in ("nsubj", "nsubjpass"):
            return None
        sent = token.sent
        start = sent.start
        if start > 0:
            start = self.doc[start - 1].sent.start
        for i in range(token.i - 1, start - 1, -1):
            earlier = self.doc[i]
            if earlier.dep_ not in ("nsubj", "nsubjpass") or earlier.pos_ != "PRON":
                continue
            if self.lexicon.pronoun_gender.get(earlier.lower_) != gender:
                continue
            if self.layout.in_quote[i] >= 0 or earlier.head.i > token.i:
                return None
            clause = self.doc[earlier.i + 1 : earlier.head.right_edge.i + 1]
            return (clause.start_char, clause.end_char) if len(clause) else None
        return None

    def reference_at(self, token: Token) -> Reference | None:
        """The table's reading of a pronoun or body noun (None for other words)."""
        return self.references.get(token.i)

    # -- lookups --------------------------------------------------------------------------
    def find_name(
        self,
        name: str,
        before: int | None = None,
        gender: str | None = None,
        titles: set[str] | frozenset[str] = frozenset(),
    ) -> Entity | None:
        """The person a name refers to: same full name, or one of its words.

        A one-word mention matches a longer name's last or first word ("Qin" in "Qin Gang");
        when several people bear it, the one the evidence at the mention picks (see
        `bearer_before`: the `gender` of an honorific, the `titles` written with it).
        """
        words = name.lower().split()
        if not words:
            return None
        exact = self._by_variant.get(name.lower())
        if exact is not None and (len(words) > 1 or before is None):
            return exact
        if len(words) == 1:
            bucket = self._by_token.get(words[0], [])
            if len(bucket) > 1 and before is not None:
                return self.bearer_before(words[0], before, gender, titles) or bucket[-1]
            if exact is not None:
                return exact
            return bucket[0] if len(bucket) == 1 else (bucket[-1] if bucket else None)
        last = self._by_token.get(words[-1], [])
        for person in last:
            if len(person.tokens) == 1:
                return person
            if person.tokens[-1] == words[-1] and _first_names_agree(person.tokens[0], words[0]):
                return person  # "Paul Smith" is not "Ann Smith", though both are Smiths
        return None

    def bearer_before(
        self,
        word: str,
        char: int,
        gender: str | None = None,
        titles: set[str] | frozenset[str] = frozenset(),
    ) -> Entity | None:
        """Of the people whose surname is `word`, the one a bare surname at `char` names.

        The evidence at the mention decides first: a title written with it
        ("Councillor Okafor") picks the namesake who holds that title or role, an
        honorific's gender ("Mr", "Ms") rules out a namesake of the other. Only when
        nothing tells them apart does the one mentioned last before `char` win. A
        hyphenated surname ("Dunleavy-Reid") is not the bare one ("Dunleavy").
        """
        owners = [p for p in self._by_token.get(word, []) if p.tokens[-1] == word]
        if len(owners) == 1:
            return owners[0]
        owners = _namesakes_agreeing(owners, gender, titles)
        holders: dict[str, int] = {}  # title -> how many of the namesakes hold it
        for p in owners:
            for title in p.titles:
                holders[title] = holders.get(title, 0) + 1
        recent = []
        for p in owners:
            at = _last_before(self._sorted_mentions(p), char)
            for title in p.titles:
                if holders[title] == 1:  # "the councillor" when one namesake is the councillor
                    at = max(at, _last_before(self._title_positions.get(title, []), char))
            if at >= 0:
                recent.append((at, p))
        return max(recent, key=lambda r: r[0])[1] if recent else None

    def _sorted_mentions(self, person: Entity) -> list[int]:
        """`person`'s mentions in order (sorted again only once more were added)."""
        cached = self._mentions_sorted.get(id(person))
        if cached is None or cached[0] != len(person.mentions):
            cached = self._mentions_sorted[id(person)] = (
                len(person.mentions),
                sorted(person.mentions),
            )
        return cached[1]

    @functools.cached_property
    def _title_positions(self) -> dict[str, list[int]]:
        """Where the article refers to someone by each definite title, in order."""
        positions: dict[str, list[int]] = {}
        for at, title in self._title_references:
            positions.setdefault(title, []).append(at)
        return positions

    @functools.cached_property
    def _title_references(self) -> list[tuple[int, str]]:
        """Where the article refers to someone by a definite title ("the councillor"),
        in order, with the title as a role head."""
        lex = self.lexicon
        return [
            (t.idx, role_head(t.lower_, lex))
            for t in self.doc
            if t.pos_ == "NOUN"
            and t.lemma_.lower() in lex.role_nouns
            and t.i > 0
            and self.doc[t.i - 1].lower_ == "the"
        ]

    def person_at(self, token: Token) -> Entity | None:
        return self.mention_at.get(token.i)

    def mentions_between(self, start: int, end: int) -> list[EntityMention]:
        """Entity mentions starting in ``[start, end)``."""
        lo = bisect.bisect_left(self._mention_starts, start)
        hi = bisect.bisect_left(self._mention_starts, end)
        return self.mentions[lo:hi]

    def mentions_back_from(self, char: int) -> Iterator[EntityMention]:
        """Entity mentions starting before `char`, nearest first (stop when far enough)."""
        for i in range(bisect.bisect_left(self._mention_starts, char) - 1, -1, -1):
            yield self.mentions[i]

    def names_between(self, start: int, end: int) -> set[str]:
        return {m.entity.name for m in self.mentions_between(start, end)}

    def by_role(
        self, words: set[str], head: str, before: int | None = None, owner: str | None = None
    ) -> Entity | None:
        """The person the article gives this role to: the role's head noun must match,
        then the most shared modifiers, then the person the role describes best (a title
        rather than a word in a long description: "the US president" is President Biden,
        not a think tank's vice president), then the most recent mention ("the Chinese FM"
        -> the person introduced as "Chinese Foreign Minister Qin Gang"). With `before`, a
        person named before that offset comes ahead of one named only after it. With an
        `owner` ("Quebec" of "Quebec's minister"), a holder of another's post is left out.
        """
        best: tuple[tuple[int, int, float, int], Entity] | None = None
        qualifiers = self.lexicon.role_qualifiers
        for person in self._by_role.get(head, ()):
            if person.holds_only_qualified(head, words, qualifiers):
                continue  # a deputy chief minister is not "the chief minister"
            owners = person.role_owners.get(head)
            if owner is not None and owners and owner not in owners:
                continue  # Quebec's minister is not the federal one
            overlap = len(words & person.roles)
            recent = max((m for m in person.mentions if before is None or m < before), default=-1)
            introduced = int(before is None or recent >= 0)  # named before the role: preferred
            key = (introduced, overlap, round(overlap / len(person.roles), 2), recent)
            if best is None or key > best[0]:
                best = (key, person)
        return best[1] if best else None

    def most_mentioned(
        self,
        before: int,
        exclude: set[str] | frozenset = frozenset(),
        gender: str | None = None,
    ) -> Entity | None:
        """The person mentioned most often before `before` (ties: the most recent),
        leaving out the names in `exclude` and, given a `gender` ("m"/"f"), anyone known
        to be of the other ("the businessman" is not the woman most mentioned)."""
        counts = [
            (sum(m < before for m in person.mentions), max(person.mentions, default=-1), person)
            for person in self.people
            if person.kind == "person"
            and person.name not in exclude
            and (gender is None or (person.gender or person.name_gender) in (None, gender))
        ]
        counts = [c for c in counts if c[0] > 0]
        return max(counts, key=lambda c: c[:2])[2] if counts else None


def _last_before(positions: list[int], char: int) -> int:
    """The last of the sorted `positions` before `char`, or -1.

    >>> _last_before([3, 8, 20], 10), _last_before([3, 8, 20], 3)
    (8, -1)
    """
    i = bisect.bisect_left(positions, char)
    return positions[i - 1] if i else -1


def _namesakes_agreeing(
    owners: list[Entity], gender: str | None, titles: set[str] | frozenset[str]
) -> list[Entity]:
    """The namesakes a mention's evidence allows: those holding its title, then those not
    of the other gender; all of them when the evidence rules out everyone.

    >>> a = Entity("Emeka Okafor", titles={"councillor"}, gender="m")
    >>> b = Entity("Chidi Okafor", roles={"teacher"}, gender="m")
    >>> [p.name for p in _namesakes_agreeing([a, b], "m", {"councillor"})]
    ['Emeka Okafor']
    >>> c = Entity("Ngozi Okafor", gender="f")
    >>> [p.name for p in _namesakes_agreeing([a, c], "f", set())]
    ['Ngozi Okafor']
    """
    if titles:
        holding = [p for p in owners if titles & (p.titles | p.roles)]
        owners = holding or owners
    if gender in ("m", "f"):
        agreeing = [p for p in owners if (p.gender or p.name_gender) in (None, gender)]
        owners = agreeing or owners
    return owners


def _vocative(token: Token) -> bool:
    """Whether a noun opens a question as the title it addresses someone by, not as a
    description of the name beside it: "Prime Minister, Ana Ruiz, what did she do wrong?"

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> _vocative(nlp("Minister, what went wrong?")[0]), _vocative(nlp("Minister, he left.")[0])
    (True, False)
    """
    doc = token.doc
    start, end = (
        (token.sent.start, token.sent.end) if doc.has_annotation("SENT_START") else (0, len(doc))
    )
    # "LEE: Minister, ...": the title opens what follows a label
    labels = [t.i for t in doc[start : token.i] if t.text == ":"]
    first = doc[labels[-1] + 1 if labels else start : token.i + 1]
    if any(t.is_punct for t in first) or token.i + 1 >= len(doc):
        return False
    return doc[token.i + 1].text == "," and any(t.text == "?" for t in doc[token.i : end])


def role_owner(role: Token) -> str | None:
    """Whose post a role noun names, when the words say: a possessive ("Quebec's
    minister"), an "of" phrase ("the coach of Real Madrid") or a place or body before it
    ("the Quebec immigration minister", not a party: "Tory MP"); lowercase, without "the".

    >>> import spacy
    >>> from spacy.tokens import Doc
    >>> doc = Doc(spacy.blank("en").vocab, words=["Quebec", "'s", "minister"],
    ...           heads=[2, 0, 2], deps=["poss", "case", "ROOT"], pos=["PROPN", "PART", "NOUN"])
    >>> role_owner(doc[2]), role_owner(doc[0])
    ('quebec', None)
    """
    for child in role.children:
        if child.dep_ == "poss" and child.pos_ == "PROPN":
            return _owner_text(child)
        if child.dep_ == "prep" and child.lower_ == "of":
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ == "PROPN":
                return _owner_text(pobj)
        if (
            child.i < role.i
            and child.dep_ in ("compound", "nmod", "amod")
            and child.ent_type_ in ("GPE", "ORG")
        ):
            return _owner_text(child)  # "the Quebec minister"; a party ("Tory MP") is none
    return None


def _owner_text(token: Token) -> str:
    words = [t for t in token.subtree if t.pos_ == "PROPN" or t.ent_type_]
    return " ".join(t.lower_ for t in words if t.dep_ != "case") or token.lower_


def _subject(token: Token) -> bool:
    """A clause's subject, or a name in apposition to one ("Our correspondent Nia Roe
    is in town": Roe is as much the subject as the role beside her)."""
    if token.dep_ in SUBJECT:
        return True
    return token.dep_ == "appos" and token.head.dep_ in SUBJECT


def _after_the(ent: Span) -> bool:
    """Whether a name opens with "the" or follows it ("the Speaker"): a title, not a name."""
    if ent[0].lower_ == "the":
        return True
    return ent.start > 0 and ent.doc[ent.start - 1].lower_ == "the"


def _definite(noun: Token) -> bool:
    """A noun with "the" or a possessive before it: "the Taoiseach", "the club's captain"."""
    return any(
        c.dep_ in ("det", "poss") and (c.lower_ == "the" or c.dep_ == "poss") for c in noun.children
    )


def _plain(word: str) -> str:
    """A word without accents, as the name lists spell it ("andré" -> "andre")."""
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()


_INNER_CAPITAL = re.compile(r"[A-Z][a-z]{1,2}[A-Z][a-z]+")


def _inner_capital(word: str) -> bool:
    """A capitalised name with a capital after a short prefix, which str.istitle() does
    not count: "McCrummen", "MacArthur", "DeSantis", "LeBron".

    >>> _inner_capital("McCrummen"), _inner_capital("Evans"), _inner_capital("NATO")
    (True, False, False)
    """
    return _INNER_CAPITAL.fullmatch(word) is not None


def _title_cased(sent: Span) -> bool:
    """Whether a sentence is written in Title Case, as headlines are: nearly all of its
    longer words capitalised (a sentence full of names and titles still has its verbs)."""
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    return len(words) >= 3 and sum(t.text[0].isupper() for t in words) >= 0.9 * len(words)


def _name_word(token: Token, lex: Lexicon) -> bool:
    """A word that can be part of a person's name: a capitalised proper noun (or an
    initial), not a date or number, not a word that is never a name."""
    if token.ent_type_ in NOT_NAME_ENTS or token.lower_ in lex.not_names:
        return False
    text = token.text
    if len(text) == 2 and text[0].isupper() and text[1] == ".":
        return True  # an initial: "John F. Kirby"
    if token.pos_ != "PROPN":
        return False
    return (token.is_title and text.isalpha()) or ("-" in text and text[:1].isupper())


def _is_title_word(token: Token, lex: Lexicon, word: str | None = None) -> bool:
    """A capitalised title before a name: "Mayor", "Sen.", "Coach", "Dr" (or `word`, the
    token's lemma, as given)."""
    word = (word or token.lower_).rstrip(".")
    return word in lex.honorifics or word in lex.role_nouns or word in lex.role_abbreviations


def _first_names_agree(a: str, b: str) -> bool:
    """Two first names (or initials) of one person: equal, an initial and its name, or a
    letter apart ("Jon"/"John").

    >>> _first_names_agree("j.", "john"), _first_names_agree("paul", "ann")
    (True, False)
    """
    a, b = a.rstrip("."), b.rstrip(".")
    if a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return True
    return ratio(a, b) >= 80


def _same_person(a: Entity, b: Entity) -> bool:
    """Two names of one article that denote the same person.

    A one-word name joins a longer one sharing that word; two full names join when their
    surnames agree up to a glued or dropped letter and their first names are alike.
    """
    ta, tb = a.tokens, b.tokens
    if len(ta) == 1:
        return ta[0] in (tb[0], tb[-1]) or (len(ta[0]) >= 5 and ratio(ta[0], tb[-1]) >= 90)
    if ta == tb:
        return True
    sa, sb = ta[-1], tb[-1]
    surname_close = sa == sb or (
        min(len(sa), len(sb)) >= 5
        and (sa.startswith(sb) or sb.startswith(sa) or ratio(sa, sb) >= 88)
    )
    return surname_close and ratio(ta[0], tb[0]) >= 80


def compatible(pronoun: str | None, gender: str | None, kind: str) -> bool:
    """Whether a pronoun of this gender/number can stand for an entity of that kind.

    >>> compatible("f", "m", "person"), compatible("f", None, "person"), compatible("m", None, "organization")
    (False, True, False)
    """
    if pronoun == "p":
        return kind in ("organization", "anonymous", "unknown") or gender == "p"
    if pronoun == "n":
        return kind == "organization"
    if kind == "organization":
        return False
    return gender is None or pronoun is None or gender == pronoun


def initials(name: str) -> str:
    """The acronym a name's capitalised words make.

    >>> initials("World Health Organization"), initials("Bank of England")
    ('WHO', 'BE')
    """
    words = [w for w in name.replace("-", " ").split() if w.lower() not in ACRONYM_SKIPS]
    return "".join(w[0] for w in words if w[:1].isupper())


def _same_organisation(short: Entity, long: Entity, lex: Lexicon) -> bool:
    """Whether a shorter organisation name is another way of writing a longer one: its
    acronym ("WHO" for "World Health Organization"), or the words it opens with
    ("Northwind" for "Northwind Airlines") unless those are a generic noun ("Department"
    is not "Department of Health").

    >>> from kg.extract.lexicon import load_lexicon
    >>> lex = load_lexicon()
    >>> a, b = Entity("WHO", "organization"), Entity("World Health Organization", "organization")
    >>> _same_organisation(a, b, lex), _same_organisation(Entity("Ministry"), Entity("Ministry of Health"), lex)
    (True, False)
    """
    s, t = short.name, long.name
    if len(short.tokens) >= len(long.tokens):
        return s.lower() == t.lower()
    if s.isupper() and 2 <= len(s) <= 6 and len(long.tokens) >= 2:
        return initials(t).upper() == s
    words = short.tokens
    if len(words) == 1 and (words[0] in lex.organization_nouns or words[0] in lex.media_words):
        return False
    return long.tokens[: len(words)] == words
