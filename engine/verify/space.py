"""A bounded space of scenarios, enumerated smallest first: what `guidelines check --exhaustive` runs.

`exhaustive_space` yields every scenario of the space (its docstring says
what the space holds, part by part) and `space_size` counts them without
enumerating.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from ..scenario.vocab import AREA_KINDS, CEASEFIRES, COMBATS, CONFLICTS, MINE_STATUSES, REQUESTS, VESSELS, WHOS

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
    yield from _one_area()
    yield from _requests()
    yield from _refugees()
    yield from _adjacency()
    yield from _event_pairs()
    yield from _dates()
    yield from _side_by_side(max_areas)


def _one_area() -> Iterator[dict[str, Any]]:
    for situation in _situations(*ALL_SITUATION, "ceasefire"):
        for area in _areas("a"):
            for events in _area_events("a"):
                yield {"scenario": "enumerated", "situation": situation, "areas": [area], "events": events}


def _requests() -> Iterator[dict[str, Any]]:
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


def _refugees() -> Iterator[dict[str, Any]]:
    for situation in _situations(*ALL_SITUATION, "ceasefire"):
        for toward in (None, "japan", "elsewhere"):
            for evacuation in (False, True):
                events = ([{"type": "refugee_flow", "toward": toward}] if toward else []) + (
                    [{"type": "evacuation"}] if evacuation else []
                )
                yield {"scenario": "enumerated", "situation": situation, "events": events}


def _adjacency() -> Iterator[dict[str, Any]]:
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


def _event_pairs() -> Iterator[dict[str, Any]]:
    for situation in _situations(*GATES):
        for area in _areas("a"):
            for first, second in itertools.product(_fold_events("a"), repeat=2):
                yield {"scenario": "enumerated", "situation": situation, "areas": [area], "events": [first, second]}


def _dates() -> Iterator[dict[str, Any]]:
    places: list[dict[str, Any] | None] = [None, *_areas("a")]
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


def _side_by_side(max_areas: int) -> Iterator[dict[str, Any]]:
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
