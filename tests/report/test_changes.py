"""What changed between two reports: the verdicts that differ, with the reasons on each side, and nothing else."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from engine.report.changes import changes, place
from engine.scenario.models import Scenario
from engine.verify.strategies import scenario_data

from ..helpers import run, scenario, verdict_grounds, verdict_statuses

STRAIT = {"id": "strait", "name": "Taiwan Strait", "kind": "high_seas", "combat": "none"}


def _with(area: dict[str, Any], **situation: Any) -> dict[str, Any]:
    return scenario(areas=[area], **situation)


def test_a_report_compared_with_itself_has_no_change(evaluator):
    """Nothing differs, so nothing is listed."""
    report = run(evaluator, _with(STRAIT, operating=True, requests=["civilian_ports", "weapons"]))
    assert changes(report, report) == []


def test_fighting_in_the_strait_blocks_surveillance_there_with_reasons_on_both_sides(evaluator):
    """A status that flips is listed at the area and, when the roll-up flips too, at the role, each side with its
    reasons and basis."""
    calm = run(evaluator, _with(STRAIT))
    fighting = run(evaluator, _with(dict(STRAIT, combat="ongoing")))
    found = {(c.role, c.area): c for c in changes(calm, fighting)}
    assert set(found) == {("surveillance", "strait"), ("surveillance", None)}
    change = found[("surveillance", "strait")]
    entry = change.as_dict()
    assert (entry["from"], entry["to"]) == ("applies", "blocked")
    assert entry["because"] == [r.text for r in fighting.roles["surveillance"].areas["strait"].reasons]
    assert entry["was"] == [r.text for r in calm.roles["surveillance"].areas["strait"].reasons]
    assert entry["basis"] and entry["was_basis"]
    assert entry["was_ground"] is not None and entry["ground"] is None
    assert entry["request"] is None
    assert place(change, fighting.area_names) == "Taiwan Strait"
    assert found[("surveillance", None)].is_roll_up


def test_an_area_on_one_side_only_has_no_status_on_the_other(evaluator):
    """A case present on one side only has `from` or `to` null."""
    one = run(evaluator, _with(STRAIT))
    two = run(evaluator, scenario(areas=[STRAIT, {"id": "okinawa", "kind": "japan"}]))
    added = [c.as_dict() for c in changes(one, two) if c.area == "okinawa"]
    assert added and all(c["from"] is None and c["to"] is not None and c["was"] == [] for c in added)
    removed = [c.as_dict() for c in changes(two, one) if c.area == "okinawa"]
    assert removed and all(c["to"] is None and c["because"] == [] for c in removed)


def test_requests_are_matched_by_force_item_and_place(evaluator):
    """A request keeps its identity whatever its position in the list; one that appears is a change from null."""
    first = run(evaluator, scenario(operating=True, requests=["civilian_ports", "supplies"]))
    second = run(evaluator, scenario(operating=True, requests=["supplies", "civilian_ports", "weapons"]))
    listed = [c.as_dict() for c in changes(first, second)]
    assert [(c["role"], c["request"], c["from"], c["to"]) for c in listed if c["request"]] == [
        ("logistic_support", {"force": "us", "item": "weapons", "area": None}, None, "blocked")
    ]


@given(scenario_data(max_areas=3, max_events=4), scenario_data(max_areas=3, max_events=4), st.booleans())
def test_the_changes_are_exactly_the_verdicts_that_differ(evaluator, a, b, share_areas):
    """Read off the two JSON reports independently: every key whose status differs is listed once as a change of
    status, and every area or request whose status stayed but whose ground or limits differ as one of ground."""
    if share_areas:  # the same places and requests in another situation, so that verdicts meet their counterpart
        b = dict(a, situation=b["situation"])
    first = run(evaluator, Scenario.model_validate(a).model_dump(mode="json"))
    second = run(evaluator, Scenario.model_validate(b).model_dump(mode="json"))
    old, new = verdict_statuses(first.as_dict()), verdict_statuses(second.as_dict())
    expected = {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
    listed = [c.as_dict() for c in changes(first, second)]
    keys = [(c["role"], c["area"], None if c["request"] is None else tuple(c["request"].values())) for c in listed]
    assert len(keys) == len(set(keys))
    assert {key for key, c in zip(keys, listed, strict=True) if c["kind"] == "status"} == expected
    was, now = verdict_grounds(first.as_dict()), verdict_grounds(second.as_dict())
    grounds = {key for key in was.keys() & now.keys() if was[key][0] == now[key][0] and was[key] != now[key]}
    assert {
        key for key, c in zip(keys, listed, strict=True) if c["kind"] == "ground" and key[1:] != (None, None)
    } == grounds
    for c, key in zip(listed, keys, strict=True):
        assert (c["from"], c["to"]) == (old.get(key), new.get(key))
