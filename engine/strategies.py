"""Hypothesis strategies that generate valid scenarios, for your own property tests.

    from hypothesis import given
    from engine.strategies import scenarios

    @given(scenarios())
    def test_my_property(scenario): ...

They live in `engine.verify.strategies`, beside the invariant checks that use
them; this module keeps the name the guide gives.
"""

from .verify.strategies import area, area_ids, event, scenario_data, scenario_yaml, scenarios, to_yaml

__all__ = ["area", "area_ids", "event", "scenario_data", "scenario_yaml", "scenarios", "to_yaml"]
