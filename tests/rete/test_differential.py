"""Differential tests: the engine on durable_rules against the plain reading of tests/reference.py.

Both read the same rule files; they share no code. Any scenario on which they
disagree, on a role, an area, a request or a single case, on its ground, the
limits it names or the Diet approval it needs, is a bug in one of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given

from engine.report.evaluate import evaluate_data
from engine.rete.runtime import Evaluator
from engine.rulebook.load import load_rulebook
from engine.scenario import load
from engine.strategies import scenario_data

from ..conftest import SCENARIOS
from ..helpers import report_of
from ..reference import reference_report


def _case(status: str, ground: str | None, grounds: Any, limits: Any) -> tuple[Any, ...]:
    """What both readings must agree on for one case: limits only matter for a blocked one."""
    return status, ground, tuple(grounds or ()), tuple(limits or ()) if status == "blocked" else ()


def assert_agree(report: dict[str, Any], reference: dict[str, Any]) -> None:
    """The engine's report and the reference agree on every role, area, request, case and notice."""
    expected_roles = reference["roles"]
    assert list(report["roles"]) == list(expected_roles), "roles or their order differ"
    for role_id, expected in expected_roles.items():
        role = report["roles"][role_id]
        assert role["status"] == expected["status"], (
            f"{role_id}: engine {role['status']}, reference {expected['status']}"
        )
        assert (role["ground"], role["grounds"]) == (expected["ground"], expected["grounds"]), (
            f"{role_id}: grounds differ"
        )
        got_cases = [_case(c["status"], c.get("ground"), c.get("grounds"), c.get("limits")) for c in role["cases"]]
        want_cases = [_case(j["status"], j["ground"], j["grounds"], j["limits"]) for j in expected["cases"]]
        assert got_cases == want_cases, f"{role_id}: cases differ"
        if "areas" in expected:
            got = {
                a: _case(v["status"], v.get("ground"), v.get("grounds"), v.get("limits"))
                for a, v in role["areas"].items()
            }
            want = {a: _case(v["status"], v["ground"], v["grounds"], v["limits"]) for a, v in expected["areas"].items()}
            assert got == want, f"{role_id}: areas differ"
        else:
            assert role.get("areas") is None, f"{role_id}: not an area role"
        if "requests" in expected:
            got_requests = [
                (
                    r["force"],
                    r["item"],
                    r["area"],
                    *_case(r["status"], r.get("ground"), r.get("grounds"), r.get("limits")),
                )
                for r in role["requests"]
            ]
            want_requests = [
                (r["force"], r["item"], r["area"], *_case(r["status"], r["ground"], r["grounds"], r["limits"]))
                for r in expected["requests"]
            ]
            assert got_requests == want_requests, f"{role_id}: requests differ"
        if expected["diet_approval"] is not None:
            assert role["diet_approval"] == expected["diet_approval"], f"{role_id}: Diet approval differs"
    got_notices = sorted((n["id"], n.get("area")) for n in report["notice_details"])
    assert got_notices == sorted(reference["notices"]), "notices differ"


@given(scenario_data())
def test_engine_agrees_with_the_reference_on_generated_scenarios(fresh, data):
    """For every valid scenario (other forces, request places, adjacency, ceasefires, dates...), both readings agree."""
    assert_agree(report_of(fresh, data), reference_report(data))


@given(scenario_data(max_areas=3, max_events=8, influence=True))
def test_engine_agrees_with_the_reference_when_section_v_is_engaged(fresh, data):
    """With the determination made, every role can apply or be blocked; both readings still agree."""
    assert_agree(report_of(fresh, data), reference_report(data))


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_engine_agrees_with_the_reference_on_shipped_scenarios(fresh, path):
    """On every shipped scenario both readings agree on every verdict, ground, limit and notice."""
    valid = load(path).scenario.model_dump(mode="json")
    report = evaluate_data(valid, fresh, source=str(path)).as_dict()
    assert_agree(report, reference_report(yaml.safe_load(path.read_text(encoding="utf-8"))))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name}: expected one {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


# A scenario that turns on the rules the edits below change: mines after a de facto ceasefire, and
# a rescue in a foreign sea next to a rear area where only noncombatants are rescued.
EDGES = {
    "scenario": "Edges of an edited rulebook",
    "situation": {"important_influence": True, "ceasefire": "de_facto"},
    "areas": [
        {"id": "lanes", "kind": "high_seas"},
        {"id": "coast", "kind": "foreign", "consent": True, "adjacent_to": "lanes"},
    ],
    "events": [
        {"type": "mines", "area": "lanes", "status": "abandoned"},
        {"type": "persons_in_distress", "area": "lanes"},
        {"type": "persons_in_distress", "area": "coast"},
    ],
}


def test_reference_reads_the_rule_files(fresh, rules_copy):
    """Pointed at an edited rulebook, the reference follows the edit and still agrees with the engine there."""
    mines = rules_copy / "roles" / "minesweeping.yaml"
    _edit(
        mines,
        "            - situation.ceasefire: formal\n",
        "            - situation.ceasefire: {in: [de_facto, formal]}\n",
    )
    rescue = rules_copy / "roles" / "search_and_rescue.yaml"
    _edit(
        rescue, "        - adjacent: {concept: rear_area_sar_operation}\n", "        - adjacent: {concept: rear_area}\n"
    )
    edited = Evaluator(load_rulebook(rules_copy), memo=False)

    reference = reference_report(EDGES, rules_copy)
    assert_agree(report_of(edited, EDGES), reference)
    shipped = reference_report(EDGES)
    assert_agree(report_of(fresh, EDGES), shipped)
    # The edits show: mines after a de facto ceasefire can now be swept, and a foreign sea next to
    # any rear area is open to rescue; neither before.
    assert reference["roles"]["minesweeping"]["areas"]["lanes"]["status"] == "applies"
    assert shipped["roles"]["minesweeping"]["areas"]["lanes"]["status"] == "blocked"
    assert reference["roles"]["search_and_rescue"]["areas"]["coast"]["ground"] == "adjacent_foreign_sea"
    assert shipped["roles"]["search_and_rescue"]["areas"]["coast"]["status"] == "blocked"


# -- the 2015 rulebook: the reference merges it with the 1997 files on its own ---------------------


@pytest.fixture(scope="module")
def fresh_2015():
    """An evaluator of the shipped 2015 rulebook without the memo."""
    from ..reference import RULES_2015

    return Evaluator(load_rulebook(RULES_2015), memo=False)


@given(scenario_data())
def test_engine_agrees_with_the_reference_on_generated_scenarios_under_2015(fresh_2015, data):
    """Under the 2015 rulebook (rules/2015 over rules/1997), both readings agree on every verdict, ground, limit,
    procedure and notice."""
    from ..reference import RULES_2015

    assert_agree(report_of(fresh_2015, data), reference_report(data, RULES_2015))


@given(scenario_data(max_areas=3, max_events=8, influence=True))
def test_engine_agrees_with_the_reference_when_section_v_is_engaged_under_2015(fresh_2015, data):
    from ..reference import RULES_2015

    assert_agree(report_of(fresh_2015, data), reference_report(data, RULES_2015))


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_engine_agrees_with_the_reference_on_shipped_scenarios_under_2015(fresh_2015, path):
    from ..reference import RULES_2015

    valid = load(path).scenario.model_dump(mode="json")
    report = evaluate_data(valid, fresh_2015, source=str(path)).as_dict()
    assert_agree(report, reference_report(yaml.safe_load(path.read_text(encoding="utf-8")), RULES_2015))


def test_the_reference_merges_the_2015_rulebook_as_the_readme_says():
    """rules/2015 drops the 1997 minesweeping trigger, replaces a ground in place and appends a new one."""
    from ..reference import RULES_2015, load_rules

    _, roles, notices = load_rules(str(RULES_2015))
    minesweeping = roles["minesweeping"]
    assert "section_v_or_iv" not in [t["id"] for t in minesweeping["triggers"]]
    grounds = [g["id"] for g in minesweeping["grounds"]]
    assert grounds[0] == "abandoned_mines" and grounds[-1] == "self_defence_survival"
    ids = [n["id"] for n in notices]
    assert "before_2015_legislation" in ids and "before_guidelines" not in ids
