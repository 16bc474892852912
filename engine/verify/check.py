"""Checking a rulebook against its invariants on generated and enumerated scenarios.

`check_generated` lets hypothesis generate scenarios and, when an invariant
fails, shrink the scenario to a small counterexample. `check_exhaustive`
enumerates a bounded space of scenarios (see `exhaustive_space`) and checks
every one. Both read the engine's outcomes for each case and test them against
the invariants; neither trusts the rules they are checking.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..report.model import case_area
from ..rete.outcome import Outcome
from ..rete.runtime import Evaluator, Facts, facts_from_data
from ..scenario.vocab import AREA_KINDS, CEASEFIRES, COMBATS, CONFLICTS, MINE_STATUSES, REQUESTS, VESSELS, WHOS
from .invariants import BLOCKED_NAMES_A_LIMIT, GROUND_BEFORE_IN_FORCE, Invariant, bundle_of, holds


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
    from ..scenario.models import Scenario

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


# ----------------------------------------------------------------------------
# The enumerated space


ITEMS_PLACES = 1 + len(AREA_KINDS) * len(COMBATS) * 2  # inside Japan, or one area of every variant
# Before the Guidelines; the day before Law No. 60 of 1999 and Law No. 145 of 2000 came into force; before and
# after January 2007; the day before the 2015 legislation came into force, and after it.
DATES = ("1996-03-08", "1999-08-24", "2001-02-28", "2005-06-01", "2010-06-01", "2016-03-28", "2020-06-01")


def _situations(*keys: str) -> Iterator[dict[str, Any]]:
    """Every combination of the situation's booleans named, and of the ceasefire when named."""
    booleans = [k for k in keys if k != "ceasefire"]
    ceasefires = CEASEFIRES if "ceasefire" in keys else (None,)
    for values in itertools.product((True, False), repeat=len(booleans)):
        for ceasefire in ceasefires:
            situation = dict(zip(booleans, values, strict=True))
            situation.setdefault("important_influence", True)
            if ceasefire is not None:
                situation["ceasefire"] = ceasefire
            yield situation


ALL_SITUATION = ("important_influence", "armed_attack_on_japan", "survival_threatening", "un_sanctions_resolution")
GATES = ("important_influence", "armed_attack_on_japan", "survival_threatening")


def _areas(area_id: str, kinds: tuple[str, ...] = AREA_KINDS) -> Iterator[dict[str, Any]]:
    for kind, combat, consent in itertools.product(kinds, COMBATS, (False, True)):
        yield {"id": area_id, "kind": kind, "combat": combat, "consent": consent}


def _area_events(area_id: str) -> Iterator[list[dict[str, Any]]]:
    """No event, or one event of each kind and value that happens in an area."""
    yield []
    yield from ([event] for event in _single_events(area_id))


def _single_events(area_id: str) -> Iterator[dict[str, Any]]:
    for status, conflict in itertools.product(MINE_STATUSES, CONFLICTS):
        yield {"type": "mines", "area": area_id, "status": status, "conflict": conflict}
    for who, under_way in itertools.product(WHOS, (False, True)):
        yield {"type": "persons_in_distress", "area": area_id, "who": who, "rescue_under_way": under_way}
    for consent, vessels in itertools.product((False, True), VESSELS):
        yield {"type": "sanctions_shipping", "area": area_id, "flag_state_consent": consent, "vessels": vessels}


def _fold_events(area_id: str) -> list[dict[str, Any]]:
    """Events that rules look for among others in an area, for every ordered pair of them."""
    return [
        {"type": "persons_in_distress", "area": area_id, "who": "combatants"},
        {"type": "persons_in_distress", "area": area_id, "who": "combatants", "rescue_under_way": True},
        {"type": "persons_in_distress", "area": area_id, "who": "noncombatants"},
        {"type": "mines", "area": area_id, "status": "abandoned", "conflict": "past"},
        {"type": "mines", "area": area_id, "status": "active"},
        {"type": "sanctions_shipping", "area": area_id, "flag_state_consent": True},
    ]


def exhaustive_space(max_areas: int = 2) -> Iterator[dict[str, Any]]:
    """Every scenario of a bounded space, smallest first (`space_size` counts them).

    - areas: every situation (the determination, an armed attack, a
      survival-threatening situation, a UN resolution: 16, each with every
      ceasefire: 48) with one area of every kind, combat and consent (24)
      holding no event or one event of every type and value (15): 17,280;
    - requests, one at a time (requests are judged one by one): with and
      without the determination, an armed attack and a survival-threatening
      situation (8), each force (2) asking, with U.S. and other forces
      operating or not (4), for each item (10), inside Japan or in one area
      of every variant (25): 16,000;
    - refugees: every situation of the areas, with no refugee flow, a flow
      toward Japan or elsewhere, and an evacuation or none: 288;
    - adjacency: with and without the determination, an armed attack and a
      survival-threatening situation (8), a foreign area of every combat and
      consent (6) holding no event or one of every value (15), next to an area
      of every kind and combat (12; Japanese territory and the high seas are
      what the law means, the others what a rule must not be fooled by)
      holding nothing, combatants or noncombatants in distress, or combatants
      whose rescue is under way (4): 34,560;
    - several events in one area: every ordered pair of six events that rules
      look for among others (36), in one area of every variant (24), with and
      without the determination, an armed attack and a survival-threatening
      situation (8): 6,912;
    - dates: seven dates (before the Guidelines, the eves of Law No. 60 of
      1999 and Law No. 145 of 2000, before and after January 2007, the eve of
      the 2015 legislation and after it), with and without an armed attack and a
      survival-threatening situation (4), for one area of every variant
      holding every single event (24 x 14), and for every request of U.S.
      forces inside Japan or in every area (10 x 25): 16,408;
    - up to `max_areas` areas side by side: with the determination made, with
      and without a UN resolution, a first area of every variant holding every
      single event, beside further areas of every variant holding none
      (17,280 for two areas).
    """
    for situation in _situations(*ALL_SITUATION, "ceasefire"):
        for area in _areas("a"):
            for events in _area_events("a"):
                yield {"scenario": "enumerated", "situation": situation, "areas": [area], "events": events}
    places: list[dict[str, Any] | None] = [None, *_areas("a")]
    for situation in _situations(*GATES):
        for force, us, other in itertools.product(("us", "other"), (True, False), (True, False)):
            for item, place in itertools.product(REQUESTS, places):
                request: Any = item if place is None else {"item": item, "area": "a"}
                data: dict[str, Any] = {
                    "scenario": "enumerated",
                    "situation": situation,
                    "us_forces": {"operating": us, "requests": [request] if force == "us" else []},
                    "other_forces": {"operating": other, "requests": [request] if force == "other" else []},
                }
                if place is not None:
                    data["areas"] = [place]
                yield data
    for situation in _situations(*ALL_SITUATION, "ceasefire"):
        for toward in (None, "japan", "elsewhere"):
            for evacuation in (False, True):
                events = ([{"type": "refugee_flow", "toward": toward}] if toward else []) + (
                    [{"type": "evacuation"}] if evacuation else []
                )
                yield {"scenario": "enumerated", "situation": situation, "events": events}
    for situation in _situations(*GATES):
        for foreign in _areas("coast", ("foreign",)):
            for events in _area_events("coast"):
                for combat in COMBATS:
                    for kind in AREA_KINDS:
                        near = {"id": "sea", "kind": kind, "combat": combat}
                        for there in (None, *_fold_events("sea")[:3]):
                            yield {
                                "scenario": "enumerated",
                                "situation": situation,
                                "areas": [{**foreign, "adjacent_to": "sea"}, near],
                                "events": events + ([there] if there else []),
                            }
    for situation in _situations(*GATES):
        for area in _areas("a"):
            for first, second in itertools.product(_fold_events("a"), repeat=2):
                yield {"scenario": "enumerated", "situation": situation, "areas": [area], "events": [first, second]}
    for situation in _situations("armed_attack_on_japan", "survival_threatening"):
        for date in DATES:
            for area in _areas("a"):
                for event in _single_events("a"):
                    yield {
                        "scenario": "enumerated",
                        "date": date,
                        "situation": situation,
                        "areas": [area],
                        "events": [event],
                    }
        for date in DATES:
            for item, place in itertools.product(REQUESTS, places):
                request = item if place is None else {"item": item, "area": "a"}
                dated: dict[str, Any] = {
                    "scenario": "enumerated",
                    "date": date,
                    "situation": situation,
                    "us_forces": {"operating": True, "requests": [request]},
                }
                if place is not None:
                    dated["areas"] = [place]
                yield dated
    for count in range(2, max_areas + 1):
        for resolution in (False, True):
            situation = {"important_influence": True, "un_sanctions_resolution": resolution}
            others = [list(_areas(f"a{i}")) for i in range(1, count)]
            for first in _areas("a0"):
                for events in _area_events("a0"):
                    for rest in itertools.product(*others):
                        yield {
                            "scenario": "enumerated",
                            "situation": situation,
                            "areas": [first, *rest],
                            "events": events,
                        }


def space_size(max_areas: int = 2) -> int:
    """How many scenarios `exhaustive_space(max_areas)` holds, without enumerating them."""
    areas = len(AREA_KINDS) * len(COMBATS) * 2
    events = 1 + len(MINE_STATUSES) * len(CONFLICTS) + len(WHOS) * 2 + 2 * len(VESSELS)
    situations = 2 ** len(ALL_SITUATION) * len(CEASEFIRES)
    gates = 2 ** len(GATES)
    size = situations * areas * events
    size += gates * 2 * 4 * len(REQUESTS) * ITEMS_PLACES
    size += situations * 3 * 2
    size += gates * len(COMBATS) * 2 * events * len(COMBATS) * len(AREA_KINDS) * 4
    size += gates * areas * len(_fold_events("a")) ** 2
    size += 4 * len(DATES) * (areas * (events - 1) + len(REQUESTS) * ITEMS_PLACES)
    size += sum(2 * areas * events * areas ** (count - 1) for count in range(2, max_areas + 1))
    return size


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
    from ..rulebook.conditions import field_paths
    from ..rulebook.describe import words

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
