"""The coordinator's memory does not grow with the corpus (issue 18).

The map step's records are spilled to disk as they arrive and read back a partition at a
time; the reduce keeps one small record per quote while it runs (allowed: it needs every
quote's words) and nothing per article after it; graph.html holds at most `page_quotes`
quotes. These tests measure the Python heap (tracemalloc) of a synthetic corpus at two
sizes, with the cheap stand-in extractor of `bench.build_scale`, and bound the growth per
article. Before the spill, the coordinator held about 4.8 KB per article after the map
step and 6.2 KB after the reduce (measured with this same corpus).
"""

from __future__ import annotations

import errno
import json
import re
import subprocess
import sys

import pytest

from bench.build_scale import heap_per_stage, stand_in_extractor, write_articles
from kg.build import MapOptions, build
from kg.errors import KgError
from kg.outputs.pagedata import QUOTES_PER_SPEAKER, most_quoted, read_page_data
from kg.rdf.store import KgStore

SMALL, LARGE = 200, 1000
# bytes per article the coordinator may gain (measured: ~25 after the map step, ~400
# after the reduce and during the outputs: name caches and merges, which grow with the
# people, not the articles)
AFTER_MAP = 500
AFTER_REDUCE = 1500
DURING_OUTPUTS = 1500
# bytes per quote while the reduce runs, its caches of names and words included
# (measured: ~600 at 1,000 articles; ~2,400 when it held a record per quote)
REDUCE_PEAK = 1500
# bytes the reduce's peak grows by per quote of a larger corpus (see below)
REDUCE_GROWTH = 600


def _held(tmp_path, count: int) -> dict:
    folder = tmp_path / f"in-{count}"
    write_articles(folder, count)
    held = heap_per_stage(folder, tmp_path)
    assert held["articles"] == count and held["quotes"] > count
    return held


def test_the_coordinator_holds_no_record_per_article(tmp_path):
    small, large = _held(tmp_path, SMALL), _held(tmp_path, LARGE)
    per_article = {k: (large[k] - small[k]) / (LARGE - SMALL) for k in ("map", "reduce", "outputs")}
    assert per_article["map"] < AFTER_MAP, per_article
    assert per_article["reduce"] < AFTER_REDUCE, per_article
    assert per_article["outputs"] < DURING_OUTPUTS, per_article
    assert large["reduce_per_quote"] < REDUCE_PEAK, large


def test_the_page_of_a_build_holds_the_most_quoted_speakers_whole(tmp_path):
    folder = tmp_path / "in"
    write_articles(folder, 40)
    out = tmp_path / "out"
    result = build([str(folder)], out, MapOptions(), extractor=stand_in_extractor, page_quotes=25)
    store = KgStore(out, read_only=True)
    counts = {row["speaker"].value: int(row["n"].value) for row in store.query(QUOTES_PER_SPEAKER)}
    assert sum(counts.values()) == result.reduced.quotes > 25
    page = (out / "graph.html").read_text("utf-8")
    model = json.loads(re.search(r'id="kg-data">(.*?)</script>', page, re.S).group(1))
    shown = read_page_data(store, max_quotes=25)
    assert result.page_cut == (len(model["quotes"]), sum(counts.values()))
    assert len(model["quotes"]) == len(shown.quotes) <= 25
    on_page = {q.speaker for q in shown.quotes}
    assert on_page == most_quoted(counts, 25)
    for speaker in on_page:  # each speaker whole: the page's counts are the store's
        assert sum(q.speaker == speaker for q in shown.quotes) == counts[speaker]
    assert {a.iri for a in shown.articles.values()} == {q.article for q in shown.quotes}
    assert len(read_page_data(store).quotes) == sum(counts.values())  # no cap: everything


def test_a_full_disk_while_spilling_is_a_clear_error_naming_the_folder(tmp_path, monkeypatch):
    import kg.spill
    from kg.spill import Spill

    def full_disk(fd, data, offset):
        raise OSError(errno.ENOSPC, "No space left on device")

    spill = Spill(tmp_path)
    spill.put(0, ["kept"])
    monkeypatch.setattr(kg.spill.os, "pwrite", full_disk)
    with pytest.raises(KgError, match=f"{tmp_path}: cannot keep the build's records on disk"):
        spill.put(1, ["lost"])
    monkeypatch.undo()
    assert 1 not in spill and len(spill) == 1 and spill.get(0) == ["kept"]
    spill.put(1, ["then kept"])  # the failed value took no room
    assert spill.get(1) == ["then kept"] and spill.bytes == spill._where[1][0] + spill._where[1][1]
    spill.close()


def _reduce_peak(quotes: int) -> int:
    """The traced heap the reduce step adds at its peak over `quotes` synthetic quotes held
    by the caller (as the spill would hand them over), decisions discarded."""
    import gc
    import tracemalloc

    from bench.resolve_scale import Corpus
    from kg.resolve import reduce_corpus

    articles = Corpus(quotes, seed=3).articles()

    def read():
        return ((e.info.id, e.quotes.quotes, e.quotes.people) for e in articles)

    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        state = reduce_corpus(read)
        for article, article_quotes, people in read():
            state.decide(article, article_quotes, people)
        state.resolution()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def test_the_reduce_holds_a_few_integers_per_quote():
    # the reduce keeps per quote its speaker, article, offsets and word ids in arrays
    # (measured: ~150 B per quote more at the peak, name caches included); when it held
    # a record and a word set per quote, it took ~2 KB
    small, large = 5_000, 25_000
    per_quote = (_reduce_peak(large) - _reduce_peak(small)) / (large - small)
    assert per_quote < REDUCE_GROWTH, per_quote


def test_a_page_cut_to_its_most_quoted_speakers_reads_only_their_articles_texts(tmp_path):
    """Each text read is kept by the store's caches for the rest of the build: a page of
    some speakers looks up the texts of their articles, not of every article."""
    folder = tmp_path / "in"
    write_articles(folder, 60)
    out = tmp_path / "out"
    build([str(folder)], out, MapOptions(), extractor=stand_in_extractor, page_quotes=20)
    store = KgStore(out, read_only=True)
    looked_up: list[str] = []
    lookup = store.article_text
    store.article_text = lambda iri: looked_up.append(iri) or lookup(iri)
    shown = read_page_data(store, max_quotes=20)
    assert 0 < len(shown.articles) < 60
    assert sorted(looked_up) == sorted(shown.articles)
    assert any(q.before or q.after for q in shown.quotes)  # the sentences are still cut


def test_a_full_disk_while_gathering_graphs_to_load_is_a_clear_error_naming_the_folder(tmp_path):
    from kg.rdf.store import GraphBatch

    class FullDisk:
        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        def flush(self):  # what was buffered, written at last
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self):
            pass

    store = KgStore(None)
    batch = GraphBatch(tmp_path)
    batch.add("urn:g", "<urn:a> <urn:b> <urn:c> .\n")
    batch.file.close()
    batch.file = FullDisk()
    with pytest.raises(KgError, match=f"{tmp_path}: cannot gather graphs to load"):
        batch.add("urn:h", "<urn:a> <urn:b> <urn:c> .\n")
    with pytest.raises(KgError, match=f"{tmp_path}: cannot gather graphs to load"):
        store.add_batch(batch)
    assert len(store.store) == 0


_ARENAS = """
import ctypes, sys, threading
from kg.rdf.store import limit_malloc_arenas
if sys.argv[1] == "limit":
    assert limit_malloc_arenas(2)
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
together = threading.Barrier(8)
held = []
def allocate():
    held.append(libc.malloc(4096))
    together.wait()  # all eight alive at once, each with the heap glibc gave it
threads = [threading.Thread(target=allocate) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
libc.malloc_stats()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's heaps")
def test_a_build_lets_its_threads_share_two_heaps():
    """Eight threads alive at once get a glibc heap each, unless the build's limit holds
    (freed pages fragmented over many heaps cost the 100k-article build 44 MB)."""

    def heaps(mode: str) -> int:
        proc = subprocess.run(
            [sys.executable, "-c", _ARENAS, mode], capture_output=True, text=True, check=True
        )
        return sum(line.startswith("Arena ") for line in proc.stderr.splitlines())

    assert heaps("limit") == 2
    assert heaps("free") > 2


def test_the_reduce_lets_go_of_what_it_cached_per_name(tmp_path):
    """The caches the reduce's readings fill per distinct name (hundreds of thousands in
    an archive) are empty once it is done: the store pass and the outputs carry none."""
    from kg.build import collect, resolve
    from kg.names import skeleton
    from kg.resolve.people import parsed
    from kg.resolve.reduce import looks_like_name

    write_articles(tmp_path / "in", 300)
    collected = collect(
        [str(tmp_path / "in")],
        MapOptions(source_triples=False),
        extractor=stand_in_extractor,
        spill_dir=tmp_path,
    )
    try:
        reduced = resolve(collected)
    finally:
        collected.close()
    assert reduced.quotes > 300
    for cached in (looks_like_name, parsed, skeleton):
        assert cached.cache_info().currsize == 0, cached
