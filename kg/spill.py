"""Records kept on disk while a build runs, so the coordinator's memory does not grow
with the corpus.

The map step's results arrive a partition at a time, in any order; each is pickled to one
anonymous temporary file as it comes and read back by its key when the reduce and the
outputs walk the corpus in input order. Memory holds one partition and an offset per key.
The file has no name (it is unlinked at once), so a build that is killed leaves nothing
behind.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Hashable
from pathlib import Path
from typing import Any

from kg.errors import ScratchSpaceError


class Spill:
    """Values pickled to an unnamed temporary file, read back by key.

    >>> spill = Spill()
    >>> spill.put(1, ["b"]); spill.put(0, ["a"])
    >>> [spill.get(n) for n in sorted(spill)], len(spill)
    ([['a'], ['b']], 2)
    >>> spill.close()
    """

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = folder
        self._file = tempfile.TemporaryFile(dir=folder, prefix=".kg-spill-")  # noqa: SIM115 - closed by close()
        self._where: dict[Hashable, tuple[int, int]] = {}
        self.bytes = 0  # what the file holds

    def put(self, key: Hashable, value: Any) -> None:
        """Store `value` under `key` (a key stored again points at the new value)."""
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._file.seek(0, os.SEEK_END)
            where = (self._file.tell(), len(data))
            self._file.write(data)
        except OSError as exc:  # a full disk: say where, not a traceback
            raise ScratchSpaceError(self.folder, "keep the build's records on disk", exc) from None
        self._where[key] = where
        self.bytes += len(data)

    def get(self, key: Hashable) -> Any:
        start, size = self._where[key]
        self._file.seek(start)
        return pickle.loads(self._file.read(size))

    def __contains__(self, key: Hashable) -> bool:
        return key in self._where

    def __iter__(self):
        return iter(list(self._where))

    def __len__(self) -> int:
        return len(self._where)

    def close(self) -> None:
        self._file.close()
        self._where.clear()

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
