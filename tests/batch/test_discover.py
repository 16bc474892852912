"""Batches lose nothing: every path named gets its line, whatever it turns out to be."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys

import pytest

from engine.batch.discover import discover
from engine.cli import main

from ..conftest import SCENARIOS

STRAIT = str(SCENARIOS / "strait.yaml")
KOREA = str(SCENARIOS / "korea.yaml")
ROOT = SCENARIOS.parent


def _lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_a_missing_path_among_good_ones_is_its_own_error(runner, tmp_path):
    """One missing path no longer stops the batch: it gets its error line, in place, and the rest is evaluated."""
    missing = str(tmp_path / "nope.yaml")
    result = runner.invoke(main, ["evaluate", "--format", "json", STRAIT, missing, KOREA])
    assert result.exit_code == 1
    lines = _lines(result.output)
    assert [line["source"] for line in lines] == [STRAIT, missing, KOREA]
    assert lines[1]["error"]["message"] == "cannot read file: No such file or directory"
    assert "roles" in lines[0] and "roles" in lines[2]
    text = runner.invoke(main, ["evaluate", STRAIT, missing])
    assert text.exit_code == 1
    assert f"error: {missing}: cannot read file: No such file or directory" in text.output
    assert "Taiwan Strait crisis" in text.output


def _odd_folder(folder, monkeypatch):
    """A folder of scenario-named things that are not scenario files, beside a real one.

    The socket is bound by a name relative to the folder: a socket's path is limited to 108 bytes, which a
    long temporary folder would exceed.
    """
    folder.mkdir()
    shutil.copy(STRAIT, folder / "a_real.yaml")
    os.symlink(folder / "gone.yaml", folder / "b_dangling.yaml")
    os.mkfifo(folder / "c_fifo.yaml")
    with monkeypatch.context() as here:
        here.chdir(folder)
        server = socket.socket(socket.AF_UNIX)
        server.bind("d_socket.yaml")
        server.close()
    return [str(folder / n) for n in ("a_real.yaml", "b_dangling.yaml", "c_fifo.yaml", "d_socket.yaml")]


def test_dangling_links_fifos_and_sockets_in_a_folder_each_get_an_error(tmp_path, monkeypatch):
    """Found in a folder, each is reported for what it is, never skipped silently and never waited on."""
    paths = _odd_folder(tmp_path / "odd", monkeypatch)
    done = subprocess.run(
        [sys.executable, "-m", "engine", "evaluate", "--format", "json", str(tmp_path / "odd")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 1
    lines = _lines(done.stdout)
    assert [line["source"] for line in lines] == paths
    messages = [line["error"]["message"] for line in lines[1:]]
    assert messages == [
        f"cannot read file: a link to {tmp_path / 'odd' / 'gone.yaml'}, which does not exist",
        "cannot read file: not a regular file (a FIFO)",
        "cannot read file: not a regular file (a socket)",
    ]


def test_a_fifo_given_as_an_argument_is_an_error_not_a_wait(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "engine", "evaluate", str(fifo), STRAIT],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 1
    assert f"error: {fifo}: cannot read file: not a regular file (a FIFO)" in done.stderr
    assert "Taiwan Strait crisis" in done.stdout


def test_an_unreadable_folder_is_its_own_error(runner, tmp_path, monkeypatch):
    """A subfolder that cannot be listed gets its error line; the files beside it are evaluated."""
    top = tmp_path / "top"
    (top / "locked").mkdir(parents=True)
    shutil.copy(STRAIT, top / "strait.yaml")
    locked = str(top / "locked")
    scandir, listdir = os.scandir, os.listdir

    def refuse(function):
        def guarded(path="."):
            if os.fspath(path) == locked:
                raise PermissionError(13, "Permission denied", locked)
            return function(path)

        return guarded

    monkeypatch.setattr(os, "scandir", refuse(scandir))
    monkeypatch.setattr(os, "listdir", refuse(listdir))
    result = runner.invoke(main, ["evaluate", "--format", "json", str(top)])
    assert result.exit_code == 1
    lines = _lines(result.output)
    assert [line["source"] for line in lines] == [locked, str(top / "strait.yaml")]
    assert lines[0]["error"]["message"] == "cannot list folder: Permission denied"


def test_an_empty_folder_among_other_paths_is_an_error_line_and_alone_a_usage_error(runner, tmp_path):
    (tmp_path / "empty").mkdir()
    among = runner.invoke(main, ["evaluate", "--format", "json", str(tmp_path / "empty"), STRAIT])
    assert among.exit_code == 1
    lines = _lines(among.output)
    assert lines[0]["error"]["message"] == "no scenario files (*.yaml, *.yml) in this folder"
    assert "roles" in lines[1]
    alone = runner.invoke(main, ["evaluate", str(tmp_path / "empty")])
    assert alone.exit_code == 2 and "no scenario files" in alone.output


def test_links_are_followed_only_inside_the_folder_searched(tmp_path):
    """A link to a file inside the folder is a scenario; one leading outside and a linked folder are skipped, saying so."""
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(KOREA, outside / "korea.yaml")
    folder = tmp_path / "folder"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(STRAIT, folder / "sub" / "strait.yaml")
    os.symlink(folder / "sub" / "strait.yaml", folder / "inside.yaml")
    os.symlink(outside / "korea.yaml", folder / "leaves.yaml")
    os.symlink(outside, folder / "linked")
    found = discover([folder])
    assert found.files == [str(folder / "inside.yaml"), str(folder / "sub" / "strait.yaml")]
    assert found.skipped == [
        (str(folder / "leaves.yaml"), f"a link to {outside / 'korea.yaml'}, outside the folder searched; not followed"),
        (str(folder / "linked"), "a linked folder, not followed (it could lead out of the folder or loop)"),
    ]


def test_the_command_warns_of_what_it_skipped(runner, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(STRAIT, folder / "strait.yaml")
    os.symlink(tmp_path, folder / "loop")
    result = runner.invoke(main, ["evaluate", "--format", "json", str(folder)])
    assert result.exit_code == 0
    assert f"warning: {folder / 'loop'}: a linked folder, not followed" in result.output


def test_a_dash_reads_one_scenario_from_standard_input(runner):
    with open(STRAIT) as handle:
        text = handle.read()
    result = runner.invoke(main, ["evaluate", "--format", "json", "-"], input=text)
    assert result.exit_code == 0, result.output
    assert _lines(result.output)[0]["source"] == "<stdin>"
    bad = runner.invoke(main, ["validate", "-"], input="scenario: x\nsituation: {important_influence: maybe}\n")
    assert bad.exit_code == 1
    assert "error: <stdin>:2:34: situation.important_influence: expected true or false" in bad.output


@pytest.mark.parametrize("verb", ["validate", "test"])
def test_other_batch_verbs_lose_nothing_either(runner, tmp_path, verb):
    missing = str(tmp_path / "nope.yaml")
    result = runner.invoke(main, [verb, STRAIT, missing])
    assert result.exit_code == 1
    assert missing in result.output and "No such file or directory" in result.output


@pytest.mark.parametrize("verb", ["evaluate", "validate", "test", "coverage", "compare"])
def test_links_that_loop_are_reported_and_the_rest_is_done(runner, tmp_path, verb):
    """`ln -s loop loop` once stopped every batch verb with a traceback: a looping scenario-named link is now its
    own error, another looping entry a warning, and the other files are still done."""
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(STRAIT, folder / "a.yaml")
    shutil.copy(KOREA, folder / "c.yaml")
    os.symlink("loop", folder / "loop")
    os.symlink("b.yaml", folder / "b.yaml")
    result = runner.invoke(main, [verb, str(folder)])
    output = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in output
    assert result.exit_code == 1
    assert f"warning: {folder / 'loop'}: a link that cannot be followed (Too many levels of symbolic links)" in output
    assert f"error: {folder / 'b.yaml'}: cannot read file: Too many levels of symbolic links" in output
    done = {
        "evaluate": "3 files: 2 evaluated, 1 failed",
        "validate": "1 invalid (3 scenario files checked)",
        "test": " passed, 1 failed",
        "coverage": "grounds",
        "compare": "compared: 2 files",
    }[verb]
    assert done in output


def test_an_entry_that_cannot_be_examined_is_a_warning(tmp_path, monkeypatch):
    """Whatever examining an entry raises, the search warns of that entry and goes on with the others."""
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(STRAIT, folder / "a.yaml")
    shutil.copy(KOREA, folder / "b.yaml")
    (folder / "odd").mkdir()
    real = os.scandir

    class Entry:
        def __init__(self, entry):
            self.entry, self.name, self.path = entry, entry.name, entry.path

        def is_symlink(self):
            if self.name in ("odd", "b.yaml"):
                raise PermissionError(13, "Permission denied")
            return self.entry.is_symlink()

        def is_dir(self, **kwargs):
            return self.entry.is_dir(**kwargs)

    class Listing:
        def __init__(self, path):
            self.listing = real(path)

        def __enter__(self):
            return (Entry(e) for e in self.listing)

        def __exit__(self, *exc):
            self.listing.close()

    monkeypatch.setattr(os, "scandir", Listing)
    found = discover([folder])
    assert found.files == [str(folder / "a.yaml"), str(folder / "b.yaml")]
    assert found.skipped == [(str(folder / "odd"), "cannot be examined (Permission denied); not searched")]
