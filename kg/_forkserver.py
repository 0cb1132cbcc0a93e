"""Imported only in the fork server of `kg build`'s worker pool (multiprocessing's
preload list): it imports the map step and loads the model, the shipped taxonomy and
the shipped sieve pipeline once for every worker (each is forked with them in memory),
and ties the server's life to the build's, so a build killed at any moment (even while
its pool starts) leaves no process behind.
"""

from __future__ import annotations

import ctypes
import os
import signal

import kg.build  # noqa: F401 - preloaded once, shared by every worker forked from here

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent ends (elsewhere: do nothing)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent ended before the request was made
        os._exit(1)


def _preload() -> None:
    """What every worker's `_warm` asks for with the shipped options, loaded here once.
    A failure is left for the worker, which reports it where it happens."""
    import contextlib

    from kg.build import MapOptions, _warm_shared

    with contextlib.suppress(Exception):
        _warm_shared(MapOptions())


die_with_parent()
if os.environ.get("KG_FORK_SERVER_PRELOAD") == "1":  # kg._pool.PRELOAD_ENV: the server
    _preload()
