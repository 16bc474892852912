"""Writing files whole or not at all, and creating files that must be new."""

from __future__ import annotations

import os

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def write_atomically(path: str, data: str | bytes, *, quiet: bool = True) -> bool:
    """Write a file whole or not at all; True when written.

    Quiet (for caches), a file that cannot be written is simply not written;
    otherwise the OSError is raised. A link at `path` is replaced, never
    written through.
    """
    import tempfile  # 3.8 ms to import: only a run that writes pays for it

    folder = os.path.dirname(path) or "."
    temporary = None
    try:
        os.makedirs(folder, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=os.path.splitext(path)[1])
        with os.fdopen(handle, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(temporary, path)
        temporary = None
        return True
    except OSError:
        if not quiet:
            raise
        return False  # a cache that cannot be written is not used
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def create_new(path: str, data: str) -> None:
    """Create `path` with `data`: FileExistsError if anything is there, a link (even a dangling one) included."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            fd = -1
            out.write(data)
    except BaseException:
        if fd != -1:
            os.close(fd)
        try:
            os.unlink(path)  # never leave half a file behind
        except OSError:
            pass
        raise
