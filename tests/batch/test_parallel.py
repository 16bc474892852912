"""Batches over several processes: same reports, same order, every error kept."""

from __future__ import annotations

import functools
import os
import shutil
import signal

from engine.batch import parallel
from engine.cli import main

from ..conftest import SCENARIOS


def _square(offset: int, item: str) -> int:
    return int(item) ** 2 + offset


def _setup(offset: int):
    return functools.partial(_square, offset)


def test_results_come_in_input_order():
    """Workers finish in any order; results are yielded in the order of the input."""
    items = [str(n) for n in range(120)]
    got = list(parallel.run(items, functools.partial(_setup, 1), jobs=2))
    assert got == [n * n + 1 for n in range(120)]


def _where(parent: int, item: str) -> tuple[str, bool]:
    """The item, and whether this process is the parent; a worker takes its time."""
    if os.getpid() != parent:
        import time

        time.sleep(0.02)
    return item, os.getpid() == parent


def _slow_workers():
    return functools.partial(_where, os.getpid())


def test_the_parent_takes_work_while_its_workers_are_busy():
    """No share is fixed in advance: while the files owed next are with a slow worker, the parent does the next
    ones itself, and the results still come in input order."""
    items = [str(n) for n in range(400)]
    got = list(parallel.run(items, _slow_workers, jobs=2))
    assert [item for item, _ in got] == items
    here = sum(1 for _, parent in got if parent)
    assert here >= 0.75 * len(items)  # a share fixed at every other chunk would be 230 of them
    assert here < len(items)  # and the worker did its first tasks


def test_default_jobs_use_every_core_only_for_large_batches():
    assert parallel.default_jobs(parallel.PARALLEL_FROM - 1) == 1
    assert parallel.default_jobs(parallel.PARALLEL_FROM) == parallel.available_cores()


def test_two_processes_give_the_same_stream_as_one(runner, tmp_path):
    """--jobs 2 prints byte for byte what --jobs 1 prints, bad files included, and exits the same way."""
    for i, path in enumerate(sorted(SCENARIOS.glob("*.yaml")) * 3):
        shutil.copy(path, tmp_path / f"{i:03d}.yaml")
    (tmp_path / "020.yaml").write_text("scenario: broken\nsituation: {important_influence: maybe}\n")
    one = runner.invoke(main, ["evaluate", "--format", "json", "--jobs", "1", str(tmp_path)])
    two = runner.invoke(main, ["evaluate", "--format", "json", "--jobs", "2", str(tmp_path)])
    assert one.exit_code == two.exit_code == 1
    assert one.output == two.output
    assert len(two.stdout.splitlines()) == len(list(tmp_path.glob("*.yaml")))
    assert '"source":"' + str(tmp_path / "020.yaml") + '","error"' in two.output


def test_text_reports_in_parallel(runner, tmp_path):
    for i, path in enumerate(sorted(SCENARIOS.glob("*.yaml"))):
        shutil.copy(path, tmp_path / f"{i:03d}.yaml")
    one = runner.invoke(main, ["evaluate", "--jobs", "1", str(tmp_path)])
    two = runner.invoke(main, ["evaluate", "--jobs", "2", str(tmp_path)])
    assert one.exit_code == two.exit_code == 0
    assert one.output == two.output


def test_no_progress_bar_when_stderr_is_not_a_terminal(runner, tmp_path):
    for i in range(60):
        shutil.copy(SCENARIOS / "korea.yaml", tmp_path / f"{i:03d}.yaml")
    result = runner.invoke(main, ["evaluate", "--format", "json", str(tmp_path)])
    assert result.exit_code == 0
    assert "evaluating" not in result.output and "\r" not in result.output


def test_validate_and_test_in_parallel_match_one_process(runner):
    """The other batch verbs give the same output on two processes as on one."""
    from pathlib import Path

    bad = Path(__file__).parent.parent / "corpus" / "bad"
    for verb, paths in (("validate", [str(SCENARIOS), str(bad)]), ("test", [str(SCENARIOS)])):
        one = runner.invoke(main, [verb, "--jobs", "1", *paths])
        two = runner.invoke(main, [verb, "--jobs", "2", *paths])
        assert one.exit_code == two.exit_code
        assert one.output == two.output


class _Work:
    """Squares numbers; in a worker, dies (or fails) on the item it is told to.

    With `once` (a path), it dies only the first time, as a worker killed from outside would.
    """

    def __init__(self, die_on: str, how: str, once: str | None = None) -> None:
        self.die_on = die_on
        self.how = how
        self.once = once
        self.parent = os.getpid()

    def __call__(self, item: str) -> str:
        if item == self.die_on and os.getpid() != self.parent:
            if self.once is None or not os.path.exists(self.once):
                if self.once is not None:
                    open(self.once, "w").close()
                if self.how == "kill":
                    os.kill(os.getpid(), signal.SIGKILL)
                raise MemoryError
        return str(int(item) ** 2)

    def lost(self, item: str, reason: str) -> str:
        return f"lost {item}: {reason}"


def _work(die_on: str, how: str, once: str | None = None) -> _Work:
    return _Work(die_on, how, once)


def _in_order(items: list[str], got: list[str]) -> bool:
    """Each item's own result at its own place: its square, or why it was lost."""
    return len(got) == len(items) and all(
        g == str(int(i) ** 2) or g.startswith(f"lost {i}: ") for i, g in zip(items, got, strict=True)
    )


# The parent takes work whenever its workers are busy, so which process does a file depends on timing, except
# for the first tasks: those go to the pool before the parent takes any. With 400 files on two processes, the
# first 4 are the warm-up and files 4 to 27 the pool's first two tasks; with 600 on four, files 4 to 57.
IN_FIRST_TASKS = "15"


def test_an_item_that_kills_its_worker_every_time_is_the_only_one_lost():
    """The pool is replaced and the batch goes on; the item is tried once more, alone, then reported."""
    items = [str(n) for n in range(400)]
    got = list(parallel.run(items, functools.partial(_work, IN_FIRST_TASKS, "kill"), jobs=2))
    assert _in_order(items, got)
    assert [g for g in got if g.startswith("lost")] == [
        f"lost {IN_FIRST_TASKS}: the evaluation of this file ended its worker process (signal 9)"
    ]


def test_the_item_that_kills_its_worker_is_found_among_several_workers():
    """With three workers the executor ends the two others when one dies: only the item of the one that died
    by itself is blamed, however often the pool breaks."""
    items = [str(n) for n in range(600)]
    got = list(parallel.run(items, functools.partial(_work, "30", "kill"), jobs=4))
    assert _in_order(items, got)
    assert [g for g in got if g.startswith("lost")] == [
        "lost 30: the evaluation of this file ended its worker process (signal 9)"
    ]


def test_a_worker_killed_once_loses_nothing(tmp_path):
    """A worker killed once mid-batch (from outside, say): the item it was on is tried again, and succeeds."""
    items = [str(n) for n in range(400)]
    got = list(parallel.run(items, functools.partial(_work, IN_FIRST_TASKS, "kill", str(tmp_path / "once")), jobs=2))
    assert (tmp_path / "once").exists()  # it did die
    assert got == [str(n * n) for n in range(400)]


def test_a_worker_failing_on_one_chunk_loses_that_chunk_only():
    """An exception in a worker (out of memory there) costs the files of that chunk, not the batch."""
    items = [str(n) for n in range(400)]
    got = list(parallel.run(items, functools.partial(_work, IN_FIRST_TASKS, "raise"), jobs=2))
    assert _in_order(items, got)
    lost = [g for g in got if g.startswith("lost")]
    assert f"lost {IN_FIRST_TASKS}: a worker process failed (MemoryError)" in lost and len(lost) < len(items) // 4
    assert all("a worker process failed (MemoryError)" in g for g in lost)
    assert got[-1] == str(399**2)


def test_a_dead_pool_thread_ends_the_batch(monkeypatch):
    """The executor's own thread dying (as under a memory limit) cannot leave the parent waiting forever."""
    from concurrent.futures import process

    def die(self):
        raise MemoryError

    monkeypatch.setattr(process._ExecutorManagerThread, "run", die)
    items = [str(n) for n in range(400)]
    got = list(parallel.run(items, functools.partial(_work, "", "kill"), jobs=2))
    assert _in_order(items, got)
    lost = [g for g in got if g.startswith("lost")]
    assert lost and all(g.endswith("the worker pool failed (MemoryError)") for g in lost)


def test_a_worker_killed_while_sending_its_results_ends_the_batch(monkeypatch):
    """Half a message in the result pipe (a worker killed mid-send) would hold the executor's thread forever.

    The parent notices the dead worker itself, and ends the batch with every item in order.
    """
    import struct
    import threading
    from concurrent.futures import process

    send = process._sendback_result

    def half_send(result_queue, work_id, result=None, exception=None, exit_pid=None):
        if result is not None and str(int(IN_FIRST_TASKS) ** 2) in result:
            os.write(result_queue._writer.fileno(), struct.pack("!i", 100_000) + b"half")
            os.kill(os.getpid(), signal.SIGKILL)
        send(result_queue, work_id, result=result, exception=exception, exit_pid=exit_pid)

    monkeypatch.setattr(process, "_sendback_result", half_send)
    items = [str(n) for n in range(400)]
    got: list[str] = []
    runner = threading.Thread(target=lambda: got.extend(parallel.run(items, functools.partial(_work, "", ""), jobs=2)))
    runner.start()
    runner.join(60)  # a guard against a hang only
    assert not runner.is_alive()
    assert _in_order(items, got)
    assert f"lost {IN_FIRST_TASKS}: a worker process died (killed by SIGKILL)" in got
