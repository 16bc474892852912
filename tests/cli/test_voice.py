"""One voice for errors: every command says `error: FILE:LINE:COL: FIELD: message`, with hints where they help."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli import main

from ..conftest import SCENARIOS
from ..helpers import edit

ROOT = Path(__file__).resolve().parent.parent.parent
BAD = "scenario: x\nsituation:\n  important_influence: maybe\n"
LOCATED = re.compile(r"^error: \S+:3:24: situation\.important_influence: expected true or false", re.MULTILINE)


@pytest.mark.parametrize(
    "verb",
    [["evaluate"], ["evaluate", "--format", "text", "--jobs", "1"], ["validate"], ["test"], ["explain"]],
    ids=["evaluate", "evaluate-text", "validate", "test", "explain"],
)
def test_every_command_names_a_bad_file_the_same_way(runner, tmp_path, verb):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD + "expect: {minesweeping: applies}\n")
    result = runner.invoke(main, [*verb, str(path)])
    assert result.exit_code == 1
    assert LOCATED.search(result.output), result.output


@pytest.mark.parametrize("verb", [["evaluate", str(SCENARIOS / "strait.yaml")], ["validate"], ["rules"], ["check"]])
def test_every_command_names_a_broken_rule_file_the_same_way(runner, rules_copy, verb):
    role = rules_copy / "roles" / "minesweeping.yaml"
    line = edit(role, "area.kind: {in: [japan", "area.kinds: {in: [japan")
    result = runner.invoke(main, [*verb[:1], "--rules", str(rules_copy), *verb[1:]])
    assert result.exit_code == 1
    assert f"error: {role}:{line}:15: grounds[0].when.all[3].any[0].area.kinds: unknown condition key" in result.output


def _run(*args: str, stdin: str | None = None, columns: str | None = None) -> subprocess.CompletedProcess[str]:
    """Not a terminal: messages wrap at 80 columns unless $COLUMNS says otherwise."""
    env = {k: v for k, v in __import__("os").environ.items() if k != "COLUMNS"}
    if columns:
        env["COLUMNS"] = columns
    return subprocess.run(
        [sys.executable, "-m", "engine", *args], input=stdin, capture_output=True, text=True, cwd=ROOT, env=env
    )


def test_a_located_message_is_one_line_and_its_suggestion_wraps_under_it(tmp_path):
    """The line a tool or an editor reads (`error: FILE:LINE:COL: FIELD: message`) is never wrapped; the
    suggestion goes under it, indented, when the whole is wider than the terminal."""
    path = tmp_path / "typo.yaml"
    path.write_text("scenario: x\nsituation: {important_influence: true}\nareas:\n  - {id: a, kind: high_sea}\n")
    located = (
        f"error: {path}:4:19: areas[0].kind: 'high_sea' is not one of: japan, high_seas, distant_high_seas, foreign"
    )
    assert _run("validate", str(path)).stdout.splitlines() == [located, "    (did you mean 'high_seas'?)"]
    wide = _run("validate", str(path), columns=str(len(located) + 30))
    assert wide.stdout.splitlines() == [f"{located} (did you mean 'high_seas'?)"]


def test_a_located_error_with_a_very_long_path_stays_one_line_at_40_columns(tmp_path):
    """However long the path and narrow the terminal, the located line is whole: nothing to join back."""
    folder = tmp_path / ("a-folder-with-a-long-name-" * 6).rstrip("-") / "and-another-level-below-it"
    folder.mkdir(parents=True)
    path = folder / "bad scenario.yaml"
    path.write_text(BAD)
    done = _run("validate", str(path), columns="40")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"error: {path}:3:24: situation.important_influence: expected true or false, got 'maybe'"
    ]
    assert len(str(path)) > 200


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        (
            "scenario: x\nsituation:\n\timportant_influence: true\n",
            ":3:1: a tab in the indentation: YAML indentation uses spaces, not tabs",
        ),
        (
            'scenario: x\nsituation:\n  important_influence: "true"\n',
            "expected true or false, got 'true'; write true without quotes",
        ),
        (
            "scenario: x\nsituation: {important_influence: true}\nus_forces:\n  requests: civilian_ports\n",
            "us_forces.requests: expected a list, got text 'civilian_ports'; write a list: [civilian_ports]",
        ),
        ("# Notes\n\nSome *emphasis* and a list:\n\n- one\n", ": this does not look like a scenario file"),
        ("Just a line of plain text.\n", ": this does not look like a scenario file"),
        ("role: minesweeping\ntitle: Minesweeping\n", "this does not look like a scenario file: a scenario is YAML"),
    ],
    ids=["tab", "quoted-boolean", "scalar-for-a-list", "markdown", "plain-text", "a-rule-file"],
)
def test_a_recognisable_mistake_gets_a_hint(runner, tmp_path, text, hint):
    path = tmp_path / "mistake.yaml"
    path.write_text(text)
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert hint in result.output


def test_the_readme_is_not_a_scenario_and_says_so(runner):
    result = runner.invoke(main, ["validate", str(ROOT / "README.md")])
    output = result.output
    assert f"error: {ROOT / 'README.md'}: this does not look like a scenario file" in output
    assert "alias" not in output


def test_an_unknown_role_gets_did_you_mean_and_the_list(runner):
    result = runner.invoke(main, ["explain", str(SCENARIOS / "strait.yaml"), "--role", "minesweeper"])
    assert result.exit_code == 2
    first, *rest = result.output.split("error: ")[1].splitlines()
    assert " ".join([first, *(line.strip() for line in rest)]) == (
        "--role: 'minesweeper' is not a role; did you mean 'minesweeping'? The roles are: minesweeping, "
        "search_and_rescue, embargo_inspection, surveillance, facility_access, refugee_acceptance, logistic_support."
    )
    assert rest and all(line.startswith("    ") and len(line) <= 100 for line in rest)  # wrapped, indented
    assert "Error:" not in result.output


def test_usage_errors_speak_the_same_way(runner):
    result = runner.invoke(main, ["evaluate", "--format", "xml", str(SCENARIOS / "strait.yaml")])
    assert result.exit_code == 2
    assert "error: --format: 'xml' is not one of 'text', 'json', 'table', 'markdown', 'csv', 'html'." in result.output


def test_control_characters_are_escaped_in_text_but_not_in_json(runner, tmp_path):
    """A title that would clear the screen and retitle the window prints harmlessly; JSON keeps it exact."""
    path = tmp_path / "evil.yaml"
    path.write_text(
        'scenario: "Evil \\e[2J\\e]0;pwned\\a title"\nsituation: {important_influence: true}\n'
        'areas:\n  - {id: a, name: "Area \\e[8mhidden", kind: high_seas}\n'
        "events:\n  - {type: mines, area: a, status: abandoned}\nexpect: {minesweeping: applies}\n"
    )
    for args in (["evaluate"], ["explain"], ["test"]):
        result = runner.invoke(main, [*args, str(path)])
        assert "\x1b" not in result.output and "\x07" not in result.output, args
        assert "Evil \\x1b[2J\\x1b]0;pwned\\x07 title" in result.output, args
    evaluated = runner.invoke(main, ["evaluate", str(path)])
    assert "Area \\x1b[8mhidden" in evaluated.output
    raw = runner.invoke(main, ["evaluate", "--format", "json", str(path)])
    assert json.loads(raw.output)["scenario"] == "Evil \x1b[2J\x1b]0;pwned\x07 title"


def test_control_characters_in_a_path_are_escaped_in_messages(runner, tmp_path):
    path = tmp_path / "evil\x1b[2J.yaml"
    path.write_text(BAD)
    result = runner.invoke(main, ["validate", str(path)])
    assert "\x1b" not in result.output
    assert "evil\\x1b[2J.yaml:3:24:" in result.output


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2028\u2029"


def test_bidirectional_controls_and_line_separators_are_escaped_like_controls(runner, tmp_path):
    """A right-to-left override or a line separator in a title, a name or a path could make a line read as other
    text than it holds (a "Trojan source"): each is shown as its code, in reports and in messages; JSON keeps it."""
    path = tmp_path / "bidi\u202egpj.yaml"
    path.write_text(
        f'scenario: "Title {BIDI.encode("unicode_escape").decode()} end"\nsituation: {{important_influence: true}}\n'
        'areas:\n  - {id: a, name: "Area \u2066x\u2069", kind: high_seas}\n'
        "events:\n  - {type: mines, area: a, status: abandoned}\nexpect: {minesweeping: applies}\n"
    )
    shown = "\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c\\u2028\\u2029"
    for args in (["evaluate"], ["explain"], ["test"]):
        result = runner.invoke(main, [*args, str(path)])
        assert not set(BIDI) & set(result.output), args
        assert f"Title {shown} end" in result.output, args
    assert "Area \\u2066x\\u2069" in runner.invoke(main, ["evaluate", str(path)]).output
    raw = runner.invoke(main, ["evaluate", "--format", "json", str(path)])
    assert json.loads(raw.output)["scenario"] == f"Title {BIDI} end"
    (tmp_path / "bad\u2028name.yaml").write_text(BAD)
    invalid = runner.invoke(main, ["validate", str(tmp_path / "bad\u2028name.yaml")])
    assert "bad\\u2028name.yaml:3:24: situation.important_influence" in invalid.output
    assert not set(BIDI) & set(invalid.output)


def test_a_long_word_is_never_broken_by_wrapping(runner, tmp_path):
    """A URL or a path longer than the line stands whole on its own line, overflowing it, rather than cut into
    pieces that read as other words (a piece joined back with a space names another address)."""
    url = "https://example.org/" + "/".join(["a-long-segment-of-the-address"] * 4) + "/report.html"
    path = tmp_path / "url.yaml"
    path.write_text(f"scenario: Crisis described at {url} today\nsituation: {{important_influence: true}}\n")
    result = runner.invoke(main, ["evaluate", str(path)], env={"COLUMNS": "40"})
    assert result.exit_code == 0
    assert url in result.output.splitlines()
