"""`guidelines cache`: where the cache is, what it holds and its size; `guidelines cache clear` empties it."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from engine.cli import main

from ..conftest import SCENARIOS


@pytest.fixture
def folder(tmp_path, monkeypatch):
    where = tmp_path / "cache"
    monkeypatch.setenv("GUIDELINES_CACHE_DIR", str(where))
    monkeypatch.delenv("GUIDELINES_NO_CACHE", raising=False)
    monkeypatch.delenv("GUIDELINES_CACHE_SIZE", raising=False)
    return where


def _evaluate() -> None:
    """One evaluation in a process of its own, as a user runs it (its memo saved at its exit)."""
    done = subprocess.run(
        [sys.executable, "-m", "engine", "evaluate", str(SCENARIOS / "strait.yaml")],
        capture_output=True,
        env=dict(os.environ),
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_an_empty_cache_says_where_it_is_and_its_limit(runner, folder):
    result = runner.invoke(main, ["cache"])
    assert result.exit_code == 0
    assert result.output == f"cache folder: {folder}\nempty\ntotal: 0 B of a 64.0 MiB limit (the default)\n"


def test_the_cache_lists_what_a_run_stored(runner, folder, monkeypatch):
    """After one evaluation: one compiled rulebook, its stored outcomes counted, the total within the limit set."""
    monkeypatch.setenv("GUIDELINES_CACHE_SIZE", "32M")
    _evaluate()
    lines = runner.invoke(main, ["cache"]).output.splitlines()
    assert lines[0] == f"cache folder: {folder}"
    assert re.fullmatch(r"  compiled rulebooks: 1 +\d+ KiB", lines[1])
    assert re.fullmatch(r"  stored outcomes: [\d,]+ \(1 rulebook version\) +\d+ KiB", lines[2])
    assert re.fullmatch(r"total: \d+ KiB of a 32.0 MiB limit \(GUIDELINES_CACHE_SIZE=32M\)", lines[-1])
    assert all(len(line) <= 80 for line in lines[1:])  # the folder's path is as long as it is


def test_clear_empties_the_cache_and_leaves_other_files(runner, folder):
    _evaluate()
    (folder / "notes.txt").write_text("mine")
    result = runner.invoke(main, ["cache", "clear"])
    assert result.exit_code == 0
    assert re.fullmatch(rf"cleared {re.escape(str(folder))}: \d removed, \d+ KiB freed\n", result.output)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    shown = runner.invoke(main, ["cache"]).output.splitlines()
    assert re.fullmatch(r"  other files \(not the cache's: left alone\): 1 +4 B", shown[1])
    assert shown[-1] == "total: 0 B of a 64.0 MiB limit (the default)"  # others' files count in no limit


def test_a_cache_turned_off_or_not_trusted_says_so(runner, folder, monkeypatch):
    monkeypatch.setenv("GUIDELINES_NO_CACHE", "1")
    assert runner.invoke(main, ["cache"]).output.splitlines()[1] == "not used: GUIDELINES_NO_CACHE is set"
    monkeypatch.delenv("GUIDELINES_NO_CACHE")
    folder.mkdir()
    folder.chmod(0o777)
    assert runner.invoke(main, ["cache"]).output.splitlines()[1] == "not used: its group and others can write to it"


def test_a_size_limit_that_is_not_a_size_is_said_and_the_default_applies(runner, folder, monkeypatch):
    monkeypatch.setenv("GUIDELINES_CACHE_SIZE", "lots")
    result = runner.invoke(main, ["cache"])
    assert result.exit_code == 0
    assert result.stderr == (  # wrapped to the width (100), as a message with no location is
        "warning: GUIDELINES_CACHE_SIZE: 'lots' is not a size (bytes, or a number with K, M or G); the\n"
        "    default applies\n"
    )
    assert result.stdout.endswith("total: 0 B of a 64.0 MiB limit (the default)\n")


def test_an_unknown_action_is_a_usage_error(runner, folder):
    result = runner.invoke(main, ["cache", "purge"])
    assert result.exit_code == 2
    assert "'purge' is not 'clear'" in result.output
