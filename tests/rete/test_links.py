"""The constructs of the version 2 rule language on durable_rules: grounds, `adjacent:`, `some_event:`, dates.

The engine's node values are compared with a plain Python reading of the same
formulas (`engine.verify.invariants.holds`, which shares no code with the
compiler), and outcomes served by the memo with those of fresh runs.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given

from engine.report.evaluate import evaluate_data
from engine.rete.runtime import Evaluator, facts_from_data
from engine.scenario.models import Scenario
from engine.strategies import scenario_data
from engine.verify.invariants import bundle_of, holds


def valid(data: dict[str, Any]) -> dict[str, Any]:
    return Scenario.model_validate(data).model_dump(mode="json")


def statuses(evaluator: Evaluator, data: dict[str, Any], role: str) -> list[str]:
    return [c.status for c in evaluate_data(valid(data), evaluator, source="t").roles[role].cases]


def named_traces(compiled_role):
    """(formula, trace) of every trigger, ground, limit, variant and constraint of a role."""
    role = compiled_role.role
    pairs = list(zip([n.formula for n in role.triggers], compiled_role.triggers, strict=True))
    pairs += zip([n.formula for n in role.limits], compiled_role.limits, strict=True)
    for ground, compiled in zip(role.grounds, compiled_role.grounds, strict=True):
        if ground.when is not None:
            pairs.append((ground.when.formula, compiled.when))
        pairs += [(v.when.formula, t) for v, t in zip(ground.variants, compiled.variants, strict=True) if v.when]
        pairs += [(c.when.formula, t) for c, t in zip(ground.constraints, compiled.constraints, strict=True) if c.when]
    pairs += [(c.when.formula, t) for c, t in zip(role.constraints, compiled_role.constraints, strict=True) if c.when]
    return pairs


@given(scenario_data())
def test_every_node_value_agrees_with_a_plain_reading(fresh_v2, data):
    """For every generated scenario (adjacency, several events per area, dates), each trigger, ground, limit,
    variant and constraint the engine evaluated has the value a plain Python reading of its formula gives."""
    facts = facts_from_data(valid(data))
    results = fresh_v2.judge(facts)
    rulebook = fresh_v2.rulebook
    for role_id, compiled in fresh_v2.compiled.roles.items():
        pairs = named_traces(compiled)
        for subject, outcome in results[role_id]:
            bundle = bundle_of(subject, facts)
            for formula, trace in pairs:
                assert outcome.value(trace.ref) == holds(formula, bundle, rulebook), (role_id, subject["key"], formula)


@pytest.fixture(scope="module")
def memo_v2(rulebook_v2) -> Evaluator:
    """One evaluator with the memo for the whole module, so later scenarios are answered from earlier ones."""
    return Evaluator(rulebook_v2, memo=True)


@given(scenario_data())
def test_memo_on_and_off_agree(fresh_v2, memo_v2, data):
    """Outcomes served from the memo (keyed by what each unit reads, following links and folds) equal those of
    a fresh durable_rules run: verdicts, node values, compared values and the events that made folds true."""
    facts = facts_from_data(valid(data))
    assert memo_v2.judge(facts) == fresh_v2.judge(facts)


def test_the_memo_is_used(fresh_v2, rulebook_v2):
    memo = Evaluator(rulebook_v2, memo=True)
    data = valid(RESCUE_NEXT_DOOR)
    for _ in range(3):
        assert memo.judge(facts_from_data(data)) == fresh_v2.judge(facts_from_data(data))
    assert memo.evaluations == 1


RESCUE_NEXT_DOOR = {
    "scenario": "Rescue next door",
    "situation": {"important_influence": True},
    "areas": [
        {"id": "sea", "kind": "high_seas"},
        {"id": "coast", "kind": "foreign", "consent": True, "adjacent_to": "sea"},
    ],
    "events": [
        {"type": "persons_in_distress", "area": "coast"},
        {"type": "mines", "area": "sea", "status": "active"},
        {"type": "persons_in_distress", "area": "sea", "who": "combatants"},
    ],
}


def test_a_rescue_next_door_reaches_a_foreign_sea(fresh_v2):
    """The foreign sea's verdict follows the adjacent area: a rescue of combatants there lets it apply."""
    assert statuses(fresh_v2, RESCUE_NEXT_DOOR, "search_and_rescue") == ["applies", "applies"]
    report = evaluate_data(valid(RESCUE_NEXT_DOOR), fresh_v2, source="t")
    coast = report.roles["search_and_rescue"].cases[0]
    assert coast.area == "coast"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["events"].pop(2), "blocked"),  # no combatants next door
        (lambda d: d["events"][2].update(who="noncombatants"), "blocked"),
        (lambda d: d["areas"][0].update(combat="expected"), "blocked"),  # next door is no rear area
        (lambda d: d["areas"][1].pop("adjacent_to"), "blocked"),  # not adjacent to anything
        (lambda d: d["areas"][1].update(consent=False), "blocked"),
        (lambda d: d["situation"].update(important_influence=False), "not_triggered"),
        (lambda d: d["events"].insert(0, {"type": "persons_in_distress", "area": "sea", "who": "combatants"}), "applies"),
    ],
    ids=["no-combatants", "noncombatants", "combat-expected", "not-adjacent", "no-consent", "no-determination", "two-groups"],
)  # fmt: skip
def test_what_the_foreign_sea_depends_on(fresh_v2, change, expected):
    import copy

    data = copy.deepcopy(RESCUE_NEXT_DOOR)
    change(data)
    coast = [i for i, e in enumerate(data["events"]) if e.get("area") == "coast"][0]
    assert statuses(fresh_v2, data, "search_and_rescue")[coast] == expected


def test_adjacency_does_not_chain(fresh_v2):
    """A foreign sea next to another foreign sea next to a rescue is not next to the rescue."""
    data = {
        "scenario": "Chain",
        "situation": {"important_influence": True},
        "areas": [
            {"id": "sea", "kind": "high_seas"},
            {"id": "near", "kind": "foreign", "consent": True, "adjacent_to": "sea"},
            {"id": "far", "kind": "foreign", "consent": True, "adjacent_to": "near"},
        ],
        "events": [
            {"type": "persons_in_distress", "area": "sea", "who": "combatants"},
            {"type": "persons_in_distress", "area": "near", "who": "combatants"},
            {"type": "persons_in_distress", "area": "far"},
        ],
    }
    assert statuses(fresh_v2, data, "search_and_rescue") == ["applies", "applies", "blocked"]


def test_some_event_sees_every_event_of_its_area_and_no_other(fresh_v2):
    """Noncombatants are met during an operation wherever combatants are rescued in the same area, whatever
    the order of the events; combatants elsewhere do not count."""
    base = {
        "scenario": "Fold",
        "situation": {"important_influence": True},
        "areas": [{"id": "a", "kind": "japan", "combat": "ongoing"}, {"id": "b", "kind": "japan"}],
    }
    pid = {"type": "persons_in_distress", "area": "a"}
    combatants = {"type": "persons_in_distress", "area": "a", "who": "combatants"}
    elsewhere = {"type": "persons_in_distress", "area": "b", "who": "combatants"}
    mines = {"type": "mines", "area": "a", "status": "active"}
    for events in ([pid, mines, combatants], [combatants, pid], [mines, mines, pid, combatants]):
        report = evaluate_data(valid({**base, "events": events}), fresh_v2, source="t")
        case = next(c for c in report.roles["search_and_rescue"].cases if c.label == "noncombatants in distress")
        held = case.outcome.folds
        assert case.status == "applies", events
        assert list(held.values()) and all(events[p]["area"] == "a" for p in sum(held.values(), ()))
    report = evaluate_data(valid({**base, "events": [pid, elsewhere]}), fresh_v2, source="t")
    folds = report.roles["search_and_rescue"].cases[0].outcome.folds
    assert folds and all(held == () for held in folds.values())  # the combatants are in another area


@pytest.mark.parametrize(
    ("date", "shown"),
    [(None, False), ("1999-08-24", True), ("1999-08-25", False), ("2020-01-01", False)],
    ids=["undated", "day-before", "the-day", "later"],
)
def test_dates_compare_as_days(fresh_v2, date, shown):
    """`before` is false when the scenario is undated, and a date is not before itself."""
    data = {"scenario": "Dated", "situation": {"important_influence": True}}
    if date:
        data["date"] = date
    report = evaluate_data(valid(data), fresh_v2, source="t")
    assert any(n.id == "before_the_law" for n in report.notices) == shown


def test_stored_outcomes_of_folds_and_adjacency_are_used_again(tmp_path, rulebook_v2, fresh_v2):
    """Outcomes whose keys hold what folds read (nested) are stored, read back and used, not run again."""
    from engine.rete.compiler import compile_rulebook
    from engine.rete.memo import MemoStore

    data = valid(RESCUE_NEXT_DOOR)
    compiled = compile_rulebook(rulebook_v2)
    first = Evaluator(compiled, store=MemoStore(str(tmp_path / "memo.json"), compiled, "k"))
    expected = first.judge(facts_from_data(data))
    first.save_memo()
    again = Evaluator(compiled, store=MemoStore(str(tmp_path / "memo.json"), compiled, "k"))
    assert again.judge(facts_from_data(data)) == expected == fresh_v2.judge(facts_from_data(data))
    assert again.evaluations == 0
