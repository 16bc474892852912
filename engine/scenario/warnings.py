"""Validation warnings: things a valid scenario says that are likely mistakes, or mean less than they seem.

A warning never stops a file: `guidelines validate` prints it and still
succeeds, `guidelines evaluate` prints it on stderr and the JSON report
carries it. Each names the file, line and field, like an error.

In a file with phases, each phase is looked at as the scenario it makes, and
a warning is located where the file writes what causes it: the field, if the
phase sets it; else the phase itself, naming the field. A warning that
carries on from the phase before is the same warning, said once.
"""

from __future__ import annotations

import datetime
from typing import Any

from ..errors import Problem
from .crosscheck import FORCES
from .phases import has_phases, merge_phases, name_phase, starting_state
from .vocab import FACILITY_ITEMS
from .yamlload import Document, dotted

GUIDELINES_SIGNED = datetime.date(1997, 9, 23)

Finding = tuple[tuple[Any, ...], str]


def warning_findings(data: dict[str, Any]) -> list[Finding]:
    """(location, message) of every warning about validated scenario data, each once, in file order."""
    if not has_phases(data):
        return state_findings(data)
    return list(dict.fromkeys(finding for found in phase_findings(data) for finding in found))


def phase_findings(data: dict[str, Any]) -> list[list[Finding]]:
    """The warnings of each phase of validated data: those of the scenario it makes, and a date out of order."""
    out: list[list[Finding]] = []
    previous = {(loc, message): (loc, message) for loc, message in state_findings(starting_state(data))}
    date_before = data.get("date")
    for state in merge_phases(data):
        here = ("phases", state.index)
        found: dict[Finding, Finding] = {}
        own_date = data["phases"][state.index].get("date")
        if own_date is not None and date_before is not None and str(own_date) < str(date_before):
            message = f"this phase is dated {own_date}, before the phase before it ({date_before})"
            found[(here + ("date",), message)] = (here + ("date",), message)
        date_before = state.date
        for loc, message in state_findings(state.data):
            at = state.origin(loc)
            key = (at, message)
            if key in previous:  # carries on: the same warning, where it was first said
                found[key] = previous[key]
            elif at[: len(here)] == here:
                found[key] = key
            else:  # something else this phase changed brings it about
                found[key] = (here, f"{name_phase(dotted(at), data)}: {message}")
        out.append(list(found.values()))
        previous = found
    return out


def state_findings(data: dict[str, Any]) -> list[Finding]:
    """(location, message) of every warning about one state of a scenario, in file order."""
    out: list[Finding] = []
    date = data.get("date")
    if date is not None:
        day = date if isinstance(date, datetime.date) else datetime.date.fromisoformat(str(date))
        if day < GUIDELINES_SIGNED:
            out.append((("date",), "the date is before the 1997 Guidelines existed (23 September 1997)"))
    situation = data["situation"]
    if situation.get("survival_threatening") and not situation.get("important_influence", False):
        message = (
            "survival_threatening is true while situation.important_influence is false; the government "
            "regards a survival-threatening situation as included in an important influence situation "
            "(Defense of Japan 2023): without that determination, facilities, logistic support, search and "
            "rescue and inspection are not triggered"
        )
        out.append((("situation", "survival_threatening"), message))
    attacked = situation.get("armed_attack_on_japan", False)
    areas = data.get("areas") or []
    kinds = {area["id"]: area["kind"] for area in areas}
    for i, area in enumerate(areas):
        kind = area["kind"]
        if kind == "japan" and area.get("combat") == "ongoing" and not attacked:
            message = (
                "combat is ongoing in Japanese territory while situation.armed_attack_on_japan is false; "
                "combat in Japan is very likely an armed attack on Japan"
            )
            out.append((("areas", i, "combat"), message))
        if kind != "foreign" and area.get("consent"):
            message = f"consent is the consent of another state, for foreign areas; this area is {kind}"
            out.append((("areas", i, "consent"), message))
        adjacent = area.get("adjacent_to")
        if adjacent and kind != "foreign":
            message = (
                f"adjacent_to is for foreign areas, whose territorial sea borders another area; this one is {kind}"
            )
            out.append((("areas", i, "adjacent_to"), message))
        elif adjacent and kinds.get(adjacent) == "foreign":
            message = (
                f"adjacent_to names {adjacent!r}, another foreign area; a foreign territorial sea matters "
                "next to Japanese territory or the high seas"
            )
            out.append((("areas", i, "adjacent_to"), message))
    for _, key in FORCES:
        for i, entry in enumerate((data.get(key) or {}).get("requests") or ()):
            if isinstance(entry, dict) and entry.get("area") and entry["item"] in FACILITY_ITEMS:
                message = f"facilities are inside Japan: the area of this {entry['item']} request is ignored"
                out.append(((key, "requests", i, "area"), message))
    return out


def scenario_warnings(
    data: dict[str, Any],
    document: Document | None = None,
    path: str = "",
    positions: dict[tuple[Any, ...], tuple[int, int]] | None = None,
) -> list[Problem]:
    """The warnings about validated scenario data as `Problem`s, located in `document` (or by `positions`)."""
    return _located(warning_findings(data), data, document, path, positions)


def phase_warnings(
    data: dict[str, Any],
    document: Document | None = None,
    path: str = "",
    positions: dict[tuple[Any, ...], tuple[int, int]] | None = None,
) -> list[list[Problem]]:
    """The warnings of each phase of validated data, located as `scenario_warnings` locates them."""
    return [_located(found, data, document, path, positions) for found in phase_findings(data)]


def _located(
    findings: list[Finding],
    data: dict[str, Any],
    document: Document | None,
    path: str,
    positions: dict[tuple[Any, ...], tuple[int, int]] | None,
) -> list[Problem]:
    out = []
    for loc, message in findings:
        position = document.position(loc) if document is not None else (positions or {}).get(loc)
        line, column = position if position else (None, None)
        where = document.path if document is not None else path
        out.append(Problem(message, where, line, column, name_phase(dotted(loc), data), severity="warning"))
    return sorted(out, key=lambda p: (p.line or 0, p.column or 0))
