"""graph.html in a real browser: headless Chromium, networking off, the page read back.

Skipped, with the reason, where Chromium or its driver is not installed. Screenshots go
to test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import pytest

from bench.browser import chromium_missing, open_page, start_chromium
from kg.outputs.graph import project
from kg.rdf.store import KgStore

from .conftest import ROOT, kg

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"
PAYLOADS = [
    "<script>window.__xss = 1</script>",
    '<img src=x onerror="window.__xss = 2">',
    "</title><script>window.__xss = 3</script>",
    "javascript:window.__xss = 4",
    '</script><svg onload="window.__xss = 5">',
]


@pytest.fixture(scope="module")
def browser():
    if reason := chromium_missing():
        pytest.skip(reason)
    driver = start_chromium()
    yield driver
    driver.quit()


def test_seed_page_draws_every_node_offline_with_no_errors(browser, seed_build):
    visit = open_page(browser, seed_build / "graph.html")
    assert visit.requests == [], "the page tried to load something from outside itself"
    assert visit.console_errors == []
    expected = project(KgStore(seed_build, read_only=True)).number_of_nodes()
    assert visit.js("return window.kgNodes.length;") == expected
    assert visit.js("return Object.keys(window.kgNetwork.getPositions()).length;") == expected
    assert visit.js("return document.querySelector('#net canvas').width;") > 0
    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "seeds-graph.png"))


def test_filters_narrow_the_quotes_shown(browser, seed_build):
    visit = open_page(browser, seed_build / "graph.html")
    total = visit.js("return window.kgNodes.get({filter: n => n.group === 'quote'}).length;")
    shown = visit.js("""
        const s = document.getElementById('speaker');
        s.value = 'Joe Biden'; s.dispatchEvent(new Event('input'));
        return parseInt(document.getElementById('counts').textContent);""")
    assert 0 < shown < total
    visible_speakers = visit.js("""
        return window.kgNetwork.body.data.nodes.get({filter: n => n.group === 'speaker'}).map(n => n.label);""")
    assert "Joe Biden" in visible_speakers and "Qin Gang" not in visible_speakers


def test_markup_in_quotes_and_names_runs_nothing(browser, tmp_path):
    lines = [f'Jane Roe said: "{p} is what they wrote."' for p in PAYLOADS]
    lines.append('"We will publish the letter," said <b>Max Moe</b>.')
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "evil.txt").write_text("\n\n".join(lines), encoding="utf-8")
    kg("build", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet")
    page = tmp_path / "out" / "graph.html"
    visit = open_page(browser, page)
    assert visit.js("return window.__xss;") is None
    assert visit.requests == [] and visit.console_errors == []
    shown = visit.js("""
        const quote = window.kgNodes.get({filter: n => n.group === 'quote' && n.tip.includes('<script>')})[0];
        window.kgNetwork.selectNodes([quote.id]);
        window.kgNetwork.body.emitter.emit('click', {nodes: [quote.id], edges: []});
        return document.getElementById('detail').textContent;""")
    assert "<script>" in shown, "the selected quote's markup should show as text"
    tips = visit.js("return window.kgNodes.get().map(n => n.tip).join('\\n');")
    assert "<script>" in tips and "onerror" in tips
    assert (
        visit.js("return document.querySelectorAll('#side img, #side script, #side svg').length;")
        == 0
    )
    assert visit.js("return window.__xss;") is None
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "xss-graph.png"))
