"""`--phase` over a batch: every file lacking the phase gets its own error, in every format, and the rest is shown."""

from __future__ import annotations

import json

import pytest

from engine.cli import main

from ..conftest import SCENARIOS

STRAIT = str(SCENARIOS / "strait.yaml")  # has a phase `fighting`
KOREA = str(SCENARIOS / "korea.yaml")  # has no phases
CRISIS = str(SCENARIOS / "rescue_interrupted.yaml")  # phases, none of them `fighting`
LACKS = {KOREA: "the file has no phases, so --phase fighting names none", CRISIS: "no phase 'fighting'"}


def test_each_file_lacking_the_phase_has_an_error_object_in_json(runner):
    result = runner.invoke(main, ["evaluate", "--format", "json", "--phase", "fighting", KOREA, STRAIT, CRISIS])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["source"] for line in lines] == [KOREA, STRAIT, CRISIS]
    assert lines[1]["phase"] == "fighting" and "roles" in lines[1]
    for line in (lines[0], lines[2]):
        assert line["error"]["kind"] == "input"
        assert line["error"]["message"].startswith(LACKS[line["source"]])


@pytest.mark.parametrize("fmt", ["text", "table", "markdown", "csv", "html"])
def test_each_file_lacking_the_phase_has_an_error_line_in_every_format(runner, fmt):
    result = runner.invoke(main, ["evaluate", "--format", fmt, "--phase", "fighting", KOREA, STRAIT, CRISIS])
    assert result.exit_code == 1
    errors = result.stderr
    assert f"error: {KOREA}: {LACKS[KOREA]}" in errors
    assert f"error: {CRISIS}: {LACKS[CRISIS]}" in errors
    assert errors.count("error: ") == 2
    assert "3 files: 1 evaluated, 2 failed" in errors
    assert result.stdout.strip()  # the phase of the file that has it


def test_a_folder_with_one_phased_file_reports_every_file(runner):
    """23 files, --phase fighting: once 2 lines and exit 2; now a line for each, and exit 1."""
    result = runner.invoke(main, ["evaluate", "--format", "json", "--phase", "fighting", str(SCENARIOS)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(list(SCENARIOS.rglob("*.yaml")))
    assert sum("error" in line for line in lines) == len(lines) - sum("roles" in line for line in lines) > 0


def test_a_phase_no_file_has_is_a_usage_error(runner):
    result = runner.invoke(main, ["evaluate", "--phase", "fighting", KOREA, CRISIS])
    assert result.exit_code == 2
    assert result.stderr.count("error: ") == 2
