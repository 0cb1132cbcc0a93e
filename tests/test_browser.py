"""graph.html in a real browser: headless Chromium, networking off, the page read back.

Skipped, with the reason, where Chromium or its driver is not installed. Screenshots go
to test-artifacts/ for a human to look at; with KG_DOCS_SCREENSHOT=1 the seeds' page is
also written to docs/graph-page.png, the picture in the README.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import time

import pytest

from bench.browser import chromium_missing, label_report, open_page, start_chromium
from kg.corpus import ArticleInfo
from kg.extract import Quote, Speaker, Topic
from kg.outputs.html import build_page
from kg.outputs.pagedata import read_page_data
from kg.rdf.store import KgStore
from kg.rdf.triples import article_triples, graph_iri

from .conftest import ROOT, kg

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"
SEED_SPEAKERS = {"Qin Gang", "Joe Biden", "Matthew Miller", "Antony Blinken", "Danny Russell"}
PAYLOADS = [
    "<script>window.__xss = 1</script>",
    '<img src=x onerror="window.__xss = 2">',
    "</title><script>window.__xss = 3</script>",
    "javascript:window.__xss = 4",
    '</script><svg onload="window.__xss = 5">',
]
PANEL_ITEMS = "[data-kg-panel] [data-kg-quote]"


@pytest.fixture(scope="module")
def browser():
    if reason := chromium_missing():
        pytest.skip(reason)
    driver = start_chromium()
    yield driver
    driver.quit()


def screenshot(driver, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    assert driver.save_screenshot(str(ARTIFACTS / name))


def node_id(visit, label: str, kind: str = "a") -> str:
    """The id of the drawn node with this label: a speaker (``a``) unless told otherwise."""
    found = visit.js(
        f"return window.kgNodes.get({{filter: n => n.label === {json.dumps(label)}"
        f" && n.id.startsWith({json.dumps(kind)})}}).map(n => n.id);"
    )
    assert len(found) == 1, f"one node labelled {label!r}, found {found}"
    return found[0]


def click_node(visit, key: str) -> None:
    """A real mouse click where the network draws the node."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    canvas = visit.driver.find_element(By.CSS_SELECTOR, "#net canvas")
    point = visit.js(
        f"const n = window.kgNetwork.getPositions([{json.dumps(key)}])[{json.dumps(key)}];"
        "return window.kgNetwork.canvasToDOM(n);"
    )
    size = canvas.size
    ActionChains(visit.driver).move_to_element_with_offset(
        canvas, int(point["x"] - size["width"] / 2), int(point["y"] - size["height"] / 2)
    ).click().perform()
    wait_for(visit, "!document.querySelector('[data-kg-panel]').hidden")


def wait_for(visit, condition: str, timeout: float = 10) -> None:
    started = time.perf_counter()
    while not visit.js(f"return Boolean({condition});"):
        if time.perf_counter() - started > timeout:
            raise AssertionError(f"not true after {timeout} s: {condition}")
        time.sleep(0.05)


def panel_items(visit) -> list[dict]:
    return visit.js(f"""return [...document.querySelectorAll('{PANEL_ITEMS}')].map(li =>
        ({{id: li.dataset.kgQuote, text: li.textContent}}));""")


def view_fits_drawn_nodes(visit) -> float:
    """Every drawn node lies inside the canvas; returns how much of it they span (0-1)."""
    wait_for(visit, "window.kg.fitted()")
    found = visit.js("""
        const net = window.kgNetwork, canvas = net.canvas.frame.canvas;
        const points = Object.values(net.getPositions(window.kgNodes.getIds())).map(p => net.canvasToDOM(p));
        return {points, width: canvas.clientWidth, height: canvas.clientHeight};""")
    points, width, height = found["points"], found["width"], found["height"]
    assert points, "something is drawn"
    for p in points:
        assert -1 <= p["x"] <= width + 1 and -1 <= p["y"] <= height + 1, (p, width, height)
    xs, ys = [p["x"] for p in points], [p["y"] for p in points]
    return max((max(xs) - min(xs)) / width, (max(ys) - min(ys)) / height)


def offline_and_clean(visit) -> None:
    errors = [e["message"] for e in visit.driver.get_log("browser") if e["level"] == "SEVERE"]
    assert visit.requests == [], "the page tried to load something from outside itself"
    assert visit.console_errors == [] and errors == []


def write_page(store: KgStore, path, **options):
    path.write_text(build_page(read_page_data(store), **options), encoding="utf-8")
    return path


def store_of(articles) -> KgStore:
    store = KgStore(None)
    store.replace_graphs(
        {
            str(graph_iri(info.id)): article_triples(info, quotes).serialize(format="nt")
            for info, quotes in articles
        }
    )
    return store


# -- the seeds' default view ----------------------------------------------------------------
def test_seed_page_opens_on_speakers_with_readable_labels(browser, seed_build):
    visit = open_page(browser, seed_build / "graph.html")
    offline_and_clean(visit)
    ids = visit.js("return window.kgNodes.getIds();")
    assert not [i for i in ids if i[0] in "qd"], "quotations and articles are not nodes by default"
    drawn = visit.js("return window.kg.drawn();")
    assert drawn["nodes"] == drawn["possible"] == len(ids)
    report = label_report(visit)
    assert report.labels() >= SEED_SPEAKERS, "the five seed speakers are visible labelled nodes"
    assert len(report.boxes) >= 0.8 * len(ids), "most nodes are labelled at the default view"
    assert report.share < 0.05, f"{len(report.overlapping)} of {len(report.boxes)} labels overlap"
    assert min(b["font"] for b in report.boxes) >= 7.5, "no label is drawn too small to read"
    assert view_fits_drawn_nodes(visit) > 0.6
    screenshot(browser, "seeds-graph.png")


def test_clicking_a_speaker_lists_all_their_quotes_with_sources(browser, seed_build):
    store = KgStore(seed_build, read_only=True)
    theirs = read_page_data(store, speaker="Qin Gang")
    visit = open_page(browser, seed_build / "graph.html")
    click_node(visit, node_id(visit, "Qin Gang"))
    items = panel_items(visit)
    title = visit.js("return document.getElementById('panel-title').textContent;")
    assert title == "Qin Gang", title
    assert {i["id"] for i in items} == {q.id for q in theirs.quotes}
    assert len(items) == len(theirs.quotes) >= 10
    for item in items:
        record = next(q for q in theirs.quotes if q.id == item["id"])
        source = theirs.articles[record.article]
        assert source.doc in item["text"] and source.date in item["text"]
        assert " ".join(record.text.split())[:40] in " ".join(item["text"].split())
    dates = [
        theirs.articles[next(q for q in theirs.quotes if q.id == i["id"]).article].date
        for i in items
    ]
    dated = [d for d in dates if d]
    assert dated == sorted(dated) and dates == dated + [""] * (len(dates) - len(dated)), (
        "sorted by date, undated last"
    )
    assert visit.js("return document.getElementById('panel-title').textContent;") == "Qin Gang"
    visit.js(
        "const f = document.getElementById('panel-filter'); f.value = 'taiwan';"
        "f.dispatchEvent(new Event('input'));"
    )
    narrowed = panel_items(visit)
    assert 0 < len(narrowed) < len(items) and all("taiwan" in i["text"].lower() for i in narrowed)
    visit.js(
        "const f = document.getElementById('panel-filter'); f.value = '';"
        "f.dispatchEvent(new Event('input'));"
    )
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    canvas = browser.find_element(By.CSS_SELECTOR, "#net canvas")
    size = canvas.size
    ActionChains(browser).move_to_element_with_offset(
        canvas, 8 - size["width"] // 2, 8 - size["height"] // 2
    ).perform()  # the mouse leaves the node, and its tooltip goes
    time.sleep(0.3)
    screenshot(browser, "seeds-panel.png")
    if os.environ.get("KG_DOCS_SCREENSHOT"):
        shutil.copyfile(ARTIFACTS / "seeds-panel.png", ROOT / "docs" / "graph-page.png")
    offline_and_clean(visit)


def test_clicking_an_edge_lists_the_quotes_behind_it(browser, seed_build):
    visit = open_page(browser, seed_build / "graph.html")
    edge = visit.js("""
        const e = window.kgEdges.get().sort((a, b) => b.quotes - a.quotes)[0];
        window.kgNetwork.body.emitter.emit('click', {nodes: [], edges: [e.id]});
        return {id: e.id, quotes: e.quotes};""")
    wait_for(visit, "!document.querySelector('[data-kg-panel]').hidden")
    assert len(panel_items(visit)) == edge["quotes"] > 1
    summary = visit.js("return document.getElementById('panel-summary').textContent;")
    assert f"{edge['quotes']} quotes" in summary


def test_filters_refit_the_view(browser, seed_build):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    visit = open_page(browser, seed_build / "graph.html")
    total = visit.js("return window.kg.shown().length;")
    visit.js("window.kgNetwork.moveTo({position: {x: 5000, y: 5000}, scale: 3});")  # wander off
    search = browser.find_element(By.ID, "speaker-search")
    search.send_keys("joe")
    wait_for(visit, "document.querySelectorAll('#speaker-options [role=option]').length > 0")
    first = visit.js("return document.querySelector('#speaker-options [role=option]').textContent;")
    assert first.startswith("Joe Biden")
    search.send_keys(Keys.ENTER)
    shown = visit.js("return window.kg.shown().length;")
    assert 0 < shown < total
    labels = visit.js("return window.kgNodes.get().map(n => n.label);")
    assert "Joe Biden" in labels and "Qin Gang" not in labels
    # every node inside the canvas again (the view wandered off), spread over it; a view of
    # a few nodes with long topic labels ("Espionage and intelligence") spans less of it
    assert view_fits_drawn_nodes(visit) > 0.3, "the view fits what the filter left"
    assert len(panel_items(visit)) == shown, "picking a speaker lists their quotes"
    visit.js("document.getElementById('reset').click();")
    visit.js("window.kgNetwork.moveTo({position: {x: -4000, y: 0}, scale: 0.05});")
    visit.js("""const t = document.getElementById('topic');
        t.value = [...t.options].find(o => o.text.startsWith('International relations')).value;
        t.dispatchEvent(new Event('input'));""")
    assert 0 < visit.js("return window.kg.shown().length;") < total
    assert view_fits_drawn_nodes(visit) > 0.4
    visit.js("""document.getElementById('reset').click();
        const f = document.getElementById('from'); f.value = '2023-06-19'; f.dispatchEvent(new Event('input'));""")
    dated = visit.js("return window.kg.shown().length;")
    assert 0 < dated < total
    assert view_fits_drawn_nodes(visit) > 0.4
    offline_and_clean(visit)


def test_speaker_search_suggests_close_names(browser, seed_build):
    from selenium.webdriver.common.by import By

    visit = open_page(browser, seed_build / "graph.html")
    search = browser.find_element(By.ID, "speaker-search")
    search.send_keys("blinkin")
    wait_for(visit, "!document.getElementById('speaker-options').hidden")
    text = visit.js("return document.getElementById('speaker-options').textContent;")
    assert "did you mean" in text and "Antony Blinken" in text
    search.clear()
    search.send_keys("BIDEN")  # an alternate name, any case
    wait_for(visit, "document.querySelectorAll('#speaker-options [role=option]').length > 0")
    options = visit.js(
        "return [...document.querySelectorAll('#speaker-options [role=option]')].map(o => o.textContent);"
    )
    assert options[0].startswith("Joe Biden")


def test_unnamed_sources_fold_and_can_be_kept_apart(browser, seed_build):
    visit = open_page(browser, seed_build / "graph.html")
    folded = visit.js("return window.kgNodes.getIds().filter(i => i.startsWith('u:'));")
    assert folded, "generic sources fold into an 'unnamed sources' node"
    labels = visit.js("return window.kgNodes.get().map(n => n.label);")
    assert not {"people", "A senior US official"} & set(labels)
    visit.js("document.getElementById('apart').click();")
    labels = visit.js("return window.kgNodes.get().map(n => n.label);")
    assert "A senior US official" in labels
    assert not visit.js("return window.kgNodes.getIds().filter(i => i.startsWith('u:'));")


def test_quote_view_shows_quotations_and_articles(browser, seed_build, tmp_path):
    total = len(read_page_data(KgStore(seed_build, read_only=True)).quotes)
    visit = open_page(browser, seed_build / "graph.html")
    visit.js("document.getElementById('view-quotes').click();")
    ids = visit.js("return window.kgNodes.getIds();")
    assert len([i for i in ids if i[0] == "q"]) == total and [i for i in ids if i[0] == "d"]
    page = tmp_path / "quotes.html"
    kg("html", "--store", str(seed_build), "-o", str(page), "--view", "quotes")
    visit = open_page(browser, page)
    assert visit.js("return document.getElementById('view-quotes').checked;")
    assert len([i for i in visit.js("return window.kgNodes.getIds();") if i[0] == "q"]) == total
    offline_and_clean(visit)


def test_quote_list_sorts_pages_and_downloads_what_it_shows(browser, seed_build, tmp_path):
    total = len(read_page_data(KgStore(seed_build, read_only=True)).quotes)
    visit = open_page(browser, seed_build / "graph.html")
    visit.js("document.getElementById('tab-list').click();")
    rows = visit.js(
        "return document.querySelectorAll('[data-kg-list] tbody [data-kg-quote]').length;"
    )
    assert rows == min(total, 100)
    visit.js("document.querySelector('th[data-sort=speaker] button').click();")
    speakers = visit.js(
        "return [...document.querySelectorAll('[data-kg-list] tbody tr')].map(r => r.children[1].textContent);"
    )
    assert speakers == sorted(speakers, key=str.casefold)
    visit.js("""const s = document.getElementById('kind'); s.value = 'direct';
        s.dispatchEvent(new Event('input'));""")
    shown = visit.js("return window.kg.shown().length;")
    assert 0 < shown < total
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    visit.js("document.getElementById('csv').click();")
    target = tmp_path / "kg-quotes.csv"
    deadline = time.perf_counter() + 10
    while not target.exists() and time.perf_counter() < deadline:
        time.sleep(0.1)
    records = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(records) == shown and {r["kind"] for r in records} == {"direct"}
    in_order = [r["speaker"] for r in records]
    assert in_order == sorted(in_order, key=str.casefold), "the CSV keeps the list's order"
    assert all(r["text"] in r["sentence"] for r in records)
    assert visit.js("return window.kg.csvCell('=cmd()');") == "'=cmd()"


def test_long_lists_page_instead_of_building_everything(browser, tmp_path):
    sentences = [f'Ann Lee said "point number {n} stands" today.' for n in range(120)]
    text = " ".join(sentences)
    info = ArticleInfo("f" * 16, "long.txt", "long.txt", len(text), date="2024-01-02", text=text)
    quotes = []
    for n in range(120):
        words = f"point number {n} stands"
        start = text.index(f'"{words}"') + 1
        quotes.append(
            Quote(
                "long.txt",
                info.id,
                start,
                start + len(words),
                words,
                "direct",
                Speaker("Ann Lee", "Ann Lee"),
            )
        )
    page = write_page(store_of([(info, quotes)]), tmp_path / "long.html")
    visit = open_page(browser, page)
    click_node(visit, node_id(visit, "Ann Lee"))
    assert len(panel_items(visit)) == 50
    assert "page 1 of 3" in visit.js("return document.getElementById('pager').textContent;")
    seen = {i["id"] for i in panel_items(visit)}
    for _ in range(2):
        visit.js("document.querySelector('#pager button:last-child').click();")
        seen |= {i["id"] for i in panel_items(visit)}
    assert len(panel_items(visit)) == 20 and len(seen) == 120
    offline_and_clean(visit)


def test_mentions_are_shown_apart_from_topics(browser, tmp_path):
    text = 'Lee said "the bridge opens in May" on Friday. Ode said "it will be late" later.'
    info = ArticleInfo("e" * 16, "m.txt", "m.txt", len(text), date="2024-05-01", text=text)
    q1_words, q2_words = "the bridge opens in May", "it will be late"
    q1 = Quote(
        "m.txt",
        info.id,
        text.index(q1_words),
        text.index(q1_words) + len(q1_words),
        q1_words,
        "direct",
        Speaker("Ann Lee", "Lee"),
        topics=[Topic("https://kg.example.org/topic/transport", "transport", 0.9)],
    )
    q2 = Quote(
        "m.txt",
        info.id,
        text.index(q2_words),
        text.index(q2_words) + len(q2_words),
        q2_words,
        "direct",
        Speaker("Ben Ode", "Ode"),
        topics=[Topic("https://kg.example.org/topic/transport", "transport", 0.9)],
    )
    store = store_of([(info, [q1, q2])])
    plain = write_page(store, tmp_path / "plain.html")
    visit = open_page(browser, plain)
    assert visit.js("return document.getElementById('mentions').disabled;")
    g = str(graph_iri(info.id))
    store.store.update(
        f"""INSERT DATA {{ GRAPH <{g}> {{
        <https://kg.example.org/quote/{q1.id}> <http://schema.org/mentions> <https://kg.example.org/agent/ben-ode> ,
            <https://kg.example.org/place/riverside> .
        <https://kg.example.org/place/riverside> a <http://schema.org/Place> ; <http://schema.org/name> "Riverside" .
        }} }}"""
    )
    page = write_page(store, tmp_path / "mentions.html")
    visit = open_page(browser, page)
    labels = set(visit.js("return window.kgNodes.get().map(n => n.label);"))
    assert "Riverside" not in labels and "transport" in labels, "topics only from schema:about"
    visit.js("document.getElementById('mentions').click();")
    labels = set(visit.js("return window.kgNodes.get().map(n => n.label);"))
    assert "Riverside" in labels
    kinds = visit.js(
        "return window.kgEdges.get().filter(e => e.kind === 'mentions').map(e => [e.from, e.to]);"
    )
    lee, ode = node_id(visit, "Ann Lee"), node_id(visit, "Ben Ode")
    assert [lee, ode] in kinds, "a mentioned speaker is the speaker's own node"
    click_node(visit, lee)
    assert "mentions: Ben Ode, Riverside" in panel_items(visit)[0]["text"] or (
        "mentions: Riverside, Ben Ode" in panel_items(visit)[0]["text"]
    )
    offline_and_clean(visit)


# (doc, date, outlet): dates and outlets in different orders; one undated, one with no outlet
SOURCES = [
    ("b.txt", "2024-03-05", "Valley Tribune"),
    ("a.txt", "2024-03-01", "Zenith Radio"),
    ("c.txt", "", "Harbour Gazette"),
    ("d.txt", "2024-03-03", ""),
]


def sourced_store() -> KgStore:
    """Four articles, one quote each by Ann Lee, the first with a cue, a relay and an addressee."""
    articles = []
    for n, (doc, date, outlet) in enumerate(SOURCES):
        words = f"the ferry timetable changes in week {n + 2}"
        text = f'Ann Lee told the harbour board "{words}" on Friday. Nobody objected.'
        info = ArticleInfo(
            f"{n + 0xA0:016x}",
            doc,
            doc,
            len(text),
            f"Ferry news {n}",
            None,
            date or None,
            outlet or None,
            text,
        )
        start = text.index(words)
        quote = Quote(
            doc,
            info.id,
            start,
            start + len(words),
            words,
            "direct",
            Speaker("Ann Lee", "Ann Lee"),
            cue="told",
            via="Radio North" if n == 0 else None,
            addressee="the harbour board" if n == 0 else None,
        )
        articles.append((info, [quote]))
    return store_of(articles)


def test_the_panel_shows_cue_relay_addressee_and_outlet(browser, tmp_path):
    visit = open_page(browser, write_page(sourced_store(), tmp_path / "sourced.html"))
    click_node(visit, node_id(visit, "Ann Lee"))
    items = panel_items(visit)
    assert len(items) == 4
    first = next(i["text"] for i in items if "week 2" in i["text"])
    for shown in (
        "cue “told”",
        "via Radio North",
        "to the harbour board",
        "Valley Tribune",
        "2024-03-05",
        "Ferry news 0",
        "the ferry timetable changes in week 2",
    ):
        assert shown in first, (shown, first)
    others = [i["text"] for i in items if "week 2" not in i["text"]]
    assert not any("via Radio North" in t or "to the harbour board" in t for t in others)
    assert "undated" in next(t for t in others if "week 4" in t)
    offline_and_clean(visit)


def test_the_quote_list_and_panel_sort_by_date_and_by_outlet(browser, tmp_path):
    visit = open_page(browser, write_page(sourced_store(), tmp_path / "sorted.html"))

    def column(n: int) -> list[str]:
        return visit.js(
            "return [...document.querySelectorAll('[data-kg-list] tbody tr')]"
            f".map(r => r.children[{n}].textContent);"
        )

    def click(header: str) -> None:
        visit.js(f"document.querySelector('th[data-sort={header}] button').click();")

    def aria(header: str) -> str:
        return visit.js(
            f"return document.querySelector('th[data-sort={header}]').getAttribute('aria-sort');"
        )

    visit.js("document.getElementById('tab-list').click();")
    assert column(0) == ["2024-03-01", "2024-03-03", "2024-03-05", ""], "oldest first, undated last"
    click("date")
    assert column(0) == ["2024-03-05", "2024-03-03", "2024-03-01", ""], "newest first, undated last"
    assert aria("date") == "descending"
    click("outlet")
    assert column(7) == ["Harbour Gazette", "Valley Tribune", "Zenith Radio", ""]
    assert aria("outlet") == "ascending" and aria("date") == "none"
    click("outlet")
    assert column(7) == ["", "Zenith Radio", "Valley Tribune", "Harbour Gazette"]
    assert aria("outlet") == "descending"
    # the panel's order box does the same for one speaker's quotes
    visit.js("document.getElementById('tab-graph').click();")
    click_node(visit, node_id(visit, "Ann Lee"))

    def panel_weeks(order: str) -> list[str]:
        visit.js(
            f"const s = document.getElementById('panel-sort'); s.value = '{order}';"
            "s.dispatchEvent(new Event('change'));"
        )
        return [i["text"].split("week ")[1][0] for i in panel_items(visit)]

    assert panel_weeks("date") == ["3", "5", "2", "4"]
    assert panel_weeks("-date") == ["2", "5", "3", "4"]
    assert panel_weeks("outlet") == ["4", "2", "3", "5"]
    offline_and_clean(visit)


# -- hostile input ------------------------------------------------------------------------------
def test_markup_in_quotes_names_titles_and_links_runs_nothing(browser, tmp_path):

    records = []
    for n, payload in enumerate(PAYLOADS):
        records.append(
            {
                "text": f'Jane Roe said: "{payload} is what they wrote." The end.\n\n'
                f'"We will publish the letter," said Max {n} Moe {payload}.',
                "title": f"{payload} headline",
                "url": "javascript:window.__xss = 9" if n % 2 else "https://news.example/a?b=<i>",
                "outlet": f"{payload} Gazette",
                "date": "2024-02-0" + str(n + 1),
            }
        )
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "evil.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records), encoding="utf-8"
    )
    kg("build", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet")
    visit = open_page(browser, tmp_path / "out" / "graph.html")
    assert visit.js("return window.__xss;") is None
    click_node(visit, node_id(visit, "Jane Roe"))
    panel = visit.js("return document.querySelector('[data-kg-panel]').textContent;")
    assert "<script>window.__xss = 1</script>" in panel, "markup in a quote shows as text"
    assert "headline" in panel and "Gazette" in panel
    links = visit.js(
        "return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));"
    )
    assert links and all(h.startswith("https://") for h in links), links
    visit.js("document.getElementById('tab-list').click();")
    listed = visit.js("return document.querySelector('[data-kg-list]').textContent;")
    assert "<img src=x" in listed
    assert (
        visit.js(
            "return document.querySelectorAll('body img, body svg, body iframe, [onerror], [onload]').length;"
        )
        == 0
    )
    assert visit.js("return document.querySelectorAll('script').length;") == 3
    assert visit.js("return window.__xss;") is None
    offline_and_clean(visit)
    screenshot(browser, "xss-graph.png")


def test_markup_in_names_and_labels_stays_plain_text_in_titles(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    articles = []
    for n, payload in enumerate(PAYLOADS):
        words = f"{payload} said so"
        text = f'Intro {n}. Someone said "{words}" today.'
        info = ArticleInfo(
            f"{n + 1:016x}",
            f"x{n}.txt",
            f"x{n}.txt",
            len(text),
            f"{payload} title",
            "javascript:window.__xss = 7",
            "2024-01-01",
            f"{payload} outlet",
            text,
        )
        start = text.index(words)
        quote = Quote(
            info.doc,
            info.id,
            start,
            start + len(words),
            words,
            "direct",
            Speaker(f"{payload} Speaker", payload),
            cue=payload,
            topics=[Topic("https://kg.example.org/topic/payload", f"{payload} topic", 0.5)],
            addressee=f"{payload} Audience",
            via=f"{payload} News",
        )
        articles.append((info, [quote]))
    visit = open_page(browser, write_page(store_of(articles), tmp_path / "names.html"))
    titles = visit.js("return window.kgNodes.get().concat(window.kgEdges.get()).map(n => n.title);")
    assert all(isinstance(t, str) for t in titles), "titles are strings, shown as plain text"
    assert any("<script>window.__xss = 1</script> Speaker" in t for t in titles)
    canvas = browser.find_element(By.CSS_SELECTOR, "#net canvas")
    size = canvas.size
    tips = []
    for key in visit.js("return window.kgNodes.getIds();"):  # hover every node: its tooltip
        point = visit.js(
            f"return window.kgNetwork.canvasToDOM(window.kgNetwork.getPositions(['{key}'])['{key}']);"
        )
        ActionChains(browser).move_to_element_with_offset(
            canvas, int(point["x"] - size["width"] / 2), int(point["y"] - size["height"] / 2)
        ).perform()
        time.sleep(0.25)
        tips.append(
            visit.js(
                "const t = document.querySelector('.vis-tooltip');"
                "return t && t.style.visibility !== 'hidden' ? t.textContent : '';"
            )
        )
    assert any("<img src=x onerror" in t for t in tips), "a tooltip showed a hostile name as text"
    assert visit.js("return document.querySelectorAll('.vis-tooltip *:not(br)').length;") == 0
    click_node(visit, visit.js("return window.kgNodes.getIds().find(i => i.startsWith('a'));"))
    visit.js("document.getElementById('tab-list').click();")
    assert "<svg onload" in visit.js("return document.querySelector('[data-kg-list]').textContent;")
    assert visit.js("return document.querySelectorAll('a[href]').length;") == 0
    assert (
        visit.js(
            "return document.querySelectorAll('body img, body svg, body iframe, [onerror], [onload]').length;"
        )
        == 0
    )
    assert visit.js("return window.__xss;") is None
    offline_and_clean(visit)


def test_max_nodes_draws_the_most_quoted_and_says_so(browser, seed_build, tmp_path):
    page = tmp_path / "ten.html"
    kg("html", "--store", str(seed_build), "-o", str(page), "--max-nodes", "10")
    visit = open_page(browser, page)
    drawn = visit.js("return window.kg.drawn();")
    assert drawn["nodes"] == 10 < drawn["possible"]
    counts = visit.js("return document.getElementById('counts').textContent;")
    assert f"the 10 most quoted of {drawn['possible']} nodes (--max-nodes 10)" in counts
    labels = set(visit.js("return window.kgNodes.get().map(n => n.label);"))
    assert {"Qin Gang", "Joe Biden"} <= labels and "Wang Yi" not in labels
    data = read_page_data(KgStore(seed_build, read_only=True))
    total = len(data.quotes)
    assert visit.js("return window.kg.shown().length;") == total, "every quote stays in the list"
    # an undrawn speaker whose quotes reach several topics: a neighbourhood worth fitting
    reach: dict[str, set[str]] = {}
    for q in data.quotes:
        reach.setdefault(data.agents[q.speaker].name, set()).update(q.topics)
    hidden = max((n for n in reach if n not in labels), key=lambda n: (len(reach[n]), n))
    assert len(reach[hidden]) >= 2
    visit.js(f"window.kg.pickSpeaker(window.kg.speakerIndex({json.dumps(hidden)}));")
    assert hidden in set(visit.js("return window.kgNodes.get().map(n => n.label);"))
    assert view_fits_drawn_nodes(visit) > 0.3
    offline_and_clean(visit)


def test_dashed_links_are_solid_while_a_dash_would_be_under_two_pixels(browser, tmp_path):
    """Zoomed far out, a dash pattern in canvas units cuts each line into sub-pixel pieces
    (slow to draw, invisible): links are dashed only where a dash spans two pixels, and
    zooming in brings the dashes back."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
    from selenium.webdriver.common.by import By

    from bench.html_load import synthetic_page_data
    from kg.outputs.html import page_model, render_page

    page = tmp_path / "graph.html"
    page.write_text(render_page(page_model(synthetic_page_data(2400, 600), 600)), "utf-8")
    visit = open_page(browser, page)
    read = """const s = window.kgNetwork.getScale(), out = {};
        for (const e of window.kgEdges.get()) {
          const k = e.kind + ":" + JSON.stringify(e.dashes); out[k] = (out[k] || 0) + 1; }
        return {scale: s, kinds: out};"""
    far = visit.js(read)
    assert far["scale"] < 0.4, "the fitted view of 600 speakers is zoomed far out"
    dashed_kinds = {"addressed", "relayed"}
    drawn = {k.split(":")[0] for k in far["kinds"]}
    assert dashed_kinds <= drawn, far
    assert all(k.endswith(":false") for k in far["kinds"]), far
    canvas = browser.find_element(By.CSS_SELECTOR, "#net canvas")
    for _ in range(40):
        ActionChains(browser).scroll_from_origin(
            ScrollOrigin.from_element(canvas), 0, -400
        ).perform()
        if visit.js("return window.kgNetwork.getScale();") >= 1:
            break
    wait_for(visit, "window.kgEdges.get().some(e => e.dashes)")
    near = visit.js(read)
    assert near["scale"] >= 1, near
    assert near["kinds"].get("addressed:true") and near["kinds"].get("relayed:[2,4]"), near
    assert near["kinds"].get("about:false"), "a solid kind stays solid"
    offline_and_clean(visit)


@pytest.mark.slow
def test_load_benchmark_runs_and_reports_time_to_interactive(browser):
    import re
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "bench.html_load", "--quotes", "2400", "--speakers", "600"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=True,
    )
    out = done.stdout
    seconds = float(re.search(r"interactive after ([\d.]+) s", out).group(1))
    assert 0 < seconds < 30, out
    share = float(re.search(r"overlapping \(([\d.]+)%\)", out).group(1))
    assert share < 5, out
    assert "requests attempted: 0, console errors: 0" in out


# -- 50,000 quotes ------------------------------------------------------------------------------
def test_the_synthetic_page_data_is_what_the_store_gives():
    """The 50,000-quote test below skips the store (too slow to fill in CI); on a small
    corpus, the data it makes directly equals what the store's reader returns."""
    import dataclasses

    from bench.html_load import synthetic_page_data, synthetic_store

    def topics_as_sets(data):  # the store's reader keeps SPARQL's (open) row order
        quotes = tuple(dataclasses.replace(q, topics=tuple(sorted(q.topics))) for q in data.quotes)
        return dataclasses.replace(data, quotes=quotes)

    direct = synthetic_page_data(1200, 300)
    assert len(direct.quotes) == 1200 and any(q.via for q in direct.quotes)
    assert topics_as_sets(direct) == topics_as_sets(read_page_data(synthetic_store(1200, 300)))


@pytest.mark.slow
def test_the_50000_quote_page_is_interactive_in_under_3_s(tmp_path):
    """Issue 16's target on a 2-core machine, asserted on the real page of 50,004 quotes.

    The page is opened in a fresh headless Chromium up to three times and the fastest
    cold open counts: a shared machine's other work only ever slows a run down, so the
    fastest of three is the page's own cost (measured on a quiet 2-core machine: 2.1 s;
    under five other engineers' load: 3.5-3.7 s, which fails, as it should there).
    """
    if reason := chromium_missing():
        pytest.skip(reason)
    from bench.html_load import synthetic_page_data
    from kg.outputs.html import drawn_summary, page_model, render_page

    model = page_model(synthetic_page_data(50_000, 3000), 2000)
    drawn, possible = drawn_summary(model)
    assert drawn == 2000 < possible, "the speaker view draws --max-nodes of a bigger graph"
    page = tmp_path / "graph.html"
    page.write_text(render_page(model), encoding="utf-8")
    runs = []
    for _ in range(3):
        driver = start_chromium()
        try:
            visit = open_page(driver, page, timeout=60)
            offline_and_clean(visit)
            assert visit.js("return window.kg.drawn().nodes;") == 2000
            timings = visit.js("return window.kg.timings;")
        finally:
            driver.quit()
        runs.append(visit.seconds_to_ready)
        if visit.seconds_to_ready < 3:
            break
    steps = {k: round(v - timings["start"]) for k, v in timings.items()}
    assert min(runs) < 3, (
        f"interactive after {', '.join(f'{s:.2f}' for s in runs)} s; in the page (ms from "
        f"start): {steps}; load average {os.getloadavg()}"
    )
