"""The shipped scenarios: each meets its `expect:`, agrees with the law, and together they reach every verdict."""

from __future__ import annotations

import datetime

import pytest
import yaml

from engine.api import evaluate
from engine.rete.evaluators import evaluator_for
from engine.rulebook.choice import choose
from engine.scenario.load import load_scenario
from engine.scenario.vocab import ROLE_IDS, RULEBOOK_IDS

from .. import oracle15, oracle97
from ..conftest import SCENARIOS

PATHS = sorted(SCENARIOS.glob("*.yaml"))
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/scenario.schema.json\n"
ORACLES = {"1997": oracle97, "2015": oracle15}


def evaluator_of(rulebook: str):
    return evaluator_for(choose(None, rulebook=rulebook).directory)


def request_key(force: str, item: str, area: str | None) -> str:
    """How `expect:` names a request: `item`, `item@area`, `other:` for other countries' forces."""
    key = item if area is None else f"{item}@{area}"
    return key if force == "us" else f"other:{key}"


def expectations(path, rulebook: str = "1997"):
    """(role, place or None, expected status) of a scenario's `expect:` block for `rulebook`; a place is an area
    or a request key."""
    for role, entry in (load_scenario(path).expect or {}).get(rulebook, {}).items():
        if isinstance(entry, str):
            yield role, None, entry
            continue
        if entry.status:
            yield role, None, entry.status
        yield from ((role, area, status) for area, status in entry.areas.items())
        yield from ((role, key, status) for key, status in entry.requests.items())


def _engine_status(report, role: str, place: str | None) -> str:
    role_report = report.as_dict()["roles"][role]
    if place is None:
        return role_report["status"]
    if place in (role_report.get("areas") or {}):
        return role_report["areas"][place]["status"]
    found = {request_key(r["force"], r["item"], r["area"]): r["status"] for r in role_report.get("requests") or ()}
    return found[place]


def _oracle_status(verdicts, role: str, place: str | None) -> str:
    entry = verdicts["roles"][role]
    if place is None:
        return entry["status"]
    if place in (entry.get("areas") or {}):
        return entry["areas"][place]
    return {request_key(f, i, a): c.status for f, i, a, c in entry["requests"]}[place]


@pytest.mark.parametrize("rulebook", RULEBOOK_IDS)
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_scenario_meets_its_expectations(path, rulebook):
    """Under each rulebook its `expect:` names, every pinned status comes out as pinned."""
    report = evaluate(path, evaluator=evaluator_of(rulebook))
    pinned = list(expectations(path, rulebook))
    assert pinned
    for role, place, status in pinned:
        got = _engine_status(report, role, place)
        assert got == status, f"{rulebook} {role}{'@' + place if place else ''}: expected {status}, got {got}"


@pytest.mark.parametrize("rulebook", RULEBOOK_IDS)
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_scenario_expectations_follow_the_law(path, rulebook):
    """Every `expect:` agrees with the oracle written from the briefs and the statutes (tests/oracle97.py, 1997;
    tests/oracle15.py, 2015)."""
    verdicts = ORACLES[rulebook].verdicts(yaml.safe_load(path.read_text(encoding="utf-8")))
    for role, place, status in expectations(path, rulebook):
        assert _oracle_status(verdicts, role, place) == status, f"{role} {place}"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_scenario_pins_both_rulebooks_with_the_schema_line(path):
    """Each file names the schema and pins the same roles and places under both rulebooks; a dated file is dated
    while the rulebook it evaluates under by default was in force (2001-03-01 to 2016-03-28 for 1997: after Law
    No. 145 of 2000 came into force; from 2016-03-29 for 2015)."""
    assert path.read_text(encoding="utf-8").startswith(SCHEMA_LINE)
    scenario = load_scenario(path)
    assert set(scenario.expect or {}) == set(RULEBOOK_IDS)
    pinned = {rulebook: [(role, place) for role, place, _ in expectations(path, rulebook)] for rulebook in RULEBOOK_IDS}
    assert pinned["1997"] and pinned["1997"] == pinned["2015"]
    if scenario.date is not None:
        assert datetime.date(2001, 3, 1) <= scenario.date <= datetime.date(2016, 3, 28) or scenario.date >= (
            datetime.date(2016, 3, 29)
        )


def test_strait_covers_the_crisis_it_describes():
    """strait.yaml: China confronts Taiwan, U.S. requests, mines and persons in distress with and without combat."""
    strait = load_scenario(SCENARIOS / "strait.yaml")
    assert strait.date == datetime.date(2009, 4, 10)
    assert {r if isinstance(r, str) else r.item for r in strait.us_forces.requests} >= {
        "civilian_airports",
        "civilian_ports",
        "hospitals",
        "transport",
        "ammunition",
        "refuel_combat_sortie",
    }
    combat = {a.id: a.combat for a in strait.areas}
    assert {combat[e.area] for e in strait.events if e.type == "mines"} == {"ongoing", "none"}
    assert {combat[e.area] for e in strait.events if e.type == "persons_in_distress"} >= {"ongoing", "none"}
    assert strait.situation.ceasefire == "none"
    assert all(e.conflict == "current" for e in strait.events if e.type == "mines")
    assert any(e.type == "refugee_flow" and e.toward == "japan" for e in strait.events)


def _grounds_and_limits(evaluator):
    """Per (role, 'ground'|'limit', id): the shipped scenarios where that ground applies or that limit blocks."""
    seen: dict[tuple[str, str, str], set[str]] = {}
    for path in PATHS:
        for role_id, role in evaluate(path, evaluator=evaluator).as_dict()["roles"].items():
            for case in role["cases"]:
                if case["status"] == "applies":
                    for ground in case["grounds"]:
                        seen.setdefault((role_id, "ground", ground), set()).add(path.name)
                elif case["status"] == "blocked":
                    for limit in case["limits"]:
                        seen.setdefault((role_id, "limit", limit), set()).add(path.name)
    return seen


@pytest.mark.parametrize("rulebook", RULEBOOK_IDS)
def test_every_ground_applies_and_every_limit_blocks_somewhere(rulebook):
    """Across the shipped scenarios, under each rulebook, every ground of every role applies, and every limit
    blocks, at least once."""
    evaluator = evaluator_of(rulebook)
    seen = _grounds_and_limits(evaluator)
    missing = [
        (role.id, kind, item.id)
        for role in evaluator.rulebook.roles
        for kind, items in (("ground", role.grounds), ("limit", role.limits))
        for item in items
        if (role.id, kind, item.id) not in seen
    ]
    assert not missing


@pytest.mark.parametrize("rulebook", RULEBOOK_IDS)
def test_every_role_applies_and_is_blocked_somewhere(rulebook):
    """Across the shipped scenarios every role applies, and every role that can be blocked is, somewhere.

    A role counts as blocked somewhere when a whole role, an area or a request of it is blocked.
    """
    evaluator = evaluator_of(rulebook)
    seen: dict[str, set[str]] = {role: set() for role in ROLE_IDS}
    for path in PATHS:
        for role_id, role in evaluate(path, evaluator=evaluator).as_dict()["roles"].items():
            entries = [role, *(role.get("areas") or {}).values(), *(role.get("requests") or ())]
            seen[role_id].update(entry["status"] for entry in entries)
    assert len(PATHS) >= 20
    for role in evaluator.rulebook.roles:
        assert "applies" in seen[role.id], role.id
        if role.limits:  # refugees in both, and facilities from 2015, have no limit: they are never blocked
            assert "blocked" in seen[role.id], role.id


# Each correction of the 1997 brief's version 2 (its section 7), and a shipped verdict that shows it.
CORRECTIONS = {
    "1 Japanese territory is a rear area whatever its combat": [
        ("japan_under_fire.yaml", "search_and_rescue", "sakishima", "applies"),
        ("japan_under_fire.yaml", "logistic_support", "supplies@sakishima", "applies"),
        ("armed_attack.yaml", "surveillance", "yonaguni", "applies"),
    ],
    "2 a foreign sea needs adjacency, consent and no combat": [
        ("adjacent_rescue.yaml", "search_and_rescue", "korean_sea_a", "applies"),
        ("rescue_abroad.yaml", "search_and_rescue", "korean_sea", "blocked"),
    ],
    "3 weapons, ammunition and combat-sortie fuel are logistic limits": [
        ("support_requests.yaml", "logistic_support", "ammunition", "blocked"),
        ("support_requests.yaml", "logistic_support", "refuel_combat_sortie", "blocked"),
        ("weapons_request.yaml", "facility_access", None, "not_triggered"),
    ],
    "4 abandoned mines need a formal ceasefire or a past conflict; any sea; self-defence": [
        ("ceasefire_mines.yaml", "minesweeping", "sea_lanes", "blocked"),
        ("sea_lanes_ceasefire.yaml", "minesweeping", "sea_lanes", "applies"),
        ("ceasefire_mines.yaml", "minesweeping", "philippine_waters", "applies"),
        ("mines_under_attack.yaml", "minesweeping", "approaches", "applies"),
    ],
    "5 surveillance has no geographic limit and needs no determination": [
        ("distant_waters.yaml", "surveillance", "indian_ocean", "applies"),
        ("no_determination.yaml", "surveillance", "east_china_sea", "applies"),
    ],
    "6 inspection is not blocked by expected combat": [
        ("flag_state_consent.yaml", "embargo_inspection", "contested_waters", "applies"),
    ],
    "7 facilities for U.S. forces only": [
        ("support_requests.yaml", "facility_access", "other:civilian_airports", "blocked"),
        ("support_requests.yaml", "facility_access", "civilian_airports", "applies"),
    ],
    "8 the Director General before 2007": [
        ("un_embargo.yaml", "embargo_inspection", None, "applies"),
    ],
    "9 noncombatants alone are an ordinary rescue": [
        ("refugee_exodus.yaml", "search_and_rescue", None, "applies"),
        ("adjacent_rescue.yaml", "search_and_rescue", "korean_sea_b", "blocked"),
    ],
}


@pytest.mark.parametrize("change", sorted(CORRECTIONS), ids=lambda c: c.split(" ")[0])
def test_each_correction_is_pinned_by_a_shipped_scenario(change):
    """Each of the nine corrections of the brief's section 7 is pinned in some scenario's `expect:` for 1997."""
    for name, role, place, status in CORRECTIONS[change]:
        assert (role, place, status) in set(expectations(SCENARIOS / name, "1997")), (name, role, place)


def test_the_director_general_orders_in_a_scenario_dated_before_2007(evaluator):
    """un_embargo.yaml is dated October 2006: its inspection procedure names the Director General."""
    role = evaluate(SCENARIOS / "un_embargo.yaml", evaluator=evaluator).as_dict()["roles"]["embargo_inspection"]
    lines = " ".join(role["procedure"])
    assert "Director General of the Defense Agency" in lines and "Minister of Defense" not in lines
