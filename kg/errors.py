"""Errors a user can act on. The CLI prints them as one line, never a traceback."""


class KgError(Exception):
    """An expected failure with a message meant for the user."""


class InputError(KgError):
    """A file that cannot be used as an article; names the file and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StoreBusyError(KgError):
    """Another kg process holds the store's write lock."""


class UsageError(KgError):
    """The command line asks for something that cannot be: an unknown query or parameter,
    a malformed value. `kg` exits with status 2 for these, 1 for other failures."""


class ScratchSpaceError(KgError):
    """A build's temporary file could not be written (a full disk, most often): names the
    folder, what the file was for and the system's reason.

    >>> str(ScratchSpaceError("/out", "keep the build's records on disk", OSError(28, "No space")))
    "/out: cannot keep the build's records on disk ([Errno 28] No space)"
    """

    def __init__(self, folder, purpose: str, exc: OSError) -> None:
        import tempfile

        super().__init__(f"{folder or tempfile.gettempdir()}: cannot {purpose} ({exc})")
