"""guidelines: the roles the U.S.-Japan Defense Guidelines and Japan's laws give Japan, as rules on durable_rules.

The library API, usable without the command line:

    from engine import evaluate, explain
    report = evaluate("scenarios/hormuz.yaml")
    report.statuses()            # {"minesweeping": "applies", ...}
    report.as_dict()             # the JSON report, as `guidelines evaluate --format json` prints it
    evaluate("scenarios/hormuz.yaml", rulebook="1997")   # as --rulebook 1997
    explain("scenarios/strait.yaml", phase="fighting").as_dict()  # as `guidelines explain --format json`
    flip("scenarios/strait.yaml", roles=("minesweeping",)).as_dict()  # as `guidelines flip --format json`

Each scenario (each phase of a phased one) is evaluated under the rulebook in
force on its date, as on the command line, unless `rulebook` names one.

Names are imported on first use, so importing one part stays cheap: importing
them all up front would load pydantic's models for every use.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import TYPE_CHECKING, Any

if sys.version_info < (3, 11) or sys.version_info >= (3, 13):  # pragma: no cover - depends on the interpreter
    raise ImportError(
        "guidelines runs on Python 3.11 and 3.12 only: its rule engine, durable_rules 2.0.28, "
        f"does not build or import on Python {sys.version_info.major}.{sys.version_info.minor}."
    )

__version__ = "0.1.0"

_EXPORTS = {
    "evaluate": "api",
    "explain": "api",
    "flip": "api",
    "evaluate_data": "report.evaluate",
    "evaluate_scenario": "report.evaluate",
    "evaluator_for": "rete.evaluators",
    "load_scenario": "api",
    "load_rulebook": "rulebook.load",
    "Rulebook": "rulebook.model",
    "Scenario": "scenario.models",
    "Report": "report.model",
    "Evaluator": "rete.runtime",
    "GuidelinesError": "errors",
    "InputError": "errors",
    "ScenarioError": "errors",
    "RulebookError": "errors",
    "EngineError": "errors",
    "Problem": "errors",
}

__all__ = [
    "EngineError",
    "Evaluator",
    "GuidelinesError",
    "InputError",
    "Problem",
    "Report",
    "Rulebook",
    "RulebookError",
    "Scenario",
    "ScenarioError",
    "evaluate",
    "evaluate_data",
    "evaluate_scenario",
    "evaluator_for",
    "explain",
    "flip",
    "load_rulebook",
    "load_scenario",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'engine' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:  # pragma: no cover
    from .api import evaluate, explain, load_scenario
    from .errors import EngineError, GuidelinesError, InputError, Problem, RulebookError, ScenarioError
    from .report.evaluate import evaluate_data, evaluate_scenario
    from .report.model import Report
    from .rete.evaluators import evaluator_for
    from .rete.runtime import Evaluator
    from .rulebook.load import load_rulebook
    from .rulebook.model import Rulebook
    from .scenario.models import Scenario
