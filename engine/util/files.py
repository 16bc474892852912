"""Reading and writing files safely: never blocking on a FIFO, never writing half a file or through a link.

read_regular    the bytes of a regular file, refusing FIFOs, sockets, devices and folders
read_tree       every regular file under a folder, each read once
write_atomically  a file, whole or not at all, leaving no temporary file behind
write_through   a FIFO or a device (a terminal, /dev/null), written as it is
create_new      a new file, never overwriting one and never following a link (create_numbered: the first free name)
seal, unseal    a cache file's header line: what it holds, its key and its SHA-256
untrusted_folder  why a folder may hold files someone else wrote (as ssh judges its keys)
"""

from __future__ import annotations

import errno
import os
import stat

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def kind_of(mode: int) -> str:
    """What a file of this mode is, in words: `a FIFO`, `a folder`..."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _not_regular(path: str, mode: int) -> OSError:
    return OSError(errno.EINVAL, f"not a regular file ({kind_of(mode)})", path)


def read_regular(path: str, limit: int) -> bytes:
    """At most `limit` bytes of the regular file `path`; OSError for anything else.

    A FIFO, socket, device or folder is refused before it is opened (opening a
    FIFO would wait for a writer, and opening some devices acts on them), and
    again after, in case the name changed in between; the file is opened
    without blocking all the same.
    """
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise _not_regular(path, mode)
    fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC)
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise _not_regular(path, status.st_mode)
        chunks = []
        left = limit
        size = status.st_size + 1 if 0 < status.st_size < 1 << 20 else 1 << 16  # one read for most files
        while left > 0:
            chunk = os.read(fd, min(left, size))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_tree(directory: str, limit: int) -> dict[str, bytes | OSError]:
    """Every file under `directory` (hidden ones aside), by relative path with `/`: its bytes, or why not.

    Each file is read once, so whoever uses the result sees one version of the
    folder however its files change meanwhile. Linked folders are not entered.
    """
    out: dict[str, bytes | OSError] = {}
    for folder, folders, names in os.walk(directory):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, directory).replace(os.sep, "/")
            try:
                out[relative] = read_regular(path, limit)
            except OSError as exc:
                out[relative] = exc
    return out


def write_atomically(path: str, data: str | bytes, *, quiet: bool = True, make_folders: bool = True) -> bool:
    """Write a file whole or not at all; True when written.

    Quiet (for caches), a file that cannot be written is simply not written;
    otherwise the OSError is raised. Either way the temporary file is removed
    whatever happens, an interruption included, and a link at `path` is
    replaced, never written through. Missing folders are made unless
    `make_folders` is false.
    """
    import tempfile  # slow to import: only a run that writes pays for it

    folder = os.path.dirname(path) or "."
    temporary = None
    try:
        if make_folders:
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


def write_through(path: str, data: bytes) -> None:
    """Write `data` to the FIFO or character device at `path`, as a shell's `>` would; OSError for anything else.

    Nothing is created or replaced: a FIFO waits for its reader, and a
    character device (a terminal, /dev/null) takes the bytes as they come.
    """
    fd = os.open(path, os.O_WRONLY | _CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
            raise OSError(errno.EINVAL, f"not a FIFO or a character device ({kind_of(mode)})", path)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


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


def create_numbered(folder: str, stem: str, suffix: str, data: str) -> str:
    """Create `folder/stem.suffix`, or `stem-2.suffix`, `stem-3.suffix`...: the first name free; its path."""
    for n in range(1, 10_000):
        path = os.path.join(folder, f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
        try:
            create_new(path, data)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free name left", os.path.join(folder, stem + suffix))


_SEAL = b"guidelines-cache"
SEALED_LIMIT = 256 << 20  # no cache file comes near this; a bigger one is not a cache file


def seal(kind: str, key: str, payload: bytes) -> bytes:
    """A cache file: a header line naming what it holds, its key and its payload's SHA-256, then the payload."""
    # hashlib loads OpenSSL: only cache files are sealed
    import hashlib

    digest = hashlib.sha256(payload).hexdigest()
    return b"%s %s %s sha256:%s\n" % (_SEAL, kind.encode(), key.encode(), digest.encode()) + payload


def unseal(data: bytes, kind: str, key: str) -> tuple[bytes, str] | None:
    """The payload of a cache file and its SHA-256, if the file is whole and holds `kind` under `key`; else None."""
    # hashlib loads OpenSSL: only cache files are sealed
    import hashlib

    head, newline, payload = data.partition(b"\n")
    parts = head.split(b" ")
    if not newline or len(parts) != 4 or parts[:3] != [_SEAL, kind.encode(), key.encode()]:
        return None
    digest = hashlib.sha256(payload).hexdigest()
    if parts[3] != b"sha256:" + digest.encode():
        return None
    return payload, digest


def read_sealed(path: str, kind: str, key: str) -> tuple[bytes, str] | None:
    """The checked payload of the cache file at `path` and its SHA-256, or None for any problem at all."""
    try:
        data = read_regular(path, SEALED_LIMIT)
    except OSError:
        return None
    return unseal(data, kind, key)


def untrusted_folder(path: str) -> str | None:
    """Why files in the folder `path` could be someone else's, as ssh judges the folder of its keys: it is owned
    by another user, or writable by its group or by others. None when it is the user's alone, or not there yet.
    """
    if not hasattr(os, "getuid"):  # pragma: no cover - no owners or mode bits to judge by (Windows)
        return None
    try:
        status = os.stat(path)
    except OSError:  # missing (made when first written) or unreadable (then never read): nothing to trust
        return None
    if status.st_uid != os.getuid():
        return f"it belongs to another user (uid {status.st_uid})"
    writable = [who for who, bit in (("its group", stat.S_IWGRP), ("others", stat.S_IWOTH)) if status.st_mode & bit]
    if writable:
        return f"{' and '.join(writable)} can write to it"
    return None
