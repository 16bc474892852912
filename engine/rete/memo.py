"""Outcomes kept between runs: the memo of an evaluator, stored beside its compiled rulebook.

Every entry is an outcome durable_rules produced for one subject (a role's
verdict or a notice's showing, with the value of every node behind it), keyed
by exactly the field values its rules read. The store is named and sealed by
the hash of the compiled rulebook that produced its outcomes (see `cache.py`),
so a stored outcome is only ever reused with the very compiled rules it came
from. Entries are compact: the node values as a string of 0 and 1 in the
unit's fixed node order, and the values the comparisons saw.

A stored outcome is checked before it is used: its status must be the one its
own node values give (see `status_from_values`). A store of the wrong shape,
or with one entry that fails that check, is dropped whole and recomputed.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from ..util.files import read_sealed, seal, write_atomically
from .outcome import Outcome, Unit

if TYPE_CHECKING:  # pragma: no cover
    from .compiler import CompiledRulebook, Ref

FORMAT = 3
STORE_LIMIT = 20_000  # entries kept on disk; a bigger store would cost more to load than it saves
NOTICE_PREFIX = "notice:"  # how the runtime names the unit of a notice


class MemoStore:
    """The stored outcomes of one compiled rulebook, loaded lazily and saved when they grew."""

    def __init__(self, path: str, compiled: CompiledRulebook, key: str = "") -> None:
        self.path = path
        self.compiled = compiled
        self.key = key  # the compiled rulebook's hash
        self._raw: dict[tuple[Any, ...], list[Any]] | None = None
        self._new: dict[tuple[Any, ...], list[Any]] = {}
        self._distrusted = False  # the file on disk failed a check: rewrite it, and merge nothing from it

    def _entries(self) -> dict[tuple[Any, ...], list[Any]]:
        if self._raw is None:
            self._raw = {}
            if not self._distrusted:
                entries = self._read()
                if entries is None:
                    self._distrusted = True
                else:
                    self._raw = entries
        return self._raw

    def _read(self) -> dict[tuple[Any, ...], list[Any]] | None:
        """The stored entries, if the file is whole, sealed for this compiled rulebook and of the right shape.

        No file at all is an empty store; anything else that is wrong is None.
        """
        found = read_sealed(self.path, f"memo/{FORMAT}", self.key)
        if found is None:
            return {} if not os.path.lexists(self.path) else None
        try:
            data = json.loads(found[0])
            entries = {}
            for entry in data["entries"]:
                if not (isinstance(entry, list) and len(entry) == 5 and isinstance(entry[0], list)):
                    return None
                entries[_key(entry[0])] = entry[1:]
            return entries
        except (ValueError, KeyError, TypeError, IndexError, RecursionError):
            return None

    def get(self, key: tuple[Any, ...], unit: Unit) -> Outcome | None:
        """The stored outcome for `key`, or None; a stored outcome that fails its check drops the whole store."""
        raw = self._entries().get(key)
        if raw is None:
            return None
        try:
            outcome = decode(unit, raw)
            if outcome.status == status_from_values(self.compiled, unit.name, outcome):
                return outcome
        except (ValueError, IndexError, TypeError, KeyError, AttributeError):
            pass
        self._raw = {}
        self._distrusted = True
        return None

    def put(self, key: tuple[Any, ...], unit: Unit, outcome: Outcome) -> None:
        if key not in self._entries():
            self._new[key] = encode(unit, outcome)
            if len(self._new) > STORE_LIMIT:  # only the newest are saved: older ones need not stay in memory
                del self._new[next(iter(self._new))]

    def save(self) -> None:
        """Write the store if it gained entries; a store that cannot be written is not used."""
        if not self._new:
            return
        entries = dict(self._entries())
        if not self._distrusted:  # keep what other processes stored meanwhile
            for stored_key, stored in (self._read() or {}).items():
                entries.setdefault(stored_key, stored)
        entries.update(self._new)
        items = list(entries.items())[-STORE_LIMIT:]
        payload = json.dumps({"entries": [[list(k), *v] for k, v in items]}, ensure_ascii=False)
        if write_atomically(self.path, seal(f"memo/{FORMAT}", self.key, payload.encode("utf-8"))):
            self._distrusted = False
        self._raw = dict(items)
        self._new = {}


def _key(stored: list[Any]) -> tuple[Any, ...]:
    """A key as the runtime builds it, from its JSON form: lists (what a fold read of each event) are tuples."""
    return tuple(_key(part) if isinstance(part, list) else part for part in stored)


_BIT = {True: "1", False: "0", None: "-"}


def status_from_values(compiled: CompiledRulebook, unit_name: str, outcome: Outcome) -> str | None:
    """The status an outcome's own node values give, by the compiled verdict rules; None for an unknown unit.

    A role is not triggered unless its `triggered` node is true; then it
    applies if it has no `ok` node or that node is true, and is blocked
    otherwise. A notice is shown when its `when` node is true.
    """

    def value(ref: Ref) -> bool:
        return outcome.values[(ref.node, ref.link)]

    role = compiled.roles.get(unit_name)
    if role is not None:
        if not value(role.triggered):
            return "not_triggered"
        return "applies" if role.ok is None or value(role.ok) else "blocked"
    if unit_name.startswith(NOTICE_PREFIX):
        notice = compiled.notices.get(unit_name[len(NOTICE_PREFIX) :])
        if notice is not None and notice.when is not None:
            return "shown" if value(notice.when.ref) else "hidden"
    return None


def encode(unit: Unit, outcome: Outcome) -> list[Any]:
    """[status, node values as 0/1 in the unit's node order (- for none), the values its comparisons saw, and
    for each fold the positions of the events that satisfied it (None when there was no area to fold)]."""
    bits = "".join(_BIT[outcome.values.get(pair)] for pair in unit.reach)
    observed = [outcome.observed[pair] for pair in unit.reach if pair in outcome.observed]
    folds = [outcome.folds.get((fold.node, fold.link)) for fold in unit.folds]
    return [outcome.status, bits, observed, [None if f is None else list(f) for f in folds]]


def decode(unit: Unit, raw: list[Any]) -> Outcome:
    status, bits, observed, folds = raw
    if not isinstance(bits, str) or len(bits) != len(unit.reach) or set(bits) - {"0", "1", "-"}:
        raise ValueError("stored outcome does not fit the unit")
    if not isinstance(observed, list) or not isinstance(folds, list) or len(folds) != len(unit.folds):
        raise TypeError("stored observations do not fit the unit")
    values = {pair: bit == "1" for pair, bit in zip(unit.reach, bits, strict=True) if bit != "-"}
    leaves = [pair for pair in unit.reach if pair in unit.leaves and pair in values]
    held = {
        (fold.node, fold.link): tuple(found) for fold, found in zip(unit.folds, folds, strict=True) if found is not None
    }
    return Outcome(status, values, dict(zip(leaves, observed, strict=True)), held)
