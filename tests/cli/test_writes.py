"""Commands write only where they are told, never over a file and never through a link."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli import main

from ..helpers import unwrapped
from ..verify.test_check import sweep_active_mines

ROOT = Path(__file__).resolve().parent.parent.parent


def test_check_leaves_nothing_in_the_current_folder(tmp_path):
    """A passing `check` (hypothesis and all) writes nothing where it runs: no .hypothesis/, no counterexample."""
    here = tmp_path / "here"
    here.mkdir()
    env = {**os.environ, "GUIDELINES_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    env.pop("GUIDELINES_NO_CACHE", None)
    for extra in ({}, {"GUIDELINES_NO_CACHE": "1"}):
        done = subprocess.run(
            [sys.executable, "-m", "engine", "check", "--examples", "10", "--seed", "1"],
            cwd=here,
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert sorted(os.listdir(here)) == []
    assert (tmp_path / "cache" / "hypothesis").is_dir()


def test_counterexamples_go_to_a_new_temp_folder_by_default(runner, rules_copy, tmp_path, monkeypatch):
    """Without --out, counterexamples go to a new folder under the temp folder, which the output names."""
    sweep_active_mines(rules_copy)
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    result = runner.invoke(main, ["check", "--rules", str(rules_copy), "--exhaustive"])
    assert result.exit_code == 1
    (made,) = temp.glob("guidelines-check-*")
    written = made / "counterexample-no_sweeping_of_active_mines_without_an_attack.yaml"
    assert written.is_file()
    assert f"counterexample: {written}" in " ".join(result.output.split())  # a long path goes on a line of its own
    assert os.listdir(here) == []


def test_counterexamples_never_overwrite_nor_follow_links(runner, rules_copy, tmp_path):
    """A taken name gets a number; a link at the name (even dangling) is left alone, and so is its target."""
    sweep_active_mines(rules_copy)
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (out / "counterexample-no_sweeping_of_active_mines_without_an_attack.yaml").symlink_to(victim)
    (out / "counterexample-no_sweeping_of_active_mines_without_an_attack-2.yaml").symlink_to(tmp_path / "nowhere")
    (out / "counterexample-no_sweeping_of_active_mines_without_an_attack-3.yaml").write_text("mine\n")
    result = runner.invoke(main, ["check", "--rules", str(rules_copy), "--out", str(out), "--exhaustive"])
    assert result.exit_code == 1
    assert victim.read_text() == "keep me\n"
    assert not (tmp_path / "nowhere").exists()
    assert (out / "counterexample-no_sweeping_of_active_mines_without_an_attack-3.yaml").read_text() == "mine\n"
    written = out / "counterexample-no_sweeping_of_active_mines_without_an_attack-4.yaml"
    assert "Counterexample to no_sweeping_of_active_mines_without_an_attack" in written.read_text()
    assert f"counterexample: {written}" in " ".join(result.output.split())  # a long path goes on a line of its own


def test_new_refuses_links_and_makes_missing_folders(runner, tmp_path):
    """`new` never writes through a link, dangling or not, even with --force; missing folders are made."""
    target = tmp_path / "target.yaml"
    dangling = tmp_path / "dangling.yaml"
    dangling.symlink_to(target)
    for args in (["new", str(dangling)], ["new", "--force", str(dangling)]):
        result = runner.invoke(main, args)
        assert result.exit_code == 1
        assert unwrapped(result.output).startswith(f"error: {dangling} is a link;")
        assert "give the path of the file itself" in result.output
    assert not target.exists()
    victim = tmp_path / "victim.yaml"
    victim.write_text("keep me\n")
    linked = tmp_path / "linked.yaml"
    linked.symlink_to(victim)
    assert runner.invoke(main, ["new", "--force", str(linked)]).exit_code == 1
    assert victim.read_text() == "keep me\n"
    deep = tmp_path / "a" / "b" / "crisis.yaml"
    result = runner.invoke(main, ["new", str(deep)])
    assert result.exit_code == 0, result.output
    assert deep.read_text().startswith("# yaml-language-server")


def _corpus(directory: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "corpus.py"), str(directory), "--count", "5", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


@pytest.mark.parametrize("state", ["new", "empty"])
def test_the_benchmark_corpus_writes_into_a_new_or_empty_folder(tmp_path, state):
    folder = tmp_path / "corpus"
    if state == "empty":
        folder.mkdir()
    done = _corpus(folder)
    assert done.returncode == 0, done.stderr
    assert len(list(folder.glob("*.yaml"))) == 5


def test_the_benchmark_corpus_refuses_a_folder_with_anything_in_it(tmp_path):
    """It deletes nothing it did not make: a folder holding files of its own is refused, and left as it was."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "mine.yaml").write_text("precious\n")
    done = _corpus(folder)
    assert done.returncode == 2
    assert "is not empty" in done.stderr
    assert sorted(os.listdir(folder)) == ["mine.yaml"]
    assert (folder / "mine.yaml").read_text() == "precious\n"
