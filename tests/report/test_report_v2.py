"""The report of version 2: grounds, requests, procedures and constraints read off the engine's node values."""

from __future__ import annotations

import json

import pytest

from engine.cli import main
from engine.report.evaluate import evaluate_data
from engine.scenario.models import Scenario

from ..conftest import ROLE_IDS, RULES_V2, SCENARIOS


def report(evaluator, data):
    return evaluate_data(Scenario.model_validate(data).model_dump(mode="json"), evaluator, source="t")


CRISIS = {
    "scenario": "Crisis",
    "date": "2005-06-01",
    "situation": {"important_influence": True, "ceasefire": "formal"},
    "us_forces": {
        "operating": True,
        "requests": ["supplies", {"item": "transport", "area": "sea"}, "ammunition", "sdf_facilities", "hospitals"],
    },
    "other_forces": {"operating": True, "requests": ["supplies", "civilian_ports"]},
    "areas": [
        {"id": "sea", "name": "East Sea", "kind": "high_seas"},
        {"id": "gulf", "kind": "distant_high_seas"},
        {"id": "coast", "kind": "foreign", "consent": True, "adjacent_to": "sea"},
    ],
    "events": [
        {"type": "mines", "area": "sea", "status": "abandoned"},
        {"type": "mines", "area": "gulf", "status": "abandoned", "conflict": "past"},
        {"type": "mines", "area": "coast", "status": "active"},
        {"type": "persons_in_distress", "area": "sea", "who": "combatants"},
        {"type": "persons_in_distress", "area": "coast"},
    ],
}


def test_the_json_report_of_version_2(fresh_v2):
    out = report(fresh_v2, CRISIS).as_dict()
    assert out["version"] == 2 and out["rulebook_reason"] == "chosen by the caller"
    assert list(out["roles"]) == list(ROLE_IDS)
    minesweeping = out["roles"]["minesweeping"]
    assert minesweeping["areas"]["sea"] == {
        "status": "applies",
        "ground": "abandoned_mines",
        "grounds": ["abandoned_mines"],
        "reasons": ["The mines are abandoned, and no combat goes on where they lie."],
        "basis": ["Law 84-2", "Gov 1991"],
    }
    assert minesweeping["areas"]["coast"]["status"] == "blocked"
    assert minesweeping["areas"]["coast"]["ground"] is None and minesweeping["areas"]["coast"]["grounds"] is None
    assert minesweeping["areas"]["coast"]["limits"] == ["active_mines", "active_mines_far_away"]
    assert minesweeping["applies_in"] == [2, 3]
    # dated 2005: the Director General, by the variant whose `when` holds
    assert minesweeping["procedures"] == [
        {
            "ground": "abandoned_mines",
            "decision": "Ordered by the Director General.",
            "diet_approval": "none",
            "steps": [],
            "basis": ["Law 99"],
        }
    ]
    assert minesweeping["procedure"] == ["Ordered by the Director General.", "No Diet approval is needed."]
    # the distant waters add the constraint whose `when` holds there; the role's own always binds
    assert minesweeping["constraints"] == [
        "At sea only.",
        "Beyond the waters the Guidelines name, this is Japan's own action.",
    ]
    assert not minesweeping["beyond_seed"] and out["roles"]["logistic_support"]["beyond_seed"]


def test_request_entries_list_operating_forces_in_the_role_s_category(fresh_v2):
    out = report(fresh_v2, CRISIS).as_dict()
    logistic = out["roles"]["logistic_support"]
    assert [(r["force"], r["item"], r["area"], r["status"], r["ground"]) for r in logistic["requests"]] == [
        ("us", "supplies", None, "applies", "rear_area_support"),
        ("us", "transport", "sea", "applies", "rear_area_support"),
        ("us", "ammunition", None, "blocked", None),
        ("other", "supplies", None, "blocked", None),
    ]
    assert logistic["requests"][3]["limits"] == ["not_us_forces"]
    assert logistic["constraints"] == [
        "Weapons may be used only to protect the SDF personnel and those with them.",
        "Transport outside Japan is on the high seas and in the airspace above only; it includes medical care given "
        "to casualties during the transport, and is suspended if combat occurs or is expected nearby.",
    ]
    facility = out["roles"]["facility_access"]
    assert [(r["force"], r["item"], r["status"]) for r in facility["requests"]] == [
        ("us", "sdf_facilities", "applies"),
        ("us", "hospitals", "applies"),
        ("other", "civilian_ports", "blocked"),
    ]
    # each applying request is decided by its own variant: SDF facilities by the government, others on request
    assert [p["decision"] for p in facility["procedures"]] == [
        "The government provides SDF facilities.",
        "The government asks the operators to cooperate.",
    ]


def test_requests_of_forces_not_operating_are_not_listed(fresh_v2):
    quiet = {**CRISIS, "other_forces": {"operating": False, "requests": ["supplies"]}}
    logistic = report(fresh_v2, quiet).as_dict()["roles"]["logistic_support"]
    assert [r["force"] for r in logistic["requests"]] == ["us", "us", "us"]
    assert logistic["cases"][-1]["status"] == "not_triggered"  # still judged, as a case


def test_grounds_name_every_ground_that_holds_and_the_first(fresh_v2):
    attacked = {
        **CRISIS,
        "situation": {"important_influence": True, "ceasefire": "formal", "armed_attack_on_japan": True},
    }
    sea = report(fresh_v2, attacked).as_dict()["roles"]["minesweeping"]["areas"]["sea"]
    assert sea["ground"] == "abandoned_mines" and sea["grounds"] == ["abandoned_mines", "self_defence"]
    sar = report(fresh_v2, CRISIS).as_dict()["roles"]["search_and_rescue"]
    assert sar["areas"]["coast"]["ground"] == "adjacent_foreign_sea"
    assert sar["ground"] == "rear_area_sar" and sar["grounds"] == ["rear_area_sar", "adjacent_foreign_sea"]


def test_the_strictest_diet_approval_of_the_procedures_used(fresh_v2):
    data = {**CRISIS, "situation": {"important_influence": False, "armed_attack_on_japan": True}}
    data["areas"] = [{"id": "sea", "kind": "high_seas", "combat": "ongoing"}, {"id": "home", "kind": "japan"}]
    data["events"], data["us_forces"], data["other_forces"] = [], {}, {}
    surveillance = report(fresh_v2, data).as_dict()["roles"]["surveillance"]
    assert [a["ground"] for a in surveillance["areas"].values()] == ["defence_operation", "surveys_and_research"]
    assert surveillance["diet_approval"] == "prior"


def test_a_role_that_applies_nowhere_shows_how_it_would_be_decided(fresh_v2):
    undated = {"scenario": "Quiet", "situation": {"important_influence": True}}
    minesweeping = report(fresh_v2, undated).as_dict()["roles"]["minesweeping"]
    assert [p["ground"] for p in minesweeping["procedures"]] == ["abandoned_mines", "abandoned_mines", "self_defence"]
    assert minesweeping["diet_approval"] == "prior_or_after" and minesweeping["ground"] is None


def test_an_undated_scenario_says_it_has_no_date(evaluator):
    out = report(evaluator, {"scenario": "x", "situation": {"important_influence": True}}).as_dict()
    assert out["rulebook_reason"] == "no date"
    assert [r["beyond_seed"] for r in out["roles"].values()] == [False] * 6 + [True]


def test_the_text_report_names_grounds_counts_places_and_marks_the_seventh_role(runner, tmp_path):
    path = tmp_path / "crisis.yaml"
    path.write_text(json.dumps(CRISIS))
    result = runner.invoke(main, ["evaluate", "--ids", "--rules", str(RULES_V2), str(path)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "MINESWEEPING  applies in 2 of 3 areas  minesweeping\n" in out
    assert "  applies        East Sea (abandoned mines), gulf (abandoned mines)  [" in out
    assert "  applies        East Sea (rear area search and rescue), coast (adjacent foreign territorial sea)" in out
    assert "LOGISTIC SUPPORT  applies in 2 of 4 requests  logistic_support  (beyond the newsletter's list)\n" in out
    assert "  constraint     At sea only.  [Law 84-2]\n" in out
    assert "  procedure      Ordered by the Director General. No Diet approval is needed.\n" in out


@pytest.mark.parametrize("rules", [None, "rules"], ids=["shipped", "with-rules"])
def test_the_json_report_says_why_its_rulebook(runner, rules):
    args = ["evaluate", "--format", "json", str(SCENARIOS / "korea.yaml")]
    if rules:
        args[1:1] = ["--rules", str(RULES_V2)]
    out = json.loads(runner.invoke(main, args).stdout)
    assert out["rulebook_reason"] == ("chosen with --rules" if rules else "no date")
