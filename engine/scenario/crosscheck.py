"""Checks across fields that field types cannot express: unique ids, and every reference naming something real.

Areas have unique ids; events, requests and `adjacent_to` name areas that
exist; a force lists each request once; `expect:` names areas and requests the
scenario has.
"""

from __future__ import annotations

from typing import Any

from ..errors import suggest
from .vocab import ROLE_IDS, RULEBOOK_IDS

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
    """
    problems: list[tuple[tuple[object, ...], str, str | None]] = []
    if not isinstance(data, dict):
        return problems
    seen: dict[str, int] = {}
    for i, area in _items(data.get("areas")):
        area_id = area.get("id")
        if not isinstance(area_id, str):
            continue
        if area_id in seen:
            problems.append((("areas", i, "id"), f"duplicate area id {area_id!r} (also areas[{seen[area_id]}])", None))
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
            message = f"{item!r}{where} is listed twice (also {block}.requests[{listed[(force, item, area)]}])"
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
    roles = [key for key in expect if key in ROLE_IDS]
    for key, value in expect.items():
        loc: tuple[object, ...] = ("expect", key)
        if key in RULEBOOK_IDS:
            if roles:
                where = ", ".join(str(r) for r in roles)
                message = (
                    f"expect is keyed either by role (for the rulebook the file evaluates under) or by rulebook, "
                    f"not both: put {where} under a rulebook id"
                )
                problems.append((loc, message, None))
                continue
            if not isinstance(value, dict) or (value and set(value) <= DETAIL_KEYS):
                message = f"under rulebook {key!r}, expect lists roles: {', '.join(ROLE_IDS)}"
                problems.append((loc, message, None))
                continue
            out.extend((loc + (role,), entry) for role, entry in value.items())
        elif key in ROLE_IDS:
            if isinstance(value, dict) and any(k in ROLE_IDS for k in value):
                message = (
                    "a role takes a status or {status, areas, requests}; to pin several rulebooks, key the whole "
                    'block by rulebook: expect: {"1997": {...}, "2015": {...}}'
                )
                problems.append((loc, message, None))
                continue
            out.append((loc, value))
    return out


def _items(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """The mappings of a list, with their indexes; anything else is left to the field checks."""
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]
