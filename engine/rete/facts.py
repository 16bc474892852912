"""A validated scenario as engine facts: one scenario fact, and one per area, event and request, carrying what
the rules' links follow (see `facts_from_data`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from ..rulebook.conditions import Scope
from ..scenario.fields import EVENT_PROPS
from ..scenario.vocab import FACILITY_ITEMS, JAPAN_AREA, NOT_APPLICABLE


class Facts(NamedTuple):
    """A scenario as engine facts: one scenario fact, and one per area, event and request.

    `places` holds the synthetic area of requests that name none (inside
    Japan): an area for the rules, never a subject of a role or a report.
    """

    scenario: dict[str, Any]
    areas: list[dict[str, Any]]
    events: list[dict[str, Any]]
    requests: list[dict[str, Any]]
    places: Sequence[dict[str, Any]] = ()

    def all(self) -> list[dict[str, Any]]:
        return [self.scenario, *self.areas, *self.places, *self.events, *self.requests]

    def subjects(self, scope: Scope) -> list[dict[str, Any]]:
        if scope.kind == "scenario":
            return [self.scenario]
        if scope.kind == "area":
            return self.areas
        if scope.kind == "request":
            return [r for r in self.requests if not scope.items or r["item"] in scope.items]
        return [e for e in self.events if e["type"] in scope.event_types]


def date_number(value: Any) -> int:
    """A date as the engine compares it: the integer YYYYMMDD, 0 when there is none."""
    if not value:
        return 0
    text = value if isinstance(value, str) else value.isoformat()
    return int(text[:10].replace("-", ""))


def facts_from_data(data: dict[str, Any]) -> Facts:
    """Engine facts from a validated scenario as plain data (`Scenario.model_dump()`).

    The data must be validated: the model fills in the contract's defaults, and
    a field missing here would read as not applicable. Besides the scenario's
    own fields, facts carry what the rules' links follow: an event's and a
    request's area and that area's `adjacent` one, and for the fold over the
    events of an area, each event's `prev` (the event before it in the same
    area) and each area's `last`.
    """
    areas = [_area_fact(area) for area in data.get("areas") or ()]
    by_key = {area["key"]: area for area in areas}
    events = _event_facts(data.get("events") or (), by_key)
    requests, places = _request_facts(data, by_key)
    return Facts(_scenario_fact(data), areas, events, requests, places)


def _scenario_fact(data: dict[str, Any]) -> dict[str, Any]:
    situation = data["situation"]
    return {
        "id": "scenario",
        "t": "scenario",
        "key": "scenario",
        "important_influence": situation["important_influence"],
        "armed_attack_on_japan": situation.get("armed_attack_on_japan", False),
        "survival_threatening": situation.get("survival_threatening", False),
        "un_sanctions_resolution": situation.get("un_sanctions_resolution", False),
        "ceasefire": situation.get("ceasefire", "none"),
        "us_operating": (data.get("us_forces") or {}).get("operating", False),
        "other_operating": (data.get("other_forces") or {}).get("operating", False),
        "date": date_number(data.get("date")),
    }


def _area_fact(area: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "a:" + area["id"],
        "t": "area",
        "key": area["id"],
        "kind": area["kind"],
        "combat": area.get("combat", "none"),
        "consent": area.get("consent", False),
        "adjacent": area.get("adjacent_to") or NOT_APPLICABLE,
        "last": NOT_APPLICABLE,
    }


def _event_facts(events: Sequence[dict[str, Any]], by_key: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One fact per event, in file order, each chained to the one before it in its area (the area's `last` is
    updated as they come)."""
    out = []
    for i, event in enumerate(events):
        key = f"e{i}"
        fact = {"id": f"e:{i}", "t": "event", "key": key, "index": i, "area": NOT_APPLICABLE}
        for prop in EVENT_PROPS:
            value = event.get(prop)
            fact[prop] = NOT_APPLICABLE if value is None else value
        area = by_key.get(event.get("area") or "")
        fact["adjacent"] = fact["prev"] = NOT_APPLICABLE
        if area is not None:
            fact["area"] = area["key"]
            fact["adjacent"] = area["adjacent"]
            fact["prev"] = area["last"]
            area["last"] = key
        out.append(fact)
    return out


def _request_facts(
    data: dict[str, Any], by_key: dict[str, dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One fact per request of either force, and the synthetic area inside Japan when some request is there."""
    requests: list[dict[str, Any]] = []
    places: list[dict[str, Any]] = []
    for force in ("us", "other"):
        block = data.get(f"{force}_forces") or {}
        for i, entry in enumerate(block.get("requests") or ()):
            item, where = (entry["item"], entry.get("area")) if isinstance(entry, dict) else (entry, None)
            # Facilities are inside Japan whatever area a request names (validation warns of it).
            area = None if item in FACILITY_ITEMS else by_key.get(where or "")
            n = len(requests)
            requests.append(
                {
                    "id": f"r:{n}",
                    "t": "request",
                    "key": f"r{n}",
                    "index": i,
                    "force": force,
                    "item": item,
                    "area": area["key"] if area else JAPAN_AREA,
                    "adjacent": area["adjacent"] if area else NOT_APPLICABLE,
                    "named_area": where or NOT_APPLICABLE,
                }
            )
            if area is None and not places:
                places.append(_japan_place())
    return requests, places


def _japan_place() -> dict[str, Any]:
    """The area of requests that name none: inside Japan, no combat, no consent asked."""
    return {
        "id": "a|" + JAPAN_AREA,
        "t": "area",
        "key": JAPAN_AREA,
        "kind": "japan",
        "combat": "none",
        "consent": False,
        "adjacent": NOT_APPLICABLE,
        "last": NOT_APPLICABLE,
    }
