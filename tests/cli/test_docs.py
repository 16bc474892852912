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
    assert "\npytest\n" in ci


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
    """The report and explanation samples in the README are what the commands print (at 100 columns)."""
    from ..conftest import SCENARIOS

    shown = _readme_block("guidelines evaluate scenarios/strait.yaml")
    actual = runner.invoke(main, ["evaluate", str(SCENARIOS / "strait.yaml")]).stdout.split("\n")
    assert shown[1] == "scenarios/strait.yaml · rulebook 1997 · 1996-03-08"
    assert actual[0] == shown[0] and actual[2 : len(shown)] == shown[2:]
    lines = README.split("\n")
    start = lines.index("$ guidelines explain scenarios/strait.yaml --role minesweeping") + 2
    end = lines.index("```", start)
    explained = runner.invoke(main, ["explain", str(SCENARIOS / "strait.yaml"), "--role", "minesweeping"]).output
    assert "\n".join(lines[start:end]) in explained
