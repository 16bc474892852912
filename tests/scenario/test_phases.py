"""Phases: each merged into the state before it, every problem located in the file and named by its phase."""

from __future__ import annotations

import datetime

import pytest

from engine.errors import ScenarioError
from engine.scenario import load
from engine.scenario.models import Area
from engine.scenario.phases import AREA_DEFAULTS, merge_phases
from engine.scenario.warnings import phase_warnings, scenario_warnings

HEAD = """\
scenario: A crisis in steps
date: 2009-03-02
situation: {important_influence: false, un_sanctions_resolution: true}
us_forces: {operating: true, requests: [civilian_ports, supplies]}
areas:
  - {id: strait, name: Taiwan Strait, kind: high_seas}
  - {id: sea, kind: high_seas, combat: expected}
events:
  - {type: mines, area: strait, status: active}
"""


def states(text: str):
    return merge_phases(load(text, name="s.yaml").data)


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        assert load(text, name="s.yaml").scenario
    return [p.text() for p in caught.value.problems]


def test_a_phase_states_only_what_changes():
    """Situation and forces fields merge; an area entry changes the fields it gives; lists given replace."""
    first, second = states(
        HEAD
        + """\
phases:
  - id: blockade
    situation: {important_influence: true}
    us_forces: {requests: [hospitals]}
    areas: [{id: strait, combat: ongoing}]
  - id: ceasefire
    date: 2009-06-01
    situation: {ceasefire: formal}
    events: []
"""
    )
    assert first.id == "blockade" and first.date == datetime.date(2009, 3, 2)
    assert first.data["situation"] == {
        "important_influence": True,
        "armed_attack_on_japan": False,
        "survival_threatening": False,
        "un_sanctions_resolution": True,
        "ceasefire": "none",
    }
    assert first.data["us_forces"] == {"operating": True, "requests": ["hospitals"]}
    assert first.data["areas"][0] == {
        "id": "strait",
        "name": "Taiwan Strait",
        "kind": "high_seas",
        "combat": "ongoing",
        "consent": False,
        "adjacent_to": None,
    }
    assert first.data["areas"][1]["combat"] == "expected"
    assert first.data["events"] == [{"type": "mines", "area": "strait", "status": "active", "conflict": "current"}]
    assert "phases" not in first.data
    assert second.date == datetime.date(2009, 6, 1) and second.data["date"] == datetime.date(2009, 6, 1)
    assert second.data["situation"]["important_influence"] is True
    assert second.data["situation"]["ceasefire"] == "formal"
    assert second.data["areas"][0]["combat"] == "ongoing"
    assert second.data["events"] == []
    assert second.data["us_forces"]["requests"] == ["hospitals"]


def test_a_new_area_is_filled_in_as_the_model_fills_it():
    """A phase that adds an area gives the same area a file would."""
    (state,) = states(HEAD + "phases:\n  - id: p\n    areas: [{id: okinawa, kind: japan}]\n")
    assert state.data["areas"][-1] == Area.model_validate({"id": "okinawa", "kind": "japan"}).model_dump()
    assert set(AREA_DEFAULTS) | {"id", "kind"} == set(Area.model_fields)


def test_a_phase_expect_and_a_file_expect():
    """Each phase's state carries its own `expect:`, never the file's (which checks the last phase)."""
    text = (
        HEAD + "phases:\n  - id: a\n    expect: {minesweeping: blocked}\n  - id: b\nexpect: {surveillance: applies}\n"
    )
    first, second = states(text)
    assert first.data["expect"] == {"minesweeping": "blocked"} and second.data["expect"] is None


def test_each_problem_names_the_file_line_field_and_phase():
    found = problems(
        HEAD
        + """\
phases:
  - id: blockade
    areas:
      - {id: straight, combat: ongoing}
      - {id: okinawa, kind: japan}
      - {id: okinawa, combat: none}
    events: [{type: mines, area: east_sea, status: active}]
  - id: blockade
    situation: {ceasfire: formal}
    areas: [{id: sea, kind: high_sea}]
    us_forces: {requests: [{item: transport, area: okinwa}]}
    expect: {minesweeping: {areas: {east_sea: blocked}}}
expect: {surveillance: {areas: {okinawa: applies, nowhere: applies}}}
"""
    )
    assert found == [
        "s.yaml:13:14: phases[0] (blockade).areas[0].id: no area with id 'straight' to change (areas: strait, sea);"
        " a new area needs its `kind` (did you mean 'strait'?)",
        "s.yaml:15:14: phases[0] (blockade).areas[2].id: area 'okinawa' is changed twice in this phase"
        " (also phases[0].areas[1])",
        "s.yaml:16:34: phases[0] (blockade).events[0].area: no area with id 'east_sea'"
        " (areas: strait, sea, straight, okinawa)",
        "s.yaml:17:9: phases[1] (blockade).id: duplicate phase id 'blockade' (also phases[0])",
        "s.yaml:18:17: phases[1] (blockade).situation.ceasfire: unknown key 'ceasfire'; allowed here:"
        " important_influence, armed_attack_on_japan, survival_threatening, un_sanctions_resolution, ceasefire"
        " (did you mean 'ceasefire'?)",
        "s.yaml:19:29: phases[1] (blockade).areas[0].kind: 'high_sea' is not one of: japan, high_seas,"
        " distant_high_seas, foreign (did you mean 'high_seas'?)",
        "s.yaml:20:52: phases[1] (blockade).us_forces.requests[0].area: no area with id 'okinwa'"
        " (areas: strait, sea, straight, okinawa) (did you mean 'okinawa'?)",
        "s.yaml:21:47: phases[1] (blockade).expect.minesweeping.areas.east_sea: no area with id 'east_sea'",
        "s.yaml:22:60: expect.surveillance.areas.nowhere: no area with id 'nowhere'",
    ]


def test_an_area_added_later_is_unknown_before():
    """A phase may name only the areas that exist in it: those of the start and of the phases up to it."""
    found = problems(
        HEAD
        + """\
phases:
  - id: one
    events: [{type: persons_in_distress, area: okinawa}]
  - id: two
    areas: [{id: okinawa, kind: japan}]
"""
    )
    assert found == ["s.yaml:12:48: phases[0] (one).events[0].area: no area with id 'okinawa' (areas: strait, sea)"]


def test_an_update_of_an_area_added_by_an_earlier_phase_needs_no_kind():
    text = HEAD + "phases:\n  - id: one\n    areas: [{id: okinawa, kind: japan}]\n"
    text += "  - id: two\n    areas: [{id: okinawa, combat: expected}]\n"
    assert states(text)[1].data["areas"][-1]["combat"] == "expected"


def test_an_adjacency_set_in_a_phase_must_name_an_area_of_that_phase():
    found = problems(HEAD + "phases:\n  - id: one\n    areas: [{id: coast, kind: foreign, adjacent_to: coast}]\n")
    assert found == ["s.yaml:12:53: phases[0] (one).areas[0].adjacent_to: an area cannot be adjacent to itself"]


def test_no_phases_is_an_error_and_so_is_a_bad_phase_id():
    assert problems(HEAD + "phases: []\n") == ["s.yaml:10:9: phases: 0 entries; at least 1 needed"]
    found = problems(HEAD + "phases:\n  - id: Fighting\n")
    assert found == [
        "s.yaml:11:9: phases[0] (Fighting).id: 'Fighting' is not a valid id: use lowercase letters, digits and underscores"
    ]


def test_warnings_name_the_phase_and_where_the_cause_is_written():
    """A warning is located at the field a phase sets; if another change of the phase brings it about, at the
    phase, naming the field; a warning that carries on is said once; a phase dated before the one before warns."""
    text = """\
scenario: Fighting reaches Japan
date: 2009-03-02
situation: {important_influence: true, armed_attack_on_japan: true}
areas:
  - {id: sakishima, kind: japan, combat: ongoing}
phases:
  - id: attack
  - id: calm
    date: 2009-03-01
    situation: {armed_attack_on_japan: false}
  - id: still
"""
    loaded = load(text, name="s.yaml")
    scenario, document = loaded.scenario, loaded.document
    data = scenario.model_dump(mode="python")
    found = [w.text() for w in scenario_warnings(data, document)]
    assert found == [
        "s.yaml:8:5: phases[1] (calm): areas[0].combat: combat is ongoing in Japanese territory while"
        " situation.armed_attack_on_japan is false; combat in Japan is very likely an armed attack on Japan",
        "s.yaml:9:11: phases[1] (calm).date: this phase is dated 2009-03-01, before the phase before it (2009-03-02)",
    ]
    per_phase = phase_warnings(data, document)
    assert [len(found) for found in per_phase] == [0, 2, 1]
    assert per_phase[2][0] == per_phase[1][0]


def test_a_warning_of_the_starting_state_that_a_phase_keeps_stays_where_it_is_written():
    text = HEAD.replace("kind: high_seas}", "kind: high_seas, consent: true}", 1) + "phases:\n  - id: one\n"
    loaded = load(text, name="s.yaml")
    scenario, document = loaded.scenario, loaded.document
    (warning,) = scenario_warnings(scenario.model_dump(mode="python"), document)
    assert (warning.line, warning.field) == (6, "areas[0].consent")
