"""Differential tests: the engine on durable_rules against the plain reading of tests/reference.py.

Both read the same rule files; they share no code. Any scenario on which they
disagree, on a role, an area or a single case, is a bug in one of them.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given

from engine.report.evaluate import evaluate_data
from engine.rete.runtime import Evaluator
from engine.rulebook.load import load_rulebook
from engine.scenario.load import load_scenario
from engine.strategies import scenario_data

from ..conftest import RULES, SCENARIOS
from ..helpers import report_of, version_1_view, version_2_roles
from ..reference import reference_verdicts


@pytest.fixture(scope="module")
def v1_rules(tmp_path_factory) -> Path:
    """The shipped rulebook as the reference reads it: its roles written in the version 1 rule language."""
    return version_1_view(RULES, tmp_path_factory.mktemp("reference") / "rules")


def assert_agree(report: dict[str, Any], reference: dict[str, dict[str, Any]], rules: Path = RULES) -> None:
    """The engine's report and the reference agree on every role, area and case status.

    The reference reads the version 1 rule language; the roles written with
    `grounds:` are the only ones it leaves out.
    """
    assert set(report["roles"]) == set(reference) | version_2_roles(rules)
    assert not set(reference) & version_2_roles(rules)
    for role_id, expected in reference.items():
        role = report["roles"][role_id]
        assert role["status"] == expected["status"], (
            f"{role_id}: engine {role['status']}, reference {expected['status']}"
        )
        areas = role.get("areas")
        got_areas = None if areas is None else {area_id: area["status"] for area_id, area in areas.items()}
        assert got_areas == expected.get("areas"), f"{role_id}: areas differ"
        assert [c["status"] for c in role["cases"]] == expected["cases"], f"{role_id}: cases differ"


@given(scenario_data(version=1))
def test_engine_agrees_with_the_reference_on_generated_scenarios(fresh, v1_rules, data):
    """For every valid scenario of the format's version 1 (what the reference reads), the engine and the
    reference give the same status per role, area and case."""
    assert_agree(report_of(fresh, data), reference_verdicts(data, v1_rules))


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_engine_agrees_with_the_reference_on_shipped_scenarios(fresh, v1_rules, path):
    """On every shipped scenario, the engine and the reference give the same status per role, area and case."""
    valid = load_scenario(path).model_dump(mode="json")
    report = evaluate_data(valid, fresh, source=str(path)).as_dict()
    assert_agree(report, reference_verdicts(yaml.safe_load(path.read_text(encoding="utf-8")), v1_rules))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name}: expected one {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


MINES = {
    "scenario": "Mines under an edited rulebook",
    "situation": {"important_influence": True, "armed_attack_on_japan": False},
    "areas": [
        {"id": "lanes", "kind": "high_seas"},
        {"id": "home", "kind": "japan", "combat": "expected"},
        {"id": "war", "kind": "high_seas", "combat": "ongoing"},
        {"id": "far", "kind": "distant_high_seas"},
    ],
    "events": [
        {"type": "mines", "area": "lanes", "status": "active"},
        {"type": "mines", "area": "home", "status": "abandoned"},
        {"type": "mines", "area": "war", "status": "active"},
        {"type": "mines", "area": "far", "status": "active"},
        {"type": "persons_in_distress", "area": "lanes"},
    ],
}


def test_reference_reads_the_rule_files(fresh, tmp_path):
    """Pointed at an edited rulebook, the reference follows the edit and still agrees with the engine there."""
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    roles = rules / "roles" / "minesweeping.yaml"
    _edit(roles, "      event.status: abandoned\n", "      event.status: {in: [abandoned, active]}\n")
    _edit(
        roles,
        "    when:\n      event.status: active\n",
        "    when:\n      situation.armed_attack_on_japan: true\n",  # never holds: MINES is not an attack
    )
    edited = Evaluator(load_rulebook(rules), memo=False)

    reference = reference_verdicts(MINES, version_1_view(rules, tmp_path / "reference"))
    assert_agree(report_of(edited, MINES), reference, rules)
    # The edit shows: active mines in quiet waters near Japan can now be swept, not before.
    assert reference["minesweeping"]["areas"]["lanes"] == "applies"
    assert reference_verdicts(MINES, version_1_view(RULES, tmp_path / "shipped"))["minesweeping"]["areas"]["lanes"] == (
        "blocked"
    )
    assert report_of(fresh, MINES)["roles"]["minesweeping"]["areas"]["lanes"]["status"] == "blocked"
