"""Running rulesets on durable_rules: one sid per evaluation, no leaks, faults surfaced."""

from __future__ import annotations

import threading

import pytest

from engine.errors import EngineError
from engine.rete.host import native_message
from engine.rete.runtime import Evaluator, facts_from_data
from engine.rulebook.conditions import Scope
from engine.scenario import load

from ..conftest import SCENARIOS
from ..helpers import run, scenario


def shipped_data():
    return [load(p).scenario.model_dump(mode="json") for p in sorted(SCENARIOS.glob("*.yaml"))]


def test_memo_changes_nothing(rulebook):
    """Outcomes served from the memo equal those of a fresh durable_rules evaluation, node for node."""
    fresh = Evaluator(rulebook, memo=False)
    memo = Evaluator(rulebook, memo=True)
    for data in shipped_data() * 2:
        facts = facts_from_data(data)
        assert memo.judge(facts) == fresh.judge(facts)
    assert memo.evaluations < fresh.evaluations


def test_states_are_deleted(rulebook):
    """Far more evaluations than durable_rules' 1,024 live sids run without error: each state is deleted."""
    evaluator = Evaluator(rulebook, memo=False)
    data = scenario(
        areas=[{"id": "a", "kind": "high_seas"}], events=[{"type": "mines", "area": "a", "status": "active"}]
    )
    for _ in range(1500):
        assert run(evaluator, data).roles["minesweeping"].status == "blocked"
    assert evaluator.evaluations == 1500


def test_action_failure_is_an_engine_error(rulebook, monkeypatch):
    """An exception inside a rule action, which durable_rules would swallow, becomes an EngineError."""
    original = Evaluator._action

    def failing(self, ruleset, action):
        if action.kind == "verdict":

            def boom(c):
                raise RuntimeError("boom")

            return boom
        return original(self, ruleset, action)

    monkeypatch.setattr(Evaluator, "_action", failing)
    evaluator = Evaluator(rulebook, memo=False)
    with pytest.raises(EngineError, match="a rule action failed: RuntimeError: boom"):
        evaluator.judge(facts_from_data(scenario(areas=[{"id": "a", "kind": "japan"}])))


def test_native_errors_are_explained():
    assert "64" in native_message(Exception("Could not assert facts, error code: 303"))


def test_threads_agree_with_sequential(rulebook):
    """Evaluations from several threads give the same verdicts as sequential ones."""
    evaluator = Evaluator(rulebook, memo=False)
    datas = shipped_data()
    expected = [run(evaluator, d).statuses() for d in datas]
    results: dict[int, list] = {}

    def work(n: int) -> None:
        results[n] = [run(evaluator, d).statuses() for d in datas]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(results[n] == expected for n in range(4))


def test_facts_stay_far_from_durable_rules_property_limit(rulebook):
    """A fact never carries more properties than durable_rules allows (255), whatever the scenario."""
    from engine.scenario.fields import EVENT_PROPS

    facts = facts_from_data(
        scenario(
            operating=True,
            requests=["weapons"],
            areas=[{"id": "a", "kind": "japan"}],
            events=[{"type": "sanctions_shipping", "area": "a"}, {"type": "refugee_flow", "toward": "japan"}],
        )
    )
    assert max(len(f) + 1 for f in facts.all()) < 255  # +1: the session id
    assert len(EVENT_PROPS) < 32


def test_area_ids_that_look_like_internal_keys(fresh):
    """Areas named like the engine's own keys (scenario, e0, r0) are evaluated like any others."""

    def build(ids):
        kinds = ["high_seas", "foreign", "japan"]
        return scenario(
            operating=True,
            requests=["weapons"],
            areas=[{"id": i, "kind": k, "combat": "none"} for i, k in zip(ids, kinds, strict=True)],
            events=[{"type": "mines", "area": i, "status": "abandoned"} for i in ids]
            + [{"type": "persons_in_distress", "area": ids[1]}],
        )

    tricky = run(fresh, build(["scenario", "e0", "r0"]))
    plain = run(fresh, build(["a", "b", "c"]))
    for role_id, role in plain.roles.items():
        assert [c.status for c in tricky.roles[role_id].cases] == [c.status for c in role.cases]
        if role.areas is not None:
            assert [v.status for v in tricky.roles[role_id].areas.values()] == [v.status for v in role.areas.values()]


def test_facts_carry_the_links_the_rules_follow():
    """Events know the event before them in their area, areas their last event and their adjacent area,
    requests their force and place (inside Japan, a synthetic area, when they name none)."""
    from engine.scenario.models import Scenario
    from engine.scenario.vocab import JAPAN_AREA

    data = {
        "scenario": "links",
        "date": "2005-03-08",
        "situation": {"important_influence": True, "ceasefire": "formal"},
        "us_forces": {"operating": True, "requests": ["supplies", {"item": "transport", "area": "sea"}]},
        "other_forces": {"operating": False, "requests": [{"item": "hospitals", "area": "sea"}]},
        "areas": [{"id": "sea", "kind": "high_seas"}, {"id": "coast", "kind": "foreign", "adjacent_to": "sea"}],
        "events": [
            {"type": "mines", "area": "sea", "status": "active"},
            {"type": "refugee_flow", "toward": "japan"},
            {"type": "persons_in_distress", "area": "coast"},
            {"type": "persons_in_distress", "area": "sea", "who": "combatants"},
        ],
    }
    facts = facts_from_data(Scenario.model_validate(data).model_dump(mode="json"))
    assert facts.scenario["date"] == 20050308 and facts.scenario["ceasefire"] == "formal"
    assert facts.scenario["other_operating"] is False
    sea, coast = facts.areas
    assert (sea["adjacent"], sea["last"]) == ("n/a", "e3")
    assert (coast["adjacent"], coast["last"]) == ("sea", "e2")
    assert [(e["prev"], e["area"], e["adjacent"]) for e in facts.events] == [
        ("n/a", "sea", "n/a"),
        ("n/a", "n/a", "n/a"),
        ("n/a", "coast", "sea"),
        ("e0", "sea", "n/a"),
    ]
    assert [(r["key"], r["force"], r["item"], r["area"], r["index"]) for r in facts.requests] == [
        ("r0", "us", "supplies", JAPAN_AREA, 0),
        ("r1", "us", "transport", "sea", 1),
        ("r2", "other", "hospitals", JAPAN_AREA, 0),  # facilities are inside Japan, whatever area is named
    ]
    (japan,) = facts.places
    assert (japan["key"], japan["kind"], japan["combat"], japan["consent"]) == (JAPAN_AREA, "japan", "none", False)
    assert facts.subjects(Scope("area")) == facts.areas  # the synthetic area is no subject


def test_an_undated_scenario_has_date_zero():
    assert facts_from_data(scenario()).scenario["date"] == 0
