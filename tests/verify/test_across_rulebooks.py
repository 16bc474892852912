"""Across rulebooks: every verdict that differs between 1997 and 2015 is a change the 2015 brief lists.

The kinds of change (tests/verify/kinds_of_change.py) are data written from
section 6 of `guidelines-2015.md` and research-notes section 5, each a
predicate on a case and its two verdicts. Over a bounded space of scenarios
(the one `guidelines check --exhaustive` enumerates, every fifth scenario in
CI and all of them with HYPOTHESIS_PROFILE=deep) and on generated ones, every
case whose status differs must be of some kind, and every kind must occur.
"""

from __future__ import annotations

import itertools
import os
from collections import Counter
from typing import Any

from hypothesis import given

from engine.report.changes import changes
from engine.report.evaluate import evaluate_data
from engine.rete.evaluators import evaluator_for
from engine.rete.runtime import facts_from_data
from engine.rulebook.choice import choose
from engine.scenario.models import Scenario
from engine.verify.space import exhaustive_space
from engine.verify.strategies import scenario_data

from .kinds_of_change import KINDS, cases, explain

STRIDE = 1 if os.environ.get("HYPOTHESIS_PROFILE") == "deep" else 5


def _evaluators():
    return tuple(evaluator_for(choose(None, rulebook=r).directory) for r in ("1997", "2015"))


def _statuses(valid: dict[str, Any], evaluator) -> dict[str, list[tuple[str, str]]]:
    """Each role's cases as (subject, status): the verdicts alone, without the report built around them."""
    results = evaluator.judge(facts_from_data(valid))
    return {role.id: [(s["key"], o.status) for s, o in results[role.id]] for role in evaluator.rulebook.roles}


def unexplained(data: dict[str, Any], seen: Counter | None = None) -> list[str]:
    """The differences between the two rulebooks' verdicts on `data` that no kind explains."""
    valid = Scenario.model_validate(data).model_dump(mode="json")
    evaluators = _evaluators()
    verdicts = [_statuses(valid, e) for e in evaluators]
    if verdicts[0] == verdicts[1]:
        # No case differs, so no area, request or role differs either (they are made of the cases): the
        # reports, which cost most of the time, are built only where a verdict changes.
        for role, role_cases in cases(data).items():
            assert len(verdicts[0][role]) == len(role_cases), role
        return []
    first, second = (evaluate_data(valid, e, source="<generated>") for e in evaluators)
    out = []
    changed_cases: set[tuple[str, Any]] = set()
    for role, role_cases in cases(data).items():
        before, after = first.roles[role].cases, second.roles[role].cases
        assert len(before) == len(after) == len(role_cases), role
        for case, a, b in zip(role_cases, before, after, strict=True):
            if a.status == b.status:
                continue
            changed_cases.add((role, a.subject.get("named_area") or a.subject.get("area")))
            kinds = explain(case, a.status, b.status)
            if seen is not None:
                seen.update(kinds)
            if not kinds:
                out.append(f"{role} {a.subject['key']}: {a.status} -> {b.status} in {data}")
    # Every change of status `changes` lists (areas, requests, roll-ups) stands on a case that changed in that
    # role; a change of ground or procedure alone need not.
    for change in (c for c in changes(first, second) if c.kind == "status"):
        if not any(role == change.role for role, _ in changed_cases):
            out.append(f"{change.role} {change.area} {change.request}: a change with no changed case in {data}")
    return out


def test_every_difference_over_the_bounded_space_is_a_listed_kind_of_change():
    """guidelines-2015.md section 6 (and research-notes section 5): the changes, the changes the other way, and
    nothing else; each kind occurs somewhere in the space, so none is a dead letter."""
    seen: Counter = Counter()
    found: list[str] = []
    count = 0
    for data in itertools.islice(exhaustive_space(2), 0, None, STRIDE):
        count += 1
        found.extend(unexplained(data, seen))
    assert count > 20_000 // STRIDE
    assert not found, f"{len(found)} differences the brief does not explain, e.g.:\n" + "\n".join(found[:5])
    assert {kind.id for kind in KINDS} == set(seen), f"never seen: {sorted({k.id for k in KINDS} - set(seen))}"


@given(scenario_data(max_areas=4, max_events=6))
def test_every_difference_in_a_generated_scenario_is_a_listed_kind_of_change(data):
    """The same on generated scenarios: adjacency chains, several events per area, other forces, dates."""
    assert unexplained(data) == []


def test_the_kinds_of_change_cite_their_source():
    """Each kind names where the 2015 brief lists it: section 6, or section 7 (the third reading)."""
    for kind in KINDS:
        assert kind.cites.startswith(("B15 6", "B15 7")), kind.id
        assert kind.text and kind.id
