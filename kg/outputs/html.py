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


def build_page(graph: nx.MultiDiGraph, max_nodes: int = 2000, title: str = "kg") -> str:
    """The complete HTML page for a projected graph."""
    from pyvis.network import Network

    graph = keep_top_speakers(graph, max_nodes)
    net = Network(directed=True, cdn_resources="in_line")
    big = graph.number_of_nodes() > LAYOUT_THRESHOLD
    positions = (
        nx.spring_layout(nx.Graph(graph), seed=7, iterations=30)
        if big and graph.number_of_nodes()
        else {}
    )
    for key, data in graph.nodes(data=True):
        kind = data["kind"]
        style = KIND_STYLE[kind]
        label = data["label"] if kind != "quote" else _short(data["label"], 40)
        extra = {}
        if key in positions:
            extra = {"x": float(positions[key][0]) * 2000, "y": float(positions[key][1]) * 2000}
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
        "interaction": {"hover": True, "tooltipDelay": 100},
        "edges": {"font": {"size": 9}, "smooth": False},
    }
    data = {
        "nodes": nodes,
        "edges": [
            {"from": e["from"], "to": e["to"], "label": e.get("label", ""), "arrows": "to"}
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
