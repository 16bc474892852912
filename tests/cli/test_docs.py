"""The documentation keeps up: every command has help with an example and exit codes, and is in the README;
every command sample in the README and the guide (docs/) is what the command prints; the guide builds."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from engine.cli import main

from ..conftest import ROOT

README = (ROOT / "README.md").read_text()
# The README and every page of the guide, by file name.
DOCS = {"README.md": README} | {f"docs/{p.name}": p.read_text() for p in sorted((ROOT / "docs").glob("*.md"))}
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


def samples() -> list[tuple[str, str, list[str]]]:
    """Each `$ guidelines ...` sample of the docs: its file, the command, and the lines shown under it up to
    the first `...` (what follows it is abridged) or the end of the block."""
    out = []
    for name, text in DOCS.items():
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if not line.startswith("$ guidelines "):
                continue
            shown = []
            for more in lines[i + 1 :]:
                if more.strip() == "..." or more == "```":
                    break
                shown.append(more)
            out.append((name, line[2:], shown))
    return out


def _my_rules(folder):
    """The setting of the `check` sample: `my-rules/`, a copy of the 1997 rulebook whose abandoned-mines ground
    accepts active mines too."""
    from ..conftest import RULES
    from ..helpers import edit

    shutil.copytree(RULES, folder / "my-rules")
    edit(
        folder / "my-rules" / "roles" / "minesweeping.yaml",
        "- event.status: abandoned\n",
        "- event.status: {in: [abandoned, active]}\n",
    )


SETTINGS = {"guidelines check --rules my-rules/ --seed 1 --out out": _my_rules}


@pytest.mark.parametrize("name, command, shown", samples(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_sample_in_the_docs_is_real_output(runner, tmp_path, monkeypatch, name, command, shown):
    """What a sample shows is what the command prints at 80 columns, run where the docs run it (a checkout)."""
    assert len(shown) >= 3, f"{name}: the sample of `{command}` shows next to nothing"
    where = ROOT
    if command in SETTINGS:
        where = tmp_path
        SETTINGS[command](tmp_path)
    monkeypatch.chdir(where)
    actual = runner.invoke(main, command.split()[1:], env={"COLUMNS": "80"}).output.split("\n")
    assert actual[: len(shown)] == shown, f"{name}: {command}"


def test_the_samples_cover_what_a_reader_sees_first():
    """The README's sample, and the report, explanation, diff and compare samples of the guide, are tested."""
    commands = {(name, command) for name, command, _ in samples()}
    assert ("README.md", "guidelines evaluate --format table scenarios/strait.yaml --phase fighting") in commands
    assert {
        "guidelines evaluate scenarios/strait.yaml",
        "guidelines explain scenarios/strait.yaml --phase fighting --role minesweeping",
        "guidelines diff scenarios/strait.yaml --set phases.ceasefire.situation.ceasefire=de_facto",
        "guidelines compare scenarios/korea.yaml",
    } <= {command for _, command in commands}


def test_the_guide_builds_without_a_broken_link(tmp_path):
    """`mkdocs build --strict`, as CI runs it: a link to a missing page or anchor fails it."""
    pytest.importorskip("mkdocs")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "site" / "index.html").exists()


def test_the_2015_rulebook_document_is_current(runner):
    """docs/rulebook-2015.md is `guidelines rules --rulebook 2015 --format markdown`: the merged rulebook."""
    markdown = runner.invoke(main, ["rules", "--rulebook", "2015", "--format", "markdown"]).output
    assert markdown.startswith("# Rulebook 2015: ") and "Extends rulebook 1997" in markdown
    assert (ROOT / "docs" / "rulebook-2015.md").read_text() == markdown, (
        "regenerate with: guidelines rules --rulebook 2015 --format markdown > docs/rulebook-2015.md"
    )


def _yaml_block_after(marker: str) -> str:
    """The ```yaml block that follows `marker` in the docs."""
    (text,) = [text for text in DOCS.values() if marker in text]
    start = text.index(marker)
    begin = text.index("```yaml\n", start) + len("```yaml\n")
    return text[begin : text.index("```\n", begin)]


def test_readme_role_example_is_a_role_file_that_keeps_its_contract(tmp_path):
    """The role file the guide shows loads (beside the test fixture's other roles) and names a limit for
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
    (rules / "roles" / "search_and_rescue.yaml").write_text(_yaml_block_after("## A role file"))
    rulebook = load_rulebook(rules)
    role = rulebook.role("search_and_rescue")
    assert [g.id for g in role.grounds] == ["rear_area_sar", "adjacent_foreign_sea"]
    assert len(role.grounds[0].variants) == 2 and role.grounds[1].constraints[0].when is not None
    result = check_generated(Evaluator(rulebook), [], examples=150, seed=1)
    assert result.ok, result.violations


def test_readme_phases_example_is_valid_and_meets_its_expect(runner, tmp_path):
    """The phased scenario "A crisis in phases" shows is valid, without warnings, and its `expect:` holds."""
    path = tmp_path / "phases.yaml"
    path.write_text(_yaml_block_after("# A crisis in phases"))
    assert runner.invoke(main, ["validate", str(path)]).output == "ok: 1 scenario file valid\n"
    result = runner.invoke(main, ["test", str(path)])
    assert result.exit_code == 0 and result.output.endswith("4 passed, 0 failed\n")


def test_readme_scenario_example_is_valid():
    """The scenario the guide's "Writing a scenario" shows is a valid file, with no warning."""
    from engine.scenario import load

    loaded = load(_yaml_block_after("# Writing a scenario"), name="readme.yaml")
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
    "flip": "Evaluate under the shipped rulebook ID (1997 or 2015) instead of the one in force on the scenario's"
    " (each phase's) date; the date then changes no rulebook.",
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
    "decisions": "Evaluate under the shipped rulebook ID (1997 or 2015) instead of the one in force on the file's"
    " (each phase's) date.",
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
