"""Worker processes under one `ProcessPoolExecutor`: what each worker runs, and the pool the parent watches.

A worker ignores Ctrl-C (the parent decides), dies quietly on SIGTERM, is ended
with the parent however the parent ends, and says in shared memory which file
it is on, so that when it dies the parent knows which file to suspect. The
parent watches the workers and the executor's own threads while it waits for a
task, so that no failure of either can leave it waiting forever.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

# How often the parent, waiting for a worker's chunk, checks that the pool is still alive (seconds).
POLL = 0.5
# Exit status of a worker whose set-up failed (so the parent can say so).
SETUP_FAILED = 70
_SIGNALS = {signal.SIGINT, signal.SIGTERM}
EXECUTOR_MODULE = "concurrent.futures.process"

_WORK: Callable[[str], Any] | None = None  # in a worker: what it does with each file
_STATE: Any = None  # in a worker: the pool's shared (pid, file index) pairs
_SLOT = 0  # in a worker: its pair in _STATE


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the parent dies, so a killed parent leaves no worker waiting forever."""
    try:
        # ctypes only in a worker process, on Linux
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def init(
    setup: Callable[[], Callable[[str], Any]], spawned: bool, parent: int, state: Any = None, lock: Any = None
) -> None:
    """A worker's set-up: its signals, its work (`setup()`), its slot in `state`; exit status SETUP_FAILED if
    any of it fails. `spawned`: the worker was not forked, so it reads the rules itself."""
    global _WORK, _STATE, _SLOT
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches every process; the parent ends the batch
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # die at once and quietly
        if hasattr(signal, "pthread_sigmask"):  # held back since the fork (see `Pool._start`)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
        _die_with_parent()
        if os.getppid() != parent:  # the parent died before we could ask
            os._exit(SETUP_FAILED)
        _WORK = setup()
        session = getattr(_WORK, "session", None)
        if session is not None and spawned:
            session(False).__enter__()
        if state is not None:  # a slot of the pool's state, where this worker says which file it is on
            with lock:
                _SLOT = next(k for k in range(len(state) // 2) if state[2 * k] == 0)
                state[2 * _SLOT], state[2 * _SLOT + 1] = os.getpid(), -1
            _STATE = state
        # only in a worker process
        from multiprocessing import util

        save = getattr(_WORK, "save", None)
        if save is not None:  # keep what this worker learned, when the pool winds down
            util.Finalize(None, _quietly(save), exitpriority=10)
    except BaseException:  # noqa: BLE001 - a worker that cannot start says so by its exit status alone
        os._exit(SETUP_FAILED)


def _quietly(function: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            function()
        except BaseException:  # noqa: BLE001, S110 - keeping the memo is an optimisation; a worker exits quietly
            pass

    return run


def run_task(task: list[tuple[int, str]]) -> list[Any]:
    """In a worker: the results of a task's files, saying meanwhile which file it is on (see `Pool.doing`)."""
    assert _WORK is not None
    results = []
    try:
        for index, path in task:
            _doing(index)
            results.append(_WORK(path))
    finally:
        _doing(-1)
    return results


def _doing(index: int) -> None:
    if _STATE is not None:
        _STATE[2 * _SLOT + 1] = index


class Pool:
    """`count` worker processes under one `ProcessPoolExecutor`; ended whatever happens.

    The executor notices most failures itself, but not all: a worker killed in
    the middle of sending its results leaves half a message in the result pipe,
    and the executor's thread then waits for the rest forever. So the parent
    also watches the workers and the thread while it waits, and when it gives
    the pool up it ends every worker and closes its own end of the result pipe,
    which lets that thread see the end and finish.
    """

    def __init__(self, context: Any, count: int, setup: Callable[[], Callable[[str], Any]], spawned: bool) -> None:
        self.context = context
        self.count = count
        self.setup = setup
        self.spawned = spawned
        self.processes: list[Any] = []
        self.threads: set[threading.Thread] = set()  # the executor's own threads, known once it has started
        self.thread_failure: str | None = None  # one of the executor's threads died of this
        self.executor: Any = None
        self.state: Any = None

    def owns(self, thread: threading.Thread) -> bool:
        """Whether `thread` is one of this pool's executor's: one started with its workers, or one of that module's
        that died before it could be counted (the executor's threads are of classes only it defines)."""
        return thread in self.threads or type(thread).__module__ == EXECUTOR_MODULE

    def open(self) -> None:
        # concurrent.futures only once a batch has started processes
        from concurrent.futures import ProcessPoolExecutor

        self.state = self.context.RawArray("q", 2 * self.count)
        initargs = (self.setup, self.spawned, os.getpid(), self.state, self.context.Lock())
        self.executor = ProcessPoolExecutor(self.count, mp_context=self.context, initializer=init, initargs=initargs)

    def submit(self, pairs: list[tuple[int, str]]) -> Any:
        if not self.processes:
            return self._start(pairs)
        return self.executor.submit(run_task, pairs)

    def doing(self, process: Any) -> int:
        """The index of the file the worker `process` was evaluating (-1: none)."""
        state = self.state
        for k in range(self.count):
            if state[2 * k] == process.pid:
                return int(state[2 * k + 1])
        return -1

    def close(self, *, clean: bool) -> None:
        if self.executor is None:
            return
        try:
            if clean and self.thread_failure is None:
                self.executor.shutdown(wait=True)
            else:
                self._end_workers()
                self.executor.shutdown(wait=False, cancel_futures=True)
                for thread in self.threads:  # let them finish now, not race a new pool's fork or the exit
                    if thread is not threading.current_thread():
                        thread.join(5)
        except Exception:  # noqa: BLE001, S110 - a pool that never started, or broke: nothing is left to wait for
            pass
        self.executor = None

    def _all_processes(self) -> list[Any]:
        known = list((getattr(self.executor, "_processes", None) or {}).values())
        return known + [p for p in self.processes if p not in known]

    def _end_workers(self) -> None:
        """Stop every worker now and wait until it is gone; then unblock the executor's thread."""
        processes = self._all_processes()
        for process in processes:
            try:
                if process.exitcode is None:
                    process.terminate()  # SIGTERM, which workers do not catch
            except (OSError, AttributeError, ValueError):
                pass
        deadline = time.monotonic() + 5
        for process in processes:
            try:
                process.join(max(0.0, deadline - time.monotonic()))
                if process.exitcode is None:
                    process.kill()
                    process.join(1)
            except (OSError, AttributeError, ValueError, AssertionError):
                pass
        try:  # with every writer gone, a read of half a message ends instead of waiting forever
            self.executor._result_queue._writer.close()
        except (AttributeError, OSError):
            pass

    def _start(self, first: list[tuple[int, str]]) -> Any:
        """Submit the first task, which forks the workers, holding SIGINT and SIGTERM back meanwhile.

        A worker inherits the parent's handlers, which end the command; held
        back, a signal reaches it only once it has set its own (`init`).
        """
        can_hold = hasattr(signal, "pthread_sigmask")
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS) if can_hold else None
        before = set(threading.enumerate())
        try:
            future = self.executor.submit(run_task, first)
            self.processes = list((getattr(self.executor, "_processes", None) or {}).values())
            return future
        finally:
            # the threads the executor started with its workers: the ones whose death breaks this pool
            self.threads = set(threading.enumerate()) - before
            if previous is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, previous)

    def wait(self, future: Any) -> tuple[list[Any] | None, str | None]:
        """The results of a task; else (None, why) for the worker's own exception, or (None, None): the pool broke."""
        # concurrent.futures only once a batch has started processes
        from concurrent.futures import TimeoutError as Waited
        from concurrent.futures.process import BrokenProcessPool

        dead_for = 0  # polls during which a worker has been dead without the executor noticing
        while True:
            try:
                return future.result(timeout=POLL), None
            except Waited:
                if self.thread_failure is not None or not all(thread.is_alive() for thread in self.threads):
                    return None, None
                dead_for = dead_for + 1 if any(p.exitcode is not None for p in self._all_processes()) else 0
                if dead_for >= 3:
                    return None, None
            except BrokenProcessPool:
                return None, None
            except Exception as exc:  # noqa: BLE001 - the worker's own failure, with this task only
                return None, f"a worker process failed ({type(exc).__name__}: {exc})".replace(": )", ")")

    def dead(self, exc: BaseException | None) -> list[Any]:
        """The workers that died by themselves, before this process ends the rest.

        The executor's thread may be reaping the dead one at this very moment,
        so its exit status is given a moment to show. The executor ends the
        others with SIGTERM once it sees one die: those count only when no
        worker died otherwise.
        """
        deadline = time.monotonic() + (1.0 if exc is None or broken(exc) else 0.0)
        dead = [p for p in self.processes if p.exitcode is not None]
        while not dead and time.monotonic() < deadline and self.thread_failure is None:
            time.sleep(0.01)
            dead = [p for p in self.processes if p.exitcode is not None]
        real = [p for p in dead if p.exitcode not in (0, -signal.SIGTERM)]
        return real or dead

    def reason(self, dead: list[Any], exc: BaseException | None) -> str:
        """Why the pool broke, in words: `a worker process died (killed by SIGKILL)`."""
        cause = _cause(dead)
        if cause:
            return f"a worker process died ({cause})"
        if self.thread_failure is not None:
            return f"the worker pool failed ({self.thread_failure})"
        if exc is not None and not broken(exc):
            return f"the worker pool failed ({type(exc).__name__}: {exc})"
        return "a worker process died"


def broken(exc: BaseException) -> bool:
    # concurrent.futures only once a batch has started processes
    from concurrent.futures.process import BrokenProcessPool

    return isinstance(exc, BrokenProcessPool)


def how(code: int | None) -> str:
    """How a worker ended, as its error line says: `signal 9`, `exit status 1`."""
    if code is not None and code < 0:
        return f"signal {-code}"
    return f"exit status {code}"


def _cause(dead: list[Any]) -> str:
    """How the first worker that died ended: `killed by SIGKILL`, `exit status 70`."""
    causes = []
    for process in dead:
        code = process.exitcode
        if code is None or code == 0:
            continue
        if code == SETUP_FAILED:
            causes.append("it could not start")
        elif code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            causes.append(f"killed by {name}")
        else:
            causes.append(f"exit status {code}")
    real = [c for c in causes if c != "killed by SIGTERM"]  # the others were ended by the executor
    return (real or causes or [""])[0]
