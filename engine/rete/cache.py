"""A cache of compiled rulebooks, so a command starts without reading and compiling the rule files.

The cache holds JSON (never code): the checked rulebook and its compiled
rulesets. It is written and read so that it cannot give a wrong answer through
accident or race, short of someone forging it on purpose:

- The rule files are read once (`util.files.read_tree`), and what is compiled
  is exactly those bytes; the cache key is a SHA-256 of them, of their names and
  of the engine's own source, so a rule edited during a run can only ever be
  filed under its own key.
- Each compiled rulebook's file starts with a header line naming what it holds,
  its key and the SHA-256 of the payload after it; a file whose header or
  checksum does not match is not used. The compiled rulebook's checksum is also
  the key of its rows in the memo store (`memo.py`), so an outcome is only
  reused with the very compiled rules that produced it.
- Anything else (no file, a file of the wrong shape, an unreadable file, a FIFO
  or other non-regular file) means no cache: the rulebook is compiled again and
  the file rewritten atomically. A shipped rulebook the package's build
  compiled for exactly these files and this engine (`prebuilt.py`) is read
  instead of compiled.

It lives in `$GUIDELINES_CACHE_DIR`, else `$XDG_CACHE_HOME/guidelines`, else
`~/.cache/guidelines`; `GUIDELINES_NO_CACHE=1` turns it off, and a cache that
cannot be written is simply not used. It is kept under a size limit, compiled
rulebooks not used for a while pruned (`cachedir.py`).

A checksum only guards against accidents: whoever can write the folder can
forge a file and its checksum. So, as ssh treats the folder of its keys, the
cache is used only when its folder belongs to the user and neither its group
nor others can write to it (a folder this module makes is the user's alone);
otherwise every answer is computed afresh, and the command says why, once
(`untrusted_folders`).
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from ..rulebook import conditions, model
from ..rulebook.extend import read_chain
from ..rulebook.shipped import default_rules_dir
from ..scenario.fields import FIELDS, FieldSpec
from ..scenario.yamlload import MAX_BYTES
from ..util.files import read_sealed, seal, untrusted_folder, write_atomically
from . import cachedir, compiler, prebuilt
from .memo import MemoStore

FORMAT = 2
_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        model.Rulebook, model.Concept, model.Named, model.Subject, model.Procedure, model.Role, model.Notice,
        model.Ground, model.Beyond, model.Variant, model.Constraint,
        conditions.Compare, conditions.ConceptRef, conditions.AllOf, conditions.AnyOf, conditions.Not,
        conditions.Adjacent, conditions.SomeEvent, conditions.Scope,
        compiler.CompiledRulebook, compiler.CompiledRuleset, compiler.CompiledRole, compiler.CompiledNotice,
        compiler.CompiledGround, compiler.Ref, compiler.Node, compiler.Action, compiler.Trace,
    )
}  # fmt: skip


_UNTRUSTED: dict[str, str] = {}  # cache folders this process would not use, and why: for one warning a run


def cache_location() -> str:
    """The cache folder's path, whether or not caching is on and the folder trusted."""
    where = os.environ.get("GUIDELINES_CACHE_DIR")
    if not where:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        where = os.path.join(base, "guidelines")
    return where


def cache_dir() -> str | None:
    """Where compiled rulebooks are kept, or None when caching is off or the folder is not the user's alone."""
    if os.environ.get("GUIDELINES_NO_CACHE"):
        return None
    where = cache_location()
    reason = untrusted_folder(where)
    if reason is not None:
        _UNTRUSTED.setdefault(where, reason)
        return None
    return where


def untrusted_folders() -> list[tuple[str, str]]:
    """The cache folders found untrusted since last asked, and why: a command says so once, whatever it read."""
    found = list(_UNTRUSTED.items())
    _UNTRUSTED.clear()
    return found


_ENGINE: bytes | None = None


def _engine_digest() -> bytes:
    """A SHA-256 of the engine's own source: every .py file of the package, by name."""
    global _ENGINE
    if _ENGINE is None:
        here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # engine/, every subpackage included
        digest = hashlib.sha256()
        for folder, folders, names in os.walk(here):
            folders.sort()
            for name in sorted(names):
                if name.endswith(".py"):
                    path = os.path.join(folder, name)
                    with open(path, "rb") as handle:
                        data = handle.read()
                    digest.update(b"%s\0%d\0%s" % (os.path.relpath(path, here).encode(), len(data), data))
        _ENGINE = digest.digest()
    return _ENGINE


def read_rules(directory: str | os.PathLike[str]) -> dict[str, bytes | OSError]:
    """Every file of a rulebook directory, and of the rulebooks it extends, read once: what is both fingerprinted
    and compiled."""
    return read_chain(os.fspath(directory), MAX_BYTES + 1)


def key(directory: str | os.PathLike[str], files: dict[str, bytes | OSError] | None = None) -> str:
    """The cache key of a rulebook: a SHA-256 of its files' names and bytes (as `files` holds them) and the engine."""
    root = os.fspath(directory)  # as given: the compiled rulebook names its directory so
    files = read_rules(root) if files is None else files
    digest = hashlib.sha256(b"format %d\0%s\0" % (FORMAT, root.encode()) + _engine_digest())
    for name, data in sorted(files.items()):
        body = data if isinstance(data, bytes) else f"unreadable: {data}".encode()
        digest.update(b"%s\0%d\0%s" % (name.encode(), len(body), body))
    return digest.hexdigest()


_SCALARS = (str, int, float, bool, type(None))


def _encode(value: Any) -> Any:
    if type(value) in _SCALARS:  # most values: asked first, they skip the slower tests below
        return value
    if isinstance(value, FieldSpec):
        return {"$field": value.path}
    if isinstance(value, compiler.CompiledRole):  # its role is the rulebook's, stored once there
        fields = {name: _encode(item) for name, item in value._asdict().items() if name != "role"}
        return {"$dc": "CompiledRole", "f": {**fields, "role": {"$role": value.role.id}}}
    if hasattr(value, "_asdict"):  # a NamedTuple, or a record of the rule language
        fields = {name: _encode(item) for name, item in value._asdict().items()}
        return {"$dc": type(value).__name__, "f": fields}
    if isinstance(value, tuple):
        return {"$tuple": [_encode(item) for item in value]}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    return value


def _decoder() -> Any:
    """An object hook for one cache file: the roles decoded with the rulebook (which comes first) are the
    ones the compiled roles refer to."""
    roles: dict[str, model.Role] = {}

    def decode(obj: dict[str, Any]) -> Any:
        if "$dc" in obj:
            value = _CLASSES[obj["$dc"]](**obj["f"])
            if isinstance(value, model.Role):
                roles[value.id] = value
            return value
        if "$tuple" in obj:
            return tuple(obj["$tuple"])
        if "$field" in obj:
            return FIELDS[obj["$field"]]
        if "$role" in obj:
            return roles[obj["$role"]]
        return obj

    return decode


def dumps(compiled: compiler.CompiledRulebook) -> str:
    return json.dumps(_encode(compiled), ensure_ascii=False)


def loads(text: str | bytes) -> compiler.CompiledRulebook:
    """A compiled rulebook from its JSON; ValueError, KeyError or TypeError if the JSON is not one."""
    compiled = json.loads(text, object_hook=_decoder())
    if not isinstance(compiled, compiler.CompiledRulebook):
        raise ValueError("not a compiled rulebook")
    return compiled


def compiled_rulebook(directory: str | os.PathLike[str] | None = None) -> compiler.CompiledRulebook:
    """The compiled rulebook of a directory: from the cache when it is current, else loaded and compiled."""
    return open_rulebook(directory)[0]


def open_rulebook(
    directory: str | os.PathLike[str] | None = None,
    files: dict[str, bytes | OSError] | None = None,
) -> tuple[compiler.CompiledRulebook, MemoStore | None]:
    """The compiled rulebook of a directory and the store of its outcomes (None when caching is off).

    `files`: the directory's files as `read_rules` read them, when the caller already has them.
    """
    root = os.fspath(directory) if directory is not None else default_rules_dir()
    where = cache_dir()
    if files is None:
        files = read_rules(root) if os.path.isdir(root) else {}
    path = name = None
    if where is not None and files:
        name = key(root, files)
        path = os.path.join(where, f"compiled-{name[:32]}.json")
        found = read_sealed(path, f"compiled/{FORMAT}", name)
        if found is not None:
            try:
                compiled = loads(found[0])
                if compiled.rulebook.directory == str(root):
                    cachedir.touch(path)
                    return compiled, _store(where, found[1], compiled)
            except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
                pass  # not what it says it is: compile again
    compiled, payload = _built(root, files) or _compiled(root, files)
    if path is None or name is None or where is None:
        return compiled, None
    payload = payload or dumps(compiled).encode("utf-8")
    try:  # the user's alone, whatever the umask: a folder others could write to would not be used next time
        os.makedirs(where, mode=0o700, exist_ok=True)
    except OSError:
        pass  # then the write below fails too, quietly
    if write_atomically(path, seal(f"compiled/{FORMAT}", name, payload)):
        cachedir.prune(where, keep=(os.path.basename(path),))
    return compiled, _store(where, hashlib.sha256(payload).hexdigest(), compiled)


def _built(root: str, files: dict[str, bytes | OSError]) -> tuple[compiler.CompiledRulebook, bytes] | None:
    """A shipped rulebook as the package's build compiled it (see `prebuilt.py`), with its JSON; None when the
    package holds none for these files."""
    payload = prebuilt.find(root, files, _engine_digest())
    if payload is None:
        return None
    try:
        compiled = loads(payload)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    return (compiled, payload) if compiled.rulebook.directory == str(root) else None


def _compiled(root: str, files: dict[str, bytes | OSError]) -> tuple[compiler.CompiledRulebook, None]:
    from ..rulebook.load import load_rulebook  # pydantic and the rule-file models: only when compiling

    return compiler.compile_rulebook(load_rulebook(root, files)), None


def build_shipped(folder: str) -> list[str]:
    """Compile every shipped rulebook into `folder`, for `prebuilt.find`: what a package's build does. The paths
    written; OSError if one cannot be written."""
    from ..rulebook.choice import shipped_rulebooks  # only when building the package

    written = []
    for book in shipped_rulebooks():
        root = book.directory
        files = read_rules(root)
        payload = dumps(_compiled(root, files)[0]).encode("utf-8")
        path = prebuilt.write(root, files, _engine_digest(), payload, folder)
        if path is not None:
            written.append(path)
    return written


def _store(where: str, compiled_hash: str, compiled: compiler.CompiledRulebook) -> MemoStore:
    """The outcomes stored for exactly this compiled rulebook: its rows of the folder's memo store."""
    return MemoStore(os.path.join(where, cachedir.MEMO_NAME), compiled, compiled_hash)
