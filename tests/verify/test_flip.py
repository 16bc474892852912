"""Properties of `guidelines flip` over generated scenarios; one property per test.

Each flip is checked the way a user would check it: the scenario read again
with the flip's changes as `--set` arguments and evaluated in full, its
verdict read from the JSON report (not from the search's own view of it).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from engine.report.evaluate import evaluate_scenario
from engine.scenario import load
from engine.scenario.overrides import parse_override
from engine.strategies import scenario_data
from engine.verify.flip import find_flips

# Each example searches every case of a scenario: far fewer examples than the suite's other properties.
BOUNDED = settings(max_examples=12, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck),
                   database=None)  # fmt: skip
SMALL = scenario_data(max_areas=3, max_events=3)
PHASED = scenario_data(max_areas=2, max_events=2, max_phases=2)


def entry(report: dict[str, Any], role: str, where: str | None) -> dict[str, Any]:
    """A case's entry in the JSON report: the role's area, its request (named as `expect:` names it), or the role."""
    found = report["roles"][role]
    if where is None:
        return found
    if found.get("areas") and where in found["areas"]:
        return found["areas"][where]
    for request in found["requests"]:
        key = ("other:" if request["force"] == "other" else "") + request["item"]
        if (key + (f"@{request['area']}" if request["area"] else "")) == where:
            return request
    raise AssertionError(f"no case {role} {where}")


def evaluated(data: dict[str, Any], settings_: tuple[str, ...], phase: str | None) -> dict[str, Any]:
    """The JSON report of the scenario with `--set` settings, at `phase` (a phased file's)."""
    loaded = load(data, [parse_override(text) for text in settings_])
    report = evaluate_scenario(loaded.data, source="<scenario>", phase=phase)
    return report.as_dict()


def flips_of(data: dict[str, Any]) -> list[Any]:
    return find_flips(data, load(data).data, source="<scenario>")


def assert_flips_hold(data: dict[str, Any]) -> None:
    for case in flips_of(data):
        for flip in case.flips:
            now = entry(evaluated(data, tuple(flip.settings()), case.phase), case.case.role, case.case.where)
            assert now["status"] == flip.decided.status, (case, flip)
            if flip.decided.ground is not None:
                assert now["ground"] == flip.decided.ground
            if case.case.where is not None:
                assert tuple(now.get("limits") or ()) == flip.decided.limits


@BOUNDED
@given(SMALL)
def test_each_flip_gives_its_status_with_set(data):
    """Evaluating the scenario with a flip's changes as --set gives the status, ground and limits it states."""
    assert_flips_hold(data)


@BOUNDED
@given(PHASED)
def test_each_flip_of_a_phase_gives_its_status_with_set(data):
    """In a phased file, a flip's --set changes give the stated status in the flip's phase."""
    assert_flips_hold(data)


@BOUNDED
@given(SMALL)
def test_no_part_of_a_flip_flips_the_case(data):
    """A flip is minimal: each of its changes alone (with --set) leaves the case's status as it is, or is no
    change to offer, as it contradicts another fact (a warning the scenario does not have fires)."""
    before = warnings_of(evaluated(data, (), None))
    for case in flips_of(data):
        for flip in case.flips:
            if len(flip.changes) < 2:
                continue
            for setting in flip.settings():
                report = evaluated(data, (setting,), case.phase)
                now = entry(report, case.case.role, case.case.where)
                contradicts = bool(warnings_of(report) - before)
                assert contradicts or now["status"] == case.case.decided.status, (case, flip, setting)


def warnings_of(report: dict[str, Any]) -> set[str]:
    return {w["message"] for w in report["warnings"]}


@BOUNDED
@given(SMALL)
def test_a_flip_changes_the_status(data):
    """Every flip offered changes the case's status, and fires no warning the scenario does not have."""
    before = warnings_of(evaluated(data, (), None))
    for case in flips_of(data):
        for flip in case.flips:
            assert flip.decided.status != case.case.decided.status
            assert warnings_of(evaluated(data, tuple(flip.settings()), None)) <= before, flip
