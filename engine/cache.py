"""A cache of compiled rulebooks, so a command starts without reading and compiling the rule files.

The cache holds JSON (never code): the checked rulebook and its compiled
rulesets, keyed by a digest of every rule file and of the engine's own source.
Change a rule or the engine and the key changes. It lives in
`$GUIDELINES_CACHE_DIR`, else `$XDG_CACHE_HOME/guidelines`, else
`~/.cache/guidelines`; `GUIDELINES_NO_CACHE=1` turns it off, and a cache that
cannot be read or written is simply not used.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from . import compiler, conditions, rulebook
from .fields import FIELDS, FieldSpec
from .memo import MemoStore

FORMAT = 1
_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        rulebook.Rulebook, rulebook.Concept, rulebook.Named, rulebook.Subject, rulebook.Procedure,
        rulebook.Role, rulebook.Notice,
        conditions.Compare, conditions.ConceptRef, conditions.AllOf, conditions.AnyOf, conditions.Not,
        conditions.Scope,
        compiler.CompiledRulebook, compiler.CompiledRuleset, compiler.CompiledRole, compiler.CompiledNotice,
        compiler.Ref, compiler.Node, compiler.Action, compiler.Trace,
    )
}  # fmt: skip


def cache_dir() -> Path | None:
    """Where compiled rulebooks are kept, or None when caching is off."""
    if os.environ.get("GUIDELINES_NO_CACHE"):
        return None
    if os.environ.get("GUIDELINES_CACHE_DIR"):
        return Path(os.environ["GUIDELINES_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "guidelines"


def _engine_digest() -> bytes:
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


_ENGINE: bytes | None = None


def key(directory: Path) -> str:
    """The cache key of a rulebook directory: every file in it, and the engine's source."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = _engine_digest()
    digest = hashlib.sha256(_ENGINE)
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(directory)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def _encode(value: Any) -> Any:
    if isinstance(value, FieldSpec):
        return {"$field": value.path}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$dc": type(value).__name__, "f": fields}
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


def _decode(obj: dict[str, Any]) -> Any:
    if "$dc" in obj:
        return _CLASSES[obj["$dc"]](**obj["f"])
    if "$tuple" in obj:
        return tuple(obj["$tuple"])
    if "$field" in obj:
        return FIELDS[obj["$field"]]
    return obj


def dumps(compiled: compiler.CompiledRulebook) -> str:
    return json.dumps({"format": FORMAT, "compiled": _encode(compiled)}, ensure_ascii=False)


def loads(text: str) -> compiler.CompiledRulebook:
    data = json.loads(text, object_hook=_decode)
    if data.get("format") != FORMAT:
        raise ValueError("cache format changed")
    return data["compiled"]


def compiled_rulebook(directory: str | os.PathLike[str] | None = None) -> compiler.CompiledRulebook:
    """The compiled rulebook of a directory: from the cache when it is current, else loaded and compiled."""
    return open_rulebook(directory)[0]


def open_rulebook(
    directory: str | os.PathLike[str] | None = None,
) -> tuple[compiler.CompiledRulebook, MemoStore | None]:
    """The compiled rulebook of a directory and the store of its outcomes (None when caching is off)."""
    root = Path(directory) if directory is not None else rulebook.default_rules_dir()
    where = cache_dir()
    path = store = None
    if where is not None and root.is_dir():
        try:
            cache_key = key(root)
        except OSError:
            cache_key = None
        if cache_key is not None:
            path = where / f"compiled-{cache_key}.json"
            store = MemoStore(where / f"memo-{cache_key}.json")
            try:
                compiled = loads(path.read_text(encoding="utf-8"))
                if compiled.rulebook.directory == str(root):
                    return compiled, store
            except (OSError, ValueError, KeyError, TypeError):
                pass
    compiled = compiler.compile_rulebook(rulebook.load_rulebook(root))
    if path is not None:
        _save(path, dumps(compiled))
    return compiled, store


def _save(path: Path, text: str) -> None:
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".compiled-", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError:
        pass  # a cache that cannot be written is not used
