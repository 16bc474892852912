"""The kinds of change section 6 of the 2015 brief lists, as data: each a predicate on a case and its two verdicts.

A verdict that differs between the 1997 and the 2015 rulebook must be one of
these; `explain` names the kinds a difference is of (none: a change the brief
does not explain). Each kind cites where the brief and the research notes
list it. Written from `guidelines-2015.md` section 6 and research-notes
section 5, never from the rule files.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from .. import oracle97


class Kind(NamedTuple):
    id: str
    text: str
    cites: str
    holds: Callable[[dict[str, Any], str, str], bool]  # (case, status under 1997, status under 2015)


def _gains(before: str, after: str) -> bool:
    return before == "blocked" and after == "applies"


def _loses(before: str, after: str) -> bool:
    return before == "applies" and after == "blocked"


def _abroad(area: dict[str, Any]) -> bool:
    """Foreign territory with consent, or the high seas far from Japan."""
    return area["kind"] == "distant_high_seas" or (area["kind"] == "foreign" and area["consent"])


def _japan_in_combat(area: dict[str, Any] | None) -> bool:
    return area is not None and area["kind"] == "japan" and area["combat"] != "none"


def _neighbour(case: dict[str, Any]) -> dict[str, Any] | None:
    area = case.get("area")
    return case["areas"].get(area["adjacent_to"]) if area and area.get("adjacent_to") else None


KINDS: tuple[Kind, ...] = (
    Kind(
        "ammunition",
        "Ammunition is provided.",
        "B15 6; B15 4.7; research-notes 5 table, row Ammunition; DoJ15",
        lambda c, b, a: c["role"] == "logistic_support" and c["item"] == "ammunition" and _gains(b, a),
    ),
    Kind(
        "refuelling_for_combat_sorties",
        "Aircraft preparing for combat sorties are refuelled and maintained.",
        "B15 6; B15 4.7; research-notes 5 table, row Refuelling/maintenance of aircraft preparing for combat sorties",
        lambda c, b, a: c["role"] == "logistic_support" and c["item"] == "refuel_combat_sortie" and _gains(b, a),
    ),
    Kind(
        "other_forces",
        "Forces other than U.S. forces are supported.",
        "B15 6; B15 3; research-notes 5 table, row Who is supported; Law60/2015 Art. 3(1)(i)",
        lambda c, b, a: c["role"] in ("facility_access", "logistic_support") and c["force"] == "other" and _gains(b, a),
    ),
    Kind(
        "abroad_with_consent_and_distant_seas",
        "Logistics support, search and rescue and inspection abroad with consent and on the distant high seas.",
        "B15 6; B15 2; research-notes 5 table, row Where it applies",
        lambda c, b, a: (
            c["role"] in ("logistic_support", "search_and_rescue", "embargo_inspection")
            and _abroad(c["area"])
            and _gains(b, a)
        ),
    ),
    Kind(
        "supplies_and_maintenance_outside_japan",
        "Supplies and maintenance are given outside Japan.",
        "B15 6; B15 2 (Table 1 note 3 is gone)",
        lambda c, b, a: (
            c["role"] == "logistic_support"
            and c["item"] in ("supplies", "maintenance")
            and c["area"]["kind"] != "japan"
            and _gains(b, a)
        ),
    ),
    Kind(
        "mines_in_a_survival_threatening_situation",
        "Mines that cannot be treated as abandoned are cleared in a survival-threatening situation.",
        "B15 6; B15 4.1; research-notes 5 table, row Collective self-defense; research-notes 6 (answers of "
        "28 Aug and 29 Sep 2015)",
        lambda c, b, a: c["role"] == "minesweeping" and c["situation"]["survival_threatening"] and _gains(b, a),
    ),
    Kind(
        "rescue_under_way_continues",
        "A rescue already under way continues when combat breaks out.",
        "B15 6; B15 4.2; Law60/2015 Art. 7(6)",
        lambda c, b, a: (
            c["role"] == "search_and_rescue"
            and c["event"]["rescue_under_way"]
            and c["area"]["combat"] != "none"
            and _gains(b, a)
        ),
    ),
    Kind(
        "survival_threatening_alone_triggers_minesweeping",
        "A survival-threatening situation on its own now triggers minesweeping.",
        "B15 6; B15 1",
        lambda c, b, a: (
            c["role"] == "minesweeping"
            and c["situation"]["survival_threatening"]
            and not c["situation"]["important_influence"]
            and not c["situation"]["armed_attack_on_japan"]
            and b == "not_triggered"
            and a in ("applies", "blocked")
        ),
    ),
    Kind(
        "surveillance_in_combat_when_survival_threatened",
        "Surveillance where combat goes on, in a survival-threatening situation.",
        "B15 6; B15 4.4; G15 IV.D",
        lambda c, b, a: (
            c["role"] == "surveillance"
            and c["situation"]["survival_threatening"]
            and c["area"]["combat"] == "ongoing"
            and _gains(b, a)
        ),
    ),
    Kind(
        "no_support_in_japan_where_combat",
        "The other way: logistics support in Japanese territory where combat is expected or going on.",
        "B15 6; B15 2 (1997: rear area; 2015: not where combat is or is expected)",
        lambda c, b, a: c["role"] == "logistic_support" and _japan_in_combat(c["area"]) and _loses(b, a),
    ),
)


# The third reading (B97 8.1) removed one: the 1997 rescue of combatants in Japanese territory where combat goes
# on or is expected is suspended too (Law60/1999 Art. 7(5) with Art. 6(5)), so it no longer differs. It adds two.
THIRD_READING = (
    Kind(
        "inspection_where_combat_is_expected",
        "The other way: inspection where combat is expected, held to the standard of rescue and logistics support.",
        "B15 7.5; Law145/2015 Art. 5(2)",
        lambda c, b, a: c["role"] == "embargo_inspection" and c["area"]["combat"] == "expected" and _loses(b, a),
    ),
    Kind(
        "before_the_1997_laws",
        "Before Law No. 60 of 1999 (or, for inspection, Law No. 145 of 2000) came into force, the 1997 rulebook "
        "blocks what rests on it; the 2015 rulebook, in force as a whole, says what its framework would do.",
        "B15 7 (as B97 8.3: laws in force); Law60/1999 Suppl. Prov. 1; Law145/2000 Suppl. Prov. 1",
        lambda c, b, a: (
            c["date"] is not None
            and str(c["date"]) < ("2001-03-01" if c["role"] == "embargo_inspection" else "1999-08-25")
            and _gains(b, a)
        ),
    ),
)
KINDS = KINDS + THIRD_READING


def explain(case: dict[str, Any], before: str, after: str) -> list[str]:
    """The ids of the kinds a difference is of (empty: the brief does not explain it)."""
    return [kind.id for kind in KINDS if kind.holds(case, before, after)]


# -- the cases of a scenario, as the kinds read them ----------------------------


def cases(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Per role, its cases in report order, each with what the kinds read: the situation, the area (for a
    request, the place: inside Japan when it names none), the event or the request, and all areas."""
    situation = {
        "armed_attack_on_japan": False,
        "survival_threatening": False,
        "un_sanctions_resolution": False,
        "ceasefire": "none",
        **data["situation"],
    }
    areas = {a["id"]: {"combat": "none", "consent": False, "adjacent_to": None, **a} for a in data.get("areas") or ()}
    events = [{**oracle97.EVENT_DEFAULTS.get(e["type"], {}), **e} for e in data.get("events") or ()]
    common = {"situation": situation, "areas": areas, "events": events, "date": data.get("date")}
    by_type = {
        "mines": "minesweeping",
        "persons_in_distress": "search_and_rescue",
        "sanctions_shipping": "embargo_inspection",
        "refugee_flow": "refugee_acceptance",
        "evacuation": "refugee_acceptance",
    }
    out: dict[str, list[dict[str, Any]]] = {role: [] for role in oracle97.ROLES}
    for event in events:
        role = by_type[event["type"]]
        out[role].append({**common, "role": role, "event": event, "area": areas.get(event.get("area"))})
    for area in areas.values():
        out["surveillance"].append({**common, "role": "surveillance", "area": area})
    for force, key in (("us", "us_forces"), ("other", "other_forces")):
        for request in (data.get(key) or {}).get("requests") or ():
            item, area_id = (request, None) if isinstance(request, str) else (request["item"], request.get("area"))
            role = "facility_access" if item in oracle97.FACILITIES else "logistic_support"
            place = oracle97.JAPAN if area_id is None or role == "facility_access" else areas[area_id]
            out[role].append({**common, "role": role, "force": force, "item": item, "area": place})
    return out
