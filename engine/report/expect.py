"""A scenario's `expect:` block: what it pins, and how a report measures up to it.

In a phased file each phase may pin its own verdicts, and the file's own
`expect:` pins the last phase's; each check is named after its phase.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import Problem, suggest
from ..rulebook.model import Rulebook
from ..scenario.crosscheck import is_rulebook_block, request_key
from ..scenario.models import Scenario
from ..scenario.phases import name_phase
from ..scenario.yamlload import Document, problem_at
from .model import Case, Reason, Report


@dataclass(frozen=True, slots=True)
class Expectation:
    """One pinned status: of a role, of a role in one area, or of a role's verdict on one request."""

    role: str
    area: str | None
    status: str
    line: int | None = None
    request: str | None = None  # item, item@area, other:item[@area]
    rulebook: str | None = None  # the rulebook id its block is keyed by; None in the plain form
    phase: str | None = None  # the phase whose verdict it pins, in a phased file

    @property
    def name(self) -> str:
        if self.request is not None:
            where = f"{self.role}[{self.request}]"
        else:
            where = self.role + (f"@{self.area}" if self.area else "")
        where += f" under {self.rulebook}" if self.rulebook else ""
        return f"{self.phase}: {where}" if self.phase is not None else where


@dataclass(frozen=True, slots=True)
class Mismatch:
    expectation: Expectation
    got: str
    reasons: tuple[Reason, ...]


ALL = "*"  # every block of `expect:`, whatever its key


def keyed_blocks(expect: dict[str, Any] | None) -> dict[str | None, dict[str, Any]]:
    """One `expect:` by rulebook: `{None: roles}` in the plain form (the rulebook evaluated under by default),
    `{"1997": roles, "2015": roles}` in the form keyed by rulebook; empty without `expect:`."""
    expect = expect or {}
    if any(is_rulebook_block(value) for value in expect.values()):
        return {key: dict(value) for key, value in expect.items()}
    return {None: dict(expect)} if expect else {}


def pinned_blocks(scenario: Scenario) -> list[tuple[str | None, tuple[object, ...], Any]]:
    """Each `expect:` of a scenario: (the phase it checks, where it is written, the block), in file order."""
    phases = scenario.phases or []
    out: list[tuple[str | None, tuple[object, ...], Any]] = [
        (phase.id, ("phases", i, "expect"), phase.expect) for i, phase in enumerate(phases) if phase.expect
    ]
    if scenario.expect:
        out.append((phases[-1].id if phases else None, ("expect",), scenario.expect))
    return out


def _roles(scenario: Scenario, block: str | None) -> list[tuple[str | None, str | None, tuple[object, ...], Any]]:
    """(phase, rulebook key, where, roles) of each block of `expect:` keyed `block` (ALL: every one)."""
    out = []
    for phase, at, expect in pinned_blocks(scenario):
        for key, roles in keyed_blocks(expect).items():
            if block == ALL or key == block:
                out.append((phase, key, at if key is None else (*at, key), roles))
    return out


def expect_blocks(scenario: Scenario) -> list[str | None]:
    """The keys of the scenario's `expect:` blocks, phases' included, in file order: None for the plain form."""
    return list(dict.fromkeys(key for _, key, _, _ in _roles(scenario, ALL)))


def rulebook_of_block(key: str | None, scenario: Scenario) -> str:
    """Which rulebook a block of `expect:` is about: its key, or (plain form) the one in force on the file's date."""
    if key is not None:
        return key
    # only a block with its own rulebook or date needs the choice
    from ..rulebook.choice import choose

    chosen = choose(scenario.date)
    return chosen.id or ""


def expectations(scenario: Scenario, document: Document | None = None, block: str | None = ALL) -> list[Expectation]:
    """Every status the scenario's `expect:` blocks keyed `block` pin (ALL: every block; None: the plain form),
    phases' included, in file order."""
    out: list[Expectation] = []
    for phase, key, at, roles in _roles(scenario, block):

        def line(*loc: object, at: tuple[object, ...] = at) -> int | None:
            position = document.position((*at, *loc)) if document else None
            return position[0] if position else None

        for role, entry in roles.items():
            if isinstance(entry, str):
                out.append(Expectation(role, None, entry, line(role), rulebook=key, phase=phase))
                continue
            if entry.status:
                out.append(Expectation(role, None, entry.status, line(role, "status"), rulebook=key, phase=phase))
            for area, status in entry.areas.items():
                out.append(Expectation(role, area, status, line(role, "areas", area), rulebook=key, phase=phase))
            for request, status in entry.requests.items():
                where = line(role, "requests", request)
                out.append(Expectation(role, None, status, where, request, rulebook=key, phase=phase))
    return out


def unknown_rulebooks(scenario: Scenario, document: Document, known: list[str]) -> list[Problem]:
    """The blocks of `expect:` keyed by a rulebook id none of `known` (the shipped rulebooks' ids) is, located."""

    problems = []
    for _, key, at, _ in _roles(scenario, ALL):
        if key is not None and key not in known:
            message = f"expect is keyed by rulebook {key!r}, which is no shipped rulebook ({', '.join(known)})"
            message += "; give its folder with --rules DIR"
            problems.append(problem_at(document, at, message, suggest(key, known), key=True))
    return [p._replace(field=name_phase(p.field, document.data)) for p in problems]


def expectation_problems(
    scenario: Scenario, document: Document, rulebook: Rulebook, block: str | None = ALL
) -> list[Problem]:
    """What the blocks of `expect:` keyed `block` (ALL: every one) ask that the rulebook cannot answer: per-area
    statuses of roles not reported per area, per-request statuses of roles not about requests, or of requests
    outside the role's items."""
    problems = []
    known = [r.id for r in rulebook.roles]
    for _, _, at, roles in _roles(scenario, block):
        for role, entry in roles.items():
            if role not in known:
                message = f"rulebook {rulebook.id} has no role {role!r}; its roles are {', '.join(known)}"
                problems.append(problem_at(document, (*at, role), message, suggest(role, known), key=True))
                continue
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


def judged_report(report: Report, expectation: Expectation) -> Report:
    """The report an expectation is about: its phase's in a phased report, else the report itself."""
    return report if expectation.phase is None else report.phase_report(expectation.phase)


def compare(report: Report, pinned: list[Expectation]) -> list[Mismatch]:
    """The expectations the report does not meet, with the reasons behind what it says instead."""
    mismatches = []
    for expectation in pinned:
        role = judged_report(report, expectation).roles[expectation.role]
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
