"""Checks across fields that field types cannot express: unique ids, and every reference naming something real.

Areas have unique ids; events, requests and `adjacent_to` name areas that
exist; a force lists each request once; `expect:` names areas and requests the
scenario has; source ids are unique, and each `record:` entry cites sources the
file lists (the file's, or its phase's). In a file with phases, the same holds in every phase (see
`phases`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..errors import suggest
from .phases import Loc, has_phases, merge_phases, starting_state

FORCES = (("us", "us_forces"), ("other", "other_forces"))


def request_key(force: str, item: str, area: str | None) -> str:
    """How `expect:` and reports name a request: `item`, `item@area`, `other:` before another force's."""
    return ("other:" if force == "other" else "") + item + (f"@{area}" if area else "")


def request_entries(data: Any) -> list[tuple[str, int, Any, Any]]:
    """(force, index, item, area) of every request of the data, U.S. forces' first, as written (unchecked)."""
    out: list[tuple[str, int, Any, Any]] = []
    if not isinstance(data, dict):
        return out
    for force, key in FORCES:
        block = data.get(key)
        requests = block.get("requests") if isinstance(block, dict) else None
        for i, entry in enumerate(requests if isinstance(requests, list) else ()):
            if isinstance(entry, dict):
                out.append((force, i, entry.get("item"), entry.get("area")))
            else:
                out.append((force, i, entry, None))
    return out


def reference_problems(data: dict[str, Any]) -> list[tuple[tuple[object, ...], str, str | None]]:
    """Cross-field checks the field types cannot express: unique ids, references naming what exists.

    Returns (location, message, suggestion) triples; empty when all is well.
    In a phased file: the starting state, then each phase.
    """
    if not has_phases(data):
        return state_problems(data) + record_problems(data)
    return state_problems(starting_state(data)) + phase_problems(data) + record_problems(data)


def record_problems(data: dict[str, Any]) -> list[tuple[tuple[object, ...], str, str | None]]:
    """Source ids are unique, and every `record:` entry (top-level or a phase's) cites a source listed in
    the file's `sources:` or its phase's, and names areas its phase has."""
    problems: list[tuple[tuple[object, ...], str, str | None]] = []
    if not isinstance(data, dict):
        return problems
    file_ids = _source_ids(data, (), problems)
    phases = [(("phases", p), phase) for p, phase in _items(data.get("phases"))]
    states = merge_phases(data) if has_phases(data) else []
    areas_of = {("phases", s.index): s.data.get("areas") for s in states}
    areas_of[()] = states[-1].data.get("areas") if states else data.get("areas")  # a top-level record: the last
    for here, block in [((), data), *phases]:
        known = file_ids + (_source_ids(block, here, problems) if here else [])
        record = block.get("record")
        area_ids = [area.get("id") for _, area in _items(areas_of.get(here))]
        for role, entry in record.items() if isinstance(record, dict) else ():
            said = entry.get("areas") if isinstance(entry, dict) else None
            for area_id in said if isinstance(said, dict) else ():
                if isinstance(area_id, str) and area_id not in area_ids:
                    names = [a for a in area_ids if isinstance(a, str)]
                    message = f"no area with id {area_id!r} (areas: {', '.join(names) or 'none'})"
                    problems.append((here + ("record", role, "areas", area_id), message, suggest(area_id, names)))
            cited = entry.get("source") if isinstance(entry, dict) else None
            for i, source in enumerate(cited if isinstance(cited, list) else ()):
                if isinstance(source, str) and source not in known:
                    listed = ", ".join(known) or "none"
                    message = f"cites source {source!r}, which `sources:` does not list (sources: {listed})"
                    problems.append((here + ("record", role, "source", i), message, suggest(source, known)))
    return problems


def _source_ids(block: dict[str, Any], here: tuple[object, ...], problems: list[Any]) -> list[str]:
    """The ids a `sources:` list gives, each once; a duplicate is a problem."""
    ids: list[str] = []
    for i, source in _items(block.get("sources")):
        source_id = source.get("id")
        if isinstance(source_id, str) and source_id in ids:
            problems.append((here + ("sources", i, "id"), f"duplicate source id {source_id!r}", None))
        elif isinstance(source_id, str):
            ids.append(source_id)
    return ids


def _dotted(loc: tuple[Any, ...]) -> str:
    # start path: yaml's position tools only for a problem to locate
    from .yamlload import dotted

    return dotted(loc)


def state_problems(
    data: dict[str, Any], name: Callable[[tuple[Any, ...]], str] = _dotted
) -> list[tuple[tuple[object, ...], str, str | None]]:
    """The cross-field checks of one state of a scenario; `name` says where a location is written, for the
    messages that point at another place ("also ...")."""
    problems: list[tuple[tuple[object, ...], str, str | None]] = []
    if not isinstance(data, dict):
        return problems
    seen: dict[str, int] = {}
    for i, area in _items(data.get("areas")):
        area_id = area.get("id")
        if not isinstance(area_id, str):
            continue
        if area_id in seen:
            message = f"duplicate area id {area_id!r} (also {name(('areas', seen[area_id]))})"
            problems.append((("areas", i, "id"), message, None))
        else:
            seen[area_id] = i

    def missing_area(loc: tuple[object, ...], area_id: Any) -> None:
        if isinstance(area_id, str) and area_id not in seen:
            known = ", ".join(seen) or "none"
            problems.append((loc, f"no area with id {area_id!r} (areas: {known})", suggest(area_id, seen)))

    for i, area in _items(data.get("areas")):
        adjacent = area.get("adjacent_to")
        if isinstance(adjacent, str) and adjacent == area.get("id"):
            problems.append((("areas", i, "adjacent_to"), "an area cannot be adjacent to itself", None))
        else:
            missing_area(("areas", i, "adjacent_to"), adjacent)
    for i, event in _items(data.get("events")):
        missing_area(("events", i, "area"), event.get("area"))
    listed: dict[tuple[str, Any, Any], int] = {}
    for force, i, item, area in request_entries(data):
        block = dict(FORCES)[force]
        loc: tuple[object, ...] = (block, "requests", i)
        if isinstance(area, str):
            missing_area(loc + ("area",), area)
        if not isinstance(item, str) or not (area is None or isinstance(area, str)):
            continue
        if (force, item, area) in listed:
            where = f" at {area}" if area else ""
            message = f"{item!r}{where} is listed twice (also {name((block, 'requests', listed[(force, item, area)]))})"
            problems.append((loc, message, None))
        else:
            listed[(force, item, area)] = i
    known_requests = [request_key(force, item, area) for force, item, area in listed]
    for loc, entry in expect_entries(data.get("expect"), problems):
        areas = entry.get("areas") if isinstance(entry, dict) else None
        for area_id in areas if isinstance(areas, dict) else ():
            if isinstance(area_id, str) and area_id not in seen:
                message = f"no area with id {area_id!r}"
                problems.append((loc + ("areas", area_id), message, suggest(area_id, seen)))
        requests = entry.get("requests") if isinstance(entry, dict) else None
        for key in requests if isinstance(requests, dict) else ():
            if isinstance(key, str) and key not in known_requests:
                shown = ", ".join(known_requests) or "none"
                message = f"no request {key!r} in this scenario (requests: {shown})"
                problems.append((loc + ("requests", key), message, suggest(key, known_requests)))
    return problems


DETAIL_KEYS = frozenset({"status", "areas", "requests"})  # the keys of one role's expectation


def expect_entries(expect: Any, problems: list[tuple[tuple[object, ...], str, str | None]]) -> list[tuple[Any, Any]]:
    """The role entries of an `expect:` block, each with its location: `("expect", role)` in the plain form,
    `("expect", rulebook, role)` in the form keyed by rulebook. Adds the problems of the block's shape: keys of
    both forms at once, a rulebook id written as a number, a role's entry in place of a rulebook's block (or the
    other way round)."""
    if not isinstance(expect, dict):
        return []
    out: list[tuple[Any, Any]] = []
    roles = [key for key, value in expect.items() if not is_rulebook_block(value)]
    for key, value in expect.items():
        loc: tuple[object, ...] = ("expect", key)
        if is_rulebook_block(value):
            if roles:
                where = ", ".join(str(r) for r in roles)
                message = (
                    f"expect is keyed either by role (for the rulebook the file evaluates under) or by rulebook, "
                    f"not both: put {where} under a rulebook id"
                )
                problems.append((loc, message, None))
                continue
            for role, entry in value.items():
                if is_rulebook_block(entry):
                    message = f"under rulebook {key!r}, a role takes a status or {{status, areas, requests}}"
                    problems.append((loc + (role,), message, None))
                else:
                    out.append((loc + (role,), entry))
        else:
            out.append((loc, value))
    return out


def is_rulebook_block(value: object) -> bool:
    """Whether a value of `expect:` is a rulebook's block of roles, not one role's expectation: a mapping whose
    keys are not a role's (`status`, `areas`, `requests`, or a slip of one of them)."""
    if not isinstance(value, dict) or not value:
        return False
    keys = {key for key in value if isinstance(key, str)}
    return not keys <= DETAIL_KEYS and not any(_slip_of_detail(key) for key in keys - DETAIL_KEYS)


@functools.lru_cache(maxsize=1024)
def _slip_of_detail(key: str) -> bool:
    """Whether `key` is a likely slip of a role expectation's key: asked of every role of every phase's `expect:`,
    so each key is compared once a process."""
    return suggest(key, sorted(DETAIL_KEYS)) is not None


# The most a phased file may ask of the engine: phases x areas x events, counting the most areas and the most
# events any phase has. Each phase is a scenario to evaluate; this keeps the worst file (every phase changing
# what every rule reads) to some ten evaluations of the largest scenario, while every phase of a real crisis
# fits many times over (100 phases of 200 areas and 100 events, say, or 10 of 200 areas and 1,000 events).
MAX_SIZE = 2_000_000


def size_problem(data: dict[str, Any], states: list[Any]) -> list[tuple[Loc, str, str | None]]:
    """The problem of a phased file bigger than `MAX_SIZE` (phases x areas x events), located at its phases."""
    areas = max((len(s.data["areas"]) for s in states if isinstance(s.data.get("areas"), list)), default=0)
    events = max((len(s.data["events"]) for s in states if isinstance(s.data.get("events"), list)), default=0)
    size = len(states) * max(areas, 1) * max(events, 1)
    if size <= MAX_SIZE:
        return []
    message = (
        f"{len(states)} phases x {areas} areas x {events:,} events make {size:,}, over the limit of "
        f"{MAX_SIZE:,} (phases x areas x events): split the crisis across files, each starting where one ends"
    )
    return [(("phases",), message, None)]


def phase_problems(data: dict[str, Any]) -> list[tuple[Loc, str, str | None]]:
    """What is wrong with the phases of scenario data, found in each phase's merged state, located in the file.

    Each phase is checked as the whole scenario it makes (events, requests and
    `adjacent_to` naming areas of that phase, `expect:` naming its areas and
    requests), and a problem is reported where the phase wrote it; what a phase
    inherits was checked where it was written. Also: phase ids are unique, an
    `areas` entry changes an area at most once per phase, and one naming no
    area is a new area, which needs its `kind`. A top-level `expect:` is
    checked against the last phase. And the file is not bigger than
    `MAX_SIZE` (see `size_problem`).
    """
    problems: list[tuple[Loc, str, str | None]] = []
    if not has_phases(data):
        return problems
    ids: dict[str, int] = {}
    for p, phase in _items(data["phases"]):
        phase_id = phase.get("id")
        if isinstance(phase_id, str) and phase_id in ids:
            message = f"duplicate phase id {phase_id!r} (also phases[{ids[phase_id]}])"
            problems.append((("phases", p, "id"), message, None))
        elif isinstance(phase_id, str):
            ids[phase_id] = p
    known = [area.get("id") for _, area in _items(data.get("areas"))]
    states = merge_phases(data)
    for state in states:
        phase = data["phases"][state.index]
        here: Loc = ("phases", state.index)
        listed: dict[Any, int] = {}
        for j, entry in _items(phase.get("areas") if isinstance(phase, dict) else None):
            area_id = entry.get("id")
            if not isinstance(area_id, str):
                continue
            loc = here + ("areas", j, "id")
            if area_id in listed:
                first = _dotted(here + ("areas", listed[area_id]))
                message = f"area {area_id!r} is changed twice in this phase (also {first})"
                problems.append((loc, message, None))
            elif area_id not in known and entry.get("kind") is None:
                names = ", ".join(a for a in known if isinstance(a, str)) or "none"
                message = f"no area with id {area_id!r} to change (areas: {names}); a new area needs its `kind`"
                problems.append((loc, message, suggest(area_id, [a for a in known if isinstance(a, str)])))
            listed.setdefault(area_id, j)
        known = [area.get("id") for _, area in _items(state.data.get("areas"))]
        for loc, message, suggestion in state_problems(state.data, name=lambda at, o=state.origin: _dotted(o(at))):
            at = state.origin(loc)
            if at[:2] == here:  # the rest was checked where it was written
                problems.append((at, message, suggestion))
    problems += size_problem(data, states)
    if states and isinstance(data.get("expect"), dict):
        last = dict(states[-1].data, expect=data["expect"])
        problems += [problem for problem in state_problems(last) if problem[0][:1] == ("expect",)]
    return problems


def _items(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """The mappings of a list, with their indexes; anything else is left to the field checks."""
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]
