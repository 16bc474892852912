"""A `--set` of the starting state that a phase sets again holds only until that phase: every command that takes
`--set` warns, naming the phase, its line and the path that changes it there, and the report's header lists the
`--set` in force. Before, `diff scenarios/strait.yaml --set situation.ceasefire=de_facto` printed "No verdict
differs" and nothing else: the `ceasefire` phase sets the formal ceasefire back."""

from __future__ import annotations

import json

import pytest

from engine.cli import main

from ..conftest import SCENARIOS

STRAIT = str(SCENARIOS / "strait.yaml")
CEASEFIRE = "situation.ceasefire=de_facto"


def _line(text: str, after: str) -> int:
    """The line (from 1) of the first line holding `text` after the first holding `after`, in strait.yaml."""
    lines = (SCENARIOS / "strait.yaml").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i, line in enumerate(lines) if i > start and text in line) + 1


def _warning(set_text: str, phase: str, line: int, path: str) -> str:
    return (
        f"warning: {STRAIT}: --set {set_text} is overridden by phase {phase} (line {line}); set {path} to change it"
        " there"
    )


@pytest.mark.parametrize(
    "command",
    [
        ["diff", STRAIT],
        ["diff", "--format", "json", STRAIT],
        ["evaluate", STRAIT],
        ["evaluate", "--format", "csv", STRAIT],
        ["explain", STRAIT],
        ["flip", "--role", "minesweeping", STRAIT],
        ["decisions", STRAIT],
    ],
)
def test_every_command_with_set_warns_of_the_phase_that_overrides_it(runner, command):
    result = runner.invoke(main, [*command, "--set", CEASEFIRE], env={"COLUMNS": "1000"})
    assert result.exit_code == 0, result.output
    line = _line("situation: {ceasefire: formal}", "- id: ceasefire")
    expected = _warning(CEASEFIRE, "ceasefire", line, "phases.ceasefire.situation.ceasefire")
    assert expected in result.stderr.splitlines()


def test_an_area_a_list_and_a_date_are_named_at_the_first_phase_that_sets_them_again(runner):
    sets = ["areas.taiwan_strait.combat=none", "us_forces.operating=false", "date=2001-01-01"]
    args = [arg for text in sets for arg in ("--set", text)]
    result = runner.invoke(main, ["evaluate", "--format", "json", STRAIT, *args], env={"COLUMNS": "1000"})
    assert result.exit_code == 0, result.output
    warnings = result.stderr.splitlines()
    tension = _line("{id: taiwan_strait, combat: expected}", "- id: tension")
    assert _warning(sets[0], "tension", tension, "phases.tension.areas.taiwan_strait.combat") in warnings
    assert (
        _warning(sets[1], "blockade", _line("operating: true", "- id: blockade"), "phases.blockade.us_forces.operating")
        in warnings
    )
    assert _warning(sets[2], "tension", _line("date: 2009-03-02", "- id: tension"), "phases.tension.date") in warnings
    report = json.loads(result.stdout)
    assert report["overrides"] == [
        {"set": sets[0], "overridden_by": "tension"},
        {"set": sets[1], "overridden_by": "blockade"},
        {"set": sets[2], "overridden_by": "tension"},
    ]


def test_a_set_no_phase_undoes_does_not_warn(runner):
    """Into a phase, or a field no phase sets: nothing to warn of; the header lists it all the same."""
    sets = ["phases.ceasefire.situation.ceasefire=de_facto", "areas.okinawa.name=Okinawa Island"]
    args = [arg for text in sets for arg in ("--set", text)]
    result = runner.invoke(main, ["evaluate", STRAIT, *args], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "overridden" not in result.stderr
    head = " ".join(result.stdout.split("Timeline", 1)[0].split())
    assert head.endswith(f"What if: --set {sets[0]}, --set {sets[1]}")
    report = json.loads(runner.invoke(main, ["evaluate", "--format", "json", STRAIT, *args]).stdout)
    assert [o["overridden_by"] for o in report["overrides"]] == [None, None]
    plain = json.loads(runner.invoke(main, ["evaluate", "--format", "json", STRAIT]).stdout)
    assert "overrides" not in plain


def test_the_header_lists_the_set_in_force_in_text_markdown_and_html(runner, tmp_path):
    text = runner.invoke(main, ["evaluate", STRAIT, "--set", CEASEFIRE], env={"COLUMNS": "80"}).stdout
    head = " ".join(text.split("Timeline", 1)[0].split())
    assert head.endswith(f"What if: --set {CEASEFIRE} (phase ceasefire sets it again)")
    markdown = runner.invoke(main, ["evaluate", "--format", "markdown", STRAIT, "--set", CEASEFIRE]).stdout
    assert "What if: --set situation.ceasefire=de\\_facto (phase ceasefire sets it again)" in markdown
    page = tmp_path / "r.html"
    runner.invoke(main, ["evaluate", "--format", "html", "-o", str(page), STRAIT, "--set", CEASEFIRE])
    html = page.read_text(encoding="utf-8")
    assert '<p class="meta what-if">What if: --set situation.ceasefire=de_facto (phase ceasefire sets it' in html
    korea = runner.invoke(main, ["evaluate", str(SCENARIOS / "korea.yaml"), "--set", CEASEFIRE]).stdout
    assert f"\nWhat if: --set {CEASEFIRE}\n" in korea
