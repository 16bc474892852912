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
A broken pool is replaced and the batch goes on: each worker says in shared
memory which file it is on, so only the file a dead worker was evaluating is
suspect. It is tried once more, alone and first in the new pool; if it ends that
worker too, the work's `lost(path, reason)` says so for that file alone. Pools
that keep breaking with no file to blame are given up, their files `lost` with
the reason, while the parent goes on with its own share. Workers ignore Ctrl-C
(the parent decides), die quietly on SIGTERM, and are ended with the parent,
however it ends.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple, TypeVar

from ..scenario.loader import STDIN

T = TypeVar("T")

# Below this many files a single process wins: starting workers costs more than they save.
PARALLEL_FROM = 200
# Files the parent evaluates alone before forking (at most a quarter of each share).
WARM_UP = 200
# Files given to a worker at once, at most: few enough that the parent's next file is never long in coming.
CHUNK = 128
# Tasks given to the pool ahead of the one the parent waits for, per worker.
AHEAD = 2
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


def _init(setup: Callable[[], Callable[[str], Any]], parent: int, state: Any = None, lock: Any = None) -> None:
    global _WORK, _STATE, _SLOT
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches every process; the parent ends the batch
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # die at once and quietly
        if hasattr(signal, "pthread_sigmask"):  # held back since the fork (see `_Pool.start`)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
        _die_with_parent()
        if os.getppid() != parent:  # the parent died before we could ask
            os._exit(SETUP_FAILED)
        _WORK = setup()
        session = getattr(_WORK, "session", None)
        if session is not None and setup is not _inherited:  # spawned: this worker reads the rules once itself
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


def _run_task(task: list[tuple[int, str]]) -> list[Any]:
    """The results of a task's files, saying meanwhile which file this worker is on (see `_Pool.doing`)."""
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


def _inherited() -> Callable[[str], Any]:
    """In a forked worker: the work the parent built before forking, memo and all."""
    assert _WORK is not None
    return _WORK


def run(files: Sequence[str], setup: Callable[[], Callable[[str], T]], jobs: int) -> Iterator[T]:
    """`setup()` builds a per-process function; its results for `files`, in order, as they come.

    The function may have a `lost(path, reason)` method giving the result of a
    file that the workers could not deliver; without it, such a failure raises
    `WorkerError`. `setup` must be picklable (a module-level function or a
    partial of one) for platforms that cannot fork.
    """
    work = setup()
    spread = jobs > 1 and len(files) >= 2 * jobs and STDIN not in files  # only this process may read standard input
    session = getattr(work, "session", None)
    try:
        with session(spread) if session is not None else contextlib.nullcontext():
            if spread:
                yield from _spread(files, setup, jobs, work)
            else:
                for path in files:
                    yield work(path)
    finally:
        save = getattr(work, "save", None)
        if save is not None:
            save()


def _spread(files: Sequence[str], setup: Callable[[], Callable[[str], T]], jobs: int, work: Any) -> Iterator[T]:
    """Evaluate a warm-up alone, then every other chunk here and the rest in the workers; results in order."""
    global _WORK
    import multiprocessing  # it and the executor are slow to import: only batches spread over processes pay

    forking = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forking else "spawn")
    warm = min(WARM_UP, len(files) // (4 * jobs)) if forking else 0
    for path in files[:warm]:
        yield work(path)
    rest = list(files[warm:])
    size = max(1, min(CHUNK, len(rest) // (jobs * 16)))
    chunks = [list(range(i, min(i + size, len(rest)))) for i in range(0, len(rest), size)]
    _WORK = work
    with _Workers(context, jobs - 1, _inherited if forking else setup, rest, chunks, work) as workers:
        for chunk in chunks:
            yield from workers.results_of(chunk)


class WorkerError(RuntimeError):
    """The workers could not deliver a file's result, and the work has no `lost` to say so per file."""


class _Task(NamedTuple):
    """Files given to a worker in one go, by their place in the batch."""

    indices: list[int]


class _Workers:
    """A batch's chunks, done by a pool of workers and by this process: a pool replaced when it breaks.

    Tasks go to the pool a few ahead of the one whose results are owed next;
    while those are not ready, this process takes the next task not yet given
    to the pool and does it itself, so it never idles while workers are busy
    and never waits on a share fixed in advance: the work balances itself
    whatever the output costs this process.

    A pool breaks when a worker dies. Each worker says in shared memory which
    file it is on, so the file a dead worker was evaluating is known: it is
    retried once, alone and first in a fresh pool, and a file that ends its
    worker again gets its own result (`lost`: the evaluation of this file ended
    its worker process). Every other file the broken pool owed is simply given
    to the next one. Pools that keep breaking with no file to blame (a worker
    killed while idle or sending its results, the executor's own thread dying)
    are given up after a few: the files left get `lost` with the reason. When
    no pool can start at all, this process does the files itself, all but
    those that already ended a worker.
    """

    def __init__(
        self,
        context: Any,
        count: int,
        setup: Callable[[], Callable[[str], Any]],
        files: list[str],
        tasks: list[list[int]],
        work: Callable[[str], Any],
    ) -> None:
        self.context = context
        self.count = count
        self.setup = setup
        self.files = files
        self.work = work
        self.lost: Callable[[str, str], Any] | None = getattr(work, "lost", None)
        self.queue: deque[_Task] = deque(_Task(list(t)) for t in tasks)  # not yet given to a pool
        self.flying: dict[Any, _Task] = {}  # future -> its task, in the order submitted
        self.results: dict[int, Any] = {}
        self.struck: dict[int, str] = {}  # a file that was in flight when its worker died -> how it died
        self.pool: _Pool | None = None
        self.given: set[int] = set()  # files ever given to a pool: those of a pool given up are lost with it
        self.fruitless = 0  # pools broken in a row with no file to blame
        self.reason: str | None = None  # the pools were given up, for this reason
        self.unavailable = False  # no pool could start: this process does the files

    def __enter__(self) -> _Workers:
        self._excepthook = threading.excepthook
        threading.excepthook = self._thread_died
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self.pool is not None:
                self.pool.close(clean=exc[0] is None)
        finally:
            threading.excepthook = self._excepthook

    def _thread_died(self, args: Any) -> None:
        """An executor's thread died (out of memory, say): note why, print no traceback, let its pool be replaced."""
        # concurrent.futures only once a batch has started processes
        from concurrent.futures.process import _ExecutorManagerThread

        if not isinstance(args.thread, _ExecutorManagerThread):
            self._excepthook(args)
        elif self.pool is not None and args.thread is getattr(self.pool.executor, "_executor_manager_thread", None):
            failure = f"{args.exc_type.__name__}: {args.exc_value}"
            self.pool.thread_failure = failure.removesuffix(": None").rstrip(": ")

    def results_of(self, indices: list[int]) -> list[Any]:
        """The results of these files (of the workers' share), once each has one."""
        for index in indices:
            while index not in self.results:
                self._advance(index)
        return [self.results.pop(index) for index in indices]

    def _advance(self, index: int) -> None:
        """Bring the file at `index` (the first still owed) nearer to its result."""
        if self.reason is not None or self.unavailable:
            self._here(self.queue.popleft())
            return
        if self.pool is None and not self._start():
            return
        assert self.pool is not None
        future = next((f for f, task in self.flying.items() if index in task.indices), None)
        try:
            while self.queue and (future is None or len(self.flying) < AHEAD * self.count):
                task = self.queue.popleft()
                submitted = self.pool.submit([(i, self.files[i]) for i in task.indices])
                self.flying[submitted] = task
                self.given.update(task.indices)
                if index in task.indices:
                    future = submitted
        except Exception as exc:  # noqa: BLE001 - no thread, no process, or a pool already broken
            self.queue.appendleft(task)
            if self.pool.processes:
                self._broke(exc)
            else:  # no worker could start: this process does the files
                self.pool.close(clean=False)
                self.pool = None
                self.unavailable = True
            return
        assert future is not None, "a file owed is neither queued nor in flight"
        if not future.done():  # meanwhile, the next task no worker has yet, here (not a file that ended a worker)
            spare = next((task for task in self.queue if not self.struck.keys() & task.indices), None)
            if spare is not None:
                self.queue.remove(spare)
                self._here(spare)
                return
        results, failure = self.pool.wait(future)
        if results is not None:
            task = self.flying.pop(future)
            self.results.update(zip(task.indices, results, strict=True))
            self.fruitless = 0
        elif failure is not None:  # the worker's own exception, with this task only
            for i in self.flying.pop(future).indices:
                self.results[i] = self._lost(i, failure)
        else:
            self._broke(None)

    def _start(self) -> bool:
        """A new pool; False when none could start (this process then does the files itself)."""
        pool = _Pool(self.context, self.count, self.setup)
        try:
            pool.open()
        except Exception:  # noqa: BLE001 - no thread, no process: nothing to wait for
            pool.close(clean=False)
            self.unavailable = True
            return False
        self.pool = pool
        return True

    def _broke(self, exc: BaseException | None) -> None:
        """The pool broke: blame the files dead workers were on, end the pool, and queue what it owed again."""
        pool = self.pool
        assert pool is not None
        dead = pool.dead(exc)
        blamed = {pool.doing(process): _how(process.exitcode) for process in dead} if pool.state else {}
        blamed.pop(-1, None)
        reason = pool.reason(dead, exc)
        for future, task in list(self.flying.items()):  # finished before the break: kept
            if future.done() and not future.cancelled() and future.exception() is None:
                self.results.update(zip(task.indices, future.result(), strict=True))
                del self.flying[future]
        pool.close(clean=False)
        self.pool = None
        alone: list[_Task] = []
        again: list[_Task] = []
        for task in self.flying.values():
            rest = []
            for i in task.indices:
                if i not in blamed:
                    rest.append(i)
                elif i in self.struck:
                    ended = f"the evaluation of this file ended its worker process ({blamed[i]})"
                    self.results[i] = self._lost(i, ended)
                else:
                    self.struck[i] = reason
                    alone.append(_Task([i]))
            if rest:
                again.append(_Task(rest))
        self.flying.clear()
        again.sort(key=lambda task: task.indices[0])
        self.queue.extendleft(reversed(alone + again))
        self.fruitless = 0 if blamed else self.fruitless + 1
        if self.fruitless >= GIVE_UP:
            self.reason = reason

    def _here(self, task: _Task) -> None:
        """A task done in this process: while workers are busy, or when the pools were given up or none could
        start."""
        for i in task.indices:
            if self.reason is not None and i in self.given:
                self.results[i] = self._lost(i, self.reason)
            elif i in self.struck:  # it ended a worker: it could end this process too
                self.results[i] = self._lost(i, self.struck[i])
            else:
                self.results[i] = self.work(self.files[i])

    def _lost(self, index: int, reason: str) -> Any:
        if self.lost is None:
            raise WorkerError(reason)
        return self.lost(self.files[index], reason)


# Pools broken in a row, with no file to blame, before the workers' files are given up.
GIVE_UP = 3


class _Pool:
    """`count` worker processes under one `ProcessPoolExecutor`; ended whatever happens.

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
        self.processes: list[Any] = []
        self.thread_failure: str | None = None  # the executor's own thread died of this
        self.executor: Any = None
        self.state: Any = None

    def open(self) -> None:
        # concurrent.futures only once a batch has started processes
        from concurrent.futures import ProcessPoolExecutor

        self.state = self.context.RawArray("q", 2 * self.count)
        initargs = (self.setup, os.getpid(), self.state, self.context.Lock())
        self.executor = ProcessPoolExecutor(self.count, mp_context=self.context, initializer=_init, initargs=initargs)

    def submit(self, pairs: list[tuple[int, str]]) -> Any:
        if not self.processes:
            return self._start(pairs)
        return self.executor.submit(_run_task, pairs)

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
                thread = getattr(self.executor, "_executor_manager_thread", None)
                self._end_workers()
                self.executor.shutdown(wait=False, cancel_futures=True)
                if thread is not None:  # let it finish now, not race a new pool's fork or the interpreter's exit
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
        back, a signal reaches it only once it has set its own (`_init`).
        """
        can_hold = hasattr(signal, "pthread_sigmask")
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS) if can_hold else None
        try:
            future = self.executor.submit(_run_task, first)
            self.processes = list((getattr(self.executor, "_processes", None) or {}).values())
            return future
        finally:
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
                thread = getattr(self.executor, "_executor_manager_thread", None)
                if self.thread_failure is not None or (thread is not None and not thread.is_alive()):
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
        deadline = time.monotonic() + (1.0 if exc is None or _broken(exc) else 0.0)
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
        if exc is not None and not _broken(exc):
            return f"the worker pool failed ({type(exc).__name__}: {exc})"
        return "a worker process died"


def _broken(exc: BaseException) -> bool:
    # concurrent.futures only once a batch has started processes
    from concurrent.futures.process import BrokenProcessPool

    return isinstance(exc, BrokenProcessPool)


def _how(code: int | None) -> str:
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
