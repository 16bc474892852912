"""Scenario loading: the contract's format, with errors naming file, line and field."""

from __future__ import annotations

import pytest

from engine.errors import ScenarioError
from engine.scenario import load

from ..conftest import SCENARIOS

MINIMAL = "scenario: t\nsituation:\n  important_influence: true\n"
AREA = "areas:\n  - {id: sea_lanes, kind: high_seas}\n"


def problems(text: str) -> list:
    with pytest.raises(ScenarioError) as caught:
        assert load(text.encode(), name="s.yaml").scenario
    return caught.value.problems


def test_minimal_scenario_gets_contract_defaults():
    s = load(MINIMAL).scenario
    assert s.situation.armed_attack_on_japan is False and s.situation.un_sanctions_resolution is False
    assert s.us_forces.operating is False and s.us_forces.requests == []
    assert s.areas == [] and s.events == [] and s.expect is None


def test_defaults_of_the_fields_version_2_added():
    """Every field added in version 2 of the format is optional, with the contract's default."""
    s = load(
        MINIMAL
        + AREA
        + "events:\n  - {type: mines, area: sea_lanes, status: active}\n  - {type: persons_in_distress, area: sea_lanes}\n"
    ).scenario
    assert s.situation.survival_threatening is False and s.situation.ceasefire == "none"
    assert s.other_forces.operating is False and s.other_forces.requests == []
    assert s.areas[0].adjacent_to is None
    assert s.events[0].conflict == "current" and s.events[1].rescue_under_way is False


def test_requests_as_items_or_places():
    """A request is an item, or {item, area}; a missing area means inside Japan."""
    s = load(
        MINIMAL
        + AREA
        + "us_forces:\n  operating: true\n  requests: [supplies, {item: transport, area: sea_lanes}, {item: maintenance}]\n"
        + "other_forces: {operating: true, requests: [supplies]}\n"
    ).scenario
    assert s.us_forces.requests[0] == "supplies"
    assert (s.us_forces.requests[1].item, s.us_forces.requests[1].area) == ("transport", "sea_lanes")
    assert (s.us_forces.requests[2].item, s.us_forces.requests[2].area) == ("maintenance", None)
    assert s.other_forces.requests == ["supplies"]


def test_too_many_requests_have_their_own_message():
    text = (
        MINIMAL + "us_forces:\n  requests:\n" + "".join(f"    - {{item: supplies, area: a{i}}}\n" for i in range(101))
    )
    text += "areas:\n" + "".join(f"  - {{id: a{i}, kind: japan}}\n" for i in range(101))
    (problem,) = [p for p in problems(text) if p.field == "us_forces.requests"]
    assert problem.message == "101 entries; the limit is 100"


def test_defaults_of_areas_and_events():
    s = load(
        MINIMAL
        + "areas:\n  - {id: a, kind: high_seas}\nevents:\n"
        + "  - {type: persons_in_distress, area: a}\n  - {type: sanctions_shipping, area: a}\n"
    ).scenario
    assert s.areas[0].combat == "none" and s.areas[0].consent is False
    assert s.events[0].who == "noncombatants"
    assert s.events[1].vessels == "merchant" and s.events[1].flag_state_consent is False


@pytest.mark.parametrize(
    ("text", "line", "field", "fragment", "suggestion"),
    [
        ("scenario: t\nsituation:\n  important_influence: yes\n", 3, "situation.important_influence", "not booleans", None),
        (MINIMAL + "areas:\n  - id: a\n    kind: high_sea\n", 6, "areas[0].kind", "is not one of", "high_seas"),
        (MINIMAL + "areas:\n  - id: A\n    kind: japan\n", 5, "areas[0].id", "not a valid id", None),
        (MINIMAL + "situaton: {}\n", 4, "situaton", "unknown key", "situation"),
        ("scenario: t\n", 1, "situation", "required key 'situation' is missing", None),
        (MINIMAL + "events:\n  - type: mine\n", 5, "events[0].type", "unknown type", "mines"),
        (MINIMAL + "events:\n  - {type: mines, area: a, status: active}\n", 5, "events[0].area", "no area", None),
        (MINIMAL + "areas:\n  - {id: a, kind: japan}\n  - {id: a, kind: japan}\n", 6, "areas[1].id", "duplicate area id", None),
        (MINIMAL + "events:\n  - {type: mines}\n", 5, "events[0].area", "required key 'area'", None),
        (MINIMAL + "events:\n  - {type: refugee_flow, toward: japan, area: x}\n", 5, "events[0].area", "unknown key", None),
        (MINIMAL + "us_forces:\n  requests: [hospitals, hospitals]\n", 5, "us_forces.requests[1]", "listed twice", None),
        ("- a\n- b\n", 1, "", "must be a mapping", None),
        (MINIMAL + "date: 1996-13-40\n", 4, "date", "YYYY-MM-DD", None),
        (MINIMAL + AREA + "us_forces:\n  requests: [{item: transport, area: sea_lane}]\n", 7, "us_forces.requests[0].area", "no area with id 'sea_lane'", "sea_lanes"),
        (MINIMAL + AREA + "other_forces:\n  requests:\n    - {item: transport, area: sea_lanes}\n    - {item: transport, area: sea_lanes}\n", 9, "other_forces.requests[1]", "'transport' at sea_lanes is listed twice", None),
        (MINIMAL + "us_forces:\n  requests: [supplies, {item: supplies}]\n", 5, "us_forces.requests[1]", "listed twice", None),
        (MINIMAL + "us_forces:\n  requests: [suplies]\n", 5, "us_forces.requests[0]", "is not one of", "supplies"),
        (MINIMAL + "us_forces:\n  requests: [{item: supplies, aera: x}]\n", 5, "us_forces.requests[0].aera", "unknown key", "area"),
        (MINIMAL + AREA + "  - {id: coast, kind: foreign, adjacent_to: sea_lane}\n", 6, "areas[1].adjacent_to", "no area with id 'sea_lane'", "sea_lanes"),
        (MINIMAL + "areas:\n  - {id: coast, kind: foreign, adjacent_to: coast}\n", 5, "areas[0].adjacent_to", "adjacent to itself", None),
        (MINIMAL + "situation:\n  ceasefire: formal\n", 4, "situation", "duplicate key", None),
        ("scenario: t\nsituation:\n  important_influence: true\n  ceasefire: formel\n", 4, "situation.ceasefire", "is not one of", "formal"),
        (MINIMAL + AREA + "events:\n  - {type: mines, area: sea_lanes, status: active, conflict: passed}\n", 7, "events[0].conflict", "is not one of", "past"),
        (MINIMAL + AREA + "events:\n  - {type: sanctions_shipping, area: sea_lanes, conflict: past}\n", 7, "events[0].conflict", "unknown key", None),
        (MINIMAL + "us_forces:\n  requests: [supplies]\nexpect:\n  facility_access:\n    requests: {suplies: blocked}\n", 8, "expect.facility_access.requests.suplies", "no request 'suplies'", "supplies"),
        (MINIMAL + "us_forces:\n  requests: [supplies]\nexpect:\n  facility_access:\n    requests: {us:supplies: blocked}\n", 8, "expect.facility_access.requests.us:supplies", "no request 'us:supplies'", "supplies"),
    ],
    ids=[
        "yes-is-not-a-boolean", "enum-typo", "bad-id", "unknown-key", "missing-situation", "unknown-event-type",
        "event-area-missing-area", "duplicate-area", "mines-without-area", "refugees-with-area",
        "duplicate-request", "top-level-list", "bad-date", "request-missing-area", "duplicate-request-with-area",
        "item-and-item-mapping-are-one-request", "request-item-typo", "request-key-typo", "adjacent-missing-area",
        "adjacent-to-itself", "duplicate-situation", "ceasefire-typo", "conflict-typo", "conflict-on-shipping",
        "expect-unknown-request", "expect-bad-request-key",
    ],
)  # fmt: skip
def test_invalid_scenarios_are_located(text, line, field, fragment, suggestion):
    """Each invalid scenario names the line, the field, what is wrong and, where close, the fix."""
    found = problems(text)
    match = [p for p in found if p.field == field]
    assert match, [p.text() for p in found]
    problem = match[0]
    assert problem.path == "s.yaml"
    assert problem.line == line
    assert fragment in problem.message
    assert problem.suggestion == suggestion


def test_every_problem_is_reported_at_once():
    """A file with several mistakes lists them all, in line order."""
    found = problems("scenario: t\nsituation:\n  important_influence: on\nareas:\n  - {id: a, kind: moon}\n")
    assert [p.line for p in found] == [3, 5]


def test_problem_text_format():
    found = problems(MINIMAL + "areas:\n  - id: a\n    kind: high_sea\n")
    assert found[0].text() == (
        "s.yaml:6:11: areas[0].kind: 'high_sea' is not one of: japan, high_seas, distant_high_seas, foreign "
        "(did you mean 'high_seas'?)"
    )


def test_unreadable_file(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read file"):
        assert load(tmp_path / "missing.yaml").scenario


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_scenarios_load(path):
    scenario = load(path).scenario
    assert scenario.description, "every shipped scenario describes its situation"
    assert scenario.expect or any(p.expect for p in scenario.phases or ()), "every shipped scenario pins its verdicts"


def test_one_way_in_takes_a_path_text_or_data(tmp_path):
    """`load` gives the same validated data for a file, its text and the data YAML reads from it."""
    path = tmp_path / "s.yaml"
    path.write_text(MINIMAL + AREA)
    by_path, by_text = load(path), load(MINIMAL + AREA)
    by_data = load({"scenario": "t", "situation": {"important_influence": True}, "areas": [
        {"id": "sea_lanes", "kind": "high_seas"}]})  # fmt: skip
    assert by_path.data == by_text.data == by_data.data
    assert by_path.path == str(path) and by_text.path == "<scenario>"
    assert by_data.scenario == by_path.scenario


def test_data_with_problems_raises_one_error_with_every_problem():
    """Data has no lines, but every problem is still named by its field, in one ScenarioError."""
    data = {"scenario": "t", "situation": {"important_influence": "maybe"}, "areas": [{"id": "a", "kind": "moon"}]}
    with pytest.raises(ScenarioError) as caught:
        load(data, name="given")
    fields = {p.field for p in caught.value.problems}
    assert {"situation.important_influence", "areas[0].kind"} <= fields
    assert all(p.path == "given" and p.line is None for p in caught.value.problems)


def test_overrides_apply_to_every_source(tmp_path):
    """`--set` overrides change a path's, a text's and data's scenario alike."""
    from engine.scenario.overrides import parse_override

    change = [parse_override("situation.important_influence=false")]
    assert load(MINIMAL, change).data["situation"]["important_influence"] is False
    assert (
        load(
            {"scenario": "t", "situation": {"important_influence": True}}, change
        ).scenario.situation.important_influence
        is False
    )


def test_a_file_name_with_a_line_break_is_a_path(tmp_path):
    """A `str` naming a file is read as that file even when its name breaks a line, as a file name may."""
    path = tmp_path / "two\nlines.yaml"
    path.write_text(MINIMAL)
    assert load(str(path)).path == str(path)
