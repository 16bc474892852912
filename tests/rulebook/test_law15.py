"""The verdicts follow the 2015 law the 2015 rulebook encodes, role by role, case by case.

The oracle (`tests/oracle15.py`) restates each role from the 2015 brief, the
decision tables and the statute texts, never from the rule files; the tests
here compare the engine under the 2015 rulebook with it on every combination of
area kind, combat, consent, situation (a survival-threatening situation
included) and event or request detail, and pin each decision where the brief
and a statute differ, or where a text was missing, with the article behind it.
"""

from __future__ import annotations

import itertools

import pytest

from engine.rete.evaluators import evaluator_for
from engine.rulebook.choice import choose
from engine.rulebook.describe import SECONDARY, source_kind

from .. import oracle15
from ..helpers import report_of
from .test_law import (
    AREAS,
    COMBATS,
    FACILITIES,
    LOGISTICS,
    MINES,
    PEOPLE,
    _area,
    _cases_in,
    _foreign_next_to,
    _requests,
    assert_follows_the_law,
    disagreements,
    inspection_grid,
    limits_of,
    one_area,
    scenario,
)


@pytest.fixture(scope="module")
def e15():
    return evaluator_for(choose(None, rulebook="2015").directory)


def follows(evaluator, grid, roles: tuple[str, ...]) -> int:
    return assert_follows_the_law(evaluator, grid, roles, oracle15)


SITUATIONS = [
    {"important_influence": ii, "armed_attack_on_japan": aa, "survival_threatening": st, "ceasefire": cf}
    for ii, aa, st in itertools.product((True, False), repeat=3)
    for cf in ("none", "de_facto", "formal")
]


# -- exhaustive oracles, role by role ---------------------------------------------


def test_minesweeping_follows_the_law(e15):
    """SDF Law Art. 84-2 (abandoned mines), Art. 76(1)(i) (armed attack, near Japan), Art. 76(1)(ii) with AAS-Law
    Art. 2(iv) (survival-threatening situation, any sea, combat stopped): every area, situation and kind of mines."""
    grid = (
        one_area(kind, combat, consent, event, **situation)
        for situation in SITUATIONS
        for kind, combat, consent in AREAS
        for event in MINES
    )
    assert follows(e15, grid, ("minesweeping",)) == 2304


def test_search_and_rescue_follows_the_law(e15):
    """Law60/2015 Art. 3(1)(iii), Art. 7(2)-(4) (not where combat goes on or is expected; abroad with consent),
    Art. 7(3) (noncombatants met), Art. 7(6) (a rescue under way continues); ordinary rescue near Japan."""
    grid = (
        one_area(kind, combat, consent, event, important_influence=ii, survival_threatening=st)
        for ii, st in itertools.product((True, False), repeat=2)
        for kind, combat, consent in AREAS
        for event in PEOPLE
    )
    assert follows(e15, grid, ("search_and_rescue",)) == 384


def test_rescue_with_others_in_the_area_and_next_door_follows_the_law(e15):
    """Law60/2015 Art. 7(3), 7(6) and the foreign sea next to an activity (Art. 7(2)-(4), the rulebook's reading):
    a group in distress beside combatants in the same area, in a foreign area next to an area of every kind."""
    grid = []
    for kind, combat, consent in AREAS:
        for next_kind, next_combat in itertools.product(
            ("japan", "high_seas", "distant_high_seas", "foreign"), COMBATS
        ):
            for who, under_way, next_under_way in itertools.product(
                ("combatants", "noncombatants"), (False, True), (False, True)
            ):
                areas = [
                    {"id": "f", "kind": kind, "combat": combat, "consent": consent, "adjacent_to": "x"},
                    {"id": "x", "kind": next_kind, "combat": next_combat, "consent": True},
                ]
                events = [
                    {"type": "persons_in_distress", "area": "f", "who": who, "rescue_under_way": under_way},
                    {"type": "persons_in_distress", "area": "f", "who": "combatants", "rescue_under_way": under_way},
                    {
                        "type": "persons_in_distress",
                        "area": "x",
                        "who": "combatants",
                        "rescue_under_way": next_under_way,
                    },
                ]
                grid.append(scenario(areas=areas, events=events[:1] + events[2:]))
                grid.append(scenario(areas=areas, events=events))
    assert follows(e15, grid, ("search_and_rescue",)) == 4608


def test_embargo_inspection_follows_the_law(e15):
    """Law145/2015 Art. 2 (resolution or flag-state consent, merchant ships), Art. 5(4) (foreign territory with
    consent); distant seas [V-sec]; combat going on bars it (Law60/2015 Art. 2, the rulebook's reading)."""
    assert follows(e15, inspection_grid(), ("embargo_inspection",)) == 576


def test_surveillance_follows_the_law(e15):
    """EstLaw and G15 IV.A.1 (from peacetime); SDF Law Art. 76(1)(i)-(ii) with G15 IV.C-IV.D (where combat goes
    on, only as part of a defence operation): every area, with and without each gate."""
    grid = (
        one_area(kind, combat, consent, important_influence=ii, armed_attack_on_japan=aa, survival_threatening=st)
        for ii, aa, st in itertools.product((True, False), repeat=3)
        for kind, combat, consent in AREAS
    )
    assert follows(e15, grid, ("surveillance",)) == 192


def test_facility_access_follows_the_law(e15):
    """Law60/2015 Art. 3(1)(i)-(ii) (conveniences to U.S. and other forces), G15 IV.B.7: never blocked."""
    assert follows(e15, _requests(FACILITIES), ("facility_access", "logistic_support")) == 800


def test_logistic_support_follows_the_law(e15):
    """Law60/2015 Art. 3(1)(i)-(ii), Art. 6(3)-(4), Art. 2 [V-sec]; the tables per DoJ15/DoJ16: every item, force
    and place; weapons never, everything else wherever no combat goes on or is expected (foreign with consent)."""
    assert follows(e15, _requests(LOGISTICS), ("logistic_support", "facility_access")) == 1200


@pytest.mark.parametrize(
    "event",
    [
        {"type": "refugee_flow", "toward": "japan"},
        {"type": "refugee_flow", "toward": "elsewhere"},
        {"type": "evacuation"},
    ],
)
def test_refugee_acceptance_follows_the_law(e15, event):
    """G15 IV.B.1, IV.B.3: refugees toward Japan and evacuees; a flow elsewhere does not trigger it."""
    for ii in (True, False):
        assert not disagreements(
            e15, scenario({"important_influence": ii}, events=[event]), ("refugee_acceptance",), oracle15
        )


# -- the decisions where the brief and a statute differ, or a text is missing -------------


@pytest.mark.parametrize("combat", ["expected", "ongoing"])
def test_japanese_territory_in_combat_gets_no_support_and_no_rescue_of_combatants(e15, combat):
    """Law60/2015 Art. 2 [V-sec: DoJ16; IPSA Art. 2(3) parallel, no territorial exception] and Art. 6(3), 7(2)
    with the stated practice (Gov-2015): the scene of combat, or where combat is expected, Japan included. The
    noncombatants there are still rescued (ordinary rescue), and the report says Japan's own laws govern."""
    data = scenario(
        areas=[{"id": "a", "kind": "japan", "combat": combat}],
        events=[
            {"type": "persons_in_distress", "area": "a", "who": "combatants"},
            {"type": "persons_in_distress", "area": "a", "who": "noncombatants"},
        ],
        us_forces={"operating": True, "requests": [{"item": "supplies", "area": "a"}]},
    )
    report = report_of(e15, data)
    combatants, others = _cases_in(report, "search_and_rescue")
    limit = "scene_of_combat" if combat == "ongoing" else "combat_expected"
    assert (combatants["status"], limits_of(combatants)) == ("blocked", (limit,))
    assert (others["status"], others["ground"]) == ("applies", "ordinary_rescue")
    request = report["roles"]["logistic_support"]["requests"][0]
    assert (request["status"], tuple(request["limits"])) == ("blocked", (limit,))
    shown = {n["id"] for n in report["notice_details"]}
    assert ("combat_in_japan" in shown) == (combat == "ongoing")


def test_noncombatants_next_to_an_activity_are_still_rescued(e15):
    """Law60/1999 Art. 7(4) let the SDF rescue persons seen in a consenting foreign sea next to the operation; the
    2015 Art. 7(2)-(4) let the implementation area take that sea in, and Art. 7(3) rescues those found there (the
    rulebook's reading, decision tables X1): the 1997 verdict stays."""
    areas, event = _foreign_next_to({"kind": "high_seas"})
    data = scenario(areas=areas, events=[event, {"type": "persons_in_distress", "area": "x", "who": "combatants"}])
    report = report_of(e15, data)
    assert _area(report, "search_and_rescue", "f")["status"] == "applies"
    assert _area(report, "search_and_rescue", "f")["ground"] == "adjacent_foreign_sea"
    alone = scenario(areas=areas, events=[event])  # nothing next door: noncombatants alone abroad
    case = _cases_in(report_of(e15, alone), "search_and_rescue", "f")[0]
    assert (case["status"], limits_of(case)) == ("blocked", ("noncombatants_without_operation",))


def test_combatants_abroad_need_consent_only(e15):
    """Law60/2015 Art. 7(4) with Art. 6(4) and Art. 2(4): another state's territory with its consent, adjacent
    to nothing (the 1999 Art. 7(4) adjacency is gone); without consent, blocked for that reason alone."""
    for consent, status, limits in ((True, "applies", ()), (False, "blocked", ("foreign_without_consent",))):
        data = one_area("foreign", "none", consent, {"type": "persons_in_distress", "who": "combatants"})
        case = _cases_in(report_of(e15, data), "search_and_rescue")[0]
        assert case["status"] == status and tuple(case.get("limits") or ()) == limits


@pytest.mark.parametrize("combat", ["expected", "ongoing"])
def test_a_rescue_under_way_continues_for_those_persons_only(e15, combat):
    """Law60/2015 Art. 7(6): found and rescue begun, it continues while the unit is safe, for those persons only:
    noncombatants not yet being rescued there are not (audit A-15(b)); a foreign state's consent is still needed."""
    data = scenario(
        areas=[{"id": "a", "kind": "high_seas", "combat": combat}],
        events=[
            {"type": "persons_in_distress", "area": "a", "who": "combatants", "rescue_under_way": True},
            {"type": "persons_in_distress", "area": "a", "who": "noncombatants"},
            {"type": "persons_in_distress", "area": "a", "who": "noncombatants", "rescue_under_way": True},
        ],
    )
    report = report_of(e15, data)
    combatants, not_yet, begun = _cases_in(report, "search_and_rescue")
    assert (combatants["status"], combatants["ground"]) == ("applies", "continuation")
    assert not_yet["status"] == "blocked"
    assert (begun["status"], begun["ground"]) == ("applies", "met_during_operation")
    assert "only for the persons already found" in " ".join(report["roles"]["search_and_rescue"]["constraints"])
    closed = one_area(
        "foreign", combat, False, {"type": "persons_in_distress", "who": "combatants", "rescue_under_way": True}
    )
    assert _cases_in(report_of(e15, closed), "search_and_rescue")[0]["status"] == "blocked"


def test_inspection_abroad_without_consent_names_its_own_limit(e15):
    """Law145/2015 Art. 5(4) and Law60/2015 Art. 2(4): inspection in a foreign sea needs that state's consent; the
    block says so (decision tables gap G-2), and the 1997 limit about Japan's waters is gone."""
    shipping = {"type": "sanctions_shipping", "flag_state_consent": True}
    for consent, status in ((True, "applies"), (False, "blocked")):
        case = _cases_in(report_of(e15, one_area("foreign", "none", consent, shipping)), "embargo_inspection")[0]
        assert case["status"] == status
        if status == "blocked":
            assert limits_of(case) == ("foreign_without_consent",)
    far = _cases_in(report_of(e15, one_area("distant_high_seas", "none", False, shipping)), "embargo_inspection")[0]
    assert far["status"] == "applies"


def test_expected_combat_bars_inspection_as_it_bars_rescue_and_logistics(e15):
    """Law145/2015 Art. 5(2) uses the words of Law60/2015 Arts. 6(3), 7(2) (「円滑かつ安全に」): the stated practice
    of not designating areas where combat is expected applies to inspection too (third reading 7.5)."""
    data = one_area("high_seas", "expected", False, {"type": "sanctions_shipping", "flag_state_consent": True})
    case = _cases_in(report_of(e15, data), "embargo_inspection")[0]
    assert (case["status"], limits_of(case)) == ("blocked", ("combat_expected",))


@pytest.mark.parametrize("ceasefire", ["none", "de_facto"])
def test_the_hormuz_case_in_a_survival_threatening_situation(e15, ceasefire):
    """SDF Law Art. 76(1)(ii), AAS-Law Art. 2(iv), G15 IV.D.3; Gov-2015 answers of 28 Aug (a use of force) and
    29 Sep 2015 (de facto ceasefire, mines not abandoned): cleared where combat has stopped, abroad with consent;
    prior Diet approval without exception when Japan is not itself attacked (Cabinet decision of 19 Sep 2015)."""
    mines = {"type": "mines", "status": "active"}
    situation = {"important_influence": False, "survival_threatening": True, "ceasefire": ceasefire}
    calm = report_of(e15, one_area("foreign", "none", True, mines, **situation))
    assert _area(calm, "minesweeping")["ground"] == "self_defence_survival"
    assert calm["roles"]["minesweeping"]["diet_approval"] == "prior"
    fighting = _cases_in(report_of(e15, one_area("foreign", "ongoing", True, mines, **situation)), "minesweeping")[0]
    assert (fighting["status"], limits_of(fighting)) == ("blocked", ("combat_ongoing",))
    closed = _cases_in(report_of(e15, one_area("foreign", "none", False, mines, **situation)), "minesweeping")[0]
    assert (closed["status"], limits_of(closed)) == ("blocked", ("foreign_without_consent",))


def test_active_mines_without_a_survival_threatening_situation_name_the_right_limit(e15):
    """Gov-2015 answer of 28 Aug 2015: clearing active mines is a use of force, allowed only in self-defence; the
    limit now names the survival-threatening situation too, and does not hold in one (decision tables gap G-3)."""
    mines = {"type": "mines", "status": "active"}
    plain = _cases_in(report_of(e15, one_area("high_seas", "none", False, mines)), "minesweeping")[0]
    assert limits_of(plain) == ("active_mines_no_self_defence",)
    at_war = one_area("high_seas", "ongoing", False, mines, survival_threatening=True)
    case = _cases_in(report_of(e15, at_war), "minesweeping")[0]
    assert limits_of(case) == ("combat_ongoing",)
    abroad = one_area("foreign", "none", True, {**mines, "conflict": "past"}, armed_attack_on_japan=True)
    assert limits_of(_cases_in(report_of(e15, abroad), "minesweeping")[0]) == ("active_mines_beyond_home_waters",)


@pytest.mark.parametrize("item", ["ammunition", "refuel_combat_sortie", "weapons"])
def test_ammunition_and_combat_sortie_fuel_but_never_weapons(e15, item):
    """Law60/2015 Table 1 and its one note (weapons only; the 1999 ammunition words and combat-sortie note are gone),
    with DoJ15 (Fig. II-1-3-5) and DoJ16 for ammunition: ammunition and fuel and maintenance for aircraft preparing
    for combat sorties may be provided, to other forces too; weapons never."""
    for force in ("us_forces", "other_forces"):
        report = report_of(e15, scenario(**{force: {"operating": True, "requests": [item]}}))
        request = report["roles"]["logistic_support"]["requests"][0]
        assert request["status"] == ("blocked" if item == "weapons" else "applies")
        if item == "weapons":
            assert tuple(request["limits"]) == ("weapons",)


def _cited_items(role):
    """Every basis a role's rules give, with where it is: grounds, procedures, constraints, limits, notes."""
    for ground in role.grounds:
        yield f"{role.id}.{ground.id}", ground.basis, ground.interpretation or ""
        for variant in ground.variants:
            yield f"{role.id}.{ground.id}.procedure", variant.procedure.basis, " ".join(variant.procedure.lines())
        for constraint in ground.constraints:
            yield f"{role.id}.{ground.id}.constraint", constraint.basis, constraint.text
    for limit in role.limits:
        yield f"{role.id}.{limit.id}", limit.basis, f"{limit.text} {limit.interpretation or ''}"
    for constraint in role.constraints:
        yield f"{role.id}.constraint", constraint.basis, constraint.text
    for text, basis in role.notes:
        yield f"{role.id}.note", basis, text


def test_rules_on_the_2015_statutes_cite_the_article_first(e15):
    """Law60/2015 Arts. 1-12 with Tables 1-2 and Law145/2015 Arts. 1-7 with the Table are in the source pack in
    full: a rule that cites them names no secondary source before the first statute article, and no text says an
    article was not retrieved."""
    rulebook = e15.rulebook
    for role in rulebook.roles:
        for where, basis, text in _cited_items(role):
            assert "not retrieved" not in text, where
            if not any(b.startswith(("Law60/2015", "Law145/2015")) for b in basis):
                continue
            kinds = [source_kind(rulebook, b) for b in basis]
            assert kinds[0] in ("statute", "guidelines"), (where, basis)
            first = kinds.index("statute")
            assert not set(kinds[:first]) & set(SECONDARY), (where, basis)
    for tag in ("Law60/2015", "Law145/2015"):
        assert "not retrieved" not in rulebook.sources[tag], tag


def test_the_statute_settles_weapons_and_the_scene_of_combat(e15):
    """Law60/2015 Table 1 note 「物品の提供には、武器の提供を含まないものとする。」 and Art. 2(3) (not 「現に戦闘行為が
    行われている現場」, no territorial exception): the logistics limits rest on the text alone, with no
    interpretation; only a rescue under Art. 7(6) is excepted, which this rulebook reads as outside Japan."""
    rulebook = e15.rulebook
    logistics = {lim.id: lim for lim in rulebook.role("logistic_support").limits}
    assert logistics["weapons"].basis[0] == "Law60/2015 Table 1 note" and not logistics["weapons"].interpretation
    scene = logistics["scene_of_combat"]
    assert scene.basis == ("Law60/2015 Art. 2(3)",) and not scene.interpretation
    rescue = {lim.id: lim for lim in rulebook.role("search_and_rescue").limits}["scene_of_combat"]
    assert rescue.basis[0] == "Law60/2015 Art. 2(3)" and "第七条第六項" in (rescue.interpretation or "")
    # ammunition is the one point the tables leave open: the white papers still back it, after the text
    ground = rulebook.role("logistic_support").grounds[0]
    assert ground.basis.index("Law60/2015 Table 1 note") < ground.basis.index("DoJ15")
    assert "（弾薬を含む。）" in (ground.interpretation or "")


def test_diet_approval_follows_law60_article_5(e15):
    """Law60/2015 Art. 5(1): prior approval, 「ただし、緊急の必要がある場合には、国会の承認を得ないで…実施することができる」;
    every procedure resting on Art. 5 is prior-or-after, on the statute alone."""
    found = 0
    for role in e15.rulebook.roles:
        for ground in role.grounds:
            for variant in ground.variants:
                if "Law60/2015 Art. 5" in variant.procedure.basis:
                    found += 1
                    assert variant.procedure.diet_approval == "prior_or_after", (role.id, ground.id)
                    assert not {"DoJ15", "DoJ16"} & set(variant.procedure.basis), (role.id, ground.id)
    assert found == 6  # logistics support, embargo inspection, four search and rescue grounds


def test_ship_inspection_has_no_place_clause(e15):
    """Law145/2015 Art. 2 has no place clause (the 2000 「我が国領海又は我が国周辺の公海…において」 is gone): the area
    is the basic plan's (Art. 4(1)(iii)) and the Minister's (Art. 5(2)), a foreign sea needs consent (Art. 4(3),
    5(4)); inspection on distant high seas and in a consenting foreign sea applies."""
    ships = {"type": "sanctions_shipping", "vessels": "merchant", "flag_state_consent": True}
    for kind, consent, status in (("distant_high_seas", False, "applies"), ("foreign", True, "applies")):
        case = _cases_in(report_of(e15, one_area(kind, "none", consent, ships)), "embargo_inspection")[0]
        assert case["status"] == status, kind
    ground = e15.rulebook.role("embargo_inspection").grounds[0]
    assert "Law145/2015 Art. 4(1)(iii)" in ground.basis and "DoJ15" not in ground.basis


def test_every_2015_rule_cites_the_2015_tags_where_the_law_changed(e15):
    """Each rule the 2015 files write cites a source tag of the 2015 brief (G15, Law60/2015, Law145/2015,
    AAS-Law, SDFLaw, Gov-2015, DoJ15, DoJ16) or one it keeps from 1997 for an unchanged rule."""
    tags = {"G15", "Law60/2015", "Law145/2015", "AAS-Law", "SDFLaw", "Gov-2015", "DoJ15", "DoJ16"}
    rulebook = e15.rulebook
    concepts = [c.named for c in rulebook.concepts.values()]
    for role in rulebook.roles:
        grounds = [g for g in role.grounds if "/2015/" in g.file]
        for item in (*role.triggers, *role.limits, *grounds, *concepts):
            if "/2015/" in item.file and item.basis:  # a trigger naming a concept cites the concept's basis
                assert {b.split(" ", 1)[0] for b in item.basis} & tags, (role.id, item.id)


# -- the third reading (issue 21) ----------------------------------------------------


def test_art_7_6_continued_rescue_does_not_anchor_a_foreign_sea(e15):
    """Law60/2015 Art. 7(6) continues only 「当該遭難者に係る」 rescue: noncombatants in a consenting foreign sea
    next to an area whose only rescue is a continuation (combat going on) are not rescued there."""
    data = scenario(
        areas=[
            {"id": "sea", "kind": "high_seas", "combat": "ongoing"},
            {"id": "coast", "kind": "foreign", "consent": True, "adjacent_to": "sea"},
        ],
        events=[
            {"type": "persons_in_distress", "area": "sea", "who": "combatants", "rescue_under_way": True},
            {"type": "persons_in_distress", "area": "coast", "who": "noncombatants"},
        ],
    )
    report = report_of(e15, data)
    assert _area(report, "search_and_rescue", "sea")["ground"] == "continuation"
    coast = _area(report, "search_and_rescue", "coast")
    assert coast["status"] == "blocked"
    assert "noncombatants_without_operation" in limits_of(coast)


def test_art_7_5_continuation_applies_outside_japan_only(e15):
    """Law60/2015 Art. 7(5) (「我が国の領域外における捜索救助活動」) and Art. 2(3): inside Japanese territory where
    combat goes on, a rescue marked under way is blocked at the scene of combat, not continued."""
    data = one_area(
        "japan", "ongoing", False, {"type": "persons_in_distress", "who": "combatants", "rescue_under_way": True}
    )
    case = _area(report_of(e15, data), "search_and_rescue")
    assert case["status"] == "blocked"
    assert "scene_of_combat" in limits_of(case)


def test_sdf_law_art_88_self_defence_minesweeping_under_2015(e15):
    """SDF Law Arts. 76(1)(i), 88: under armed attack, mines in a contested Japanese sea and on a distant sea lane
    are cleared in self-defence; in a survival-threatening situation alone, combat still blocks (16 June 2015)."""
    mines = {"type": "mines", "status": "active"}
    contested = one_area("high_seas", "ongoing", False, mines, armed_attack_on_japan=True)
    assert report_of(e15, contested)["roles"]["minesweeping"]["ground"] == "self_defence"
    far = one_area("distant_high_seas", "none", False, mines, armed_attack_on_japan=True)
    assert report_of(e15, far)["roles"]["minesweeping"]["status"] == "applies"
    survival = one_area("high_seas", "ongoing", False, mines, survival_threatening=True)
    case = _cases_in(report_of(e15, survival), "minesweeping")[0]
    assert case["status"] == "blocked"
    assert "combat_ongoing" in limits_of(case)


def test_law145_2015_art_5_2_inspection_blocked_where_combat_is_expected(e15):
    """Law145/2015 Art. 5(2) (「円滑かつ安全に」, as Law60/2015 Arts. 6(3), 7(2)): inspection is blocked where
    combat is expected, as rescue and logistics are, by a limit marked as the government's practice."""
    data = one_area("high_seas", "expected", False, {"type": "sanctions_shipping"}, un_sanctions_resolution=True)
    report = report_of(e15, data)
    case = _area(report, "embargo_inspection")
    assert case["status"] == "blocked"
    assert limits_of(case) == ("combat_expected",)
    assert any("interpretation" in r for r in report["roles"]["embargo_inspection"]["reasons"])


def test_doj23_survival_threatening_without_important_influence_warns_and_says_which_laws_govern(e15):
    """Defense of Japan 2023: a survival-threatening situation is, as a concept, included in an important
    influence situation; `validate` warns when the scenario has one without the other, and the notice names the
    laws that govern facilities, logistics, rescue and inspection then."""
    from engine.scenario.warnings import scenario_warnings

    data = scenario({"important_influence": False, "survival_threatening": True})
    warned = [w.message for w in scenario_warnings(data)]
    assert any("survival_threatening is true while situation.important_influence is false" in m for m in warned)
    notices = {n["id"]: n["text"] for n in report_of(e15, data)["notice_details"]}
    assert "Important Influence Situations Law" in notices["survival_without_important_influence"]
    both = scenario({"important_influence": True, "survival_threatening": True})
    assert not any("survival_threatening is true" in w.message for w in scenario_warnings(both))
    assert "survival_without_important_influence" not in {n["id"] for n in report_of(e15, both)["notice_details"]}


def test_art_2_4_consent_is_cited_and_a_cabinet_commitment_says_so(e15):
    """Law60/2015 Art. 2(4) (consent; its lapse Art. 6(4)), not Art. 7(4), which now changes the implementation
    area; "prior approval without exception" is the Cabinet's decision of 19 September 2015, not AAS-Law
    Art. 9(4), which allows an urgent exception; surveillance of foreign territory is about activity inside it."""
    sar = e15.rulebook.role("search_and_rescue")
    adjacent = next(g for g in sar.grounds if g.id == "adjacent_foreign_sea")
    assert "Law60/2015 Art. 2(4)" in adjacent.basis and "Law60/2015 Art. 7(4)" not in adjacent.basis
    consent = next(n for n in sar.limits if n.id == "foreign_without_consent")
    assert consent.basis[0] == "Law60/2015 Art. 2(4)"
    survival = next(g for g in e15.rulebook.role("minesweeping").grounds if g.id == "self_defence_survival")
    prior = survival.variants[-1].procedure
    assert prior.diet_approval == "prior" and any("Cabinet decision, not on statute" in s for s in prior.steps)
    surveillance = next(n for n in e15.rulebook.role("surveillance").limits if n.id == "foreign_territory")
    assert "watching it from international waters or airspace is not barred" in " ".join(surveillance.text.split())
