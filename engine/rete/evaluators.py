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
from .cache import open_rulebook
from .runtime import Evaluator

_evaluators: dict[tuple[str, str], Evaluator] = {}
_evaluators_lock = threading.Lock()


def evaluator_for(rulebook: Rulebook | str | os.PathLike[str] | None = None) -> Evaluator:
    """The shared evaluator of a rulebook (the shipped 1997 one by default), compiled once per process.

    Given a directory, the compiled rulebook comes from the cache when the rule
    files have not changed since it was written.
    """
    compiled = store = None
    if not isinstance(rulebook, Rulebook):
        compiled, store = open_rulebook(rulebook if rulebook is not None else default_rules_dir())
        rulebook = compiled.rulebook
    key = (rulebook.directory, rulebook.digest)
    with _evaluators_lock:
        evaluator = _evaluators.get(key)
        if evaluator is None:
            evaluator = _evaluators[key] = Evaluator(compiled or rulebook, store=store)
            if store is not None:
                atexit.register(evaluator.save_memo)
    return evaluator
