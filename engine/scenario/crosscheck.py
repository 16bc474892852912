"""Checks across fields that field types cannot express: unique area ids, events naming real areas."""

from __future__ import annotations

from typing import Any

from ..errors import suggest


def reference_problems(data: dict[str, Any]) -> list[tuple[tuple[object, ...], str, str | None]]:
    """Cross-field checks the field types cannot express: unique area ids, events naming real areas.

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
    for i, event in _items(data.get("events")):
        area_id = event.get("area")
        if isinstance(area_id, str) and area_id not in seen:
            known = ", ".join(seen) or "none"
            message = f"no area with id {area_id!r} (areas: {known})"
            problems.append((("events", i, "area"), message, suggest(area_id, seen)))
    expect = data.get("expect")
    for role, entry in expect.items() if isinstance(expect, dict) else ():
        areas = entry.get("areas") if isinstance(entry, dict) else None
        for area_id in areas if isinstance(areas, dict) else ():
            if isinstance(area_id, str) and area_id not in seen:
                message = f"no area with id {area_id!r}"
                problems.append((("expect", role, "areas", area_id), message, suggest(area_id, seen)))
    us_forces = data.get("us_forces")
    requests = us_forces.get("requests") if isinstance(us_forces, dict) else None
    if isinstance(requests, list):
        for i, request in enumerate(requests):
            if isinstance(request, str) and request in requests[:i]:
                problems.append((("us_forces", "requests", i), f"{request!r} is listed twice", None))
    return problems


def _items(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """The mappings of a list, with their indexes; anything else is left to the field checks."""
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]
