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
    assert docs == ["a.txt", "b/c.txt"]


_NAMES = st.text(alphabet="ab.-_1", min_size=1, max_size=3).filter(
    lambda n: not n.startswith(".") and n != "Thumbs.db"
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(_NAMES, min_size=1, max_size=3), min_size=1, max_size=12))
def test_a_folder_is_listed_in_the_order_of_its_sorted_paths(tmp_path_factory, trees):
    """The walk streams files in exactly the order sorting all their paths would give
    ("a/z" before "a.b/y": a folder sorts by its name), without holding them all."""
    from pathlib import Path

    from kg.ingest import iter_sources

    top = tmp_path_factory.mktemp("tree")
    files = set()
    for parts in trees:
        path = top.joinpath(*parts)
        if any(p in files for p in [path, *path.parents]) or (path.exists() and path.is_dir()):
            continue  # a name already taken by a file, or a folder already
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
        files.add(path)
    listed = [Path(s.location) for s in iter_sources([str(top)])]
    assert listed == sorted(files)


def test_each_folder_is_asked_once_whether_it_is_a_kg_output(tmp_path, monkeypatch):
    """Listing is linear in the files: whether a folder holds a store is asked once per
    folder, not once per file (a flat folder of 100k files would ask 100k times)."""
    import kg.ingest.read as read_module

    for n in range(3):
        (tmp_path / f"f{n}").mkdir()
        for m in range(40):
            (tmp_path / f"f{n}" / f"{m}.txt").write_text("A story.", encoding="utf-8")
    asked = []
    real = read_module.is_kg_output
    monkeypatch.setattr(read_module, "is_kg_output", lambda f: asked.append(f) or real(f))
    sources = list(read_module.iter_sources([str(tmp_path)]))
    assert len(sources) == 120
    assert len(asked) == len(set(asked)) == 4  # the top folder and its three folders


def test_a_folder_that_cannot_be_read_is_reported_and_the_rest_is_read(tmp_path, monkeypatch):
    import os

    from kg.ingest import iter_sources

    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.txt").write_text("A story.", encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text("Another.", encoding="utf-8")
    real = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = list(iter_sources([str(tmp_path)]))
    assert [i.doc for i in items if not isinstance(i, Skipped)] == ["ok/a.txt"]
    assert [(i.path, i.reason) for i in items if isinstance(i, Skipped)] == [
        (str(tmp_path / "locked"), "cannot read this folder: Permission denied")
    ]


def test_the_same_file_by_two_paths_a_link_or_a_hard_link_is_read_once(tmp_path):
    import os

    (tmp_path / "a.txt").write_text("One story.", encoding="utf-8")
    os.link(tmp_path / "a.txt", tmp_path / "b.txt")
    (tmp_path / "c.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "d.txt").write_text("Another story.", encoding="utf-8")
    docs = [a.doc for a in read(tmp_path, tmp_path / "d.txt")]
    assert docs == ["a.txt", "d.txt"]


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


def test_same_text_in_two_sources_is_two_articles_with_one_content_hash(tmp_path):
    (tmp_path / "a.txt").write_text("Same words.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Same words.", encoding="utf-8")
    a, b = read(tmp_path)
    assert a.id != b.id and a.content_hash == b.content_hash


def test_colliding_file_names_get_their_relative_paths(tmp_path):
    for section in ("politics", "sport"):
        (tmp_path / section).mkdir()
        (tmp_path / section / "index.html").write_text(
            f"<html><body><article><p>{'The ' + section + ' desk wrote this story. ' * 8}</p>"
            "</article></body></html>",
            encoding="utf-8",
        )
    docs = [a.doc for a in read(tmp_path)]
    assert docs == ["politics/index.html", "sport/index.html"]
    one, two = read(tmp_path / "politics", tmp_path / "sport")
    assert (one.doc, two.doc) == ("politics/index.html", "sport/index.html")
    assert one.id != two.id


def test_the_same_file_reached_twice_is_one_article(tmp_path):
    (tmp_path / "a.txt").write_text("One story.", encoding="utf-8")
    items = read(tmp_path, tmp_path / "a.txt", str(tmp_path / "*.txt"))
    assert [a.doc for a in items] == ["a.txt"]


def test_a_single_file_is_named_by_its_file_name(tmp_path):
    (tmp_path / "deep").mkdir()
    (tmp_path / "deep" / "a.txt").write_text("One story.", encoding="utf-8")
    (article,) = read(tmp_path / "deep" / "a.txt")
    assert article.doc == "a.txt"


def test_crlf_text_is_kept_exactly_as_in_the_file(tmp_path):
    raw = "Headline\r\n\r\nThe mayor said the plan was sound.\r\nIt passed.\r\n"
    (tmp_path / "crlf.txt").write_bytes(raw.encode("utf-8"))
    (article,) = read(tmp_path)
    assert article.text == raw


def test_output_folders_are_never_read_and_are_reported_once(tmp_path):
    (tmp_path / "a.txt").write_text("One story.", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "quotes.jsonl").write_text('{"text": "x"}\n', encoding="utf-8")
    (out / "notes.txt").write_text("Not an article.", encoding="utf-8")
    other = tmp_path / "old-build"
    other.mkdir()
    (other / "store.3.manifest.json").write_text("{}", encoding="utf-8")
    (other / "report.json").write_text("{}", encoding="utf-8")
    newer = tmp_path / "newer-build"
    newer.mkdir()
    (newer / "store.7.manifest.sqlite").write_bytes(b"SQLite format 3\x00")
    items = list(iter_articles([str(tmp_path), str(out / "notes.txt")], exclude=[out]))
    assert [a.doc for a in items if isinstance(a, Article)] == ["a.txt"]
    skipped = [s for s in items if isinstance(s, Skipped)]
    assert sorted(s.path for s in skipped) == sorted([str(out), str(other), str(newer)])
    assert all("kg output folder" in s.reason for s in skipped)


def test_jsonl_identity_is_the_url_else_the_line(tmp_path):
    lines = [
        json.dumps({"text": "First story.", "url": "https://news.example/a"}),
        json.dumps({"text": "Second story."}),
    ]
    (tmp_path / "b.jsonl").write_text("\n".join(lines), encoding="utf-8")
    first, second = read(tmp_path / "b.jsonl")
    assert (first.source, second.source) == ("https://news.example/a", "b.jsonl#2")
    moved = [json.dumps({"text": "x"}), lines[0]]
    (tmp_path / "b.jsonl").write_text("\n".join(moved), encoding="utf-8")
    assert read(tmp_path / "b.jsonl")[1].id == first.id


def test_dates_from_text_lines(tmp_path):
    cases = {
        "published.txt": (
            "Council backs plan\nPublished: 22 May 2024\nThe mayor said.",
            "2024-05-22",
        ),
        "posted.txt": ("By Jo Roe | Posted on March 3, 2021 at 5:05 PM\nBody.", "2021-03-03"),
        "updated.txt": (
            "Updated: 2020-01-09T10:00:00Z\nPublished: 8 Jan 2020\nBody.",
            "2020-01-08",
        ),
        "dateline.txt": ("LISBON, Feb. 27, 2017 (Wire) - The mayor said.", "2017-02-27"),
        "marker.txt": (" date 2023-06-19 Officials met.", "2023-06-19"),
        "none.txt": ("The vote is set for 4 March 2021, she said.\nPublished: yesterday", None),
    }
    for name, (text, _) in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    got = {a.doc: a.date for a in read(tmp_path)}
    assert got == {name: date for name, (_, date) in cases.items()}


def test_dates_from_html_metadata(tmp_path):
    body = "<p>" + "The mayor said the bridge would reopen next week after repairs. " * 5 + "</p>"
    head = (
        '<meta property="article:published_time" content="2024-05-22T08:00:00+00:00">'
        '<meta property="article:modified_time" content="2024-06-01T08:00:00+00:00">'
    )
    html = f"<html><head><title>Bridge</title>{head}</head><body><article>{body}</article></body></html>"
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    (article,) = read(tmp_path / "page.html")
    assert article.date == "2024-05-22"


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


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_text_dates_are_iso_or_none_on_any_text(text):
    from kg.ingest.dates import text_date

    date = text_date("Published: " + text + "\n" + text)
    assert date is None or (len(date) == 10 and date[4] == "-" and date[7] == "-")
