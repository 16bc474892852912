"""Spreading a batch of files over processes, keeping results in input order and streaming them.

Processes, not threads: durable_rules holds the GIL and is not reentrant. With
`jobs` processes the parent is one of them. The batch is cut into chunks, given
to `jobs - 1` forked workers a few ahead of the one owed next, while the parent
does the next chunk no worker has whenever the results owed next are not ready
(`workers.py`). The workers start almost at once: the parent evaluates only a
few files alone first, so that they inherit its imports and the engine it set
up; every process reads and adds to the same memo store, and any more files
the parent did alone would be time the other cores wait. Every result is
yielded in input order, as it comes. Every process keeps what it learned for
later runs.

A batch always finishes, and every file gets its result, in order: a pool whose
worker dies is replaced, the file that worker was on is tried once more alone,
and a file that ends its worker again gets the work's `lost(path, reason)`
(`workers.py`, `pool.py`). Workers ignore Ctrl-C (the parent decides), die
quietly on SIGTERM, and are ended with the parent, however it ends.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from ..scenario.loader import STDIN
from .workers import WorkerError, Workers

__all__ = ["PARALLEL_FROM", "WorkerError", "available_cores", "default_jobs", "run"]

T = TypeVar("T")

# Below this many files a single process wins: starting workers costs more than they save.
PARALLEL_FROM = 200
# Files the parent evaluates alone before forking: enough to have imported and set up all a file needs, once for
# every process and before the pool's threads take their share of the address space, and no more.
WARM_UP = 4
# Files given to a worker at once, at most: few enough that the parent's next file is never long in coming.
CHUNK = 128


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def default_jobs(count: int) -> int:
    """How many processes a batch of `count` files is worth."""
    return available_cores() if count >= PARALLEL_FROM else 1


_WORK: Callable[[str], Any] | None = None  # in the parent, while it forks: the work its workers inherit


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
    """A few files here alone, then chunks to the workers, a few ahead, and to this process while the ones owed
    next are not ready; results in order."""
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
    with Workers(context, jobs - 1, _inherited if forking else setup, not forking, rest, chunks, work) as workers:
        for chunk in chunks:
            yield from workers.results_of(chunk)
