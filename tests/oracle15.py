"""The 2015 law, restated in plain Python from the brief and the statutes, never from the rule files.

Each function is one role of `guidelines-2015.md` read with the decision tables
(`decision-tables.md` section 2), with the statute winning where the two
disagree: Law60/2015 Art. 1, 2(2)-(4), 3(1)(i)-(iii), 6(3)-(4), 7(2)-(6) and
the note of Tables 1 and 2 (weapons only: the 1999 words on ammunition and on
fuelling aircraft readying for combat sorties are gone); Law145/2015 Art. 2
(no place clause), 4(3), 5(4); SDF Law Art. 76(1)(i)-(ii), Art. 84-2; AAS-Law
Art. 2(iv); the government's answers of 2015; DoJ15/DoJ16 only that
ammunition, which the tables neither name nor exclude, is supplied. Besides the tables it takes two positions the rulebook
takes and says why:

- the combat limit of the minesweeping roles names a survival-threatening
  situation too (decision tables, gap G-3), and inspection abroad without
  consent is its own limit (gap G-2);
- noncombatants in a calm consenting foreign sea next to an area where a search
  and rescue activity for combatants is carried out are rescued (the 1999
  Art. 7(4) rescue, kept under Art. 7(2)-(4) of the 2015 law: decision tables
  X1).

Each function returns the case's status, the grounds that hold and the limits
that hold, by the ids the rulebook gives them, in its order; `verdicts()`
rolls them up as the scenario contract says (the walk is oracle97's).
"""

from __future__ import annotations

import datetime
import sys
from typing import Any

from . import oracle97
from .oracle97 import FACILITIES, LOGISTICS, ROLES, Case, _decide  # noqa: F401 - the same vocabulary

SEAS = ("japan", "high_seas", "distant_high_seas")


def open_to(area: dict[str, Any]) -> bool:
    """Law60/2015 Art. 2(4) (through Art. 6(4), 7(4)); Law145/2015 Art. 5(4): another state's territory only with
    its consent."""
    return area["kind"] != "foreign" or area["consent"]


def activity_area(area: dict[str, Any]) -> bool:
    """Law60/2015 Art. 2(3) (scene of combat), Art. 6(3)/7(2) with the stated practice (combat expected),
    Art. 2(4) (consent): where logistics support and search and rescue may be carried out."""
    return area["combat"] == "none" and open_to(area)


def calm_near_japan(area: dict[str, Any]) -> bool:
    """B15 4.2: ordinary rescue reaches only where the 1997 rulebook rescued (G97 V.2(1)b)."""
    return oracle97.rear_area(area)


def sar_operation(area: dict[str, Any] | None, situation: dict[str, Any], events: list[dict[str, Any]]) -> bool:
    """Law60/2015 Art. 3(1)(iii), 7(1)-(2), 7(6): a search and rescue activity for combatants is carried out in
    the area: combatants there whose rescue applies (no combat, or their rescue under way outside Japanese
    territory: Art. 7(5) reaches 「我が国の領域外における捜索救助活動」 only, and Art. 7(6) derogates from it)."""
    return (
        area is not None
        and situation["important_influence"]
        and open_to(area)
        and any(
            e["type"] == "persons_in_distress"
            and e["area"] == area["id"]
            and e["who"] == "combatants"
            and (area["combat"] == "none" or (e["rescue_under_way"] and area["kind"] != "japan"))
            for e in events
        )
    )


def live_activity(area: dict[str, Any] | None, situation: dict[str, Any], events: list[dict[str, Any]]) -> bool:
    """An activity that can anchor a rescue next door: carried out, and free of combat (Art. 7(6) continues only
    「当該遭難者に係る」 rescue, so a continuation carries no one else)."""
    return area is not None and area["combat"] == "none" and sar_operation(area, situation, events)


# -- the roles ---------------------------------------------------------------


def minesweeping(situation: dict[str, Any], area: dict[str, Any], event: dict[str, Any]) -> Case:
    """B15 4.1: abandoned mines (SDFLaw Art. 84-2), self-defence under armed attack (Art. 76(1)(i)) and in a
    survival-threatening situation (Art. 76(1)(ii); Gov-2015 answers of 28 Aug, 29 Sep, 16 Jun 2015). Art. 84-2
    needs no situation found: abandoned mines bring the role up by themselves (the 1991 Persian Gulf precedent)."""
    attack, survival = situation["armed_attack_on_japan"], situation["survival_threatening"]
    if not (situation["important_influence"] or attack or survival or event["status"] == "abandoned"):
        return Case("not_triggered")
    kind, combat, active = area["kind"], area["combat"], event["status"] == "active"
    abandoned = not active and (event["conflict"] == "past" or situation["ceasefire"] == "formal")
    sea = kind in SEAS or (kind == "foreign" and area["consent"])
    grounds = []
    if abandoned and combat != "ongoing" and sea:
        grounds.append("abandoned_mines")
    # SDF Law Arts. 76(1)(i), 88: whatever the combat, on any high seas; the 16 June 2015 answer binds only the
    # survival-threatening (collective self-defence) case it was given for (third reading 7.4).
    defence = attack and kind in SEAS
    if defence:
        grounds.append("self_defence")
    if survival and combat != "ongoing" and sea:
        grounds.append("self_defence_survival")
    limits = []
    if active and not attack and not survival:
        limits.append("active_mines_no_self_defence")
    if active and attack and not survival and kind == "foreign":
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
    """B15 4.2: Law60/2015 Art. 3(1)(iii), 7(2)-(4) (activity), 7(3) (met during it), 7(6) (continuation);
    ordinary rescue only near Japan; the foreign sea next to an activity (X1)."""
    if not situation["important_influence"]:
        return Case("not_triggered")
    who, combat, under_way = event["who"], area["combat"], event["rescue_under_way"]
    # Art. 7(6) derogates only from the suspension Art. 7(5) applies outside Japanese territory (third reading 7.2).
    abroad = area["kind"] != "japan"
    continuing = under_way and combat in ("expected", "ongoing") and open_to(area) and abroad
    next_door = areas.get(area["adjacent_to"]) if area["adjacent_to"] else None
    beside = (
        area["kind"] == "foreign"
        and area["consent"]
        and combat == "none"
        and live_activity(next_door, situation, events)
    )
    grounds = []
    if who == "noncombatants" and sar_operation(area, situation, events) and (activity_area(area) or continuing):
        grounds.append("met_during_operation")
    if who == "noncombatants" and calm_near_japan(area):
        grounds.append("ordinary_rescue")
    if who == "noncombatants" and beside:
        grounds.append("adjacent_foreign_sea")
    if who == "combatants" and activity_area(area):
        grounds.append("sar_activity")
    if who == "combatants" and continuing:
        grounds.append("continuation")
    limits = []
    if area["kind"] == "foreign" and not area["consent"]:
        limits.append("foreign_without_consent")
    if combat == "ongoing" and (not under_way or not abroad):
        limits.append("scene_of_combat")
    if combat == "expected" and (not under_way or not abroad):
        limits.append("combat_expected")
    if (
        who == "noncombatants"
        and not calm_near_japan(area)
        and not sar_operation(area, situation, events)
        and not beside
    ):
        limits.append("noncombatants_without_operation")
    return _decide(grounds, limits)


def embargo_inspection(situation: dict[str, Any], area: dict[str, Any], event: dict[str, Any]) -> Case:
    """B15 4.3: Law145/2015 Art. 2 (basis, merchant ships), Art. 5(4) (foreign with consent); distant seas
    [V-sec]; no combat (Law60/2015 Art. 2(2), read: Art. 2(3) names only support and rescue)."""
    if not situation["important_influence"]:
        return Case("not_triggered")
    basis = situation["un_sanctions_resolution"] or event["flag_state_consent"]
    merchant = event["vessels"] == "merchant"
    # Law145/2015 Art. 5(2): the area is designated so inspection is carried out 「円滑かつ安全に」, the words of
    # Law60/2015 Arts. 6(3), 7(2); the practice that bars expected combat there bars it here (third reading 7.5).
    ok = basis and merchant and open_to(area) and area["combat"] == "none"
    limits = []
    if not basis:
        limits.append("no_legal_basis")
    if not merchant:
        limits.append("excluded_vessels")
    if area["combat"] == "ongoing":
        limits.append("combat_ongoing")
    if area["combat"] == "expected":
        limits.append("combat_expected")
    if not open_to(area):
        limits.append("foreign_without_consent")
    return _decide(["ship_inspection"] if ok else [], limits)


def surveillance(situation: dict[str, Any], area: dict[str, Any]) -> Case:
    """B15 4.4: as 1997, and in a survival-threatening situation as under armed attack (G15 IV.C-IV.D)."""
    kind, combat = area["kind"], area["combat"]
    defence = situation["armed_attack_on_japan"] or situation["survival_threatening"]
    at_sea = kind in ("high_seas", "distant_high_seas")
    grounds = []
    if defence and combat == "ongoing" and kind != "foreign":
        grounds.append("defence_operation")
    if kind == "japan" or (at_sea and combat != "ongoing"):
        grounds.append("surveys_and_research")
    limits = []
    if kind == "foreign":
        limits.append("foreign_territory")
    if at_sea and combat == "ongoing" and not defence:
        limits.append("combat_ongoing_at_sea")
    return _decide(grounds, limits)


def facility_access(situation: dict[str, Any], force: str, operating: bool) -> Case:
    """B15 4.5: U.S. forces and other forces (Law60/2015 Art. 3(1)(i)); always inside Japan; never blocked."""
    if not (situation["important_influence"] and operating):
        return Case("not_triggered")
    return Case("applies", ("use_of_facilities",))


def refugee_acceptance(situation: dict[str, Any], event: dict[str, Any]) -> Case:
    """B15 4.6: as 1997 (G15 IV.B.1, IV.B.3)."""
    return oracle97.refugee_acceptance(situation, event)


def logistic_support(situation: dict[str, Any], force: str, item: str, place: dict[str, Any], operating: bool) -> Case:
    """B15 4.7: U.S. and other forces; every item but weapons (Law60/2015 Table 1 note; ammunition: DoJ15, DoJ16);
    wherever no combat is going on or expected, foreign territory with consent (Law60/2015 Art. 2(3)-(4), 6(3)-(4))."""
    if not (situation["important_influence"] and operating):
        return Case("not_triggered")
    grounds = ["logistics_support"] if item != "weapons" and activity_area(place) else []
    limits = []
    if item == "weapons":
        limits.append("weapons")
    if place["combat"] == "ongoing":
        limits.append("scene_of_combat")
    if place["combat"] == "expected":
        limits.append("combat_expected")
    if not open_to(place):
        limits.append("foreign_without_consent")
    return _decide(grounds, limits)


def notices(
    data: dict[str, Any], situation: dict[str, Any], areas: dict[str, Any], events: list[dict[str, Any]]
) -> set[str]:
    """B15 section 5, and the scene-of-combat notice of section 2."""
    date = data.get("date")
    if date is not None and not isinstance(date, datetime.date):
        date = datetime.date.fromisoformat(str(date))
    found = {"no_legal_obligation"}
    if situation["armed_attack_on_japan"]:
        found.add("section_iv")
    if situation["survival_threatening"]:
        found.add("survival_threatening")
    if situation["survival_threatening"] and not situation["important_influence"]:
        found.add("survival_without_important_influence")  # DoJ23: the one is included in the other
    if any(a["kind"] == "japan" and a["combat"] == "ongoing" for a in areas.values()):
        found.add("combat_in_japan")
    if date is not None and date < datetime.date(2016, 3, 29):
        found.add("before_2015_legislation")
    gates = situation["important_influence"] or situation["armed_attack_on_japan"] or situation["survival_threatening"]
    if not gates and any(e["type"] == "mines" and e["status"] == "active" for e in events):
        found.add("mines_outside_the_guidelines")
    return found


def verdicts(data: dict[str, Any]) -> dict[str, Any]:
    """Per role: status, cases, and per-area statuses or per-request (force, item, area, Case); plus notice ids."""
    return oracle97.verdicts_under(data, sys.modules[__name__])
