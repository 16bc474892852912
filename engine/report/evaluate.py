"""Evaluating one validated scenario: its rulebook chosen, facts in, the durable_rules outcomes, a `Report` out."""

from __future__ import annotations

from typing import Any

from ..errors import Problem
from ..rete.runtime import Evaluator, facts_from_data
from .model import Report, build_report


def evaluate_data(
    data: dict[str, Any],
    evaluator: Evaluator,
    *,
    source: str,
    warnings: list[Problem] | None = None,
    rulebook_reason: str | None = None,
) -> Report:
    """Evaluate a scenario already validated into plain data (the form `Scenario.model_dump()` gives).

    `warnings` are the scenario's validation warnings, located in its file; by
    default they are worked out from the data, naming the field but no line.
    `rulebook_reason` says why the evaluator's rulebook is the one used; by
    default it is worked out from where the rulebook lives.
    """
    if rulebook_reason is None:
        from ..rulebook.choice import reason_for

        rulebook_reason = reason_for(evaluator.rulebook.directory, data.get("date"))
    if warnings is None:
        from ..scenario.warnings import scenario_warnings

        warnings = scenario_warnings(data, path=source)
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
        warnings=warnings,
        rulebook_reason=rulebook_reason,
    )


def evaluate_scenario(
    data: dict[str, Any],
    *,
    source: str,
    rulebook: str | None = None,
    rules_dir: str | None = None,
    warnings: list[Problem] | None = None,
) -> Report:
    """Evaluate validated scenario data under the rulebook chosen for it, saying why in the report.

    That is the rulebook in force on the scenario's date, unless `rulebook` (a
    shipped id, `--rulebook`) or `rules_dir` (any directory, `--rules`) says
    otherwise; see `engine.rulebook.choice`.
    """
    from ..rete.evaluators import evaluator_for
    from ..rulebook.choice import choose

    chosen = choose(data.get("date"), rulebook=rulebook, rules_dir=rules_dir)
    evaluator = evaluator_for(chosen.directory)
    return evaluate_data(data, evaluator, source=source, warnings=warnings, rulebook_reason=chosen.reason)
