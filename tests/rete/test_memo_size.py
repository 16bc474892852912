"""The memo is bounded by an estimate of its size in bytes, not only by its count of outcomes.

A full memo is emptied and refilled; outcomes it served before, and those it
serves after, equal fresh runs on durable_rules.
"""

from __future__ import annotations

import random

import pytest

from engine.rete import runtime
from engine.rete.runtime import Evaluator, facts_from_data
from engine.scenario.models import Scenario
from engine.strategies import scenario_data

pytest.importorskip("hypothesis")


def generated(count: int) -> list:
    """Validated scenarios from the project's own generator, drawn deterministically."""
    from hypothesis import HealthCheck, given, settings

    found: list = []

    @settings(max_examples=count, derandomize=True, suppress_health_check=list(HealthCheck), database=None)
    @given(scenario_data())
    def collect(data):
        found.append(Scenario.model_validate(data).model_dump(mode="json"))

    collect()
    return found


def test_a_small_byte_limit_empties_the_memo_and_keeps_every_outcome(rulebook, fresh, monkeypatch):
    scenarios = generated(60)
    random.Random(7).shuffle(scenarios)
    monkeypatch.setattr(runtime, "MEMO_BYTES", 60_000)
    bounded = Evaluator(rulebook, memo=True)
    emptied = served = 0
    for data in scenarios:
        want = fresh.judge(facts_from_data(data))
        for _ in range(2):  # the second time, the outcomes come from the memo unless it had to be emptied
            before, runs = len(bounded._memo), bounded.evaluations
            got = bounded.judge(facts_from_data(data))
            assert bounded._memo_bytes <= runtime.MEMO_BYTES
            emptied += len(bounded._memo) < before
            served += bounded.evaluations == runs
            assert {u: [o for _, o in got[u]] for u in got} == {u: [o for _, o in want[u]] for u in want}
    assert emptied > 0  # the limit was reached, so the memo really was emptied along the way
    assert served > 0  # and it still served outcomes


def test_outcomes_known_before_are_not_counted_again_when_their_ruleset_runs_for_others():
    """The memo's size counts each kept outcome once: a phased file whose every phase has a new date runs the
    date's notice every phase, and recounting the notices already known made the memo look full and empty
    itself, so every phase after that ran every ruleset again."""
    from engine.rulebook.load import load_rulebook
    from tests.conftest import ROOT

    evaluator = Evaluator(load_rulebook(ROOT / "rules" / "2015"), memo=True)
    data = Scenario.model_validate(
        {
            "scenario": "many dates",
            "situation": {"important_influence": True},
            "areas": [{"id": f"a{i}", "kind": "high_seas"} for i in range(20)],
            "events": [{"type": "mines", "area": f"a{i}", "status": "abandoned"} for i in range(20)],
        }
    ).model_dump(mode="json")
    first = None
    for day in range(1, 29):
        runs = evaluator.evaluations
        got = evaluator.judge(facts_from_data({**data, "date": f"2015-02-{day:02d}"}))
        statuses = {unit: [outcome.status for _, outcome in found] for unit, found in got.items()}
        assert statuses == (first := first or statuses)
        if day > 1:  # only the date's notice is new: the roles' outcomes are known
            assert evaluator.evaluations == runs + 1
    counted = sum(runtime._footprint(key, outcome) for key, outcome in evaluator._memo.items())
    assert evaluator._memo_bytes == counted
