"""A crisis that unfolds: each phase evaluated under the rulebook of its date, the report per the contract."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from engine.render.csv import csv_rows
from engine.render.html import html_section
from engine.render.markdown import render_markdown
from engine.render.text import render_report
from engine.report.evaluate import evaluate_scenario
from engine.rulebook import choice
from engine.scenario import load
from engine.scenario.models import Scenario
from engine.verify.strategies import scenario_data

from ..conftest import RULES, SCENARIOS
from ..helpers import merged_phase, verdict_grounds, verdict_statuses

STRAIT = str(SCENARIOS / "strait.yaml")
KOREA_CRISIS = str(SCENARIOS / "korea_crisis.yaml")


def evaluated(path: str, **kwargs: Any):
    loaded = load(path)
    return evaluate_scenario(
        loaded.data, source=path, warnings=loaded.warnings, phase_warnings=loaded.phase_warnings, **kwargs
    )


def test_the_json_report_of_a_phased_file_meets_the_contract():
    """`phases` holds a full report per phase in order; the top-level verdicts are the last phase's; `changes`
    lists what changed from each phase to the next, naming the phase, and none for the first."""
    report = evaluated(STRAIT).as_dict()
    phases = report["phases"]
    assert [p["id"] for p in phases] == ["tension", "blockade", "fighting", "ceasefire"]
    assert [p["date"] for p in phases] == ["2009-03-02", "2009-03-20", "2009-04-10", "2009-06-01"]
    for phase in phases:
        assert set(phase) >= {"id", "name", "date", "rulebook", "rulebook_reason", "roles", "notices", "warnings"}
        assert phase["rulebook"] == "1997" and phase["rulebook_reason"] == f"in force on {phase['date']}"
        assert all(set(role["areas"]) == {"taiwan_strait", "east_china_sea", "taiwan_waters", "sakishima", "okinawa"}
                   for role_id, role in phase["roles"].items() if role_id in ("minesweeping", "surveillance"))  # fmt: skip
    last = phases[-1]
    assert report["roles"] == last["roles"] and report["notices"] == last["notices"]
    assert (report["rulebook"], report["rulebook_reason"], report["date"]) == (
        "1997",
        "in force on 2009-06-01",
        "2009-06-01",
    )
    assert {c["phase"] for c in report["changes"]} == {"blockade", "fighting", "ceasefire"}
    sweep = [c for c in report["changes"] if c["role"] == "minesweeping" and c["area"] == "east_china_sea"]
    assert [(c["phase"], c["from"], c["to"]) for c in sweep] == [
        ("fighting", "not_triggered", "blocked"),
        ("ceasefire", "blocked", "applies"),
    ]
    assert sweep[0]["because"][0].startswith("The mines belong to the conflict still under way")
    assert sweep[1]["was"] == sweep[0]["because"]


def test_a_file_without_phases_reports_as_before():
    """No `phases` or `changes` keys, no phase: a file without phases is one phase, reported as it always was."""
    report = evaluated(str(SCENARIOS / "korea.yaml")).as_dict()
    assert "phases" not in report and "changes" not in report and "phase" not in report


@pytest.fixture
def two_rulebooks(tmp_path, monkeypatch):
    """A rules root with the 1997 rulebook and a copy of it in force from 29 March 2016, as `2015`."""
    root = tmp_path / "rules"
    shutil.copytree(RULES, root / "1997")
    shutil.copytree(RULES, root / "2015")
    head = root / "2015" / "rulebook.yaml"
    text = (
        head.read_text()
        .replace('rulebook: "1997"', 'rulebook: "2015"')
        .replace("in_force: 1997-09-23", "in_force: 2016-03-29")
    )
    head.write_text(text)
    shipped = choice.shipped_rulebooks
    monkeypatch.setattr(choice, "shipped_rulebooks", lambda: shipped(str(root)))
    return root


def test_a_crisis_across_march_2016_switches_rulebook_in_mid_course(two_rulebooks):
    """Each phase is evaluated under the rulebook in force on its date (Law60/2015 in force 29 Mar 2016), and
    the text, the Markdown and the HTML say when the rulebook changes; CSV rows carry each phase's rulebook."""
    report = evaluated(KOREA_CRISIS)
    assert [(p.phase, p.rulebook) for p in report.phases] == [
        ("tension", "1997"), ("determination", "1997"), ("fighting", "1997"), ("australia_joins", "2015"),
    ]  # fmt: skip
    assert report.rulebook == "2015" and report.rulebook_reason == "in force on 2016-04-05"
    text = render_report(report, width=80)
    assert (
        "Rulebook 1997 for tension to fighting (in force on each phase's date), then rulebook 2015 for"
        " australia_joins (in force on 2016-04-05)."
    ) in " ".join(text.split())
    assert "  Rulebook 1997 -> 2015: in force on 2016-04-05.\n" in text
    markdown = render_markdown(report)
    assert (
        "| **australia\\_joins** (" in markdown
        and "|  |  | rulebook 1997 → 2015 | Rulebook 2015: in force on" in markdown
    )
    rows = csv_rows(report)
    assert {r["rulebook"] for r in rows if r["phase"] == "australia_joins"} == {"2015"}
    assert {r["rulebook"] for r in rows if r["phase"] != "australia_joins"} == {"1997"}
    page = html_section(report)
    assert 'class="rulebook" data-role="" data-from="" data-to=""' in page


def test_a_rulebook_given_evaluates_every_phase(two_rulebooks):
    report = evaluated(KOREA_CRISIS, rulebook="1997")
    assert {(p.rulebook, p.rulebook_reason) for p in report.phases} == {("1997", "chosen with --rulebook")}


def test_the_phase_report_is_a_full_report(at_root):
    report = evaluated("scenarios/strait.yaml")
    fighting = report.phase_report("fighting")
    assert fighting.phase_name == "Fighting in the Strait; mines, rescues, refugees"
    assert fighting.roles["refugee_acceptance"].status == "applies"
    text = render_report(fighting, width=80)
    assert text.startswith(
        "Taiwan Strait crisis\n"
        "scenarios/strait.yaml · 2009-04-10\n"
        "Phase fighting: Fighting in the Strait; mines, rescues, refugees\n"
        "Rulebook 1997 (in force on 2009-04-10): "
    )
    assert "MINESWEEPING  blocked\n" in text


def test_the_timeline_fits_80_columns_and_tells_the_crisis(at_root):
    text = render_report(evaluated("scenarios/strait.yaml"), width=80)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "\nTimeline\n2009-03-02  tension  Exercises and missile tests; no determination yet\n" in text
    assert "  At the start: Surveillance applies; no other role arises.\n" in text
    fighting = text[text.index("2009-04-10  fighting") : text.index("2009-06-01  ceasefire")]
    assert "  Surveillance\n    Taiwan Strait" in fighting
    assert "applies -> blocked\n      Combat is going on in this sea and Japan is not under armed attack\n" in fighting
    ceasefire = text[text.index("2009-06-01  ceasefire") : text.index("\nPhase ceasefire, 2009-06-01 (the last of 4)")]
    assert (
        "    Taiwan Strait, East China Sea" in ceasefire and "blocked -> applies\n      Abandoned mines\n" in ceasefire
    )
    last = text[text.index("\nPhase ceasefire, 2009-06-01 (the last of 4)") :]
    assert "\nMinesweeping        ✓ applies        ✓  ✓  ·  ·  ·\n" in last
    assert "\nMINESWEEPING  applies\n  applies        Taiwan Strait (abandoned mines)" in last


# -- properties ------------------------------------------------------------------------------------------


def _valid(data: dict[str, Any]) -> dict[str, Any]:
    return Scenario.model_validate(data).model_dump(mode="json")


@given(scenario_data(max_areas=3, max_events=4, max_phases=1))
def test_one_phase_is_the_file_with_that_phase_merged_in(evaluator, data):
    """A file with one phase gives the roles, notices and rulebook of the same file with the phase merged in
    (merged by the tests' own reading of the contract) and no phases."""
    phased = evaluate_scenario(_valid(data), source="s.yaml", evaluator=evaluator).as_dict()
    plain = evaluate_scenario(_valid(merged_phase(data, 0)), source="s.yaml", evaluator=evaluator).as_dict()
    for key in ("roles", "notices", "rulebook"):
        assert phased[key] == plain[key], key


@given(scenario_data(max_areas=3, max_events=4))
def test_phases_that_change_nothing_change_no_verdict(evaluator, data):
    """A phase that states nothing, or restates what holds, changes no verdict."""
    restated = {key: copy.deepcopy(data[key]) for key in ("situation", "areas", "events", "us_forces") if key in data}
    data = dict(data, phases=[{"id": "same"}, {"id": "restated", **restated}, {"id": "again"}])
    report = evaluate_scenario(_valid(data), source="s.yaml", evaluator=evaluator)
    assert report.changes == []
    assert len({str(p.verdicts()["roles"]) for p in report.phases}) == 1


@given(scenario_data(max_areas=3, max_events=4, max_phases=3))
def test_the_changes_are_exactly_the_differences_between_consecutive_phases(evaluator, data):
    """Read off the JSON phase reports: each verdict whose status differs from the phase before is one change of
    kind `status` of that phase, with its two statuses; each area or request whose status stayed but whose
    ground or limits differ, one of kind `ground`; no other change of status or ground is listed."""
    report = evaluate_scenario(_valid(data), source="s.yaml", evaluator=evaluator).as_dict()
    expected, grounds = set(), set()
    for before, after in zip(report["phases"], report["phases"][1:], strict=False):
        old, new = verdict_statuses(before), verdict_statuses(after)
        expected |= {
            (after["id"], *key, old.get(key), new.get(key))
            for key in old.keys() | new.keys()
            if old.get(key) != new.get(key)
        }
        was, now = verdict_grounds(before), verdict_grounds(after)
        grounds |= {
            (after["id"], *key)
            for key in was.keys() & now.keys()
            if was[key][0] == now[key][0] and was[key] != now[key]
        }
    kinds = [(c["phase"], c["role"], c["area"], c["request"], c["kind"]) for c in report["changes"]]
    found = {(p, r, a, None if q is None else tuple(q.values())) for p, r, a, q, k in kinds if k == "ground"}
    assert {key for key in found if key[2] is not None or key[3] is not None} == grounds
    listed = [
        (
            c["phase"],
            c["role"],
            c["area"],
            None if c["request"] is None else tuple(c["request"].values()),
            c["from"],
            c["to"],
        )
        for c in report["changes"]
        if c["kind"] == "status"
    ]
    assert len(listed) == len(set(listed)) and set(listed) == expected


def test_the_contract_example_of_a_phase_reads_as_written(tmp_path: Path):
    """The contract's example: a phase that dates itself, keeps the ceasefire and brings combat to the Strait."""
    path = tmp_path / "s.yaml"
    path.write_text(
        "scenario: Taiwan Strait crisis\ndate: 2027-03-08\nsituation: {important_influence: true}\n"
        "areas:\n  - {id: strait, kind: high_seas}\n"
        "phases:\n  - id: blockade\n    name: Blockade and first shots\n    date: 2027-03-20\n"
        "    situation: {ceasefire: none}\n    areas: [{id: strait, combat: ongoing}]\n"
    )
    report = evaluated(str(path), rulebook="1997").as_dict()
    (phase,) = report["phases"]
    assert (phase["id"], phase["name"], phase["date"]) == ("blockade", "Blockade and first shots", "2027-03-20")
    assert phase["roles"]["surveillance"]["areas"]["strait"]["status"] == "blocked"
    assert report["changes"] == []


def _phase_ids(path: str) -> list[tuple[str, str]]:
    return [(path, phase["id"]) for phase in load(path).data["phases"]]


@pytest.mark.parametrize(
    ("path", "phase"),
    _phase_ids(STRAIT) + _phase_ids(KOREA_CRISIS),
    ids=lambda value: Path(value).stem if "/" in str(value) else str(value),
)
def test_one_phase_asked_for_is_the_phase_the_whole_file_reports(path, phase):
    """`--phase ID` evaluates that phase alone, and its report is the very one the whole file's report holds:
    JSON, text, Markdown and csv alike (korea_crisis crosses March 2016, so its phases change rulebook)."""
    whole = evaluated(path).phase_report(phase)
    alone = evaluated(path, phase=phase)
    assert alone.as_dict() == whole.as_dict()
    assert render_report(alone, width=80) == render_report(whole, width=80)
    assert render_markdown(alone) == render_markdown(whole)
    assert csv_rows(alone) == csv_rows(whole)


def test_one_phase_asked_for_evaluates_no_other_phase(monkeypatch):
    """The phases before the one asked for are merged into its state, never evaluated; the later ones are not
    even merged."""
    from engine.report import evaluate as evaluate_module
    from engine.scenario import phases as phases_module

    evaluated_dates: list[str] = []
    merged_upto: list[int | None] = []
    real_data, real_merge = evaluate_module.evaluate_data, phases_module.merge_phases

    def spy_data(data, *args, **kwargs):
        evaluated_dates.append(str(data.get("date")))
        return real_data(data, *args, **kwargs)

    def spy_merge(data, upto=None):
        merged_upto.append(upto)
        return real_merge(data, upto)

    monkeypatch.setattr(evaluate_module, "evaluate_data", spy_data)
    monkeypatch.setattr(phases_module, "merge_phases", spy_merge)
    report = evaluated(STRAIT, phase="blockade")
    assert (report.phase, evaluated_dates, merged_upto) == ("blockade", ["2009-03-20"], [1])


def test_a_phase_the_file_lacks_is_refused_before_anything_is_evaluated(monkeypatch):
    from engine.report import evaluate as evaluate_module
    from engine.scenario.phases import UnknownPhaseError

    monkeypatch.setattr(evaluate_module, "evaluate_data", lambda *a, **k: pytest.fail("evaluated"))
    with pytest.raises(UnknownPhaseError, match="did you mean 'fighting'"):
        evaluated(STRAIT, phase="fightin")
    with pytest.raises(UnknownPhaseError, match="the file has no phases"):
        evaluated(str(SCENARIOS / "korea.yaml"), phase="fighting")


def test_every_report_is_a_list_of_phase_reports_read_as_its_last():
    """One shape: a file without phases is a report of one phase, a phased file one of each phase; read as one
    report, either is its last phase's (roles, rulebook, date), and only a whole phased file lists its phases."""
    plain = evaluated(str(SCENARIOS / "korea.yaml"))
    phased = evaluated(STRAIT)
    assert (len(plain.phases), plain.phased, plain.phases[0].phase) == (1, False, None)
    assert ([p.phase for p in phased.phases], phased.phased) == (["tension", "blockade", "fighting", "ceasefire"], True)
    for report in (plain, phased):
        assert report.roles is report.phases[-1].roles
        assert (report.rulebook, report.date) == (report.last.rulebook, report.last.date)
        assert report.as_dict()["roles"] == report.last.verdicts()["roles"]
    assert "phases" not in plain.as_dict() and "phase" not in plain.as_dict()
    assert [p["id"] for p in phased.as_dict()["phases"]] == ["tension", "blockade", "fighting", "ceasefire"]
    alone = phased.phase_report("fighting")
    assert (len(alone.phases), alone.phased, alone.as_dict()["phase"]) == (1, False, "fighting")
    assert "phases" not in alone.as_dict()
