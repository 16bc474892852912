"""Spreading a batch of files over processes, keeping results in input order and streaming them.

Processes, not threads: durable_rules holds the GIL and is not reentrant. With
`jobs` processes the parent is one of them: it takes every `jobs`-th chunk of
files itself and leaves the others to `jobs - 1` forked workers, then yields all
results in input order. Before forking it evaluates the first files alone, so
the workers inherit the outcomes it memoised instead of each running the engine
on the same new situations. Every process keeps what it learned for later runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

# Below this many files a single process wins: starting workers costs more than they save.
PARALLEL_FROM = 200
# Files the parent evaluates alone before forking (at most a quarter of each share).
WARM_UP = 200


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def default_jobs(count: int) -> int:
    """How many processes a batch of `count` files is worth."""
    return available_cores() if count >= PARALLEL_FROM else 1


_WORK: Callable[[str], Any] | None = None


def _init(setup: Callable[[], Callable[[str], Any]]) -> None:
    global _WORK
    _WORK = setup()
    from multiprocessing import util

    save = getattr(_WORK, "save", None)
    if save is not None:  # keep what this worker learned, when the pool winds down
        util.Finalize(None, save, exitpriority=10)


def _run_chunk(paths: list[str]) -> list[Any]:
    assert _WORK is not None
    return [_WORK(path) for path in paths]


def _inherited() -> Callable[[str], Any]:
    """In a forked worker: the work the parent built before forking, memo and all."""
    assert _WORK is not None
    return _WORK


def run(files: Sequence[str], setup: Callable[[], Callable[[str], T]], jobs: int) -> Iterator[T]:
    """`setup()` builds a per-process function; its results for `files`, in order, as they come.

    `setup` must be picklable (a module-level function or a partial of one) for
    platforms that cannot fork.
    """
    global _WORK
    work = setup()
    try:
        if jobs <= 1 or len(files) < 2 * jobs:
            for path in files:
                yield work(path)
            return
        import multiprocessing  # 14 ms with its pool: only batches spread over processes pay for it

        forking = "fork" in multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if forking else "spawn")
        warm = min(WARM_UP, len(files) // (4 * jobs)) if forking else 0
        for path in files[:warm]:
            yield work(path)
        rest = files[warm:]
        size = max(1, min(128, len(rest) // (jobs * 16)))
        chunks = [list(rest[i : i + size]) for i in range(0, len(rest), size)]
        _WORK = work
        worker_setup = _inherited if forking else setup
        with context.Pool(jobs - 1, initializer=_init, initargs=(worker_setup,)) as pool:
            theirs = pool.imap(_run_chunk, [chunk for k, chunk in enumerate(chunks) if k % jobs])
            for k, chunk in enumerate(chunks):
                if k % jobs:
                    yield from next(theirs)
                else:
                    for path in chunk:
                        yield work(path)
            pool.close()
            pool.join()
    finally:
        save = getattr(work, "save", None)
        if save is not None:
            save()
