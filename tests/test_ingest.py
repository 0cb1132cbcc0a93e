"""Ingest: every kind of input, and every bad input gets a clear per-file reason."""

from __future__ import annotations

import codecs
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.ingest import Article, Skipped, iter_articles
from kg.ingest.boilerplate import boilerplate_spans, is_boilerplate_line, leading_date
from kg.ingest.decode import decode_bytes

from .conftest import kg


def read(*paths, **kw):
    return list(iter_articles([str(p) for p in paths], **kw))


def test_folder_is_read_recursively_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text("First article.", encoding="utf-8")
    (tmp_path / "b" / "c.txt").write_text("Second article.", encoding="utf-8")
    docs = [a.doc for a in read(tmp_path)]
    assert docs == ["a.txt", "c.txt"]


def test_encodings_are_detected(tmp_path):
    text = "The minister said “café prices” rose."
    (tmp_path / "bom.txt").write_bytes(codecs.BOM_UTF8 + text.encode())
    (tmp_path / "u16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "cp.txt").write_bytes(
        "The café owner said prices rose sharply this year.".encode("cp1252")
    )
    (tmp_path / "short.txt").write_bytes("Café “open”".encode("cp1252"))
    got = {a.doc: a.text for a in read(tmp_path)}
    assert got["bom.txt"] == text and got["u16.txt"] == text
    assert "café" in got["cp.txt"]
    assert got["short.txt"] == "Café “open”"


def test_leading_date_becomes_metadata_and_text_stays_exact(tmp_path):
    raw = " date 2023-06-19 Officials met on Sunday."
    (tmp_path / "d.txt").write_text(raw, encoding="utf-8")
    (article,) = read(tmp_path)
    assert article.date == "2023-06-19" and article.text == raw and article.body_start == 17


def test_same_text_same_id(tmp_path):
    (tmp_path / "a.txt").write_text("Same words.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Same words.", encoding="utf-8")
    a, b = read(tmp_path)
    assert a.id == b.id


def test_jsonl_articles_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"text": "He said it was fine.", "title": "T", "outlet": "Wire"}),
        "{not json",
        json.dumps({"title": "no text"}),
        "",
    ]
    (tmp_path / "batch.jsonl").write_text("\n".join(lines), encoding="utf-8")
    items = read(tmp_path / "batch.jsonl")
    assert (
        isinstance(items[0], Article)
        and items[0].outlet == "Wire"
        and items[0].doc == "batch.jsonl#1"
    )
    reasons = [s.reason for s in items if isinstance(s, Skipped)]
    assert any("invalid JSON" in r for r in reasons) and any("'text'" in r for r in reasons)


def test_html_main_text_is_extracted(tmp_path):
    body = (
        "<p>"
        + " ".join(["The mayor said the bridge would reopen next week after repairs."] * 5)
        + "</p>"
    )
    html = f"<html><head><title>Bridge</title></head><body><nav>Home | News</nav><article>{body}</article></body></html>"
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    (article,) = read(tmp_path / "page.html")
    assert "bridge would reopen" in article.text and "Home | News" not in article.text


def test_bad_inputs_each_get_a_reason(tmp_path):
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    (tmp_path / "good.txt").write_text("A usable article.", encoding="utf-8")
    empty_dir = tmp_path / "nothing"
    empty_dir.mkdir()
    items = read(tmp_path, tmp_path / "missing.txt", empty_dir)
    reasons = {s.path.split("/")[-1]: s.reason for s in items if isinstance(s, Skipped)}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["image.txt"]
    assert "too large" in reasons["huge.txt"]
    assert "no such file" in reasons["missing.txt"]
    assert "empty folder" in reasons["nothing"]
    assert [a.doc for a in items if isinstance(a, Article)] == ["good.txt"]


def test_cli_reports_skips_and_fails_only_when_nothing_usable(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    result = kg("quotes", str(bad), str(tmp_path / "nope.txt"), "--format", "jsonl", check=False)
    assert result.returncode != 0
    assert "bad.txt: binary file" in result.stderr and "nope.txt: no such file" in result.stderr
    assert "Traceback" not in result.stderr
    good = tmp_path / "good.txt"
    good.write_text('"We will rebuild," the mayor said.', encoding="utf-8")
    ok = kg("quotes", str(bad), str(good), "--format", "jsonl", check=False)
    assert ok.returncode == 0 and "bad.txt" in ok.stderr


def test_boilerplate_lines():
    for line in [
        "  • Follow us on",
        "(Also read: Headline here)",
        "Home News Washington welcomes",
        "by admin",
        "Related News",
        "Leave a Comment",
        "WATCH WION LIVE HERE",
        "sequel after announcement",
    ]:
        assert is_boilerplate_line(line), line
    for line in ['"This was a real conversation," he said.', "The minister spoke for an hour."]:
        assert not is_boilerplate_line(line), line
    assert leading_date("no date") == (None, 0)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_decode_never_crashes_on_random_bytes(data):
    try:
        text = decode_bytes(data, "x")
    except Exception as exc:  # only our own, clear errors are allowed
        assert type(exc).__name__ == "InputError"
    else:
        assert isinstance(text, str)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_boilerplate_spans_are_within_text(text):
    for start, end in boilerplate_spans(text):
        assert 0 <= start <= end <= len(text)
