"""`kg serve` as clients meet it: a real server on a free loopback port, spoken to by
SPARQLWrapper, rdflib's SPARQLStore, plain HTTP and headless Chromium."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib

from kg.outputs.query import load_query, run_query
from kg.rdf.store import KgStore

from .conftest import ROOT, SEEDS, kg

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(store: Path, *options: str):
    """`kg serve` on 127.0.0.1 and a free port; yields the base URL and the process."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(port), *options],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/status", timeout=2) as response:
                    if json.load(response)["ok"]:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"kg serve did not start: {process.stderr.read()}")
            time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def get(url: str, accept: str | None = None, data: bytes | None = None, content_type=None):
    """Status, content type and body of a request (errors included, not raised)."""
    headers = {}
    if accept:
        headers["Accept"] = accept
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("content-type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("content-type", ""), exc.read()


def sparql_url(base: str, query: str, **more: str) -> str:
    return base + "/sparql?" + urllib.parse.urlencode({"query": query, **more})


@pytest.fixture(scope="module")
def served(seed_build):
    with running_server(seed_build, "--timeout", "20") as (base, _):
        yield base


COUNT_QUOTES = "SELECT (COUNT(DISTINCT ?q) AS ?n) WHERE { ?q a schema:Quotation }"


def test_sparqlwrapper_json_xml_and_post(served, seed_build):
    from SPARQLWrapper import JSON, POST, XML, SPARQLWrapper

    expected = run_query(KgStore(seed_build, read_only=True), load_query(COUNT_QUOTES), {})[1][0][0]
    client = SPARQLWrapper(served + "/sparql")
    client.setQuery(COUNT_QUOTES)
    client.setReturnFormat(JSON)
    data = client.query().convert()
    assert data["results"]["bindings"][0]["n"]["value"] == expected
    assert data["results"]["bindings"][0]["n"]["datatype"].endswith("#integer")
    client.setReturnFormat(XML)
    document = client.query().convert()  # an xml.dom document
    assert document.getElementsByTagName("literal")[0].firstChild.data == expected
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    assert client.query().convert()["results"]["bindings"][0]["n"]["value"] == expected
    client.setQuery("ASK { ?q a schema:Quotation }")
    assert client.query().convert()["boolean"] is True


def test_rdflib_sparqlstore_reads_the_endpoint(served):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(SPARQLStore(served + "/sparql", returnFormat="json"))
    rows = list(
        graph.query(
            "SELECT DISTINCT ?name WHERE { ?q <http://schema.org/creator> ?a . "
            "?a <http://schema.org/name> ?name }"
        )
    )
    assert {"Qin Gang", "Antony Blinken", "Joe Biden"} <= {str(r[0]) for r in rows}


@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_select_in_each_results_format_parses_back(served, accept):
    from rdflib.query import Result

    query = (
        "SELECT ?who ?text WHERE { GRAPH ?g { ?q schema:creator ?a ; schema:text ?text . "
        "?a schema:name ?who } } ORDER BY ?who ?text LIMIT 5"
    )
    status, media, body = get(sparql_url(served, query), accept)
    assert status == 200 and media.startswith(accept)
    if accept == "text/tab-separated-values":
        lines = body.decode().splitlines()
        assert lines[0] == "?who\t?text" and len(lines) == 6
        assert all(line.count("\t") == 1 and line.startswith('"') for line in lines[1:])
        return
    fmt = {"application/sparql-results+json": "json", "text/csv": "csv"}.get(accept, "xml")
    result = Result.parse(io.BytesIO(body), format=fmt)
    rows = [[str(v) for v in row] for row in result]
    assert len(rows) == 5 and all(row[0] and row[1] for row in rows)


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_construct_in_each_rdf_syntax_parses_back(served, seed_build, accept, fmt):
    query = "CONSTRUCT { ?q schema:text ?t } WHERE { ?q a schema:Quotation ; schema:text ?t }"
    status, media, body = get(sparql_url(served, query), accept)
    assert status == 200 and media.startswith(accept)
    graph = rdflib.Graph().parse(data=body, format=fmt)
    store = KgStore(seed_build, read_only=True)
    expected = len(list(store.query(query)))
    assert len(graph) == expected > 0


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_describe_in_each_rdf_syntax_parses_back(served, seed_build, accept, fmt):
    store = KgStore(seed_build, read_only=True)
    quote = next(iter(store.query("SELECT ?q WHERE { ?q a schema:Quotation } ORDER BY ?q LIMIT 1")))
    iri = quote["q"].value
    query = f"DESCRIBE <{iri}>"
    status, media, body = get(sparql_url(served, query), accept)
    assert status == 200 and media.startswith(accept), (status, media, body[:200])
    graph = rdflib.Graph().parse(data=body, format=fmt)
    expected = {(t.subject.value, t.predicate.value, t.object.value) for t in store.query(query)}
    assert {(str(s), str(p), str(o)) for s, p, o in graph} == expected
    subject = rdflib.URIRef(iri)
    assert (subject, rdflib.RDF.type, rdflib.URIRef("http://schema.org/Quotation")) in graph
    assert graph.value(subject, rdflib.URIRef("http://schema.org/text")) is not None


def test_service_description_on_a_get_without_query(served):
    status, media, body = get(served + "/sparql")
    assert status == 200 and media.startswith("text/turtle")
    graph = rdflib.Graph().parse(data=body, format="turtle")
    assert (None, SD.endpoint, rdflib.URIRef(served + "/sparql")) in graph
    assert (None, SD.supportedLanguage, SD.SPARQL11Query) in graph


def test_a_syntax_error_is_a_400_with_the_parsers_message(served):
    status, _, body = get(sparql_url(served, "SELECT ?x WHERE { ?x ?y }"))
    assert status == 400
    assert b"syntax error" in body and b"1:" in body


def test_updates_are_refused_and_change_nothing(served, seed_build):
    on_disk = KgStore(seed_build, read_only=True).sorted_ntriples()
    count_all = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = get(sparql_url(served, f"# before\n{count_all}"), "text/csv")[2]
    attempts = [
        (
            b"update=" + urllib.parse.quote_plus("DROP ALL").encode(),
            "application/x-www-form-urlencoded",
        ),
        (b"DELETE WHERE { ?s ?p ?o }", "application/sparql-update"),
        (
            b"query=" + urllib.parse.quote_plus("INSERT DATA { <urn:a> <urn:b> <urn:c> }").encode(),
            "application/x-www-form-urlencoded",
        ),
        (b"PREFIX x: <urn:x#>\nCLEAR DEFAULT", "application/sparql-query"),
    ]
    for data, media in attempts:
        status, _, body = get(served + "/sparql", data=data, content_type=media)
        assert status == 403 and b"read-only" in body, (data, status, body)
    assert get(served + "/sparql?update=DROP+ALL")[0] == 403
    # a query text not asked before, so the answer is computed again, not cached
    assert get(sparql_url(served, f"# after\n{count_all}"), "text/csv")[2] == before
    assert KgStore(seed_build, read_only=True).sorted_ntriples() == on_disk


def test_dataset_parameters_choose_the_graphs(served, seed_build):
    graph = sorted(KgStore(seed_build, read_only=True).article_graphs())[0]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    one = get(sparql_url(served, count, **{"default-graph-uri": graph}), "text/csv")[2]
    everything = get(sparql_url(served, count), "text/csv")[2]
    expected = KgStore(seed_build, read_only=True).graph_ntriples(graph).count(b"\n")
    assert int(one.split()[1]) == expected < int(everything.split()[1])
    named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    rows = get(sparql_url(served, named, **{"named-graph-uri": graph}), "text/csv")[2]
    assert rows.decode().split()[1:] == [graph]


def test_graph_store_get_gives_one_articles_graph(served, seed_build):
    store = KgStore(seed_build, read_only=True)
    graph = sorted(store.article_graphs())[0]
    status, media, body = get(
        served + "/store?" + urllib.parse.urlencode({"graph": graph}), "text/turtle"
    )
    assert status == 200 and media.startswith("text/turtle")
    assert len(rdflib.Graph().parse(data=body, format="turtle")) == store.graph_ntriples(
        graph
    ).count(b"\n")
    assert get(served + "/store?graph=https://kg.example.org/graph/none")[0] == 404
    status, _, _ = get(
        served + "/store?" + urllib.parse.urlencode({"graph": graph}),
        data=b"",
        content_type="text/turtle",
    )
    assert status == 405


def test_named_queries_are_listed_and_bind_parameters_as_terms(served, seed_build):
    status, _, body = get(served + "/queries", "application/json")
    listing = {q["name"]: q for q in json.loads(body)}
    speaker = listing["quotes-by-speaker"]["parameters"][0]
    assert (speaker["name"], speaker["required"], speaker["kind"]) == ("speaker", True, "name")
    status, _, body = get(served + "/queries/quotes-by-speaker?speaker=Blinken&format=srj")
    assert status == 200
    served_rows = [
        {k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]
    ]
    columns, rows = run_query(
        KgStore(seed_build, read_only=True), load_query("quotes-by-speaker"), {"speaker": "Blinken"}
    )
    assert [r["quote"] for r in served_rows] == [r[columns.index("quote")] for r in rows] != []
    assert get(served + "/queries/quotes-by-speaker")[0] == 400
    payload = urllib.parse.quote('x" } ; DROP ALL ; #')
    status, _, body = get(served + f"/queries/who-said-what?speaker={payload}&format=srj")
    assert status == 200 and json.loads(body)["results"]["bindings"] == []
    status, _, body = get(served + "/queries/who-said-what?limit=2&format=csv")
    assert status == 200 and len(body.decode().strip().splitlines()) == 3
    assert get(served + "/queries/no-such-query")[0] == 404
    assert get(served + "/queries/statements-reported-by-several-articles?minimum=many")[0] == 400


def test_row_and_request_caps_are_clear_errors(seed_build):
    with running_server(seed_build, "--max-rows", "5", "--max-request-bytes", "2000") as (base, _):
        status, _, body = get(sparql_url(base, "SELECT * WHERE { ?s ?p ?o }"))
        assert status == 400 and b"more than 5 rows" in body and b"LIMIT" in body
        assert get(sparql_url(base, "SELECT * WHERE { ?s ?p ?o } LIMIT 5"))[0] == 200
        big = ("# " + "x" * 3000 + "\nSELECT * WHERE { ?s ?p ?o } LIMIT 1").encode()
        status, _, body = get(base + "/sparql", data=big, content_type="application/sparql-query")
        assert status == 413 and b"2000 bytes" in body
        long_get = sparql_url(base, "# " + "x" * 3000 + "\nASK {}")
        status, _, body = get(long_get)
        assert status == 414 and b"query string over 2000 bytes" in body
        assert get(sparql_url(base, "# " + "x" * 1500 + "\nASK {}"))[0] == 200


def _cpu_seconds(pids: list[int]) -> float:
    import psutil

    total = 0.0
    for pid in pids:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = psutil.Process(pid).cpu_times()
            total += times.user + times.system
    return total


def test_a_runaway_query_is_stopped_its_cpu_freed_and_others_still_served(seed_build):
    import psutil

    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with running_server(seed_build, "--timeout", "3", "--workers", "2") as (base, server):
        before = json.loads(get(base + "/status")[2])["workers"]
        outcome = {}

        def run_away():
            started = time.monotonic()
            outcome["status"], _, outcome["body"] = get(sparql_url(base, runaway))
            outcome["seconds"] = time.monotonic() - started

        thread = threading.Thread(target=run_away)
        thread.start()
        time.sleep(0.5)
        # while one worker spins, the other keeps answering
        started = time.monotonic()
        assert get(sparql_url(base, COUNT_QUOTES), "text/csv")[0] == 200
        assert time.monotonic() - started < 2
        thread.join(30)
        assert outcome["status"] == 503 and b"stopped after 3 s" in outcome["body"]
        assert 2.9 <= outcome["seconds"] < 6
        after = json.loads(get(base + "/status")[2])
        assert after["stopped_queries"] == 1
        killed = set(before) - set(after["workers"])
        assert len(killed) == 1 and not any(
            psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE
            for p in killed
        )
        # the CPU is free: the server and its workers are idle once the query is stopped
        pids = [server.pid, *after["workers"]]
        spent = _cpu_seconds(pids)
        time.sleep(2)
        assert _cpu_seconds(pids) - spent < 0.5
        assert get(sparql_url(base, COUNT_QUOTES), "text/csv")[0] == 200


def test_a_concurrent_build_swaps_the_store_under_querying_clients(tmp_path):
    seeds = sorted(SEEDS.iterdir())
    source = tmp_path / "in"
    source.mkdir()
    for seed in seeds[:2]:
        shutil.copy(seed, source / seed.name)
    out = tmp_path / "out"
    kg("build", str(source), "--out", str(out), "--quiet")
    count = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a schema:NewsArticle }"
    with running_server(out / "store", "--workers", "2") as (base, _):
        seen, failures = [], []
        stop = threading.Event()

        def client():
            while not stop.is_set():
                status, _, body = get(sparql_url(base, count), "text/csv")
                if status != 200:
                    failures.append((status, body))
                else:
                    seen.append(int(body.split()[1]))
                page = get(base + "/?q=the", "text/html")
                if page[0] != 200:
                    failures.append((page[0], page[2][:200]))

        threads = [threading.Thread(target=client) for _ in range(4)]
        for t in threads:
            t.start()
        try:
            time.sleep(1)
            for seed in seeds[2:]:
                shutil.copy(seed, source / seed.name)
            kg("build", str(source), "--out", str(out), "--quiet")
            deadline = time.monotonic() + 30
            while (not seen or seen[-1] != len(seeds)) and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            stop.set()
            for t in threads:
                t.join(60)
        assert failures == []
        assert set(seen) == {2, len(seeds)} and seen[-1] == len(seeds)


def test_kg_query_speaks_the_w3c_formats_and_finds_the_store(seed_build):
    out = kg("query", COUNT_QUOTES, "--store", str(seed_build / "store"), "--format", "srj").stdout
    assert int(json.loads(out)["results"]["bindings"][0]["n"]["value"]) > 0
    xml = kg(
        "query", "ASK { ?q a schema:Quotation }", "--store", str(seed_build), "--format", "srx"
    ).stdout
    assert "<boolean>true</boolean>" in xml
    tsv = kg("query", "who-said-what", "--store", str(seed_build), "--format", "tsv").stdout
    assert tsv.splitlines()[0] == "?who\t?quote\t?kind\t?doc\t?date"


def test_exit_codes_are_0_ok_1_failed_2_usage(seed_build, tmp_path):
    assert kg("query", "who-said-what", "--store", str(seed_build)).returncode == 0
    assert kg("query", "no-such-query", "--store", str(seed_build), check=False).returncode == 2
    missing = kg("query", "quotes-by-speaker", "--store", str(seed_build), check=False)
    assert missing.returncode == 2 and "needs --param speaker" in missing.stderr
    assert kg("query", "who-said-what", "--store", str(tmp_path), check=False).returncode == 1
    assert kg("query", "who-said-what", check=False).returncode == 2  # argparse: --store missing
    assert kg("serve", "--store", str(seed_build), "--timeout", "0", check=False).returncode == 2


def test_written_files_follow_the_umask(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(sorted(SEEDS.iterdir())[0], source / "a.txt")
    old = os.umask(0o022)
    try:
        kg("build", str(source), "--out", str(tmp_path / "out"), "--quiet")
    finally:
        os.umask(old)
    for name in ("graph.ttl", "graph.html", "quotes.jsonl", "report.json"):
        assert (tmp_path / "out" / name).stat().st_mode & 0o777 == 0o644, name


# -- the front end -----------------------------------------------------------------------------
PAYLOADS = [
    "<script>window.__xss = 1</script>",
    '<img src=x onerror="window.__xss = 2">',
    "</script><script>window.__xss = 3</script>",
    '<a href="javascript:window.__xss = 4">click</a>',
]


@pytest.fixture(scope="module")
def evil_build(tmp_path_factory):
    """A build whose article text, quotes, names and headline carry markup, and whose
    first quotation has evidence spans added to the stored graph."""
    folder = tmp_path_factory.mktemp("evil")
    source = folder / "in"
    source.mkdir()
    lines = [
        "title: <script>window.__xss = 9</script> Harbour row",
        "url: javascript:window.__xss=7",
        "",
    ]
    lines += [f'Mayor Jane Roe told reporters: "{p} is what the letter said."' for p in PAYLOADS]
    lines.append('"We will publish the letter in full," said councillor <b>Max Moe</b>.')
    (source / "evil.txt").write_text("\n\n".join(lines), encoding="utf-8")
    out = folder / "out"
    kg("build", str(source), "--out", str(out), "--quiet")
    store = KgStore(out, read_only=True)
    row = next(
        iter(
            store.query(
                "SELECT ?q ?g ?article ?text ?s ?e WHERE { GRAPH ?g { ?q a schema:Quotation ; "
                "schema:isPartOf ?article ; nif:beginIndex ?s ; nif:endIndex ?e . "
                "?article nif:isString ?text } } ORDER BY ?s LIMIT 1"
            )
        )
    )
    text, start = row["text"].value, int(row["s"].value)
    cue_at = text.rfind("told", 0, start)
    mention_at = text.rfind("Jane Roe", 0, start)
    q, article = row["q"].value, row["article"].value
    evidence = []
    for n, (role, at, words) in enumerate(
        [("cue", cue_at, "told"), ("mention", mention_at, "Jane Roe")]
    ):
        e = f"<{q}/evidence/t{n}>"
        evidence += [
            f'{e} <https://kg.example.org/ns#role> "{role}" .',
            f'{e} <https://kg.example.org/ns#rule> "test:{role}" .',
            f'{e} <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#beginIndex> "{at}"^^<http://www.w3.org/2001/XMLSchema#integer> .',
            f'{e} <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#endIndex> "{at + len(words)}"^^<http://www.w3.org/2001/XMLSchema#integer> .',
            f"{e} <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#referenceContext> <{article}> .",
            f"<{q}> <https://kg.example.org/ns#evidence> {e} .",
        ]
    extra = folder / "evidence.nt"
    extra.write_text("\n".join(evidence) + "\n", encoding="utf-8")
    kg("load", str(extra), "--store", str(out), "--graph", row["g"].value)
    return out, q.rsplit("/", 1)[-1], text


def _html(base: str, path: str) -> str:
    status, media, body = get(base + path, "text/html")
    assert status == 200 and media.startswith("text/html"), (path, status, body[:300])
    return body.decode()


def test_markup_in_the_graph_is_escaped_on_every_page(evil_build):
    out, qid, _ = evil_build
    with running_server(out) as (base, _):
        paths = ["/", "/quote/" + qid, "/speaker/jane-roe", "/queries", "/queries/who-said-what"]
        paths += ["/?" + urllib.parse.urlencode({"q": p, "speaker": p}) for p in PAYLOADS]
        paths.append("/?" + urllib.parse.urlencode({"q": "letter"}))
        for path in paths:
            page = _html(base, path)
            assert "<script>window.__xss" not in page and 'onerror="window' not in page, path
            assert 'href="javascript:' not in page.lower(), path
        status, _, body = get(base + "/no/such/page")
        assert status == 404
        headers = urllib.request.urlopen(base + "/").headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"].split("style-src")[0]


def test_the_quote_page_highlights_stored_evidence(evil_build):
    out, qid, text = evil_build
    with running_server(out) as (base, _):
        page = _html(base, "/quote/" + qid)
    marks = re.findall(
        r'<mark class="([^"]+)" data-roles="[^"]*" data-start="\d+">([^<]*)</mark>', page
    )
    roles = {role: words for role, words in marks}
    assert roles["cue"] == "told" and roles["mention"] == "Jane Roe"
    assert "&lt;script&gt;" in roles["quote"]
    assert 'id="evidence"' in page and "test:cue" in page


# -- the package -----------------------------------------------------------------------------
@pytest.mark.slow
def test_a_built_wheel_holds_the_queries_the_scheme_and_yasgui(tmp_path):
    """What a `pip install kg` gets: built from the committed files (a copy, so nothing
    left in build/ can slip in), every query file, the IPTC scheme, the server's own
    queries, templates and static files, and the vendored YASGUI with its licence."""
    import zipfile

    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs the git checkout to know the committed files")
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    source = tmp_path / "src"
    for name in filter(None, listed.split("\0")):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_symlink():  # kg/queries -> ../queries
            os.symlink(os.readlink(ROOT / name), source / name)
        elif (ROOT / name).is_file():
            shutil.copyfile(ROOT / name, source / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path / "w"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = (tmp_path / "w").glob("kg-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        inside = {n: archive.read(n) for n in archive.namelist()}
    wanted = [
        *sorted((ROOT / "queries").glob("*.rq")),
        ROOT / "kg" / "data" / "iptc-mediatopics.ttl",
        *sorted((ROOT / "kg" / "outputs" / "serve" / "queries").glob("*.rq")),
        *sorted((ROOT / "kg" / "outputs" / "serve" / "templates").glob("*.html")),
        *sorted((ROOT / "kg" / "outputs" / "serve" / "static").rglob("*.*")),
    ]
    assert len([w for w in wanted if w.parent.name == "queries" and w.parent.parent == ROOT]) >= 9
    for path in wanted:
        # the top-level queries/ is the user's copy; the package holds the same files
        member = (
            f"kg/queries/{path.name}"
            if path.parent == ROOT / "queries"
            else path.relative_to(ROOT).as_posix()
        )
        assert member in inside, f"{member} is not in {wheel.name}"
        assert inside[member] == path.read_bytes(), f"{member} differs from {path}"
    yasgui = "kg/outputs/serve/static/yasgui/"
    assert {yasgui + n for n in ("LICENSE", "yasgui.min.js", "yasgui.min.css")} <= set(inside)
    assert (
        b"MIT" in inside[yasgui + "LICENSE"]
        or b"Permission is hereby granted" in inside[yasgui + "LICENSE"]
    )


# -- in a browser ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    from bench.browser import chromium_missing, start_chromium

    if reason := chromium_missing():
        pytest.skip(reason)
    # nothing beyond loopback: every other host name fails to resolve
    loopback_only = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
    driver = start_chromium(offline=False, extra_args=(loopback_only,))
    yield driver
    driver.quit()


def _visit(
    driver, url: str, ready: str = "document.readyState === 'complete'", timeout: float = 30
):
    driver.get_log("performance")
    driver.get_log("browser")
    driver.get(url)
    return _settle(driver, ready, timeout)


def _settle(driver, ready: str, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while not driver.execute_script(f"return Boolean({ready});"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{driver.current_url}: not ready")
        time.sleep(0.05)
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if not url.startswith("data:"):  # the browser's own images (a date field's icon)
                requests.append(url)
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    return requests, errors


ARTIFACTS = ROOT / "test-artifacts"


@pytest.mark.browser
def test_a_reader_searches_a_speaker_opens_a_quote_and_reads_the_highlight(browser, served):
    from selenium.webdriver.common.by import By

    requests, errors = _visit(browser, served + "/")
    browser.find_element(By.ID, "speaker").send_keys("qin gang")
    browser.find_element(By.ID, "go").click()
    requests2, errors2 = _settle(browser, "document.getElementById('results')")
    results = browser.find_elements(By.CSS_SELECTOR, "#results .quote-row")
    assert results
    results[0].find_element(By.CSS_SELECTOR, "a.speaker").click()
    _settle(browser, "document.getElementById('name')")
    assert browser.find_element(By.ID, "name").text == "Qin Gang"
    count = browser.find_element(By.ID, "count").text
    assert re.match(r"\d+ quotations? in \d+ articles?", count)
    first = browser.find_element(By.CSS_SELECTOR, "#quotes a.quote-link")
    words = first.text
    first.click()
    requests3, errors3 = _settle(browser, "document.getElementById('article')")
    highlighted = browser.execute_script(
        "return [...document.querySelectorAll('#article mark.quote')].map(m => m.textContent).join('');"
    )
    assert " ".join(highlighted.split()) == " ".join(words.split())
    assert browser.find_element(By.ID, "offsets-ok")
    cue = browser.execute_script(
        "return [...document.querySelectorAll('#article mark.cue')].map(m => m.textContent);"
    )
    stated_cue = browser.find_elements(By.ID, "cue")
    if stated_cue:
        assert cue and cue[0] == stated_cue[0].text
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "serve-quote.png"))
    for url in requests + requests2 + requests3:
        assert url.startswith(served), url
    assert errors == errors2 == errors3 == []


@pytest.mark.browser
def test_no_payload_runs_in_the_browser(browser, evil_build):
    out, qid, _ = evil_build
    with running_server(out) as (base, _):
        pages = ["/", "/quote/" + qid, "/speaker/jane-roe", "/queries/who-said-what"]
        pages += ["/?" + urllib.parse.urlencode({"q": p}) for p in PAYLOADS]
        for path in pages:
            requests, errors = _visit(browser, base + path)
            assert browser.execute_script("return window.__xss;") is None, path
            assert all(u.startswith(base) for u in requests), (path, requests)
            assert errors == [], (path, errors)
        links = browser.execute_script("return [...document.links].map(a => a.protocol);")
        assert "javascript:" not in links


@pytest.mark.browser
def test_the_sparql_page_runs_yasgui_from_this_server_only(browser, served):
    requests, errors = _visit(
        browser, served + "/query", "window.kgReady && document.querySelector('.yasqe')"
    )
    assert all(u.startswith(served) for u in requests), requests
    assert errors == []
    browser.execute_script(
        "const tab = window.kgYasgui.getTab(); tab.setQuery('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'); tab.query();"
    )
    _, errors = _settle(
        browser, "document.querySelector('.yasr .dataTable, .yasr table')", timeout=30
    )
    assert errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "serve-yasgui.png"))


@pytest.mark.browser
def test_the_graph_page_is_the_builds_page_under_a_hash_csp(browser, served):
    requests, errors = _visit(browser, served + "/graph", "window.kgReady")
    assert all(u.startswith(served) for u in requests), requests
    assert errors == []


def _quote_ids(page: str) -> list[str]:
    return re.findall(r'href="/quote/([0-9a-f]+)"', page)


def test_search_filters_narrow_the_quotes(served, seed_build):
    store = KgStore(seed_build, read_only=True)
    everything = _quote_ids(_html(served, "/?q=the"))
    assert everything
    by_speaker = _html(served, "/?" + urllib.parse.urlencode({"speaker": "qin gang"}))
    speakers = set(re.findall(r'class="speaker" href="/speaker/([^"]+)"', by_speaker))
    assert speakers == {"qin-gang"}
    # any spelling of a person finds them, with a title or an honorific
    for spelling in ("Foreign Minister Qin Gang", "Mr Qin Gang"):
        page = _html(served, "/?" + urllib.parse.urlencode({"speaker": spelling}))
        assert set(re.findall(r'class="speaker" href="/speaker/([^"]+)"', page)) == speakers
    # a topic includes its narrower ones (Diplomacy is under International relations)
    relations: set[str] = set()
    for offset in range(0, 1000, 50):  # every page of the results (50 a page)
        query = urllib.parse.urlencode({"topic": "International relations", "offset": offset})
        page_ids = set(_quote_ids(_html(served, "/?" + query)))
        if not page_ids - relations:
            break
        relations |= page_ids
    expected = {
        r["q"].value.rsplit("/", 1)[-1]
        for r in store.query(
            "SELECT DISTINCT ?q WHERE { GRAPH ?g { ?q schema:about ?t . ?t skos:broader* ?c . "
            "?c kg:labelKey 'international relations' } }"
        )
    }
    assert relations == expected != set()
    direct = _html(served, "/?kind=direct&speaker=qin+gang")
    assert set(re.findall(r'class="kind kind-(\w+)"', direct)) == {"direct"}
    dates = [
        r["d"].value for r in store.query("SELECT DISTINCT ?d WHERE { ?a schema:datePublished ?d }")
    ]
    latest = max(dates)
    dated = _html(served, "/?" + urllib.parse.urlencode({"q": "the", "since": latest}))
    assert set(re.findall(r"<time>([^<]+)</time>", dated)) == {latest}
    assert _html(served, "/?q=the&until=1900-01-01").count('class="quote-row"') == 0
    assert get(served + "/?since=yesterday", "text/html")[0] == 400


# Made-up local news from three outlets, two with "Harbour" in their names.
OUTLET_RECORDS = [
    {
        "text": 'Mayor Ruth Okafor said: "The tram line will reach the stadium by spring."',
        "title": "Tram line to the stadium",
        "outlet": "Harbour Gazette",
        "date": "2024-05-01",
    },
    {
        "text": '"The tram budget is already spent," councillor Piet Vos told reporters.',
        "title": "Tram budget",
        "outlet": "Valley Tribune",
        "date": "2024-05-02",
    },
    {
        "text": 'Ruth Okafor said: "Night buses will run every twenty minutes from June."',
        "title": "Night buses",
        "outlet": "Harbour Evening Post",
        "date": "2024-05-03",
    },
]


@pytest.fixture(scope="module")
def outlet_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("outlets")
    (folder / "in").mkdir()
    (folder / "in" / "local.jsonl").write_text(
        "\n".join(json.dumps(r) for r in OUTLET_RECORDS) + "\n", encoding="utf-8"
    )
    kg("build", str(folder / "in"), "--out", str(folder / "out"), "--quiet")
    return folder / "out"


def test_the_outlet_filter_keeps_the_quotes_of_matching_publishers(outlet_build):
    store = KgStore(outlet_build, read_only=True)
    by_outlet: dict[str, set[str]] = {}
    for row in store.query(
        "SELECT ?q ?name WHERE { GRAPH ?g { ?q a schema:Quotation ; schema:isPartOf ?a . "
        "?a schema:publisher ?p . ?p schema:name ?name } }"
    ):
        by_outlet.setdefault(row["name"].value, set()).add(row["q"].value.rsplit("/", 1)[-1])
    assert set(by_outlet) == {r["outlet"] for r in OUTLET_RECORDS}, "every article has a quote"

    def found(**form: str) -> tuple[set[str], set[str]]:
        page = _html(base, "/?" + urllib.parse.urlencode(form))
        outlets = set(re.findall(r"</span>\s*· ([^<·]+?)\s*· <time>", page))
        return set(_quote_ids(page)), outlets

    with running_server(outlet_build) as (base, _):
        assert found(outlet="gazette") == (by_outlet["Harbour Gazette"], {"Harbour Gazette"})
        harbour = by_outlet["Harbour Gazette"] | by_outlet["Harbour Evening Post"]
        assert found(outlet="HARBOUR") == (harbour, {"Harbour Gazette", "Harbour Evening Post"})
        assert found(outlet="Valley Tribune")[0] == by_outlet["Valley Tribune"]
        # with another filter, both hold
        assert found(outlet="harbour", q="buses")[0] == by_outlet["Harbour Evening Post"]
        assert found(outlet="tribune", speaker="Ruth Okafor")[0] == set()
        assert found(outlet="no such outlet")[0] == set()
        page = _html(base, "/?" + urllib.parse.urlencode({"outlet": "gazette"}))
        assert 'value="gazette"' in page, "the form keeps the outlet asked for"


def test_a_misspelt_speaker_gets_did_you_mean(served):
    page = _html(served, "/?" + urllib.parse.urlencode({"speaker": "Antony Blinkan"}))
    assert 'id="none"' in page and 'id="suggest"' in page
    suggested = re.findall(r'id="suggest">Did you mean\s*(.*?)\?</p>', page, re.DOTALL)[0]
    assert "Antony Blinken" in suggested


def test_a_statement_page_sets_its_reports_side_by_side(served, seed_build):
    store = KgStore(seed_build, read_only=True)
    row = next(
        iter(
            store.query(
                "SELECT ?s (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?g { ?q kg:statement ?s ; "
                "schema:isPartOf ?a } } GROUP BY ?s ORDER BY DESC(?n) LIMIT 1"
            )
        )
    )
    sid, articles = row["s"].value.rsplit("/", 1)[-1], int(row["n"].value)
    assert articles >= 2
    page = _html(served, "/statement/" + sid)
    assert page.count('<article class="report">') >= articles
    assert get(served + "/statement/st-000000000000", "text/html")[0] == 404
    assert get(served + "/speaker/no-such-person", "text/html")[0] == 404
    assert get(served + "/quote/%3Cscript%3E", "text/html")[0] == 404


def test_cors_lets_only_the_named_origin_call_the_endpoint(seed_build):
    origin = "https://notebook.example"
    with running_server(seed_build, "--cors", origin) as (base, _):
        request = urllib.request.Request(
            sparql_url(base, "ASK {}"),
            headers={"Origin": origin, "Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.headers["Access-Control-Allow-Origin"] == origin
        request = urllib.request.Request(
            sparql_url(base, "ASK {}"), headers={"Origin": "https://other.example"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.headers.get("Access-Control-Allow-Origin") is None
    with running_server(seed_build) as (base, _):  # no --cors: no cross-origin reads
        request = urllib.request.Request(sparql_url(base, "ASK {}"), headers={"Origin": origin})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.headers.get("Access-Control-Allow-Origin") is None


@pytest.mark.parametrize(
    "typed, who",
    [("Qin", "Qin Gang"), ("Wang", "Wang Yi"), ("Tony Blinken", "Antony Blinken")],
)
def test_the_front_end_finds_a_speaker_as_kg_query_does(served, seed_build, typed, who):
    # the surname written first, and a nickname nobody wrote, find the person
    store = KgStore(seed_build, read_only=True)
    _, expected = run_query(store, load_query("quotes-by-speaker"), {"speaker": typed})
    assert expected and {row[0] for row in expected} == {who}
    page = _html(served, "/?" + urllib.parse.urlencode({"speaker": typed}))
    assert page.count('class="quote-row"') == min(len(expected), 50) and 'id="none"' not in page
    status, _, body = get(
        served
        + "/queries/quotes-by-speaker?"
        + urllib.parse.urlencode({"speaker": typed})
        + "&format=srj"
    )
    bindings = json.loads(body)["results"]["bindings"]
    assert status == 200 and len(bindings) == len(expected)
    assert {b["who"]["value"] for b in bindings} == {who}
