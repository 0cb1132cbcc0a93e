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
import sys
from collections.abc import Iterable
from pathlib import Path

from kg.errors import UsageError

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


def check_workers(workers: int | None) -> int:
    """The number of worker processes to use: the usable cores unless given; 0 is refused,
    more than the cores is allowed with a warning on stderr."""
    usable = cores()
    if workers is None:
        return usable
    if workers < 1:
        raise UsageError(f"--workers must be at least 1 (this machine has {usable} usable cores)")
    if workers > usable:
        print(
            f"kg: warning: --workers {workers} is more than the {usable} usable cores: "
            "workers will compete for them, and each holds its own model in memory",
            file=sys.stderr,
        )
    return workers


def pool_pays(files: int, workers: int) -> bool:
    """Whether `workers` processes pay for themselves on this many files: below a few
    files per worker, starting them (a model each, ~2 s) costs more than it saves.

    >>> pool_pays(16, 2), pool_pays(15, 2), pool_pays(100, 1)
    (True, False, False)
    """
    return workers > 1 and files >= MIN_FILES_PER_WORKER * workers


def worth_a_pool(paths: Iterable[str], workers: int) -> bool:
    """`pool_pays` for the files under `paths`, counted no further than it needs."""
    return pool_pays(count_files(paths, MIN_FILES_PER_WORKER * workers), workers)


def count_files(paths: Iterable[str], up_to: int) -> int:
    """The files under the paths (hidden ones left out), counted up to `up_to` at most.

    >>> count_files([__file__], 5), count_files([__file__], 0)
    (1, 0)
    """
    seen = 0
    if seen >= up_to:
        return seen
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
        if seen >= up_to:
            break
    return seen
