"""One evaluator per rulebook and process, shared by every evaluation there.

Compiling a rulebook and starting durable_rules happen once per process; the
memo of the shared evaluator serves every later scenario and is saved at exit.
Inside `read_once()` (a batch) each rulebook directory is read once: every
later request for it, in this process and in workers forked from it, gets the
evaluator of that one reading, so a rule file edited meanwhile cannot split the
batch between two versions of the rulebook.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
from collections.abc import Iterator

from ..errors import EngineError, RulebookError
from ..rulebook.model import Rulebook
from ..rulebook.shipped import default_rules_dir
from .cache import key, open_rulebook, read_rules
from .runtime import Evaluator

_evaluators: dict[tuple[str, str], Evaluator] = {}
_by_files: dict[tuple[str, str], tuple[str, str]] = {}  # (directory, cache key of its files) -> its evaluator's key
_evaluators_lock = threading.Lock()
_read: dict[str, Evaluator | Exception] | None = None  # inside `read_once`: each directory's evaluator, or error


@contextlib.contextmanager
def read_once() -> Iterator[None]:
    """While inside, `evaluator_for` reads each rulebook directory once and gives that reading's evaluator after."""
    global _read
    outer = _read
    _read = {} if outer is None else outer
    try:
        yield
    finally:
        _read = outer


def evaluator_for(rulebook: Rulebook | str | os.PathLike[str] | None = None) -> Evaluator:
    """The shared evaluator of a rulebook (the shipped 1997 one by default), compiled once per process.

    Given a directory, the compiled rulebook comes from the cache when the rule
    files have not changed since it was written; asked again for a directory
    whose files have not changed, it is the same evaluator, found without
    reading the cache again (a command asks once to fail early, once to work).
    """
    if isinstance(rulebook, Rulebook):
        return _shared(rulebook)
    directory = os.fspath(rulebook) if rulebook is not None else default_rules_dir()
    read = _read
    if read is None:
        return _evaluator_for(directory)
    if directory not in read:
        try:
            read[directory] = _evaluator_for(directory)
        except (RulebookError, EngineError) as exc:  # the batch's reading of this rulebook: it does not load
            read[directory] = exc
    found = read[directory]
    if isinstance(found, Exception):
        raise found.with_traceback(None)  # not a traceback longer for every file that asks
    return found


def _evaluator_for(directory: str) -> Evaluator:
    try:  # read once: what is fingerprinted is what is compiled
        files = read_rules(directory) if os.path.isdir(directory) else None
        printed = key(directory, files) if files is not None else ""
    except OSError:
        files, printed = None, ""
    evaluator = _evaluators.get(_by_files.get((directory, printed), ("", ""))) if printed else None
    if evaluator is None:
        compiled, store = open_rulebook(directory, files)
        evaluator = _shared(compiled.rulebook, compiled, store)
        if printed:
            _by_files[(directory, printed)] = (compiled.rulebook.directory, compiled.rulebook.digest)
    return evaluator


def _shared(rulebook: Rulebook, compiled=None, store=None) -> Evaluator:  # type: ignore[no-untyped-def]
    key = (rulebook.directory, rulebook.digest)
    with _evaluators_lock:
        evaluator = _evaluators.get(key)
        if evaluator is None:
            evaluator = _evaluators[key] = Evaluator(compiled or rulebook, store=store)
            if store is not None:
                atexit.register(evaluator.save_memo)
    return evaluator


def engine_broken() -> bool:
    """Whether an evaluator of this process found durable_rules unusable (out of memory): its memory is the
    process's, so no evaluator may use it after that."""
    with _evaluators_lock:
        return any(evaluator.broken for evaluator in _evaluators.values())


def save_memos() -> None:
    """Keep the new outcomes of every evaluator of this process for later runs (a worker's exit skips atexit)."""
    with _evaluators_lock:
        evaluators = list(_evaluators.values())
    for evaluator in evaluators:
        evaluator.save_memo()
