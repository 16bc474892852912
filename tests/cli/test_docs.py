"""The documentation keeps up: every command has help with an example and exit codes, and is in the README."""

from __future__ import annotations

import re

import pytest

from engine.cli import main

from ..conftest import ROOT

README = (ROOT / "README.md").read_text()
COMMANDS = sorted(main.list_commands(None))


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_with_example_and_exit_codes(runner, name):
    result = runner.invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert main.get_command(None, name).help
    assert "Example:" in result.output
    assert "Exit codes:" in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_described_in_the_readme(name):
    assert re.search(rf"`guidelines {name}\b", README), f"README.md does not describe `guidelines {name}`"


def test_readme_has_the_three_commands_a_new_user_needs():
    assert "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]'" in README
    assert "guidelines evaluate scenarios/strait.yaml" in README
    assert "\npytest\n" in README


def test_ci_runs_what_the_readme_says():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]'" in ci
    assert "\npytest\n" in README and '\npytest --basetemp="$basetemp"\n' in ci  # under a long temporary folder
    assert 'test "${#basetemp}" -gt 120' in ci


def _readme_block(command: str) -> list[str]:
    """The lines the README shows under `$ command`, up to the first `...` or the end of the block."""
    lines = README.split("\n")
    start = lines.index(f"$ {command}") + 1
    block = []
    for line in lines[start:]:
        if line in ("...", "```"):
            break
        block.append(line)
    return block


def test_readme_samples_are_real_output(runner):
    """The report, explanation and diff samples in the README are what the commands print (at 80 columns)."""
    samples = {
        "guidelines evaluate scenarios/strait.yaml": 30,
        "guidelines evaluate scenarios/strait.yaml --phase fighting": 20,
        "guidelines explain scenarios/strait.yaml --phase fighting --role minesweeping": 20,
        "guidelines diff scenarios/strait.yaml --set phases.ceasefire.situation.ceasefire=de_facto": 8,
    }
    for command, least in samples.items():
        shown = _readme_block(command)
        actual = runner.invoke(main, command.split()[1:], env={"COLUMNS": "80"}).stdout.split("\n")
        assert len(shown) > least and actual[: len(shown)] == shown, command


def test_readme_compare_sample_is_real_output():
    """The `guidelines compare` sample in "1997 or 2015" is what the command prints at 80 columns."""
    from click.testing import CliRunner

    from ..conftest import SCENARIOS

    lines = README.split("\n")
    start = lines.index("$ guidelines compare scenarios/korea.yaml") + 1
    shown = lines[start : lines.index("```", start)]
    result = CliRunner(env={"COLUMNS": "80"}).invoke(main, ["compare", str(SCENARIOS / "korea.yaml")])
    assert result.exit_code == 0
    actual = result.stdout.rstrip("\n").split("\n")
    assert actual[0] == shown[0] and shown[1] == "scenarios/korea.yaml" and actual[2:] == shown[2:]
    assert all(len(line) <= 80 for line in actual)


def test_the_2015_rulebook_document_is_current(runner):
    """docs/rulebook-2015.md is `guidelines rules --rulebook 2015 --format markdown`: the merged rulebook."""
    markdown = runner.invoke(main, ["rules", "--rulebook", "2015", "--format", "markdown"]).output
    assert markdown.startswith("# Rulebook 2015: ") and "Extends rulebook 1997" in markdown
    assert (ROOT / "docs" / "rulebook-2015.md").read_text() == markdown, (
        "regenerate with: guidelines rules --rulebook 2015 --format markdown > docs/rulebook-2015.md"
    )


def _yaml_block_after(marker: str) -> str:
    """The ```yaml block that follows `marker` in the README."""
    start = README.index(marker)
    begin = README.index("```yaml\n", start) + len("```yaml\n")
    return README[begin : README.index("```\n", begin)]


def test_readme_role_example_is_a_role_file_that_keeps_its_contract(tmp_path):
    """The role file the README shows loads (beside the test fixture's other roles) and names a limit for
    every block, on generated scenarios."""
    import shutil

    import yaml

    from engine.rete.runtime import Evaluator
    from engine.rulebook.load import load_rulebook
    from engine.verify.check import check_generated

    from ..conftest import RULES_V2

    rules = tmp_path / "rules"
    shutil.copytree(RULES_V2, rules)
    head = yaml.safe_load((rules / "rulebook.yaml").read_text())
    head["sources"].update({"G97": "the Guidelines", "Law60/1999": "Law No. 60 of 1999"})
    (rules / "rulebook.yaml").write_text(yaml.safe_dump(head))
    (rules / "roles" / "search_and_rescue.yaml").write_text(_yaml_block_after("### A role file"))
    rulebook = load_rulebook(rules)
    role = rulebook.role("search_and_rescue")
    assert [g.id for g in role.grounds] == ["rear_area_sar", "adjacent_foreign_sea"]
    assert len(role.grounds[0].variants) == 2 and role.grounds[1].constraints[0].when is not None
    result = check_generated(Evaluator(rulebook), [], examples=150, seed=1)
    assert result.ok, result.violations


def test_readme_phases_example_is_valid_and_meets_its_expect(runner, tmp_path):
    """The phased scenario "A crisis in phases" shows is valid, without warnings, and its `expect:` holds."""
    path = tmp_path / "phases.yaml"
    path.write_text(_yaml_block_after("### A crisis in phases"))
    assert runner.invoke(main, ["validate", str(path)]).output == "ok: 1 scenario file valid\n"
    result = runner.invoke(main, ["test", str(path)])
    assert result.exit_code == 0 and result.output.endswith("4 passed, 0 failed\n")


def test_readme_scenario_example_is_valid():
    """The scenario the README's "Writing a scenario" shows is a valid file, with no warning."""
    from engine.scenario import load

    loaded = load(_yaml_block_after("## Writing a scenario"), name="readme.yaml")
    scenario = loaded.scenario
    assert loaded.warnings == []
    assert scenario.other_forces.requests == ["supplies"] and scenario.areas[1].adjacent_to == "sea_lanes"


# What --rulebook does on each command, as its help says it: the rulebook it replaces differs (the one in force on
# each date, every rulebook a file's expect: names, the 1997 one, both), so no one text fits them all.
RULEBOOK_HELP = {
    "evaluate": "Evaluate under the shipped rulebook ID (1997 or 2015) instead of the one in force on each file's"
    " (each phase's) date.",
    "explain": "Explain under the shipped rulebook ID (1997 or 2015) instead of the one in force on the scenario's"
    " (the phase's) date.",
    "diff": "Evaluate both sides under the shipped rulebook ID (1997 or 2015) instead of the one in force on each"
    " side's (each phase's) date.",
    "coverage": "Measure only the shipped rulebook ID (1997 or 2015), evaluating every scenario under it, instead of"
    " measuring each shipped rulebook in turn.",
    "test": "Check only the expectations for the shipped rulebook ID (1997 or 2015), not those of every rulebook a"
    " file names.",
    "validate": "Check only the expect: blocks for the shipped rulebook ID (1997 or 2015), not those of every"
    " rulebook a file names.",
    "rules": "Show the shipped rulebook ID (1997 or 2015) instead of 1997.",
    "check": "Check only the shipped rulebook ID (1997 or 2015), not every shipped rulebook.",
    "compare": "A rulebook to compare; give two (by default 1997, then 2015).",
    "examples": None,
    "cache": None,
    "new": None,
    "schema": None,
}


def option_help(output: str, option: str) -> str | None:
    """The help text of `option` in a command's --help, unwrapped; None if the command has no such option."""
    lines = output.splitlines()
    for i, line in enumerate(lines):
        if line.lstrip().startswith(option + " "):
            column = line.index(option) + len(option)
            text = [line[column:].strip()]
            for more in lines[i + 1 :]:
                if not more.strip() or more.lstrip().startswith("-"):
                    break
                text.append(more.strip())
            return " ".join(text)
    return None


@pytest.mark.parametrize("name", COMMANDS)
def test_rulebook_help_says_what_the_option_does_on_that_command(runner, name):
    """Every command that takes --rulebook says what it replaces there: only the commands that evaluate dated
    scenarios speak of the rulebook in force on a date (`rules` and `check` evaluate none)."""
    result = runner.invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert option_help(result.output, "--rulebook ID") == RULEBOOK_HELP[name]
