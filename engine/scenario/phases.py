"""Phases: a crisis as it unfolds, each phase merged into the state before it, and what merging reveals.

A scenario file's own fields are the starting state. Each phase states only
what changes: the fields of `situation`, `us_forces` and `other_forces` it
gives replace those before; an `areas` entry changes the fields it gives of
the area with its id, or adds an area (a new area needs its `kind`); a list of
`events` or `requests` replaces the one before. An undated phase takes the
date before it. A phase's state is a whole scenario (what the engine
evaluates), and every part of it remembers where the file wrote it, so a
problem found in the merged state names the line and the phase it comes from.

Merging is tolerant: it runs on data not yet validated (to find every problem
at once) as well as on validated data, where a field a phase leaves out reads
None.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from ..errors import GuidelinesError, suggest

Loc = tuple[Any, ...]
FORCE_KEYS = ("us_forces", "other_forces")
# A new area's fields that the file may leave out, as the `Area` model fills them in.
AREA_DEFAULTS: dict[str, Any] = {"name": None, "combat": "none", "consent": False, "adjacent_to": None}


class Origins:
    """Where each part of a merged state was written: a location in the state -> a location in the file."""

    __slots__ = ("table",)

    def __init__(self, table: dict[Loc, Loc] | None = None) -> None:
        self.table = table or {}

    def __call__(self, loc: Loc) -> Loc:
        """The file location of `loc`: that of its nearest part with a known origin, the rest appended."""
        for cut in range(len(loc), 0, -1):
            origin = self.table.get(loc[:cut])
            if origin is not None:
                return origin + loc[cut:]
        return loc  # the starting state stands where it is written


class PhaseState(NamedTuple):
    """One phase of a file, merged: the scenario as it stands in that phase."""

    index: int  # the phase's position in `phases`
    id: Any  # as written (text once validated)
    name: str | None
    date: Any  # the phase's date, else the one before it
    data: dict[str, Any]  # a whole scenario: no `phases`; `expect` is the phase's own
    origin: Origins


class UnknownPhaseError(GuidelinesError):
    """`--phase ID` names no phase of the file: a usage error."""

    exit_code = 2


def phase_index(ids: Sequence[str | None], wanted: str) -> int:
    """The position of phase `wanted` among a file's phase ids; raises `UnknownPhaseError`, with a suggestion."""
    if not ids:
        raise UnknownPhaseError(f"the file has no phases, so --phase {wanted} names none")
    if wanted in ids:
        return ids.index(wanted)
    known = [i for i in ids if i is not None]
    hint = suggest(wanted, known)
    raise UnknownPhaseError(
        f"no phase {wanted!r}; the phases are {', '.join(known)}" + (f" (did you mean {hint!r}?)" if hint else "")
    )


def has_phases(data: Any) -> bool:
    """Whether scenario data has a list of phases (one at least)."""
    return isinstance(data, dict) and isinstance(data.get("phases"), list) and bool(data["phases"])


def phase_states(data: dict[str, Any]) -> list[PhaseState]:
    """The state of each phase of validated data; a file without phases is one phase, itself (with no id)."""
    return merge_phases(data) or [PhaseState(0, None, None, data.get("date"), data, Origins())]


def starting_state(data: dict[str, Any]) -> dict[str, Any]:
    """The scenario's own fields, without its phases and (in a phased file, where it checks the last phase) expect."""
    return {key: value for key, value in data.items() if key not in ("phases", "expect")}


def _dicts(value: Any) -> list[tuple[int, dict[str, Any]]]:
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)] if isinstance(value, list) else []


def _given(value: Any) -> dict[str, Any]:
    """The fields of a change that are given (a validated change reads None for the others)."""
    if not isinstance(value, dict):
        return {}
    return {key: item for key, item in value.items() if item is not None}


def phase_ids(data: dict[str, Any]) -> list[Any]:
    """The id of each phase of scenario data, as written (None for a phase without one)."""
    phases = data.get("phases") if has_phases(data) else []
    return [phase.get("id") if isinstance(phase, dict) else None for phase in phases]


def phase_state(data: dict[str, Any], wanted: str) -> PhaseState:
    """The state of phase `wanted` of validated data, merged from the phases before it (none of which is
    evaluated); raises `UnknownPhaseError`, with a suggestion, when no phase has that id."""
    index = phase_index([i if isinstance(i, str) else None for i in phase_ids(data)], wanted)
    return merge_phases(data, upto=index)[index]


def merge_phases(data: dict[str, Any], upto: int | None = None) -> list[PhaseState]:
    """The state of each phase of scenario data, in order (none when it has no phases); with `upto`, of the
    phases up to that position only, as the later ones change nothing before them."""
    if not has_phases(data):
        return []
    state = starting_state(data)
    if isinstance(state.get("areas"), list):
        state["areas"] = [dict(area) if isinstance(area, dict) else area for area in state["areas"]]
    table: dict[Loc, Loc] = {}
    out = []
    phases = data["phases"] if upto is None else data["phases"][: upto + 1]
    for p, phase in enumerate(phases):
        here: Loc = ("phases", p)
        if not isinstance(phase, dict):
            out.append(PhaseState(p, None, None, state.get("date"), dict(state, expect=None), Origins(dict(table))))
            continue
        state = dict(state)
        if phase.get("date") is not None:
            state["date"] = phase["date"]
            table[("date",)] = here + ("date",)
        changed = _given(phase.get("situation"))
        if changed:
            base = state.get("situation")
            state["situation"] = {**(base if isinstance(base, dict) else {}), **changed}
            table.update({("situation", key): here + ("situation", key) for key in changed})
        for force in FORCE_KEYS:
            changed = _given(phase.get(force))
            if changed:
                base = state.get(force)
                state[force] = {**(base if isinstance(base, dict) else {}), **changed}
                table.update({(force, key): here + (force, key) for key in changed})
        if isinstance(phase.get("areas"), list):
            areas = list(state["areas"]) if isinstance(state.get("areas"), list) else []
            by_id = {area["id"]: i for i, area in _dicts(areas) if isinstance(area.get("id"), str)}
            for j, entry in _dicts(phase["areas"]):
                at = here + ("areas", j)
                changed = _given(entry)
                area_id = entry.get("id")
                i = by_id.get(area_id) if isinstance(area_id, str) else None
                if i is None:
                    i = len(areas)
                    if isinstance(area_id, str):
                        by_id[area_id] = i
                    areas.append({**AREA_DEFAULTS, **changed})
                    table[("areas", i)] = at
                else:
                    areas[i] = {**areas[i], **changed}
                table.update({("areas", i, key): at + (key,) for key in changed if key != "id"})
            state["areas"] = areas
        if phase.get("events") is not None:
            state["events"] = phase["events"]
            table[("events",)] = here + ("events",)
        state["expect"] = phase.get("expect")
        table[("expect",)] = here + ("expect",)
        date = state.get("date")
        out.append(PhaseState(p, phase.get("id"), phase.get("name"), date, state, Origins(dict(table))))
    return out


_PHASE_FIELD = re.compile(r"^phases\[(\d+)\]")


def name_phase(field: str, data: Any) -> str:
    """A field in a phase, naming the phase by its id too: `phases[2] (ceasefire).areas[0].kind`."""
    match = _PHASE_FIELD.match(field)
    if match is None or not has_phases(data):
        return field
    index = int(match.group(1))
    phase = data["phases"][index] if index < len(data["phases"]) else None
    phase_id = phase.get("id") if isinstance(phase, dict) else None
    if not isinstance(phase_id, str):
        return field
    return f"{match.group(0)} ({phase_id}){field[match.end() :]}"
