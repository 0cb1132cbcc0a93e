"""The reduce in a process of its own (`kg.build.resolve_apart`): the same build as in
the coordinator, its errors told, and the memory it used given back when it ends."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from bench.build_scale import stand_in_extractor, write_articles
from kg.build import MapOptions, build, collect, reduce_step, resolve, resolved_articles
from kg.errors import KgError
from kg.rdf.store import published
from kg.resolve import AliasTable
from kg.spill import Spill


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """300 articles quoting 120 people under numbered spellings (merges), one file twice
    under another name (the same text), one twice in a second folder (the same source)."""
    folder = tmp_path_factory.mktemp("apart") / "in"
    write_articles(folder, 300, numbered=True)
    shutil.copy(folder / "0000" / "story-000007.txt", folder / "0000" / "story-copy.txt")
    return folder


def _build(corpus: Path, out: Path, apart: bool, aliases=None) -> tuple[dict, dict]:
    build(
        [str(corpus)],
        out,
        MapOptions(),
        extractor=stand_in_extractor,
        reduce_apart=apart,
        aliases=aliases,
    )
    report = json.loads((out / "report.json").read_text("utf-8"))
    return report, report.pop("timings")


def test_a_build_reduced_apart_is_the_build_reduced_in_the_coordinator(corpus, tmp_path):
    here, here_timings = _build(corpus, tmp_path / "here", apart=False)
    apart, apart_timings = _build(corpus, tmp_path / "apart", apart=True)
    assert apart == here
    # the reduce's own process says what it held at its peak
    assert 20 < apart_timings["reduce_process_peak_rss_mb"] < 1000
    assert "reduce_process_peak_rss_mb" not in here_timings
    assert here["people"] and here["same_text"]["groups"]  # merges and shared texts were made
    for name in ("graph.ttl", "quotes.jsonl"):
        assert (tmp_path / "apart" / name).read_bytes() == (tmp_path / "here" / name).read_bytes()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_the_peak_reported_is_the_reduce_process_own_not_its_parent(corpus):
    ballast = b"x" * (800 << 20)  # the coordinator holds 800 MB; the reduce does not
    collected = collect([str(corpus)], MapOptions(), extractor=stand_in_extractor)
    try:
        reduced = reduce_step(collected, AliasTable(), apart=True)
    finally:
        collected.close()
    assert len(ballast) and 20 < reduced.timings["reduce_process_peak_rss_mb"] < 500


def test_the_decisions_made_apart_are_read_back_from_the_spill(corpus, tmp_path):
    def quotes(apart: bool) -> list[tuple]:
        collected = collect([str(corpus)], MapOptions(), extractor=stand_in_extractor)
        try:
            reduced = reduce_step(collected, AliasTable(), apart=apart)
            assert reduced.skipped is collected.skipped
            return [
                (q.doc, q.start, q.speaker.name, q.statement)
                for article in resolved_articles(collected)
                for q in article.quotes
            ]
        finally:
            collected.close()

    assert quotes(apart=True) == quotes(apart=False)


class BrokenAliases(AliasTable):
    """An alias table that fails when the reduce reads it."""

    def lookup(self, name):
        raise ValueError("this alias table is broken")


def test_an_error_in_the_reduce_apart_is_raised_as_itself(corpus, tmp_path):
    with pytest.raises(ValueError, match="this alias table is broken"):
        _build(corpus, tmp_path / "out", apart=True, aliases=BrokenAliases())
    assert not (tmp_path / "out" / "graph.ttl").exists()


class DiesWhenRead:
    """What kills the process that unpickles it: a reduce process dying mid-way."""

    def __reduce__(self):
        return (os._exit, (3,))


def test_a_reduce_process_that_dies_is_a_clear_error_and_nothing_is_published(corpus, tmp_path):
    with pytest.raises(KgError, match="the reduce step's process ended before it finished"):
        _build(corpus, tmp_path / "out", apart=True, aliases=DiesWhenRead())
    assert not (tmp_path / "out" / "graph.ttl").exists()
    assert published(tmp_path / "out") is None
    assert not [p for p in (tmp_path / "out").glob("store.*") if p.is_dir()]  # no generation left


def test_a_big_spill_is_reduced_apart_and_a_small_one_here(monkeypatch, corpus):
    import kg.build

    seen = []
    monkeypatch.setattr(
        kg.build, "resolve_apart", lambda c, a: seen.append("apart") or resolve(c, a)
    )
    collected = collect([str(corpus)], MapOptions(), extractor=stand_in_extractor)
    try:
        monkeypatch.setattr(kg.build, "REDUCE_APART_BYTES", collected.spill.bytes + 1)
        reduce_step(collected)
        assert seen == []
        monkeypatch.setattr(kg.build, "REDUCE_APART_BYTES", collected.spill.bytes)
        reduce_step(collected)
        assert seen == ["apart"]
    finally:
        collected.close()


def test_a_spill_lent_to_another_process_gets_back_what_it_wrote(tmp_path):
    import multiprocessing

    spill = Spill(tmp_path)
    spill.put("kept", [1, 2])
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        added = pool.apply(_add_to_lent, (spill.lend(),))
    spill.take_back(added)
    assert spill.get("kept") == [1, 2] and spill.get("new") == {"from": "the borrower"}
    spill.put("after", "mine")  # written after the borrower's values, not over them
    assert spill.get("new") == {"from": "the borrower"} and spill.get("after") == "mine"
    assert len(spill) == 3
    spill.close()


def _add_to_lent(lent):
    borrowed = Spill.borrow(lent)
    assert borrowed.get("kept") == [1, 2]
    borrowed.put("new", {"from": "the borrower"})
    added = borrowed.give_back()
    borrowed.close()  # its own descriptor: the lender's file stays open
    return added
