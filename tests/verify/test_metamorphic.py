"""Metamorphic properties: how verdicts must (not) move when a scenario is changed in a known way.

One property per test. Bounded in CI by the `ci` profile (tests/conftest.py);
`HYPOTHESIS_PROFILE=deep pytest tests/verify/test_metamorphic.py` explores far more.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.scenario.vocab import AREA_KINDS, COMBATS
from engine.strategies import area_ids, event, scenario_data

from ..helpers import report_of

LEGAL_BASES = ("un_sanctions_resolution", "flag_state_consent", "area_consent")


@pytest.fixture(scope="module", params=["1997", "2015"])
def law(request):
    """An evaluator without the memo of each shipped rulebook: every property here holds under both."""
    from engine.rete.runtime import Evaluator
    from engine.rulebook.choice import choose
    from engine.rulebook.load import load_rulebook

    return Evaluator(load_rulebook(choose(None, rulebook=request.param).directory), memo=False)


def new_area(area_id: str) -> st.SearchStrategy[dict[str, Any]]:
    """An area with the given id, any kind, combat and consent (each optional key present or not)."""
    return st.fixed_dictionaries(
        {"id": st.just(area_id), "kind": st.sampled_from(AREA_KINDS)},
        optional={"combat": st.sampled_from(COMBATS), "consent": st.booleans()},
    )


def with_legal_basis(data: dict[str, Any], bases: set[str]) -> dict[str, Any]:
    """The scenario with the chosen legal bases added: a UN resolution, flag states' consent, areas' consent."""
    out = copy.deepcopy(data)
    if "un_sanctions_resolution" in bases:
        out["situation"]["un_sanctions_resolution"] = True
    if "flag_state_consent" in bases:
        for item in out.get("events") or ():
            if item["type"] == "sanctions_shipping":
                item["flag_state_consent"] = True
    if "area_consent" in bases:
        for place in out.get("areas") or ():
            place["consent"] = True
    return out


@given(scenario_data(), st.sets(st.sampled_from(LEGAL_BASES), min_size=1))
def test_a_legal_basis_never_turns_applies_into_blocked(law, data, bases):
    """Adding a UN resolution, flag-state consent or an area's consent keeps every applying role, area and case applying."""
    before = report_of(law, data)
    after = report_of(law, with_legal_basis(data, bases))
    for role_id, role in before["roles"].items():
        now = after["roles"][role_id]
        if role["status"] == "applies":
            assert now["status"] == "applies", role_id
        for area_id, verdict in (role.get("areas") or {}).items():
            if verdict["status"] == "applies":
                assert now["areas"][area_id]["status"] == "applies", f"{role_id}@{area_id}"
        assert len(now["cases"]) == len(role["cases"])
        for case, later in zip(role["cases"], now["cases"], strict=True):
            if case["status"] == "applies":
                assert later["status"] == "applies", f"{role_id} {case['subject']}"


@given(scenario_data(), st.data())
def test_an_unrelated_area_changes_no_other_verdict(law, data, draw):
    """A new area, with or without events of its own, leaves the other areas' verdicts and reasons as they were.

    The roles not reported per area (facility access, refugee acceptance) do not change at all.
    """
    existing = [place["id"] for place in data.get("areas") or ()]
    new_id = draw.draw(area_ids().filter(lambda i: i not in existing), label="new area id")
    added = copy.deepcopy(data)
    areas = added.setdefault("areas", [])
    areas.insert(draw.draw(st.integers(0, len(areas)), label="position"), draw.draw(new_area(new_id), label="new area"))
    own = draw.draw(st.lists(event([new_id]).filter(lambda e: "area" in e), max_size=3), label="its events")
    if own:
        added["events"] = [*(added.get("events") or ()), *own]

    before, after = report_of(law, data), report_of(law, added)
    for role_id, role in before["roles"].items():
        now = after["roles"][role_id]
        if "areas" not in role:
            assert now == role, role_id
            continue
        for area_id, verdict in role["areas"].items():
            assert now["areas"][area_id] == verdict, f"{role_id}@{area_id}"


@given(scenario_data(), st.data())
def test_an_unrelated_event_changes_no_other_area(law, data, draw):
    """A new event leaves the verdicts and reasons of every area it does not name as they were (but for the
    areas adjacent to the one it names, which rules may read across `adjacent_to`)."""
    assert_event_is_local(law, data, draw)


def assert_event_is_local(evaluator, data, draw) -> None:
    new = draw.draw(event([place["id"] for place in data.get("areas") or ()]), label="new event")
    added = copy.deepcopy(data)
    events = added.setdefault("events", [])
    events.insert(draw.draw(st.integers(0, len(events)), label="position"), new)
    next_door = {place["id"] for place in data.get("areas") or () if place.get("adjacent_to") == new.get("area")}

    before, after = report_of(evaluator, data), report_of(evaluator, added)
    for role_id, role in before["roles"].items():
        for area_id, verdict in (role.get("areas") or {}).items():
            if area_id != new.get("area") and area_id not in next_door:
                assert after["roles"][role_id]["areas"][area_id] == verdict, f"{role_id}@{area_id}"


def _applying(report: dict[str, Any]) -> set[tuple[str, str, int]]:
    """(role, 'case', index) of every case that applies."""
    return {
        (role_id, "case", i)
        for role_id, role in report["roles"].items()
        for i, case in enumerate(role["cases"])
        if case["status"] == "applies"
    }


@given(scenario_data())
def test_a_formal_ceasefire_never_turns_applies_into_blocked(law, data):
    """Ending the hostilities in a formal ceasefire only lets mines count as abandoned: nothing that applied stops.

    Gov-1991 and Gov-2015 (answer of 29 Sep 2015): the ceasefire enables the abandoned-mines ground;
    no rule of the 1997 framework is barred by it.
    """
    ceased = copy.deepcopy(data)
    ceased["situation"]["ceasefire"] = "formal"
    before, after = report_of(law, data), report_of(law, ceased)
    assert _applying(before) <= _applying(after)


@given(scenario_data(influence=True), st.data())
def test_bordering_a_rear_area_operation_never_blocks_a_foreign_rescue(fresh, data, draw):
    """Law60/1999 Art. 7(4): making a foreign sea border the area of a rear area operation only opens rescue there.

    A foreign area is made adjacent to an area where combatants in distress are reported; every
    case that applied still applies, the rescues in that foreign sea included.
    """
    areas = data.get("areas") or []
    foreign = [a["id"] for a in areas if a["kind"] == "foreign"]
    if not foreign or len(areas) < 2:
        return
    target = draw.draw(st.sampled_from(foreign), label="foreign area")
    neighbour = draw.draw(st.sampled_from([a["id"] for a in areas if a["id"] != target]), label="neighbour")
    edited = copy.deepcopy(data)
    for place in edited["areas"]:
        if place["id"] == target:
            place["adjacent_to"] = neighbour
    edited["events"] = [
        *(edited.get("events") or ()),
        {"type": "persons_in_distress", "area": neighbour, "who": "combatants"},
    ]
    before, after = report_of(fresh, data), report_of(fresh, edited)
    assert _applying(before) <= _applying(after)
    rescue = before["roles"]["search_and_rescue"]["areas"][target]
    if rescue["status"] == "applies":
        assert after["roles"]["search_and_rescue"]["areas"][target]["status"] == "applies"


@given(scenario_data(), st.data())
def test_marking_a_rescue_under_way_never_stops_one(law, data, draw):
    """Law60/2015 Art. 7(6): a search and rescue already under way continues where combat breaks out. Marking a
    rescue as under way never turns an applying case into a blocked one (under 1997 it has no effect at all)."""
    rescues = [i for i, e in enumerate(data.get("events") or ()) if e["type"] == "persons_in_distress"]
    if not rescues:
        return
    which = draw.draw(st.sampled_from(rescues), label="rescue")
    marked = copy.deepcopy(data)
    marked["events"][which]["rescue_under_way"] = True
    before, after = report_of(law, data), report_of(law, marked)
    assert _applying(before) <= _applying(after)
    if law.rulebook.id == "1997":
        assert after["roles"]["search_and_rescue"] == before["roles"]["search_and_rescue"]
