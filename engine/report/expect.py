"""A scenario's `expect:` block: what it pins, and how a report measures up to it.

In a phased file each phase may pin its own verdicts, and the file's own
`expect:` pins the last phase's; each check is named after its phase.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from ..rulebook.model import Rulebook
from ..scenario.crosscheck import request_key
from ..scenario.located import problem_at
from ..scenario.models import Scenario
from ..scenario.yamlload import Document
from .model import Case, Reason, Report


@dataclass(frozen=True, slots=True)
class Expectation:
    """One pinned status: of a role, of a role in one area, or of a role's verdict on one request."""

    role: str
    area: str | None
    status: str
    line: int | None = None
    request: str | None = None  # item, item@area, other:item[@area]
    phase: str | None = None  # the phase whose verdict it pins, in a phased file

    @property
    def name(self) -> str:
        if self.request is not None:
            name = f"{self.role}[{self.request}]"
        else:
            name = self.role + (f"@{self.area}" if self.area else "")
        return f"{self.phase}: {name}" if self.phase is not None else name


@dataclass(frozen=True, slots=True)
class Mismatch:
    expectation: Expectation
    got: str
    reasons: tuple[Reason, ...]


def pinned_blocks(scenario: Scenario) -> list[tuple[str | None, tuple[object, ...], Any]]:
    """Each `expect:` of a scenario: (the phase it checks, where it is written, the block), in file order."""
    phases = scenario.phases or []
    out: list[tuple[str | None, tuple[object, ...], Any]] = [
        (phase.id, ("phases", i, "expect"), phase.expect) for i, phase in enumerate(phases) if phase.expect
    ]
    if scenario.expect:
        out.append((phases[-1].id if phases else None, ("expect",), scenario.expect))
    return out


def expectations(scenario: Scenario, document: Document | None = None) -> list[Expectation]:
    """Every status the scenario's `expect:` blocks pin, in file order."""
    out: list[Expectation] = []
    for phase, at, expect in pinned_blocks(scenario):

        def line(*loc: object, at: tuple[object, ...] = at) -> int | None:
            position = document.position((*at, *loc)) if document else None
            return position[0] if position else None

        for role, entry in expect.items():
            if isinstance(entry, str):
                out.append(Expectation(role, None, entry, line(role), phase=phase))
                continue
            if entry.status:
                out.append(Expectation(role, None, entry.status, line(role, "status"), phase=phase))
            for area, status in entry.areas.items():
                out.append(Expectation(role, area, status, line(role, "areas", area), phase=phase))
            for key, status in entry.requests.items():
                out.append(Expectation(role, None, status, line(role, "requests", key), key, phase))
    return out


def expectation_problems(scenario: Scenario, document: Document, rulebook: Rulebook) -> list[Problem]:
    """What `expect:` asks that the rulebook cannot answer: per-area statuses of roles not reported per area,
    per-request statuses of roles not about requests, or of requests outside the role's items."""
    from ..scenario.phases import name_phase

    problems = []
    for _, at, expect in pinned_blocks(scenario):
        for role, entry in expect.items():
            if isinstance(entry, str):
                continue
            subject = rulebook.role(role).subject
            if entry.areas and not subject.per_area:
                message = f"{role} is not reported per area, so it takes a status but no `areas:`"
                problems.append(problem_at(document, (*at, role, "areas"), message))
            if entry.requests and subject.kind != "requests":
                message = f"{role} is not about requests, so it takes no `requests:`"
                problems.append(problem_at(document, (*at, role, "requests"), message))
                continue
            for key in entry.requests:
                item = key.removeprefix("other:").split("@", 1)[0]
                if item not in subject.items:
                    message = f"{role} is about requests for {', '.join(subject.items)}; {item!r} is none of them"
                    problems.append(problem_at(document, (*at, role, "requests", key), message, key=True))
    return [p._replace(field=name_phase(p.field, document.data)) for p in problems]


def _request_case(cases: list[Case], key: str) -> Case | None:
    for case in cases:
        subject = case.subject
        named = subject.get("named_area")
        if request_key(subject["force"], subject["item"], None if named in (None, "n/a") else named) == key:
            return case
    return None


def compare(report: Report, pinned: list[Expectation]) -> list[Mismatch]:
    """The expectations the report does not meet, with the reasons behind what it says instead."""
    mismatches = []
    for expectation in pinned:
        judged = report if expectation.phase is None else report.phase_report(expectation.phase)
        role = judged.roles[expectation.role]
        if expectation.request is not None:
            case = _request_case(role.cases, expectation.request)
            got, reasons = (case.status, case.reasons) if case else ("not_triggered", role.reasons)
        elif expectation.area is None:
            got, reasons = role.status, role.reasons
        else:
            verdict = (role.areas or {})[expectation.area]
            got, reasons = verdict.status, verdict.reasons
        if got != expectation.status:
            mismatches.append(Mismatch(expectation, got, tuple(reasons)))
    return mismatches
