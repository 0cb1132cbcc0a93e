"""The local worker pool's fork server: started early, so its model loads while the
command that needs it is still importing.

Light on purpose (nothing of spaCy or the pipeline is imported here): `kg build` calls
`start_fork_server` before it imports the build, and the fork server, a process of its
own, imports the map step and loads the model once (`kg._forkserver`); every worker is
then forked from it with the model already in memory, shared page by page.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterable
from pathlib import Path

PRELOAD = ["kg._forkserver"]
PRELOAD_ENV = "KG_FORK_SERVER_PRELOAD"  # set in the fork server's environment only
MIN_FILES_PER_WORKER = 8


def workers_import_this_kg() -> None:
    """Make the worker processes started from here import this `kg`, whatever the
    current directory holds. A worker starts as `python -c ...`, which puts the current
    directory first on its path, so a folder there named "kg" (a build's output, a
    checkout) would shadow the package and every worker would die on import. Python
    3.11+ leaves the directory out (PYTHONSAFEPATH); before that, this package's parent
    on PYTHONPATH makes the real package win over a bare folder."""
    import kg

    os.environ["PYTHONSAFEPATH"] = "1"
    home = str(Path(kg.__file__).resolve().parent.parent)
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if home not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([home, *[p for p in paths if p]])


def worker_context():
    """The multiprocessing context of the pool: a fork server that preloads kg."""
    workers_import_this_kg()
    context = mp.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def start_fork_server():
    """Start the fork server now, unless it runs already, without waiting for it (it
    loads the model meanwhile); returns the context whose pools fork from it.

    Only the server finds `PRELOAD_ENV` set, so only the server loads the model when
    it imports `kg._forkserver`; another process importing it (pytest collecting the
    package's doctests) does not.
    """
    context = worker_context()
    from multiprocessing import forkserver

    os.environ[PRELOAD_ENV] = "1"
    try:
        forkserver.ensure_running()
    finally:
        del os.environ[PRELOAD_ENV]
    return context


def cores() -> int:
    """The cores this process may run on (its CPU affinity), not the machine's count."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def worth_a_pool(paths: Iterable[str], workers: int) -> bool:
    """Whether `workers` processes pay for themselves on these inputs: below a few files
    per worker, starting them (a model each, ~2 s) costs more than it saves."""
    return workers > 1 and has_files(paths, MIN_FILES_PER_WORKER * workers)


def has_files(paths: Iterable[str], count: int) -> bool:
    """Whether the paths hold at least `count` files (hidden ones left out), counting
    no further than that.

    >>> has_files([__file__], 1), has_files([__file__], 2)
    (True, False)
    """
    seen = 0
    stack = [Path(p) for p in paths]
    while stack:
        path = stack.pop()
        try:
            if path.is_dir():
                stack.extend(p for p in path.iterdir() if not p.name.startswith("."))
                continue
        except OSError:
            continue
        seen += 1
        if seen >= count:
            return True
    return False
