"""Bulk loading RDF files into a store: `kg load`, KgStore.bulk_load and its chunking."""

from __future__ import annotations

import gzip
import io
import re

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kg.rdf.store as store_module
from kg.errors import KgError
from kg.outputs.query import load_query, run_query
from kg.rdf.store import KgStore, line_chunks

from .conftest import kg

NAME = "<http://schema.org/name>"


def people(start: int, stop: int, graph: str | None = None) -> str:
    where = f" <{graph}>" if graph else ""
    return "".join(f'<urn:p{n}> {NAME} "Person {n}"{where} .\n' for n in range(start, stop))


def generations(root) -> list[str]:
    return sorted(p.name for p in root.iterdir() if re.fullmatch(r"store\.\d+", p.name))


def test_an_nquads_export_loads_back_into_an_identical_store(seed_build, tmp_path):
    dump = tmp_path / "seeds.nq.gz"
    exported = kg("export", "--store", str(seed_build), "--format", "nquads").stdout
    dump.write_bytes(gzip.compress(exported.encode()))
    result = kg("load", str(dump), "--store", str(tmp_path / "restored"))
    assert "loaded 1 file(s)" in result.stderr

    original = KgStore(seed_build, read_only=True)
    restored = KgStore(tmp_path / "restored", read_only=True)
    assert restored.sorted_ntriples() == original.sorted_ntriples()
    assert restored.article_graphs() == original.article_graphs()
    query = load_query("who-said-what")
    assert run_query(restored, query, {}) == run_query(original, query, {})


def test_loading_the_same_file_twice_changes_nothing(tmp_path):
    data = tmp_path / "people.nq"
    data.write_text(people(0, 50, "urn:g"))
    kg("load", str(data), "--store", str(tmp_path / "out"))
    first = KgStore(tmp_path / "out", read_only=True).sorted_ntriples()
    kg("load", str(data), "--store", str(tmp_path / "out"), "--compact")
    assert KgStore(tmp_path / "out", read_only=True).sorted_ntriples() == first


def test_a_file_of_triples_goes_to_the_named_graph_given_or_its_own(tmp_path):
    (tmp_path / "a.ttl").write_text('@prefix s: <http://schema.org/> .\n<urn:a> s:name "A" .\n')
    (tmp_path / "b.nt").write_text(people(0, 3))
    kg("load", str(tmp_path / "a.ttl"), "--store", str(tmp_path / "out"), "--graph", "urn:mine")
    kg("load", str(tmp_path / "b.nt"), "--store", str(tmp_path / "out"))
    store = KgStore(tmp_path / "out", read_only=True)
    assert store.graph_names() == {"urn:mine", (tmp_path / "b.nt").resolve().as_uri()}
    assert store.triple_count() == 4


def test_a_bad_file_is_left_out_whole_and_the_others_load(tmp_path):
    (tmp_path / "good.nq").write_text(people(0, 20, "urn:good"))
    bad = people(100, 110, "urn:bad") + '<urn:x> <urn:y> "never closed <urn:bad> .\n'
    (tmp_path / "bad.nq").write_text(bad)
    (tmp_path / "notes.txt").write_text("not rdf")
    result = kg(
        "load",
        *(str(tmp_path / n) for n in ("good.nq", "bad.nq", "notes.txt")),
        "--store",
        str(tmp_path / "out"),
        check=False,
    )
    assert result.returncode == 1
    assert f"skipped {tmp_path / 'bad.nq'}: line 11:" in result.stderr
    assert f"skipped {tmp_path / 'notes.txt'}: unknown RDF format 'txt'" in result.stderr
    store = KgStore(tmp_path / "out", read_only=True)
    assert store.graph_names() == {"urn:good"}  # none of bad.nq's ten valid lines
    assert store.triple_count() == 20
    assert generations(tmp_path / "out") == ["store.1"]  # the tainted attempt was dropped


def test_a_load_that_fails_keeps_the_published_store(tmp_path):
    (tmp_path / "good.nq").write_text(people(0, 5, "urn:good"))
    (tmp_path / "bad.nq").write_text("<urn:x> <urn:y> .\n")
    out = tmp_path / "out"
    kg("load", str(tmp_path / "good.nq"), "--store", str(out))
    before = KgStore(out, read_only=True).sorted_ntriples()
    result = kg("load", str(tmp_path / "bad.nq"), "--store", str(out), check=False)
    assert result.returncode == 1 and "nothing loaded" in result.stderr  # nothing usable
    assert KgStore(out, read_only=True).sorted_ntriples() == before
    assert generations(out) == ["store.1"]


def test_parallel_chunks_load_the_same_quads_as_one_call(monkeypatch):
    data = people(0, 3000, "urn:g").encode() + people(0, 500).encode()
    whole = ox.Store()
    whole.bulk_load(data, ox.RdfFormat.N_QUADS)
    monkeypatch.setattr(store_module, "CHUNK_BYTES", 1000)
    chunked = KgStore(None)
    chunked.bulk_load(io.BytesIO(data), ox.RdfFormat.N_QUADS, workers=3)
    assert set(chunked.store) == set(whole)


def test_replace_graphs_swaps_whole_graphs():
    store = KgStore(None)
    store.replace_graphs({"urn:a": people(0, 3), "urn:b": people(3, 5)})
    store.replace_graphs({"urn:a": people(7, 8)})
    assert store.triple_count() == 3
    assert {q.graph_name.value for q in store.store} == {"urn:a", "urn:b"}


@settings(max_examples=40, deadline=None)
@given(
    blocks=st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=5),
    size=st.integers(min_value=1, max_value=200),
)
def test_line_chunks_cut_only_at_line_ends(blocks, size):
    data = "".join(people(0, n) for n in blocks).encode() + b"<urn:last> <urn:p> <urn:o> ."
    chunks = list(line_chunks(io.BytesIO(data), size))
    assert b"".join(chunks) == data
    assert all(chunk.endswith(b"\n") for chunk in chunks[:-1])


@settings(max_examples=25, deadline=None)
@given(
    good=st.integers(min_value=0, max_value=60),
    chunk=st.integers(min_value=40, max_value=400),
    workers=st.integers(min_value=1, max_value=3),
)
def test_a_syntax_error_names_its_line_in_the_whole_file(good, chunk, workers):
    data = people(0, good, "urn:g") + "<urn:x> <urn:y> <urn:z\n" + people(0, 3, "urn:g")
    store_module.CHUNK_BYTES, saved = chunk, store_module.CHUNK_BYTES
    try:
        with pytest.raises(KgError, match=rf"^dump\.nq: line {good + 1}: "):
            KgStore(None).bulk_load(
                io.BytesIO(data.encode()), ox.RdfFormat.N_QUADS, workers=workers, label="dump.nq"
            )
    finally:
        store_module.CHUNK_BYTES = saved
