"""A scenario's `expect:` block: what it pins, and how a report measures up to it."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Problem
from ..rulebook.model import Rulebook
from ..scenario.located import problem_at
from ..scenario.models import Scenario
from ..scenario.yamlload import Document
from .model import Reason, Report


@dataclass(frozen=True, slots=True)
class Expectation:
    """One pinned status: of a role, or of a role in one area."""

    role: str
    area: str | None
    status: str
    line: int | None = None

    @property
    def name(self) -> str:
        return self.role + (f"@{self.area}" if self.area else "")


@dataclass(frozen=True, slots=True)
class Mismatch:
    expectation: Expectation
    got: str
    reasons: tuple[Reason, ...]


def expectations(scenario: Scenario, document: Document | None = None) -> list[Expectation]:
    """Every status the scenario's `expect:` pins, in file order."""

    def line(*loc: object) -> int | None:
        position = document.position(("expect", *loc)) if document else None
        return position[0] if position else None

    out: list[Expectation] = []
    for role, entry in (scenario.expect or {}).items():
        if isinstance(entry, str):
            out.append(Expectation(role, None, entry, line(role)))
            continue
        if entry.status:
            out.append(Expectation(role, None, entry.status, line(role, "status")))
        for area, status in entry.areas.items():
            out.append(Expectation(role, area, status, line(role, "areas", area)))
    return out


def expectation_problems(scenario: Scenario, document: Document, rulebook: Rulebook) -> list[Problem]:
    """What `expect:` asks that the rulebook cannot answer: per-area statuses of roles not reported per area."""
    problems = []
    for role, entry in (scenario.expect or {}).items():
        if isinstance(entry, str) or not entry.areas:
            continue
        if not rulebook.role(role).subject.per_area:
            message = f"{role} is not reported per area, so it takes a status but no `areas:`"
            problems.append(problem_at(document, ("expect", role, "areas"), message))
    return problems


def compare(report: Report, pinned: list[Expectation]) -> list[Mismatch]:
    """The expectations the report does not meet, with the reasons behind what it says instead."""
    mismatches = []
    for expectation in pinned:
        role = report.roles[expectation.role]
        if expectation.area is None:
            got, reasons = role.status, role.reasons
        else:
            verdict = (role.areas or {})[expectation.area]
            got, reasons = verdict.status, verdict.reasons
        if got != expectation.status:
            mismatches.append(Mismatch(expectation, got, tuple(reasons)))
    return mismatches
