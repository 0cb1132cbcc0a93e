"""Triples for one article and its quotes, with deterministic IRIs.

IRIs come from content hashes (articles, quotes) and canonical names (people, topics),
so building the same inputs twice gives the same graph, triple for triple.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import Graph, Literal, URIRef

from kg.corpus import ArticleInfo
from kg.extract import Quote
from kg.extract.topics import Taxonomy, label_keys
from kg.names import fold, name_keys
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


def new_graph() -> Graph:
    return bind_prefixes(Graph())


def article_triples(
    info: ArticleInfo,
    quotes: list[Quote],
    taxonomy: Taxonomy | None = None,
    wikidata: dict[str, str] | None = None,
    graph: Graph | None = None,
    alternate_names: dict[str, list[str]] | None = None,
    merges: dict[str, dict[str, tuple[str, ...]]] | None = None,
    conflicting: dict[str, tuple[str, ...]] | None = None,
    same_text: list[str] = (),
    include_source: bool = True,
) -> Graph:
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
    g = graph if graph is not None else new_graph()
    wikidata = wikidata or {}
    a = article_iri(info.id)
    if include_source:
        _article_node(g, info)
    for other in same_text:
        g.add((a, KG.sameTextAs, article_iri(other)))
    if info.outlet:
        outlet = agent_iri(info.outlet)
        g.add((outlet, RDF.type, SCHEMA.Organization))
        g.add((outlet, SCHEMA.name, Literal(info.outlet)))
        for key in name_keys(info.outlet, False):  # the outlet filters of search match these
            g.add((outlet, KG.nameKey, Literal(key)))
    labels: dict[str, str] = {}
    for q in quotes:
        _quote_triples(g, a, q, wikidata)
        labels.update((t.iri, t.label) for t in q.topics)
    for iri in sorted(labels):
        concept_triples(g, iri, taxonomy, labels[iri])
    named = {str(o) for o in g.objects(None, SCHEMA.name)}
    merges = merges or {}
    for name, others in (alternate_names or {}).items():
        if name not in named:
            continue
        agent = agent_iri(name)
        person = (agent, RDF.type, SCHEMA.Person) in g
        rules = merges.get(name, {})
        for other in others:
            g.add((agent, SCHEMA.alternateName, Literal(other)))
            for key in name_keys(other, person):
                g.add((agent, KG.nameKey, Literal(key)))
            if rules.get(other):
                # why this spelling is this agent: auditable in the graph itself
                merge = URIRef(f"{agent}/spelling/{slug(other)}")
                g.add((agent, KG.nameMerge, merge))
                g.add((merge, RDF.type, KG.NameMerge))
                g.add((merge, KG.spelling, Literal(other)))
                for rule in rules[other]:
                    g.add((merge, KG.rule, Literal(rule)))
    for statement, others in (conflicting or {}).items():
        node = STATEMENT[statement]
        if (node, RDF.type, KG.Statement) in g:
            for other in others:
                g.add((node, KG.conflictingAttribution, STATEMENT[other]))
    return g


def source_triples(info: ArticleInfo) -> str:
    """N-Triples of the article node alone: identity, provenance and exact text.

    They depend on nothing but the article, so a build stores them while other
    articles are still being extracted; every one has the article as subject.
    """
    from kg.rdf.ntriples import TripleSet

    return _article_node(TripleSet(), info).serialize(format="nt")


def _article_node(g: Graph, info: ArticleInfo) -> Graph:
    a = article_iri(info.id)
    g.add((a, RDF.type, SCHEMA.NewsArticle))
    g.add((a, RDF.type, NIF.Context))
    g.add((a, SCHEMA.identifier, Literal(info.id)))
    g.add((a, KG.docName, Literal(info.doc)))
    g.add((a, KG.charLength, Literal(info.length, datatype=XSD.integer)))
    if info.source:
        g.add((a, KG.source, Literal(info.source)))
    if info.content_hash:
        g.add((a, KG.contentHash, Literal(info.content_hash)))
    if info.text:
        # NIF: the context holds the exact text, so every offset can be checked in the graph
        g.add((a, NIF.isString, Literal(info.text)))
    if info.title:
        g.add((a, SCHEMA.headline, Literal(info.title)))
    if info.url:
        g.add((a, SCHEMA.url, Literal(info.url, datatype=XSD.anyURI)))
    if info.date:
        g.add((a, SCHEMA.datePublished, _date_literal(info.date)))
    if info.outlet:
        g.add((a, SCHEMA.publisher, agent_iri(info.outlet)))
    return g


def _quote_triples(g: Graph, article: URIRef, q: Quote, wikidata: dict) -> None:
    node = quote_iri(q)
    speaker = _agent(g, q.speaker.name, q.speaker.kind, wikidata)
    g.add((node, RDF.type, SCHEMA.Quotation))
    g.add((node, SCHEMA.text, Literal(q.text)))
    g.add((node, SCHEMA.isPartOf, article))
    g.add((node, SCHEMA.creator, speaker))
    g.add((node, SCHEMA.spokenByCharacter, speaker))
    g.add((node, PROV.wasAttributedTo, speaker))
    g.add((node, NIF.referenceContext, article))
    g.add((node, NIF.beginIndex, Literal(q.start, datatype=XSD.integer)))
    g.add((node, NIF.endIndex, Literal(q.end, datatype=XSD.integer)))
    g.add((node, KG.kind, Literal(q.kind)))
    g.add((node, KG.confidence, Literal(round(q.confidence, 3), datatype=XSD.decimal)))
    g.add((node, KG.speakerMention, Literal(q.speaker.mention)))
    if q.cue:
        g.add((node, KG.cue, Literal(q.cue)))
    for sieve in q.sieves:
        g.add((node, KG.sieve, Literal(sieve)))
    for reason in q.rejected:
        g.add((node, KG.rejected, Literal(reason)))
    for number, span in enumerate(q.evidence):
        # each span a NIF string of the article: its role, offsets, words and deciding rule
        ev = URIRef(f"{node}/evidence/{number}")
        g.add((node, KG.evidence, ev))
        g.add((ev, RDF.type, KG.Evidence))
        g.add((ev, RDF.type, NIF.String))
        g.add((ev, NIF.referenceContext, article))
        g.add((ev, KG.role, Literal(span.role)))
        g.add((ev, KG.rule, Literal(span.rule)))
        g.add((ev, NIF.beginIndex, Literal(span.start, datatype=XSD.integer)))
        g.add((ev, NIF.endIndex, Literal(span.end, datatype=XSD.integer)))
        g.add((ev, NIF.anchorOf, Literal(span.text)))
    if q.statement:
        statement = STATEMENT[q.statement]
        g.add((node, KG.statement, statement))
        g.add((statement, RDF.type, KG.Statement))
    if q.via:
        relay = _agent(g, q.via, q.via_kind or "person", wikidata)
        g.add((node, KG.via, relay))
        g.add((node, PROV.wasDerivedFrom, relay))
        qualified = URIRef(str(node) + "-relay")
        g.add((node, PROV.qualifiedAttribution, qualified))
        g.add((qualified, RDF.type, PROV.Attribution))
        g.add((qualified, PROV.agent, relay))
        g.add((qualified, PROV.hadRole, KG.Relay))
    if q.addressee:
        # "reporters", "the committee": an audience, not a named person
        kind = "person" if q.addressee[:1].isupper() else "audience"
        g.add((node, KG.addressee, _agent(g, q.addressee, kind, wikidata)))
    for rank, topic in enumerate(q.topics, 1):
        # what the quote is about: a concept of the scheme, never a name
        concept = URIRef(topic.iri)
        g.add((node, SCHEMA.about, concept))
        assignment = URIRef(f"{node}/topic/{rank}")
        g.add((node, KG.topicAssignment, assignment))
        g.add((assignment, RDF.type, KG.TopicAssignment))
        g.add((assignment, KG.concept, concept))
        g.add((assignment, KG.score, Literal(topic.score, datatype=XSD.decimal)))
        g.add((assignment, KG.rank, Literal(rank, datatype=XSD.integer)))
    for number, mention in enumerate(q.mentions):
        # who and what the quote names: typed entities, the same nodes as speakers
        entity = agent_iri(mention.name)
        g.add((node, SCHEMA.mentions, entity))
        for cls in MENTION_CLASSES.get(mention.kind, (SCHEMA.Thing,)):
            g.add((entity, RDF.type, cls))
        g.add((entity, SCHEMA.name, Literal(mention.name)))
        for key in name_keys(mention.name, mention.kind == "person"):
            g.add((entity, KG.nameKey, Literal(key)))
        qid = wikidata.get(mention.name)
        if qid:
            g.add((entity, OWL.sameAs, WD[qid]))
        span = URIRef(f"{node}/mention/{number}")
        g.add((span, RDF.type, NIF.String))
        g.add((span, NIF.referenceContext, article))
        g.add((span, NIF.beginIndex, Literal(mention.start, datatype=XSD.integer)))
        g.add((span, NIF.endIndex, Literal(mention.end, datatype=XSD.integer)))
        g.add((span, NIF.anchorOf, Literal(mention.text)))
        g.add((span, ITSRDF.taIdentRef, entity))


MENTION_CLASSES = {
    "person": (SCHEMA.Person,),
    "place": (SCHEMA.Place,),
    "country": (SCHEMA.Country, SCHEMA.Place),
    "organization": (SCHEMA.Organization,),
}


def concept_triples(g: Graph, iri: str, taxonomy: Taxonomy | None, label: str = "") -> None:
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
    node = URIRef(iri)
    g.add((node, KG.within, node))
    if taxonomy is not None and iri in taxonomy.concepts:
        for ancestor in taxonomy.ancestors(iri):
            g.add((node, KG.within, URIRef(ancestor)))
    todo = [iri]
    seen: set[str] = set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        concept = taxonomy.concepts.get(current) if taxonomy is not None else None
        node = URIRef(current)
        g.add((node, RDF.type, SKOS.Concept))
        if concept is None:
            if label and current == iri:
                g.add((node, SKOS.prefLabel, Literal(label)))
                g.add((node, KG.labelKey, Literal(fold(label))))
            continue
        g.add((node, SKOS.prefLabel, Literal(concept.label, lang=concept.lang or None)))
        for alt in concept.alt_labels:
            g.add((node, SKOS.altLabel, Literal(alt, lang=concept.lang or None)))
        if concept.notation:
            g.add((node, SKOS.notation, Literal(concept.notation)))
        if taxonomy.scheme_iri:
            g.add((node, SKOS.inScheme, URIRef(taxonomy.scheme_iri)))
        for key in label_keys(concept):
            g.add((node, KG.labelKey, Literal(key)))
        for broader in concept.broader:
            if broader in taxonomy.concepts:
                g.add((node, SKOS.broader, URIRef(broader)))
                todo.append(broader)
    if taxonomy is not None and taxonomy.scheme_iri:
        scheme = URIRef(taxonomy.scheme_iri)
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        if taxonomy.scheme_label:
            g.add((scheme, SKOS.prefLabel, Literal(taxonomy.scheme_label, lang="en")))
        if taxonomy.scheme_license:
            g.add((scheme, DCTERMS.license, URIRef(taxonomy.scheme_license)))
        if taxonomy.scheme_creator:
            g.add((scheme, DCTERMS.creator, Literal(taxonomy.scheme_creator)))


def _agent(g: Graph, name: str, kind: str, wikidata: dict[str, str]) -> URIRef:
    node = agent_iri(name)
    cls = (
        SCHEMA.Person
        if kind == "person"
        else SCHEMA.Organization
        if kind == "organization"
        else PROV.Agent
    )
    g.add((node, RDF.type, cls))
    g.add((node, RDF.type, PROV.Agent))
    g.add((node, SCHEMA.name, Literal(name)))
    for key in name_keys(name, kind == "person"):
        g.add((node, KG.nameKey, Literal(key)))
    if kind == "anonymous":
        g.add((node, KG.anonymous, Literal(True)))
    qid = wikidata.get(name)
    if qid:
        g.add((node, OWL.sameAs, WD[qid]))
    return node


def _date_literal(value: str) -> Literal:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    return Literal(value)
