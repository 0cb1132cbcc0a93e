"""The interactive graph page: pyvis builds the network, and the page carries everything
it needs inline (vis-network's script and style from the pinned pyvis package), so it
opens from disk with no network. Article text reaches the page only as JSON data and is
shown with ``textContent``: markup inside a quote stays text.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import networkx as nx

KIND_STYLE = {
    "speaker": {"color": "#e4572e", "shape": "dot"},
    "quote": {"color": "#4c9be8", "shape": "box"},
    "topic": {"color": "#76b041", "shape": "diamond"},
    "article": {"color": "#a0a0a0", "shape": "square"},
}
LAYOUT_THRESHOLD = 400
CORE_NODES = 450  # networkx's spring layout stays dense and quick below 500 nodes


def vis_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet, read from the installed pyvis package."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text("utf-8"), (lib / "vis-network.css").read_text(
        "utf-8"
    )


def keep_top_speakers(graph: nx.MultiDiGraph, max_nodes: int) -> nx.MultiDiGraph:
    """Keep the most quoted speakers (and their quotes' neighbourhoods) within `max_nodes`."""
    if graph.number_of_nodes() <= max_nodes:
        return graph
    speakers = sorted(
        (n for n, d in graph.nodes(data=True) if d["kind"] == "speaker"),
        key=lambda n: (-graph.nodes[n].get("quotes", 0), graph.nodes[n]["label"]),
    )
    keep: set[str] = set()
    for s in speakers:
        group = {s}
        for _, q, k in graph.out_edges(s, data="kind"):
            if k == "said":
                group.add(q)
                group.update(graph.successors(q))
        if keep and len(keep | group) > max_nodes:
            break
        keep |= group
    return graph.subgraph(keep).copy()


def precomputed_layout(
    graph: nx.MultiDiGraph, scale: float = 3000
) -> dict[str, tuple[float, float]]:
    """Fixed positions for a graph too big for live physics, in time linear in its size.

    The most connected speakers and topics get a spring layout (networkx); every other
    speaker goes on an outer ring; quotes circle their speaker on a golden-angle spiral;
    articles and remaining topics sit at the centre of their quotes.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("s", kind="speaker", quotes=2); g.add_node("q1", kind="quote"); g.add_node("q2", kind="quote")
    >>> _ = g.add_edge("s", "q1", kind="said"), g.add_edge("s", "q2", kind="said")
    >>> sorted(precomputed_layout(g))
    ['q1', 'q2', 's']
    """
    import math

    kinds = nx.get_node_attributes(graph, "kind")
    said = {q: s for s, q, k in graph.edges(data="kind") if k == "said"}
    core = nx.Graph()
    for q, s in said.items():
        for t in graph.successors(q):
            if kinds[t] == "topic":
                weight = core.get_edge_data(s, t, {"weight": 0})["weight"] + 1
                core.add_edge(s, t, weight=weight)
    ranked = sorted(core.nodes, key=lambda n: (-core.degree(n, weight="weight"), str(n)))
    core = core.subgraph(ranked[:CORE_NODES])
    positions: dict[str, tuple[float, float]] = {}
    if core.number_of_nodes():
        for node, (x, y) in nx.spring_layout(core, seed=7, iterations=50).items():
            positions[node] = (float(x) * scale, float(y) * scale)
    outer = sorted(n for n, k in kinds.items() if k == "speaker" and n not in positions)
    for i, node in enumerate(outer):
        angle = 2 * math.pi * i / max(len(outer), 1)
        positions[node] = (1.4 * scale * math.cos(angle), 1.4 * scale * math.sin(angle))
    golden = math.pi * (3 - math.sqrt(5))
    placed: dict[str, int] = {}
    for q, s in sorted(said.items()):
        i = placed[s] = placed.get(s, 0) + 1
        x, y = positions[s]
        r = 40 + 18 * math.sqrt(i)
        positions[q] = (x + r * math.cos(i * golden), y + r * math.sin(i * golden))
    for node in kinds:
        if node not in positions:
            near = [positions[q] for q in nx.all_neighbors(graph, node) if q in positions]
            if near:
                positions[node] = (
                    sum(p[0] for p in near) / len(near),
                    sum(p[1] for p in near) / len(near),
                )
            else:
                positions[node] = (0.0, 0.0)
    return positions


def build_page(graph: nx.MultiDiGraph, max_nodes: int = 2000, title: str = "kg") -> str:
    """The complete HTML page for a projected graph."""
    from pyvis.network import Network

    graph = keep_top_speakers(graph, max_nodes)
    net = Network(directed=True, cdn_resources="in_line")
    big = graph.number_of_nodes() > LAYOUT_THRESHOLD
    positions = precomputed_layout(graph) if big else {}
    for key, data in graph.nodes(data=True):
        kind = data["kind"]
        style = KIND_STYLE[kind]
        label = data["label"] if kind != "quote" else _short(data["label"], 40)
        extra = {}
        if key in positions:
            extra = {"x": positions[key][0], "y": positions[key][1]}
        size = 10 + 4 * min(data.get("quotes", 0), 15) if kind == "speaker" else 12
        net.add_node(
            key,
            label=label,
            group=kind,
            color=style["color"],
            shape=style["shape"],
            size=size,
            **extra,
        )
    for a, b, data in graph.edges(data=True):
        net.add_edge(a, b, label=data["kind"], arrows="to")
    nodes, edges, *_ = net.get_network_data()
    topics_of: dict[str, list[str]] = {}
    for a, b, data in graph.edges(data=True):
        if data["kind"] == "about":
            topics_of.setdefault(a, []).append(graph.nodes[b]["label"])
    for item in nodes:
        data = graph.nodes[item["id"]]
        item["tip"] = _tooltip(data)
        item["label"] = str(item["label"])
        if data["kind"] == "quote":
            item.update(
                speaker=data.get("speaker", ""),
                date=data.get("date", ""),
                topics=topics_of.get(item["id"], []),
            )
    options = {
        "physics": {"enabled": not big, "stabilization": {"iterations": 150}},
        "interaction": {"hover": True, "tooltipDelay": 100, "hideEdgesOnDrag": big},
        "edges": {"font": {"size": 9}, "smooth": False},
        "layout": {"improvedLayout": not big},
        # pyvis drops a node's colour when it has a group: style the groups instead
        "groups": {kind: dict(style) for kind, style in KIND_STYLE.items()},
    }
    # on a big graph edge labels cost more to draw than the rest together: hover tells the kind
    data = {
        "nodes": nodes,
        "edges": [
            {
                "from": e["from"],
                "to": e["to"],
                "label": "" if big else e.get("label", ""),
                "arrows": "to",
            }
            for e in edges
        ],
        "options": options,
        "kinds": KIND_STYLE,
        "speakers": sorted(
            {d["label"] for _, d in graph.nodes(data=True) if d["kind"] == "speaker"}
        ),
        "topics": sorted({d["label"] for _, d in graph.nodes(data=True) if d["kind"] == "topic"}),
    }
    js, css = vis_assets()
    template = resources.files("kg.outputs").joinpath("templates/graph.html").read_text("utf-8")
    page = template.replace("/*VIS_CSS*/", css.replace("</", "<\\/"))
    page = page.replace("/*DATA*/", script_json(data))
    return page.replace("/*VIS_JS*/", js.replace("</script", "<\\/script"))


def script_json(value: object) -> str:
    """JSON that is safe inside a <script> element: no way to close the element early.

    >>> script_json({"t": "</script><img src=x onerror=alert(1)>"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _tooltip(data: dict) -> str:
    kind = data["kind"]
    if kind == "quote":
        return (
            f"“{data['label']}”\n— {data.get('speaker', '')}\n{data.get('doc', '')}"
            f" {data.get('date', '')}\nkind: {data.get('quote_kind', '')}"
        )
    if kind == "speaker":
        return f"{data['label']}\n{data.get('quotes', 0)} quote(s)"
    return f"{kind}: {data['label']}"


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
