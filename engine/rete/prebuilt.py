"""Compiled rulebooks built with the package, so that a first start (an empty cache folder) need not compile.

When the package is built (`hatch_build.py`: a wheel, or an editable install)
every shipped rulebook is compiled and written to `compiled/` beside this
module, sealed as the cache's files are (`util.files.seal`). The folder a
compiled rulebook was built from appears in it (the rule files' paths, for
error messages and sources); the folder of the shipped rulebooks is written as
a mark instead, and the mark replaced by the folder they are read from now, so
that one built file serves wherever the package is installed.

A built file is used only for what it was built from: its key is a SHA-256 of
the rule files' names (under the mark) and bytes and of the engine's source,
as the cache's key is, so an edited rule file or another engine finds no file
and compiles as before. A file whose seal does not match is not used either.
What a built file gives is, byte for byte, the JSON that compiling the same
rules at their present folder gives (tests/rete/test_prebuilt.py): the cache
then keeps it, and the memo store keys outcomes by it, as if compiled here.
"""

from __future__ import annotations

import hashlib
import json
import os

from ..rulebook.extend import SEP
from ..rulebook.shipped import rules_root
from ..util.files import read_sealed, seal, write_atomically

FORMAT = 1
KIND = f"prebuilt/{FORMAT}"
FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "compiled")
# What stands for the shipped rulebooks' folder in a built file: as JSON text, a string no path holds.
MARK = "\\u0000guidelines-rules\\u0000"


def shipped(root: str) -> bool:
    """Whether `root` names a shipped rulebook as the package names it (the only ones built)."""
    return os.path.dirname(root) == rules_root()


def portable_key(root: str, files: dict[str, bytes | OSError], engine: bytes) -> str:
    """The key of a shipped rulebook's built file: its files' names and bytes, the shipped rulebooks' folder
    written as the mark, and the engine's source digest (`engine`)."""
    here = rules_root()
    digest = hashlib.sha256(b"prebuilt %d\0%s\0" % (FORMAT, _portable(root, here).encode()) + engine)
    for name, data in sorted(files.items()):
        body = data if isinstance(data, bytes) else f"unreadable: {data}".encode()
        digest.update(b"%s\0%d\0%s" % (_portable(name, here).encode(), len(body), body))
    return digest.hexdigest()


def _portable(name: str, here: str) -> str:
    """A path or a file's name (a base's files are `<base folder>SEP<relative>`) with the shipped folder marked."""
    head, sep, tail = name.partition(SEP)
    if head == here or head.startswith(here + os.sep):
        head = "\0" + head[len(here) :]
    return head + sep + tail


def _as_json(path: str) -> str:
    return json.dumps(path, ensure_ascii=False)[1:-1]


def find(root: str, files: dict[str, bytes | OSError], engine: bytes) -> bytes | None:
    """The compiled rulebook's JSON built for these files, at `root`; None when none was built for them."""
    if not shipped(root) or not files:
        return None
    name = portable_key(root, files, engine)
    found = read_sealed(os.path.join(FOLDER, f"{name[:32]}.json"), KIND, name)
    if found is None:
        return None
    return found[0].replace(MARK.encode(), _as_json(rules_root()).encode("utf-8"))


def write(root: str, files: dict[str, bytes | OSError], engine: bytes, payload: bytes, folder: str) -> str | None:
    """Keep in `folder` a compiled rulebook's JSON (`payload`, compiled at `root`) for `find`; its path, or None
    when it could not be written."""
    marked = payload.replace(_as_json(rules_root()).encode("utf-8"), MARK.encode())
    name = portable_key(root, files, engine)
    path = os.path.join(folder, f"{name[:32]}.json")
    if not write_atomically(path, seal(KIND, name, marked), quiet=False):
        return None
    os.chmod(path, 0o644)  # part of a package, read by whoever runs it
    return path
