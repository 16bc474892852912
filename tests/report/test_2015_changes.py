"""What the 2015 law changed, and what it kept, each reproduced by a shipped scenario pinned under both rulebooks.

The rows of research-notes section 5's summary table, and the kinds of change
section 6 of the 2015 brief lists (with its "must not change"), each named
with the shipped verdicts that show it: (file, role, place, 1997 status, 2015
status), every one of them pinned in that file's `expect:` for both rulebooks.
"""

from __future__ import annotations

import pytest

from engine.api import evaluate

from ..conftest import SCENARIOS
from .test_scenarios import _engine_status, evaluator_of, expectations

# research-notes section 5, "Summary: 1997/1999 versus 2015", row by row.
ROWS = {
    "Where it applies": [
        ("support_requests.yaml", "logistic_support", "transport@partner_waters", "blocked", "applies"),
        ("support_requests.yaml", "logistic_support", "transport@indian_ocean", "blocked", "applies"),
        ("support_requests.yaml", "logistic_support", "supplies@east_sea", "blocked", "applies"),
        ("rescue_abroad.yaml", "search_and_rescue", "korean_sea", "blocked", "applies"),
        ("un_embargo.yaml", "embargo_inspection", "third_state_waters", "blocked", "applies"),
        ("distant_waters.yaml", "embargo_inspection", "indian_ocean", "blocked", "applies"),
        # Rescue in Japan where combat goes on is blocked under 1997 too (Law60/1999 Art. 7(5) applying 6(5)):
        # the change of where the law reaches shows in logistic support, which Art. 6(5) does not suspend in Japan.
        ("japan_under_fire.yaml", "search_and_rescue", "sakishima", "blocked", "blocked"),
        ("japan_under_fire.yaml", "logistic_support", "supplies@sakishima", "applies", "blocked"),
        ("support_requests.yaml", "logistic_support", "transport@tense_sea", "blocked", "blocked"),
    ],
    "Who is supported": [
        ("korea.yaml", "logistic_support", "other:supplies", "blocked", "applies"),
        ("support_requests.yaml", "facility_access", "other:civilian_airports", "blocked", "applies"),
        ("support_requests.yaml", "facility_access", "civilian_airports", "applies", "applies"),
    ],
    "Ammunition": [
        ("korea.yaml", "logistic_support", "ammunition", "blocked", "applies"),
        ("strait.yaml", "logistic_support", "ammunition", "blocked", "applies"),
    ],
    "Refuelling/maintenance of aircraft preparing for combat sorties": [
        ("support_requests.yaml", "logistic_support", "refuel_combat_sortie", "blocked", "applies"),
        ("strait.yaml", "logistic_support", "refuel_combat_sortie", "blocked", "applies"),
    ],
    "Weapons": [
        ("weapons_request.yaml", "logistic_support", "weapons", "blocked", "blocked"),
        ("support_requests.yaml", "logistic_support", "weapons", "blocked", "blocked"),
    ],
    "SAR": [
        ("rescue_abroad.yaml", "search_and_rescue", "korean_sea", "blocked", "applies"),
        ("rescue_abroad.yaml", "search_and_rescue", "indian_ocean", "blocked", "applies"),
        ("rescue_interrupted.yaml", "search_and_rescue", "east_sea", "blocked", "applies"),
        ("korea.yaml", "search_and_rescue", "yellow_sea", "blocked", "blocked"),
    ],
    "Collective self-defense": [
        ("sea_lanes_survival.yaml", "minesweeping", "bashi_channel", "blocked", "applies"),
        ("hormuz.yaml", "minesweeping", "hormuz_strait", "not_triggered", "applies"),
        ("sea_lanes_survival.yaml", "surveillance", "east_china_sea", "blocked", "applies"),
    ],
}

# guidelines-2015.md section 6: each change the comparison must show, and what must show as unchanged.
SECTION_6 = {
    "ammunition": [("korea.yaml", "logistic_support", "ammunition", "blocked", "applies")],
    "refuelling for combat sorties": [
        ("support_requests.yaml", "logistic_support", "refuel_combat_sortie", "blocked", "applies")
    ],
    "support to forces other than U.S. forces": [
        ("korea.yaml", "logistic_support", "other:supplies", "blocked", "applies"),
        ("support_requests.yaml", "facility_access", "other:civilian_airports", "blocked", "applies"),
    ],
    "logistics abroad with consent and on distant high seas": [
        ("support_requests.yaml", "logistic_support", "transport@partner_waters", "blocked", "applies"),
        ("support_requests.yaml", "logistic_support", "transport@indian_ocean", "blocked", "applies"),
    ],
    "search and rescue abroad with consent and on distant high seas": [
        ("rescue_abroad.yaml", "search_and_rescue", "korean_sea", "blocked", "applies"),
        ("adjacent_rescue.yaml", "search_and_rescue", "korean_sea_b", "blocked", "applies"),
        ("rescue_abroad.yaml", "search_and_rescue", "indian_ocean", "blocked", "applies"),
    ],
    "inspection abroad with consent and on distant high seas": [
        ("un_embargo.yaml", "embargo_inspection", "third_state_waters", "blocked", "applies"),
        ("distant_waters.yaml", "embargo_inspection", "indian_ocean", "blocked", "applies"),
    ],
    "supplies and maintenance outside Japan": [
        ("support_requests.yaml", "logistic_support", "supplies@east_sea", "blocked", "applies"),
        ("support_requests.yaml", "logistic_support", "maintenance@east_sea", "blocked", "applies"),
    ],
    "active mines in a survival-threatening situation": [
        ("sea_lanes_survival.yaml", "minesweeping", "bashi_channel", "blocked", "applies"),
        ("sea_lanes_survival.yaml", "minesweeping", "luzon_waters", "blocked", "applies"),
    ],
    "a rescue already under way continues when combat breaks out": [
        ("rescue_interrupted.yaml", "search_and_rescue", "east_sea", "blocked", "applies"),
        ("rescue_interrupted.yaml", "search_and_rescue", "tense_sea", "blocked", "applies"),
    ],
    "a survival-threatening situation on its own triggers minesweeping": [
        ("hormuz.yaml", "minesweeping", "hormuz_strait", "not_triggered", "applies"),
        ("hormuz.yaml", "minesweeping", "gulf_of_oman", "not_triggered", "applies"),
        ("hormuz.yaml", "minesweeping", "iranian_waters", "not_triggered", "blocked"),
    ],
    "surveillance where combat goes on in a survival-threatening situation": [
        ("sea_lanes_survival.yaml", "surveillance", "east_china_sea", "blocked", "applies"),
    ],
    "the other way: logistics support in Japan where combat is expected or going on": [
        ("japan_under_fire.yaml", "logistic_support", "supplies@okinawa", "applies", "blocked"),
        ("japan_under_fire.yaml", "logistic_support", "supplies@sakishima", "applies", "blocked"),
    ],
    "the other way: search and rescue of combatants in Japan where combat is expected or going on": [
        # Rescue in Japan where combat goes on is blocked under 1997 too (Law60/1999 Art. 7(5) applying 6(5)):
        # the change of where the law reaches shows in logistic support, which Art. 6(5) does not suspend in Japan.
        ("japan_under_fire.yaml", "search_and_rescue", "sakishima", "blocked", "blocked"),
    ],
    "unchanged: weapons stay excluded": [
        ("weapons_request.yaml", "logistic_support", "weapons", "blocked", "blocked"),
    ],
    "unchanged: minesweeping of abandoned mines": [
        ("sea_lanes_ceasefire.yaml", "minesweeping", "sea_lanes", "applies", "applies"),
        ("ceasefire_mines.yaml", "minesweeping", "old_minefield", "applies", "applies"),
        ("ceasefire_mines.yaml", "minesweeping", "sea_lanes", "blocked", "blocked"),
    ],
    "unchanged: a resolution or flag-state consent is still needed for inspections": [
        ("flag_state_consent.yaml", "embargo_inspection", "closed_lane", "blocked", "blocked"),
    ],
    "unchanged: surveillance elsewhere": [
        ("korea.yaml", "surveillance", "korean_peninsula", "blocked", "blocked"),
        ("korea.yaml", "surveillance", "sea_of_japan", "applies", "applies"),
    ],
    "unchanged: facility access for U.S. forces": [
        ("korea.yaml", "facility_access", "sdf_facilities", "applies", "applies"),
    ],
    "unchanged: refugees": [
        ("refugee_exodus.yaml", "refugee_acceptance", None, "applies", "applies"),
        ("refugees_elsewhere.yaml", "refugee_acceptance", None, "not_triggered", "not_triggered"),
    ],
}


# The phase of a phased file that shows the change (None: the file has no phases).
PHASE = {"strait.yaml": "fighting", "rescue_interrupted.yaml": "fighting_breaks_out"}


def _pinned(name: str, role: str, place: str | None, before: str, after: str) -> None:
    path, phase = SCENARIOS / name, PHASE.get(name)
    assert (phase, role, place, before) in set(expectations(path, "1997")), (name, role, place, "1997")
    assert (phase, role, place, after) in set(expectations(path, "2015")), (name, role, place, "2015")
    for rulebook, status in (("1997", before), ("2015", after)):
        report = evaluate(path, evaluator=evaluator_of(rulebook))
        assert _engine_status(report if phase is None else report.phase_report(phase), role, place) == status


@pytest.mark.parametrize("row", sorted(ROWS), ids=lambda row: row)
def test_each_row_of_the_research_notes_table_is_reproduced(row):
    """research-notes section 5, summary table: each row (Where it applies; Who is supported; Ammunition;
    Refuelling/maintenance of aircraft preparing for combat sorties; Weapons; SAR; Collective self-defense) is
    shown by shipped verdicts pinned under both rulebooks (Law60/2015 Art. 1-3, 6-7; Law145/2015 Art. 5(4);
    SDF Law Art. 76(1)(ii); DoJ15, DoJ16)."""
    for entry in ROWS[row]:
        _pinned(*entry)


@pytest.mark.parametrize("change", sorted(SECTION_6), ids=lambda change: change)
def test_each_change_and_each_constant_of_section_6_is_reproduced(change):
    """guidelines-2015.md section 6: every change the comparison must show, and everything that must show as
    unchanged, is pinned by a shipped scenario under both rulebooks."""
    for entry in SECTION_6[change]:
        _pinned(*entry)


def test_the_scenarios_the_issue_names_exist_and_show_what_they_should():
    """A Korean contingency with Australian forces asking for supplies (korea.yaml), a Hormuz-type mining in a
    survival-threatening situation (hormuz.yaml), a rescue in a foreign territory with consent adjacent to
    nothing (rescue_abroad.yaml, korean_sea), logistic support on high seas where combat is expected
    (support_requests.yaml, transport@tense_sea), a request for weapons blocked in both (weapons_request.yaml)."""
    _pinned("korea.yaml", "logistic_support", "other:supplies", "blocked", "applies")
    _pinned("hormuz.yaml", "minesweeping", "hormuz_strait", "not_triggered", "applies")
    _pinned("rescue_abroad.yaml", "search_and_rescue", "korean_sea", "blocked", "applies")
    _pinned("support_requests.yaml", "logistic_support", "transport@tense_sea", "blocked", "blocked")
    _pinned("weapons_request.yaml", "logistic_support", "weapons", "blocked", "blocked")
    from engine.scenario import load

    korea = load(SCENARIOS / "korea.yaml").scenario
    assert korea.other_forces.operating and korea.other_forces.requests == ["supplies"]
    hormuz = load(SCENARIOS / "hormuz.yaml").scenario
    assert hormuz.situation.survival_threatening and hormuz.situation.ceasefire == "de_facto"
    assert not hormuz.situation.important_influence
    abroad = {a.id: a for a in load(SCENARIOS / "rescue_abroad.yaml").scenario.areas}["korean_sea"]
    assert abroad.kind == "foreign" and abroad.consent and abroad.adjacent_to is None
    sea = {a.id: a for a in load(SCENARIOS / "support_requests.yaml").scenario.areas}["tense_sea"]
    assert sea.kind == "high_seas" and sea.combat == "expected"
