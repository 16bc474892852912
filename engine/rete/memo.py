"""Outcomes kept between runs: the memo of an evaluator, stored beside its compiled rulebook.

Every entry is an outcome durable_rules produced for one subject (a role's
verdict or a notice's showing, with the value of every node behind it), keyed
by exactly the field values its rules read. The store carries the compiled
rulebook's fingerprint (every rule file and the engine's source) and is only
read when it matches, so a stored outcome is only ever reused for the very
rules and engine that produced it. Entries are compact: the node values as a string of 0 and 1
in the unit's fixed node order, and the values the comparisons saw.
"""

from __future__ import annotations

import json
from typing import Any

from ..util.files import write_atomically
from .outcome import Outcome, Unit

FORMAT = 2
STORE_LIMIT = 20_000  # entries kept on disk; a bigger store would cost more to load than it saves


class MemoStore:
    """The stored outcomes of one compiled rulebook, loaded lazily and saved when they grew."""

    def __init__(self, path: str, fingerprint: str = "") -> None:
        self.path = path
        self.fingerprint = fingerprint
        self._raw: dict[tuple[Any, ...], list[Any]] | None = None
        self._new: dict[tuple[Any, ...], list[Any]] = {}

    def _entries(self) -> dict[tuple[Any, ...], list[Any]]:
        if self._raw is None:
            self._raw = {}
            try:
                data = self._read()
                if data is not None:
                    self._raw = {_key(entry[0]): entry[1:] for entry in data["entries"]}
            except (OSError, ValueError, KeyError, TypeError, IndexError):
                self._raw = {}
        return self._raw

    def _read(self) -> dict[str, Any] | None:
        """The stored data, if it is of this format and for these very rules and engine."""
        with open(self.path, encoding="utf-8") as handle:
            data = json.load(handle)
        if data.get("format") != FORMAT or data.get("fingerprint") != self.fingerprint:
            return None
        return data

    def get(self, key: tuple[Any, ...], unit: Unit) -> Outcome | None:
        """The stored outcome for `key`, or None."""
        raw = self._entries().get(key)
        if raw is None:
            return None
        try:
            return decode(unit, raw)
        except (ValueError, IndexError, TypeError):
            return None

    def put(self, key: tuple[Any, ...], unit: Unit, outcome: Outcome) -> None:
        if key not in self._entries():
            self._new[key] = encode(unit, outcome)

    def save(self) -> None:
        """Write the store if it gained entries; a store that cannot be written is not used."""
        if not self._new:
            return
        entries = dict(self._entries())
        try:  # keep what other processes stored meanwhile
            current = self._read()
            for entry in current["entries"] if current else ():
                entries.setdefault(_key(entry[0]), entry[1:])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        entries.update(self._new)
        items = list(entries.items())[-STORE_LIMIT:]
        data = {"format": FORMAT, "fingerprint": self.fingerprint, "entries": [[list(k), *v] for k, v in items]}
        write_atomically(self.path, json.dumps(data, ensure_ascii=False))
        self._raw = dict(items)
        self._new = {}


def _key(stored: list[Any]) -> tuple[Any, ...]:
    """A key as the runtime builds it, from its JSON form: lists (what a fold read of each event) are tuples."""
    return tuple(_key(part) if isinstance(part, list) else part for part in stored)


_BIT = {True: "1", False: "0", None: "-"}


def encode(unit: Unit, outcome: Outcome) -> list[Any]:
    """[status, node values as 0/1 in the unit's node order (- for none), the values its comparisons saw, and
    for each fold the positions of the events that satisfied it (None when there was no area to fold)]."""
    bits = "".join(_BIT[outcome.values.get(pair)] for pair in unit.reach)
    observed = [outcome.observed[pair] for pair in unit.reach if pair in outcome.observed]
    folds = [outcome.folds.get((fold.node, fold.link)) for fold in unit.folds]
    return [outcome.status, bits, observed, [None if f is None else list(f) for f in folds]]


def decode(unit: Unit, raw: list[Any]) -> Outcome:
    status, bits, observed, folds = raw
    if len(bits) != len(unit.reach) or len(folds) != len(unit.folds):
        raise ValueError("stored outcome does not fit the unit")
    values = {pair: bit == "1" for pair, bit in zip(unit.reach, bits, strict=True) if bit != "-"}
    leaves = [pair for pair in unit.reach if pair in unit.leaves and pair in values]
    held = {
        (fold.node, fold.link): tuple(found) for fold, found in zip(unit.folds, folds, strict=True) if found is not None
    }
    return Outcome(status, values, dict(zip(leaves, observed, strict=True)), held)
