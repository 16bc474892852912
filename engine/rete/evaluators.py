"""One evaluator per rulebook and process, shared by every evaluation there.

Compiling a rulebook and starting durable_rules happen once per process; the
memo of the shared evaluator serves every later scenario and is saved at exit.
"""

from __future__ import annotations

import atexit
import os
import threading

from ..rulebook.model import Rulebook
from ..rulebook.shipped import default_rules_dir
from .cache import key, open_rulebook
from .runtime import Evaluator

_evaluators: dict[tuple[str, str], Evaluator] = {}
_by_files: dict[tuple[str, str], tuple[str, str]] = {}  # (directory, cache key of its files) -> its evaluator's key
_evaluators_lock = threading.Lock()


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
    try:
        printed = key(directory) if os.path.isdir(directory) else ""
    except OSError:
        printed = ""
    known = _evaluators.get(_by_files.get((directory, printed), ("", ""))) if printed else None
    if known is not None:
        return known
    compiled, store = open_rulebook(directory)
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


def save_memos() -> None:
    """Keep the new outcomes of every evaluator of this process for later runs (a worker's exit skips atexit)."""
    with _evaluators_lock:
        evaluators = list(_evaluators.values())
    for evaluator in evaluators:
        evaluator.save_memo()
