"""Loading scenario files: YAML to a validated `Scenario`, or a `ScenarioError` naming file, line and field."""

from __future__ import annotations

import os
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem, ScenarioError
from .located import problem_at, validation_problems, walk_model
from .models import (
    EvacuationEvent,
    MinesEvent,
    PersonsInDistressEvent,
    RefugeeFlowEvent,
    SanctionsShippingEvent,
    Scenario,
    reference_problems,
)
from .vocab import EVENT_TYPES
from .yamlload import Document, YamlProblem, load_yaml

_EVENT_MODELS: dict[str, type[BaseModel]] = {
    "mines": MinesEvent,
    "persons_in_distress": PersonsInDistressEvent,
    "sanctions_shipping": SanctionsShippingEvent,
    "refugee_flow": RefugeeFlowEvent,
    "evacuation": EvacuationEvent,
}


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read and validate one scenario file.

    Raises `ScenarioError` listing every problem with its line and field.
    """
    return load_scenario_document(path)[0]


def load_scenario_document(path: str | os.PathLike[str]) -> tuple[Scenario, Document]:
    """Read and validate one scenario file; also return its document, to locate later findings."""
    path = os.fspath(path)
    try:
        with open(path, "rb") as handle:
            source = handle.read()
    except OSError as exc:
        raise ScenarioError(path, [Problem(f"cannot read file: {exc.strerror or exc}", path)]) from None
    return parse_scenario_document(source, path)


def parse_scenario(source: bytes | str, path: str = "<scenario>") -> Scenario:
    """Validate scenario YAML text; `path` is only used in error messages."""
    return parse_scenario_document(source, path)[0]


def parse_scenario_document(source: bytes | str, path: str = "<scenario>") -> tuple[Scenario, Document]:
    """Validate scenario YAML text; return the scenario and its document."""
    document = read_document(source, path)
    problems = reference_problems_in(document)
    try:
        scenario = Scenario.model_validate(document.data)
    except ValidationError as exc:
        # The model's own cross-reference check repeats `reference_problems`, without positions.
        located = validation_problems(exc, document, lambda loc: _model_at(loc, document.data), _strip_tags)
        problems += [p for p in located if p.field or not problems]
        raise ScenarioError(path, problems) from None
    if problems:  # pragma: no cover - the model validator raises on these first
        raise ScenarioError(path, problems)
    return scenario, document


def read_document(source: bytes | str, path: str) -> Document:
    """Parse the YAML, refusing what is not a scenario document at all."""
    try:
        document = load_yaml(source, path)
    except YamlProblem as exc:
        raise ScenarioError(path, [exc.problem]) from None
    if document.data is None:
        raise ScenarioError(
            path, [Problem("the file is empty; a scenario needs at least `scenario:` and `situation:`", path, 1, 1)]
        )
    return document


def reference_problems_in(document: Document) -> list[Problem]:
    """The cross-reference problems of a document (duplicate ids, unknown areas), located."""
    if not isinstance(document.data, dict):
        return []
    return [
        problem_at(document, loc, message, suggestion) for loc, message, suggestion in reference_problems(document.data)
    ]


def _strip_tags(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop the discriminator pydantic inserts into event locations (`events.0.mines.status`)."""
    out: list[Any] = []
    for i, part in enumerate(loc):
        if i >= 2 and loc[0] == "events" and isinstance(loc[1], int) and i == 2 and part in EVENT_TYPES:
            continue
        if part in ("status", "detail") and out[:1] == ["expect"] and len(out) == 2:
            continue  # the branch names of `role: status | {status, areas}`
        out.append(part)
    return tuple(out)


def _model_at(loc: tuple[Any, ...], data: Any) -> type[BaseModel] | None:
    """The model class whose keys live at `loc`, to suggest the nearest valid key."""
    if len(loc) == 2 and loc[0] == "events" and isinstance(loc[1], int):
        try:
            return _EVENT_MODELS.get(data["events"][loc[1]].get("type"))
        except (KeyError, IndexError, TypeError, AttributeError):
            return None
    return walk_model(Scenario, loc)
