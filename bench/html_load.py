"""How long a big graph page takes to become interactive in headless Chromium.

Builds the page of a synthetic corpus (default 5,000 quotes) through the real store ->
networkx -> pyvis path, opens it from disk offline, and reports seconds until the page's
network is drawn and ready, then the time of one filter change. Target: < 5 s.

    python -m bench.html_load --quotes 5000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench.browser import chromium_missing, open_page, start_chromium
from bench.synthetic import QUOTES_PER_ARTICLE, synthetic_corpus
from kg.extract.topics import default_taxonomy
from kg.outputs.graph import project
from kg.outputs.html import build_page
from kg.rdf.store import KgStore
from kg.rdf.triples import article_triples, graph_iri


def synthetic_page(quotes: int, folder: Path) -> tuple[Path, int]:
    """Write the page of a synthetic corpus with `quotes` quotes; returns it and its node count."""
    store = KgStore(None)
    taxonomy = default_taxonomy()
    store.replace_graphs(
        {
            str(graph_iri(info.id)): article_triples(info, article_quotes, taxonomy).serialize(
                format="nt"
            )
            for info, article_quotes in synthetic_corpus(-(-quotes // QUOTES_PER_ARTICLE))
        }
    )
    graph = project(store)
    page = folder / "graph.html"
    page.write_text(build_page(graph, max_nodes=graph.number_of_nodes()), encoding="utf-8")
    return page, graph.number_of_nodes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=5000)
    args = parser.parse_args()
    if reason := chromium_missing():
        sys.exit(f"cannot run: {reason}")
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        page, nodes = synthetic_page(args.quotes, Path(folder))
        print(
            f"page: {nodes:,} nodes, {page.stat().st_size / 1e6:.1f} MB, built in {time.perf_counter() - started:.1f} s"
        )
        driver = start_chromium()
        try:
            visit = open_page(driver, page)
            drawn = visit.js("return window.kgNodes.length;")
            print(
                f"interactive after {visit.seconds_to_ready:.2f} s ({drawn:,} nodes in the DataSet)"
            )
            start = time.perf_counter()
            visit.js("""const s = document.getElementById('speaker'); s.selectedIndex = 1;
                        s.dispatchEvent(new Event('input'));""")
            shown = visit.js("return document.getElementById('counts').textContent;")
            print(f"speaker filter applied in {time.perf_counter() - start:.2f} s ({shown})")
            print(
                f"requests attempted: {len(visit.requests)}, console errors: {len(visit.console_errors)}"
            )
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
