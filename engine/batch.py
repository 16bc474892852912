"""Evaluating many scenario files in order, keeping every report and every error."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from .api import evaluate_data
from .errors import EngineError, GuidelinesError, InputError, Problem, ScenarioError
from .report import Report
from .runtime import Evaluator
from .scenario import read_scenario_data

SUFFIXES = (".yaml", ".yml")


class NoScenariosError(GuidelinesError):
    """A directory given on the command line holds no scenario files."""

    exit_code = 2


def discover(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The scenario files named by `paths`: files as given, directories searched for *.yaml, sorted."""
    found: list[str] = []
    for path in paths:
        path = os.fspath(path)
        if os.path.isdir(path):
            inside = sorted(str(p) for p in Path(path).rglob("*") if p.suffix in SUFFIXES and p.is_file())
            if not inside:
                raise NoScenariosError(f"no scenario files (*.yaml, *.yml) in directory {path}")
            found.extend(inside)
        else:
            found.append(path)
    return found


class Result(NamedTuple):
    """What became of one file: its report, or the error that stopped it."""

    source: str
    report: Report | None = None
    error: GuidelinesError | None = None

    def error_dict(self) -> dict[str, object]:
        """The JSON error object of the contract: source plus error (message, line, field)."""
        error = self.error
        assert error is not None
        if isinstance(error, InputError) and error.problems:
            first = error.problems[0]
            body = first.as_dict()
            body["text"] = first.text()
            body["problems"] = [p.as_dict() for p in error.problems]
        else:
            body = Problem(error.message, self.source).as_dict()
            body["text"] = error.message
        body["kind"] = "engine" if isinstance(error, EngineError) else "input"
        return {"source": self.source, "error": body}


def evaluate_files(files: Iterable[str], evaluator: Evaluator) -> Iterator[Result]:
    """Evaluate each file in turn; a file that fails does not stop the others.

    An engine failure that leaves the engine unusable is reported, and every
    file after it is reported as not evaluated: nothing runs on a broken engine,
    and no file goes missing from the output.
    """
    for source in files:
        if evaluator.broken:
            yield Result(source, error=EngineError("not evaluated: the rule engine failed on an earlier file"))
            continue
        try:
            data = read_scenario_data(source)
        except ScenarioError as exc:
            yield Result(source, error=exc)
            continue
        try:
            report = evaluate_data(data, evaluator, source=source)
        except EngineError as exc:
            yield Result(source, error=exc)
            continue
        yield Result(source, report=report)
