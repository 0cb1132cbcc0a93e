"""Read files, folders and globs into articles; one bad file never stops the batch."""

from __future__ import annotations

import glob
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.article import Article, Skipped
from kg.ingest.boilerplate import leading_date
from kg.ingest.decode import decode_bytes

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


def iter_sources(paths: Iterable[str]) -> Iterator[Path | Skipped]:
    """Expand files, folders (recursively) and glob patterns into files, in a stable order.

    A path that names nothing yields a `Skipped` record; an empty folder does too.
    """
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            candidates = [path]
        elif path.is_dir():
            candidates = sorted(
                p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path))
            )
            if not candidates:
                yield Skipped(str(path), "empty folder: no files to read")
                continue
        elif glob.has_magic(raw):
            candidates = sorted(
                Path(p) for p in glob.glob(raw, recursive=True) if Path(p).is_file()
            )
            if not candidates:
                yield Skipped(raw, "no file matches this pattern")
                continue
        else:
            yield Skipped(raw, "no such file or folder")
            continue
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                yield candidate


def iter_articles(
    paths: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article | Skipped]:
    """Yield every article found under `paths`, or a `Skipped` record per unusable input."""
    for source in iter_sources(paths):
        if isinstance(source, Skipped):
            yield source
            continue
        try:
            yield from read_file(source, max_bytes)
        except InputError as exc:
            yield Skipped(exc.path, exc.reason)
        except OSError as exc:
            yield Skipped(str(source), f"cannot read: {exc.strerror or exc}")


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | Skipped]:
    """Read one file into its article(s); raise `InputError` when the whole file is unusable."""
    name = str(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(name, f"too large: {size:,} bytes (limit {max_bytes:,}; see --max-bytes)")
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _jsonl_articles(decode_bytes(data, name), path)
        return
    text = decode_bytes(data, name)
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _looks_like_html(text)):
        yield html_article(text, path)
        return
    yield text_article(text, path)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def text_article(text: str, path: Path, **meta: str | None) -> Article:
    """An article from plain text; a leading ``date YYYY-MM-DD`` marker becomes its date.

    Lone surrogates (from JSON escapes such as ``\\ud800``) cannot be encoded and become
    U+FFFD, one character for one, so offsets stay valid.
    """
    text = _LONE_SURROGATE.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
    meta = {k: _LONE_SURROGATE.sub("\ufffd", v) if v else v for k, v in meta.items()}
    if not text.strip():
        raise InputError(str(path), "empty article: no text")
    date, body_start = leading_date(text)
    return Article(
        doc=path.name,
        text=text,
        path=str(path),
        date=meta.get("date") or date,
        title=meta.get("title"),
        url=meta.get("url"),
        outlet=meta.get("outlet"),
        body_start=body_start,
    )


def html_article(html: str, path: Path) -> Article:
    """The main text of a web page, with its title, date, site name and address."""
    import trafilatura

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_recall=True
    )
    if not text or not text.strip():
        raise InputError(str(path), "no article text found in this HTML page")
    meta = trafilatura.extract_metadata(html)
    fields = {}
    if meta is not None:
        fields = {"title": meta.title, "date": meta.date, "outlet": meta.sitename, "url": meta.url}
    return text_article(text, path, **fields)


def _jsonl_articles(text: str, path: Path) -> Iterator[Article | Skipped]:
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise InputError(str(path), "empty file: no JSON lines")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(where, f"invalid JSON ({exc.msg})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield Skipped(where, "a JSON object with a 'text' string is required")
            continue
        meta = {k: _str_or_none(record.get(k)) for k in ("title", "url", "date", "outlet")}
        try:
            article = text_article(record["text"], path, **meta)
        except InputError:
            yield Skipped(where, "empty article: no text")
            continue
        yield _renamed(article, f"{path.name}#{number}")


def _renamed(article: Article, doc: str) -> Article:
    from dataclasses import replace

    return replace(article, doc=doc)


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts) or relative.name in {"Thumbs.db"}
