"""Records kept on disk while a build runs, so the coordinator's memory does not grow
with the corpus.

The map step's results arrive a partition at a time, in any order; each is pickled to one
anonymous temporary file as it comes and read back by its key when the reduce and the
outputs walk the corpus in input order. Memory holds one partition and an offset per key.
The file has no name (it is unlinked at once), so a build that is killed leaves nothing
behind. Another process can be lent the file (`Spill.lend`, `Spill.borrow`): the reduce
runs in one of its own and gives back what it wrote (`Spill.take_back`).
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import ScratchSpaceError


@dataclass
class Lent:
    """A spill lent to another process: its file (a descriptor, which pickles as the same
    open file: `multiprocessing.reduction.DupFd`), where each value is and where the file
    ends."""

    fd: int
    where: dict[Hashable, tuple[int, int]]
    end: int
    folder: str | Path | None = None

    def __reduce__(self):
        from multiprocessing.reduction import DupFd

        return (_unpickle_lent, (DupFd(self.fd), self.where, self.end, self.folder))


def _unpickle_lent(fd, where, end, folder) -> Lent:
    return Lent(fd.detach(), where, end, folder)


@dataclass(frozen=True)
class Added:
    """What a borrower added to a spill: the new values' places and where the file ends."""

    where: dict[Hashable, tuple[int, int]]
    end: int


class Spill:
    """Values pickled to an unnamed temporary file, read back by key.

    >>> spill = Spill()
    >>> spill.put(1, ["b"]); spill.put(0, ["a"])
    >>> [spill.get(n) for n in sorted(spill)], len(spill)
    ([['a'], ['b']], 2)
    >>> spill.close()
    """

    def __init__(self, folder: str | Path | None = None, *, _fd: int | None = None) -> None:
        self.folder = folder
        if _fd is None:
            self._file = tempfile.TemporaryFile(dir=folder, prefix=".kg-spill-", buffering=0)  # noqa: SIM115 - closed by close()
            _fd = self._file.fileno()
        else:
            self._file = open(_fd, "r+b", buffering=0)  # noqa: SIM115 - closed by close()
        self._fd = _fd
        self._where: dict[Hashable, tuple[int, int]] = {}
        self._added: dict[Hashable, tuple[int, int]] = {}  # what a borrower wrote
        self.bytes = 0  # what the file holds: values are written at its end, never over

    def put(self, key: Hashable, value: Any) -> None:
        """Store `value` under `key` (a key stored again points at the new value)."""
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        where = (self.bytes, len(data))
        try:
            written = 0
            while written < len(data):  # a positioned write: no file offset to share
                written += os.pwrite(self._fd, memoryview(data)[written:], self.bytes + written)
        except OSError as exc:  # a full disk: say where, not a traceback
            raise ScratchSpaceError(self.folder, "keep the build's records on disk", exc) from None
        self._where[key] = self._added[key] = where
        self.bytes += len(data)

    def get(self, key: Hashable) -> Any:
        start, size = self._where[key]
        data = bytearray()
        while len(data) < size:
            chunk = os.pread(self._fd, size - len(data), start + len(data))
            if not chunk:
                raise EOFError(f"spill ends before its value for {key!r}")
            data += chunk
        return pickle.loads(data)

    def lend(self) -> Lent:
        """This spill for another process (`Spill.borrow` there): the same file, read
        and added to by positioned reads and writes, so the two never share an offset.
        Use this spill again only once the borrower has given it back (`take_back`)."""
        return Lent(self._fd, dict(self._where), self.bytes, self.folder)

    @classmethod
    def borrow(cls, lent: Lent) -> Spill:
        """The spill another process lent (`Spill.lend`); `give_back` says what it added.

        >>> spill = Spill(); spill.put("a", 1)
        >>> borrowed = Spill.borrow(spill.lend()); borrowed.put("b", 2)
        >>> spill.take_back(borrowed.give_back()); spill.get("a"), spill.get("b")
        (1, 2)
        >>> spill.close()
        """
        spill = cls(lent.folder, _fd=os.dup(lent.fd))  # its own descriptor, closed by close()
        spill._where = dict(lent.where)
        spill.bytes = lent.end
        return spill

    def give_back(self) -> Added:
        """What this borrowed spill added, for the lender's `take_back`."""
        return Added(dict(self._added), self.bytes)

    def take_back(self, added: Added) -> None:
        """Adopt what the borrower of this spill wrote (its keys and where the file ends)."""
        self._where.update(added.where)
        self._added.update(added.where)
        self.bytes = added.end

    def __contains__(self, key: Hashable) -> bool:
        return key in self._where

    def __iter__(self):
        return iter(list(self._where))

    def __len__(self) -> int:
        return len(self._where)

    def close(self) -> None:
        self._file.close()
        self._where.clear()
        self._added.clear()

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
