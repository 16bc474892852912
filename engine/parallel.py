"""Spreading a batch of files over processes, keeping results in input order and streaming them.

Processes, not threads: durable_rules holds the GIL and is not reentrant. Each
worker evaluates with its own engine (forked from the parent, or built from
the cache) and keeps the outcomes it learns for later runs when it exits.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

# Below this many files a single process wins: starting workers costs more than they save.
PARALLEL_FROM = 200
# The parent evaluates this many files itself before forking: the workers then inherit the
# outcomes it memoised, instead of each running the engine on the same new situations.
WARM_UP = 300


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


def _run(path: str) -> Any:
    assert _WORK is not None
    return _WORK(path)


def run(files: Sequence[str], setup: Callable[[], Callable[[str], T]], jobs: int) -> Iterator[T]:
    """`setup()` builds a per-process function; its results for `files`, in order, as they come.

    `setup` must be a module-level function (it may be pickled to a worker).
    """
    if jobs <= 1 or len(files) < 2:
        work = setup()
        try:
            for path in files:
                yield work(path)
        finally:
            save = getattr(work, "save", None)
            if save is not None:
                save()
        return
    import multiprocessing  # only batches spread over processes pay for importing it

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    head, rest = files[: min(WARM_UP, len(files) // (2 * jobs))], files[min(WARM_UP, len(files) // (2 * jobs)) :]
    if method == "fork" and head:
        global _WORK
        _WORK = setup()  # forked workers inherit it, memo and all
        for path in head:
            yield _WORK(path)
        setup = _inherited
    else:
        rest = files
    chunk = max(1, min(64, len(rest) // (jobs * 8)))
    with context.Pool(jobs, initializer=_init, initargs=(setup,)) as pool:
        yield from pool.imap(_run, rest, chunksize=chunk)
        pool.close()
        pool.join()
    if method == "fork" and head and _WORK is not None:
        save = getattr(_WORK, "save", None)
        if save is not None:
            save()


def _inherited() -> Callable[[str], Any]:
    """In a forked worker: the work the parent built before forking."""
    assert _WORK is not None
    return _WORK
