"""The build at scale: the same graph from every engine, failures isolated, provenance kept."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kg.build import MapOptions, build, kg_extractor
from kg.rdf.store import KgStore

from .conftest import kg
from .test_reliability import news_article, write_corpus

FAILING_DOC = "story-00003.txt"


def failing_extractor(articles, options: MapOptions):
    """kg's extractor, except that one article raises (an injected fault)."""
    for article in articles:
        if article.doc == FAILING_DOC:
            raise RuntimeError(f"injected failure in {article.doc}")
    return kg_extractor(articles, options)


def sorted_nquads(out: Path) -> bytes:
    data = KgStore(out, read_only=True).dump_nquads()
    return b"\n".join(sorted(data.splitlines())) + b"\n"


def report_without_timings(out: Path) -> dict:
    report = json.loads((out / "report.json").read_text("utf-8"))
    report.pop("timings")
    return report


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("parallel")
    source = write_corpus(base / "in", 24)
    reference = base / "serial"
    kg("build", str(source), "--out", str(reference), "--workers", "1", "--quiet")
    return source, reference


@pytest.mark.parametrize("engine", [["--workers", "2"], ["--dask", "local", "--workers", "2"]])
def test_every_engine_gives_the_serial_graph_quotes_and_report(corpus, tmp_path, engine):
    source, reference = corpus
    out = tmp_path / "out"
    kg("build", str(source), "--out", str(out), "--quiet", *engine)
    assert sorted_nquads(out) == sorted_nquads(reference)
    assert (out / "quotes.jsonl").read_bytes() == (reference / "quotes.jsonl").read_bytes()
    assert report_without_timings(out) == report_without_timings(reference)
    timings = json.loads((out / "report.json").read_text("utf-8"))["timings"]
    assert timings["engine"] == ("dask" if "--dask" in engine else "processes")


def test_a_dask_worker_killed_mid_build_has_its_tasks_rerun(corpus, tmp_path):
    from dask.distributed import Client, LocalCluster

    source, reference = corpus
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
        host="127.0.0.1", silence_logs=50,
    )  # fmt: skip
    killed = threading.Event()
    try:
        with Client(cluster) as client:
            pids = list(client.run(os.getpid).values())

        def kill_once(item) -> None:
            if not killed.is_set():
                killed.set()
                os.kill(pids[0], signal.SIGKILL)

        result = build(
            [str(source)],
            tmp_path / "out",
            MapOptions(),
            dask=cluster.scheduler_address,
            workers=2,
            on_item=kill_once,
        )
    finally:
        cluster.close()
    assert killed.is_set() and result.failed == []
    assert sorted_nquads(tmp_path / "out") == sorted_nquads(reference)


@pytest.mark.parametrize(
    "engine", [{"workers": 1}, {"workers": 2}, {"dask": "local", "workers": 2}]
)
def test_an_article_that_fails_is_reported_and_the_batch_goes_on(corpus, tmp_path, engine):
    source, reference = corpus
    out = tmp_path / "out"
    result = build([str(source)], out, MapOptions(), extractor=failing_extractor, **engine)
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert [f["path"] for f in report["failed"]] == [FAILING_DOC]
    assert "injected failure" in report["failed"][0]["reason"]
    assert report["articles_read"] == 23 and result.reduced.articles == 23
    docs = {json.loads(line)["doc"] for line in (out / "quotes.jsonl").open(encoding="utf-8")}
    assert FAILING_DOC not in docs and len(docs) == 23


@pytest.mark.parametrize("shadow", ["", "raise SystemExit('the wrong kg')\n"])
def test_a_folder_named_kg_where_the_user_stands_does_not_kill_the_workers(
    corpus, tmp_path, shadow
):
    # a previous build's output, or a checkout, named "kg" in the current directory
    (tmp_path / "kg").mkdir()
    if shadow:
        (tmp_path / "kg" / "__init__.py").write_text(shadow)
    source, _ = corpus
    script = Path(sys.executable).parent / "kg"  # as users run it (`python -m` reads cwd first)
    run = subprocess.run(
        [str(script), "quotes", str(source), "--workers", "2", "--format", "jsonl"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        check=True,
    )
    assert "worker process died" not in run.stderr
    serial = kg("quotes", str(source), "--workers", "1", "--format", "jsonl")
    assert run.stdout == serial.stdout and run.stdout.strip()


def test_workers_zero_and_more_than_the_cores_get_clear_messages(tmp_path):
    source = write_corpus(tmp_path / "in", 2)
    zero = kg("build", str(source), "--out", str(tmp_path / "o"), "--workers", "0", check=False)
    assert zero.returncode == 2 and "--workers must be at least 1" in zero.stderr
    assert "Traceback" not in zero.stderr
    many = kg("quotes", str(source), "--workers", "64", "--format", "jsonl")
    assert "--workers 64 is more than the" in many.stderr and many.stdout.strip()


def test_crlf_offsets_are_file_slices_and_kg_text_prints_the_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        text = news_article(i).replace("\n", "\r\n")
        (folder / f"crlf-{i}.txt").write_bytes(text.encode("utf-8"))
    out = tmp_path / "out"
    kg("build", str(folder), "--out", str(out), "--quiet")
    records = [json.loads(line) for line in (out / "quotes.jsonl").open(encoding="utf-8")]
    assert len(records) >= 6
    for record in records:
        raw = (folder / record["doc"]).read_bytes().decode("utf-8")
        assert raw[record["start"] : record["end"]] == record["text"]
    printed = kg("text", "crlf-1.txt", "--store", str(out)).stdout.encode("utf-8")
    # text mode would turn CRLF into LF: compare the bytes kg wrote
    stored = kg_bytes("text", "crlf-1.txt", "--store", str(out))
    assert stored == (folder / "crlf-1.txt").read_bytes() and printed
    first = records[0]
    span = kg_bytes(
        "text", first["doc"], "--store", str(out), "--span", f"{first['start']}:{first['end']}"
    )
    assert span.decode("utf-8") == first["text"]


def kg_bytes(*args: str) -> bytes:
    import subprocess
    import sys

    from .conftest import ROOT

    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, cwd=ROOT, check=True, timeout=120
    ).stdout


def test_kg_text_names_close_documents_when_one_is_unknown(tmp_path):
    source = write_corpus(tmp_path / "in", 2)
    kg("build", str(source), "--out", str(tmp_path / "out"), "--quiet")
    missing = kg("text", "story-0001.txt", "--store", str(tmp_path / "out"), check=False)
    assert missing.returncode == 2 and "did you mean story-00001.txt" in missing.stderr


def test_identical_texts_are_two_articles_linked_and_counted(tmp_path):
    folder = tmp_path / "in"
    write_corpus(folder, 2)
    (folder / "wire").mkdir()
    (folder / "wire" / "story-00000.txt").write_text(news_article(0), encoding="utf-8")
    out = tmp_path / "out"
    kg("build", str(folder), "--out", str(out), "--quiet")
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["articles_read"] == 3
    assert report["same_text"] == {
        "articles": 2,
        "groups": [["story-00000.txt", "wire/story-00000.txt"]],
    }
    store = KgStore(out, read_only=True)
    rows = list(
        store.query(
            "SELECT ?a ?b WHERE { GRAPH ?g { ?x kg:sameTextAs ?y . ?x kg:docName ?a } "
            "GRAPH ?h { ?y kg:docName ?b } } ORDER BY ?a"
        )
    )
    assert [(r["a"].value, r["b"].value) for r in rows] == [
        ("story-00000.txt", "wire/story-00000.txt"),
        ("wire/story-00000.txt", "story-00000.txt"),
    ]
    docs = [json.loads(line)["doc"] for line in (out / "quotes.jsonl").open(encoding="utf-8")]
    assert docs.count("story-00000.txt") == docs.count("wire/story-00000.txt") > 0


def test_a_rebuild_that_links_a_new_copy_equals_a_fresh_build(tmp_path):
    """The original's graph changes only in what the cross-article step adds (its new
    kg:sameTextAs), while its stored text stays: the result equals a build from scratch."""
    folder = write_corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    kg("build", str(folder), "--out", str(out), "--quiet")
    (folder / "copy.txt").write_text(news_article(1), encoding="utf-8")
    kg("build", str(folder), "--out", str(out), "--quiet")
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["store"]["graphs_written"] == 2 and report["store"]["graphs_unchanged"] == 2
    fresh = tmp_path / "fresh"
    kg("build", str(folder), "--out", str(fresh), "--quiet")
    assert sorted_nquads(out) == sorted_nquads(fresh)


def test_the_out_folder_inside_the_inputs_is_never_read(tmp_path):
    folder = write_corpus(tmp_path / "in", 3)
    out = folder / "out"
    for _ in range(2):
        again = kg("build", str(folder), "--out", str(out))
        assert json.loads((out / "report.json").read_text("utf-8"))["articles_read"] == 3
    assert again.stderr.count("kg output folder") == 1
    elsewhere = kg("quotes", str(folder), "--format", "jsonl")
    docs = {json.loads(line)["doc"] for line in elsewhere.stdout.splitlines()}
    assert docs == {f"story-{i:05d}.txt" for i in range(3)}


def test_a_rebuild_warns_about_stored_articles_gone_from_the_inputs(tmp_path):
    folder = write_corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    kg("build", str(folder), "--out", str(out), "--quiet")
    (folder / "story-00001.txt").unlink()
    kept = kg("build", str(folder), "--out", str(out), "--quiet")
    assert "1 stored article(s) are no longer in the inputs" in kept.stderr
    assert json.loads((out / "report.json").read_text("utf-8"))["store"]["stale"] == 1
    pruned = kg("build", str(folder), "--out", str(out), "--quiet", "--prune")
    assert "no longer in the inputs" not in pruned.stderr


def test_quotes_carry_the_articles_provenance(tmp_path):
    records = [
        {
            "text": news_article(n),
            "url": f"https://news.example/{n}",
            "title": f"Story {n}",
            "outlet": "Harbour Times",
            "date": "4 March 2021",
        }
        for n in range(2)
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(map(json.dumps, records)), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps(records[1]), encoding="utf-8")
    out = tmp_path / "out"
    result = kg("build", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl"), "--out", str(out))
    assert (
        "b.jsonl#1: same source as a.jsonl#2 (https://news.example/1): read once" in result.stderr
    )
    quotes = [json.loads(line) for line in (out / "quotes.jsonl").open(encoding="utf-8")]
    assert quotes and {q["doc"] for q in quotes} == {"a.jsonl#1", "a.jsonl#2"}
    for q in quotes:
        n = int(q["doc"][-1]) - 1
        assert (q["url"], q["title"], q["outlet"], q["date"]) == (
            f"https://news.example/{n}",
            f"Story {n}",
            "Harbour Times",
            "2021-03-04",
        )
    rows = KgStore(out, read_only=True).query(
        "SELECT ?url ?date ?text WHERE { GRAPH ?g { ?q schema:isPartOf ?a . "
        "?a schema:url ?url ; schema:datePublished ?date ; nif:isString ?text } } LIMIT 1"
    )
    row = next(iter(rows))
    assert (
        row["url"].value.startswith("https://news.example/") and row["date"].value == "2021-03-04"
    )


def test_a_killed_build_leaves_no_worker_processes_behind(tmp_path):
    import subprocess
    import sys
    import time

    import psutil

    from .conftest import ROOT

    source = write_corpus(tmp_path / "in", 40)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "build", str(source), "--out", str(tmp_path / "out")],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    family: list = []
    while time.monotonic() < deadline and proc.poll() is None:
        family = psutil.Process(proc.pid).children(recursive=True)
        if len(family) >= 4:  # resource tracker, fork server, two workers
            break
        time.sleep(0.1)
    assert proc.poll() is None and len(family) >= 4, "the build never started its workers"
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    gone, alive = psutil.wait_procs(family, timeout=20)
    alive = [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]  # ended, awaiting init
    for leftover in alive:  # do not leave them to the next test either
        leftover.kill()
    assert alive == [], f"workers outlived their build: {alive}"


# -- the worker pool's fork server -----------------------------------------------------------
def test_the_fork_server_loads_the_model_once_for_every_worker():
    """Imported in the fork server, kg._forkserver loads the shipped model, taxonomy and
    sieves, so a worker forked from it starts with them in memory."""
    probe = (
        "import kg._forkserver\n"
        "from kg.nlp.pipeline import load_pipeline\n"
        "from kg.extract.topics import default_taxonomy\n"
        "print(load_pipeline.cache_info().currsize, default_taxonomy.cache_info().currsize)\n"
    )

    def loaded(**env: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
            env={**os.environ, **env},
        )
        return done.stdout.split()

    assert loaded(KG_FORK_SERVER_PRELOAD="1") == ["1", "1"]
    # any other process importing it (pytest collecting doctests) loads nothing
    assert loaded() == ["0", "0"]


def test_the_fork_server_starts_early_only_where_workers_pay(tmp_path, monkeypatch):
    """`kg build` starts the workers' fork server before it imports the pipeline, when
    the inputs are enough files for the pool the build will then make."""
    import argparse

    from kg import _pool, cli

    started = []
    monkeypatch.setattr(_pool, "start_fork_server", lambda: started.append(True))
    few, many = write_corpus(tmp_path / "few", 3), write_corpus(tmp_path / "many", 16)

    def early(paths, workers, dask=None):
        started.clear()
        assert cli._workers(argparse.Namespace(paths=paths, workers=workers, dask=dask)) == workers
        return bool(started)

    assert early([str(many)], 2)
    assert not early([str(few)], 2), "3 files: the build runs in-process"
    assert not early([str(many)], 1)
    assert not early([str(many)], 2, dask="local"), "Dask starts its own workers"
    assert early([str(few), str(many)], 2)
    assert _pool.worth_a_pool([str(many)], 2) and not _pool.worth_a_pool([str(many)], 3)
    assert _pool.count_files([str(few), str(many)], 100) == 19


@pytest.mark.parametrize("load_every", [1, 100])
def test_the_store_writer_keeps_the_source_first_in_input_order_whatever_arrives_first(
    tmp_path, monkeypatch, load_every
):
    """Dask may hand back partition 1 before partition 0: when both hold the same source,
    partition 0's triples are the graph's, whether the two meet in one batch or not."""
    import contextlib

    import kg.build as build_module
    from kg.ledger import BuildLedger
    from kg.rdf.store import updating

    monkeypatch.setattr(build_module, "LOAD_EVERY", load_every)
    graph, other = "https://kg.example.org/graph/a", "https://kg.example.org/graph/b"
    with (
        updating(tmp_path) as store,
        contextlib.closing(store.manifest()) as manifest,
        contextlib.closing(BuildLedger()) as ledger,
    ):
        writer = build_module.SourceWriter(store, manifest, ledger)
        writer.start()
        writer.put(1, [(graph, "<urn:late> <urn:p> <urn:o> .\n")])
        writer.put(
            0, [(other, "<urn:b> <urn:p> <urn:o> .\n"), (graph, "<urn:early> <urn:p> <urn:o> .\n")]
        )
        writer.put(2, [(graph, "<urn:later> <urn:p> <urn:o> .\n")])
        writer.close()
        assert store.graph_ntriples(graph).decode() == "<urn:early> <urn:p> <urn:o> .\n"
        assert store.graph_ntriples(other).decode() == "<urn:b> <urn:p> <urn:o> .\n"
        assert writer.triples == 3  # partition 1's was loaded, then replaced
