"""A batch's chunks, shared between a pool of worker processes and this one; a pool replaced when it breaks.

Tasks (chunks of files, by their place in the batch) go to the pool a few ahead
of the one whose results are owed next; while those are not ready, this process
does the next task itself. A pool that breaks is replaced: the file a dead
worker was on is tried once more alone, and pools that keep breaking with no
file to blame are given up (see `Workers`).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Any, NamedTuple

from .pool import EXECUTOR_MODULE, Pool, how

# Tasks given to the pool ahead of the one the parent waits for, per worker.
AHEAD = 2
# Pools broken in a row, with no file to blame, before the workers' files are given up.
GIVE_UP = 3


class WorkerError(RuntimeError):
    """The workers could not deliver a file's result, and the work has no `lost` to say so per file."""


class _Task(NamedTuple):
    """Files given to a worker in one go, by their place in the batch."""

    indices: list[int]


class Workers:
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
        spawned: bool,
        files: list[str],
        tasks: list[list[int]],
        work: Callable[[str], Any],
    ) -> None:
        self.context = context
        self.count = count
        self.setup = setup
        self.spawned = spawned
        self.files = files
        self.work = work
        self.lost: Callable[[str, str], Any] | None = getattr(work, "lost", None)
        self.queue: deque[_Task] = deque(_Task(list(t)) for t in tasks)  # not yet given to a pool
        self.flying: dict[Any, _Task] = {}  # future -> its task, in the order submitted
        self.results: dict[int, Any] = {}
        self.struck: dict[int, str] = {}  # a file that was in flight when its worker died -> how it died
        self.pool: Pool | None = None
        self.given: set[int] = set()  # files ever given to a pool: those of a pool given up are lost with it
        self.fruitless = 0  # pools broken in a row with no file to blame
        self.reason: str | None = None  # the pools were given up, for this reason
        self.unavailable = False  # no pool could start: this process does the files
        self.retired: set[threading.Thread] = set()  # the threads of pools given up: their ends say nothing

    def __enter__(self) -> Workers:
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
        thread = args.thread
        if self.pool is not None and thread not in self.retired and self.pool.owns(thread):
            failure = f"{args.exc_type.__name__}: {args.exc_value}"
            self.pool.thread_failure = failure.removesuffix(": None").rstrip(": ")
        elif thread not in self.retired and type(thread).__module__ != EXECUTOR_MODULE:
            self._excepthook(args)

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
                self._retire(self.pool)
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
        pool = Pool(self.context, self.count, self.setup, self.spawned)
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
        blamed = {pool.doing(process): how(process.exitcode) for process in dead} if pool.state else {}
        blamed.pop(-1, None)
        reason = pool.reason(dead, exc)
        for future, task in list(self.flying.items()):  # finished before the break: kept
            if future.done() and not future.cancelled() and future.exception() is None:
                self.results.update(zip(task.indices, future.result(), strict=True))
                del self.flying[future]
        self._retire(pool)
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

    def _retire(self, pool: Pool) -> None:
        """End a broken pool; what its threads do from now on says nothing of the next pool."""
        self.retired |= pool.threads
        pool.close(clean=False)

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
