"""A batch reads its rulebook once: every file, in every process, is evaluated under the rules it started with."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from engine.cli import main

from ..conftest import SCENARIOS

ROOT = Path(__file__).resolve().parent.parent.parent
MINES = SCENARIOS / "ceasefire_mines.yaml"  # minesweeping applies under 1997's rules as shipped
# The edit: neither Section V engaged nor abandoned mines trigger minesweeping any more, so in this scenario
# (abandoned mines under Section V) it is not triggered.
SECTION_V = (
    "      any:\n        - concept: section_v_engaged\n        - situation.armed_attack_on_japan: true\n"
    "        - event.status: {eq: abandoned}"
)
ATTACK_ONLY = "      any:\n        - situation.armed_attack_on_japan: true"


def _batch(tmp_path: Path, count: int) -> tuple[Path, Path]:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(count):
        shutil.copy(MINES, folder / f"{n:04d}.yaml")
    return rules / "1997", folder


def test_a_rule_edited_during_a_batch_does_not_split_it(tmp_path):
    """The minesweeping file is edited once the first reports are out: every report still says `applies`, the
    workers' as the parent's (a rulebook once re-read for every file split such a batch in two)."""
    rules, folder = _batch(tmp_path, 400)
    role = rules / "roles" / "minesweeping.yaml"
    text = role.read_text()
    assert SECTION_V in text
    process = subprocess.Popen(
        [sys.executable, "-m", "engine", "evaluate", "--format", "json", "--jobs", "2", "--rules", str(rules),
         str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "GUIDELINES_NO_CACHE": "1"},
        cwd=ROOT,
    )  # fmt: skip
    assert process.stdout is not None
    lines = [process.stdout.readline()]
    role.write_text(text.replace(SECTION_V, ATTACK_ONLY))
    lines += process.stdout.readlines()
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err[-2000:]
    statuses = [json.loads(line)["roles"]["minesweeping"]["status"] for line in lines]
    assert len(statuses) == 400
    assert set(statuses) == {"applies"}
    after = subprocess.run(
        [sys.executable, "-m", "engine", "evaluate", "--format", "json", "--rules", str(rules), str(MINES)],
        capture_output=True,
        env={**os.environ, "GUIDELINES_NO_CACHE": "1"},
        cwd=ROOT,
        timeout=300,
    )
    assert json.loads(after.stdout)["roles"]["minesweeping"]["status"] == "not_triggered"  # the edit did bite


def test_the_rule_files_are_read_a_fixed_number_of_times_whatever_the_batch(runner, tmp_path, monkeypatch):
    """Reading the rule files does not grow with the number of files evaluated (it once did, for every file)."""
    from engine.util import files

    rules, folder = _batch(tmp_path, 60)
    real = files.read_tree
    reads: list[str] = []

    def counted(directory, limit):
        reads.append(directory)
        return real(directory, limit)

    monkeypatch.setattr(files, "read_tree", counted)
    counts = []
    for paths in ([str(folder / "0000.yaml")], [str(folder)]):
        reads.clear()
        result = runner.invoke(main, ["evaluate", "--format", "json", "--jobs", "1", "--rules", str(rules), *paths])
        assert result.exit_code == 0, result.output
        counts.append(len(reads))
    assert counts[0] == counts[1]
