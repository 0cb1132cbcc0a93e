"""How long the graph page of a big store takes to become interactive in headless Chromium.

Builds a synthetic store (bench/synthetic.py: articles with their text, titles, urls,
outlets, addressees, relays and topics) of `--quotes` quotations, makes its page through
the real path (store -> kg.outputs.pagedata -> kg.outputs.html), opens it from disk with
networking off, and reports: seconds until the page is interactive (the network drawn
and fitted, every control wired), what it drew against `--max-nodes`, how many visible
labels overlap at the default view, and the time of a speaker filter, a click that lists
a speaker's quotes in the panel, and the quote list. Target (issue 16): interactive in
< 3 s at 50,000 quotes on a 2-core machine.

`synthetic_page_data` makes the same page data straight from the synthetic corpus, without
the store (whose N-Triples serialisation takes over a minute at 50,000 quotes): the slow
browser test uses it, and `--direct` here; a test checks it equals what the store gives.

    python -m bench.html_load --quotes 50000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench.browser import chromium_missing, label_report, open_page, start_chromium
from bench.synthetic import QUOTES_PER_ARTICLE, synthetic_corpus
from kg.outputs.html import DEFAULT_MAX_NODES, drawn_summary, page_model, render_page
from kg.outputs.pagedata import (
    Agent,
    PageData,
    QuoteRecord,
    Source,
    Topic,
    is_unnamed,
    read_page_data,
    sentence_around,
    sentence_starts,
)
from kg.rdf.store import KgStore
from kg.rdf.triples import agent_iri, article_iri, article_triples, graph_iri, quote_iri


def synthetic_store(quotes: int, speakers: int) -> KgStore:
    """An in-memory store of about `quotes` synthetic quotations, loaded as `kg build` does."""
    store = KgStore(None)
    batch: dict[str, str] = {}
    for info, article_quotes in synthetic_corpus(
        -(-quotes // QUOTES_PER_ARTICLE), speakers=speakers, text=True
    ):
        batch[str(graph_iri(info.id))] = article_triples(info, article_quotes).serialize(
            format="nt"
        )
        if len(batch) >= 200:
            store.replace_graphs(batch)
            batch = {}
    if batch:
        store.replace_graphs(batch)
    return store


def synthetic_page_data(quotes: int, speakers: int) -> PageData:
    """What `read_page_data(synthetic_store(quotes, speakers))` returns, made without a store.

    It follows the synthetic corpus through kg.rdf.triples' rules: every agent there is
    a person (speakers, capitalised addressees and relays are written as persons; an
    outlet is typed an organisation only in graphs where it also relays, so person wins),
    topics keep the corpus's labels, and each quote's sentence is cut from its article's
    text as the store's reader cuts it. Topic order inside a quote is the corpus's (the
    store's reader keeps its query's order, which SPARQL leaves open).
    """
    agents: dict[str, Agent] = {}
    topics: dict[str, Topic] = {}
    articles: dict[str, Source] = {}
    records: list[QuoteRecord] = []

    def agent(name: str | None) -> str | None:
        if name is None:
            return None
        iri = str(agent_iri(name))
        if iri not in agents:
            agents[iri] = Agent(iri, name, "person", is_unnamed(name))
        return iri

    for info, article_quotes in synthetic_corpus(
        -(-quotes // QUOTES_PER_ARTICLE), speakers=speakers, text=True
    ):
        article = str(article_iri(info.id))
        articles[article] = Source(
            article, info.doc, info.title or "", info.outlet or "", info.date or "", info.url or ""
        )
        starts = sentence_starts(info.text)
        seen: set[str] = set()
        for q in article_quotes:
            iri = str(quote_iri(q))
            if iri in seen:  # the store keeps one quotation per IRI
                continue
            seen.add(iri)
            for t in q.topics:
                topics.setdefault(t.iri, Topic(t.iri, t.label))
            before, after = sentence_around(info.text, q.start, q.end, starts=starts)
            records.append(
                QuoteRecord(
                    iri,
                    q.id,
                    q.text,
                    q.kind,
                    agent(q.speaker.name),
                    article,
                    q.start,
                    q.end,
                    q.cue or "",
                    agent(q.via),
                    agent(q.addressee),
                    tuple(dict.fromkeys(t.iri for t in q.topics)),
                    (),
                    before,
                    after,
                )
            )
    records.sort(key=lambda r: (articles[r.article].date, articles[r.article].doc, r.start or 0))
    return PageData(tuple(records), agents, topics, {}, articles)


def timed(visit, script: str) -> tuple[float, object]:
    started = time.perf_counter()
    result = visit.js(script)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=50_000)
    parser.add_argument("--speakers", type=int, default=3000, help="distinct speakers")
    parser.add_argument("--max-nodes", type=int, default=DEFAULT_MAX_NODES)
    parser.add_argument("--keep", metavar="FILE", help="also save the page here")
    parser.add_argument(
        "--direct",
        action="store_true",
        help="make the page data from the corpus without a store (the same data, faster)",
    )
    args = parser.parse_args()
    if reason := chromium_missing():
        sys.exit(f"cannot run: {reason}")
    started = time.perf_counter()
    if args.direct:
        data, stored = synthetic_page_data(args.quotes, args.speakers), 0.0
    else:
        store = synthetic_store(args.quotes, args.speakers)
        stored = time.perf_counter() - started
        started = time.perf_counter()
        data = read_page_data(store)
    read = time.perf_counter() - started
    started = time.perf_counter()
    model = page_model(data, args.max_nodes)
    page_text = render_page(model)
    built = time.perf_counter() - started
    drawn, possible = drawn_summary(model)
    print(
        f"store: {len(data.quotes):,} quotes, {len(data.agents):,} agents, "
        f"{len(data.articles):,} articles (made in {stored:.1f} s)"
    )
    print(
        f"page: {len(page_text) / 1e6:.1f} MB; store read in {read:.1f} s, layout and page "
        f"in {built:.1f} s; speaker view {possible:,} nodes, {drawn:,} drawn (--max-nodes {args.max_nodes})"
    )
    with tempfile.TemporaryDirectory() as folder:
        page = Path(args.keep) if args.keep else Path(folder) / "graph.html"
        page.write_text(page_text, encoding="utf-8")
        driver = start_chromium()
        try:
            visit = open_page(driver, page)
            info = visit.js("return window.kg.drawn();")
            print(
                f"interactive after {visit.seconds_to_ready:.2f} s (target < 3 s): "
                f"{info['nodes']:,} of {info['possible']:,} nodes and {info['edges']:,} of "
                f"{info['edgesPossible']:,} links drawn"
            )
            t = visit.js("return window.kg.timings;")
            print(
                "  in the page: data parsed {:.0f} ms, quotes aggregated {:.0f} ms, laid out "
                "{:.0f} ms, handed to vis-network {:.0f} ms, drawn and fitted {:.0f} ms".format(
                    t["parsed"] - t["start"],
                    t["aggregated"] - t["wired"],
                    t["laidOut"] - t["aggregated"],
                    t["refreshed"] - t["laidOut"],
                    t["ready"] - t["refreshed"],
                )
            )
            labels = label_report(visit)
            print(
                f"default view: {len(labels.boxes):,} labels visible at scale {labels.scale:.2f}, "
                f"{len(labels.overlapping)} overlapping ({labels.share:.1%})"
            )
            top = visit.js(
                "return window.kgNodes.get().filter(n => n.id[0] === 'a')"
                ".sort((a, b) => b.size - a.size)[0].label;"
            )
            seconds, shown = timed(
                visit,
                f"window.kg.pickSpeaker(window.kg.speakerIndex({top!r})); return window.kg.shown().length;",
            )
            items = visit.js(
                "return document.querySelectorAll('[data-kg-panel] [data-kg-quote]').length;"
            )
            print(
                f"speaker filter ({top}, {shown:,} quotes) and their panel ({items} items on the "
                f"first page): {seconds:.2f} s"
            )
            visit.js("document.getElementById('reset').click();")
            seconds, items = timed(
                visit,
                "const id = window.kgNodes.get().filter(n => n.id[0] === 't')[0].id;"
                "window.kgNetwork.body.emitter.emit('click', {nodes: [id], edges: []});"
                "return document.querySelectorAll('[data-kg-panel] [data-kg-quote]').length;",
            )
            print(f"click on a topic -> panel ({items} items on the first page): {seconds:.2f} s")
            seconds, rows = timed(
                visit,
                "window.kg.showTab('list');"
                "return document.querySelectorAll('[data-kg-list] tbody tr').length;",
            )
            print(f"quote list of every quote ({rows} rows on the first page): {seconds:.2f} s")
            print(
                f"requests attempted: {len(visit.requests)}, console errors: {len(visit.console_errors)}"
            )
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
