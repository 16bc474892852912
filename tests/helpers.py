"""Small builders for scenarios in tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.report.evaluate import evaluate_data
from engine.scenario.models import Scenario


def scenario(
    *,
    influence: bool = True,
    attack: bool = False,
    resolution: bool = False,
    operating: bool = False,
    requests: list[str] | None = None,
    areas: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A valid scenario as plain data, validated through the model."""
    data = {
        "scenario": "test",
        "situation": {
            "important_influence": influence,
            "armed_attack_on_japan": attack,
            "un_sanctions_resolution": resolution,
        },
        "us_forces": {"operating": operating, "requests": requests or []},
        "areas": areas or [],
        "events": events or [],
    }
    return Scenario.model_validate(data).model_dump(mode="json")


def run(evaluator, data: dict[str, Any]):
    return evaluate_data(data, evaluator, source="<test>")


def report_of(evaluator, data: dict[str, Any]) -> dict[str, Any]:
    """The JSON report of scenario data as a file holds it (validated first)."""
    valid = Scenario.model_validate(data).model_dump(mode="json")
    return evaluate_data(valid, evaluator, source="<generated>").as_dict()


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` with `new` in a file; return the line where the edit starts."""
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))
    return text[: text.index(old)].count("\n") + 1


def merged_phase(data: dict[str, Any], index: int) -> dict[str, Any]:
    """The scenario phase `index` of a file makes, as plain data without phases.

    Restated from the contract's Phases paragraph for the tests, not taken from the product: situation and
    forces fields merge; an area entry updates the area with its id, field by field, or adds an area; a list
    of events (or requests, inside a forces block) replaces the one before; a phase's date, if any, replaces
    the date before it.
    """
    import copy

    state = {key: copy.deepcopy(value) for key, value in data.items() if key not in ("phases", "expect")}
    for phase in data["phases"][: index + 1]:
        if phase.get("date") is not None:
            state["date"] = phase["date"]
        for block in ("situation", "us_forces", "other_forces"):
            if block in phase:
                state[block] = {**state.get(block, {}), **copy.deepcopy(phase[block])}
        for change in phase.get("areas", []):
            areas = state.setdefault("areas", [])
            same = [area for area in areas if area["id"] == change["id"]]
            if same:
                same[0].update(change)
            else:
                areas.append(dict(change))
        if "events" in phase:
            state["events"] = copy.deepcopy(phase["events"])
    return state


def verdict_statuses(report: dict[str, Any]) -> dict[tuple[Any, ...], str]:
    """Every verdict of a JSON report, keyed as a change names it: (role, area, request), each but role None."""
    out: dict[tuple[Any, ...], str] = {}
    for role_id, role in report["roles"].items():
        out[(role_id, None, None)] = role["status"]
        for area_id, entry in (role.get("areas") or {}).items():
            out[(role_id, area_id, None)] = entry["status"]
        for entry in role.get("requests") or ():
            out[(role_id, None, (entry["force"], entry["item"], entry["area"]))] = entry["status"]
    return out


def verdict_grounds(report: dict[str, Any]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """Every area's and request's (status, ground, limits) in a JSON report, keyed as `verdict_statuses` keys
    them: what a change of kind `ground` compares (the limits only where the verdict is blocked)."""
    out: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for role_id, role in report["roles"].items():
        entries = [((role_id, area_id, None), e) for area_id, e in (role.get("areas") or {}).items()]
        entries += [((role_id, None, (e["force"], e["item"], e["area"])), e) for e in role.get("requests") or ()]
        for key, entry in entries:
            blocked = entry["status"] == "blocked"
            limits = tuple(dict.fromkeys(entry.get("limits") or ())) if blocked else ()
            out[key] = (entry["status"], entry["ground"], limits)
    return out


def unwrapped(text: str) -> str:
    """Messages as one line each: a message with no FILE:LINE:COL wraps to the width, its later lines indented
    by four."""
    return text.replace("\n    ", " ")
