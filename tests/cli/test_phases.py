"""Phases, what-if and diff on the command line: exit codes and exact output fragments."""

from __future__ import annotations

import json
import re

from engine.batch.work import evaluate_file
from engine.cli import main

from ..conftest import SCENARIOS

STRAIT = str(SCENARIOS / "strait.yaml")
KOREA = str(SCENARIOS / "korea.yaml")


def test_evaluate_opens_a_phased_file_with_its_timeline(runner):
    result = runner.invoke(main, ["evaluate", STRAIT])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Taiwan Strait crisis"
    assert lines[lines.index("Timeline") + 1].startswith("2009-03-02  tension")
    # then the last phase, as a file without phases reads: its matrix, then each role in detail
    last = lines.index("Phase ceasefire, 2009-06-01 (the last of 4): Formal ceasefire; the abandoned mines are swept")
    assert lines.index("Timeline") < last
    assert lines[last + 2].startswith("role ") and lines[last + 3].startswith("Minesweeping        ✓ applies")
    assert lines.index("MINESWEEPING  applies") > last + 3


def test_phase_shows_one_phase_in_full(runner):
    result = runner.invoke(main, ["evaluate", STRAIT, "--phase", "fighting"])
    assert result.exit_code == 0
    assert "Phase fighting: Fighting in the Strait; mines, rescues, refugees\n" in result.stdout
    assert "MINESWEEPING  blocked\n" in result.stdout


def test_phase_json_is_that_phase_report(runner):
    result = runner.invoke(main, ["evaluate", "--format", "json", STRAIT, "--phase", "ceasefire"])
    report = json.loads(result.stdout)
    assert (report["phase"], report["date"]) == ("ceasefire", "2009-06-01")
    assert report["roles"]["minesweeping"]["status"] == "applies" and "phases" not in report


def test_an_unknown_phase_is_a_usage_error_with_a_suggestion(runner):
    result = runner.invoke(main, ["evaluate", STRAIT, "--phase", "cease_fire"])
    assert result.exit_code == 2
    first = f"error: {STRAIT}: no phase 'cease_fire'; the phases are tension, blockade, fighting, ceasefire"
    assert result.stderr.splitlines()[0].startswith(first)
    assert "(did you mean 'ceasefire'?)" in result.stderr
    result = runner.invoke(main, ["evaluate", KOREA, "--phase", "fighting"])
    assert result.exit_code == 2
    assert f"error: {KOREA}: the file has no phases, so --phase fighting names none" in result.stderr
    result = runner.invoke(main, ["explain", "scenarios/strait.yaml", "--phase", "nope"])
    assert result.exit_code == 2 and "scenarios/strait.yaml: no phase 'nope'" in result.output


def test_set_evaluates_what_if(runner):
    """A formal ceasefire from the start: mines laid in the fighting count as abandoned (Gov-1991), so only
    combat and the mines' activity block minesweeping then."""
    plain = runner.invoke(main, ["evaluate", "--format", "json", STRAIT, "--phase", "fighting"])
    what_if = runner.invoke(
        main, ["evaluate", "--format", "json", STRAIT, "--phase", "fighting", "--set", "situation.ceasefire=formal"]
    )
    assert what_if.exit_code == 0
    before = json.loads(plain.stdout)["roles"]["minesweeping"]["areas"]["east_china_sea"]["status"]
    after = json.loads(what_if.stdout)["roles"]["minesweeping"]["areas"]["east_china_sea"]["status"]
    assert (before, after) == ("blocked", "applies")


def test_set_errors(runner):
    """A path that names nothing, or a wrong value, is an error naming the --set (exit 1); a malformed --set is a
    usage error (exit 2)."""
    result = runner.invoke(main, ["evaluate", KOREA, "--set", "areas.yelow_sea.combat=none"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(
        f"error: {KOREA} (--set areas.yelow_sea.combat=none): areas: no area with id 'yelow_sea'"
        " (areas: korean_peninsula, sea_of_japan, tsushima, yellow_sea)"
    )
    assert "(did you mean 'yellow_sea'?)" in result.stderr
    result = runner.invoke(main, ["evaluate", KOREA, "--set", "situation.ceasefire=over"])
    assert result.exit_code == 1
    assert "situation.ceasefire: 'over' is not one of: none, de_facto, formal" in result.stderr
    result = runner.invoke(main, ["evaluate", KOREA, "--set", "situation.ceasefire"])
    assert result.exit_code == 2 and "expected PATH=VALUE" in result.output


def test_explain_a_phase_and_a_what_if(runner):
    result = runner.invoke(main, ["explain", STRAIT, "--phase", "fighting", "--role", "minesweeping"])
    assert result.exit_code == 0
    assert "Phase fighting: Fighting in the Strait" in result.output
    assert "The active mines in Taiwan Strait: blocked" in result.output
    last = runner.invoke(main, ["explain", STRAIT, "--role", "minesweeping", "--trace"])
    assert "Phase ceasefire: Formal ceasefire" in last.output and "-> applies on abandoned_mines" in last.output
    what_if = runner.invoke(
        main,
        [
            "explain",
            STRAIT,
            "--role",
            "minesweeping",
            "--trace",
            "--set",
            "phases.ceasefire.situation.ceasefire=de_facto",
        ],
    )
    assert "not_abandoned_without_formal_ceasefire" in what_if.output and "-> applies" not in what_if.output
    data = json.loads(runner.invoke(main, ["explain", "--format", "json", STRAIT, "--phase", "tension"]).output)
    assert data["phase"] == "tension"


def test_diff_with_set_shows_each_side_and_exits_0(runner):
    result = runner.invoke(main, ["diff", STRAIT, "--set", "phases.ceasefire.situation.ceasefire=de_facto"])
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("Taiwan Strait crisis\na  ")
    assert "phase ceasefire (the last)" in out
    assert "    Taiwan Strait, East China Sea  applies -> blocked\n" in out
    assert "      was: Abandoned mines\n      now: The mines belong to the conflict still under way\n" in out


def test_diff_of_two_files_in_json(runner):
    a, b = str(SCENARIOS / "ceasefire_mines.yaml"), str(SCENARIOS / "sea_lanes_ceasefire.yaml")
    result = runner.invoke(main, ["diff", "--format", "json", a, b])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1
    body = json.loads(result.stdout)
    assert body["source"] == a and set(body["reports"]) == {"a", "b"} and body["sources"] == {"a": a, "b": b}
    flipped = [c for c in body["changes"] if c["role"] == "minesweeping" and c["area"] == "sea_lanes"]
    assert [(c["from"], c["to"]) for c in flipped] == [("blocked", "applies")]
    assert flipped[0]["was"] and flipped[0]["because"]


def test_diff_in_markdown_parses_back_to_the_json_changes(runner):
    """Each roll-up row of the Markdown table is a roll-up change of the JSON, and each other row names places
    whose change, in the JSON, it shows (a change of ground or procedure says so after the status: `applies,
    other ground`)."""
    args = ["diff", str(SCENARIOS / "korea.yaml"), str(SCENARIOS / "korea_crisis.yaml")]
    body = json.loads(runner.invoke(main, [*args, "--format", "json"]).stdout)
    result = runner.invoke(main, [*args, "--format", "markdown"])
    assert result.exit_code == 0
    lines = [line for line in result.stdout.split("\n") if line.startswith("| ")]
    assert lines[0] == "| Role | Where | a | b | Why (a) | Why (b) |"
    rows = [[cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines[1:]]
    titles = {role_id: role["title"] for role_id, role in body["reports"]["b"]["roles"].items()}
    words = {None: "(none)", "not_triggered": "not triggered", "applies": "applies", "blocked": "blocked"}
    roll_ups = {
        (titles[c["role"]], words[c["from"]], words[c["to"]], c["kind"] != "status")
        for c in body["changes"]
        if _roll_up(c)
    }
    assert {(r[0], r[2], r[3].split(", ")[0], ", " in r[3]) for r in rows if r[1] == "overall"} == roll_ups
    names = {}
    for path in args[1:]:
        names.update(evaluate_file(path).report.phase_report(None).area_names)
    for row in rows:
        if row[1] == "overall":
            continue
        mine = [c for c in body["changes"] if titles[c["role"]] == row[0]]
        places = [c for c in mine if _where(c, names) in row[1].split(", ")]
        shown = (row[2], row[3].split(", ")[0], ", " in row[3])
        assert places and all((words[c["from"]], words[c["to"]], c["kind"] != "status") == shown for c in places), row


def _where(change, names):
    """How a change's area or request is named in a table: the area's name, or `item [in area] [(other forces)]`."""
    if change["request"] is None:
        return names.get(change["area"])
    request = change["request"]
    words = request["item"].replace("_", " ") + (f" in {names[request['area']]}" if request.get("area") else "")
    return words + (" (other forces)" if request["force"] != "us" else "")


def _roll_up(change):
    return change["area"] is None and change["request"] is None


def test_diff_of_a_file_with_itself_changed_nothing(runner):
    result = runner.invoke(main, ["diff", KOREA, KOREA])
    assert result.exit_code == 0 and result.stdout.endswith("\nNo verdict differs.\n")


def test_diff_needs_a_second_file_or_set_and_not_both(runner):
    assert runner.invoke(main, ["diff", KOREA]).exit_code == 2
    assert runner.invoke(main, ["diff", KOREA, KOREA, "--set", "situation.ceasefire=formal"]).exit_code == 2
    result = runner.invoke(main, ["diff", STRAIT, KOREA, "--phase", "fighting"])
    assert result.exit_code == 2 and "has no phases" in result.output


def test_test_names_each_check_after_its_phase(runner, tmp_path):
    path = tmp_path / "strait.yaml"
    text = (SCENARIOS / "strait.yaml").read_text()
    pinned = "        refugee_acceptance: applies"  # the fighting phase's, under 1997: the first in the file
    path.write_text(text.replace(pinned, "        refugee_acceptance: blocked", 1))
    result = runner.invoke(main, ["test", str(path)])
    assert result.exit_code == 1
    line = text[: text.index(pinned)].count("\n") + 1
    expected = f"    fighting: refugee_acceptance under 1997: expected blocked, got applies (line {line})"
    assert expected in result.output.splitlines()


def test_a_top_level_expect_in_a_phased_file_checks_the_last_phase(runner, tmp_path):
    path = tmp_path / "strait.yaml"
    path.write_text((SCENARIOS / "strait.yaml").read_text() + "expect:\n  minesweeping: blocked\n")
    result = runner.invoke(main, ["test", str(path)])
    assert "    ceasefire: minesweeping: expected blocked, got applies" in result.output


def test_validate_names_the_phase(runner, tmp_path):
    path = tmp_path / "strait.yaml"
    text = (SCENARIOS / "strait.yaml").read_text()
    path.write_text(
        text.replace("      - {id: taiwan_waters, combat: ongoing}", "      - {id: taiwan_water, combat: ongoing}")
    )
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    out = result.output
    assert "phases[2] (fighting).areas[1].id: no area with id 'taiwan_water' to change" in out
    assert "(did you mean 'taiwan_waters'?)" in out


PLAIN_ACROSS_2016 = """\
scenario: A crisis across the day the 2015 legislation came into force
date: 2016-01-10
situation: {important_influence: true}
us_forces: {operating: true, requests: [ammunition]}
phases:
  - id: before
    expect: {logistic_support: {requests: {ammunition: blocked}}}
  - id: after
    date: 2016-04-01
    expect: {logistic_support: {requests: {ammunition: applies}}}
"""


def test_the_plain_expect_of_each_phase_is_checked_under_the_rulebook_of_its_date(runner, tmp_path):
    """The plain form means the rulebook a phase is evaluated under by default: 1997 before 29 March 2016, 2015
    from it (Law60/1999 Table 1 note 1 against Law60/2015 Art. 3(1)(ii), DoJ16: ammunition); `--rulebook X`
    checks only the phases whose date chooses X."""
    path = tmp_path / "across.yaml"
    path.write_text(PLAIN_ACROSS_2016)
    every = runner.invoke(main, ["test", "-v", str(path)])
    assert every.exit_code == 0, every.output
    assert "(2 checks)" in every.output
    for rulebook in ("1997", "2015"):
        one = runner.invoke(main, ["test", "-v", "--rulebook", rulebook, str(path)])
        assert one.exit_code == 0 and "(1 check)" in one.output, one.output
