"""The library API: load a rulebook and scenarios, evaluate, get a `Report`. No click here."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .report.evaluate import evaluate_scenario
from .report.model import Report
from .rete.evaluators import evaluator_for
from .rete.runtime import Evaluator
from .rulebook.model import Rulebook
from .scenario.load import load_scenario

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from .scenario.models import Scenario


def evaluate(
    scenario: Scenario | str | os.PathLike[str],
    *,
    rulebook: Rulebook | str | os.PathLike[str] | None = None,
    evaluator: Evaluator | None = None,
    source: str | None = None,
) -> Report:
    """Evaluate one scenario (a model, or the path of a scenario file) and return its report.

    A phased scenario is evaluated phase by phase: its report is the last phase's, with `phases` (each
    phase's report) and `changes` (what changed from one phase to the next).
    """
    from .scenario.models import Scenario

    if not isinstance(scenario, Scenario):
        source = source or os.fspath(scenario)
        scenario = load_scenario(scenario)
    evaluator = evaluator or evaluator_for(rulebook)
    return evaluate_scenario(scenario.model_dump(mode="json"), source=source or "<scenario>", evaluator=evaluator)


def shipped_scenarios() -> list[Path]:
    """The example scenario files of the source tree, if this is one."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "scenarios"
    return sorted(root.glob("*.yaml")) if root.is_dir() else []
