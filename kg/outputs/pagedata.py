"""What the graph page shows, read from the store: every quotation with its provenance.

The page (kg/outputs/html.py) needs more than the networkx projection: for each quote
its article's title, outlet, date and url, its kind, cue, via and addressee, its topics
(``schema:about`` only) and the entities it mentions (``schema:mentions``, when the store
has them), and the sentence around it, cut from the article's exact text
(``nif:isString``). `read_page_data` gathers all of it in a handful of queries, each
matched inside one article graph so shared names are not multiplied, and one index lookup
per article text, and returns plain frozen records.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from kg.errors import KgError
from kg.names import suggest

SCHEMA_PERSON = "http://schema.org/Person"
SCHEMA_ORGANIZATION = "http://schema.org/Organization"
SCHEMA_PLACE = "http://schema.org/Place"
AGENT_KINDS = ("person", "organization", "anonymous", "other")
CONTEXT_LIMIT = 300  # characters of sentence kept on each side of a quote


@dataclass(frozen=True, slots=True)
class Agent:
    """A speaker, relayer or addressee.

    `kind` is person, organization, anonymous (marked ``kg:anonymous``) or other (an
    audience such as "reporters", or an agent of no known type); `unnamed` says the name
    describes a source instead of naming one (see `is_unnamed`).
    """

    iri: str
    name: str
    kind: str
    unnamed: bool
    alternate_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Topic:
    iri: str
    label: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A person, place or organisation a quote names (``schema:mentions``)."""

    iri: str
    label: str
    kind: str  # person, place, organization or other


@dataclass(frozen=True, slots=True)
class Source:
    """The article a quote comes from."""

    iri: str
    doc: str
    title: str = ""
    outlet: str = ""
    date: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class QuoteRecord:
    """One quotation with everything the page's panel and list show.

    `before` and `after` are the rest of the sentence around the quote in the article's
    exact text (see `sentence_around`), empty when the store keeps no text.
    """

    iri: str
    id: str
    text: str
    kind: str
    speaker: str
    article: str
    start: int | None = None
    end: int | None = None
    cue: str = ""
    via: str | None = None
    addressee: str | None = None
    topics: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class PageData:
    """The quotes of a store and the agents, topics, mentions and articles they refer to
    (keyed by IRI). `speaker` is the `--speaker` the data was narrowed to, if any."""

    quotes: tuple[QuoteRecord, ...] = ()
    agents: dict[str, Agent] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    mentions: dict[str, Mention] = field(default_factory=dict)
    articles: dict[str, Source] = field(default_factory=dict)
    speaker: str | None = None
    # when the data was cut to the most quoted speakers (`max_quotes`): the store's quotes
    quotes_in_store: int | None = None


class UnknownSpeaker(KgError):
    """`--speaker NAME` matched no speaker in the store; carries close names, if any."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no speaker {name!r} in the store{hint}")
        self.name = name
        self.suggestions = suggestions


# -- word lists ------------------------------------------------------------------------------
def _word_list(name: str) -> dict[str, frozenset[str]]:
    """Sections (``[name]``) of a word list in kg/outputs/data; words before any section
    go to ``""``."""
    sections: dict[str, set[str]] = defaultdict(set)
    current = ""
    text = resources.files("kg.outputs").joinpath(f"data/{name}").read_text("utf-8")
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            continue
        sections[current].add(line.lower())
    return {k: frozenset(v) for k, v in sections.items()}


@cache
def _unnamed_words() -> dict[str, frozenset[str]]:
    return _word_list("unnamed_sources.txt")


@cache
def _abbreviations() -> frozenset[str]:
    return _word_list("abbreviations.txt")[""]


def is_unnamed(name: str, anonymous: bool = False) -> bool:
    """Whether a speaker name describes a source instead of naming one.

    >>> [is_unnamed(n) for n in ("A senior US official", "officials", "Sources", "Qin Gang")]
    [True, True, True, False]
    >>> is_unnamed("The White House"), is_unnamed("Jane Doe", anonymous=True)
    (False, True)
    """
    words = name.split()
    if anonymous or not words:
        return True
    first = words[0]
    if first[:1].islower():
        return True
    lists = _unnamed_words()
    if first.lower() in lists.get("openers", frozenset()):
        return True
    return len(words) == 1 and first.lower() in lists.get("heads", frozenset())


# -- the sentence around a quote -------------------------------------------------------------
_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019\u00bb)\]]*(?=\s)")
_OPENERS = "\"'\u201c\u2018\u00ab([-\u2014"


def _is_boundary(text: str, match: re.Match) -> bool:
    """Whether the stop at `match` ends a sentence: what follows starts like a sentence
    (a capital, a digit or an opening quote) and the word before is no abbreviation."""
    rest = text[match.end() :].lstrip(" \t")
    if not rest:
        return True
    if rest[0] in "\r\n":
        return True
    if not (rest[0].isupper() or rest[0].isdigit() or rest[0] in _OPENERS):
        return False
    if text[match.start()] != ".":
        return True
    word = re.search(r"(\S+)$", text[max(0, match.start() - 40) : match.start()])
    if word is None:
        return True
    token = word.group(1).lstrip(_OPENERS)
    return not (len(token) == 1 or "." in token or token.lower() in _abbreviations())


def sentence_starts(text: str) -> list[int]:
    r"""Offsets where a sentence starts, in order: after a line break or a sentence end.

    >>> sentence_starts("One. Two?\nthree. e.g. four")
    [4, 9, 10]
    """
    found = {m.end() for m in re.finditer(r"\n", text)}
    found.update(m.end() for m in _END.finditer(text) if _is_boundary(text, m))
    return sorted(found)


def sentence_around(
    text: str, start: int, end: int, limit: int = CONTEXT_LIMIT, starts: list[int] | None = None
) -> tuple[str, str]:
    """The rest of the sentence(s) around ``text[start:end]``: the words before it since
    the sentence began and after it until the sentence ends.

    The rule: a sentence ends at a line break, or at ``.``, ``!``, ``?`` or ``…`` (with
    any closing quotes or brackets) followed by a space and a capital, a digit or an
    opening quote, unless the word before the stop is an abbreviation ("Mr.", "U.S.", an
    initial). At most `limit` characters are kept on each side, cut at a space and
    marked with "…". Offsets outside the text give nothing. `starts` is
    `sentence_starts(text)`, for callers with many quotes in one text.

    >>> t = 'Talks went on. Mr. Lee said "it was fine" after dinner. Then he left.'
    >>> sentence_around(t, 29, 40)
    ('Mr. Lee said "', '" after dinner.')
    >>> sentence_around(t, 0, 99)
    ('', '')
    """
    if not (0 <= start <= end <= len(text)):
        return "", ""
    if starts is None:
        starts = sentence_starts(text)
    at = bisect.bisect_right(starts, start) - 1
    begin = starts[at] if at >= 0 else 0
    at = bisect.bisect_left(starts, end)
    finish = starts[at] if at < len(starts) else len(text)
    before = text[begin:start].lstrip()
    after = text[end:finish].rstrip()
    if len(before) > limit:
        cut = before[-limit:]
        space = cut.find(" ")
        before = "…" + (cut[space + 1 :] if 0 <= space < limit // 2 else cut)
    if len(after) > limit:
        cut = after[:limit]
        space = cut.rfind(" ")
        after = (cut[:space] if space > limit // 2 else cut) + "…"
    return before, after


# -- names -----------------------------------------------------------------------------------
def suggest_speakers(name: str, names: Iterable[str] | dict[str, str], limit: int = 3) -> list[str]:
    """Known names closest to `name`: `kg.names.suggest`, the one place kg answers "did
    you mean".

    >>> suggest_speakers("qin gan", ["Qin Gang", "Joe Biden", "Chen Gang"])
    ['Qin Gang']
    """
    return suggest(name, names, limit)


# -- reading the store -----------------------------------------------------------------------
AGENTS = """
SELECT ?a ?name ?type ?anon WHERE { GRAPH ?g {
  #VALUES
  ?a a prov:Agent ; schema:name ?name .
  OPTIONAL { ?a a ?type FILTER(?type = schema:Person || ?type = schema:Organization) }
  OPTIONAL { ?a kg:anonymous ?anon }
} }
"""
ALTERNATE_NAMES = """
SELECT DISTINCT ?a ?alt WHERE { GRAPH ?g { #VALUES
  ?a a prov:Agent ; schema:alternateName ?alt } }
"""
QUOTES = """
SELECT ?q ?text ?kind ?speaker ?article ?begin ?end ?cue ?via ?addr WHERE { GRAPH ?g {
  #VALUES
  ?q a schema:Quotation ; schema:creator ?speaker ; schema:isPartOf ?article .
  OPTIONAL { ?q schema:text ?text }
  OPTIONAL { ?q kg:kind ?kind }
  OPTIONAL { ?q nif:beginIndex ?begin }
  OPTIONAL { ?q nif:endIndex ?end }
  OPTIONAL { ?q kg:cue ?cue }
  OPTIONAL { ?q kg:via ?via }
  OPTIONAL { ?q kg:addressee ?addr }
} }
"""
TOPICS = """
SELECT ?q ?topic WHERE { GRAPH ?g { #VALUES
  ?q a schema:Quotation ; schema:about ?topic } }
"""
TOPIC_LABELS = """
SELECT DISTINCT ?topic ?label WHERE {
  { SELECT DISTINCT ?topic WHERE { GRAPH ?g { ?q a schema:Quotation ; schema:about ?topic } } }
  OPTIONAL { GRAPH ?h { ?topic skos:prefLabel ?label } }
}
"""
MENTIONS = """
SELECT ?q ?m WHERE { GRAPH ?g { #VALUES
  ?q a schema:Quotation ; schema:mentions ?m } }
"""
MENTION_INFO = """
SELECT DISTINCT ?m ?name ?type WHERE {
  { SELECT DISTINCT ?m WHERE { GRAPH ?g { #VALUES
    ?q a schema:Quotation ; schema:mentions ?m } } }
  OPTIONAL { GRAPH ?h { ?m schema:name ?name } }
  OPTIONAL { GRAPH ?i { ?m a ?type } }
}
"""
QUOTES_PER_SPEAKER = """
SELECT ?speaker (COUNT(?q) AS ?n) WHERE { GRAPH ?g {
  ?q a schema:Quotation ; schema:creator ?speaker
} } GROUP BY ?speaker
"""
ARTICLES = """
SELECT ?a ?doc ?title ?date ?url ?outlet WHERE { GRAPH ?g {
  #VALUES
  ?a a schema:NewsArticle .
  OPTIONAL { ?a kg:docName ?doc }
  OPTIONAL { ?a schema:headline ?title }
  OPTIONAL { ?a schema:datePublished ?date }
  OPTIONAL { ?a schema:url ?url }
  OPTIONAL { ?a schema:publisher ?p . ?p schema:name ?outlet }
} }
"""


def _value(term) -> str | None:
    return None if term is None else term.value


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _best_label(labels: list[tuple[str, str]]) -> str:
    """English first, then untagged, then any: one label per concept, deterministically."""
    rank = {"en": 0, "": 1}
    return min(labels, key=lambda item: (rank.get(item[1].split("-")[0], 2), item[1], item[0]))[0]


def read_agents(store, only: Iterable[str] | None = None) -> dict[str, Agent]:
    """Every agent of the store (or those of `only`) with its name, kind and alternate
    names.

    A type stated differently in two article graphs is settled by majority (a person
    wins a tie); one graph saying `kg:anonymous` makes the source anonymous.
    """
    names: dict[str, Counter] = defaultdict(Counter)
    types: dict[str, Counter] = defaultdict(Counter)
    anonymous: set[str] = set()
    for row in _rows_for(store, AGENTS, "a", only):
        iri = row["a"].value
        names[iri][row["name"].value] += 1
        kind = _value(row["type"])
        if kind == SCHEMA_PERSON:
            types[iri]["person"] += 1
        elif kind == SCHEMA_ORGANIZATION:
            types[iri]["organization"] += 1
        if _value(row["anon"]) in ("true", "1"):
            anonymous.add(iri)
    alternates: dict[str, set[str]] = defaultdict(set)
    for row in _rows_for(store, ALTERNATE_NAMES, "a", only):
        alternates[row["a"].value].add(row["alt"].value)
    agents = {}
    for iri, counter in names.items():
        name = min(counter, key=lambda n: (-counter[n], n))
        if iri in anonymous:
            kind = "anonymous"
        elif types[iri]:
            kind = max(("person", "organization"), key=lambda k: types[iri][k])
        else:
            kind = "other"
        agents[iri] = Agent(
            iri,
            name,
            kind,
            is_unnamed(name, iri in anonymous),
            tuple(sorted(alternates[iri] - {name})),
        )
    return agents


def matching_speakers(agents: dict[str, Agent], name: str) -> set[str]:
    """IRIs of the agents `name` finds: any of their names or alternate names, whatever the
    case, accents, title or transliteration ("President Zelensky"), or a variant the merge
    rules accept ("Tony Blinken"), by the keys queries use (`kg.names.query_keys` among
    `kg.names.name_keys`)."""
    from kg.names import name_keys, query_keys

    people = {
        spelling: agent.name
        for agent in agents.values()
        if agent.kind == "person"
        for spelling in (agent.name, *agent.alternate_names)
    }
    keys = set(query_keys(name, people))
    return {
        iri
        for iri, agent in agents.items()
        if any(keys & name_keys(n) for n in (agent.name, *agent.alternate_names))
    }


VALUES_CHUNK = 500  # IRIs per VALUES clause (`_rows_for`)


def _rows_for(store, sparql: str, variable: str, iris: Iterable[str] | None, chunk: int = 0):
    """The rows of `sparql` for `variable` bound to each of `iris` in turn (None: all
    rows), by a VALUES clause in place of its ``#VALUES`` comment.

    The IRIs go `chunk` (default `VALUES_CHUNK`) at a time: Oxigraph joins one long
    VALUES list far more slowly than several short ones (measured on a store of 6.3M
    triples: 5,000 speakers' quotes in 106 s at once, in 4.4 s by 500). Each IRI is in
    one chunk, so no row comes twice that the query would give once.

    >>> from kg.rdf.store import KgStore
    >>> rows = _rows_for(KgStore(None), "SELECT ?a WHERE { #VALUES }", "a", ["urn:y", "urn:x"], 1)
    >>> [row["a"].value for row in rows]
    ['urn:x', 'urn:y']
    """
    if iris is None:
        yield from store.query(sparql)
        return
    ordered, chunk = sorted(iris), chunk or VALUES_CHUNK
    for start in range(0, len(ordered), chunk):
        terms = " ".join(f"<{iri}>" for iri in ordered[start : start + chunk])
        yield from store.query(sparql.replace("#VALUES", f"VALUES ?{variable} {{ {terms} }}"))


def most_quoted(counts: dict[str, int], max_quotes: int) -> set[str]:
    """The speakers whose quotes, all of them, fit in `max_quotes`: the most quoted
    first (ties by IRI); one who would overflow is passed over for smaller ones.

    >>> sorted(most_quoted({"a": 5, "b": 3, "c": 2, "d": 1}, 7))
    ['a', 'c']
    """
    chosen: set[str] = set()
    room = max_quotes
    for iri in sorted(counts, key=lambda k: (-counts[k], k)):
        if counts[iri] <= room:
            chosen.add(iri)
            room -= counts[iri]
    return chosen


def read_page_data(store, speaker: str | None = None, max_quotes: int | None = None) -> PageData:
    """Every quotation of the store (or of one speaker, matched by any of their names)
    with its provenance, topics, mentions and surrounding sentence.

    With `max_quotes`, a store with more quotes gives those of its most quoted speakers
    that fit (`most_quoted`, each speaker whole), so what the page costs stays bounded
    whatever the corpus; `quotes_in_store` then says how many there were.

    Raises `UnknownSpeaker` (with suggestions) when `speaker` names no one who is quoted.

    >>> from kg.rdf.store import KgStore
    >>> len(read_page_data(KgStore(None)).quotes)
    0
    """
    # a page of some speakers reads only what it shows: the store's reads keep what they
    # read in caches, so reading everything would cost memory that grows with the store
    speakers: set[str] | None = None  # those shown (None: all)
    in_store = None
    agents = read_agents(store) if speaker is not None or max_quotes is None else None
    if speaker is None and max_quotes is not None:
        counts = {
            row["speaker"].value: int(row["n"].value) for row in store.query(QUOTES_PER_SPEAKER)
        }
        if sum(counts.values()) > max_quotes:
            in_store = sum(counts.values())
            speakers = most_quoted(counts, max_quotes)
    if speaker is not None:
        assert agents is not None
        speakers = matching_speakers(agents, speaker)
        rows = list(_rows_for(store, QUOTES, "speaker", speakers))
        if not rows:
            quoted = {
                agents[row["speaker"].value].name
                for row in store.query(QUOTES)
                if row["speaker"].value in agents
            }
            # the names offered are the named speakers' (as `kg query` offers them)
            spellings = {}
            for agent in agents.values():
                if agent.name in quoted and agent.kind != "anonymous":
                    spellings.update({alt: agent.name for alt in agent.alternate_names})
                    spellings[agent.name] = agent.name
            raise UnknownSpeaker(speaker, suggest_speakers(speaker, spellings))
    else:
        rows = _rows_for(store, QUOTES, "speaker", speakers)
    quote_rows: dict[str, dict] = {}
    # one string per IRI, kind and cue, not one per row that names it
    shared: dict[str | None, str | None] = {}
    for row in rows:
        iri = row["q"].value
        if iri in quote_rows:  # a second via or addressee: the first one is kept
            continue
        quote_rows[iri] = {
            "text": _value(row["text"]) or "",
            "kind": shared.setdefault(kind := _value(row["kind"]) or "", kind),
            "speaker": shared.setdefault(who := row["speaker"].value, who),
            "article": shared.setdefault(article := row["article"].value, article),
            "start": _int(_value(row["begin"])),
            "end": _int(_value(row["end"])),
            "cue": shared.setdefault(cue := _value(row["cue"]) or "", cue),
            "via": shared.setdefault(via := _value(row["via"]), via),
            "addressee": shared.setdefault(addressee := _value(row["addr"]), addressee),
        }
    del shared
    topics_of: dict[str, list[str]] = defaultdict(list)
    # a page of some speakers asks only for what its quotes need; the topics and mentions
    # are bound by quote (a quote's creator may be stated in another graph than its topics)
    some = speakers is not None
    shown_quotes = quote_rows.keys() if some else None
    for row in _rows_for(store, TOPICS, "q", shown_quotes):
        if row["q"].value in quote_rows:
            topics_of[row["q"].value].append(row["topic"].value)
    labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in store.query(TOPIC_LABELS):
        label = row["label"]
        labels[row["topic"].value].append(
            (label.value, label.language or "") if label is not None else ("", "~")
        )
    topics = {}
    for iri, options in labels.items():
        named = [o for o in options if o[0]]
        topics[iri] = Topic(iri, _best_label(named) if named else _local(iri))
    mentions_of: dict[str, list[str]] = defaultdict(list)
    for row in _rows_for(store, MENTIONS, "q", shown_quotes):
        if row["q"].value in quote_rows:
            mentions_of[row["q"].value].append(row["m"].value)
    mentioned = {m for found in mentions_of.values() for m in found}
    if agents is None:  # the agents shown: speakers, relays, addressees, those mentioned
        shown = {k for q in quote_rows.values() for k in (q["speaker"], q["via"], q["addressee"])}
        agents = read_agents(store, {k for k in shown if k} | mentioned if some else None)
    mentions = _read_mentions(store, agents, mentioned if some else None) if mentioned else {}
    quotes_of: dict[str, list[dict]] = defaultdict(list)
    for q in quote_rows.values():
        quotes_of[q["article"]].append(q)
    articles: dict[str, Source] = {}
    for source, text in _read_articles(store, set(quotes_of) if some else None):
        articles[source.iri] = source
        _add_sentences(quotes_of.get(source.iri, ()), text)
    del quotes_of
    # each quote's row gives way to its record as it is made: never both for every quote
    for iri, q in quote_rows.items():
        before, after = q.get("sentence", ("", ""))
        for key in (q["speaker"], q["via"], q["addressee"]):
            if key is not None and key not in agents:  # an agent with no name: keep the quote
                agents[key] = Agent(key, _local(key), "other", False)
        if q["article"] not in articles:
            articles[q["article"]] = Source(q["article"], _local(q["article"]))
        quote_rows[iri] = QuoteRecord(
            iri,
            _local(iri),
            q["text"],
            q["kind"],
            q["speaker"],
            q["article"],
            q["start"],
            q["end"],
            q["cue"],
            q["via"],
            q["addressee"],
            tuple(dict.fromkeys(topics_of.get(iri, ()))),
            tuple(dict.fromkeys(mentions_of.get(iri, ()))),
            before,
            after,
        )
    quotes: list[QuoteRecord] = list(quote_rows.values())  # type: ignore[arg-type]
    del quote_rows
    quotes.sort(key=lambda r: (articles[r.article].date, articles[r.article].doc, r.start or 0))
    used_agents = {k for r in quotes for k in (r.speaker, r.via, r.addressee) if k}
    used_topics = {t for r in quotes for t in r.topics}
    used_mentions = {m for r in quotes for m in r.mentions}
    used_articles = {r.article for r in quotes}
    return PageData(
        tuple(quotes),
        {k: v for k, v in agents.items() if k in used_agents},
        {k: v for k, v in topics.items() if k in used_topics},
        {k: v for k, v in mentions.items() if k in used_mentions},
        {k: v for k, v in articles.items() if k in used_articles},
        speaker,
        in_store,
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _read_mentions(
    store, agents: dict[str, Agent], only: Iterable[str] | None = None
) -> dict[str, Mention]:
    """The entities quotes mention (those of `only`, or all), with a label and a kind."""
    names: dict[str, Counter] = defaultdict(Counter)
    types: dict[str, set[str]] = defaultdict(set)
    for row in _rows_for(store, MENTION_INFO, "m", only):
        iri = row["m"].value
        names[iri]  # noqa: B018 -- every mentioned IRI gets an entry, named or not
        if row["name"] is not None:
            names[iri][row["name"].value] += 1
        if row["type"] is not None:
            types[iri].add(row["type"].value)
    mentions = {}
    for iri, counter in names.items():
        if counter:
            label = min(counter, key=lambda n: (-counter[n], n))
        else:
            label = agents[iri].name if iri in agents else _local(iri)
        kind = (
            "person"
            if SCHEMA_PERSON in types[iri]
            else "organization"
            if SCHEMA_ORGANIZATION in types[iri]
            else "place"
            if SCHEMA_PLACE in types[iri]
            else "other"
        )
        mentions[iri] = Mention(iri, label, kind)
    return mentions


def _read_articles(store, wanted: set[str] | None = None) -> Iterator[tuple[Source, str]]:
    """Each article's provenance and text, once (only the `wanted` ones, if given). The
    rows stream, and so do the texts: the caller keeps what it needs of each. A text is
    read by its own lookup, only for an article wanted (the store's reads keep what they
    read in caches: reading every text for a page of some would fill them for nothing)."""
    seen: set[str] = set()
    for row in _rows_for(store, ARTICLES, "a", wanted):
        iri = row["a"].value
        if iri in seen:
            continue
        seen.add(iri)
        source = Source(
            iri,
            _value(row["doc"]) or _local(iri),
            _value(row["title"]) or "",
            _value(row["outlet"]) or "",
            _value(row["date"]) or "",
            _value(row["url"]) or "",
        )
        yield source, store.article_text(iri) or ""


def _add_sentences(quotes: Iterable[dict], text: str) -> None:
    """Give each quote row of one article the text before and after it in its sentence
    (`sentence_around`), so the article's text need not be kept."""
    starts = None
    for q in quotes:
        if text and q["start"] is not None and q["end"] is not None:
            starts = starts if starts is not None else sentence_starts(text)
            q["sentence"] = sentence_around(text, q["start"], q["end"], starts=starts)
