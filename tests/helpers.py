"""Small builders for scenarios in tests."""

from __future__ import annotations

from typing import Any

from engine.api import evaluate_data
from engine.models import Scenario


def scenario(
    *,
    influence: bool = True,
    attack: bool = False,
    resolution: bool = False,
    operating: bool = False,
    requests: list[str] | None = None,
    areas: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A valid scenario as plain data, validated through the model."""
    data = {
        "scenario": "test",
        "situation": {
            "important_influence": influence,
            "armed_attack_on_japan": attack,
            "un_sanctions_resolution": resolution,
        },
        "us_forces": {"operating": operating, "requests": requests or []},
        "areas": areas or [],
        "events": events or [],
    }
    return Scenario.model_validate(data).model_dump(mode="json")


def run(evaluator, data: dict[str, Any]):
    return evaluate_data(data, evaluator, source="<test>")
