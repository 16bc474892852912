"""The command line's fast validator agrees with the models: same data accepted, same data out."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from pydantic_core import ValidationError as CoreValidationError

from engine.errors import ScenarioError
from engine.scenario import fastschema, load, loader
from engine.scenario.models import Scenario
from engine.strategies import scenario_data, to_yaml

from ..conftest import SCENARIOS

ODD_VALUES = ["yes", 1, 0, None, "", "x", [], {}, 2.5, True, "high_sea", "japan", {"a": 1}, ["a"]]


def test_generated_schema_is_current():
    assert Path(fastschema.GENERATED).read_text() == fastschema.source_text(), (
        "regenerate: python -m engine.scenario.fastschema"
    )


@given(scenario_data(expect=True, max_phases=3))
def test_fast_validation_gives_the_models_data(data):
    """Valid data, phases included, comes out of the fast validator exactly as the model dumps it."""
    assert fastschema.validate(copy.deepcopy(data)) == Scenario.model_validate(data).model_dump(mode="python")


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, prefix + (i,))
    return out


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """Valid scenario data (phased or not) with one thing changed: a value replaced, a key added or removed."""
    data = draw(scenario_data(max_phases=2))
    path = draw(st.sampled_from(_paths(data)[1:]))
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    action = draw(st.sampled_from(["replace", "add", "remove"]))
    if action == "replace":
        parent[path[-1]] = draw(st.sampled_from(ODD_VALUES))
    elif action == "add" and isinstance(parent, dict):
        parent[draw(st.sampled_from(["extra", "kind", "status", "toward", "name", "area"]))] = draw(
            st.sampled_from(ODD_VALUES)
        )
    elif action == "remove" and isinstance(parent, dict):
        del parent[path[-1]]
    return data


def _accepted_by_models(data: Any) -> bool:
    try:
        Scenario.model_validate(data)
    except ValidationError:
        return False
    return True


def _accepted_fast(data: Any) -> bool:
    from engine.scenario.crosscheck import reference_problems

    if reference_problems(data):
        return False
    try:
        fastschema.validate(data)
    except CoreValidationError:
        return False
    return True


@given(mutated())
def test_fast_validation_accepts_what_the_models_accept(data):
    """On slightly broken data the fast path and the models accept and reject alike."""
    assert _accepted_fast(copy.deepcopy(data)) == _accepted_by_models(copy.deepcopy(data))


@given(mutated())
def test_fast_path_errors_are_the_models_errors(data):
    """The fast path raises exactly the located problems of the model path, or returns its data."""
    text = to_yaml(data)
    try:  # the model path alone, as `load` takes it when the fast path refuses
        expected = loader._model(*loader._document(text, "s.yaml", ())).model_dump(mode="python")
    except ScenarioError as exc:
        with pytest.raises(ScenarioError) as caught:
            assert load(text, name="s.yaml").data
        assert caught.value.problems == exc.problems
    else:
        assert load(text, name="s.yaml").data == expected


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_scenarios_on_both_paths(path):
    text = path.read_bytes()
    assert load(text, name=str(path)).data == load(text, name=str(path)).scenario.model_dump(mode="python")
