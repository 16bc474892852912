"""Human-readable output fits 80 columns when standard output is not a terminal.

Every command that prints text for a person is run on every shipped scenario
with its output piped (and no $COLUMNS), as a script or a pager would see it:
phased files (their timeline, and one phase in full) and `diff` included.
JSON, CSV and Markdown are for other programs and are not held to a width.
A message's first line (`error: FILE:LINE:COL: FIELD: message`) is never
wrapped, so that a tool or an editor reads it whole: it alone may overflow;
its suggestion and hint lines, under it, fit.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from engine.cli import COMMANDS

from ..conftest import ROOT, SCENARIOS

SHIPPED = sorted(p.name for p in SCENARIOS.glob("*.yaml"))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return subprocess.run(
        [sys.executable, "-m", "engine", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300
    )


def _too_wide(text: str) -> list[str]:
    """Lines over 80 columns, but for a message's first line (`error: FILE:LINE:COL: FIELD: message`)."""
    return [line for line in text.split("\n") if len(line) > 80 and not line.startswith(("warning: ", "error: "))]


@pytest.mark.parametrize(
    "args",
    [
        ["evaluate", "scenarios/"],
        ["evaluate", "--format", "table", "scenarios/"],
        ["evaluate", "--cite", "full", "--ids", "scenarios/"],
        ["evaluate", "--phase", "fighting", "scenarios/strait.yaml"],
        ["evaluate", "--format", "table", "--phase", "australia_joins", "scenarios/korea_crisis.yaml"],
        ["diff", "scenarios/strait.yaml", "--set", "phases.ceasefire.situation.ceasefire=de_facto"],
        ["diff", "scenarios/korea.yaml", "scenarios/korea_crisis.yaml"],
        ["diff", "scenarios/strait.yaml", "scenarios/strait.yaml", "--phase", "tension"],
        ["explain", "scenarios/strait.yaml", "--phase", "fighting"],
        ["test", "-v", "scenarios/"],
        ["validate", "scenarios/"],
        ["coverage"],
        ["compare", "scenarios/"],
        ["compare", "scenarios/strait.yaml", "scenarios/japan_under_fire.yaml"],
        ["compare", "--help"],
        ["compare", "--format", "table", "scenarios/support_requests.yaml", "scenarios/strait.yaml"],
        ["compare", "--format", "table", "scenarios/"],
        ["compare", "--cite", "full", "scenarios/strait.yaml"],
        ["evaluate", "--rulebook", "2015", "scenarios/"],
        ["explain", "--rulebook", "2015", "scenarios/korea.yaml"],
        ["coverage", "--rulebook", "2015"],
        ["rules"],
        ["rules", "--rulebook", "2015"],
        ["check", "--examples", "30", "--seed", "1"],
        *([command, "--help"] for command in sorted(COMMANDS)),
    ],
    ids=lambda a: " ".join(a),
)
def test_command_fits_80_columns(args, tmp_path):
    if args[0] == "check":
        args = [*args, "--out", str(tmp_path)]
    result = _run(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert _too_wide(result.stdout) == []
    assert _too_wide(result.stderr) == []


@pytest.mark.parametrize("name", SHIPPED)
def test_explain_fits_80_columns(name):
    for extra in ([], ["--trace"]):
        result = _run("explain", f"scenarios/{name}", *extra)
        assert result.returncode == 0, result.stderr
        assert _too_wide(result.stdout) == [], (name, extra)
