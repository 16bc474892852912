"""The verdicts follow the 1997 law the rulebook encodes, role by role, case by case.

The oracle (`tests/oracle97.py`) restates each role from the brief and the
statute articles, never from the rule files; the tests here compare the engine
with it on every combination of area kind, combat, consent, situation and
event or request detail, and pin each of the nine corrections of the brief's
version 2 with the article behind it.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from engine.report.evaluate import evaluate_scenario
from engine.scenario.models import Scenario

from .. import oracle97
from ..helpers import report_of

KINDS = ("japan", "high_seas", "distant_high_seas", "foreign")
COMBATS = ("none", "expected", "ongoing")
AREAS = list(itertools.product(KINDS, COMBATS, (False, True)))
FACILITIES = oracle97.FACILITIES
LOGISTICS = oracle97.LOGISTICS


def scenario(situation: dict[str, Any] | None = None, **parts: Any) -> dict[str, Any]:
    """A scenario as a file holds it; Section V engaged unless the situation says otherwise."""
    return {"scenario": "law", "situation": {"important_influence": True, **(situation or {})}, **parts}


def one_area(kind: str, combat: str, consent: bool, event: dict[str, Any] | None = None, **situation: Any):
    area = {"id": "a", "kind": kind, "combat": combat, "consent": consent}
    return scenario(situation, areas=[area], events=[dict(event, area="a")] if event else [])


def cases_of(report: dict[str, Any], role: str) -> list[dict[str, Any]]:
    return report["roles"][role]["cases"]


def grounds_of(case: dict[str, Any]) -> tuple[str, ...]:
    return tuple(case.get("grounds") or ())


def limits_of(case: dict[str, Any]) -> tuple[str, ...]:
    return tuple(case.get("limits") or ())


def reported(case: dict[str, Any]) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """A case as the oracle states it: status, grounds that hold, and (when blocked) the limits named."""
    status = case["status"]
    return status, grounds_of(case) if status == "applies" else (), limits_of(case) if status == "blocked" else ()


def expected(case: oracle97.Case) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    return (
        case.status,
        case.grounds if case.status == "applies" else (),
        case.limits if case.status == "blocked" else (),
    )


def disagreements(evaluator, data: dict[str, Any], roles: tuple[str, ...], law: Any = oracle97) -> list[str]:
    """Where the engine's report of `data` differs from the oracle (`law`: oracle97, or oracle15 for the 2015
    rulebook), for the given roles."""
    report = report_of(evaluator, data)
    oracle = law.verdicts(data)["roles"]
    out = []
    for role in roles:
        got = [reported(c) for c in cases_of(report, role)]
        want = [expected(c) for c in oracle[role]["cases"]]
        if got != want or report["roles"][role]["status"] != oracle[role]["status"]:
            out.append(f"{role}: engine {got}, law {want} in {data}")
    return out


def assert_follows_the_law(evaluator, scenarios, roles: tuple[str, ...], law: Any = oracle97) -> int:
    found, count = [], 0
    for data in scenarios:
        count += 1
        found.extend(disagreements(evaluator, data, roles, law))
    assert not found, f"{len(found)} of {count} scenarios differ, e.g.:\n" + "\n".join(found[:5])
    return count


SITUATIONS = [
    {"important_influence": ii, "armed_attack_on_japan": aa, "ceasefire": cf}
    for ii, aa, cf in itertools.product((True, False), (False, True), ("none", "de_facto", "formal"))
]


# -- exhaustive oracles, role by role ---------------------------------------------


MINES = [{"type": "mines", "status": s, "conflict": c} for s in ("abandoned", "active") for c in ("current", "past")]


def test_minesweeping_follows_the_law(evaluator):
    """SDFLaw Art. 84-2 with Gov-1987/1991/2015, and Art. 76 (G97 IV.2(1)b): every area, situation and kind of mines.

    Abandoned mines (a past conflict, or a formal ceasefire) in any sea without combat, foreign
    waters with consent; any mines in Japan and the seas around it when Japan is under armed attack.
    """
    grid = (
        one_area(kind, combat, consent, event, **situation)
        for situation in SITUATIONS
        for kind, combat, consent in AREAS
        for event in MINES
    )
    assert assert_follows_the_law(evaluator, grid, ("minesweeping",)) == 1152


# Persons in distress of each group, with and without a rescue already under way.
PEOPLE = [
    {"type": "persons_in_distress", "who": who, "rescue_under_way": under_way}
    for who in ("combatants", "noncombatants")
    for under_way in (False, True)
]


def test_search_and_rescue_follows_the_law(evaluator):
    """Law60/1999 Art. 3(1)(ii)-(iii), Art. 7(3); ordinary rescue (G97 V.2(1)b): every area, situation and group."""
    grid = (
        one_area(kind, combat, consent, event, important_influence=ii, armed_attack_on_japan=aa)
        for ii, aa in itertools.product((True, False), repeat=2)
        for kind, combat, consent in AREAS
        for event in PEOPLE
    )
    assert assert_follows_the_law(evaluator, grid, ("search_and_rescue",)) == 384


def test_rescue_next_to_an_operation_follows_the_law(evaluator):
    """Law60/1999 Art. 7(4): a foreign sea of every kind next to an area of every kind, with and without an operation.

    The rescue applies only with the state's consent, no combat there, and a rear area search and
    rescue operation for combatants carried out in the area its territorial sea borders.
    """

    def pair(kind, combat, consent, next_kind, next_combat, next_event, who, ii):
        areas = [
            {"id": "f", "kind": kind, "combat": combat, "consent": consent, "adjacent_to": "x"},
            {"id": "x", "kind": next_kind, "combat": next_combat},
        ]
        events = [{"type": "persons_in_distress", "area": "f", "who": who}]
        if next_event:
            events.append({"type": "persons_in_distress", "area": "x", "who": next_event})
        return scenario({"important_influence": ii}, areas=areas, events=events)

    grid = (
        pair(kind, combat, consent, next_kind, next_combat, next_event, who, ii)
        for kind, combat, consent in AREAS
        for next_kind, next_combat in itertools.product(KINDS, COMBATS)
        for next_event in (None, "combatants", "noncombatants")
        for who in ("combatants", "noncombatants")
        for ii in (True, False)
    )
    assert assert_follows_the_law(evaluator, grid, ("search_and_rescue",)) == 3456


def test_embargo_inspection_follows_the_law(evaluator):
    """Law145/2000 Art. 2 (resolution or flag-state consent, merchant ships, Japan's sea or the high seas around it).

    Combat going on bars it (Law60/1999 Art. 2(2), the rulebook's reading); combat expected does not.
    """
    assert assert_follows_the_law(evaluator, inspection_grid(), ("embargo_inspection",)) == 576


def inspection_grid():
    """Every area, with and without each gate and legal basis, for each kind of vessel (576 scenarios)."""
    return (
        one_area(
            kind,
            combat,
            consent,
            {"type": "sanctions_shipping", "flag_state_consent": flag, "vessels": vessels},
            important_influence=ii,
            un_sanctions_resolution=resolution,
        )  # fmt: skip
        for ii, resolution, flag in itertools.product((True, False), repeat=3)
        for kind, combat, consent in AREAS
        for vessels in ("merchant", "warship", "government")
    )


def test_surveillance_follows_the_law(evaluator):
    """EstLaw (surveys and research) and SDFLaw Art. 76 with G97 IV.2(1)a: every area, with and without any gate."""
    grid = (
        one_area(kind, combat, consent, important_influence=ii, armed_attack_on_japan=aa)
        for ii, aa in itertools.product((True, False), repeat=2)
        for kind, combat, consent in AREAS
    )
    assert assert_follows_the_law(evaluator, grid, ("surveillance",)) == 96


def _request(force: str, item: str, operating: bool, place: tuple[str, str, bool] | None, ii: bool):
    key = "us_forces" if force == "us" else "other_forces"
    if place is None:
        return scenario({"important_influence": ii}, **{key: {"operating": operating, "requests": [item]}})
    area = {"id": "p", "kind": place[0], "combat": place[1], "consent": place[2]}
    return scenario(
        {"important_influence": ii},
        areas=[area],
        **{key: {"operating": operating, "requests": [{"item": item, "area": "p"}]}},
    )


def _requests(items: tuple[str, ...]):
    """One request per scenario: each force, operating or not, with and without the determination, each item
    inside Japan and in an area of every variant."""
    return (
        _request(force, item, operating, place, ii)
        for force in ("us", "other")
        for operating, ii in itertools.product((True, False), repeat=2)
        for item in items
        for place in (None, *AREAS)
    )


def test_facility_access_follows_the_law(evaluator):
    """Law60/1999 Art. 3(1)(i), Art. 9 (G97 V.2(2)a): U.S. forces only, always inside Japan, an area is not read."""
    assert assert_follows_the_law(evaluator, _requests(FACILITIES), ("facility_access", "logistic_support")) == 800


def test_logistic_support_follows_the_law(evaluator):
    """Law60/1999 Art. 3(1)(i), (iii) and Table 1 notes 1-3: every item, force and place.

    Supplies and maintenance inside Japan, transport in any rear area, for U.S. forces; never
    weapons, ammunition or fuel for combat sorties; a request without an area is met inside Japan.
    """
    assert assert_follows_the_law(evaluator, _requests(LOGISTICS), ("logistic_support", "facility_access")) == 1200


@pytest.mark.parametrize(
    ("event", "status"),
    [
        ({"type": "refugee_flow", "toward": "japan"}, "applies"),
        ({"type": "refugee_flow", "toward": "elsewhere"}, "not_triggered"),
        ({"type": "evacuation"}, "applies"),
    ],
    ids=["toward-japan", "toward-elsewhere", "evacuation"],
)
def test_refugee_acceptance_follows_the_law(evaluator, event, status):
    """G97 V.2(1)a, c: refugees heading for Japan and evacuees to Japan; a flow elsewhere does not trigger it."""
    assert not disagreements(evaluator, scenario(events=[event]), ("refugee_acceptance",))
    report = report_of(evaluator, scenario(events=[event]))
    assert report["roles"]["refugee_acceptance"]["status"] == status
    assert not disagreements(
        evaluator, scenario({"important_influence": False}, events=[event]), ("refugee_acceptance",)
    )


# -- the nine corrections of the brief's version 2 ---------------------------------


def _area(report: dict[str, Any], role: str, area: str = "a") -> dict[str, Any]:
    return report["roles"][role]["areas"][area]


def _cases_in(report: dict[str, Any], role: str, area: str = "a") -> list[dict[str, Any]]:
    return [c for c in cases_of(report, role) if c.get("area") == area]


@pytest.mark.parametrize("combat", COMBATS)
def test_japanese_territory_is_a_rear_area_whatever_its_combat(evaluator, combat):
    """Law60/1999 Art. 3(1)(iii): Japanese territory is a rear area whatever its combat status (change 1).

    The combat test qualifies only the high seas: supplies for U.S. forces and surveillance in a Japanese
    area apply even where combat goes on or is expected (Art. 6(5) suspends only support outside Japanese
    territory). Search and rescue of combatants there is suspended instead (Art. 7(5) applying Art. 6(5),
    third reading 8.1).
    """
    data = scenario(
        areas=[{"id": "a", "kind": "japan", "combat": combat}],
        events=[{"type": "persons_in_distress", "area": "a", "who": "combatants"}],
        us_forces={"operating": True, "requests": [{"item": "supplies", "area": "a"}]},
    )
    report = report_of(evaluator, data)
    rescue = _area(report, "search_and_rescue")
    assert rescue["status"] == ("applies" if combat == "none" else "blocked")
    assert rescue["ground"] == ("rear_area_sar" if combat == "none" else None)
    assert report["roles"]["logistic_support"]["requests"][0]["status"] == "applies"
    assert report["roles"]["logistic_support"]["requests"][0]["ground"] == "rear_area_support"
    assert _area(report, "surveillance")["status"] == "applies"
    shown = {n["id"] for n in report["notice_details"]}
    assert ("combat_in_japan" in shown) == (combat == "ongoing")


@pytest.mark.parametrize("combat", ["expected", "ongoing"])
def test_high_seas_with_combat_are_not_a_rear_area(evaluator, combat):
    """Law60/1999 Art. 3(1)(iii): on the high seas the area is a rear area only with no combat now or expected."""
    data = one_area("high_seas", combat, False, {"type": "persons_in_distress", "who": "combatants"})
    case = _cases_in(report_of(evaluator, data), "search_and_rescue")[0]
    assert case["status"] == "blocked"
    assert limits_of(case) == ("not_rear_area_combat",)


def _foreign_next_to(report_data_x: dict[str, Any], *, consent=True, combat="none", who="noncombatants"):
    areas = [
        {"id": "f", "kind": "foreign", "consent": consent, "combat": combat, "adjacent_to": "x"},
        {"id": "x", **report_data_x},
    ]
    return areas, {"type": "persons_in_distress", "area": "f", "who": who}


def test_rescue_in_a_foreign_sea_needs_an_adjacent_operation(evaluator):
    """Law60/1999 Art. 7(4): consent alone is not enough; the foreign sea must border a rear area operation (change 2)."""
    alone = one_area("foreign", "none", True, {"type": "persons_in_distress", "who": "combatants"})
    case = _cases_in(report_of(evaluator, alone), "search_and_rescue")[0]
    assert case["status"] == "blocked"
    assert limits_of(case) == ("foreign_not_adjacent_to_operation",)

    areas, event = _foreign_next_to({"kind": "high_seas"})
    beside = scenario(areas=areas, events=[event, {"type": "persons_in_distress", "area": "x", "who": "combatants"}])
    report = report_of(evaluator, beside)
    assert _area(report, "search_and_rescue", "f")["status"] == "applies"
    assert _area(report, "search_and_rescue", "f")["ground"] == "adjacent_foreign_sea"
    assert "Rescue only, not search" in " ".join(report["roles"]["search_and_rescue"].get("constraints") or ())


@pytest.mark.parametrize(
    ("consent", "combat", "limit"),
    [
        (False, "none", "foreign_without_consent"),
        (True, "expected", "foreign_combat"),
        (True, "ongoing", "foreign_combat"),
    ],
)
def test_rescue_next_to_an_operation_needs_consent_and_no_combat(evaluator, consent, combat, limit):
    """Law60/1999 Art. 7(4): with the foreign state's consent, and only where no combat goes on or is expected."""
    areas, event = _foreign_next_to({"kind": "high_seas"}, consent=consent, combat=combat, who="combatants")
    data = scenario(areas=areas, events=[event, {"type": "persons_in_distress", "area": "x", "who": "combatants"}])
    case = _cases_in(report_of(evaluator, data), "search_and_rescue", "f")[0]
    assert case["status"] == "blocked"
    assert limits_of(case) == (limit,)


@pytest.mark.parametrize("item", ["weapons", "ammunition", "refuel_combat_sortie"])
def test_weapons_ammunition_and_combat_sortie_fuel_are_never_provided(evaluator, item):
    """Law60/1999 Table 1 notes 1-2: weapons (ammunition included) and fuel for combat sorties are logistic limits (change 3).

    They are not facility items any more: facility access is not triggered by them.
    """
    report = report_of(evaluator, scenario(us_forces={"operating": True, "requests": [item]}))
    assert report["roles"]["facility_access"]["status"] == "not_triggered"
    request = report["roles"]["logistic_support"]["requests"][0]
    assert (request["force"], request["item"], request["area"], request["status"]) == ("us", item, None, "blocked")
    assert limits_of(request) == (item,)
    basis = " ".join(report["roles"]["logistic_support"]["cases"][0]["basis"])
    assert ("Table 1 note 2" if item == "refuel_combat_sortie" else "Table 1 note 1") in basis


def test_transport_on_the_calm_high_seas_but_supplies_only_in_japan(evaluator):
    """Law60/1999 Table 1 note 3: outside Japanese territory only transport on the high seas (and airspace above)."""
    data = scenario(
        areas=[{"id": "sea", "kind": "high_seas"}],
        us_forces={
            "operating": True,
            "requests": [{"item": "transport", "area": "sea"}, {"item": "supplies", "area": "sea"}, "supplies"],
        },
    )
    requests = report_of(evaluator, data)["roles"]["logistic_support"]["requests"]
    assert [(r["item"], r["area"], r["status"]) for r in requests] == [
        ("transport", "sea", "applies"),
        ("supplies", "sea", "blocked"),
        ("supplies", None, "applies"),
    ]
    assert limits_of(requests[1]) == ("outside_japan_not_transport",)


@pytest.mark.parametrize(
    ("conflict", "ceasefire", "status"),
    [
        ("current", "none", "blocked"),
        ("current", "de_facto", "blocked"),
        ("current", "formal", "applies"),
        ("past", "none", "applies"),
        ("past", "de_facto", "applies"),
    ],
)
def test_abandoned_mines_need_a_formal_ceasefire_or_a_past_conflict(evaluator, conflict, ceasefire, status):
    """Gov-1991 and Gov-2015 (answer of 29 Sep 2015): a de facto ceasefire is not enough (change 4)."""
    data = one_area(
        "high_seas", "none", False, {"type": "mines", "status": "abandoned", "conflict": conflict}, ceasefire=ceasefire
    )
    case = _cases_in(report_of(evaluator, data), "minesweeping")[0]
    assert case["status"] == status
    if status == "blocked":
        assert limits_of(case) == ("not_abandoned_without_formal_ceasefire",)
    else:
        assert grounds_of(case) == ("abandoned_mines",)


@pytest.mark.parametrize(("kind", "consent", "status"), [
    ("japan", False, "applies"),
    ("high_seas", False, "applies"),
    ("distant_high_seas", False, "applies"),
    ("foreign", True, "applies"),
    ("foreign", False, "blocked"),
])  # fmt: skip
def test_abandoned_mines_may_be_swept_in_any_sea(evaluator, kind, consent, status):
    """SDFLaw Art. 84-2 has no geographic limit (1991: Iranian and Iraqi waters with consent) (change 4).

    Beyond the Annex waters the report says it is Japan's own action, not a Guidelines item.
    """
    data = one_area(kind, "none", consent, {"type": "mines", "status": "abandoned", "conflict": "past"})
    report = report_of(evaluator, data)
    assert _area(report, "minesweeping")["status"] == status
    constraints = " ".join(report["roles"]["minesweeping"].get("constraints") or ())
    assert ("not a Guidelines cooperation item" in constraints) == (
        status == "applies" and kind in ("distant_high_seas", "foreign")
    )


@pytest.mark.parametrize(("kind", "combat", "status", "limits"), [
    ("japan", "none", "applies", ()),
    ("high_seas", "expected", "applies", ()),
    ("high_seas", "ongoing", "applies", ()),
    ("distant_high_seas", "none", "applies", ()),
    ("foreign", "none", "blocked", ("active_mines_beyond_home_waters", "foreign_without_consent")),
])  # fmt: skip
def test_active_mines_are_cleared_in_self_defence_near_japan(evaluator, kind, combat, status, limits):
    """SDFLaw Arts. 76, 88 and G97 IV.2(1)b, IV.2(2)b: under armed attack, any mines in Japan's waters and on
    the high seas near or far, whatever the combat (third reading 8.2); never in another state's sea.
    """
    data = one_area(
        kind,
        combat,
        False,
        {"type": "mines", "status": "active"},
        important_influence=False,
        armed_attack_on_japan=True,
    )
    report = report_of(evaluator, data)
    case = _cases_in(report, "minesweeping")[0]
    assert case["status"] == status
    assert limits_of(case) == limits
    if status == "applies":
        assert grounds_of(case) == ("self_defence",)
        assert report["roles"]["minesweeping"]["diet_approval"] == "prior_or_after"
        assert any(
            "Prime Minister orders a defence operation" in line for line in report["roles"]["minesweeping"]["procedure"]
        )


def test_active_mines_are_not_cleared_without_an_attack(evaluator):
    """Gov-1987 and Gov-2015 (answer of 28 Aug 2015): clearing mines laid in hostilities is a use of force."""
    data = one_area(
        "high_seas", "none", False, {"type": "mines", "status": "active", "conflict": "past"}, ceasefire="formal"
    )
    case = _cases_in(report_of(evaluator, data), "minesweeping")[0]
    assert (case["status"], limits_of(case)) == ("blocked", ("active_mines_no_self_defence",))


@pytest.mark.parametrize("kind", ["japan", "high_seas", "distant_high_seas"])
def test_surveillance_needs_no_determination_and_reaches_distant_seas(evaluator, kind):
    """EstLaw (surveys and research), G97 V.1: no Section V determination, no geographic limit at sea (change 5).

    Its procedure is the Minister's order (the Director General's before 2007), not the Law No. 60
    procedure: no Cabinet decision and no Diet approval.
    """
    report = report_of(evaluator, one_area(kind, "none", False, important_influence=False))
    role = report["roles"]["surveillance"]
    assert _area(report, "surveillance")["status"] == "applies"
    assert _area(report, "surveillance")["ground"] == "surveys_and_research"
    assert role["diet_approval"] == "none"
    assert any("survey and research authority" in line for line in role["procedure"])
    assert not any("Cabinet decision on the measure" in line for line in role["procedure"])


def test_surveillance_at_sea_in_combat_is_part_of_the_defence_operation(evaluator):
    """G97 IV.2(1)a, SDFLaw Art. 76: under armed attack, combat at sea does not block surveillance; the ground changes."""
    attacked = report_of(evaluator, one_area("high_seas", "ongoing", False, armed_attack_on_japan=True))
    assert _area(attacked, "surveillance")["ground"] == "defence_operation"
    calm = report_of(evaluator, one_area("high_seas", "ongoing", False))
    assert _area(calm, "surveillance")["status"] == "blocked"


def test_expected_combat_does_not_block_inspection(evaluator):
    """Law145/2000 Art. 2 has no combat test; only combat going on bars it (Law60/1999 Art. 2(2), reading) (change 6)."""
    ship = {"type": "sanctions_shipping", "flag_state_consent": True}
    assert (
        _area(report_of(evaluator, one_area("high_seas", "expected", False, ship)), "embargo_inspection")["status"]
        == "applies"
    )
    ongoing = _cases_in(report_of(evaluator, one_area("high_seas", "ongoing", False, ship)), "embargo_inspection")[0]
    assert (ongoing["status"], limits_of(ongoing)) == ("blocked", ("combat_ongoing",))


@pytest.mark.parametrize("item", FACILITIES)
def test_civilian_facilities_are_requested_from_their_operators(evaluator, item):
    """Law60/1999 Art. 9(1)-(2), Art. 5: civilian facilities are asked of their operators; no Diet approval (change 7)."""
    role = report_of(evaluator, scenario(us_forces={"operating": True, "requests": [item]}))["roles"]["facility_access"]
    assert role["status"] == "applies"
    assert role["diet_approval"] == "none"
    text = " ".join(role["procedure"])
    if item == "sdf_facilities":
        assert "provides SDF facilities itself" in text
    else:
        assert "Art. 9(1)" in text and "They can only ask." in text


def test_forces_other_than_us_forces_are_not_supported(evaluator):
    """Law60/1999 Art. 3(1)(i): rear area support goes to U.S. forces only (change 7)."""
    data = scenario(other_forces={"operating": True, "requests": ["civilian_airports", "supplies"]})
    report = report_of(evaluator, data)
    for role in ("facility_access", "logistic_support"):
        (request,) = report["roles"][role]["requests"]
        assert (request["force"], request["status"]) == ("other", "blocked")
        assert limits_of(request) == ("not_us_forces",)
    quiet = report_of(evaluator, scenario(other_forces={"operating": False, "requests": ["supplies"]}))
    assert quiet["roles"]["logistic_support"]["status"] == "not_triggered"
    assert quiet["roles"]["logistic_support"]["requests"] == []


@pytest.mark.parametrize(
    ("date", "who"),
    [
        ("2006-12-31", "Director General of the Defense Agency"),
        ("2007-01-09", "Minister of Defense (before 9 January 2007, the Director General"),
        (None, "Minister of Defense (before 9 January 2007, the Director General"),
    ],
)
def test_procedure_names_the_director_general_before_2007(evaluator, date, who):
    """Law60/1999 Art. 7(1)-(2) as amended by Law No. 118 of 2006: the Defense Agency became a ministry in January 2007 (change 8)."""
    data = one_area("high_seas", "none", False, {"type": "persons_in_distress", "who": "combatants"})
    if date:
        data["date"] = date
    lines = " ".join(report_of(evaluator, data)["roles"]["search_and_rescue"]["procedure"])
    assert who in lines
    assert ("Minister of Defense" in lines) == (date != "2006-12-31")


@pytest.mark.parametrize(
    ("role", "event", "ground", "cites"),
    [
        (
            "search_and_rescue",
            {"type": "persons_in_distress", "who": "combatants"},
            "rear_area_sar",
            "Law60/1999 Art. 3(1)(iii)",
        ),
        (
            "minesweeping",
            {"type": "mines", "status": "abandoned", "conflict": "past"},
            "abandoned_mines",
            "SDFLaw Art. 84-2",
        ),
        (
            "embargo_inspection",
            {"type": "sanctions_shipping", "flag_state_consent": True},
            "ship_inspection",
            "Law145/2000 Art. 2",
        ),
    ],
)
def test_citations_name_the_exact_article(evaluator, role, event, ground, cites):
    """The brief's change 8: citations move to the exact article (Art. 3(1)(iii), Art. 84-2, Law145/2000 Art. 2)."""
    report = report_of(evaluator, one_area("high_seas", "none", False, event))
    case = _cases_in(report, role)[0]
    assert grounds_of(case)[0] == ground
    assert cites in case["basis"]


def test_adjacent_foreign_rescue_cites_article_7_4(evaluator):
    """Law60/1999 Art. 7(4), not Art. 3, is the basis of a rescue in a foreign territorial sea (change 8)."""
    areas, event = _foreign_next_to({"kind": "japan"})
    data = scenario(areas=areas, events=[event, {"type": "persons_in_distress", "area": "x", "who": "combatants"}])
    case = _cases_in(report_of(evaluator, data), "search_and_rescue", "f")[0]
    assert case["basis"] == ["Law60/1999 Art. 7(4)"]


def test_noncombatants_alone_are_an_ordinary_rescue(evaluator):
    """Law60/1999 Art. 3(1)(ii) covers combatants; noncombatants alone are rescued under ordinary authority (change 9).

    No Cabinet decision or Diet approval under Law No. 60 of 1999.
    """
    report = report_of(evaluator, one_area("high_seas", "none", False, {"type": "persons_in_distress"}))
    role = report["roles"]["search_and_rescue"]
    assert _area(report, "search_and_rescue")["ground"] == "ordinary_rescue"
    assert role["diet_approval"] == "none"


def test_a_rear_area_with_noncombatants_only_is_no_operation_to_be_adjacent_to(evaluator):
    """Law60/1999 Art. 7(4) needs a rear area search and rescue operation, for combatants, next door (change 9)."""
    areas, event = _foreign_next_to({"kind": "high_seas"}, who="combatants")
    data = scenario(areas=areas, events=[event, {"type": "persons_in_distress", "area": "x", "who": "noncombatants"}])
    report = report_of(evaluator, data)
    assert _area(report, "search_and_rescue", "x")["ground"] == "ordinary_rescue"
    case = _cases_in(report, "search_and_rescue", "f")[0]
    assert (case["status"], limits_of(case)) == ("blocked", ("foreign_not_adjacent_to_operation",))


def test_noncombatants_met_during_an_operation_are_rescued_as_part_of_it(evaluator):
    """Law60/1999 Art. 7(3): other persons in distress found during rear area search and rescue are rescued too."""
    data = scenario(
        areas=[{"id": "a", "kind": "high_seas"}],
        events=[
            {"type": "persons_in_distress", "area": "a", "who": "noncombatants"},
            {"type": "persons_in_distress", "area": "a", "who": "combatants"},
        ],
    )
    report = report_of(evaluator, data)
    first = _cases_in(report, "search_and_rescue")[0]
    assert grounds_of(first) == ("met_during_operation", "ordinary_rescue")
    assert report["roles"]["search_and_rescue"]["diet_approval"] == "prior_or_after"


def test_rescue_under_way_has_no_effect(evaluator):
    """Law60/1999 Art. 7(5) with Art. 6(4)-(5): the 1999 law suspends a rescue where combat breaks out; no continuation."""
    for under_way in (False, True):
        data = one_area(
            "high_seas",
            "ongoing",
            False,
            {"type": "persons_in_distress", "who": "combatants", "rescue_under_way": under_way},
        )
        assert _area(report_of(evaluator, data), "search_and_rescue")["status"] == "blocked"


# -- gates, roles and notices ----------------------------------------------------


def test_seven_roles_with_logistic_support_last_and_beyond_the_seed(evaluator):
    """B97 section 4: the six roles of the newsletter, then logistic support, marked as beyond its list."""
    report = report_of(evaluator, scenario())
    assert list(report["roles"]) == list(oracle97.ROLES)
    assert [role["beyond_seed"] for role in report["roles"].values()] == [False] * 6 + [True]


def test_nothing_but_surveillance_arises_without_any_gate(evaluator):
    """G97 V, IV.2(1)b; Law60/1999 Art. 1: without the determination or an armed attack only surveillance arises,
    and active mines are not cleared (Gov-1987: a use of force; SDF Law Art. 84-2 reaches abandoned mines only)."""
    data = scenario(
        {"important_influence": False},
        us_forces={"operating": True, "requests": ["civilian_ports", "supplies"]},
        other_forces={"operating": True, "requests": ["supplies"]},
        areas=[{"id": "a", "kind": "high_seas"}],
        events=[
            {"type": "mines", "area": "a", "status": "active"},
            {"type": "persons_in_distress", "area": "a"},
            {"type": "sanctions_shipping", "area": "a", "flag_state_consent": True},
            {"type": "refugee_flow", "toward": "japan"},
        ],
    )
    report = report_of(evaluator, data)
    statuses = {role: entry["status"] for role, entry in report["roles"].items()}
    assert statuses.pop("surveillance") == "applies"
    assert set(statuses.values()) == {"not_triggered"}
    assert "mines_outside_the_guidelines" in {n["id"] for n in report["notice_details"]}


@pytest.mark.parametrize(
    ("date", "article"),
    [("1991-04-24", "Art. 99"), ("2007-01-08", "Art. 99"), ("2007-01-09", "Art. 84-2"), (None, "Art. 84-2")],
)
def test_sdf_law_art_84_2_abandoned_mines_need_no_determination(evaluator, date, article):
    """SDF Law Art. 84-2 (Art. 99 before 9 January 2007; Gov-1991): abandoned mines are removed with no Section V
    determination and no armed attack, as Japan's own action, not a Guidelines cooperation item."""
    data = scenario(
        {"important_influence": False, "ceasefire": "formal"},
        areas=[{"id": "gulf", "kind": "distant_high_seas"}],
        events=[{"type": "mines", "area": "gulf", "status": "abandoned"}],
        **({"date": date} if date else {}),
    )
    report = report_of(evaluator, data)
    role = report["roles"]["minesweeping"]
    assert role["status"] == "applies" and _area(report, "minesweeping", "gulf")["ground"] == "abandoned_mines"
    own = [c for c in role["constraints"] if "not a Guidelines cooperation item" in c]
    assert len(own) == 1 and f"Japan's own action under SDF Law {article}" in " ".join(own[0].split())
    assert "Annex" not in " ".join(role["constraints"])  # the Annex constraint is for cooperation under a gate
    assert f"SDF Law {article}" in " ".join(" ".join(role["procedure"]).split())
    assert "mines_outside_the_guidelines" not in {n["id"] for n in report["notice_details"]}


def test_sdf_law_art_84_2_active_mines_still_need_a_gate(evaluator):
    """Gov-1987, Gov-2015 answer of 28 August 2015: clearing active mines is a use of force, so without a gate
    minesweeping is not triggered by them; abandoned mines without a formal ceasefire are triggered and blocked."""
    mines = {"type": "mines", "area": "a", "status": "active"}
    active = scenario({"important_influence": False}, areas=[{"id": "a", "kind": "high_seas"}], events=[mines])
    assert report_of(evaluator, active)["roles"]["minesweeping"]["status"] == "not_triggered"
    mines = {**mines, "status": "abandoned"}
    current = scenario({"important_influence": False}, areas=[{"id": "a", "kind": "high_seas"}], events=[mines])
    case = _cases_in(report_of(evaluator, current), "minesweeping")[0]
    assert case["status"] == "blocked" and "not_abandoned_without_formal_ceasefire" in limits_of(case)


@pytest.mark.parametrize(
    ("date", "shipping", "notices"),
    [
        ("1996-03-08", False, {"before_guidelines", "before_law60"}),
        ("1998-06-01", True, {"before_law60", "before_law145"}),
        ("2000-12-31", True, {"before_law145"}),
        ("2000-12-31", False, set()),
        ("2001-03-01", True, set()),
        (None, True, set()),
    ],
)
def test_notices_say_what_was_not_yet_in_force(evaluator, date, shipping, notices):
    """G97 of 23 Sep 1997; Law60/1999 in force 25 Aug 1999; Law145/2000 by March 2001: dated notices (B97 section 5)."""
    data = scenario(
        areas=[{"id": "a", "kind": "high_seas"}],
        events=[{"type": "sanctions_shipping", "area": "a", "flag_state_consent": True}] if shipping else [],
    )
    if date:
        data["date"] = date
    shown = {n["id"] for n in report_of(evaluator, data)["notice_details"]}
    assert shown & {"before_guidelines", "before_law60", "before_law145"} == notices


def test_survival_threatening_has_no_effect_under_this_rulebook(evaluator):
    """B97 section 1: the survival-threatening category was created in 2015; a notice says so and no verdict moves."""
    base = one_area("high_seas", "none", False, {"type": "mines", "status": "active"})
    flagged = one_area("high_seas", "none", False, {"type": "mines", "status": "active"}, survival_threatening=True)
    before, after = report_of(evaluator, base), report_of(evaluator, flagged)
    assert {r: e["status"] for r, e in before["roles"].items()} == {r: e["status"] for r, e in after["roles"].items()}
    assert "survival_threatening" in {n["id"] for n in after["notice_details"]}
    assert "survival_threatening" not in {n["id"] for n in before["notice_details"]}


def test_no_legal_obligation_and_section_iv_notices(evaluator):
    """G97 II.4 (no obligation to act) always; G97 IV.2(1)a when Japan is under armed attack."""
    plain = {n["id"] for n in report_of(evaluator, scenario())["notice_details"]}
    attacked = {n["id"] for n in report_of(evaluator, scenario({"armed_attack_on_japan": True}))["notice_details"]}
    assert plain == {"no_legal_obligation"}
    assert attacked == {"no_legal_obligation", "section_iv"}


# -- the third reading (issue 21) ----------------------------------------------------


@pytest.mark.parametrize("combat", ["expected", "ongoing"])
def test_art_7_5_with_6_5_suspends_rescue_in_japan_where_combat_nears(evaluator, combat):
    """Law60/1999 Art. 7(5) applying Art. 6(5): where combat goes on or is expected nearby, a rear area search and
    rescue is suspended, Japanese territory included; rear area support inside Japan is not (Art. 6(5) reaches
    only support outside Japan), and noncombatants alone are still an ordinary rescue."""
    data = scenario(
        areas=[
            {"id": "a", "kind": "japan", "combat": combat},
            {"id": "coast", "kind": "foreign", "consent": True, "adjacent_to": "a"},
        ],
        events=[
            {"type": "persons_in_distress", "area": "a", "who": "combatants"},
            {"type": "persons_in_distress", "area": "coast", "who": "combatants"},
        ],
        us_forces={"operating": True, "requests": [{"item": "supplies", "area": "a"}]},
    )
    report = report_of(evaluator, data)
    assert _area(report, "search_and_rescue")["status"] == "blocked"
    assert "combat_suspends_rescue" in limits_of(_area(report, "search_and_rescue"))
    assert _area(report, "search_and_rescue", "coast")["status"] == "blocked"
    assert "foreign_not_adjacent_to_operation" in limits_of(_area(report, "search_and_rescue", "coast"))
    assert report["roles"]["logistic_support"]["requests"][0]["status"] == "applies"
    alone = one_area("japan", combat, False, {"type": "persons_in_distress", "who": "noncombatants"})
    assert _area(report_of(evaluator, alone), "search_and_rescue")["ground"] == "ordinary_rescue"


def test_sdf_law_art_88_self_defence_minesweeping_whatever_the_combat(evaluator):
    """SDF Law Arts. 76, 88 (third reading 8.2): under armed attack, mines in Japanese waters are cleared on the
    self-defence ground even where combat goes on; the 16 June 2015 answer is a constraint (interpretation)."""
    data = one_area("japan", "ongoing", False, {"type": "mines", "status": "active"}, armed_attack_on_japan=True)
    role = report_of(evaluator, data)["roles"]["minesweeping"]
    assert role["status"] == "applies"
    assert role["ground"] == "self_defence"
    assert any("not envisaged" in c and "interpretation" in c for c in role["constraints"])
    assert not any("84-2" in c for c in role["constraints"])


def test_g97_iv_2_2_b_active_mines_on_a_distant_sea_lane_under_attack(evaluator):
    """G97 IV.2(2)b and SDF Law Art. 88: active mines on distant high seas under armed attack are cleared; the
    answer of 28 August 2015 concerns foreign territory only, which stays blocked."""
    far = one_area(
        "distant_high_seas", "none", False, {"type": "mines", "status": "active"}, armed_attack_on_japan=True
    )
    assert report_of(evaluator, far)["roles"]["minesweeping"]["status"] == "applies"
    there = one_area("foreign", "none", True, {"type": "mines", "status": "active"}, armed_attack_on_japan=True)
    case = _cases_in(report_of(evaluator, there), "minesweeping")[0]
    assert case["status"] == "blocked"
    assert "active_mines_beyond_home_waters" in limits_of(case)


@pytest.mark.parametrize(
    ("date", "rescue", "inspection"),
    [
        ("1999-08-24", "blocked", "blocked"),
        ("1999-08-25", "applies", "blocked"),
        ("2001-02-28", "applies", "blocked"),
        ("2001-03-01", "applies", "applies"),
    ],
)
def test_law60_1999_suppl_prov_1_no_ground_before_the_law_is_in_force(evaluator, date, rescue, inspection):
    """Law60/1999 Suppl. Prov. 1 (in force 1999-08-25) and Law145/2000 Suppl. Prov. 1 (2001-03-01): before
    its law is in force a ground does not hold, a limit says so, and the header names the law."""
    data = scenario(
        {"un_sanctions_resolution": True},
        date=date,
        areas=[{"id": "a", "kind": "high_seas"}],
        events=[
            {"type": "persons_in_distress", "area": "a", "who": "combatants"},
            {"type": "sanctions_shipping", "area": "a"},
        ],
    )
    report = report_of(evaluator, data)
    assert _area(report, "search_and_rescue")["status"] == rescue
    assert _area(report, "embargo_inspection")["status"] == inspection
    if rescue == "blocked":
        assert limits_of(_area(report, "search_and_rescue")) == ("not_in_force_law_no_60_of_1999",)
        assert "Law No. 60 of 1999 and Law No. 145 of 2000 not yet in force" in report["rulebook_reason"]
    if inspection == "blocked":
        assert "not_in_force_law_no_145_of_2000" in limits_of(_area(report, "embargo_inspection"))


def test_the_1991_persian_gulf_case_under_the_earliest_rulebook():
    """SDF Law Art. 99 (Art. 84-2 from 9 January 2007) and the Cabinet decision of 24 April 1991 (Gov-1991): after
    the formal ceasefire, abandoned mines on the distant high seas are removed with no determination; the case
    predates every rulebook, so the earliest (1997) evaluates it with its notice (history.md, case 1)."""
    data = {
        "scenario": "Persian Gulf minesweeping, 1991",
        "date": "1991-04-24",
        "situation": {"important_influence": False, "ceasefire": "formal"},
        "areas": [
            {"id": "gulf_high_seas", "kind": "distant_high_seas"},
            {"id": "iran_ts", "kind": "foreign"},  # consent not found in the record
        ],
        "events": [
            {"type": "mines", "area": "gulf_high_seas", "status": "abandoned"},
            {"type": "mines", "area": "iran_ts", "status": "abandoned"},
        ],
    }
    valid = Scenario.model_validate(data).model_dump(mode="json")
    report = evaluate_scenario(valid, source="<1991>").as_dict()
    assert report["rulebook"] == "1997" and "before_guidelines" in {n["id"] for n in report["notice_details"]}
    role = report["roles"]["minesweeping"]
    assert role["status"] == "applies" and role["areas"]["gulf_high_seas"]["ground"] == "abandoned_mines"
    assert role["areas"]["iran_ts"]["status"] == "blocked" and role["areas"]["iran_ts"]["limits"] == [
        "foreign_without_consent"
    ]
    procedure = " ".join(" ".join(role["procedure"]).split())
    assert "Director General of the Defense Agency under SDF Law Art. 99" in procedure
    assert any("Japan's own action under SDF Law Art. 99" in " ".join(c.split()) for c in role["constraints"])
