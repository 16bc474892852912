"""The shipped scenarios: each meets its `expect:`, and together they reach every verdict."""

from __future__ import annotations

import pytest

from engine.api import evaluate
from engine.scenario.load import load_scenario
from engine.scenario.vocab import ROLE_IDS

from ..conftest import SCENARIOS

PATHS = sorted(SCENARIOS.glob("*.yaml"))


def expectations(path):
    """(role, area or None, expected status) triples of a scenario's `expect:` block."""
    for role, entry in (load_scenario(path).expect or {}).items():
        if isinstance(entry, str):
            yield role, None, entry
            continue
        if entry.status:
            yield role, None, entry.status
        for area, status in entry.areas.items():
            yield role, area, status


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_scenario_meets_its_expectations(evaluator, path):
    report = evaluate(path, evaluator=evaluator)
    for role, area, status in expectations(path):
        role_report = report.roles[role]
        got = role_report.status if area is None else role_report.areas[area].status
        assert got == status, f"{role}{'@' + area if area else ''}: expected {status}, got {got}"


def test_strait_covers_the_crisis_it_describes():
    """strait.yaml: China confronts Taiwan, U.S. requests, mines and persons in distress with and without combat."""
    strait = load_scenario(SCENARIOS / "strait.yaml")
    assert set(strait.us_forces.requests) >= {"civilian_airports", "civilian_ports", "hospitals"}
    combat = {a.id: a.combat for a in strait.areas}
    assert {combat[e.area] for e in strait.events if e.type == "mines"} == {"ongoing", "none"}
    assert {combat[e.area] for e in strait.events if e.type == "persons_in_distress"} >= {"ongoing", "none"}
    assert any(e.type == "refugee_flow" and e.toward == "japan" for e in strait.events)


def test_every_role_applies_and_is_blocked_somewhere(evaluator):
    """Across the shipped scenarios every role applies, and every role that can be blocked is, at least once."""
    seen = {role: set() for role in ROLE_IDS}
    for path in PATHS:
        for role, status in evaluate(path, evaluator=evaluator).statuses().items():
            seen[role].add(status)
    assert len(PATHS) >= 9
    for role in ROLE_IDS:
        if role != "logistic_support":  # no shipped scenario asks for logistic support Japan can give, yet
            assert "applies" in seen[role], role
        if role != "refugee_acceptance":  # no limit blocks accepting refugees
            assert "blocked" in seen[role], role
