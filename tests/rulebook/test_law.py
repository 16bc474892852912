"""The verdicts follow the law the rulebook encodes, role by role and area by area.

Each oracle below restates one role's legal conditions in plain Python,
independently of the rule files, and is compared with the engine on every
combination of area kind, combat status and event detail.
"""

from __future__ import annotations

import itertools

import pytest

from engine.scenario.vocab import AREA_KINDS, COMBATS

from ..helpers import run, scenario

AREAS = list(itertools.product(AREA_KINDS, COMBATS, (False, True)))
AREA_IDS = [f"{kind}-{combat}-{'consent' if consent else 'no-consent'}" for kind, combat, consent in AREAS]


def one_area(kind: str, combat: str, consent: bool, event: dict, **situation) -> dict:
    area = {"id": "a", "kind": kind, "combat": combat, "consent": consent}
    return scenario(areas=[area], events=[dict(event, area="a")], **situation)


def rear_area(kind: str, combat: str) -> bool:
    return kind in ("japan", "high_seas") and combat == "none"


# -- minesweeping -------------------------------------------------------------


def minesweeping_oracle(kind: str, combat: str, status: str) -> str:
    if kind in ("japan", "high_seas") and status == "abandoned" and combat != "ongoing":
        return "applies"
    return "blocked"


@pytest.mark.parametrize("status", ["abandoned", "active"])
@pytest.mark.parametrize(("kind", "combat", "consent"), AREAS, ids=AREA_IDS)
def test_minesweeping_follows_the_law(evaluator, kind, combat, consent, status):
    """Minesweeping applies only to abandoned mines in Japanese or nearby high seas without ongoing combat."""
    report = run(evaluator, one_area(kind, combat, consent, {"type": "mines", "status": status}))
    verdict = report.roles["minesweeping"].areas["a"]
    assert verdict.status == minesweeping_oracle(kind, combat, status)
    if verdict.status == "blocked":
        limits = {r.id for r in verdict.reasons}
        assert ("active_mines" in limits) == (status == "active")
        assert ("combat_ongoing" in limits) == (combat == "ongoing")
        assert ("outside_annex_waters" in limits) == (kind in ("foreign", "distant_high_seas"))


# -- search and rescue --------------------------------------------------------


def sar_oracle(kind: str, combat: str, consent: bool) -> str:
    if rear_area(kind, combat):
        return "applies"
    if kind == "foreign" and combat == "none" and consent:
        return "applies"
    return "blocked"


@pytest.mark.parametrize("who", ["combatants", "noncombatants"])
@pytest.mark.parametrize(("kind", "combat", "consent"), AREAS, ids=AREA_IDS)
def test_search_and_rescue_follows_the_law(evaluator, kind, combat, consent, who):
    """SAR applies in rear areas, and in foreign areas without combat when the state consents."""
    report = run(evaluator, one_area(kind, combat, consent, {"type": "persons_in_distress", "who": who}))
    verdict = report.roles["search_and_rescue"].areas["a"]
    assert verdict.status == sar_oracle(kind, combat, consent)
    if verdict.status == "blocked":
        limits = {r.id for r in verdict.reasons}
        assert ("combat_expected" in limits) == (combat == "expected")
        assert ("combat_ongoing" in limits) == (combat == "ongoing")
        assert ("foreign_without_consent" in limits) == (kind == "foreign" and not consent)
        assert ("distant_waters" in limits) == (kind == "distant_high_seas")


# -- embargo inspection -------------------------------------------------------


def embargo_oracle(kind: str, combat: str, resolution: bool, flag: bool, vessels: str) -> str:
    if (resolution or flag) and kind in ("japan", "high_seas") and combat == "none" and vessels == "merchant":
        return "applies"
    return "blocked"


@pytest.mark.parametrize("vessels", ["merchant", "warship", "government"])
@pytest.mark.parametrize(("resolution", "flag"), list(itertools.product((False, True), repeat=2)))
@pytest.mark.parametrize(("kind", "combat"), list(itertools.product(AREA_KINDS, COMBATS)))
def test_embargo_inspection_follows_the_law(evaluator, kind, combat, resolution, flag, vessels):
    """Inspection needs a UNSC resolution or flag-state consent, merchant ships, and combat-free nearby waters."""
    event = {"type": "sanctions_shipping", "flag_state_consent": flag, "vessels": vessels}
    report = run(evaluator, one_area(kind, combat, False, event, resolution=resolution))
    verdict = report.roles["embargo_inspection"].areas["a"]
    assert verdict.status == embargo_oracle(kind, combat, resolution, flag, vessels)
    if verdict.status == "blocked":
        limits = {r.id for r in verdict.reasons}
        assert ("no_legal_basis" in limits) == (not resolution and not flag)
        assert ("protected_vessels" in limits) == (vessels != "merchant")


# -- surveillance -------------------------------------------------------------


@pytest.mark.parametrize(("kind", "combat", "consent"), AREAS, ids=AREA_IDS)
def test_surveillance_follows_the_law(evaluator, kind, combat, consent):
    """Surveillance covers every area once Section V is engaged; it applies in Japan and nearby seas without combat."""
    data = scenario(areas=[{"id": "a", "kind": kind, "combat": combat, "consent": consent}])
    verdict = run(evaluator, data).roles["surveillance"].areas["a"]
    expected = "applies" if kind in ("japan", "high_seas") and combat != "ongoing" else "blocked"
    assert verdict.status == expected


# -- facility access ----------------------------------------------------------

FACILITIES = ["civilian_airports", "civilian_ports", "sdf_facilities", "hospitals"]


@pytest.mark.parametrize("operating", [False, True])
@pytest.mark.parametrize("item", FACILITIES + ["weapons", "ammunition"])
def test_facility_access_follows_the_law(evaluator, item, operating):
    """Facilities are granted to U.S. forces operating for the Treaty; weapons and ammunition are blocked."""
    report = run(evaluator, scenario(operating=operating, requests=[item]))
    role = report.roles["facility_access"]
    if not operating:
        assert role.status == "not_triggered"
    else:
        assert role.status == ("applies" if item in FACILITIES else "blocked")
    assert role.areas is None


def test_facility_access_applies_when_any_facility_is_granted(evaluator):
    """A weapons request next to an airport request: the role applies, the weapons case is blocked."""
    role = run(evaluator, scenario(operating=True, requests=["civilian_airports", "weapons"])).roles["facility_access"]
    assert role.status == "applies"
    assert [c.status for c in role.cases] == ["applies", "blocked"]


# -- refugee acceptance -------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"type": "refugee_flow", "toward": "japan"}, "applies"),
        ({"type": "refugee_flow", "toward": "elsewhere"}, "not_triggered"),
        ({"type": "evacuation"}, "applies"),
    ],
    ids=["toward-japan", "toward-elsewhere", "evacuation"],
)
def test_refugee_acceptance_follows_the_law(evaluator, event, expected):
    """Refugees heading for Japan and evacuees to Japan trigger the role; a flow elsewhere does not."""
    assert run(evaluator, scenario(events=[event])).roles["refugee_acceptance"].status == expected


# -- the gate: Section V -----------------------------------------------------


def test_nothing_arises_without_the_section_v_determination(evaluator):
    """Without Japan's determination every role is not triggered, with the determination as the reason."""
    data = scenario(
        influence=False,
        operating=True,
        requests=["civilian_ports"],
        areas=[{"id": "a", "kind": "high_seas"}],
        events=[
            {"type": "mines", "area": "a", "status": "abandoned"},
            {"type": "persons_in_distress", "area": "a"},
            {"type": "refugee_flow", "toward": "japan"},
        ],
    )
    report = run(evaluator, data)
    assert set(report.statuses().values()) == {"not_triggered"}
    reasons = report.roles["minesweeping"].areas["a"].reasons
    assert [r.id for r in reasons] == ["section_v"]
    assert "important influence" in reasons[0].text
    assert reasons[0].basis == ("G97 V", "G97 V.2")


def test_section_iv_notice_when_japan_is_attacked(evaluator):
    """An armed attack on Japan adds the Section IV notice and still evaluates the Section V roles."""
    report = run(evaluator, scenario(attack=True, areas=[{"id": "a", "kind": "japan"}]))
    assert any(n.id == "section_iv" for n in report.notices)
    assert report.roles["surveillance"].status == "applies"


def test_combat_in_japan_notice_names_the_area(evaluator):
    """Combat ongoing on Japanese territory without a declared attack is flagged as a Section IV matter."""
    data = scenario(areas=[{"id": "yonaguni", "name": "Yonaguni", "kind": "japan", "combat": "ongoing"}])
    notices = [n for n in run(evaluator, data).notices if n.id == "combat_in_japan"]
    assert len(notices) == 1 and "Yonaguni" in notices[0].text and notices[0].area == "yonaguni"
