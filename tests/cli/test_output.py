"""Signals, closed pipes and write errors end every command cleanly. Real processes, real signals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading

import pytest

from engine.cli import main

from .test_faults import GUIDELINES, HANG, ROOT, _corpus, _env, finish, quiet


def _start(args: list[str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [*GUIDELINES, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), cwd=ROOT, **kwargs
    )


def _read_until(process: subprocess.Popen, size: int) -> bytes:
    out = b""
    while len(out) < size:
        chunk = os.read(process.stdout.fileno(), 1 << 16)
        assert chunk, process.stderr.read()
        out += chunk
    return out


def _read_until_workers(process: subprocess.Popen) -> tuple[bytes, list[int]]:
    """What the batch wrote until its worker processes are running, and their pids."""
    out = b""
    while True:
        chunk = os.read(process.stdout.fileno(), 1 << 16)
        assert chunk, process.stderr.read()
        out += chunk
        workers = [int(p) for p in open(f"/proc/{process.pid}/task/{process.pid}/children").read().split()]
        if workers:
            return out, workers


@pytest.mark.parametrize(
    ("signum", "group", "code"),
    [
        (signal.SIGINT, True, 130),
        (signal.SIGINT, False, 130),
        (signal.SIGTERM, True, 143),
        (signal.SIGTERM, False, 143),
    ],
    ids=["ctrl-c", "sigint-to-parent", "sigterm-to-all", "sigterm-to-parent"],
)
def test_a_signal_during_a_parallel_batch_ends_it_cleanly(tmp_path, signum, group, code):
    """Mid-batch, with workers running: exit 130 or 143, every line written is whole, no traceback, no worker left."""
    _corpus(tmp_path / "many", 3000)
    process = _start(["evaluate", "--format", "json", "--jobs", "2", str(tmp_path / "many")], start_new_session=True)
    # Once the workers are running and the parent has done a share (reports differ in size: a
    # phased file's carries every phase, so a byte count alone does not say when that is), and a little more.
    out, workers = _read_until_workers(process)
    out += _read_until(process, 1_000_000)
    if group:  # as the terminal does for Ctrl-C
        os.killpg(process.pid, signum)
    else:
        os.kill(process.pid, signum)
    rest, err = finish(process)
    out += rest
    assert process.returncode == code
    assert quiet(err), err
    assert out.endswith(b"\n")
    for line in out.splitlines():
        json.loads(line)
    for pid in workers:
        assert not os.path.exists(f"/proc/{pid}") or "Z" in open(f"/proc/{pid}/stat").read().split()[2]


def test_text_output_stays_whole_on_ctrl_c(tmp_path):
    _corpus(tmp_path / "many", 3000)
    process = _start(["evaluate", "--jobs", "2", str(tmp_path / "many")], start_new_session=True)
    out = _read_until(process, 3_000_000)
    os.killpg(process.pid, signal.SIGINT)
    rest, err = finish(process)
    out += rest
    assert process.returncode == 130 and quiet(err), err
    assert out.endswith(b"\n") and not out.endswith(b"-" * 40 + b"\n\n")  # ends with a whole report


@pytest.mark.parametrize(
    "args",
    [
        ["evaluate", "--format", "json", "--jobs", "2", "{many}"],
        ["evaluate", "--jobs", "1", "{many}"],
        ["rules", "--format", "markdown"],
        ["validate", "--jobs", "2", "{many}", "{bad}"],
    ],
    ids=["evaluate-json", "evaluate-text", "rules", "validate"],
)
def test_a_closed_pipe_ends_the_command_quietly_with_status_0(tmp_path, args):
    """`| head -1`: the reader has what it wanted; no traceback, no error, exit 0."""
    many = tmp_path / "many"
    _corpus(many, 600)
    bad = tmp_path / "bad"
    bad.mkdir()
    for n in range(600):
        (bad / f"{n}.yaml").write_text("scenario: [\n")
    process = _start([a.format(many=many, bad=bad) for a in args])
    assert process.stdout.read(10)
    process.stdout.close()
    _, err = finish(process)
    assert process.returncode == 0
    assert quiet(err), err


@pytest.mark.parametrize(
    "args",
    [
        ["evaluate", "--format", "json", "scenarios/strait.yaml"],
        ["evaluate", "scenarios/"],
        ["validate", "scenarios/"],
        ["test", "scenarios/"],
        ["explain", "scenarios/strait.yaml"],
        ["rules"],
        ["schema"],
        ["--help"],
    ],
    ids=["evaluate-json", "evaluate-text", "validate", "test", "explain", "rules", "schema", "help"],
)
def test_a_write_error_is_one_line_and_status_1(args):
    """`> /dev/full`: one line naming the problem, exit 1, no traceback."""
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [*GUIDELINES, *args], stdout=full, stderr=subprocess.PIPE, env=_env(), cwd=ROOT, timeout=HANG
        )
    assert done.returncode == 1
    assert done.stderr.decode().splitlines()[-1:] == ["error: cannot write output: No space left on device"]
    assert b"Traceback" not in done.stderr


def test_ctrl_c_while_check_generates_a_scenario_ends_it_cleanly(runner, monkeypatch):
    """Hypothesis takes an exception raised while it draws a scenario for a flaw in the strategy.

    Ctrl-C there gave a FlakyStrategyDefinition traceback and exit 1; held back
    until the scenario is drawn and run, it ends the command with 130.
    """
    from hypothesis.internal.conjecture.data import ConjectureData

    draw_integer = ConjectureData.draw_integer
    calls = []

    def interrupting(self, *args, **kwargs):
        calls.append(None)
        if len(calls) == 300:  # inside hypothesis, partway through drawing a scenario
            # To this thread, as Ctrl-C comes to the one thread of the command: under pytest-xdist the process
            # has others (execnet's), which a signal to the whole process may be delivered to.
            signal.pthread_kill(threading.get_ident(), signal.SIGINT)
        return draw_integer(self, *args, **kwargs)

    monkeypatch.setattr(ConjectureData, "draw_integer", interrupting)
    result = runner.invoke(main, ["check", "--examples", "500", "--seed", "1"])
    assert result.exit_code == 130, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "Flaky" not in result.output
