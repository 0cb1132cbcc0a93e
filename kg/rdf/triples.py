"""Triples for one article and its quotes, with deterministic IRIs.

IRIs come from content hashes (articles, quotes) and canonical names (people, topics),
so building the same inputs twice gives the same graph, triple for triple. Graphs are
written as N-Triples lines directly (`kg.rdf.ntriples.NTriples`), with the triples that
repeat from article to article (an agent's, a concept's) written once per process.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from types import SimpleNamespace

from rdflib import Graph, URIRef

from kg.corpus import ArticleInfo
from kg.extract import Quote
from kg.extract.topics import Taxonomy, label_keys
from kg.names import fold, name_keys
from kg.rdf.ntriples import NTriples, integer, iri, lines_of, literal, nt_term, typed
from kg.rdf.vocab import (
    AGENT,
    ARTICLE,
    DCTERMS,
    GRAPH,
    ITSRDF,
    KG,
    NIF,
    OWL,
    PROV,
    QUOTE,
    RDF,
    SCHEMA,
    SKOS,
    STATEMENT,
    WD,
    XSD,
    bind_prefixes,
)

# the vocabulary's terms, written once
T = SimpleNamespace(
    **{
        name: nt_term(term)
        for name, term in {
            "type": RDF.type,
            "NewsArticle": SCHEMA.NewsArticle,
            "Context": NIF.Context,
            "identifier": SCHEMA.identifier,
            "docName": KG.docName,
            "charLength": KG.charLength,
            "source": KG.source,
            "contentHash": KG.contentHash,
            "isString": NIF.isString,
            "headline": SCHEMA.headline,
            "url": SCHEMA.url,
            "datePublished": SCHEMA.datePublished,
            "publisher": SCHEMA.publisher,
            "sameTextAs": KG.sameTextAs,
            "Organization": SCHEMA.Organization,
            "Person": SCHEMA.Person,
            "Place": SCHEMA.Place,
            "Country": SCHEMA.Country,
            "Thing": SCHEMA.Thing,
            "name": SCHEMA.name,
            "nameKey": KG.nameKey,
            "alternateName": SCHEMA.alternateName,
            "nameMerge": KG.nameMerge,
            "NameMerge": KG.NameMerge,
            "spelling": KG.spelling,
            "rule": KG.rule,
            "Statement": KG.Statement,
            "conflictingAttribution": KG.conflictingAttribution,
            "Quotation": SCHEMA.Quotation,
            "text": SCHEMA.text,
            "isPartOf": SCHEMA.isPartOf,
            "creator": SCHEMA.creator,
            "spokenByCharacter": SCHEMA.spokenByCharacter,
            "wasAttributedTo": PROV.wasAttributedTo,
            "referenceContext": NIF.referenceContext,
            "beginIndex": NIF.beginIndex,
            "endIndex": NIF.endIndex,
            "kind": KG.kind,
            "confidence": KG.confidence,
            "speakerMention": KG.speakerMention,
            "cue": KG.cue,
            "sieve": KG.sieve,
            "rejected": KG.rejected,
            "evidence": KG.evidence,
            "Evidence": KG.Evidence,
            "String": NIF.String,
            "role": KG.role,
            "anchorOf": NIF.anchorOf,
            "statement": KG.statement,
            "via": KG.via,
            "wasDerivedFrom": PROV.wasDerivedFrom,
            "qualifiedAttribution": PROV.qualifiedAttribution,
            "Attribution": PROV.Attribution,
            "agent": PROV.agent,
            "hadRole": PROV.hadRole,
            "Relay": KG.Relay,
            "addressee": KG.addressee,
            "about": SCHEMA.about,
            "topicAssignment": KG.topicAssignment,
            "TopicAssignment": KG.TopicAssignment,
            "concept": KG.concept,
            "score": KG.score,
            "rank": KG.rank,
            "mentions": SCHEMA.mentions,
            "sameAs": OWL.sameAs,
            "taIdentRef": ITSRDF.taIdentRef,
            "within": KG.within,
            "Concept": SKOS.Concept,
            "prefLabel": SKOS.prefLabel,
            "altLabel": SKOS.altLabel,
            "notation": SKOS.notation,
            "inScheme": SKOS.inScheme,
            "labelKey": KG.labelKey,
            "broader": SKOS.broader,
            "ConceptScheme": SKOS.ConceptScheme,
            "license": DCTERMS.license,
            "dcCreator": DCTERMS.creator,
            "ProvAgent": PROV.Agent,
            "anonymous": KG.anonymous,
        }.items()
    }
)
_TRUE = typed(True, str(XSD.boolean))
_DECIMAL, _DATE, _ANY_URI = str(XSD.decimal), str(XSD.date), str(XSD.anyURI)


def slug(text: str) -> str:
    """A readable, stable IRI segment for a name.

    >>> slug("Qin Gang"), slug("José Ramos-Horta"), slug("???")
    ('qin-gang', 'jose-ramos-horta', 'x-2d86c2a6')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60]
    return s or "x-" + hashlib.sha1(text.encode()).hexdigest()[:8]


def article_iri(article_id: str) -> URIRef:
    return ARTICLE[article_id]


def graph_iri(article_id: str) -> URIRef:
    return GRAPH[article_id]


def quote_iri(q: Quote) -> URIRef:
    """The quote's IRI: its `id`, so `kg explain ID` and the graph name it alike."""
    return QUOTE[q.id]


def agent_iri(name: str) -> URIRef:
    return AGENT[slug(name)]


# caches of what repeats between articles (the most quoted agents), bounded: an agent's
# lines are about 1 KB
@lru_cache(maxsize=32_768)
def _agent_term(name: str) -> str:
    return iri(f"{AGENT}{slug(name)}")


def new_graph() -> Graph:
    return bind_prefixes(Graph())


def article_triples(
    info: ArticleInfo,
    quotes: list[Quote],
    taxonomy: Taxonomy | None = None,
    wikidata: dict[str, str] | None = None,
    alternate_names: dict[str, list[str]] | None = None,
    merges: dict[str, dict[str, tuple[str, ...]]] | None = None,
    conflicting: dict[str, tuple[str, ...]] | None = None,
    same_text: list[str] = (),
    include_source: bool = True,
) -> NTriples:
    """The named graph of one article: the article, its quotations, speakers and topics.

    `alternate_names` maps a canonical name to its other spellings in the corpus (and the
    user's alias file); each becomes schema:alternateName with its `kg:nameKey`s, so a
    query by any spelling finds the agent in every article that names them. `merges`
    gives, per canonical name and spelling this article wrote, the rules that merged them:
    a `kg:NameMerge` per spelling records them. `conflicting` maps a statement to the
    statements of other speakers with the same words (`kg:conflictingAttribution`).
    `same_text` are the ids of other articles with the identical text (kg:sameTextAs).
    Without `include_source`, the article node's own statements (`source_triples`, which
    a build stores as soon as the article is read) are left out: what remains depends
    on the cross-article step.
    """
    g = NTriples()
    wikidata = wikidata or {}
    a = iri(f"{ARTICLE}{info.id}")
    if include_source:
        _article_node(g, info)
    for other in same_text:
        g.add(a, T.sameTextAs, iri(f"{ARTICLE}{other}"))
    named: set[str] = set()  # the objects of schema:name in this graph
    if info.outlet:
        g.add_lines(_agent_lines(info.outlet, "outlet", None))
        named.add(info.outlet)
    labels: dict[str, str] = {}
    for q in quotes:
        _quote_triples(g, a, q, wikidata, named)
        labels.update((t.iri, t.label) for t in q.topics)
    for concept in sorted(labels):
        g.add_lines(_concept_lines(taxonomy, concept, labels[concept]))
    merges = merges or {}
    for name, others in (alternate_names or {}).items():
        if name not in named:
            continue
        agent = _agent_term(name)
        person = (agent, T.type, T.Person) in g
        rules = merges.get(name, {})
        for other in others:
            g.add(agent, T.alternateName, literal(other))
            g.add_lines(_key_lines(agent, other, person))
            if rules.get(other):
                # why this spelling is this agent: auditable in the graph itself
                merge = iri(f"{agent[1:-1]}/spelling/{slug(other)}")
                g.add(agent, T.nameMerge, merge)
                g.add(merge, T.type, T.NameMerge)
                g.add(merge, T.spelling, literal(other))
                for rule in rules[other]:
                    g.add(merge, T.rule, literal(rule))
    # the article's own statements are looked up, not every conflict of the corpus (that
    # made the store pass quadratic: each article walked them all)
    conflicting = conflicting or {}
    for statement in sorted({q.statement for q in quotes if q.statement in conflicting}):
        node = iri(f"{STATEMENT}{statement}")
        for other in conflicting[statement]:
            g.add(node, T.conflictingAttribution, iri(f"{STATEMENT}{other}"))
    return g


def source_triples(info: ArticleInfo) -> str:
    """N-Triples of the article node alone: identity, provenance and exact text.

    They depend on nothing but the article, so a build stores them while other
    articles are still being extracted; every one has the article as subject.
    """
    return _article_node(NTriples(), info).serialize(format="nt")


def _article_node(g: NTriples, info: ArticleInfo) -> NTriples:
    a = iri(f"{ARTICLE}{info.id}")
    g.add(a, T.type, T.NewsArticle)
    g.add(a, T.type, T.Context)
    g.add(a, T.identifier, literal(info.id))
    g.add(a, T.docName, literal(info.doc))
    g.add(a, T.charLength, integer(info.length))
    if info.source:
        g.add(a, T.source, literal(info.source))
    if info.content_hash:
        g.add(a, T.contentHash, literal(info.content_hash))
    if info.text:
        # NIF: the context holds the exact text, so every offset can be checked in the graph
        g.add(a, T.isString, literal(info.text))
    if info.title:
        g.add(a, T.headline, literal(info.title))
    if info.url:
        g.add(a, T.url, typed(info.url, _ANY_URI))
    if info.date:
        g.add(a, T.datePublished, _date_literal(info.date))
    if info.outlet:
        g.add(a, T.publisher, _agent_term(info.outlet))
    return g


def _quote_triples(g: NTriples, article: str, q: Quote, wikidata: dict, named: set[str]) -> None:
    node = iri(f"{QUOTE}{q.id}")
    speaker = _agent(g, q.speaker.name, q.speaker.kind, wikidata, named)
    g.add(node, T.type, T.Quotation)
    g.add(node, T.text, literal(q.text))
    g.add(node, T.isPartOf, article)
    g.add(node, T.creator, speaker)
    g.add(node, T.spokenByCharacter, speaker)
    g.add(node, T.wasAttributedTo, speaker)
    g.add(node, T.referenceContext, article)
    g.add(node, T.beginIndex, integer(q.start))
    g.add(node, T.endIndex, integer(q.end))
    g.add(node, T.kind, literal(q.kind))
    g.add(node, T.confidence, typed(round(q.confidence, 3), _DECIMAL))
    g.add(node, T.speakerMention, literal(q.speaker.mention))
    if q.cue:
        g.add(node, T.cue, literal(q.cue))
    for sieve in q.sieves:
        g.add(node, T.sieve, literal(sieve))
    for reason in q.rejected:
        g.add(node, T.rejected, literal(reason))
    base = node[1:-1]
    for number, span in enumerate(q.evidence):
        # each span a NIF string of the article: its role, offsets, words and deciding rule
        ev = iri(f"{base}/evidence/{number}")
        g.add(node, T.evidence, ev)
        g.add(ev, T.type, T.Evidence)
        g.add(ev, T.type, T.String)
        g.add(ev, T.referenceContext, article)
        g.add(ev, T.role, literal(span.role))
        g.add(ev, T.rule, literal(span.rule))
        g.add(ev, T.beginIndex, integer(span.start))
        g.add(ev, T.endIndex, integer(span.end))
        g.add(ev, T.anchorOf, literal(span.text))
    if q.statement:
        statement = iri(f"{STATEMENT}{q.statement}")
        g.add(node, T.statement, statement)
        g.add(statement, T.type, T.Statement)
    if q.via:
        relay = _agent(g, q.via, q.via_kind or "person", wikidata, named)
        g.add(node, T.via, relay)
        g.add(node, T.wasDerivedFrom, relay)
        qualified = iri(f"{base}-relay")
        g.add(node, T.qualifiedAttribution, qualified)
        g.add(qualified, T.type, T.Attribution)
        g.add(qualified, T.agent, relay)
        g.add(qualified, T.hadRole, T.Relay)
    if q.addressee:
        # "reporters", "the committee": an audience, not a named person
        kind = "person" if q.addressee[:1].isupper() else "audience"
        g.add(node, T.addressee, _agent(g, q.addressee, kind, wikidata, named))
    for rank, topic in enumerate(q.topics, 1):
        # what the quote is about: a concept of the scheme, never a name
        concept = iri(topic.iri)
        g.add(node, T.about, concept)
        assignment = iri(f"{base}/topic/{rank}")
        g.add(node, T.topicAssignment, assignment)
        g.add(assignment, T.type, T.TopicAssignment)
        g.add(assignment, T.concept, concept)
        g.add(assignment, T.score, typed(topic.score, _DECIMAL))
        g.add(assignment, T.rank, integer(rank))
    for number, mention in enumerate(q.mentions):
        # who and what the quote names: typed entities, the same nodes as speakers
        entity = _agent_term(mention.name)
        g.add(node, T.mentions, entity)
        g.add_lines(
            _agent_lines(mention.name, f"mention:{mention.kind}", wikidata.get(mention.name))
        )
        named.add(mention.name)
        span = iri(f"{base}/mention/{number}")
        g.add(span, T.type, T.String)
        g.add(span, T.referenceContext, article)
        g.add(span, T.beginIndex, integer(mention.start))
        g.add(span, T.endIndex, integer(mention.end))
        g.add(span, T.anchorOf, literal(mention.text))
        g.add(span, T.taIdentRef, entity)


MENTION_CLASSES = {
    "person": (SCHEMA.Person,),
    "place": (SCHEMA.Place,),
    "country": (SCHEMA.Country, SCHEMA.Place),
    "organization": (SCHEMA.Organization,),
}
_MENTION_CLASSES = {
    kind: tuple(nt_term(c) for c in classes) for kind, classes in MENTION_CLASSES.items()
}
_AGENT_CLASS = {"person": T.Person, "organization": T.Organization}


def _agent(g: NTriples, name: str, kind: str, wikidata: dict[str, str], named: set[str]) -> str:
    """An agent's node (speaker, relay, addressee) with its triples."""
    g.add_lines(_agent_lines(name, f"speaker:{kind}", wikidata.get(name)))
    named.add(name)
    return _agent_term(name)


@lru_cache(maxsize=8192)
def _agent_lines(name: str, role: str, qid: str | None) -> tuple[str, ...]:
    """The triples an agent brings to every graph that names it, written once: for a
    speaker, relay or addressee (`role` "speaker:KIND", KIND person, organization,
    anonymous, ...), for an entity a quote mentions ("mention:KIND") or for an outlet
    ("outlet")."""
    node = _agent_term(name)
    triples: list[tuple[str, str, str]] = []
    if role == "outlet":
        triples += [(node, T.type, T.Organization), (node, T.name, literal(name))]
        person = False
    elif role.startswith("mention:"):
        kind = role.removeprefix("mention:")
        triples += [(node, T.type, cls) for cls in _MENTION_CLASSES.get(kind, (T.Thing,))]
        triples.append((node, T.name, literal(name)))
        person = kind == "person"
    else:
        kind = role.removeprefix("speaker:")
        triples += [
            (node, T.type, _AGENT_CLASS.get(kind, T.ProvAgent)),
            (node, T.type, T.ProvAgent),
            (node, T.name, literal(name)),
        ]
        person = kind == "person"
    lines = list(lines_of(triples)) + list(_key_lines(node, name, person))
    if role == "speaker:anonymous":
        lines += lines_of([(node, T.anonymous, _TRUE)])
    if qid:
        lines += lines_of([(node, T.sameAs, iri(f"{WD}{qid}"))])
    return tuple(lines)


@lru_cache(maxsize=8192)
def _key_lines(node: str, name: str, person: bool) -> tuple[str, ...]:
    """`kg:nameKey` triples of one spelling of an agent (`kg.names.name_keys`)."""
    return lines_of([(node, T.nameKey, literal(key)) for key in name_keys(name, person)])


# a concept's triples, written once per taxonomy: (taxonomy, {(iri, label): lines})
_CONCEPTS: dict[int, tuple[Taxonomy | None, dict[tuple[str, str], tuple[str, ...]]]] = {}


def _concept_lines(taxonomy: Taxonomy | None, concept: str, label: str) -> tuple[str, ...]:
    held = _CONCEPTS.get(id(taxonomy))
    if held is None or held[0] is not taxonomy:
        if len(_CONCEPTS) >= 8:
            _CONCEPTS.clear()
        held = _CONCEPTS[id(taxonomy)] = (taxonomy, {})
    lines = held[1].get((concept, label))
    if lines is None:
        g = NTriples()
        concept_triples(g, concept, taxonomy, label)
        lines = held[1][(concept, label)] = tuple(g)
    return lines


def concept_triples(
    g: NTriples, concept_iri: str, taxonomy: Taxonomy | None, label: str = ""
) -> None:
    """A concept as the queries need it, with every broader concept up to the top:
    type, preferred label, notation (qcode), scheme, ``skos:broader`` and the folded
    label keys (labels, the keyword file's names, the qcode) that parameters match.

    With the chain of broader concepts inside each article graph, a query for a
    concept reaches its narrower ones there: ``kg:within`` links the concept to itself
    and to each broader concept (the reflexive, transitive closure of skos:broader that
    every SPARQL engine can look up as one triple pattern, where ``skos:broader*``'s
    zero-length case is not evaluated alike), so ``?t kg:within ?c`` finds a quote tagged
    with ?c or anything narrower. A concept the taxonomy does not know (quotes tagged with
    another scheme) keeps `label`.
    """
    node = iri(concept_iri)
    g.add(node, T.within, node)
    if taxonomy is not None and concept_iri in taxonomy.concepts:
        for ancestor in taxonomy.ancestors(concept_iri):
            g.add(node, T.within, iri(ancestor))
    todo = [concept_iri]
    seen: set[str] = set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        concept = taxonomy.concepts.get(current) if taxonomy is not None else None
        node = iri(current)
        g.add(node, T.type, T.Concept)
        if concept is None:
            if label and current == concept_iri:
                g.add(node, T.prefLabel, literal(label))
                g.add(node, T.labelKey, literal(fold(label)))
            continue
        g.add(node, T.prefLabel, _lang_literal(concept.label, concept.lang))
        for alt in concept.alt_labels:
            g.add(node, T.altLabel, _lang_literal(alt, concept.lang))
        if concept.notation:
            g.add(node, T.notation, literal(concept.notation))
        if taxonomy.scheme_iri:
            g.add(node, T.inScheme, iri(taxonomy.scheme_iri))
        for key in label_keys(concept):
            g.add(node, T.labelKey, literal(key))
        for broader in concept.broader:
            if broader in taxonomy.concepts:
                g.add(node, T.broader, iri(broader))
                todo.append(broader)
    if taxonomy is not None and taxonomy.scheme_iri:
        scheme = iri(taxonomy.scheme_iri)
        g.add(scheme, T.type, T.ConceptScheme)
        if taxonomy.scheme_label:
            g.add(scheme, T.prefLabel, _lang_literal(taxonomy.scheme_label, "en"))
        if taxonomy.scheme_license:
            g.add(scheme, T.license, iri(taxonomy.scheme_license))
        if taxonomy.scheme_creator:
            g.add(scheme, T.dcCreator, literal(taxonomy.scheme_creator))


def _lang_literal(text: str, lang: str | None) -> str:
    """A label in its language, as rdflib writes it (rdflib checks and keeps the tag)."""
    from rdflib import Literal

    return nt_term(Literal(text, lang=lang or None))


def _date_literal(value: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return typed(value, _DATE)
    return literal(value)
