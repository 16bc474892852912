"""Command-line conventions: help when run alone, NO_COLOR and FORCE_COLOR, -q and -v, warnings alike collapsed,
a progress bar and a summary line after every batch, check within the width, and help texts about their own
command."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from engine.cli import COMMANDS, console, main

from ..conftest import SCENARIOS
from ..helpers import edit
from .test_faults import ROOT, finish

FIXTURES = ROOT / "tests" / "cli" / "fixtures"
WARNED = FIXTURES / "warnings" / "warnings.yaml"  # six warnings, each of a different kind


@pytest.mark.parametrize("command", [["guidelines"], [sys.executable, "-m", "engine"]], ids=["guidelines", "python-m"])
def test_the_command_alone_prints_its_help_and_exits_0(command):
    """As git and pip do: the help on stdout, whole (no literal \\n, no `error:`), and status 0."""
    if command == ["guidelines"]:
        command = [shutil.which("guidelines") or pytest.skip("guidelines is not installed")]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith("Usage: guidelines [OPTIONS] COMMAND [ARGS]...\n")
    assert "\\n" not in done.stdout and "error:" not in done.stdout
    assert "Commands:\n" in done.stdout and "  evaluate  " in done.stdout


def _on_a_terminal(args: list[str], **env: str) -> bytes:
    """What `guidelines ARGS` writes to a terminal (a pty on stdout and stderr), at 80 columns."""
    main_fd, terminal = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    process = subprocess.Popen(
        [sys.executable, "-m", "engine", *args],
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=terminal,
        cwd=ROOT,
        env={**environment, "COLUMNS": "80", **env},
    )
    os.close(terminal)
    out = b""
    while True:
        try:
            chunk = os.read(main_fd, 1 << 16)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(main_fd)
    finish(process)
    return out


def test_no_color_takes_every_escape_code_off_a_terminal():
    """NO_COLOR (any non-empty value): not one escape code, where a terminal otherwise gets colour."""
    args = ["evaluate", str(SCENARIOS / "strait.yaml"), str(SCENARIOS / "korea.yaml")]
    assert b"\x1b[" in _on_a_terminal(args)
    assert b"\x1b" not in _on_a_terminal(args, NO_COLOR="1")
    assert b"\x1b" not in _on_a_terminal(args, NO_COLOR="yes please")


def test_force_color_styles_output_that_is_not_a_terminal_and_no_color_wins():
    """FORCE_COLOR colours a pipe; with NO_COLOR too, NO_COLOR wins; an empty NO_COLOR is not set."""
    args = ["test", str(SCENARIOS / "strait.yaml")]
    assert "\x1b" not in CliRunner().invoke(main, args).output
    assert "\x1b[" in CliRunner(env={"FORCE_COLOR": "1"}).invoke(main, args).output
    assert "\x1b[" in CliRunner(env={"FORCE_COLOR": "1", "NO_COLOR": ""}).invoke(main, args).output
    assert "\x1b" not in CliRunner(env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).invoke(main, args).output


def test_a_report_written_with_o_has_no_escape_codes(tmp_path):
    """-o FILE is a file, not a terminal: no colour in it, even when forced."""
    out = tmp_path / "report.txt"
    result = CliRunner(env={"FORCE_COLOR": "1"}).invoke(
        main, ["evaluate", str(SCENARIOS / "strait.yaml"), "-o", str(out)]
    )
    assert result.exit_code == 0
    assert out.read_text().strip()
    assert "\x1b" not in out.read_text()


@pytest.fixture
def warned_folder(tmp_path):
    """Five copies of a file with six warnings: thirty warnings, five of each kind."""
    folder = tmp_path / "warned"
    folder.mkdir()
    for i in range(5):
        shutil.copy(WARNED, folder / f"w{i}.yaml")
    return folder


def _warning_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("warning:")]


def test_warnings_alike_are_printed_once_then_counted(warned_folder):
    """Alike = the same after the location: each kind printed once, then one line says how many more."""
    result = CliRunner(env={"COLUMNS": "200"}).invoke(main, ["evaluate", "--format", "json", str(warned_folder)])
    assert result.exit_code == 0
    lines = _warning_lines(result.stderr)
    assert len(lines) == 12, result.stderr
    assert len({line.split(":", 1)[1].split(":", 3)[-1] for line in lines[:6]}) == 6  # six different kinds
    assert lines[6] == f"warning: … and 4 more like the one at {warned_folder / 'w0.yaml'}:3:7"
    assert all(" and 4 more like the one at " in line for line in lines[6:])
    assert (
        result.stderr.splitlines()[-1] == "5 files: 5 evaluated, 0 failed; 30 warnings (24 not printed: -v prints them)"
    )
    for line in result.stdout.splitlines():  # stdout stays pure JSON lines
        json.loads(line)


def test_verbose_prints_every_warning_and_quiet_none(warned_folder):
    runner = CliRunner(env={"COLUMNS": "200"})
    verbose = runner.invoke(main, ["evaluate", "-v", "--format", "json", str(warned_folder)])
    assert len(_warning_lines(verbose.stderr)) == 30
    assert verbose.stderr.splitlines()[-1] == "5 files: 5 evaluated, 0 failed; 30 warnings"
    quiet = runner.invoke(main, ["evaluate", "-q", "--format", "json", str(warned_folder)])
    assert _warning_lines(quiet.stderr) == []
    assert quiet.stderr.splitlines() == ["5 files: 5 evaluated, 0 failed; 30 warnings (-v prints them)"]
    assert quiet.stdout == verbose.stdout


@pytest.mark.parametrize("verb", ["compare", "coverage", "test"])
def test_the_other_batch_verbs_take_q_and_v(warned_folder, verb):
    runner = CliRunner(env={"COLUMNS": "200"})
    (warned_folder / "linked").symlink_to(warned_folder)  # a warning every verb can give: a folder not followed
    quiet = runner.invoke(main, [verb, "-q", str(warned_folder)])
    assert quiet.exit_code in (0, 1) and _warning_lines(quiet.stderr) == [], quiet.output
    assert re.search(r"; \d+ warnings? \(-v prints them\)$", quiet.output.rstrip()), quiet.output
    loud = runner.invoke(main, [verb, "-v", str(warned_folder)])
    assert "warning:" in loud.stderr


def test_validate_collapses_warnings_alike_too(warned_folder):
    """validate's warnings are its report (stdout); its summary counts them."""
    result = CliRunner(env={"COLUMNS": "200"}).invoke(main, ["validate", str(warned_folder)])
    assert result.exit_code == 0
    assert len(_warning_lines(result.stdout)) == 12
    assert result.stdout.splitlines()[-1] == "ok: 5 scenario files valid; 30 warnings (24 not printed: -v prints them)"
    assert len(_warning_lines(CliRunner().invoke(main, ["validate", "-v", str(warned_folder)]).stdout)) == 30


@pytest.mark.parametrize("fmt", ["json", "text", "csv", "markdown"])
def test_a_batch_ends_with_one_summary_line_on_stderr_in_every_format(tmp_path, fmt):
    shutil.copy(SCENARIOS / "korea.yaml", tmp_path / "a.yaml")
    (tmp_path / "b.yaml").write_text("scenario: [unclosed\n")
    result = CliRunner().invoke(main, ["evaluate", "--format", fmt, str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "2 files: 1 evaluated, 1 failed"
    assert "files:" not in result.stdout


def test_one_file_gets_no_summary():
    result = CliRunner().invoke(main, ["evaluate", "--format", "json", str(SCENARIOS / "korea.yaml")])
    assert result.exit_code == 0 and result.stderr == ""


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_bar_waits_a_second_then_shows_the_total_and_the_time_left(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    clock = _Clock()
    with console.Progress(200, clock=clock, terminal=True) as bar:
        bar.update(10)
        assert capsys.readouterr().err == ""  # under a second: nothing
        clock.now += 2.0
        bar.update(10)  # 20 of 200 in 2 s: 180 left at 10 a second
        drawn = capsys.readouterr().err
        assert drawn.startswith("\revaluating [") and drawn.endswith("]  20/200  0:18 left")
        assert len(drawn) - 1 == 79
    cleared = capsys.readouterr().err
    assert cleared == "\r" + " " * 79 + "\r"  # blanked when done
    assert "\x1b" not in drawn + cleared


@pytest.mark.parametrize("columns", [80, 40])
def test_the_bar_keeps_within_the_width_and_never_breaks_a_number(monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    clock = _Clock()
    bar = console.Progress(101_696, "checking", clock=clock, terminal=False)
    for done in (0, 1, 5_000, 99_999, 101_696):
        bar.done = done
        line = bar.line(clock.now + 3725)
        assert len(line) < columns, line
        assert f"{done:,}/101,696" in line


def test_no_bar_when_stderr_is_not_a_terminal(capsys):
    clock = _Clock()
    with console.Progress(10, clock=clock) as bar:
        clock.now += 5
        bar.update(5)
    assert capsys.readouterr().err == ""


def test_the_bar_shows_on_a_terminal_with_o_and_is_cleared_before_the_summary(monkeypatch, tmp_path):
    """With -o FILE and stderr a terminal (isatty faked), the bar is drawn and cleared before the summary."""
    monkeypatch.setattr(console, "DELAY", 0.0)
    monkeypatch.setattr(console, "_is_terminal", lambda stream: stream is sys.stderr)
    for i in range(3):
        shutil.copy(SCENARIOS / "korea.yaml", tmp_path / f"{i}.yaml")
    out = tmp_path / "out.json"
    result = CliRunner(env={"COLUMNS": "60"}).invoke(
        main, ["evaluate", "--format", "json", "-o", str(out), str(tmp_path)]
    )
    assert result.exit_code == 0
    *drawn, blank, last = result.stderr.split("\r")
    assert drawn[1].startswith("evaluating [") and "/3  " in drawn[1]
    assert all(len(piece) < 60 for piece in drawn)
    assert blank == " " * max(len(piece) for piece in drawn)  # blanked...
    assert last == "3 files: 3 evaluated, 0 failed\n"  # ...before the summary
    assert len(out.read_text().splitlines()) == 3


@pytest.fixture(scope="module")
def broken_check(tmp_path_factory):
    """A rulebook whose minesweeping clears active mines, and what `check --seed 3` finds in it (run once)."""
    from engine.rete.evaluators import evaluator_for
    from engine.verify.check import check_generated
    from engine.verify.invariants import load_invariants

    rules = tmp_path_factory.mktemp("check") / "r"
    shutil.copytree(ROOT / "rules" / "1997", rules)
    edit(
        rules / "roles" / "minesweeping.yaml",
        "        - event.status: abandoned\n",
        "        - event.status: {in: [abandoned, active]}\n",
    )
    evaluator = evaluator_for(str(rules))
    result = check_generated(evaluator, load_invariants(evaluator.rulebook), examples=500, seed=3)
    assert result.violations
    return rules, result


@pytest.mark.parametrize("columns", [80, 40])
def test_check_keeps_within_the_width(broken_check, monkeypatch, columns):
    """Every line of check fits COLUMNS, but for one word that cannot fit at all (an id or a path: never broken);
    the command to explain a counterexample is continued with backslashes, so that it can still be pasted."""
    import engine.verify.check

    rules, result = broken_check
    monkeypatch.setattr(engine.verify.check, "check_generated", lambda *a, **k: result)
    monkeypatch.chdir(rules.parent)
    runner = CliRunner(env={"COLUMNS": str(columns)})
    outcome = runner.invoke(main, ["check", "--rules", "r", "--seed", "3", "--out", "o"])
    assert outcome.exit_code == 1
    lines = outcome.output.splitlines()
    assert any(line.startswith("FAIL no_sweeping_of_active_mines_without_an_attack") for line in lines)
    assert any(line.startswith("  rule: r/roles/minesweeping.yaml:") for line in lines)
    for line in lines:
        assert len(line) <= columns or max(len(word) for word in line.split()) > columns - 12, line
    if columns == 80:
        assert all(len(line) <= 80 for line in lines), outcome.output
    after = outcome.output.split("  explain it:", 1)[1].lstrip("\n")
    command = re.match(r"(.*?[^\\])\n", after, re.S).group(1).replace("\\\n", " ").split()
    assert command[:2] == ["guidelines", "explain"] and command[3:] == ["--role", "minesweeping", "--rules", "r"]


def _help(name: str | None) -> str:
    """A command's help as click renders it, unwrapped (so an option is never split at its hyphen)."""
    group = click.Context(main, info_name="guidelines", terminal_width=1000, max_content_width=1000)
    if name is None:
        return main.get_help(group)
    command = main.get_command(group, name)
    return command.get_help(click.Context(command, info_name=name, parent=group, max_content_width=1000))


def _options(name: str | None) -> set[str]:
    if name is None:
        return {"--help", "--version"}
    command = main.get_command(click.Context(main), name)
    return {o for p in command.params for o in (*p.opts, *p.secondary_opts) if o.startswith("--")} | {"--help"}


_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


@pytest.mark.parametrize("name", [None, *sorted(COMMANDS)], ids=lambda n: n or "guidelines")
def test_help_speaks_only_of_its_own_options_and_real_verbs(name):
    """An option in a command's help is one of its own, except after `guidelines VERB` (an example or a pointer
    to another command), where it must be one of VERB's; and every VERB named is a command."""
    wrong = []
    for line in _help(name).splitlines():
        listed = re.match(r"  (\w+)  ", line) if name is None else None  # the group's list of commands
        owner = listed.group(1) if listed and listed.group(1) in COMMANDS else name
        for quoted in re.findall(r"`guidelines ([^`]*)`", line):  # `guidelines explain ...` in prose
            verb, *rest = quoted.split()
            wrong += [
                (verb, o) for o in _OPTION.findall(" ".join(rest)) if verb not in COMMANDS or o not in _options(verb)
            ]
        line = re.sub(r"`guidelines [^`]*`", "", line)
        own, _, example = line.partition("guidelines ")
        wrong += [(owner, o) for o in _OPTION.findall(own) if o not in _options(owner)]
        if example:
            verb, *rest = example.split()
            if not verb.startswith("-"):
                wrong += [
                    (verb, o)
                    for o in _OPTION.findall(" ".join(rest))
                    if verb not in COMMANDS or o not in _options(verb)
                ]
    assert wrong == []


# Commands that read no scenario file (so no scenario has a date to choose a rulebook by).
_NO_SCENARIOS = ["check", "rules", "schema", "new", "examples"]


@pytest.mark.parametrize("name", _NO_SCENARIOS)
def test_a_command_that_reads_no_scenario_does_not_speak_of_a_scenario_s_date(name):
    text = " ".join(_help(name).split())
    assert "scenario's date" not in text and "each scenario's" not in text
