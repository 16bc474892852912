"""Spreading a batch of files over processes, keeping results in input order and streaming them.

Processes, not threads: durable_rules holds the GIL and is not reentrant. With
`jobs` processes the parent is one of them: it takes every `jobs`-th chunk of
files itself and leaves the others to `jobs - 1` forked workers, then yields all
results in input order. Before forking it evaluates the first files alone, so
the workers inherit the outcomes it memoised instead of each running the engine
on the same new situations. Every process keeps what it learned for later runs.

A batch always finishes, and every file gets its result, in order. The workers
run under `concurrent.futures.ProcessPoolExecutor`, which notices a worker that
dies (killed, out of memory) and fails what was given to it; the parent also
watches the executor's own thread, so that thread dying cannot leave it waiting.
From then on each file left to the workers is given to the work's
`lost(path, reason)`, which says it was not evaluated and why, while the parent
goes on with its own share. Workers ignore Ctrl-C (the parent decides), die
quietly on SIGTERM, and are ended with the parent, however it ends.
"""

from __future__ import annotations

import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from ..scenario.load import STDIN

T = TypeVar("T")

# Below this many files a single process wins: starting workers costs more than they save.
PARALLEL_FROM = 200
# Files the parent evaluates alone before forking (at most a quarter of each share).
WARM_UP = 200
# How often the parent, waiting for a worker's chunk, checks that the pool is still alive (seconds).
POLL = 0.5
# Exit status of a worker whose set-up failed (so the parent can say so).
SETUP_FAILED = 70
_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def default_jobs(count: int) -> int:
    """How many processes a batch of `count` files is worth."""
    return available_cores() if count >= PARALLEL_FROM else 1


_WORK: Callable[[str], Any] | None = None


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the parent dies, so a killed parent leaves no worker waiting forever."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def _init(setup: Callable[[], Callable[[str], Any]], parent: int) -> None:
    global _WORK
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches every process; the parent ends the batch
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # die at once and quietly
        if hasattr(signal, "pthread_sigmask"):  # held back since the fork (see `_Workers._start`)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
        _die_with_parent()
        if os.getppid() != parent:  # the parent died before we could ask
            os._exit(SETUP_FAILED)
        _WORK = setup()
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


def _run_chunk(paths: list[str]) -> list[Any]:
    assert _WORK is not None
    return [_WORK(path) for path in paths]


def _inherited() -> Callable[[str], Any]:
    """In a forked worker: the work the parent built before forking, memo and all."""
    assert _WORK is not None
    return _WORK


def run(files: Sequence[str], setup: Callable[[], Callable[[str], T]], jobs: int) -> Iterator[T]:
    """`setup()` builds a per-process function; its results for `files`, in order, as they come.

    The function may have a `lost(path, reason)` method giving the result of a
    file that a worker could not deliver; without it, such a failure raises
    `WorkerError`. `setup` must be picklable (a module-level function or a
    partial of one) for platforms that cannot fork.
    """
    global _WORK
    work = setup()
    try:
        if jobs <= 1 or len(files) < 2 * jobs or STDIN in files:  # only this process may read standard input
            for path in files:
                yield work(path)
            return
        import multiprocessing  # 14 ms, and the executor 20 ms more: only batches spread over processes pay

        forking = "fork" in multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if forking else "spawn")
        warm = min(WARM_UP, len(files) // (4 * jobs)) if forking else 0
        for path in files[:warm]:
            yield work(path)
        rest = files[warm:]
        size = max(1, min(128, len(rest) // (jobs * 16)))
        chunks = [list(rest[i : i + size]) for i in range(0, len(rest), size)]
        _WORK = work
        lost = getattr(work, "lost", None)
        with _Workers(context, jobs - 1, _inherited if forking else setup) as workers:
            theirs = [chunk for k, chunk in enumerate(chunks) if k % jobs]
            for k, chunk in enumerate(chunks):
                results, reason = workers.next_results(theirs) if k % jobs else (None, "")
                if results is not None:
                    yield from results
                elif not reason:  # the parent's share, or any chunk when no worker could start
                    yield from (work(path) for path in chunk)
                elif lost is not None:
                    yield from (lost(path, reason) for path in chunk)
                else:
                    raise WorkerError(reason)
    finally:
        save = getattr(work, "save", None)
        if save is not None:
            save()


class WorkerError(RuntimeError):
    """A worker could not deliver its results, and the work has no `lost` to say so per file."""


class _Workers:
    """`count` worker processes taking chunks in order, submitted a few ahead; ended whatever happens.

    The executor notices most failures itself, but not all: a worker killed in
    the middle of sending its results leaves half a message in the result pipe,
    and the executor's thread then waits for the rest forever. So the parent
    also watches the workers and the thread while it waits, and when it gives
    the pool up it ends every worker and closes its own end of the result pipe,
    which lets that thread see the end and finish.
    """

    def __init__(self, context: Any, count: int, setup: Callable[[], Callable[[str], Any]]) -> None:
        self.context = context
        self.count = count
        self.setup = setup
        self.pending: deque[Any] = deque()
        self.submitted = 0
        self.reason: str | None = None  # why the pool broke, once it has
        self.processes: list[Any] = []
        self.thread_failure: str | None = None  # the executor's own thread died of this
        self.unavailable: str | None = None  # no worker could start, for this reason
        self.executor: Any = None

    def __enter__(self) -> _Workers:
        from concurrent.futures import ProcessPoolExecutor

        self._excepthook = threading.excepthook
        threading.excepthook = self._thread_died
        self.executor = ProcessPoolExecutor(
            self.count, mp_context=self.context, initializer=_init, initargs=(self.setup, os.getpid())
        )
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None and self.reason is None and self.unavailable is None:
                self.executor.shutdown(wait=True)
            else:
                thread = getattr(self.executor, "_executor_manager_thread", None)
                self._end_workers()
                self.executor.shutdown(wait=False, cancel_futures=True)
                if thread is not None:  # let it finish now, not race the interpreter's exit (which then says EBADF)
                    thread.join(5)
        except Exception:  # noqa: BLE001, S110 - a pool that never started, or broke: nothing is left to wait for
            pass
        finally:
            threading.excepthook = self._excepthook

    def _thread_died(self, args: Any) -> None:
        """The executor's thread died (out of memory, say): note why, print no traceback, let the batch end."""
        if args.thread is getattr(self.executor, "_executor_manager_thread", None):
            self.thread_failure = f"{args.exc_type.__name__}: {args.exc_value}".removesuffix(": None").rstrip(": ")
        else:
            self._excepthook(args)

    def _all_processes(self) -> list[Any]:
        known = list((getattr(self.executor, "_processes", None) or {}).values())
        return known + [p for p in self.processes if p not in known]

    def _end_workers(self) -> None:
        """Stop every worker now and wait until it is gone; then unblock the executor's thread."""
        import time

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

    def _submit_ahead(self, theirs: list[list[str]]) -> None:
        ahead = 4 * self.count
        while self.submitted < len(theirs) and len(self.pending) < ahead:
            if self.submitted == 0:
                self._start(theirs[0])
            else:
                self.pending.append(self.executor.submit(_run_chunk, theirs[self.submitted]))
            self.submitted += 1

    def _start(self, first: list[str]) -> None:
        """Submit the first chunk, which forks the workers, holding SIGINT and SIGTERM back meanwhile.

        A worker inherits the parent's handlers, which end the command; held
        back, a signal reaches it only once it has set its own (`_init`).
        """
        can_hold = hasattr(signal, "pthread_sigmask")
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS) if can_hold else None
        try:
            self.pending.append(self.executor.submit(_run_chunk, first))
            self.processes = list((getattr(self.executor, "_processes", None) or {}).values())
        finally:
            if previous is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, previous)

    def next_results(self, theirs: list[list[str]]) -> tuple[list[Any] | None, str]:
        """The results of the next chunk given to the workers; else None and why not.

        (None, "") means no worker could start at all: the caller does the chunk
        itself, as no worker has taken any of it.
        """
        if self.reason is not None:
            return None, self.reason
        if self.unavailable:
            return None, ""
        try:
            self._submit_ahead(theirs)
        except Exception as exc:  # noqa: BLE001 - no thread, no process, or a pool already broken
            if self.submitted == 0:
                self.unavailable = f"{type(exc).__name__}: {exc}"
                self._end_workers()
                return None, ""
            return self._broke(exc)
        future = self.pending.popleft()
        from concurrent.futures import TimeoutError as Waited
        from concurrent.futures.process import BrokenProcessPool

        dead_for = 0  # polls during which a worker has been dead without the executor noticing
        while True:
            try:
                return future.result(timeout=POLL), ""
            except Waited:
                thread = getattr(self.executor, "_executor_manager_thread", None)
                if self.thread_failure is not None or (thread is not None and not thread.is_alive()):
                    return self._broke(None)
                dead_for = dead_for + 1 if any(p.exitcode is not None for p in self._all_processes()) else 0
                if dead_for >= 3:
                    return self._broke(None)
            except BrokenProcessPool as exc:
                return self._broke(exc)
            except Exception as exc:  # noqa: BLE001 - the worker's own failure, with this chunk only
                return None, f"a worker process failed ({type(exc).__name__}: {exc})".replace(": )", ")")

    def _broke(self, exc: BaseException | None) -> tuple[None, str]:
        """The pool is gone: end what is left of it, and say why, once, for every chunk it still owed."""
        import time
        from concurrent.futures.process import BrokenProcessPool

        # Which workers died by themselves, before this process ends the rest: the executor's thread may be
        # reaping the dead one at this very moment, so give its exit status a moment to show.
        deadline = time.monotonic() + (1.0 if isinstance(exc, BrokenProcessPool) else 0.0)
        dead = [p for p in self.processes if p.exitcode is not None]
        while not dead and time.monotonic() < deadline:
            time.sleep(0.01)
            dead = [p for p in self.processes if p.exitcode is not None]
        self._end_workers()
        cause = self._cause(dead)
        if cause:
            self.reason = f"a worker process died ({cause})"
        elif self.thread_failure is not None:
            self.reason = f"the worker pool failed ({self.thread_failure})"
        elif exc is not None and not isinstance(exc, BrokenProcessPool):
            self.reason = f"the worker pool failed ({type(exc).__name__}: {exc})"
        else:
            self.reason = "a worker process died"
        return None, self.reason

    @staticmethod
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
