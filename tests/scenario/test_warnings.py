"""Validation warnings: valid scenarios that say something likely mistaken, each located, none an error."""

from __future__ import annotations

from pathlib import Path

from engine.scenario import load
from engine.scenario.warnings import scenario_warnings

WARNINGS = Path(__file__).parent.parent / "cli" / "fixtures" / "warnings" / "warnings.yaml"


def warnings_of(text: str) -> list:
    loaded = load(text, name="s.yaml")
    scenario, document = loaded.scenario, loaded.document
    return scenario_warnings(scenario.model_dump(mode="python"), document)


def test_each_warning_names_line_and_field():
    loaded = load(WARNINGS)
    scenario, document = loaded.scenario, loaded.document
    found = scenario_warnings(scenario.model_dump(mode="python"), document)
    assert [(w.line, w.field) for w in found] == [
        (3, "date"),
        (8, "us_forces.requests[0].area"),
        (10, "areas[0].combat"),
        (10, "areas[0].consent"),
        (11, "areas[1].adjacent_to"),
        (12, "areas[2].adjacent_to"),
    ]
    assert all(w.severity == "warning" and w.path == str(WARNINGS) for w in found)
    assert found[0].text() == (
        f"{WARNINGS}:3:7: date: the date is before the 1997 Guidelines existed (23 September 1997)"
    )


def test_what_does_not_warn():
    """Combat in Japan under an armed attack, consent: false anywhere, a foreign area next to the high seas,
    a logistic request with an area and a date from the Guidelines on are all as meant."""
    text = """
scenario: t
date: 1997-09-23
situation: {important_influence: true, armed_attack_on_japan: true}
us_forces: {operating: true, requests: [{item: transport, area: sea}]}
areas:
  - {id: home, kind: japan, combat: ongoing, consent: false}
  - {id: sea, kind: high_seas}
  - {id: coast, kind: foreign, consent: true, adjacent_to: sea}
"""
    assert warnings_of(text) == []
