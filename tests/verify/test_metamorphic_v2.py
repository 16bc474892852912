"""Metamorphic properties on the rule language's version 2 fixture, whose rules read across `adjacent_to` and
over the events of an area: what may and may not move a verdict. One property per test."""

from __future__ import annotations

import copy

from hypothesis import given
from hypothesis import strategies as st

from engine.strategies import scenario_data

from ..helpers import report_of
from .test_hypothesis import verdict_view
from .test_metamorphic import assert_event_is_local


@given(scenario_data(), st.randoms(use_true_random=False))
def test_order_of_areas_and_events_changes_nothing(fresh_v2, data, random):
    """Folds run over the events of an area in file order; shuffling areas and events changes no verdict."""
    shuffled = copy.deepcopy(data)
    for key in ("areas", "events"):
        if key in data:
            random.shuffle(shuffled[key])
    assert verdict_view(report_of(fresh_v2, shuffled)) == verdict_view(report_of(fresh_v2, data))


@given(scenario_data(), st.data())
def test_an_event_reaches_its_area_and_the_areas_next_to_it_only(fresh_v2, data, draw):
    """A new event changes at most its own area and the areas whose `adjacent_to` names it."""
    assert_event_is_local(fresh_v2, data, draw)


@given(scenario_data(), st.data())
def test_making_a_rear_area_adjacent_never_blocks_a_rescue_that_applied(fresh_v2, data, draw):
    """Making a foreign area with no `adjacent_to` adjacent to a calm high-seas area keeps every applying rescue
    applying."""
    foreign = [a for a in data.get("areas") or () if a["kind"] == "foreign" and "adjacent_to" not in a]
    if not foreign:
        return
    target = draw.draw(st.sampled_from(foreign), label="foreign area")
    changed = copy.deepcopy(data)
    changed["areas"].append({"id": "calm_sea_next_door", "kind": "high_seas"})
    for place in changed["areas"]:
        if place["id"] == target["id"]:
            place["adjacent_to"] = "calm_sea_next_door"
    before, after = report_of(fresh_v2, data), report_of(fresh_v2, changed)
    for area_id, verdict in before["roles"]["search_and_rescue"]["areas"].items():
        if verdict["status"] == "applies":
            assert after["roles"]["search_and_rescue"]["areas"][area_id]["status"] == "applies", area_id
