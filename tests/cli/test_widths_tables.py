"""The tables and lists of `rules`, `coverage` and `test`, and messages with no location, fit 80 and 40 columns.

A table too wide for the terminal becomes a list (each name on a line, its figures or text under it), as the
main report does; at 80 columns each stays the table it was. A word too long for any line (a path, a rule's
key) stands whole, as everywhere.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from wcwidth import wcswidth

from engine.cli import main
from engine.util.text import say, wrap

from ..conftest import SCENARIOS


def _too_wide(output: str, width: int) -> list[str]:
    """Lines wider than `width`, but a located error (never wrapped) and one holding a word too long for any line
    (alone or after a short mark)."""
    return [
        line
        for line in output.split("\n")
        if wcswidth(line) > width
        and not re.match(r"(error|warning): \S+:\d+:\d+: ", line)
        and not re.match(r"warning: \W+ and \d+ more like the one at \S+:\d+:\d+$", line)
        and not (len(line.split()) <= 2 and wcswidth(line.split()[-1]) > width // 2)
    ]


FAILING = """\
scenario: 台湾海峡の危機と尖閣諸島に機雷が残された長い長い題名の想定
situation:
  important_influence: true
  ceasefire: formal
areas:
  - {id: strait, name: 台湾海峡, kind: high_seas}
events:
  - {type: mines, area: strait, status: abandoned, conflict: current}
expect:
  minesweeping: blocked
"""

COMMANDS = [
    ["rules"],
    ["rules", "--rulebook", "2015"],
    ["rules", "--sources"],
    ["rules", "--sources", "--rulebook", "2015"],
    ["rules", "--inherited", "--rulebook", "2015"],
    ["coverage", "--rulebook", "1997", "scenarios/korea.yaml"],
    ["test", "-v", "scenarios/korea.yaml", "scenarios/continued_rescue_next_door.yaml"],
    ["test", "{failing}"],
    ["evaluate", "--ids", "--format", "table", "scenarios/korea.yaml"],
    ["evaluate", "--ids", "scenarios/korea.yaml"],
    ["validate", "scenarios"],
]


@pytest.mark.parametrize("columns", [80, 40])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(a for a in args if "/" not in a))
def test_tables_fit_the_width(args, columns, tmp_path, at_root):
    failing = tmp_path / "failing.yaml"
    failing.write_text(FAILING)
    argv = [arg.format(failing=failing) for arg in args]
    result = CliRunner(env={"COLUMNS": str(columns)}).invoke(main, argv)
    assert result.exit_code == (1 if "{failing}" in args else 0), result.output
    assert _too_wide(result.stdout, columns) == []
    assert _too_wide(result.stderr, columns) == []


def test_coverage_is_a_table_at_80_and_a_list_at_40():
    argv = ["coverage", "--rulebook", "1997", str(SCENARIOS / "korea.yaml")]
    wide = CliRunner(env={"COLUMNS": "80"}).invoke(main, argv).stdout.split("\n")
    narrow = CliRunner(env={"COLUMNS": "40"}).invoke(main, argv).stdout.split("\n")
    assert any(line.startswith("role ") and line.endswith("true and false") for line in wide)
    assert any(line.startswith("Minesweeping ") and "%" in line for line in wide)
    at = narrow.index("Minesweeping")
    assert [line.split("  ")[1] for line in narrow[at + 1 : at + 4]] == [
        "grounds applied",
        "limits blocked",
        "true and false",
    ]


def test_rules_put_labels_beside_their_text_at_80_and_above_it_at_40():
    wide = CliRunner(env={"COLUMNS": "80"}).invoke(main, ["rules"]).stdout.split("\n")
    narrow = CliRunner(env={"COLUMNS": "40"}).invoke(main, ["rules"]).stdout.split("\n")
    assert any(line.startswith("  basis        G97 V.2(3)") for line in wide)
    at = narrow.index("  basis")
    assert narrow[at + 1].startswith("      G97 V.2(3)")


def test_a_passing_file_names_its_checks_under_a_long_path_at_40(at_root):
    argv = ["test", "-v", "scenarios/continued_rescue_next_door.yaml"]
    wide = CliRunner(env={"COLUMNS": "110"}).invoke(main, argv).stdout.split("\n")
    narrow = CliRunner(env={"COLUMNS": "40"}).invoke(main, argv).stdout.split("\n")
    assert wide[0].startswith("ok   ") and wide[0].endswith("continued_rescue_next_door.yaml (22 checks)")
    assert narrow[0].endswith("continued_rescue_next_door.yaml") and narrow[1] == "     (22 checks)"


@pytest.mark.parametrize("columns", [80, 40])
def test_a_message_with_no_location_wraps_under_its_severity(columns, tmp_path, monkeypatch):
    """`nothing to check` (run where there is no scenarios/ folder) wraps to the width, its lines indented."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner(env={"COLUMNS": str(columns)}).invoke(main, ["coverage"])
    assert result.exit_code == 2
    lines = result.stderr.rstrip("\n").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("error: nothing to check"))
    message = lines[at:]
    assert len(message) > 1 and all(wcswidth(line) <= columns for line in message)
    assert all(line.startswith("    ") and line[4] != " " for line in message[1:])
    assert " ".join(line.strip() for line in message).endswith(
        "Copy the examples to start from: guidelines examples my-scenarios"
    )


def test_a_located_message_stays_on_one_line_however_narrow():
    """A tool reads `error: FILE:LINE:COL: FIELD: message` whole: it is never wrapped; only its hint goes under."""
    message = "situation.ceasefire: 'formall' is not one of: none, de_facto, formal and more words to be long"
    assert say("error", "s.yaml:3:14", message, 40) == f"error: s.yaml:3:14: {message}"
    hinted = say("error", "s.yaml:3:14", message + " (did you mean 'formal'?)", 40).split("\n")
    assert hinted == [f"error: s.yaml:3:14: {message}", "    (did you mean 'formal'?)"]


def test_a_japanese_title_without_spaces_is_broken_between_characters():
    """Japanese is written without spaces: a run too wide for a line breaks between two characters, never before
    a closing mark; names that fit a line stay whole."""
    title = "台湾海峡の危機と尖閣諸島に機雷が残された長い長い題名の想定"
    lines = wrap(title, 20)
    assert "".join(lines) == title and all(wcswidth(line) <= 20 for line in lines) and len(lines) == 3
    assert wrap("尖閣諸島尖閣諸島台湾、台湾", 20) == ["尖閣諸島尖閣諸島台", "湾、台湾"]
    assert wrap("台湾海峡 尖閣諸島 " * 3, 20) == ["台湾海峡 尖閣諸島", "台湾海峡 尖閣諸島", "台湾海峡 尖閣諸島"]


def test_the_cache_fits_40_columns_and_keeps_its_columns_at_80(tmp_path, monkeypatch):
    """Each kind's size stays in a column at the right: under a label wrapped to the width when narrow."""
    import os
    import subprocess
    import sys

    monkeypatch.setenv("GUIDELINES_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.delenv("GUIDELINES_NO_CACHE", raising=False)
    monkeypatch.delenv("GUIDELINES_CACHE_SIZE", raising=False)
    argv = [sys.executable, "-m", "engine", "evaluate", str(SCENARIOS / "strait.yaml")]
    assert subprocess.run(argv, capture_output=True, env=dict(os.environ), timeout=120, check=False).returncode == 0
    wide = CliRunner(env={"COLUMNS": "80"}).invoke(main, ["cache"]).stdout.split("\n")
    narrow = CliRunner(env={"COLUMNS": "40"}).invoke(main, ["cache"]).stdout.split("\n")
    assert [len(line) for line in wide if "KiB" in line and line.startswith("  ")] == [73, 73]
    assert _too_wide("\n".join(narrow[1:]), 40) == []
    assert [len(line) for line in narrow if "KiB" in line and line.startswith("  ")] == [40, 40]


@pytest.mark.parametrize("command", ["evaluate", "rules", "diff", "new", "cache", "coverage"])
def test_help_of_each_command_fits_40_columns_but_its_example_commands(command):
    """Prose, the options and their meanings, the exit codes and the formats wrap to 40 columns, each under its
    second column; an example command is kept whole, to be copied. At 80 nothing is wider than 80."""
    narrow = CliRunner(env={"COLUMNS": "40"}).invoke(main, [command, "--help"]).stdout
    assert [line for line in _too_wide(narrow, 40) if not line.startswith("      guidelines ")] == []
    assert "Show this message and" in narrow  # the options are there, wrapped
    assert _too_wide(CliRunner(env={"COLUMNS": "80"}).invoke(main, [command, "--help"]).stdout, 80) == []


def test_help_wraps_to_a_terminal_narrower_than_50_columns():
    """click keeps help 50 columns wide at least; at 40 its prose wraps to 40, and only an example command (a line
    kept as written, to copy) is wider."""
    result = CliRunner(env={"COLUMNS": "40"}).invoke(main, ["--help"])
    wider = [line for line in result.stdout.split("\n") if wcswidth(line) > 40]
    assert all(line.startswith("      guidelines ") for line in wider), wider
    assert "  Which roles the Defense Guidelines" in result.stdout.split("\n")
    wide = CliRunner(env={"COLUMNS": "80"}).invoke(main, ["--help"]).stdout.split("\n")
    assert any(line.startswith("  Which roles the Defense Guidelines (1997, 2015) and Japan's laws") for line in wide)


def test_new_puts_the_next_command_on_a_line_of_its_own_when_narrow(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    narrow = CliRunner(env={"COLUMNS": "40"}).invoke(main, ["new", "a.yaml"])
    assert narrow.stdout == "wrote a.yaml and scenario.schema.json\nnext:\n  guidelines validate a.yaml\n"
    wide = CliRunner(env={"COLUMNS": "80"}).invoke(main, ["new", "b.yaml"])
    assert wide.stdout == "wrote b.yaml; next: guidelines validate b.yaml\n"


@pytest.mark.parametrize("columns", [80, 40])
def test_the_summary_of_a_batch_wraps_under_its_count_of_files(columns, capsys, monkeypatch):
    from engine.cli import console

    monkeypatch.setenv("COLUMNS", str(columns))
    warnings = console.Warnings(quiet=True)
    warnings.count = 12
    console.summary(23, [(21, "evaluated"), (2, "failed")], warnings)
    lines = capsys.readouterr().err.rstrip("\n").split("\n")
    assert " ".join(line.strip() for line in lines) == "23 files: 21 evaluated, 2 failed; 12 warnings (-v prints them)"
    assert len(lines) == (1 if columns == 80 else 2) and all(len(line) <= columns for line in lines)
