"""Project the RDF store into a networkx graph, and analytics over it.

Nodes carry ``kind`` (speaker, quote, topic, article) and a ``label``; edges carry
``kind`` (said, about, addressed_to, relayed_by, reported_in).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import networkx as nx

# Matched inside each article's graph: shared names and labels are stated once per graph,
# so joining in the union graph would multiply the rows.
PROJECTION = """
SELECT ?q ?text ?kind ?speaker ?speakerName ?article ?doc ?date ?via ?viaName ?addr ?addrName ?topic ?topicLabel
WHERE { GRAPH ?g {
  ?q a schema:Quotation ; schema:text ?text ; kg:kind ?kind ; schema:creator ?speaker ;
     schema:isPartOf ?article .
  ?speaker schema:name ?speakerName .
  ?article kg:docName ?doc .
  OPTIONAL { ?article schema:datePublished ?date }
  OPTIONAL { ?q kg:via ?via . ?via schema:name ?viaName }
  OPTIONAL { ?q kg:addressee ?addr . ?addr schema:name ?addrName }
  OPTIONAL { ?q schema:about ?topic . ?topic skos:prefLabel ?topicLabel }
} }
"""


def project(store, speaker: str | Iterable[str] | None = None) -> nx.MultiDiGraph:
    """The store as a typed multigraph; `speaker` keeps only the quotes of that speaker
    (a name, or several canonical names such as `kg.outputs.query.agents_named` gives).

    Example
    -------
    >>> from kg.rdf.store import KgStore
    >>> project(KgStore(None)).number_of_nodes()
    0
    """
    graph = nx.MultiDiGraph()
    seen_edges: set[tuple[str, str, str]] = set()

    def node(key: str, kind: str, label: str, **attrs) -> None:
        if key not in graph:
            graph.add_node(key, kind=kind, label=label, **attrs)

    def edge(a: str, b: str, kind: str) -> None:
        if (a, b, kind) not in seen_edges:
            seen_edges.add((a, b, kind))
            graph.add_edge(a, b, kind=kind)

    wanted = None
    if speaker is not None:
        wanted = {speaker.lower()} if isinstance(speaker, str) else {s.lower() for s in speaker}
    for row in store.query(PROJECTION):
        name = row["speakerName"].value
        if wanted is not None and name.lower() not in wanted:
            continue
        q, s, a = row["q"].value, row["speaker"].value, row["article"].value
        date = row["date"].value if row["date"] is not None else ""
        node(s, "speaker", name)
        node(
            q,
            "quote",
            row["text"].value,
            speaker=name,
            quote_kind=row["kind"].value,
            doc=row["doc"].value,
            date=date,
        )
        node(a, "article", row["doc"].value, date=date)
        edge(s, q, "said")
        edge(q, a, "reported_in")
        if row["via"] is not None:
            node(row["via"].value, "speaker", row["viaName"].value)
            edge(q, row["via"].value, "relayed_by")
        if row["addr"] is not None:
            node(row["addr"].value, "speaker", row["addrName"].value)
            edge(q, row["addr"].value, "addressed_to")
        if row["topic"] is not None:
            node(row["topic"].value, "topic", row["topicLabel"].value)
            edge(q, row["topic"].value, "about")
    for key, data in graph.nodes(data=True):
        if data["kind"] == "speaker":
            data["quotes"] = sum(1 for _, _, k in graph.out_edges(key, data="kind") if k == "said")
    return graph


def speakers_by_quotes(graph: nx.MultiDiGraph) -> list[tuple[str, int]]:
    """Speakers ranked by how many quotes they have.

    >>> g = nx.MultiDiGraph(); g.add_node("s", kind="speaker", label="A", quotes=2)
    >>> speakers_by_quotes(g)
    [('A', 2)]
    """
    rows = [
        (d["label"], d.get("quotes", 0))
        for _, d in graph.nodes(data=True)
        if d["kind"] == "speaker"
    ]
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def speakers_by_degree(graph: nx.MultiDiGraph) -> list[tuple[str, int]]:
    """Speakers ranked by degree in the speaker network (who they address or relay)."""
    people = speaker_network(graph)
    return sorted(
        ((people.nodes[n]["label"], d) for n, d in people.degree()), key=lambda r: (-r[1], r[0])
    )


def speaker_network(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """Speakers linked to whom they addressed and to who relayed them."""
    people = nx.DiGraph()
    for key, data in graph.nodes(data=True):
        if data["kind"] == "speaker":
            people.add_node(key, label=data["label"])
    for quote, data in graph.nodes(data=True):
        if data["kind"] != "quote":
            continue
        speakers = [u for u, _, k in graph.in_edges(quote, data="kind") if k == "said"]
        for _, target, kind in graph.out_edges(quote, data="kind"):
            if kind in ("addressed_to", "relayed_by"):
                for s in speakers:
                    if s != target:
                        weight = people.get_edge_data(s, target, {}).get("weight", 0)
                        people.add_edge(s, target, kind=kind, weight=weight + 1)
    return people


def who_addresses_whom(graph: nx.MultiDiGraph) -> list[tuple[str, str, int]]:
    people = speaker_network(graph)
    rows = [
        (people.nodes[a]["label"], people.nodes[b]["label"], d["weight"])
        for a, b, d in people.edges(data=True)
        if d["kind"] == "addressed_to"
    ]
    return sorted(rows, key=lambda r: (-r[2], r[0], r[1]))


def topics_per_speaker(graph: nx.MultiDiGraph) -> dict[str, Counter]:
    out: dict[str, Counter] = {}
    for s, data in graph.nodes(data=True):
        if data["kind"] != "speaker":
            continue
        counter: Counter = Counter()
        for _, quote, kind in graph.out_edges(s, data="kind"):
            if kind == "said":
                for _, topic, k in graph.out_edges(quote, data="kind"):
                    if k == "about":
                        counter[graph.nodes[topic]["label"]] += 1
        if counter:
            out[data["label"]] = counter
    return out


def communities(graph: nx.MultiDiGraph) -> list[list[str]]:
    """Groups of speakers that share topics (greedy modularity on speaker-topic links)."""
    undirected = nx.Graph()
    for s, data in graph.nodes(data=True):
        if data["kind"] != "speaker":
            continue
        for _, quote, kind in graph.out_edges(s, data="kind"):
            if kind == "said":
                for _, topic, k in graph.out_edges(quote, data="kind"):
                    if k == "about":
                        w = undirected.get_edge_data(s, topic, {}).get("weight", 0)
                        undirected.add_edge(s, topic, weight=w + 1)
    if undirected.number_of_edges() == 0:
        return []
    groups = nx.community.greedy_modularity_communities(undirected, weight="weight")
    out = []
    for group in groups:
        names = sorted(
            graph.nodes[n]["label"] for n in group if graph.nodes[n]["kind"] == "speaker"
        )
        if names:
            out.append(names)
    return out


# Topics and mentions are counted from the store itself: what quotes are about (concepts
# of the topic scheme) and whom they name (people, places, organisations) are different
# things and are listed apart.
TOPIC_COUNTS = """
SELECT ?concept ?label ?code (COUNT(DISTINCT ?q) AS ?quotes)
WHERE { GRAPH ?g {
  ?q schema:about ?concept .
  ?concept skos:prefLabel ?label .
  OPTIONAL { ?concept skos:notation ?code }
} }
GROUP BY ?concept ?label ?code
"""

MENTION_COUNTS = """
SELECT ?entity ?name ?type (COUNT(DISTINCT ?q) AS ?quotes)
WHERE { GRAPH ?g {
  ?q schema:mentions ?entity .
  ?entity schema:name ?name ; a ?type .
  VALUES ?type { schema:Person schema:Organization schema:Country schema:Place }
} }
GROUP BY ?entity ?name ?type
"""

SPEAKERS = "SELECT DISTINCT ?a WHERE { GRAPH ?g { ?q a schema:Quotation ; schema:creator ?a } }"

_KIND_OF = {  # the most specific schema.org type wins: a country is also a place
    "http://schema.org/Person": (0, "person"),
    "http://schema.org/Organization": (1, "organization"),
    "http://schema.org/Country": (2, "country"),
    "http://schema.org/Place": (3, "place"),
}


def topic_counts(store) -> list[tuple[str, str, int]]:
    """Concepts quotes are about, with their code and how many quotes: most first.

    >>> from kg.rdf.store import KgStore
    >>> topic_counts(KgStore(None))
    []
    """
    counts: dict[str, tuple[str, str, int]] = {}
    for row in store.query(TOPIC_COUNTS):
        key = row["concept"].value
        code = row["code"].value if row["code"] is not None else ""
        n = int(row["quotes"].value)
        if key not in counts or n > counts[key][2]:
            counts[key] = (row["label"].value, code, n)
    return sorted(counts.values(), key=lambda r: (-r[2], r[0]))


def mention_counts(store) -> list[tuple[str, str, int, bool]]:
    """Entities quotes name: (name, kind, quotes naming it, whether it also speaks).

    >>> from kg.rdf.store import KgStore
    >>> mention_counts(KgStore(None))
    []
    """
    speakers = {row["a"].value for row in store.query(SPEAKERS)}
    best: dict[str, tuple[int, str, str, int]] = {}
    for row in store.query(MENTION_COUNTS):
        key = row["entity"].value
        rank, kind = _KIND_OF[row["type"].value]
        n = int(row["quotes"].value)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, kind, row["name"].value, n)
    rows = [(name, kind, n, key in speakers) for key, (_, kind, name, n) in best.items()]
    return sorted(rows, key=lambda r: (-r[2], r[0]))
