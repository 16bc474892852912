"""Evaluating one validated scenario: facts in, the durable_rules outcomes, a `Report` out."""

from __future__ import annotations

from typing import Any

from ..rete.runtime import Evaluator, facts_from_data
from .model import Report, build_report


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
