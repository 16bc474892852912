"""The library API: load a rulebook and scenarios, evaluate, get a `Report`. No click here."""

from __future__ import annotations

import atexit
import os
import threading
from typing import TYPE_CHECKING, Any

from .report import Report, build_report

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from .scenario.models import Scenario
from .rulebook.model import Rulebook
from .rulebook.shipped import default_rules_dir
from .runtime import Evaluator, facts_from_data
from .scenario.load import load_scenario

_evaluators: dict[tuple[str, str], Evaluator] = {}
_evaluators_lock = threading.Lock()


def evaluator_for(rulebook: Rulebook | str | os.PathLike[str] | None = None) -> Evaluator:
    """The shared evaluator of a rulebook (the shipped 1997 one by default), compiled once per process.

    Given a directory, the compiled rulebook comes from the cache when the rule
    files have not changed since it was written.
    """
    from .cache import open_rulebook

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


def evaluate(
    scenario: Scenario | str | os.PathLike[str],
    *,
    rulebook: Rulebook | str | os.PathLike[str] | None = None,
    evaluator: Evaluator | None = None,
    source: str | None = None,
) -> Report:
    """Evaluate one scenario (a model, or the path of a scenario file) and return its report."""
    from .scenario.models import Scenario

    if not isinstance(scenario, Scenario):
        source = source or os.fspath(scenario)
        scenario = load_scenario(scenario)
    evaluator = evaluator or evaluator_for(rulebook)
    return evaluate_data(scenario.model_dump(mode="json"), evaluator, source=source or "<scenario>")


def evaluate_data(data: dict[str, Any], evaluator: Evaluator, *, source: str) -> Report:
    """Evaluate a scenario already validated into plain data (the form `Scenario.model_dump()` gives)."""
    facts = facts_from_data(data)
    results = evaluator.judge(facts)
    compiled = evaluator.compiled
    names = {area["id"]: area.get("name") or area["id"] for area in data.get("areas") or ()}
    date = data.get("date")
    return build_report(
        evaluator.rulebook,
        compiled.roles,
        list(evaluator.rulebook.notices),
        facts,
        results,
        scenario=data["scenario"],
        source=source,
        description=data.get("description"),
        date=str(date) if date else None,
        area_names=names,
    )


def shipped_scenarios() -> list[Path]:
    """The example scenario files of the source tree, if this is one."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "scenarios"
    return sorted(root.glob("*.yaml")) if root.is_dir() else []
