"""Properties of the engine over generated scenarios; one property per test.

Bounded in CI by the `ci` profile (tests/conftest.py); run deep with
`HYPOTHESIS_PROFILE=deep pytest tests/verify/test_hypothesis.py`.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from engine.scenario import load
from engine.scenario.models import Scenario
from engine.strategies import scenario_data, to_yaml

from ..helpers import report_of


def verdict_view(report: dict[str, Any]) -> dict[str, Any]:
    """What must not depend on the order of areas and events: statuses and reasons, per role and area."""
    view = {}
    for role_id, role in report["roles"].items():
        cases = sorted((c["label"], c.get("area") or "", c["status"], tuple(c["reasons"])) for c in role["cases"])
        view[role_id] = (role["status"], role.get("areas"), cases)
    return view


@given(scenario_data())
def test_verdict_is_deterministic(fresh, evaluator, data):
    """The same scenario gives the same report, on a fresh engine run and through the memo."""
    assert report_of(fresh, data) == report_of(fresh, data) == report_of(evaluator, data)


@given(scenario_data(), st.randoms(use_true_random=False))
def test_order_of_areas_and_events_changes_nothing(fresh, data, random):
    """Shuffling areas and events leaves every role's and area's verdict and reasons unchanged."""
    shuffled = dict(data)
    for key in ("areas", "events"):
        if key in data:
            items = list(data[key])
            random.shuffle(items)
            shuffled[key] = items
    assert verdict_view(report_of(fresh, shuffled)) == verdict_view(report_of(fresh, data))


@given(scenario_data(influence=False))
def test_no_role_arises_without_a_gate_but_surveillance(fresh, data):
    """Without Japan's determination only surveillance (no gate) arises, and minesweeping when Japan is attacked
    or of abandoned mines (SDF Law Art. 84-2 needs no determination: the 1991 Persian Gulf precedent)."""
    report = report_of(fresh, data)
    attacked = data["situation"].get("armed_attack_on_japan", False)
    for role_id, role in report["roles"].items():
        if role_id == "surveillance" or (role_id == "minesweeping" and attacked):
            continue
        if role_id == "minesweeping":
            abandoned = [e for e in data.get("events") or () if e["type"] == "mines" and e["status"] == "abandoned"]
            assert (role["status"] != "not_triggered") == bool(abandoned)
            continue
        assert role["status"] == "not_triggered", role_id
        assert all(a["status"] == "not_triggered" for a in (role.get("areas") or {}).values())


@given(scenario_data(expect=True))
def test_scenario_survives_a_yaml_round_trip(data):
    """A scenario written to YAML and read back is the same scenario."""
    assert load(to_yaml(data)).scenario == Scenario.model_validate(data)
