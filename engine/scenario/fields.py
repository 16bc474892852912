"""The scenario fields a rule may read, and the facts they become inside the engine.

A rule names a field as the scenario file spells it (`area.kind`). Each field
lives on one kind of engine fact: the one `scenario` fact, one `area` fact per
area, one `event` fact per event, one `request` fact per U.S. request.
"""

from __future__ import annotations

from typing import NamedTuple

from .vocab import (
    AREA_KINDS,
    CEASEFIRES,
    COMBATS,
    CONFLICTS,
    EVENT_TYPES,
    FORCES,
    MINE_STATUSES,
    REQUESTS,
    TOWARDS,
    VESSELS,
    WHOS,
)

SCOPES = ("scenario", "area", "event", "request")
BOOLEAN = (True, False)


class FieldSpec(NamedTuple):
    """One readable field: where it lives and which values it takes (a date field takes dates)."""

    path: str
    scope: str
    prop: str
    values: tuple[object, ...]
    event_types: tuple[str, ...] = ()
    kind: str = "enum"  # enum | date

    @property
    def is_boolean(self) -> bool:
        return self.values == BOOLEAN

    @property
    def is_date(self) -> bool:
        return self.kind == "date"


def _event(path: str, prop: str, values: tuple[object, ...], *types: str) -> FieldSpec:
    return FieldSpec(path, "event", prop, values, types)


FIELDS: dict[str, FieldSpec] = {
    spec.path: spec
    for spec in (
        FieldSpec("situation.important_influence", "scenario", "important_influence", BOOLEAN),
        FieldSpec("situation.armed_attack_on_japan", "scenario", "armed_attack_on_japan", BOOLEAN),
        FieldSpec("situation.survival_threatening", "scenario", "survival_threatening", BOOLEAN),
        FieldSpec("situation.un_sanctions_resolution", "scenario", "un_sanctions_resolution", BOOLEAN),
        FieldSpec("situation.ceasefire", "scenario", "ceasefire", CEASEFIRES),
        FieldSpec("us_forces.operating", "scenario", "us_operating", BOOLEAN),
        FieldSpec("other_forces.operating", "scenario", "other_operating", BOOLEAN),
        FieldSpec("date", "scenario", "date", (), kind="date"),
        FieldSpec("area.kind", "area", "kind", AREA_KINDS),
        FieldSpec("area.combat", "area", "combat", COMBATS),
        FieldSpec("area.consent", "area", "consent", BOOLEAN),
        _event("event.type", "type", EVENT_TYPES, *EVENT_TYPES),
        _event("event.status", "status", MINE_STATUSES, "mines"),
        _event("event.conflict", "conflict", CONFLICTS, "mines"),
        _event("event.who", "who", WHOS, "persons_in_distress"),
        _event("event.rescue_under_way", "rescue_under_way", BOOLEAN, "persons_in_distress"),
        _event("event.flag_state_consent", "flag_state_consent", BOOLEAN, "sanctions_shipping"),
        _event("event.vessels", "vessels", VESSELS, "sanctions_shipping"),
        _event("event.toward", "toward", TOWARDS, "refugee_flow"),
        FieldSpec("request.force", "request", "force", FORCES),
        FieldSpec("request.item", "request", "item", REQUESTS),
    )
}

EVENT_PROPS: tuple[str, ...] = tuple(spec.prop for spec in FIELDS.values() if spec.scope == "event")
