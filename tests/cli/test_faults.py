"""Faults around a batch: a worker killed, a memory limit. Real processes; timeouts only guard against a hang."""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from ..conftest import SCENARIOS

ROOT = Path(__file__).resolve().parent.parent.parent
GUIDELINES = [sys.executable, "-m", "engine"]
HANG = 120  # seconds: far beyond any healthy run, only so that a hang fails instead of blocking the suite


def finish(process: subprocess.Popen, timeout: float = HANG) -> tuple[bytes, bytes]:
    """What the process wrote, once it ends; a process still running after `timeout` is killed (a hang fails)."""
    try:
        return process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise


def _corpus(directory: Path, count: int) -> list[str]:
    shipped = sorted(SCENARIOS.glob("*.yaml"))
    directory.mkdir()
    paths = []
    for n in range(count):
        path = directory / f"{n:05d}.yaml"
        shutil.copy(shipped[n % len(shipped)], path)
        paths.append(str(path))
    return paths


def quiet(err: bytes) -> bool:
    """Nothing on stderr but the validation warnings some shipped scenarios carry and the batch's summary line: no
    error, no traceback."""
    lines = err.replace(b"\n    ", b" ").splitlines()  # a message's lines, and the summary's, wrapped to 80
    if lines and re.match(rb"\d+ files: \d+ evaluated, ", lines[-1]):
        lines.pop()
    return all(line.startswith((b"warning: ", b"    ")) for line in lines)


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as handle:
        return [int(p) for p in handle.read().split()]


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "GUIDELINES_NO_CACHE": "1", **extra}


def test_a_worker_killed_once_costs_a_2000_file_batch_nothing(tmp_path):
    """SIGKILL to a worker mid-batch (as the out-of-memory killer would): the pool is replaced, the file the worker
    was on is tried again, and all 2,000 files are evaluated, in order (benchmarks/killed_worker.py times it)."""
    paths = _corpus(tmp_path / "many", 2000)
    process = subprocess.Popen(
        [*GUIDELINES, "evaluate", "--format", "json", "--jobs", "2", str(tmp_path / "many")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
        cwd=ROOT,
    )
    lines = []
    killed = []
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)
        if len(lines) == 400 and not killed:
            killed = _children(process.pid)
            for pid in killed:
                os.kill(pid, signal.SIGKILL)
    _, err = finish(process)
    assert killed
    reports = [json.loads(line) for line in lines]
    assert [r["source"] for r in reports] == paths
    assert [r for r in reports if "error" in r] == []
    assert process.returncode == 0
    assert quiet(err), err


# Runs the command with every worker dying on the file named by $POISON: a stand-in for an input that kills
# whatever evaluates it. Only workers are poisoned (`_inherited` builds their work), so the parent goes on.
POISONED = """
import os, signal
from engine.batch import parallel
inherited = parallel._inherited
def poisoned():
    work = inherited()
    def run(path):
        if os.path.basename(path) == os.environ["POISON"]:
            os.kill(os.getpid(), signal.SIGKILL)
        return work(path)
    return run
parallel._inherited = poisoned
from engine.cli import main
main(prog_name="guidelines")
"""
# Given to a worker in a 200-file batch over 2 processes: past the parent's 4-file warm-up, in the first two
# tasks of 6 files, which go to the pool before the parent takes any work of its own.
POISON = "00008.yaml"


def _poisoned(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", POISONED, *args],
        capture_output=True,
        env=_env(POISON=POISON, COLUMNS="200"),
        cwd=ROOT,
        timeout=HANG,
    )


def test_a_file_that_kills_its_worker_every_time_is_the_one_error(tmp_path):
    """It is tried again alone in a fresh worker, then gets its own error; every other file is evaluated; exit 3."""
    paths = _corpus(tmp_path / "many", 200)
    done = _poisoned("evaluate", "--format", "json", "--jobs", "2", str(tmp_path / "many"))
    assert done.returncode == 3, done.stderr[-2000:]
    reports = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["source"] for r in reports] == paths
    failed = [r for r in reports if "error" in r]
    assert [r["source"] for r in failed] == [str(tmp_path / "many" / POISON)]
    message = "not evaluated: the evaluation of this file ended its worker process (signal 9)"
    assert failed[0]["error"]["message"] == message and failed[0]["error"]["kind"] == "engine"
    assert quiet(done.stderr), done.stderr
    text = _poisoned("evaluate", "--format", "csv", "--jobs", "2", str(tmp_path / "many"))
    assert text.returncode == 3
    errors = [line for line in text.stderr.decode().splitlines() if line.startswith("error: ")]
    assert errors == [f"error: {tmp_path / 'many' / POISON}: {message}"]
    assert "200 files: 199 evaluated, 0 failed, 1 not evaluated" in text.stderr.decode()


def test_the_other_batch_verbs_go_on_past_a_file_that_kills_its_worker(tmp_path):
    """compare, validate and test replace their pool too: one line for that file, the rest done, exit 3."""
    _corpus(tmp_path / "many", 200)
    poison = str(tmp_path / "many" / POISON)
    compared = _poisoned("compare", "--format", "json", "--jobs", "2", str(tmp_path / "many"))
    assert compared.returncode == 3
    lines = [json.loads(line) for line in compared.stdout.splitlines()]
    assert len(lines) == 200 and [line["source"] for line in lines if "error" in line] == [poison]
    assert "not compared: the evaluation of this file ended its worker process (signal 9)" in compared.stdout.decode()
    validated = _poisoned("validate", "--jobs", "2", str(tmp_path / "many"))
    assert validated.returncode == 3
    out = validated.stdout.decode()
    assert f"error: {poison}: not checked: the evaluation of this file ended its worker process (signal 9)" in out
    assert out.count("error: ") == 1
    tested = _poisoned("test", "--jobs", "2", str(tmp_path / "many"))
    assert tested.returncode == 3
    out = tested.stdout.decode()
    assert f"error: {poison}: not run: the evaluation of this file ended its worker process (signal 9)" in out
    assert out.count("error: ") == 1


def _limited(megabytes: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (megabytes << 20, megabytes << 20))

    return apply


def _floor(path: str) -> int:
    """The smallest limit (in steps of 4 MiB) under which one file evaluates: below it nothing can even start."""
    for megabytes in range(32, 512, 4):
        done = subprocess.run(
            [*GUIDELINES, "evaluate", "--format", "json", path],
            capture_output=True,
            env=_env(),
            cwd=ROOT,
            preexec_fn=_limited(megabytes),
            timeout=HANG,
        )
        if done.returncode == 0:
            return megabytes
    raise AssertionError("no limit lets one file evaluate")


def test_a_batch_under_a_memory_limit_ends_and_loses_no_file(tmp_path):
    """Under a range of address-space limits a --jobs 2 batch always ends, without a traceback.

    When it ends normally every file has its line, in order (a report, or an
    error saying it was not evaluated). durable_rules' C code may itself crash
    the process on a failed allocation (SIGSEGV); that is the one other ending.
    """
    paths = _corpus(tmp_path / "many", 200)
    floor = _floor(paths[0])
    for megabytes in range(floor, floor + 32, 4):
        done = subprocess.run(
            [*GUIDELINES, "evaluate", "--format", "json", "--jobs", "2", str(tmp_path / "many")],
            capture_output=True,
            env=_env(),
            cwd=ROOT,
            preexec_fn=_limited(megabytes),
            timeout=HANG,
        )
        assert b"Traceback" not in done.stderr, (megabytes, done.stderr[-2000:])
        if done.returncode == -signal.SIGSEGV:
            continue
        if any(line.startswith(b"error: out of memory") for line in done.stderr.splitlines()):  # after warnings
            assert done.returncode == 3
            continue
        assert done.returncode in (0, 3), (megabytes, done.returncode, done.stderr[-2000:])
        assert [json.loads(line)["source"] for line in done.stdout.splitlines()] == paths, megabytes
