"""A cache of compiled rulebooks, so a command starts without reading and compiling the rule files.

The cache holds JSON (never code): the checked rulebook and its compiled
rulesets, under a fingerprint of every rule file and of the engine's own
source (each file's name, size and CRC-32), which the file itself carries and
which must match in full before its content is used. Change a rule or the
engine and the fingerprint changes. It lives in
`$GUIDELINES_CACHE_DIR`, else `$XDG_CACHE_HOME/guidelines`, else
`~/.cache/guidelines`; `GUIDELINES_NO_CACHE=1` turns it off, and a cache that
cannot be read or written is simply not used.
"""

from __future__ import annotations

import json
import os
import zlib
from typing import Any

from ..rulebook import conditions, model
from ..rulebook.extend import chain_or_self
from ..rulebook.shipped import default_rules_dir
from ..scenario.fields import FIELDS, FieldSpec
from ..util.files import write_atomically
from . import compiler
from .memo import MemoStore

FORMAT = 2
_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        model.Rulebook, model.Concept, model.Named, model.Subject, model.Procedure, model.Role, model.Notice,
        model.Ground, model.Variant, model.Constraint,
        conditions.Compare, conditions.ConceptRef, conditions.AllOf, conditions.AnyOf, conditions.Not,
        conditions.Adjacent, conditions.SomeEvent, conditions.Scope,
        compiler.CompiledRulebook, compiler.CompiledRuleset, compiler.CompiledRole, compiler.CompiledNotice,
        compiler.CompiledGround, compiler.Ref, compiler.Node, compiler.Action, compiler.Trace,
    )
}  # fmt: skip


def cache_dir() -> str | None:
    """Where compiled rulebooks are kept, or None when caching is off."""
    if os.environ.get("GUIDELINES_NO_CACHE"):
        return None
    if os.environ.get("GUIDELINES_CACHE_DIR"):
        return os.environ["GUIDELINES_CACHE_DIR"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "guidelines")


def _files(directory: str, suffix: str = "") -> list[str]:
    out = []
    for folder, _, names in os.walk(directory):
        out += [os.path.join(folder, n) for n in names if n.endswith(suffix) and not n.startswith(".")]
    return sorted(out)


def _print(paths: list[str], root: str) -> str:
    parts = []
    for path in paths:
        with open(path, "rb") as handle:
            data = handle.read()
        parts.append(f"{os.path.relpath(path, root)}:{len(data)}:{zlib.crc32(data):08x}")
    return ";".join(parts)


_ENGINE: str | None = None


def fingerprint(directory: str | os.PathLike[str]) -> str:
    """What a compiled rulebook depends on: every file of the rulebook directory (and of the rulebooks it
    extends) and of the engine."""
    global _ENGINE
    if _ENGINE is None:
        here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # engine/, every subpackage included
        _ENGINE = _print(_files(here, ".py"), here)
    root = os.path.abspath(directory)
    # A rulebook that extends another rests on the base's files too: each directory of the chain is printed.
    printed = "|".join(f"{d}|{_print(_files(d), d)}" for d in chain_or_self(root))
    return f"format {FORMAT}|{root}|{printed}|{_ENGINE}"


def key(directory: str | os.PathLike[str]) -> str:
    """A short name for a rulebook's cache files, derived from its fingerprint."""
    text = fingerprint(directory).encode()
    return f"{zlib.crc32(text):08x}{zlib.adler32(text):08x}"


def _encode(value: Any) -> Any:
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


def dumps(compiled: compiler.CompiledRulebook, fingerprint: str = "") -> str:
    return json.dumps({"format": FORMAT, "fingerprint": fingerprint, "compiled": _encode(compiled)}, ensure_ascii=False)


def loads(text: str, fingerprint: str | None = None) -> compiler.CompiledRulebook:
    data = json.loads(text, object_hook=_decoder())
    if data.get("format") != FORMAT:
        raise ValueError("cache format changed")
    if fingerprint is not None and data.get("fingerprint") != fingerprint:
        raise ValueError("cache is for other files")
    return data["compiled"]


def compiled_rulebook(directory: str | os.PathLike[str] | None = None) -> compiler.CompiledRulebook:
    """The compiled rulebook of a directory: from the cache when it is current, else loaded and compiled."""
    return open_rulebook(directory)[0]


def open_rulebook(
    directory: str | os.PathLike[str] | None = None,
) -> tuple[compiler.CompiledRulebook, MemoStore | None]:
    """The compiled rulebook of a directory and the store of its outcomes (None when caching is off)."""
    root = os.fspath(directory) if directory is not None else default_rules_dir()
    where = cache_dir()
    path = store = None
    printed = ""
    if where is not None and os.path.isdir(root):
        try:
            printed = fingerprint(root)
        except OSError:
            printed = ""
        if printed:
            name = key(root)
            path = os.path.join(where, f"compiled-{name}.json")
            store = MemoStore(os.path.join(where, f"memo-{name}.json"), printed)
            try:
                with open(path, encoding="utf-8") as handle:
                    compiled = loads(handle.read(), printed)
                if compiled.rulebook.directory == str(root):
                    return compiled, store
            except (OSError, ValueError, KeyError, TypeError):
                pass
    from ..rulebook.load import load_rulebook  # pydantic and the rule-file models, 80 ms: only when compiling

    compiled = compiler.compile_rulebook(load_rulebook(root))
    if path is not None:
        write_atomically(path, dumps(compiled, printed))
    return compiled, store
