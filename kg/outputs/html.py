"""The interactive graph page, graph.html: who said what at a glance.

The default view is speaker-centric: nodes are speakers (sized by their quotes, coloured
by kind) and topics; an edge from a speaker to a topic carries how many of their quotes
are about it, and addressee and relay edges join speakers. Unnamed sources ("a senior
official", "officials") fold into one node per kind. Quotations and articles become nodes
only in the detail view (``view="quotes"``). Clicking a node or an edge lists the quotes
behind it, with their provenance and surrounding sentence, in a side panel; a quote list
shows everything the filters keep, sortable, with a CSV download.

Python gives the page its data (kg/outputs/pagedata.py) and a spring layout of the
speaker-topic graph; the page (templates/graph.html) aggregates the quotes the filters
keep, measures its labels and moves nodes apart until no two labels overlap, then draws
with vis-network, whose script and style come inline from the pinned pyvis package, so
the page opens from disk with no network. Data reaches the page only as JSON inside a
``<script type="application/json">`` element and is shown with ``textContent``: markup in
a quote or a name stays text.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from pathlib import Path

import networkx as nx

from kg.outputs.pagedata import PageData

VIEWS = ("speakers", "quotes")
DEFAULT_MAX_NODES = 2000
CORE_NODES = 450  # networkx's spring layout stays quick below 500 nodes

# colours pass for the common colour-vision deficiencies against each other and white;
# shapes tell the kinds apart as well (speakers are dots, topics diamonds, mentions triangles)
STYLE = {
    "person": {"color": "#d1495b", "shape": "dot", "label": "person"},
    "organization": {"color": "#2f6fb0", "shape": "dot", "label": "organisation"},
    "anonymous": {"color": "#7a7a7a", "shape": "dot", "label": "anonymous or unnamed source"},
    "other": {"color": "#c98a1b", "shape": "dot", "label": "audience or other agent"},
    "topic": {"color": "#4f9d3a", "shape": "diamond", "label": "topic (schema:about)"},
    "mention": {"color": "#8a5cc2", "shape": "triangle", "label": "mentioned entity"},
    "quote": {"color": "#5fa8d3", "shape": "dot", "label": "quotation"},
    "article": {"color": "#9a9a9a", "shape": "square", "label": "article"},
}
EDGE_STYLE = {
    "about": {"color": "#9bbf8c", "dashes": False, "label": "speaker → topic (quotes about it)"},
    "addressed": {"color": "#e07b39", "dashes": True, "label": "speaker → addressee"},
    "relayed": {"color": "#2f6fb0", "dashes": [2, 4], "label": "speaker → relayed by"},
    "mentions": {"color": "#b9a3dc", "dashes": [6, 3], "label": "speaker → mentioned entity"},
    "said": {"color": "#c9c9c9", "dashes": False, "label": "speaker → quotation"},
    "in": {"color": "#d9d9d9", "dashes": False, "label": "quotation → article"},
}
FOLD_LABELS = {
    "person": "unnamed people",
    "organization": "unnamed organisations",
    "anonymous": "anonymous sources",
    "other": "unnamed sources",
}


def vis_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet, read from the installed pyvis package."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text("utf-8"), (lib / "vis-network.css").read_text(
        "utf-8"
    )


def agent_key(index: int) -> str:
    return f"a{index}"


def fold_key(kind: str) -> str:
    return f"u:{kind}"


def speaker_graph(model: dict) -> nx.Graph:
    """The speaker-centric graph of a page model, unnamed sources folded, for the layout.

    Nodes are keyed as the page keys them (``a3`` agent 3, ``u:other`` the folded unnamed
    sources of that kind, ``t2`` topic 2, ``m1`` mention 1); edge weights count quotes.

    >>> model = {"agents": [["Ann", "person", 0, []], ["officials", "other", 1, []]],
    ...          "topics": ["budget"], "mentions": [],
    ...          "quotes": [["q1", "", "direct", "", 0, 0, -1, 1, [0], [], "", ""]]}
    >>> g = speaker_graph(model)
    >>> sorted(g.edges(data="weight"))
    [('a0', 't0', 1), ('a0', 'u:other', 1)]
    """
    agents = model["agents"]

    def key(index: int) -> str:
        name, kind, unnamed, _ = agents[index]
        return fold_key(kind) if unnamed else agent_key(index)

    graph = nx.Graph()
    weights: Counter = Counter()
    said: Counter = Counter()
    for quote in model["quotes"]:
        speaker = key(quote[4])
        said[speaker] += 1
        graph.add_node(speaker)
        targets = [f"t{t}" for t in quote[8]]
        targets += [key(quote[i]) for i in (6, 7) if quote[i] >= 0]
        for target in targets:
            if target != speaker:
                weights[tuple(sorted((speaker, target)))] += 1
    for (a, b), weight in weights.items():
        graph.add_edge(a, b, weight=weight)
    for node in graph:
        graph.nodes[node]["said"] = said.get(node, 0)
    return graph


def layout(model: dict, core_size: int = CORE_NODES) -> dict[str, list[float]]:
    """Positions (in about [-1, 1]) for every node the page may draw, deterministic.

    The most connected nodes of the speaker-topic graph get a spring layout (networkx,
    fixed seed); every other node goes on a golden-angle spiral around its strongest
    neighbour there, or on an outer ring; members of a folded "unnamed" node circle it,
    and mentioned entities sit near the speakers who name them. The page scales the
    positions to its measured labels and then removes any overlap left.

    >>> model = {"agents": [["Ann", "person", 0, []]], "topics": ["budget"], "mentions": [],
    ...          "quotes": [["q1", "", "direct", "", 0, 0, -1, -1, [0], [], "", ""]]}
    >>> sorted(layout(model))
    ['a0', 't0']
    """
    graph = speaker_graph(model)
    strength = {n: graph.degree(n, weight="weight") + graph.nodes[n]["said"] for n in graph}
    ranked = sorted(graph, key=lambda n: (-strength[n], n))
    core = ordered_subgraph(graph, ranked[:core_size])
    for _, _, data in core.edges(data=True):
        data["weight"] = math.log1p(data["weight"])  # a heavy edge should not collapse a pair
    positions = packed_components(core)
    golden = math.pi * (3 - math.sqrt(5))
    around: Counter = Counter()

    def near(anchor: str, step: float = 0.06) -> tuple[float, float]:
        around[anchor] += 1
        i = around[anchor]
        x, y = positions[anchor]
        r = step * math.sqrt(i)
        return x + r * math.cos(i * golden), y + r * math.sin(i * golden)

    rest = [n for n in ranked if n not in positions]
    positions.update(_outer_rings(graph, rest, positions))
    # every agent has a place of its own, for when unnamed sources are kept apart
    for index, (_name, kind, unnamed, _alts) in enumerate(model["agents"]):
        key = agent_key(index)
        if key not in positions:
            anchor = fold_key(kind) if unnamed and fold_key(kind) in positions else None
            positions[key] = near(anchor, 0.04) if anchor else (0.0, 0.0)
    # mentioned entities near the first speaker who names them
    for quote in model["quotes"]:
        for m in quote[9]:
            agent = model["mentions"][m][2]
            key = agent_key(agent) if agent >= 0 else f"m{m}"
            if key not in positions:
                speaker = quote[4]
                name, kind, unnamed, _ = model["agents"][speaker]
                anchor = fold_key(kind) if unnamed else agent_key(speaker)
                positions[key] = near(anchor if anchor in positions else agent_key(speaker))
    return {k: [round(x, 5), round(y, 5)] for k, (x, y) in sorted(positions.items())}


def _outer_rings(
    graph: nx.Graph, rest: list[str], core: dict[str, tuple[float, float]]
) -> dict[str, tuple[float, float]]:
    """Places for the nodes outside the spring-laid core: on rings around it, evenly
    spaced, each node turned towards its strongest neighbour in the core (the less
    quoted speakers of a topic sit on its side), the strongest nearest the core.

    >>> g = nx.Graph([("t", "a", {"weight": 2}), ("t", "b", {"weight": 1})])
    >>> sorted(_outer_rings(g, ["a", "b"], {"t": (1.0, 0.0)}))
    ['a', 'b']
    """
    if not rest:
        return {}
    spacing = 2.0 / math.sqrt(len(core) + len(rest))  # about one node's room in the core
    radius = 1.0 + spacing
    if core:
        radius = max(math.hypot(x, y) for x, y in core.values()) + spacing

    def angle(node: str) -> float:
        placed = [(graph[node][m]["weight"], m) for m in graph.neighbors(node) if m in core]
        if not placed:
            return 0.0
        x, y = core[max(placed)[1]]
        return math.atan2(y, x) % (2 * math.pi)

    out: dict[str, tuple[float, float]] = {}
    todo = list(rest)
    while todo:
        capacity = max(1, int(2 * math.pi * radius / spacing))
        ring, todo = todo[:capacity], todo[capacity:]
        ring.sort(key=lambda n: (angle(n), n))
        for i, node in enumerate(ring):
            # spread the ring's nodes evenly, in the order of their neighbours' directions
            theta = angle(ring[0]) + 2 * math.pi * i / len(ring)
            out[node] = (radius * math.cos(theta), radius * math.sin(theta))
        radius += spacing
    return out


def ordered_subgraph(graph: nx.Graph, nodes: Iterable[str]) -> nx.Graph:
    """A copy of the part of `graph` on `nodes`, its nodes and edges in the graph's own
    order. (A networkx subgraph view of less than half the graph iterates over the set
    of nodes it was given, whose order changes with each process's string hashing, and
    a seeded spring layout then places the nodes differently from one build to the next.)

    >>> g = nx.Graph([("c", "a"), ("a", "b"), ("b", "d")])
    >>> list(ordered_subgraph(g, {"b", "c", "a"})), list(ordered_subgraph(g, ["b", "a"]).edges)
    (['c', 'a', 'b'], [('a', 'b')])
    """
    keep = set(nodes)
    order = [n for n in graph if n in keep]
    part = nx.Graph()
    part.add_nodes_from((n, graph.nodes[n]) for n in order)
    done: set[str] = set()
    for u in order:  # the edges as graph.edges gives them, read from the kept nodes only
        part.add_edges_from(
            (u, v, data) for v, data in graph.adj[u].items() if v in keep and v not in done
        )
        done.add(u)
    return part


def packed_components(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """A spring layout of each connected part, the parts packed in rows, biggest first,
    instead of drifting apart as one spring layout lets them; scaled into about [-1, 1].

    >>> g = nx.Graph([("a", "b"), ("c", "d")])
    >>> p = packed_components(g)
    >>> sorted(p) == ["a", "b", "c", "d"] and all(-1.01 <= v <= 1.01 for xy in p.values() for v in xy)
    True
    """
    parts = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    if not parts:
        return {}
    boxes = []
    for part in parts:
        radius = math.sqrt(len(part))  # a part's room grows with its nodes
        if len(part) == 1:
            local = {next(iter(part)): (0.0, 0.0)}
        else:
            spring = nx.spring_layout(
                ordered_subgraph(graph, part), seed=7, iterations=80, weight="weight"
            )
            local = {n: (float(x) * radius, float(y) * radius) for n, (x, y) in spring.items()}
        boxes.append((local, max(radius, 0.5)))
    row_width = 1.6 * math.sqrt(sum((2 * r) ** 2 for _, r in boxes))
    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    gap = 0.6
    for local, radius in boxes:
        if x > 0 and x + 2 * radius > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for node, (px, py) in local.items():
            positions[node] = (x + radius + px, y + radius + py)
        x += 2 * radius + gap
        row_height = max(row_height, 2 * radius)
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9) / 2
    return {n: ((px - cx) / half, (py - cy) / half) for n, (px, py) in positions.items()}


def page_model(data: PageData, max_nodes: int = DEFAULT_MAX_NODES, view: str = "speakers") -> dict:
    """The JSON the page runs on: compact tables of agents, topics, mentions, articles
    and quotes (rows that refer to each other by index), the layout and the options.

    A quote row is ``[id, text, kind, cue, speaker, article, via, addressee, [topics],
    [mentions], before, after]`` (-1: none).

    >>> page_model(PageData())["quotes"]
    []
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}, not {view!r}")
    if max_nodes < 1:
        raise ValueError("max_nodes must be at least 1")
    agent_ids = {iri: i for i, iri in enumerate(sorted(data.agents, key=_agent_order(data)))}
    topic_ids = {
        iri: i for i, iri in enumerate(sorted(data.topics, key=lambda k: (data.topics[k].label, k)))
    }
    mention_ids = {
        iri: i
        for i, iri in enumerate(sorted(data.mentions, key=lambda k: (data.mentions[k].label, k)))
    }
    article_ids = {
        iri: i
        for i, iri in enumerate(
            sorted(data.articles, key=lambda k: (data.articles[k].date, data.articles[k].doc, k))
        )
    }
    agents = [
        [a.name, a.kind, int(a.unnamed and a.name != data.speaker), list(a.alternate_names)]
        for a in (data.agents[iri] for iri in agent_ids)
    ]
    model = {
        "agents": agents,
        "topics": [data.topics[iri].label for iri in topic_ids],
        "mentions": [
            [data.mentions[iri].label, data.mentions[iri].kind, agent_ids.get(iri, -1)]
            for iri in mention_ids
        ],
        "articles": [
            [s.title, s.outlet, s.date, _safe_url(s.url), s.doc]
            for s in (data.articles[iri] for iri in article_ids)
        ],
        "quotes": [
            [
                q.id,
                q.text,
                q.kind,
                q.cue,
                agent_ids[q.speaker],
                article_ids[q.article],
                agent_ids[q.via] if q.via else -1,
                agent_ids[q.addressee] if q.addressee else -1,
                [topic_ids[t] for t in q.topics if t in topic_ids],
                [mention_ids[m] for m in q.mentions if m in mention_ids],
                q.before,
                q.after,
            ]
            for q in data.quotes
        ],
        "maxNodes": max_nodes,
        "view": view,
        "speaker": data.speaker,
        "style": STYLE,
        "edgeStyle": EDGE_STYLE,
        "foldLabels": FOLD_LABELS,
    }
    model["layout"] = layout(model)
    return model


def build_page(
    data: PageData,
    max_nodes: int = DEFAULT_MAX_NODES,
    view: str = "speakers",
    title: str = "kg: who said what",
) -> str:
    """The complete, self-contained HTML page for the quotes in `data`.

    >>> page = build_page(PageData())
    >>> page.startswith("<!DOCTYPE html>") and 'id="kg-data"' in page
    True
    """
    return render_page(page_model(data, max_nodes, view), title)


def render_page(model: dict, title: str = "kg: who said what") -> str:
    """The page for a `page_model` as one string (`write_page` writes it in pieces)."""
    pieces: list[str] = []
    write_page(model, pieces.append, title)
    return "".join(pieces)


def write_page(
    model: dict, write: Callable[[str], object], title: str = "kg: who said what"
) -> None:
    """Write the page for a `page_model` through `write`, piece by piece: the template
    with vis-network and the data inlined, so a page of 50,000 quotes is never one
    string in memory (nor its JSON).

    Each part goes into its own slot of the template, so text in one part that looks
    like a slot ("/*VIS_JS*/" in a quote) stays text.

    >>> pieces = []
    >>> write_page({"quotes": [["q1", "/*VIS_JS*/"]]}, pieces.append)
    >>> page = "".join(pieces)
    >>> page.count('"/*VIS_JS*/"'), page.startswith("<!DOCTYPE html>")
    (1, True)
    """
    js, css = vis_assets()
    filled = {
        TITLE_SLOT: lambda: write(_html_text(title)),
        CSS_SLOT: lambda: write(css.replace("</", "<\\/")),
        DATA_SLOT: lambda: write_script_json(model, write),
        JS_SLOT: lambda: write(js.replace("</script", "<\\/script")),
    }
    for text, slot in _template_parts():
        write(text)
        if slot:
            filled[slot]()


TITLE_SLOT, CSS_SLOT, DATA_SLOT, JS_SLOT = "<!--TITLE-->", "/*VIS_CSS*/", "/*DATA*/", "/*VIS_JS*/"
_SLOTS = re.compile("|".join(re.escape(s) for s in (TITLE_SLOT, CSS_SLOT, DATA_SLOT, JS_SLOT)))


@cache
def _template_parts() -> tuple[tuple[str, str | None], ...]:
    """The template as (text, the slot that follows it or None), each slot once."""
    template = resources.files("kg.outputs").joinpath("templates/graph.html").read_text("utf-8")
    parts, at = [], 0
    for match in _SLOTS.finditer(template):
        parts.append((template[at : match.start()], match.group()))
        at = match.end()
    parts.append((template[at:], None))
    slots = [slot for _, slot in parts if slot]
    if sorted(slots) != sorted({TITLE_SLOT, CSS_SLOT, DATA_SLOT, JS_SLOT}):
        raise RuntimeError(f"templates/graph.html: each slot once expected, found {slots}")
    return tuple(parts)


def drawn_summary(model: dict) -> tuple[int, int]:
    """(nodes the default view draws, nodes it could draw): what `--max-nodes` cut.

    Counts the speaker view's nodes as the page does: agents (unnamed sources folded)
    and topics.

    >>> model = {"agents": [["Ann", "person", 0, []]], "topics": ["a", "b"], "mentions": [],
    ...          "quotes": [["q", "", "direct", "", 0, 0, -1, -1, [0, 1], [], "", ""]],
    ...          "maxNodes": 2}
    >>> drawn_summary(model)
    (2, 3)
    """
    total = speaker_graph(model).number_of_nodes()
    return min(total, model["maxNodes"]), total


def script_json(value: object) -> str:
    """JSON that is safe inside a <script> element: no way to close the element early.

    >>> script_json({"t": "</script><img src=x onerror=alert(1)>"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    """
    return _script_safe(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def write_script_json(value: object, write: Callable[[str], object], rows: int = 1000) -> None:
    """`script_json(value)` written through `write` in pieces: a dict key by key, and
    a long list `rows` items at a time, so the text of a big model is never one string.

    >>> pieces = []
    >>> write_script_json({"a": [[1, "<b>"], [2, "c"]], "n": None}, pieces.append, rows=1)
    >>> "".join(pieces) == script_json({"a": [[1, "<b>"], [2, "c"]], "n": None})
    True
    """
    if isinstance(value, dict):
        write("{")
        for n, (key, item) in enumerate(value.items()):
            # the key as json writes it ({"k":0} less its brace and value): the same
            # text for every key type, and the same error for a key json refuses
            write(("," if n else "") + script_json({key: 0})[1:-2])
            write_script_json(item, write, rows)
        write("}")
    elif isinstance(value, list) and len(value) > rows:
        write("[")
        for start in range(0, len(value), rows):
            write(("," if start else "") + script_json(value[start : start + rows])[1:-1])
        write("]")
    else:
        write(script_json(value))


def _script_safe(text: str) -> str:
    """Characters that could end a <script> element or a JavaScript line, escaped."""
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _agent_order(data: PageData):
    said: Counter = Counter(q.speaker for q in data.quotes)

    def order(iri: str) -> tuple:
        return (-said[iri], data.agents[iri].name, iri)

    return order


def _safe_url(url: str) -> str:
    """Only http(s) links reach the page; anything else (``javascript:``) is dropped.

    >>> _safe_url("https://example.org/a"), _safe_url("javascript:alert(1)"), _safe_url(" HTTP://x.org ")
    ('https://example.org/a', '', 'HTTP://x.org')
    """
    url = url.strip()
    return url if url.lower().startswith(("http://", "https://")) else ""


def _html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = [
    "DEFAULT_MAX_NODES",
    "EDGE_STYLE",
    "STYLE",
    "VIEWS",
    "build_page",
    "drawn_summary",
    "layout",
    "page_model",
    "render_page",
    "script_json",
    "speaker_graph",
    "vis_assets",
    "write_page",
    "write_script_json",
]
