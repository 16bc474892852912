"""The 1997 law, restated in plain Python from the brief and the statutes, never from the rule files.

Each function below is one role of `guidelines-1997.md` (version 2) with the
provisions it rests on: Law No. 60 of 1999 (Art. 3(1)(i)-(iii), Art. 7(3)-(4),
Table 1 notes 1-3), Law No. 145 of 2000 (Art. 2), SDF Law Art. 76 and
Art. 84-2 with the government's views of 1987, 1991 and 2015. Each returns the
case's status, the grounds that hold (in the order the brief lists them) and
the limits that hold (by the ids the rulebook gives them: the one place the
oracle knows the rule files' vocabulary, so that the tests can name the limit
the law says must be reported). `verdicts()` applies them to a whole scenario
and rolls them up as the scenario contract says.
"""

from __future__ import annotations

import datetime
from typing import Any, NamedTuple

JAPAN = {"id": None, "kind": "japan", "combat": "none", "consent": False, "adjacent_to": None}
FACILITIES = ("civilian_airports", "civilian_ports", "sdf_facilities", "hospitals")
LOGISTICS = ("supplies", "transport", "maintenance", "ammunition", "weapons", "refuel_combat_sortie")
AREA_ROLES = ("minesweeping", "search_and_rescue", "embargo_inspection", "surveillance")
ROLES = (*AREA_ROLES, "facility_access", "refugee_acceptance", "logistic_support")


# The days the laws came into force (third reading 8.3): Law No. 60 of 1999 and Law No. 145 of 2000 each from a
# day a cabinet order set under their supplementary provisions (within three months of promulgation).
LAW60 = datetime.date(1999, 8, 25)
LAW145 = datetime.date(2001, 3, 1)
NOT_IN_FORCE = {LAW60: "not_in_force_law_no_60_of_1999", LAW145: "not_in_force_law_no_145_of_2000"}


def before(situation: dict[str, Any], day: datetime.date) -> bool:
    """Whether the scenario is dated before `day` (an undated one never is)."""
    date = situation.get("date")
    return date is not None and date < day


class Case(NamedTuple):
    status: str
    grounds: tuple[str, ...] = ()
    limits: tuple[str, ...] = ()

    @property
    def ground(self) -> str | None:
        return self.grounds[0] if self.grounds else None


def _decide(grounds: list[str], limits: list[str]) -> Case:
    return Case("applies" if grounds else "blocked", tuple(grounds), tuple(limits))


def rear_area(area: dict[str, Any]) -> bool:
    """Law60/1999 Art. 3(1)(iii): Japanese territory whatever its combat, and the calm high seas around Japan."""
    return area["kind"] == "japan" or (area["kind"] == "high_seas" and area["combat"] == "none")


def sar_operation(area: dict[str, Any] | None, situation: dict[str, Any], events: list[dict[str, Any]]) -> bool:
    """A rear area search and rescue operation is carried out in the area (Art. 3(1)(ii), 7(1)-(2)).

    Section V holds, the area is a rear area, combatants in distress are reported there, the law is in force, and
    no combat goes on or is expected there: Art. 7(5) applies the Art. 6(5) duty to suspend to every rear area
    search and rescue, Japanese territory included (third reading 8.1).
    """
    return (
        area is not None
        and situation["important_influence"]
        and not before(situation, LAW60)
        and rear_area(area)
        and area["combat"] == "none"
        and any(
            e["type"] == "persons_in_distress" and e["area"] == area["id"] and e["who"] == "combatants" for e in events
        )
    )


# -- the roles ---------------------------------------------------------------


def minesweeping(situation: dict[str, Any], area: dict[str, Any], event: dict[str, Any]) -> Case:
    """B97 4.1: abandoned mines (SDFLaw Art. 84-2; Gov-1987/1991/2015) or self-defence (Art. 76).

    SDF Law Art. 84-2 (Art. 99 before 9 January 2007) is a standing authority: abandoned mines bring the role up
    with no determination (the 1991 Persian Gulf dispatch had none); active mines need Section V or IV."""
    attack = situation["armed_attack_on_japan"]
    if not (situation["important_influence"] or attack or event["status"] == "abandoned"):
        return Case("not_triggered")
    kind, combat, active = area["kind"], area["combat"], event["status"] == "active"
    abandoned = not active and (event["conflict"] == "past" or situation["ceasefire"] == "formal")
    sea = kind in ("japan", "high_seas", "distant_high_seas") or (kind == "foreign" and area["consent"])
    grounds = []
    if abandoned and combat != "ongoing" and sea:
        grounds.append("abandoned_mines")
    # SDF Law Arts. 76, 88: under armed attack, in Japan's waters and on the high seas near or far, whatever the
    # combat; never into another state's sea (third reading 8.2).
    defence = attack and kind in ("japan", "high_seas", "distant_high_seas")
    if defence:
        grounds.append("self_defence")
    limits = []
    if active and not attack:
        limits.append("active_mines_no_self_defence")
    if active and attack and kind == "foreign":
        limits.append("active_mines_beyond_home_waters")
    if not active and event["conflict"] == "current" and situation["ceasefire"] != "formal":
        limits.append("not_abandoned_without_formal_ceasefire")
    if combat == "ongoing" and not defence:
        limits.append("combat_ongoing")
    if kind == "foreign" and not area["consent"]:
        limits.append("foreign_without_consent")
    return _decide(grounds, limits)


def search_and_rescue(
    situation: dict[str, Any],
    area: dict[str, Any],
    event: dict[str, Any],
    areas: dict[str, dict[str, Any]],
    events: list[dict[str, Any]],
) -> Case:
    """B97 4.2: Law60/1999 Art. 3(1)(ii)-(iii), Art. 7(3), Art. 7(4); ordinary rescue for noncombatants."""
    if not situation["important_influence"]:
        return Case("not_triggered")
    kind, combat, who = area["kind"], area["combat"], event["who"]
    next_door = areas.get(area["adjacent_to"]) if area["adjacent_to"] else None
    adjacent_operation = sar_operation(next_door, situation, events)
    in_force = not before(situation, LAW60)
    grounds = []
    if who == "combatants" and rear_area(area) and combat == "none" and in_force:
        grounds.append("rear_area_sar")
    if who == "noncombatants" and sar_operation(area, situation, events):
        grounds.append("met_during_operation")
    if who == "noncombatants" and rear_area(area):
        grounds.append("ordinary_rescue")  # SDF Law Art. 83 and the JCG's own authority: not Law No. 60 of 1999
    if kind == "foreign" and area["consent"] and combat == "none" and adjacent_operation:
        grounds.append("adjacent_foreign_sea")
    limits = []
    if kind == "high_seas" and combat != "none":
        limits.append("not_rear_area_combat")
    if kind == "distant_high_seas":
        limits.append("distant_waters")
    if kind == "foreign" and not area["consent"]:
        limits.append("foreign_without_consent")
    if kind == "foreign" and combat != "none":
        limits.append("foreign_combat")
    if who == "combatants" and kind == "japan" and combat != "none":
        limits.append("combat_suspends_rescue")
    if kind == "foreign" and not adjacent_operation:
        limits.append("foreign_not_adjacent_to_operation")
    if not in_force:
        limits.append(NOT_IN_FORCE[LAW60])
    return _decide(grounds, limits)


def embargo_inspection(situation: dict[str, Any], area: dict[str, Any], event: dict[str, Any]) -> Case:
    """B97 4.3: Law145/2000 Art. 2 (basis, merchant ships, place); Law60/1999 Art. 2(2) (combat)."""
    if not situation["important_influence"]:
        return Case("not_triggered")
    basis = situation["un_sanctions_resolution"] or event["flag_state_consent"]
    merchant = event["vessels"] == "merchant"
    waters = area["kind"] in ("japan", "high_seas")
    in_force = not before(situation, LAW145)
    grounds = ["ship_inspection"] if basis and merchant and waters and area["combat"] != "ongoing" and in_force else []
    limits = []
    if not basis:
        limits.append("no_legal_basis")
    if not merchant:
        limits.append("excluded_vessels")
    if not waters:
        limits.append("outside_inspection_waters")
    if area["combat"] == "ongoing":
        limits.append("combat_ongoing")
    if not in_force:
        limits.append(NOT_IN_FORCE[LAW145])
    return _decide(grounds, limits)


def surveillance(situation: dict[str, Any], area: dict[str, Any]) -> Case:
    """B97 4.4: no gate; surveys and research (EstLaw) or, under attack, the defence operation (G97 IV.2(1)a)."""
    kind, combat, attack = area["kind"], area["combat"], situation["armed_attack_on_japan"]
    at_sea = kind in ("high_seas", "distant_high_seas")
    grounds = []
    if attack and combat == "ongoing" and kind != "foreign":
        grounds.append("defence_operation")
    if kind == "japan" or (at_sea and combat != "ongoing"):
        grounds.append("surveys_and_research")
    limits = []
    if kind == "foreign":
        limits.append("foreign_territory")
    if at_sea and combat == "ongoing" and not attack:
        limits.append("combat_ongoing_at_sea")
    return _decide(grounds, limits)


def facility_access(situation: dict[str, Any], force: str, operating: bool) -> Case:
    """B97 4.5: U.S. forces only (Law60/1999 Art. 3(1)(i)); always inside Japan."""
    if not (situation["important_influence"] and operating):
        return Case("not_triggered")
    in_force = not before(situation, LAW60)
    limits = ([] if force == "us" else ["not_us_forces"]) + ([] if in_force else [NOT_IN_FORCE[LAW60]])
    return _decide(["use_of_facilities"] if force == "us" and in_force else [], limits)


def refugee_acceptance(situation: dict[str, Any], event: dict[str, Any]) -> Case:
    """B97 4.6: flows toward Japan and evacuations; never blocked."""
    if situation["important_influence"] and (event["type"] == "evacuation" or event.get("toward") == "japan"):
        return Case("applies", ("refugees_and_evacuees",))
    return Case("not_triggered")


def logistic_support(situation: dict[str, Any], force: str, item: str, place: dict[str, Any], operating: bool) -> Case:
    """B97 4.7: Law60/1999 Art. 3(1)(i), (iii) and Table 1 notes 1-3."""
    if not (situation["important_influence"] and operating):
        return Case("not_triggered")
    grounds = []
    if (
        force == "us"
        and item in ("supplies", "transport", "maintenance")
        and rear_area(place)
        and (item == "transport" or place["kind"] == "japan")
        and not before(situation, LAW60)
    ):
        grounds.append("rear_area_support")
    limits = []
    if item in ("weapons", "ammunition", "refuel_combat_sortie"):
        limits.append(item)
    if force == "other":
        limits.append("not_us_forces")
    if not rear_area(place):
        limits.append("not_rear_area")
    if item in ("supplies", "maintenance") and place["kind"] != "japan":
        limits.append("outside_japan_not_transport")
    if before(situation, LAW60):
        limits.append(NOT_IN_FORCE[LAW60])
    return _decide(grounds, limits)


# -- a whole scenario ---------------------------------------------------------

EVENT_DEFAULTS = {
    "mines": {"conflict": "current"},
    "persons_in_distress": {"who": "noncombatants", "rescue_under_way": False},
    "sanctions_shipping": {"flag_state_consent": False, "vessels": "merchant"},
}


def _roll(statuses: list[str]) -> str:
    for status in ("applies", "blocked"):
        if status in statuses:
            return status
    return "not_triggered"


def verdicts(data: dict[str, Any]) -> dict[str, Any]:
    """Per role: status, cases, and per-area statuses or per-request (force, item, area, Case); plus notice ids."""
    import sys

    return verdicts_under(data, sys.modules[__name__])


def verdicts_under(data: dict[str, Any], law: Any) -> dict[str, Any]:
    """`verdicts` for the roles and notices of `law`: this module, or another rulebook's oracle with the same
    functions (tests/oracle15.py)."""
    situation = {
        "armed_attack_on_japan": False,
        "survival_threatening": False,
        "un_sanctions_resolution": False,
        "ceasefire": "none",
        **data["situation"],
    }
    date = data.get("date")
    situation["date"] = (
        date if date is None or isinstance(date, datetime.date) else datetime.date.fromisoformat(str(date))
    )
    areas = {a["id"]: {"combat": "none", "consent": False, "adjacent_to": None, **a} for a in data.get("areas") or ()}
    events = [{**EVENT_DEFAULTS.get(e["type"], {}), **e} for e in data.get("events") or ()]
    cases: dict[str, list[tuple[Any, Case]]] = {role: [] for role in ROLES}
    for event in events:
        area = areas.get(event.get("area"))
        if event["type"] == "mines":
            cases["minesweeping"].append((event["area"], law.minesweeping(situation, area, event)))
        elif event["type"] == "persons_in_distress":
            cases["search_and_rescue"].append(
                (event["area"], law.search_and_rescue(situation, area, event, areas, events))
            )
        elif event["type"] == "sanctions_shipping":
            cases["embargo_inspection"].append((event["area"], law.embargo_inspection(situation, area, event)))
        else:
            cases["refugee_acceptance"].append((None, law.refugee_acceptance(situation, event)))
    for area_id, area in areas.items():
        cases["surveillance"].append((area_id, law.surveillance(situation, area)))
    for force, key in (("us", "us_forces"), ("other", "other_forces")):
        block = data.get(key) or {}
        operating = block.get("operating", False)
        for request in block.get("requests") or ():
            item, area_id = (request, None) if isinstance(request, str) else (request["item"], request.get("area"))
            if item in FACILITIES:
                cases["facility_access"].append(
                    ((force, item, area_id, operating), law.facility_access(situation, force, operating))
                )
            else:
                place = JAPAN if area_id is None else areas[area_id]
                verdict = law.logistic_support(situation, force, item, place, operating)
                cases["logistic_support"].append(((force, item, area_id, operating), verdict))
    out: dict[str, Any] = {}
    for role, found in cases.items():
        entry: dict[str, Any] = {"status": _roll([c.status for _, c in found]), "cases": [c for _, c in found]}
        if role in AREA_ROLES:
            entry["areas"] = {a: _roll([c.status for k, c in found if k == a]) for a in areas}
        if role in ("facility_access", "logistic_support"):
            entry["requests"] = [(k[0], k[1], k[2], c) for k, c in found if k[3]]
        out[role] = entry
    return {"roles": out, "notices": law.notices(data, situation, areas, events)}


def notices(
    data: dict[str, Any], situation: dict[str, Any], areas: dict[str, Any], events: list[dict[str, Any]]
) -> set[str]:
    """B97 section 5, plus the notice that active mines outside the gates are beyond Art. 84-2 (a use of force)."""
    date = data.get("date")
    if date is not None and not isinstance(date, datetime.date):
        date = datetime.date.fromisoformat(str(date))
    found = {"no_legal_obligation"}
    if situation["armed_attack_on_japan"]:
        found.add("section_iv")
    if not situation["armed_attack_on_japan"] and any(
        a["kind"] == "japan" and a["combat"] == "ongoing" for a in areas.values()
    ):
        found.add("combat_in_japan")
    if date is not None and date < datetime.date(1997, 9, 23):
        found.add("before_guidelines")
    if date is not None and date < datetime.date(1999, 8, 25):
        found.add("before_law60")
    if date is not None and date < datetime.date(2001, 3, 1) and any(e["type"] == "sanctions_shipping" for e in events):
        found.add("before_law145")
    if situation["survival_threatening"]:
        found.add("survival_threatening")
    gates = situation["important_influence"] or situation["armed_attack_on_japan"]
    if not gates and any(e["type"] == "mines" and e["status"] == "active" for e in events):
        found.add("mines_outside_the_guidelines")
    return found
