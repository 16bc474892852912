"""The authoring verbs: validate, test, explain, schema, new, rules; with fixtures meant to fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.cli import main
from engine.rulebook.choice import shipped_roles
from engine.scenario import load
from engine.scenario.schema import schema_text

from ..conftest import ROOT, RULES, SCENARIOS

FIXTURES = Path(__file__).parent / "fixtures"
STRAIT = str(SCENARIOS / "strait.yaml")


# -- validate ----------------------------------------------------------------


def test_validate_success_is_one_line(runner):
    """Valid files give one summary line, after the warnings (if any), each one message (wrapped under its
    location)."""
    result = runner.invoke(main, ["validate", str(SCENARIOS)])
    assert result.exit_code == 0
    *warnings, last = result.output.splitlines()
    printed = [line for line in warnings if line.startswith(f"warning: {SCENARIOS}")]
    alike = [line for line in warnings if line.startswith("warning: … and ")]  # warnings alike, counted once
    assert printed and printed + alike == warnings, warnings
    unprinted = sum(int(line.split()[3]) for line in alike)
    held = f" ({unprinted} not printed: -v prints them)" if unprinted else ""
    files = len(list(SCENARIOS.rglob("*.yaml")))
    assert last == f"ok: {files} scenario files valid; {len(printed) + unprinted} warnings{held}"


def test_validate_quiet_is_silent(runner):
    """-q prints nothing on success, warnings included."""
    result = runner.invoke(main, ["validate", "-q", STRAIT])
    assert result.exit_code == 0 and result.output == ""
    result = runner.invoke(main, ["validate", "-q", str(FIXTURES / "warnings" / "warnings.yaml")])
    assert result.exit_code == 0 and result.output == ""


def test_validate_reports_each_problem_with_position_and_suggestion(runner):
    path = FIXTURES / "invalid" / "typos.yaml"
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    output = result.output
    assert f"error: {path}:3:24: situation.important_influence: expected true or false, got 'yes'" in output
    assert f"error: {path}:6:11: areas[0].kind: 'high_sea' is not one of:" in output
    assert "(did you mean 'high_seas'?)" in output
    assert f"error: {path}:10:5: events[0].staus: unknown key 'staus'" in output
    assert "(did you mean 'status'?)" in output


def test_validate_checks_expect_against_the_rulebook(runner):
    path = FIXTURES / "invalid" / "area_expect_on_facility.yaml"
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert (
        f"error: {path}:9:12: expect.facility_access.areas: facility_access is not reported per area" in result.output
    )


def test_validate_a_rulebook(runner, tmp_path):
    result = runner.invoke(main, ["validate", "--rules", str(RULES)])
    assert result.exit_code == 0 and result.output == "ok: rulebook 1997 and 0 scenario files valid\n"
    broken = tmp_path / "rules"
    broken.mkdir()
    (broken / "rulebook.yaml").write_text("rulebook: x\ntitle: t\nsources: {G97: x}\nextra: 1\n")
    result = runner.invoke(main, ["validate", "--rules", str(broken)])
    assert result.exit_code == 1
    assert f"error: {broken / 'rulebook.yaml'}:4:1: extra: unknown key 'extra'" in result.output


# -- test ----------------------------------------------------------------------


def test_test_passes_on_the_shipped_scenarios(runner):
    result = runner.invoke(main, ["test", str(SCENARIOS)])
    assert result.exit_code == 0, result.output
    last = result.output.splitlines()[-1]
    assert last.endswith(" passed, 0 failed")
    assert int(last.split()[0]) >= 80


def test_test_failure_reads_file_title_role_and_reason(runner):
    path = FIXTURES / "failing" / "wrong_expect.yaml"
    result = runner.invoke(main, ["test", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"FAIL {path}"
    assert lines[1] == "  Wrong expectations"
    assert "    minesweeping: expected applies, got blocked (line 16)" in lines
    assert "    minesweeping@strait: expected applies, got blocked (line 17)" in lines
    assert "    surveillance: expected applies, got blocked (line 18)" in lines
    assert any(
        line.startswith("      because: The mines were laid as part of hostilities and are still active")
        for line in lines
    )
    assert lines[-1] == "1 passed, 3 failed"


def test_test_counts_files_that_do_not_load(runner):
    result = runner.invoke(main, ["test", str(FIXTURES / "invalid" / "typos.yaml"), STRAIT])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].endswith(" passed, 1 failed")
    located = f"error: {FIXTURES / 'invalid' / 'typos.yaml'}:3:24: situation.important_influence:"
    assert located in result.output  # on one line, however long the checkout's path


# -- explain -------------------------------------------------------------------


def test_explain_names_the_blocking_limit_and_the_values(runner):
    result = runner.invoke(main, ["explain", STRAIT, "--phase", "fighting", "--role", "minesweeping", "--trace"])
    assert result.exit_code == 0
    out = result.output
    assert "events[0] active mines in Taiwan Strait: blocked" in out
    assert "no  abandoned_mines: The mines cannot be treated as abandoned" in out
    assert "yes active_mines_no_self_defence BLOCKS: The mines were laid" in out
    assert "yes event.status is active  (event.status = active)" in out
    assert "no  area.kind is foreign  (area.kind = high_seas)" in out
    assert (
        "-> blocked: no ground holds; the limits that hold: active_mines_no_self_defence, combat_ongoing"
        in " ".join(out.split())
    )
    assert "SEARCH AND RESCUE" not in out


def test_explain_not_triggered_says_what_would_trigger(runner, tmp_path):
    # Active mines with no gate: abandoned ones need none (SDF Law Art. 84-2), active ones do.
    text = (SCENARIOS / "no_determination.yaml").read_text(encoding="utf-8")
    active = tmp_path / "active_mines.yaml"
    active.write_text(text.replace("status: abandoned, conflict: past", "status: active"), encoding="utf-8")
    result = runner.invoke(main, ["explain", str(active), "--role", "minesweeping", "--trace"])
    assert "no  section_v_or_iv: Japan has neither determined" in result.output
    flat = " ".join(result.output.split())
    assert "Triggered by an event of type mines in an area, when: Section V or Section IV is engaged" in flat


def test_explain_json(runner):
    result = runner.invoke(main, ["explain", "--format", "json", STRAIT, "--phase", "fighting"])
    data = json.loads(result.output)
    case = data["roles"]["minesweeping"]["cases"][0]
    assert case["status"] == "blocked" and case["blocked_by"] == ["active_mines_no_self_defence", "combat_ongoing"]
    limit = case["limits"][0]
    assert limit["held"] is True and limit["check"]["items"][0] == {
        "test": "event.status is active",
        "held": True,
        "field": "event.status",
        "value": "active",
    }


def verdict_from_explanation(case: dict) -> str:
    """A triggered role applies when one of its grounds holds, and is blocked when none does."""
    if not all(item["held"] for item in case["triggers"]):
        return "not_triggered"
    return "applies" if any(item["held"] for item in case["grounds"]) else "blocked"


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_explanation_agrees_with_the_verdict(runner, path):
    """On every shipped scenario, the items of the explanation imply exactly the verdict of the report."""
    explained = json.loads(runner.invoke(main, ["explain", "--format", "json", str(path)]).output)
    report = json.loads(runner.invoke(main, ["evaluate", "--format", "json", str(path)]).stdout)
    for role_id, role in explained["roles"].items():
        reported = report["roles"][role_id]["cases"]
        assert [c["status"] for c in role["cases"]] == [c["status"] for c in reported]
        for case in role["cases"]:
            assert verdict_from_explanation(case) == case["status"], (role_id, case["subject"])
            for item in case["triggers"] + case["grounds"] + case["limits"]:
                assert item["check"]["held"] == item["held"]
        assert role["status"] == report["roles"][role_id]["status"]


def test_explain_role_completion(runner):
    """`--role` completes role ids in the shell."""
    env = {
        "_GUIDELINES_COMPLETE": "bash_complete",
        "COMP_WORDS": "guidelines explain x.yaml --role s",
        "COMP_CWORD": "4",
    }
    result = runner.invoke(main, [], prog_name="guidelines", env=env)
    assert "search_and_rescue" in result.output and "surveillance" in result.output


# -- schema, new, rules ----------------------------------------------------------


def test_schema_file_is_current(runner):
    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 0
    assert result.output == schema_text(shipped_roles())
    assert (ROOT / "schema" / "scenario.schema.json").read_text() == result.output, (
        "regenerate with: guidelines schema > schema/scenario.schema.json"
    )


def test_schema_is_draft_07_with_descriptions_everywhere():
    schema = json.loads(schema_text(shipped_roles()))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    text = json.dumps(schema)
    assert "$defs" not in text and "discriminator" not in text and "prefixItems" not in text
    missing = []

    def walk(node, where):
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                if "description" not in prop:
                    missing.append(f"{where}.{name}")
            if "$ref" in node:
                assert set(node) == {"$ref"}, f"{where}: draft-07 ignores keywords beside $ref"
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for value in node:
                walk(value, where)

    walk(schema, "")
    assert missing == []


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_scenarios_point_at_the_schema(path):
    first = path.read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/scenario.schema.json"


def test_new_writes_a_valid_commented_skeleton(runner, tmp_path):
    target = tmp_path / "mine.yaml"
    result = runner.invoke(main, ["new", str(target)])
    assert result.exit_code == 0
    text = target.read_text()
    schema_line = text.splitlines()[0]
    assert schema_line.startswith("# yaml-language-server: $schema=")
    assert schema_line == "# yaml-language-server: $schema=scenario.schema.json"
    assert (target.parent / "scenario.schema.json").read_text() == schema_text(shipped_roles())
    for word in ("distant_high_seas", "ongoing", "sanctions_shipping", "ammunition", "evacuation", "not_triggered"):
        assert word in text
    for field in (
        "survival_threatening:",
        "ceasefire:",
        "other_forces:",
        "adjacent_to:",
        "conflict:",
        "rescue_under_way:",
    ):
        assert f"# {field}" in text or f"#   {field}" in text or f"  # {field}" in text, field
    assert load(text).scenario  # valid as written
    assert runner.invoke(main, ["validate", str(target)]).exit_code == 0
    again = runner.invoke(main, ["new", str(target)])
    assert again.exit_code == 1 and "exists" in again.output
    assert runner.invoke(main, ["new", "--force", str(target)]).exit_code == 0


def test_new_points_at_a_schema_by_a_relative_path_that_resolves(runner, tmp_path):
    """The schema line of a new file is relative and resolves to a schema file: one beside it (written if missing,
    never overwritten), or a checkout's ../schema/; never a path into the package or the checkout."""
    project = tmp_path / "project"
    (project / "schema").mkdir(parents=True)
    (project / "schema" / "scenario.schema.json").write_text("{}")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "scenario.schema.json").write_text("{}")  # the user's own: kept
    cases = [
        (project / "scenarios" / "a.yaml", "../schema/scenario.schema.json"),
        (mine / "b.yaml", "scenario.schema.json"),
        (tmp_path / "fresh" / "c.yaml", "scenario.schema.json"),
    ]
    for target, expected in cases:
        result = runner.invoke(main, ["new", str(target)])
        assert result.exit_code == 0, result.output
        reference = target.read_text().splitlines()[0].removeprefix("# yaml-language-server: $schema=")
        assert reference == expected
        assert (target.parent / reference).is_file()
    assert sorted(p.name for p in (project / "scenarios").iterdir()) == ["a.yaml"]
    assert (mine / "scenario.schema.json").read_text() == "{}"
    assert (tmp_path / "fresh" / "scenario.schema.json").read_text() == schema_text(shipped_roles())
    assert "and " + str(tmp_path / "fresh" / "scenario.schema.json") in result.output


def test_rules_text_json_markdown(runner):
    text = runner.invoke(main, ["rules"]).output
    assert 'MINESWEEPING  (minesweeping)  "Provide mine sweepers"' in text
    data = json.loads(runner.invoke(main, ["rules", "--format", "json"]).output)
    assert [r["id"] for r in data["roles"]][0] == "minesweeping"
    limit = data["roles"][0]["limits"][0]
    assert limit["when"] == {
        "all": [
            {"field": "event.status", "op": "eq", "values": ["active"]},
            {"field": "situation.armed_attack_on_japan", "op": "eq", "values": [False]},
        ]
    }
    markdown = runner.invoke(main, ["rules", "--format", "markdown"]).output
    assert (ROOT / "docs" / "rulebook.md").read_text() == markdown, (
        "regenerate with: guidelines rules --format markdown > docs/rulebook.md"
    )


def test_new_then_validate_then_explain_then_test(runner, tmp_path):
    """The authoring loop a new user follows: new, fix with validate, explain, pin with expect, test."""
    path = tmp_path / "crisis.yaml"
    runner.invoke(main, ["new", str(path)])
    text = path.read_text().replace("kind: high_seas", "kind: high_sea")
    path.write_text(text)
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1 and "did you mean 'high_seas'" in result.output
    path.write_text(text.replace("kind: high_sea", "kind: foreign"))
    assert runner.invoke(main, ["validate", "-q", str(path)]).exit_code == 0
    explained = runner.invoke(main, ["explain", str(path), "--role", "search_and_rescue", "--trace"]).output
    assert "BLOCKS" in explained and "foreign_without_consent" in explained
    path.write_text(path.read_text() + "expect:\n  search_and_rescue: blocked\n")
    result = runner.invoke(main, ["test", str(path)])
    assert result.exit_code == 0 and result.output.splitlines()[-1] == "1 passed, 0 failed"


# -- warnings --------------------------------------------------------------------


def test_validate_prints_warnings_and_succeeds(runner):
    path = FIXTURES / "warnings" / "warnings.yaml"
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == f"warning: {path}:3:7: date: the date is before the 1997 Guidelines existed (23 September 1997)"
    assert f"warning: {path}:10:37: areas[0].combat: combat is ongoing in Japanese territory" in result.output
    assert len(lines) == 7 and lines[-1] == "ok: 1 scenario file valid; 6 warnings"


def test_evaluate_prints_warnings_on_stderr_and_in_the_json_report(runner):
    path = FIXTURES / "warnings" / "warnings.yaml"
    result = runner.invoke(main, ["evaluate", "--format", "json", str(path)])
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        f"warning: {path}:3:7: date: the date is before the 1997 Guidelines existed (23 September 1997)"
    )
    report = json.loads(result.stdout)
    assert len(report["warnings"]) == 6
    assert report["warnings"][0] == {
        "message": "the date is before the 1997 Guidelines existed (23 September 1997)",
        "line": 3,
        "column": 7,
        "field": "date",
        "suggestion": None,
        "severity": "warning",
    }
    text = runner.invoke(main, ["evaluate", str(path)])
    assert text.stdout.startswith("Warnings\n") and "warning:" in text.stderr
    # evaluate locates them without reading the whole file again with positions: the same places as validate
    from engine.scenario import load
    from engine.scenario.warnings import scenario_warnings

    loaded = load(path)
    scenario, document = loaded.scenario, loaded.document
    located = scenario_warnings(scenario.model_dump(mode="python"), document)
    assert report["warnings"] == [w.as_dict() for w in located]


def test_new_with_phases_writes_two_phases_valid_as_written(runner, tmp_path):
    """`new --phases` adds two commented phases; the file is valid, without warnings, and evaluates phase by
    phase."""
    target = tmp_path / "crisis.yaml"
    assert runner.invoke(main, ["new", "--phases", str(target)]).exit_code == 0
    scenario = load(target.read_text()).scenario
    assert [p.id for p in scenario.phases] == ["tension", "fighting"]
    assert "a top-level `expect:` then checks the last phase" in target.read_text()
    result = runner.invoke(main, ["validate", str(target)])
    assert result.exit_code == 0 and result.output == "ok: 1 scenario file valid\n"


@pytest.mark.parametrize("phases", [False, True], ids=["plain", "phases"])
def test_the_skeleton_is_valid_with_its_commented_fields_too(runner, tmp_path, phases):
    """Uncommenting the fields the skeleton shows commented still gives a valid scenario."""
    target = tmp_path / "full.yaml"
    runner.invoke(main, ["new", str(target)] + (["--phases"] if phases else []))
    lines = []
    for line in target.read_text().splitlines()[1:]:
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if stripped.startswith("# ") and indent < 30 and not stripped.startswith(("# A scenario", "# commented")):
            line = " " * indent + stripped[2:]
        lines.append(line)
    text = "\n".join(line for line in lines if not line.startswith("  requests: []"))
    scenario = load(text).scenario
    assert scenario.date is not None and scenario.other_forces.operating
    assert [a.adjacent_to for a in scenario.areas] == [None, "east_china_sea"]
    assert scenario.expect["logistic_support"].requests == {
        "supplies": "applies",
        "transport@east_china_sea": "applies",
    }
    if phases:
        assert scenario.phases[0].us_forces.requests[0] == "supplies"
        assert [a.id for a in scenario.phases[1].areas] == ["east_china_sea", "okinawa"]


# -- expect: requests ---------------------------------------------------------------


def test_expect_pins_requests_one_by_one(runner, tmp_path):
    path = FIXTURES / "requests" / "pinned.yaml"
    result = runner.invoke(main, ["test", str(path)])
    assert result.exit_code == 1  # transport on high seas where combat is expected is no rear area support
    lines = result.output.splitlines()
    assert "    logistic_support[transport@sea]: expected applies, got blocked (line 17)" in lines
    assert any("because: The place is not a rear area" in line for line in lines)
    assert lines[-1] == "5 passed, 1 failed"
    fixed = tmp_path / "pinned.yaml"
    fixed.write_text(path.read_text().replace("transport@sea: applies", "transport@sea: blocked"))
    again = runner.invoke(main, ["test", str(fixed)])
    assert again.exit_code == 0 and again.output.splitlines()[-1] == "6 passed, 0 failed"


def test_validate_refuses_requests_a_role_cannot_pin(runner):
    path = FIXTURES / "requests" / "bad_expect.yaml"
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert (
        f"{path}:9:16: expect.facility_access.requests.supplies: facility_access is about requests for "
        "civilian_airports, civilian_ports, sdf_facilities, hospitals; 'supplies' is none of them"
    ) in result.output
    assert f"{path}:11:15: expect.surveillance.requests: surveillance is not about requests" in result.output


@pytest.mark.parametrize("command", ["validate", "test"])
def test_expect_keys_are_checked_against_the_rulebook(runner, tmp_path, command):
    """A role `expect:` names is one of the rulebook's files: a slip is located, with the nearest role."""
    path = tmp_path / "s.yaml"
    path.write_text("scenario: t\nsituation:\n  important_influence: true\nexpect:\n  minesweepin: blocked\n")
    result = runner.invoke(main, [command, str(path)])
    assert result.exit_code == 1
    assert f"error: {path}:5:3: expect.minesweepin: rulebook 1997 has no role 'minesweepin'" in result.output
    assert "did you mean 'minesweeping'?" in result.output
