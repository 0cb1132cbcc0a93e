"""`kg push` against a real SPARQL server: Virtuoso, started on 127.0.0.1 by the fixture."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.outputs.push import push
from kg.rdf.store import KgStore

from .conftest import kg

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
INI = """[Database]
DatabaseFile = {d}/v.db
ErrorLogFile = {d}/v.log
LockFile = {d}/v.lck
TransactionFile = {d}/v.trx
xa_persistent_file = {d}/v.pxa
[TempDatabase]
DatabaseFile = {d}/v-temp.db
TransactionFile = {d}/v-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 4
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """The base URL of a throwaway Virtuoso whose anonymous SPARQL user may write."""
    if not VIRTUOSO or not ISQL:
        pytest.skip("Virtuoso is not installed (Debian: apt-get install virtuoso-opensource-7)")
    folder = tmp_path_factory.mktemp("virtuoso")
    sql, http = _free_port(), _free_port()
    (folder / "virtuoso.ini").write_text(INI.format(d=folder, sql=sql, http=http))
    server = subprocess.Popen(
        [VIRTUOSO, "-c", str(folder / "virtuoso.ini"), "+foreground", "+wait"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{http}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(base + "/sparql", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"Virtuoso did not start: {(folder / 'v.log').read_text()[-500:]}")
                time.sleep(0.5)
        subprocess.run(
            [ISQL, f"127.0.0.1:{sql}", "dba", "dba", 'exec=grant SPARQL_UPDATE to "SPARQL";'],
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield base
    finally:
        server.terminate()
        server.wait(timeout=60)


def _select(base: str, sparql: str) -> list[dict]:
    url = base + "/sparql?" + urllib.parse.urlencode({"query": sparql})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        data = json.load(response)
    return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]


def _count(base: str, graph: str) -> int:
    rows = _select(base, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"])


def test_push_puts_the_graph_and_a_second_push_replaces_it(virtuoso, seed_build):
    endpoint = virtuoso + "/sparql-graph-crud"
    target = "https://example.org/kg-test/news"
    store = KgStore(seed_build, read_only=True)
    kg("push", "--store", str(seed_build), "--endpoint", endpoint, "--graph", target)
    assert _count(virtuoso, target) == store.triple_count()
    kg("push", "--store", str(seed_build), "--endpoint", endpoint, "--graph", target)
    assert _count(virtuoso, target) == store.triple_count()
    speakers = _select(
        virtuoso,
        f"""
        SELECT DISTINCT ?name WHERE {{ GRAPH <{target}> {{
          ?q a <http://schema.org/Quotation> ; <http://schema.org/creator> ?a .
          ?a <http://schema.org/name> ?name }} }}""",
    )
    assert {"Qin Gang", "Antony Blinken", "Joe Biden"} <= {r["name"] for r in speakers}


def test_push_per_article_mirrors_the_named_graphs(virtuoso, seed_build):
    store = KgStore(seed_build, read_only=True)
    result = push(store, virtuoso + "/sparql-graph-crud", per_article=True)
    names = sorted(store.article_graphs())
    assert result.graphs == len(names) == 5
    for name in names:
        assert _count(virtuoso, name) == store.graph_ntriples(name).count(b"\n")


def test_refusal_and_unreachable_servers_are_clear_errors(virtuoso, seed_build):
    store = KgStore(seed_build, read_only=True)
    with pytest.raises(KgError, match=r"refused the graph \(HTTP 40\d"):
        push(store, virtuoso + "/sparql-graph-crud-auth", graph="https://example.org/x")
    closed = f"http://127.0.0.1:{_free_port()}/store"
    result = kg("push", "--store", str(seed_build), "--endpoint", closed, check=False)
    assert result.returncode == 1  # failed (2 is for usage errors only)
    assert "cannot reach the SPARQL store" in result.stderr and "Traceback" not in result.stderr


def test_endpoint_must_be_http(tmp_path: Path, seed_build):
    with pytest.raises(KgError, match="not an http"):
        push(KgStore(seed_build, read_only=True), "file:///etc/passwd")
