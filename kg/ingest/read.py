"""Read files, folders and globs into articles; one bad file never stops the batch.

Every article is named by its path relative to the input root (`Article.doc`), so two
``index.html`` in different folders stay two articles. The root is the folder given, a
given file's folder, or a pattern's fixed leading folders; when several inputs have
different roots, names are relative to the folder they share. A folder holding kg's own
output (a store, its manifest or lock) is never read as input.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.article import Article, Skipped, Source
from kg.ingest.boilerplate import leading_date
from kg.ingest.dates import html_date, parse_date, text_date
from kg.ingest.decode import decode_bytes

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_MANIFEST = re.compile(r"^store\.\d+\.manifest\.(json|sqlite)$")
OUTPUT_FOLDER = "a kg output folder (store, manifest): not read as input"


def is_kg_output(folder: Path) -> bool:
    """Whether `folder` holds a kg store, its lock or a store manifest (a `--out` folder).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> is_kg_output(folder), (folder / "store.lock").touch(), is_kg_output(folder)
    (False, None, True)
    """
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    if "store.lock" in names or any(_MANIFEST.match(n) for n in names):
        return True
    return "store" in names and (folder / "store" / "CURRENT").exists()


def input_root(raw: str) -> Path:
    """The folder names are relative to for one input: a folder itself, a file's folder,
    or the leading folders of a pattern before its first wildcard.

    >>> input_root("news/2024/**/*.txt").as_posix()
    'news/2024'
    """
    path = Path(raw)
    if path.is_dir():
        return path
    if path.is_file() or not glob.has_magic(raw):
        return path.parent
    fixed = []
    for part in path.parts:
        if glob.has_magic(part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def common_root(raws: list[str]) -> Path:
    """The folder every input's root lies in (the root itself when there is one)."""
    roots = {os.path.abspath(input_root(raw)) for raw in raws}
    return Path(os.path.commonpath(sorted(roots))) if roots else Path.cwd()


def iter_sources(
    paths: Iterable[str], exclude: Iterable[str | Path] = ()
) -> Iterator[Source | Skipped]:
    """Expand files, folders (recursively) and glob patterns into sources, in a stable order.

    A path that names nothing yields a `Skipped` record; an empty folder does too, and so
    does a folder that cannot be read. The `exclude` folders (the build's `--out`) and
    every kg output folder are left out, each reported once, where the walk meets it. The
    same file reached twice (by two paths, a link, a hard link) is read once.

    Folders are walked as a stream, in the order of their sorted paths: memory holds the
    folders being walked, not the files found, and which files were seen is on disk
    (`kg.ledger.FirstSeen`), so listing a million files costs what listing a thousand does.
    """
    from kg.ledger import FirstSeen

    paths = list(paths)
    root = str(common_root(paths))
    excluded = {os.path.abspath(p) for p in exclude}
    said: set[str] = set()
    is_output: dict[str, bool] = {}  # per folder: a few per thousand files

    def output_folder(folder: str) -> bool:
        absolute = os.path.abspath(folder)
        found = is_output.get(absolute)
        if found is None:
            found = is_output[absolute] = absolute in excluded or is_kg_output(Path(absolute))
        return found

    def inside_output(file: str) -> str | None:
        """The kg output folder `file` lies in, looking up to the input root."""
        folder = os.path.dirname(file) or "."
        while True:
            if output_folder(folder):
                return folder
            parent = os.path.dirname(folder) or "."
            if os.path.abspath(folder) in (root, os.path.abspath(parent)):  # root, or "/"
                return None
            folder = parent

    def once(notes: Iterable[Skipped]) -> Iterator[Skipped]:
        """The notes not said yet (a folder met by two inputs is reported once)."""
        for note in notes:
            if note.path not in said:
                said.add(note.path)
                yield note

    with contextlib.closing(FirstSeen()) as seen:
        for raw in paths:
            path = Path(raw)
            notes: list[Skipped] = []
            if path.is_file():
                candidates: Iterable[str] = [str(path)]
            elif path.is_dir():
                candidates = _walk(str(path), output_folder, notes)
                first = next(iter(candidates), None)
                if first is None and not notes:
                    yield Skipped(str(path), "empty folder: no files to read")
                    continue
                candidates = itertools.chain([] if first is None else [first], candidates)
            elif glob.has_magic(raw):
                candidates = [
                    str(p)
                    for p in sorted(
                        Path(p) for p in glob.glob(raw, recursive=True) if Path(p).is_file()
                    )
                ]
                if not candidates:
                    yield Skipped(raw, "no file matches this pattern")
                    continue
            else:
                yield Skipped(raw, "no such file or folder")
                continue
            for candidate in candidates:
                yield from once(notes)  # folders the walk met on the way
                notes.clear()
                folder = inside_output(candidate)
                if folder is not None:
                    yield from once([Skipped(folder, OUTPUT_FOLDER)])
                    continue
                try:
                    file = os.stat(candidate)
                except OSError as exc:
                    yield Skipped(candidate, f"cannot read this file: {exc.strerror or exc}")
                    continue
                if seen.first(f"{file.st_dev}:{file.st_ino}", "") is None:
                    doc = os.path.relpath(os.path.abspath(candidate), root)
                    yield Source(candidate, Path(doc).as_posix() if os.sep != "/" else doc)
            yield from once(notes)


def _walk(top: str, output_folder, notes: list[Skipped]) -> Iterator[str]:
    """Every visible file under `top`, in the order of their sorted paths (a folder's
    files and subfolders sorted together by name), leaving out kg output folders and
    folders that cannot be read (each noted in `notes` when met). A link to a folder is
    not followed; a link to a file is a file.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     top = pathlib.Path(folder)
    ...     for name in ("b.txt", "a/z.txt", "a.b/y.txt", ".hidden/x.txt"):
    ...         (top / name).parent.mkdir(exist_ok=True)
    ...         _ = (top / name).write_text("x")
    ...     [pathlib.Path(p).relative_to(top).as_posix() for p in _walk(folder, lambda f: False, [])]
    ['a/z.txt', 'a.b/y.txt', 'b.txt']
    """
    if output_folder(top):
        notes.append(Skipped(top, OUTPUT_FOLDER))
        return
    try:
        with os.scandir(top) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        notes.append(Skipped(top, f"cannot read this folder: {exc.strerror or exc}"))
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        path = os.path.join(top, name)
        if is_dir:
            if entry.is_symlink():  # a link to a folder is listed, never followed
                if output_folder(path):
                    notes.append(Skipped(path, OUTPUT_FOLDER))
                continue
            yield from _walk(path, output_folder, notes)
        elif name != "Thumbs.db" and _is_file(entry):
            yield path


def _is_file(entry: os.DirEntry) -> bool:
    """Whether a folder entry is a file or a link to one (a broken link is neither)."""
    try:
        return entry.is_file()
    except OSError:
        return False


def iter_articles(
    paths: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES, exclude: Iterable[str | Path] = ()
) -> Iterator[Article | Skipped]:
    """Yield every article found under `paths`, or a `Skipped` record per unusable input."""
    for source in iter_sources(paths, exclude):
        if isinstance(source, Skipped):
            yield source
            continue
        yield from read_source(source, max_bytes)


def read_source(source: Source, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | Skipped]:
    """The articles of one source, or a `Skipped` record saying why it cannot be used."""
    try:
        yield from read_file(source, max_bytes)
    except InputError as exc:
        yield Skipped(exc.path, exc.reason)
    except OSError as exc:
        yield Skipped(str(source.path), f"cannot read: {exc.strerror or exc}")


def read_file(
    source: Source | Path, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article | Skipped]:
    """Read one file into its article(s); raise `InputError` when the whole file is unusable."""
    if isinstance(source, Path):
        source = Source(str(source), source.name)
    path = source.path
    name = str(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(name, f"too large: {size:,} bytes (limit {max_bytes:,}; see --max-bytes)")
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _jsonl_articles(decode_bytes(data, name), source)
        return
    text = decode_bytes(data, name)
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _looks_like_html(text)):
        yield html_article(text, path, source.doc)
        return
    yield text_article(text, path, source.doc)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def text_article(
    text: str, path: Path, doc: str | None = None, source: str | None = None, **meta: str | None
) -> Article:
    """An article from plain text, kept exactly as read (CRLF line ends included).

    Its date: the one given in `meta`, else a leading ``date YYYY-MM-DD`` marker, else a
    "Published: ..." line or a wire dateline. Lone surrogates (from JSON escapes such as
    ``\\ud800``) cannot be encoded and become U+FFFD, one character for one, so offsets
    stay valid.

    >>> a = text_article("Headline\\r\\nPublished: 4 March 2021\\r\\nBody.", Path("x/a.txt"))
    >>> a.doc, a.date, a.text.count("\\r\\n")
    ('a.txt', '2021-03-04', 2)
    """
    text = _LONE_SURROGATE.sub("\ufffd", text)
    meta = {k: _LONE_SURROGATE.sub("\ufffd", v) if v else v for k, v in meta.items()}
    if not text.strip():
        raise InputError(str(path), "empty article: no text")
    doc = doc or path.name
    marked, body_start = leading_date(text)
    given = meta.get("date")
    date = (parse_date(given) or given) if given else (marked or text_date(text))
    return Article(
        doc=doc,
        text=text,
        path=str(path),
        date=date,
        title=meta.get("title"),
        url=meta.get("url"),
        outlet=meta.get("outlet"),
        body_start=body_start,
        source=source or doc,
    )


def html_article(html: str, path: Path, doc: str | None = None) -> Article:
    """The main text of a web page, with its title, date, site name and address.

    The date comes from the page's metadata (htmldate), else from the text's date lines.
    """
    import trafilatura

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_recall=True
    )
    if not text or not text.strip():
        raise InputError(str(path), "no article text found in this HTML page")
    meta = trafilatura.extract_metadata(html)
    fields = {"date": html_date(html)}
    if meta is not None:
        fields.update(
            title=meta.title, outlet=meta.sitename, url=meta.url, date=fields["date"] or meta.date
        )
    return text_article(text, path, doc, **fields)


def _jsonl_articles(text: str, source: Source) -> Iterator[Article | Skipped]:
    """One article per record; a record's identity is its url, else the file and line."""
    path = source.path
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
        doc = f"{source.doc}#{number}"
        try:
            yield text_article(record["text"], path, doc, meta.get("url") or doc, **meta)
        except InputError:
            yield Skipped(where, "empty article: no text")


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head
