"""Checking a rulebook against its invariants on generated and enumerated scenarios.

`check_generated` lets hypothesis generate scenarios and, when an invariant
fails, shrink the scenario to a small counterexample. `check_exhaustive`
enumerates a bounded space of scenarios (see `exhaustive_space`) and checks
every one. Both read the engine's outcomes for each case and test them against
the invariants; neither trusts the rules they are checking.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..report.build import case_area
from ..rete.outcome import Outcome
from ..rete.runtime import Evaluator, Facts, facts_from_data
from ..rulebook.conditions import field_paths
from ..rulebook.describe import words
from ..scenario.models import Scenario
from .invariants import BLOCKED_NAMES_A_LIMIT, GROUND_BEFORE_IN_FORCE, Invariant, bundle_of, holds
from .space import exhaustive_space


@dataclass(frozen=True, slots=True)
class Violation:
    """A case that broke an invariant, in the scenario where it did."""

    invariant: str
    text: str
    basis: tuple[str, ...]
    role: str
    subject: str  # the case's key: an area id, e0, r0...
    area: str | None
    status: str
    data: dict[str, Any]

    @property
    def where(self) -> str:
        return self.role + (f"@{self.area}" if self.area else "")


@dataclass(slots=True)
class CheckResult:
    mode: str  # generated | exhaustive
    checked: int
    invariants: int
    violations: list[Violation] = field(default_factory=list)
    seed: int | None = None

    @property
    def ok(self) -> bool:
        return not self.violations


def _facts(data: dict[str, Any]) -> Facts:
    """Engine facts of scenario data as a file holds it (defaults filled in by the model)."""
    return facts_from_data(Scenario.model_validate(data).model_dump(mode="json"))


def violations_in(evaluator: Evaluator, invariants: list[Invariant], data: dict[str, Any]) -> list[Violation]:
    """Every invariant a scenario's cases break (one violation per invariant and case)."""
    facts = _facts(data)
    results = evaluator.judge(facts)
    rulebook = evaluator.rulebook
    found: list[Violation] = []
    for role in rulebook.roles:
        compiled = evaluator.compiled.roles[role.id]
        for subject, outcome in results[role.id]:
            area = case_area(subject)
            bundle = bundle_of(subject, facts)
            for invariant in invariants:
                if role.id not in invariant.when or outcome.status not in invariant.never:
                    continue
                if holds(invariant.when[role.id], bundle, rulebook):
                    found.append(
                        Violation(
                            invariant.id, invariant.text, invariant.basis, role.id, subject["key"], area,
                            outcome.status, data,
                        )
                    )  # fmt: skip
            if outcome.status == "blocked" and not any(outcome.value(t.ref) for t in compiled.limits):
                found.append(
                    Violation(
                        BLOCKED_NAMES_A_LIMIT,
                        "A blocked case names the limit that blocks it.",
                        ("scenario contract",),
                        role.id, subject["key"], area, outcome.status, data,
                    )
                )  # fmt: skip
            day = str(data.get("date") or "")
            early = [
                g for g, t in zip(role.grounds, compiled.grounds, strict=True)
                if g.in_force and day and day < g.in_force[1] and t.ref is not None and outcome.value(t.ref)
            ]  # fmt: skip
            for ground in early:
                law, since = ground.in_force or ("", "")
                found.append(
                    Violation(
                        GROUND_BEFORE_IN_FORCE,
                        f"No ground holds before its law is in force ({ground.id}: {law}, from {since}).",
                        (law,),
                        role.id, subject["key"], area, outcome.status, data,
                    )
                )  # fmt: skip
    return found


class _Found(Exception):
    def __init__(self, violations: list[Violation]) -> None:
        super().__init__(violations[0].invariant)
        self.violations = violations


def check_generated(
    evaluator: Evaluator,
    invariants: list[Invariant],
    *,
    examples: int = 500,
    seed: int = 0,
    max_areas: int = 4,
    max_events: int = 6,
    progress: Callable[[int], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> CheckResult:
    """Check invariants on `examples` generated scenarios; on failure, the shrunk counterexample.

    `stop` is asked before each scenario; when it says yes, the run ends with
    KeyboardInterrupt, which hypothesis lets through at once (anything else
    raised while it generates or runs a scenario, it takes for a failure).
    """
    # hypothesis only for the generated run, not for --exhaustive
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as fix_seed

    from .strategies import scenario_data

    count = 0
    last: list[Violation] = []

    @fix_seed(seed)
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        print_blob=False,
    )
    @given(scenario_data(max_areas=max_areas, max_events=max_events))
    def property_(data: dict[str, Any]) -> None:
        nonlocal count, last
        if stop is not None and stop():
            raise KeyboardInterrupt
        count += 1
        if progress:
            progress(count)
        found = violations_in(evaluator, invariants, data)
        if found:
            last = found
            raise _Found(found)

    result = CheckResult("generated", 0, len(invariants) + 2, seed=seed)
    try:
        property_()
    except _Found:
        result.violations = [minimise(v, evaluator, invariants) for v in _first_per_invariant(last)]
    result.checked = count
    return result


def _first_per_invariant(violations: list[Violation]) -> list[Violation]:
    seen: dict[str, Violation] = {}
    for violation in violations:
        seen.setdefault(violation.invariant, violation)
    return list(seen.values())


def _without(mapping: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if k != key}


def _smaller(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Scenarios one step smaller than `data`: an area (with its events and the references to it), an event, a
    request or a key less."""
    for i, area in enumerate(data.get("areas") or []):
        gone = area["id"]
        smaller = dict(data)
        smaller["areas"] = [
            _without(a, "adjacent_to") if a.get("adjacent_to") == gone else a
            for j, a in enumerate(data["areas"])
            if j != i
        ]
        smaller["events"] = [e for e in data.get("events") or [] if e.get("area") != gone]
        for force in ("us_forces", "other_forces"):
            if force in data:
                requests = data[force].get("requests") or []
                kept = [r for r in requests if not (isinstance(r, dict) and r.get("area") == gone)]
                smaller[force] = {**data[force], "requests": kept}
        yield smaller
    for i in range(len(data.get("events") or [])):
        yield {**data, "events": [e for j, e in enumerate(data["events"]) if j != i]}
    for force in ("us_forces", "other_forces"):
        requests = (data.get(force) or {}).get("requests") or []
        for i in range(len(requests)):
            yield {**data, force: {**data[force], "requests": [r for j, r in enumerate(requests) if j != i]}}
    for key in ("description", "date", "expect", "us_forces", "other_forces"):
        if key in data:
            yield _without(data, key)
    for i, area in enumerate(data.get("areas") or []):
        for key in ("name", "consent", "combat", "adjacent_to"):
            if key in area:
                yield {**data, "areas": [_without(a, key) if j == i else a for j, a in enumerate(data["areas"])]}
    for i, event in enumerate(data.get("events") or []):
        for key in ("who", "conflict", "rescue_under_way", "flag_state_consent", "vessels"):
            if key in event:
                yield {**data, "events": [_without(e, key) if j == i else e for j, e in enumerate(data["events"])]}
    for key in ("armed_attack_on_japan", "survival_threatening", "un_sanctions_resolution", "ceasefire"):
        if key in data["situation"]:
            yield {**data, "situation": _without(data["situation"], key)}


def minimise(violation: Violation, evaluator: Evaluator, invariants: list[Invariant]) -> Violation:
    """The violation in the smallest scenario still showing it, removing one thing at a time."""
    current = violation
    improved = True
    while improved:
        improved = False
        for candidate in _smaller(current.data):
            again = [v for v in violations_in(evaluator, invariants, candidate) if v.invariant == violation.invariant]
            if again:
                current = again[0]
                improved = True
                break
    return current


def check_exhaustive(
    evaluator: Evaluator,
    invariants: list[Invariant],
    *,
    max_areas: int = 2,
    progress: Callable[[int], None] | None = None,
) -> CheckResult:
    """Check invariants on every scenario of `exhaustive_space(max_areas)`."""
    result = CheckResult("exhaustive", 0, len(invariants) + 2)
    found: list[Violation] = []
    for data in exhaustive_space(max_areas):
        result.checked += 1
        if progress and result.checked % 500 == 0:
            progress(result.checked)
        found.extend(
            v for v in violations_in(evaluator, invariants, data) if v.invariant not in {f.invariant for f in found}
        )
    result.violations = [minimise(v, evaluator, invariants) for v in found]
    return result


# ----------------------------------------------------------------------------
# Reporting a violation


def culprits(evaluator: Evaluator, violation: Violation, invariant: Invariant | None = None) -> list[str]:
    """The rules that produced the violating verdict, as `file:line: role item: condition`.

    Items that read the fields the invariant is about come first, as the likely
    culprits; the role's other relevant items follow.
    """
    results = evaluator.judge(_facts(violation.data))
    outcome: Outcome | None = next(
        (o for subject, o in results[violation.role] if subject["key"] == violation.subject), None
    )
    if outcome is None:  # pragma: no cover - the violation came from this very evaluation
        return []

    role = evaluator.rulebook.role(violation.role)
    compiled = evaluator.compiled.roles[violation.role]
    grounds = [
        (g.when, c.when) for g, c in zip(role.grounds, compiled.grounds, strict=True) if g.when and c.when is not None
    ]
    held = (
        {("trigger", n.id): outcome.value(t.ref) for n, t in zip(role.triggers, compiled.triggers, strict=True)}
        | {("ground", n.id): outcome.value(t.ref) for n, t in grounds}
        | {("limit", n.id): outcome.value(t.ref) for n, t in zip(role.limits, compiled.limits, strict=True)}
    )
    reasons = [("ground", n) for n, _ in grounds]
    if violation.status == "applies":
        items = [(kind, n) for kind, n in reasons if held[(kind, n.id)]] + [("limit", n) for n in role.limits]
    elif violation.status == "blocked":
        items = [("limit", n) for n in role.limits if held[("limit", n.id)]]
        items += [(kind, n) for kind, n in reasons if not held[(kind, n.id)]]
    else:
        items = [("trigger", n) for n in role.triggers if not held[("trigger", n.id)]]
    formula = invariant.when.get(violation.role) if invariant else None
    watched = field_paths(formula) if formula is not None else set()
    related = [(kind, n) for kind, n in items if field_paths(n.formula) & watched]
    lines = []
    for kind, named in related or items:
        where = f"{named.file}:{named.line}" if named.line else named.file
        state = "held" if held[(kind, named.id)] else "did not hold"
        lines.append(f"{where}: {violation.role} {kind} {named.id} {state}: {words(named.formula)}")
    return lines


def counterexample_yaml(violation: Violation) -> str:
    """The violating scenario as a scenario file, saying what it shows."""
    # strategies imports hypothesis: only a counterexample needs it
    from .strategies import to_yaml

    data = dict(violation.data)
    data["scenario"] = f"Counterexample to {violation.invariant}"
    data["description"] = (
        f"{violation.text} [{', '.join(violation.basis)}] Yet here {violation.where} "
        f"({violation.subject}) comes out {violation.status}."
    )
    ordered = {"scenario": data.pop("scenario"), "description": data.pop("description"), **data}
    return f"# Written by `guidelines check`: a scenario that breaks invariant {violation.invariant}.\n" + to_yaml(
        ordered
    )
