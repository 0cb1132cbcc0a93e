"""What a build keeps per article, in SQLite files rather than the coordinator's memory.

A build asks a few questions of every article graph: was it stored before, with which
digests (its source triples, its quotation triples); was it written in this build; which
file of the input held its source first. At 100,000 articles, Python dicts and sets of
those names and digests held about 1 KB per article, growing with the corpus; SQLite keeps
them on disk behind a page cache of fixed size, so the coordinator's memory stays flat.

- `Manifest`: the digests of each article graph as last written, one file beside each
  store generation (``store.N.manifest.sqlite``), copied into the next generation and
  published with it.
- `BuildLedger`: what one build decided per graph (present in the store before, claimed
  by a source in input order, replaced, seen in the outputs pass), in a private temporary
  database SQLite removes when it is closed.
- `FileList`: the build's input files in input order, read back a task's worth at a time.
- `FirstSeen`: the first value given for a key: which file had an article's source first
  (a url in two JSONL files), which article had a text first.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

# pages SQLite may hold in memory per database (negative: KiB), whatever its size
CACHE_KIB = 4096


def _open(path: str, table: str) -> sqlite3.Connection:
    """A database at `path` ("": a private file SQLite deletes on close) with `table`
    (its CREATE statement), a transaction open; `sqlite3.DatabaseError` if the file is
    damaged. No rollback journal: a failed build drops these files whole, and a journal
    would hold in memory the pages a big rewrite changes."""
    # one thread at a time uses a connection (the store writer, then the coordinator),
    # but not always the one that opened it
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        if db.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise sqlite3.DatabaseError(f"{path}: fails SQLite's quick check")
        db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        db.execute("PRAGMA journal_mode = OFF")
        db.execute(table)
        db.execute("BEGIN")
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


class Manifest:
    """The digests of each article graph's source and quotation triples as last stored.

    Changes are written in one transaction, made durable by `save()`; a build that fails
    drops its whole generation, manifest included, so a half-written manifest is never
    read. A damaged file is dropped for an empty manifest: every article is then written
    again, as into a new store.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "store.1.manifest.sqlite"
    >>> manifest = Manifest(path)
    >>> manifest.set_source("urn:g", "s1"); manifest.set_quotes("urn:g", "q1")
    >>> manifest.set_quotes("urn:h", "q2")
    >>> manifest.save(); manifest.close()
    >>> again = Manifest(path)
    >>> again.digests("urn:g"), again.digests("urn:h"), again.digests("urn:x")
    (('s1', 'q1'), ('', 'q2'), ('', ''))
    >>> again.close()
    """

    TABLE = (
        "CREATE TABLE IF NOT EXISTS graphs (name TEXT PRIMARY KEY, "
        "source TEXT NOT NULL, quotes TEXT NOT NULL) WITHOUT ROWID"
    )

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path is not None else None
        where = str(self.path) if self.path is not None else ":memory:"
        try:
            self.db = _open(where, self.TABLE)
        except sqlite3.DatabaseError:
            # damaged (a disk error, another file in its place): what it said is lost, so
            # the build writes every article again, as for a new store
            if self.path is None:
                raise
            self.path.unlink(missing_ok=True)
            self.db = _open(where, self.TABLE)

    @classmethod
    def from_json(cls, path: str | Path, old: str | Path) -> Manifest:
        """A manifest at `path` holding what the first layout's JSON manifest `old`
        said ({graph: "source-digest quotes-digest"}); an unreadable one counts as empty
        (every article is then written again)."""
        manifest = cls(path)
        try:
            entries = json.loads(Path(old).read_text("utf-8"))
        except (OSError, ValueError):
            entries = {}
        if isinstance(entries, dict):
            rows = (
                (str(name), *(str(digests).split(" ", 1) + [""])[:2])
                for name, digests in entries.items()
            )
            manifest.db.executemany("INSERT OR REPLACE INTO graphs VALUES (?, ?, ?)", rows)
        manifest.save()
        return manifest

    def digests(self, name: str) -> tuple[str, str]:
        """(source digest, quotes digest) of `name`, each "" when not stored."""
        row = self.db.execute("SELECT source, quotes FROM graphs WHERE name = ?", (name,))
        found = row.fetchone()
        return (found[0], found[1]) if found else ("", "")

    def set_source(self, name: str, digest: str) -> None:
        self.db.execute(
            "INSERT INTO graphs VALUES (?, ?, '') "
            "ON CONFLICT(name) DO UPDATE SET source = excluded.source",
            (name, digest),
        )

    def set_quotes(self, name: str, digest: str) -> None:
        self.db.execute(
            "INSERT INTO graphs VALUES (?, '', ?) "
            "ON CONFLICT(name) DO UPDATE SET quotes = excluded.quotes",
            (name, digest),
        )

    def forget(self, names: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM graphs WHERE name = ?", ((n,) for n in names))

    def items(self) -> Iterator[tuple[str, str, str]]:
        """(graph, source digest, quotes digest), by graph name."""
        yield from self.db.execute("SELECT name, source, quotes FROM graphs ORDER BY name")

    def save(self) -> None:
        """Commit the changes and make them durable."""
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")

    def close(self) -> None:
        self.db.close()


class BuildLedger:
    """One build's decisions per article graph, in a temporary database.

    >>> ledger = BuildLedger()
    >>> ledger.mark_present(["urn:a", "urn:b"])
    >>> ledger.claim("urn:b", (3, 0)), ledger.claim("urn:b", (1, 2)), ledger.claim("urn:b", (2, 0))
    (True, True, False)
    >>> ledger.mark_fresh(["urn:b"]); ledger.is_fresh("urn:b"), ledger.is_present("urn:c")
    (True, False)
    >>> ledger.mark_current("urn:b"); list(ledger.gone())
    ['urn:a']
    >>> ledger.close()
    """

    def __init__(self) -> None:
        self.db = _open(
            "",
            "CREATE TABLE graphs (name TEXT PRIMARY KEY, present INTEGER DEFAULT 0, "
            "fresh INTEGER DEFAULT 0, current INTEGER DEFAULT 0, "
            "part INTEGER, position INTEGER) WITHOUT ROWID",
        )

    def mark_present(self, names: Iterable[str]) -> None:
        """Graphs the store held before this build."""
        self._set("present", names)

    def mark_fresh(self, names: Iterable[str]) -> None:
        """Graphs replaced in this build."""
        self._set("fresh", names)

    def mark_current(self, name: str) -> None:
        """A graph the outputs pass wrote or found unchanged."""
        self._set("current", (name,))

    def _set(self, column: str, names: Iterable[str]) -> None:
        self.db.executemany(
            f"INSERT INTO graphs (name, {column}) VALUES (?, 1) "
            f"ON CONFLICT(name) DO UPDATE SET {column} = 1",
            ((n,) for n in names),
        )

    def _flag(self, column: str, name: str) -> bool:
        row = self.db.execute(f"SELECT {column} FROM graphs WHERE name = ?", (name,)).fetchone()
        return bool(row and row[0])

    def is_present(self, name: str) -> bool:
        return self._flag("present", name)

    def is_fresh(self, name: str) -> bool:
        return self._flag("fresh", name)

    def claim(self, name: str, key: tuple[int, int]) -> bool:
        """Whether the source at `key` (partition, position) is the first in input order
        to give graph `name`, of those seen so far (partitions may arrive in any order)."""
        row = self.db.execute(
            "SELECT part, position FROM graphs WHERE name = ?", (name,)
        ).fetchone()
        if row and row[0] is not None and tuple(row) < key:
            return False
        self.db.execute(
            "INSERT INTO graphs (name, part, position) VALUES (?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET part = excluded.part, position = excluded.position",
            (name, *key),
        )
        return True

    def gone(self) -> Iterator[str]:
        """Graphs the store held that this build did not write or find, by name."""
        yield from (
            name
            for (name,) in self.db.execute(
                "SELECT name FROM graphs WHERE present AND NOT current ORDER BY name"
            )
        )

    def close(self) -> None:
        self.db.close()


class FileList:
    """Rows of (location, doc) numbered in the order they are added, on disk: a build's
    input files, which the map step reads back a task's worth at a time.

    >>> files = FileList()
    >>> for n in range(5):
    ...     files.add(f"in/{n}.txt", f"{n}.txt")
    >>> len(files), files.rows(1, 3)
    (5, [('in/1.txt', '1.txt'), ('in/2.txt', '2.txt')])
    >>> files.close()
    """

    def __init__(self) -> None:
        self.db = _open("", "CREATE TABLE files (n INTEGER PRIMARY KEY, location TEXT, doc TEXT)")
        self._count = 0

    def add(self, location: str, doc: str) -> None:
        self.db.execute("INSERT INTO files VALUES (?, ?, ?)", (self._count, location, doc))
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def rows(self, start: int, stop: int) -> list[tuple[str, str]]:
        """The rows numbered `start` up to (not including) `stop`."""
        return self.db.execute(
            "SELECT location, doc FROM files WHERE n >= ? AND n < ? ORDER BY n", (start, stop)
        ).fetchall()

    def close(self) -> None:
        self.db.close()


class FirstSeen:
    """The first value given for each key, as keys come in input order: the file that
    held an article's source first, the first article with a given text.

    >>> seen = FirstSeen()
    >>> seen.first("a1", "one.jsonl"), seen.first("a1", "two.jsonl"), seen.first("a2", "two.jsonl")
    (None, 'one.jsonl', None)
    >>> seen.close()
    """

    def __init__(self) -> None:
        self.db = _open("", "CREATE TABLE seen (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID")

    def first(self, key: str, value: str) -> str | None:
        """The value given for `key` before `value`, or None (and `value` is kept)."""
        row = self.db.execute("SELECT value FROM seen WHERE key = ?", (key,)).fetchone()
        if row:
            return row[0]
        self.db.execute("INSERT INTO seen VALUES (?, ?)", (key, value))
        return None

    def close(self) -> None:
        self.db.close()
