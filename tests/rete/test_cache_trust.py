"""A cache folder is used only if it is the user's alone: a folder others can write to could hold a forgery."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from engine.rete import cache
from engine.util.files import untrusted_folder

from ..conftest import SCENARIOS
from .test_cache_integrity import _reseal

GUIDELINES = [sys.executable, "-m", "engine"]
ROOT = Path(__file__).resolve().parent.parent.parent
# Scenarios with blocked verdicts under 1997: a compiled rulebook forged to record `applies` for them shows.
FILES = [str(SCENARIOS / name) for name in ("strait.yaml", "rescue_interrupted.yaml")]


def _evaluate(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*GUIDELINES, "evaluate", "--format", "json", "--rulebook", "1997", *FILES],
        env={**os.environ, "COLUMNS": "80", **env},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )


def _verdicts(done: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(line)["roles"] for line in done.stdout.splitlines()]


def _forge(folder: Path) -> None:
    """Fill the cache, then forge its compiled rulebook (blocked recorded as applies) with a recomputed checksum,
    as anyone who can write to the folder can; without the stored outcomes, every verdict comes from it."""
    assert _evaluate({"GUIDELINES_CACHE_DIR": str(folder)}).returncode == 0
    for path in folder.glob("memo.sqlite*"):
        path.unlink()
    for path in folder.glob("compiled-*.json"):
        _reseal(path, b'"value": "blocked"', b'"value": "applies"')


@pytest.mark.parametrize(("bit", "who"), [(stat.S_IWGRP, "its group"), (stat.S_IWOTH, "others")], ids=["g+w", "o+w"])
def test_a_forged_rulebook_in_a_folder_others_can_write_to_changes_no_verdict(tmp_path, bit, who):
    """Under a folder its group or others can write to, the cache is not read (nor written): the verdicts are
    those of a run without cache, the exit status 0, and one warning says why, once for the whole run."""
    truth = _evaluate({"GUIDELINES_NO_CACHE": "1"})
    folder = tmp_path / "cache"
    _forge(folder)
    forged = _evaluate({"GUIDELINES_CACHE_DIR": str(folder)})
    assert _verdicts(forged) != _verdicts(truth)  # the user's own folder is trusted: the forgery is served
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    folder.chmod(folder.stat().st_mode | bit)
    done = _evaluate({"GUIDELINES_CACHE_DIR": str(folder)})
    assert done.returncode == 0
    assert _verdicts(done) == _verdicts(truth)
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before  # nothing read into, or written
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, done.stderr
    assert done.stderr.splitlines() == [
        f"warning: {folder}: cache not used: {who} can write to it",
        "2 files: 2 evaluated, 0 failed",  # the batch's summary, last
    ]


def test_the_users_own_folder_is_trusted_and_made_for_the_user_alone(tmp_path, monkeypatch):
    """A cache folder the engine makes is the user's alone, whatever the umask, so the next run trusts it."""
    folder = tmp_path / "made" / "cache"
    old = os.umask(0o002)  # a umask that leaves new folders group-writable
    try:
        done = _evaluate({"GUIDELINES_CACHE_DIR": str(folder)})
    finally:
        os.umask(old)
    assert done.returncode == 0 and "warning" not in done.stderr
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and list(folder.glob("compiled-*.json"))
    monkeypatch.setenv("GUIDELINES_CACHE_DIR", str(folder))
    monkeypatch.delenv("GUIDELINES_NO_CACHE", raising=False)
    assert cache.cache_dir() == str(folder) and cache.untrusted_folders() == []


def test_a_folder_of_another_user_is_not_trusted(tmp_path, monkeypatch):
    """Owner checks, run as root where no other user is at hand: the folder's owner is not the user."""
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("GUIDELINES_CACHE_DIR", str(folder))
    monkeypatch.delenv("GUIDELINES_NO_CACHE", raising=False)
    assert untrusted_folder(str(folder)) is None
    mine = folder.stat().st_uid
    monkeypatch.setattr(os, "getuid", lambda: mine + 1)
    assert untrusted_folder(str(folder)) == f"it belongs to another user (uid {mine})"
    assert cache.cache_dir() is None
    assert cache.untrusted_folders() == [(str(folder), f"it belongs to another user (uid {mine})")]
    assert cache.untrusted_folders() == []  # said once


def test_a_missing_folder_is_trusted_and_the_mode_bits_are_read_from_the_folder(tmp_path):
    assert untrusted_folder(str(tmp_path / "not-yet")) is None
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o775)
    assert untrusted_folder(str(folder)) == "its group can write to it"
    folder.chmod(0o777)
    assert untrusted_folder(str(folder)) == "its group and others can write to it"
    folder.chmod(0o755)
    assert untrusted_folder(str(folder)) is None


def test_one_warning_a_run_however_many_rulebooks_look_for_the_cache(tmp_path):
    """`compare` opens both rulebooks, each looking for its compiled form: the folder is named once."""
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    folder.chmod(0o770)
    done = subprocess.run(
        [*GUIDELINES, "compare", str(SCENARIOS / "strait.yaml"), str(SCENARIOS / "korea_crisis.yaml")],
        env={**os.environ, "COLUMNS": "80", "GUIDELINES_CACHE_DIR": str(folder)},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        f"warning: {folder}: cache not used: its group can write to it",
        "2 files: 2 compared, 0 failed",  # the batch's summary, last
    ]
    assert list(folder.iterdir()) == []  # nothing written either
