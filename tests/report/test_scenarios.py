"""The shipped scenarios: each meets its `expect:`, agrees with the law, and together they reach every verdict."""

from __future__ import annotations

import datetime

import pytest
import yaml

from engine.api import evaluate
from engine.rete.evaluators import evaluator_for
from engine.rulebook.choice import choose
from engine.scenario import load

from .. import oracle15, oracle97
from ..conftest import ROLE_IDS, RULEBOOK_IDS, SCENARIOS
from ..helpers import merged_phase

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
    """(phase, role, place or None, expected status) of every `expect:` block of a scenario for `rulebook`; a place
    is an area or a request key; the phase is None in a file without phases, and a phased file's own `expect:`
    checks its last."""
    scenario = load(path).scenario
    phases = scenario.phases or []
    blocks = [(phase.id, phase.expect) for phase in phases if phase.expect]
    if scenario.expect:
        blocks.append((phases[-1].id if phases else None, scenario.expect))
    for phase, expect in blocks:
        for role, entry in expect.get(rulebook, {}).items():
            if isinstance(entry, str):
                yield phase, role, None, entry
                continue
            if entry.status:
                yield phase, role, None, entry.status
            yield from ((phase, role, area, status) for area, status in entry.areas.items())
            yield from ((phase, role, key, status) for key, status in entry.requests.items())


def pinned(path, rulebook: str = "1997"):
    """(role, place, status) pinned anywhere in a scenario for `rulebook`, whatever the phase."""
    return {(role, place, status) for _, role, place, status in expectations(path, rulebook)}


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
    """Under each rulebook its `expect:` names, every pinned status comes out as pinned, phase by phase."""
    report = evaluate(path, evaluator=evaluator_of(rulebook))
    pins = list(expectations(path, rulebook))
    assert pins
    for phase, role, place, status in pins:
        got = _engine_status(report if phase is None else report.phase_report(phase), role, place)
        where = f"{rulebook} {phase}: {role}{'@' + place if place else ''}"
        assert got == status, f"{where}: expected {status}, got {got}"


def _oracle_phases(path, rulebook):
    """The oracle's verdicts for each phase of a file (by the tests' own merge), or for the file itself."""
    oracle = ORACLES[rulebook]
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not raw.get("phases"):
        return {None: oracle.verdicts(raw)}
    return {phase["id"]: oracle.verdicts(merged_phase(raw, i)) for i, phase in enumerate(raw["phases"])}


@pytest.mark.parametrize("rulebook", RULEBOOK_IDS)
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_scenario_expectations_follow_the_law(path, rulebook):
    """Every `expect:` agrees with the oracle written from the briefs and the statutes (tests/oracle97.py, 1997;
    tests/oracle15.py, 2015), phase by phase."""
    verdicts = _oracle_phases(path, rulebook)
    for phase, role, place, status in expectations(path, rulebook):
        assert _oracle_status(verdicts[phase], role, place) == status, f"{rulebook} {phase}: {role} {place}"


def _dates(path):
    scenario = load(path).scenario
    return [scenario.date] + [p.date for p in scenario.phases or () if p.date]


# Files that show a law not yet in force: dated after the 1997 Guidelines, before Law No. 145 of 2000.
BEFORE_THE_LAWS = {"law60_eve.yaml"}


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_scenario_pins_both_rulebooks_with_the_schema_line(path):
    """Each file names the schema and, in each `expect:` (a phase's too), pins the same roles and places under
    both rulebooks; a dated file (or phase) is dated while some rulebook was in force: from 2001-03-01, after Law
    No. 145 of 2000 came into force (1997 until 2016-03-28, 2015 from 2016-03-29), unless it shows the days
    before the laws came into force (from 1997-09-23, the Guidelines' date)."""
    assert path.read_text(encoding="utf-8").startswith(SCHEMA_LINE)
    scenario = load(path).scenario
    blocks = [phase.expect for phase in scenario.phases or () if phase.expect] + [scenario.expect or {}]
    assert all(set(block) == set(RULEBOOK_IDS) for block in blocks if block)
    places = {rulebook: [pin[:3] for pin in expectations(path, rulebook)] for rulebook in RULEBOOK_IDS}
    assert places["1997"] and places["1997"] == places["2015"]
    earliest = datetime.date(1997, 9, 23) if path.name in BEFORE_THE_LAWS else datetime.date(2001, 3, 1)
    assert all(date >= earliest for date in _dates(path) if date is not None)


def test_korea_crisis_runs_across_the_day_the_2015_legislation_came_into_force():
    """Its last phase is dated after 29 March 2016 (Law60/2015 in force), every other before."""
    *before, last = _dates(SCENARIOS / "korea_crisis.yaml")
    assert all(d < datetime.date(2016, 3, 29) for d in before) and last > datetime.date(2016, 3, 29)


def test_strait_covers_the_crisis_it_describes():
    """strait.yaml, phase by phase: tension without a determination; blockade and determination, with U.S.
    requests; fighting in the Strait, mines active and drifting, persons in distress with and without combat,
    refugees; a formal ceasefire, the mines abandoned. All dated 2009."""
    raw = yaml.safe_load((SCENARIOS / "strait.yaml").read_text(encoding="utf-8"))
    assert [p["id"] for p in raw["phases"]] == ["tension", "blockade", "fighting", "ceasefire"]
    tension, blockade, fighting, ceasefire = (merged_phase(raw, i) for i in range(4))
    assert not tension["situation"]["important_influence"]
    assert blockade["situation"]["important_influence"]
    assert {r if isinstance(r, str) else r["item"] for r in blockade["us_forces"]["requests"]} >= {
        "civilian_airports", "civilian_ports", "hospitals", "transport",
    }  # fmt: skip
    combat = {a["id"]: a.get("combat", "none") for a in fighting["areas"]}
    mines = [e for e in fighting["events"] if e["type"] == "mines"]
    assert {combat[e["area"]] for e in mines} == {"ongoing", "none"}
    assert {e["status"] for e in mines} == {"active", "abandoned"}
    assert {combat[e["area"]] for e in fighting["events"] if e["type"] == "persons_in_distress"} >= {"ongoing", "none"}
    assert fighting["situation"].get("ceasefire", "none") == "none"
    assert any(e["type"] == "refugee_flow" and e["toward"] == "japan" for e in fighting["events"])
    assert ceasefire["situation"]["ceasefire"] == "formal"
    assert {e["status"] for e in ceasefire["events"] if e["type"] == "mines"} == {"abandoned"}
    assert all(d.year == 2009 for d in _dates(SCENARIOS / "strait.yaml"))


def _roles(report):
    """(role id, JSON role report) of every phase of a report (of the report itself, without phases)."""
    data = report.as_dict()
    for roles in [p["roles"] for p in data["phases"]] if "phases" in data else [data["roles"]]:
        yield from roles.items()


def _grounds_and_limits(evaluator):
    """Per (role, 'ground'|'limit', id): the shipped scenarios where that ground applies or that limit blocks."""
    seen: dict[tuple[str, str, str], set[str]] = {}
    for path in PATHS:
        for role_id, role in _roles(evaluate(path, evaluator=evaluator)):
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
        for role_id, role in _roles(evaluate(path, evaluator=evaluator)):
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
        # The rescue there is a rear area activity too, but suspended where combat goes on (third reading:
        # Law60/1999 Art. 7(5) applying Art. 6(5)), so support in Japan, which Art. 6(5) does not reach, shows it.
        ("japan_under_fire.yaml", "search_and_rescue", "sakishima", "blocked"),
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
        assert (role, place, status) in pinned(SCENARIOS / name, "1997"), (name, role, place)


def test_the_director_general_orders_in_a_scenario_dated_before_2007(evaluator):
    """un_embargo.yaml is dated October 2006: its inspection procedure names the Director General."""
    role = evaluate(SCENARIOS / "un_embargo.yaml", evaluator=evaluator).as_dict()["roles"]["embargo_inspection"]
    lines = " ".join(role["procedure"])
    assert "Director General of the Defense Agency" in lines and "Minister of Defense" not in lines
