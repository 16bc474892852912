"""The words of the scenario contract: every enum and status, in one place.

Both the pydantic models and the rule language read these, so a value is
spelled once. This module imports nothing heavy on purpose: the CLI reads it
on every start.
"""

from __future__ import annotations

from typing import Literal, get_args

AreaKind = Literal["japan", "high_seas", "distant_high_seas", "foreign"]
Combat = Literal["none", "expected", "ongoing"]
EventType = Literal["mines", "persons_in_distress", "sanctions_shipping", "refugee_flow", "evacuation"]
MineStatus = Literal["abandoned", "active"]
Who = Literal["combatants", "noncombatants"]
Vessels = Literal["merchant", "warship", "government"]
Toward = Literal["japan", "elsewhere"]
Conflict = Literal["current", "past"]
Ceasefire = Literal["none", "de_facto", "formal"]
Force = Literal["us", "other"]
Request = Literal[
    "civilian_airports",
    "civilian_ports",
    "sdf_facilities",
    "hospitals",
    "supplies",
    "transport",
    "maintenance",
    "ammunition",
    "weapons",
    "refuel_combat_sortie",
]
Status = Literal["applies", "blocked", "not_triggered"]

AREA_KINDS: tuple[str, ...] = get_args(AreaKind)
COMBATS: tuple[str, ...] = get_args(Combat)
EVENT_TYPES: tuple[str, ...] = get_args(EventType)
MINE_STATUSES: tuple[str, ...] = get_args(MineStatus)
WHOS: tuple[str, ...] = get_args(Who)
VESSELS: tuple[str, ...] = get_args(Vessels)
TOWARDS: tuple[str, ...] = get_args(Toward)
CONFLICTS: tuple[str, ...] = get_args(Conflict)
CEASEFIRES: tuple[str, ...] = get_args(Ceasefire)
FORCES: tuple[str, ...] = get_args(Force)
REQUESTS: tuple[str, ...] = get_args(Request)
FACILITY_ITEMS: tuple[str, ...] = REQUESTS[:4]
LOGISTIC_ITEMS: tuple[str, ...] = REQUESTS[4:]
# The items a request could name in version 1 of the scenario format.
V1_REQUESTS: tuple[str, ...] = (*FACILITY_ITEMS, "weapons", "ammunition")
STATUSES: tuple[str, ...] = get_args(Status)

# Role ids and rulebook ids are not words of the contract: they come from the rulebook's files (a role is
# rules/<id>/roles/<role>.yaml), and an `expect:` is checked against the rulebook that evaluates the file.

# Event types whose `area` key is required by the contract; the others happen
# "toward Japan" and have no area.
EVENTS_WITH_AREA: tuple[str, ...] = ("mines", "persons_in_distress", "sanctions_shipping")

# Stand-in for a field an event type does not have (a refugee flow has no mine
# status). Rules compare it like any other value, and it equals nothing they name.
NOT_APPLICABLE = "n/a"

# The place of a request that names no area: inside Japan. Inside the engine it
# is an area of its own (kind japan, no combat) that no report lists; the `@`
# keeps it apart from every area id a file can give.
JAPAN_AREA = "@japan"

# Roll-up order: a role applies if it applies anywhere, else is blocked if
# blocked anywhere, else is not triggered.
_ROLLUP_RANK = {"applies": 2, "blocked": 1, "not_triggered": 0}


def roll_up(statuses: list[str] | tuple[str, ...]) -> str:
    """Combine the statuses of cases into an area's, or of areas into a role's."""
    best = "not_triggered"
    for status in statuses:
        if _ROLLUP_RANK[status] > _ROLLUP_RANK[best]:
            best = status
    return best
