"""Outcomes kept between runs: the memo of an evaluator, stored beside its compiled rulebook.

Every entry is an outcome durable_rules produced for one subject (a role's
verdict or a notice's showing, with the value of every node behind it), keyed
by exactly the field values its rules read. The store's file name carries the
compiled rulebook's cache key, which covers every rule file and the engine's
source, so a stored outcome is only ever reused for the very rules and engine
that produced it. Entries are compact: the node values as a string of 0 and 1
in the unit's fixed node order, and the values the comparisons saw.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .runtime import Outcome, _Unit

FORMAT = 1
STORE_LIMIT = 20_000  # entries kept on disk; a bigger store would cost more to load than it saves


class MemoStore:
    """The stored outcomes of one compiled rulebook, loaded lazily and saved when they grew."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._raw: dict[tuple[Any, ...], list[Any]] | None = None
        self._new: dict[tuple[Any, ...], list[Any]] = {}

    def _entries(self) -> dict[tuple[Any, ...], list[Any]]:
        if self._raw is None:
            self._raw = {}
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("format") == FORMAT:
                    self._raw = {tuple(entry[0]): entry[1:] for entry in data["entries"]}
            except (OSError, ValueError, KeyError, TypeError, IndexError):
                self._raw = {}
        return self._raw

    def get(self, key: tuple[Any, ...], unit: _Unit) -> Outcome | None:
        """The stored outcome for `key`, or None."""
        raw = self._entries().get(key)
        if raw is None:
            return None
        try:
            return decode(unit, raw)
        except (ValueError, IndexError, TypeError):
            return None

    def put(self, key: tuple[Any, ...], unit: _Unit, outcome: Outcome) -> None:
        if key not in self._entries():
            self._new[key] = encode(unit, outcome)

    def save(self) -> None:
        """Write the store if it gained entries; a store that cannot be written is not used."""
        if not self._new:
            return
        import tempfile

        entries = dict(self._entries())
        try:  # keep what other processes stored meanwhile
            current = json.loads(self.path.read_text(encoding="utf-8"))
            if current.get("format") == FORMAT:
                for entry in current["entries"]:
                    entries.setdefault(tuple(entry[0]), entry[1:])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        entries.update(self._new)
        items = list(entries.items())[-STORE_LIMIT:]
        text = json.dumps({"format": FORMAT, "entries": [[list(k), *v] for k, v in items]}, ensure_ascii=False)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".memo-", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, self.path)
        except OSError:
            return
        self._raw = dict(items)
        self._new = {}


def encode(unit: _Unit, outcome: Outcome) -> list[Any]:
    """[status, node values as 0/1 in the unit's node order, the values its comparisons saw]."""
    bits = "".join("1" if outcome.values[pair] else "0" for pair in unit.reach)
    observed = [outcome.observed[pair] for pair in unit.reach if pair in outcome.observed]
    return [outcome.status, bits, observed]


def decode(unit: _Unit, raw: list[Any]) -> Outcome:
    from .runtime import Outcome

    status, bits, observed = raw
    if len(bits) != len(unit.reach):
        raise ValueError("stored outcome does not fit the unit")
    values = {pair: bit == "1" for pair, bit in zip(unit.reach, bits, strict=True)}
    leaves = [pair for pair in unit.reach if pair in unit.leaves]
    return Outcome(status, values, dict(zip(leaves, observed, strict=True)))
