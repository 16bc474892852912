"""What-if overrides: `--set PATH=VALUE` changes a field before validation; bad paths and values say so."""

from __future__ import annotations

import pytest

from engine.errors import ScenarioError
from engine.scenario import load
from engine.scenario.overrides import OverrideSyntaxError, parse_override

TEXT = """\
scenario: Strait
situation: {important_influence: true}
us_forces: {operating: true, requests: [hospitals]}
areas:
  - {id: taiwan_strait, kind: high_seas, combat: ongoing}
  - {id: okinawa, kind: japan}
events:
  - {type: mines, area: taiwan_strait, status: active}
phases:
  - id: fighting
  - id: ceasefire
    situation: {ceasefire: formal}
"""


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "s.yaml"
    target.write_text(TEXT)
    return str(target)


def loaded(path: str, *sets: str):
    return load(path, [parse_override(s) for s in sets]).data


def test_paths_name_fields_areas_and_phases_by_id_and_list_entries_by_index(path):
    data = loaded(
        path,
        "areas.taiwan_strait.combat=none",
        "events[0].status=abandoned",
        "situation.armed_attack_on_japan=true",
        "us_forces.requests=[supplies, {item: transport, area: taiwan_strait}]",
        "phases.ceasefire.situation.ceasefire=de_facto",
        "other_forces.operating=true",
    )
    assert data["areas"][0]["combat"] == "none"
    assert data["events"][0]["status"] == "abandoned"
    assert data["situation"]["armed_attack_on_japan"] is True
    assert data["us_forces"]["requests"] == ["supplies", {"item": "transport", "area": "taiwan_strait"}]
    assert data["phases"][1]["situation"]["ceasefire"] == "de_facto"
    assert data["other_forces"] == {"operating": True, "requests": []}


def test_a_phase_path_to_an_area_the_phase_does_not_list_adds_a_change_of_it(path):
    data = loaded(path, "phases.fighting.areas.okinawa.combat=expected")
    assert data["phases"][0]["areas"] == [
        {"id": "okinawa", "combat": "expected", "name": None, "kind": None, "consent": None, "adjacent_to": None}
    ]


def test_values_are_read_like_the_file(path):
    """`yes` is text, as in a file, so it is no boolean; the error names the --set, not a line."""
    with pytest.raises(ScenarioError) as caught:
        loaded(path, "situation.important_influence=yes")
    assert str(caught.value) == (
        f"{path} (--set situation.important_influence=yes): situation.important_influence: "
        "expected true or false, got 'yes' (yes/no/on/off are not booleans here)"
    )


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (
            "areas.taiwan_straight.combat=none",
            "areas: no area with id 'taiwan_straight' (areas: taiwan_strait, okinawa) (did you mean 'taiwan_strait'?)",
        ),
        (
            "phases.cease_fire.date=2009-06-01",
            ("phases: no phase with id 'cease_fire' (phases: fighting, ceasefire) (did you mean 'ceasefire'?)"),
        ),
        ("events[3].status=active", "events: 1 entry, so [3] names none"),
        (
            "situation.important_influence.x=true",
            "situation.important_influence: a value, not a mapping, so it has no 'x'",
        ),
        (
            "situation.ceasefire.formal=true",
            "situation.ceasefire: {'formal': True} is not one of: none, de_facto, formal",
        ),
        ("events.first.status=active", "events: a list, whose entries are named by index, as in events[0]"),
        (
            "phases.ceasefire.situation.ceasfire=formal",
            "phases[1] (ceasefire).situation.ceasfire: unknown key 'ceasfire'; allowed here: important_influence,"
            " armed_attack_on_japan, survival_threatening, un_sanctions_resolution, ceasefire"
            " (did you mean 'ceasefire'?)",
        ),
        (
            "areas.okinawa.kind=japn",
            "areas[1].kind: 'japn' is not one of: japan, high_seas, distant_high_seas, foreign (did you mean 'japan'?)",
        ),
    ],
    ids=["area", "phase", "index", "scalar", "new-key", "list", "key", "value"],
)
def test_a_bad_path_or_value_names_the_set_and_suggests(path, given, said):
    with pytest.raises(ScenarioError) as caught:
        loaded(path, given)
    assert str(caught.value) == f"{path} (--set {given}): {said}"


@pytest.mark.parametrize("given", ["situation.ceasefire", "=formal", "Situation.x=1", "a..b=1", "a=[unclosed"])
def test_a_malformed_set_is_a_usage_error(given):
    with pytest.raises(OverrideSyntaxError) as caught:
        parse_override(given)
    assert caught.value.exit_code == 2 and given in caught.value.message


def test_the_model_path_sees_the_same_overrides(path):
    loaded = load(path, [parse_override("areas.taiwan_strait.combat=expected")])
    scenario, _ = loaded.scenario, loaded.document
    assert scenario.areas[0].combat == "expected"


def test_a_top_level_change_is_the_starting_state_which_phases_may_change_again(path):
    from engine.scenario.phases import merge_phases

    data = loaded(path, "situation.ceasefire=de_facto")
    assert [s.data["situation"]["ceasefire"] for s in merge_phases(data)] == ["de_facto", "formal"]
