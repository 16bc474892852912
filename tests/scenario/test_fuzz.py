"""Fuzzing the loader and the whole evaluation: whatever the input, only the project's own errors come out.

Bounded in CI by the `ci` profile; `HYPOTHESIS_PROFILE=deep pytest tests/scenario/test_fuzz.py` runs thousands.
"""

from __future__ import annotations

import yaml
from hypothesis import given
from hypothesis import strategies as st

from engine.errors import GuidelinesError, ScenarioError
from engine.report.evaluate import evaluate_scenario
from engine.rete.runtime import Evaluator
from engine.scenario import load

from ..conftest import ROLE_IDS
from .test_fastschema import mutated

KEYS = st.sampled_from(
    ["scenario", "situation", "important_influence", "areas", "events", "id", "kind", "type", "area", "status",
     "us_forces", "requests", "expect", "combat", "consent", "toward", "who", "vessels", "phases", "date", "x"]
)  # fmt: skip
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
    st.sampled_from(["yes", "no", "on", "off", "japan", "high_seas", "mines", "abandoned", "applies", "true"]),
)  # fmt: skip
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(KEYS, st.text(max_size=8)), inner, max_size=5)
    ),
    max_leaves=30,
)


def _text(source: str | bytes) -> bytes:
    """Text as bytes: a `str` without a line break would be read as a path."""
    return source.encode("utf-8", "surrogatepass") if isinstance(source, str) else source


def _load_and_evaluate(source: str | bytes, evaluator: Evaluator) -> None:
    try:
        data = load(_text(source), name="fuzz.yaml").data
    except ScenarioError as exc:
        assert exc.problems and all(p.path == "fuzz.yaml" for p in exc.problems)
        return
    report = evaluate_scenario(data, evaluator=evaluator, source="fuzz.yaml")
    assert list(report.roles) == list(ROLE_IDS)


@given(st.text(max_size=300))
def test_any_text(fresh, text):
    """Arbitrary text is a scenario or a located ScenarioError; nothing else escapes."""
    _load_and_evaluate(text, fresh)


@given(st.binary(max_size=300))
def test_any_bytes(fresh, data):
    """Arbitrary bytes are a scenario or a ScenarioError."""
    _load_and_evaluate(data, fresh)


@given(DOCUMENTS)
def test_any_yaml_document(fresh, document):
    """Any YAML document (mappings, lists, scalars of every kind) loads, or fails as a ScenarioError."""
    _load_and_evaluate(yaml.safe_dump(document), fresh)


@given(mutated())
def test_nearly_valid_scenarios(fresh, data):
    """A valid scenario with one thing broken fails as a ScenarioError, or evaluates."""
    _load_and_evaluate(yaml.safe_dump(data), fresh)


@given(st.text(max_size=300))
def test_the_model_path_too(text):
    """The library's model (`Loaded.scenario`) raises only ScenarioError as well."""
    try:
        assert load(_text(text), name="fuzz.yaml").scenario
    except GuidelinesError:
        pass
