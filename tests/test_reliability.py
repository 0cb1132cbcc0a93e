"""Nothing lost: killed builds, concurrent builds and readers, limits and memory bounds."""

from __future__ import annotations

import json
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.synthetic import speaker_names
from kg.rdf.store import KgStore, manifest_path, published

from .conftest import ROOT, kg

TOPICS = ["bridge", "budget", "school", "rail line", "housing plan", "water tariff", "stadium"]


def news_article(i: int) -> str:
    """A short generated news story with a direct, an indirect and a pronoun-cued quote."""
    names = speaker_names(60)
    mayor, critic = names[i % 60], names[(i * 7 + 3) % 60]
    topic = TOPICS[i % len(TOPICS)]
    return (
        f"date 2024-{1 + i % 12:02d}-{1 + i % 28:02d}\n"
        f"Mayor {mayor} said on Monday that the {topic} would cost {i + 3} million dollars.\n\n"
        f"“We will finish the {topic} before the winter of {2025 + i % 5},” {mayor.split()[1]} "
        f"told reporters.\n\n"
        f"Councillor {critic} warned that the {topic} was {i % 9 + 2} months late. "
        f"“Nobody has seen the contract,” she said.\n"
    )


def write_corpus(folder: Path, count: int, start: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + count):
        (folder / f"story-{i:05d}.txt").write_text(news_article(i), encoding="utf-8")
    return folder


def start_build(source: Path, out: Path, stderr=subprocess.DEVNULL) -> subprocess.Popen:
    """`kg build SOURCE --out OUT` in the background."""
    return subprocess.Popen(
        [sys.executable, "-m", "kg", "build", str(source), "--out", str(out), "--quiet"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        text=True,
    )


def graph_quote_counts(out: Path) -> dict[str, int]:
    store = KgStore(out, read_only=True)
    rows = store.query(
        "SELECT ?g (COUNT(DISTINCT ?q) AS ?n) WHERE { GRAPH ?g { ?q a schema:Quotation } } GROUP BY ?g"
    )
    return {r["g"].value: int(r["n"].value) for r in rows}


@pytest.fixture(scope="module")
def corpus_and_reference(tmp_path_factory):
    """150 generated articles, the graph of one uninterrupted build and its duration."""
    base = tmp_path_factory.mktemp("reliability")
    source = write_corpus(base / "in", 150)
    started = time.monotonic()
    kg("build", str(source), "--out", str(base / "reference"), "--quiet")
    return source, base / "reference", time.monotonic() - started


def test_killed_builds_resume_to_the_uninterrupted_graph(corpus_and_reference, tmp_path):
    """SIGKILL once while extracting, then at random moments after the build starts
    writing its new store generation; a final run must give the uninterrupted graph."""
    source, reference, seconds = corpus_and_reference
    expected = KgStore(reference, read_only=True).sorted_ntriples()
    out = tmp_path / "out"
    rng = random.Random(11)
    kills_while_writing = attempts = 0
    while kills_while_writing < 3 and attempts < 8:
        attempts += 1
        generations = set(out.glob("store.*[0-9]")) if out.exists() else set()
        proc = start_build(source, out)
        if attempts == 1:
            time.sleep(0.3 * seconds)  # still extracting
        else:
            deadline = time.monotonic() + 2 * seconds
            while proc.poll() is None and time.monotonic() < deadline:
                if set(out.glob("store.*[0-9]")) - generations:
                    break  # the new generation exists: the build is writing
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 1.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills_while_writing += attempts > 1
        proc.wait()
        if (out / "report.json").exists():  # replaced atomically: whole or absent
            json.loads((out / "report.json").read_text(encoding="utf-8"))
        if (generation := published(out)) is not None:  # its manifest is never written again
            check = sqlite3.connect(manifest_path(generation))
            assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            check.close()
    assert kills_while_writing >= 1, "no kill landed while the store was written"
    kg("build", str(source), "--out", str(out), "--quiet")
    assert KgStore(out, read_only=True).sorted_ntriples() == expected


def test_readers_see_whole_articles_while_a_build_writes(corpus_and_reference, tmp_path):
    source, reference, _ = corpus_and_reference
    final = graph_quote_counts(reference)
    out = tmp_path / "out"
    proc = start_build(source, out, stderr=subprocess.PIPE)
    observations = 0
    try:
        while proc.poll() is None:
            if (out / "store").exists():
                try:
                    counts = graph_quote_counts(out)
                except Exception as exc:  # noqa: BLE001 - the store may not exist yet
                    if "no kg store" in str(exc):
                        continue
                    raise
                for graph, n in counts.items():
                    assert n == final[graph], f"{graph} seen half-written: {n} of {final[graph]}"
                observations += 1
            time.sleep(0.05)
    finally:
        proc.wait()
    assert proc.returncode == 0, proc.stderr.read()
    assert observations > 0
    assert graph_quote_counts(out) == final


def test_a_second_build_on_the_same_store_fails_fast_naming_the_pid(corpus_and_reference, tmp_path):
    source, _, _ = corpus_and_reference
    out = tmp_path / "out"
    first = start_build(source, out)
    try:
        deadline = time.monotonic() + 60
        while not (out / "store.lock").exists():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.5)
        second = kg("build", str(source), "--out", str(out), "--quiet", check=False)
        if first.poll() is None:
            assert second.returncode != 0
            assert f"store is in use by PID {first.pid}" in second.stderr
            assert "Traceback" not in second.stderr
    finally:
        first.wait()


def test_incremental_add_change_remove(tmp_path):
    folder = write_corpus(tmp_path / "in", 4)
    out = tmp_path / "out"
    kg("build", str(folder), "--out", str(out), "--quiet")

    def store_report() -> dict:
        return json.loads((out / "report.json").read_text())["store"]

    (folder / "story-00009.txt").write_text(news_article(9), encoding="utf-8")
    kg("build", str(folder), "--out", str(out), "--quiet")
    assert (store_report()["graphs_written"], store_report()["graphs_unchanged"]) == (1, 4)
    before = graph_quote_counts(out)

    changed = folder / "story-00001.txt"
    changed.write_text(changed.read_text("utf-8") + "\n“It is a scandal,” said Ann Lee.\n", "utf-8")
    kg("build", str(folder), "--out", str(out), "--quiet", "--prune")
    after = graph_quote_counts(out)
    # the article is its file: a changed text replaces its graph, under the same name
    assert store_report()["graphs_written"] == 1 and store_report()["graphs_removed"] == 0
    assert len(after) == 5 and sum(after.values()) == sum(before.values()) + 1
    assert set(after) == set(before)

    (folder / "story-00002.txt").unlink()
    kg("build", str(folder), "--out", str(out), "--quiet", "--prune")
    assert store_report()["graphs_removed"] == 1 and store_report()["graphs_written"] == 0
    assert len(graph_quote_counts(out)) == 4


def test_max_quotes_is_a_clear_limit(tmp_path):
    text = "\n\n".join(f"“Point number {n} is important,” said Ann Lee." for n in range(8))
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    result = kg(
        "build", str(tmp_path / "long.txt"), "--out", str(tmp_path / "out"), "--max-quotes", "3"
    )
    assert "long.txt: kept the first 3 of 8 quotes" in result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["quotes"] == 3 and report["limited"][0]["path"].endswith("long.txt")


def _peak_rss_mb(args: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(
        [sys.executable, "-m", "kg", *args], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak >= before
    return peak / 1024


def test_memory_stays_bounded_as_the_corpus_grows(tmp_path):
    """ru_maxrss of children is the largest child so far: measure the small build first."""
    small = write_corpus(tmp_path / "small", 200)
    large = write_corpus(tmp_path / "large", 2000)
    rss_small = _peak_rss_mb(["build", str(small), "--out", str(tmp_path / "o1"), "--quiet"])
    rss_large = _peak_rss_mb(["build", str(large), "--out", str(tmp_path / "o2"), "--quiet"])
    report = json.loads((tmp_path / "o2" / "report.json").read_text())
    assert report["articles_read"] == 2000 and report["quotes"] >= 4000
    print(f"peak RSS: 200 articles {rss_small:.0f} MB, 2,000 articles {rss_large:.0f} MB")
    assert rss_large < 1500, "a 2,000-article build must fit in a fixed bound"
    assert rss_large < 1.35 * rss_small, (
        "memory grows with the corpus: something holds every article"
    )
