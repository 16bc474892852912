"""A scenario's `expect:` block: what it pins, and how a report measures up to it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from ..rulebook.model import Rulebook
from ..scenario.crosscheck import request_key
from ..scenario.located import problem_at
from ..scenario.models import Scenario
from ..scenario.vocab import RULEBOOK_IDS
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
    rulebook: str | None = None  # the rulebook id its block is keyed by; None in the plain form

    @property
    def name(self) -> str:
        if self.request is not None:
            where = f"{self.role}[{self.request}]"
        else:
            where = self.role + (f"@{self.area}" if self.area else "")
        return where + (f" under {self.rulebook}" if self.rulebook else "")


def expect_blocks(scenario: Scenario) -> dict[str | None, dict[str, Any]]:
    """The scenario's `expect:` by rulebook: `{None: roles}` in the plain form (the rulebook the file evaluates
    under by default), `{"1997": roles, "2015": roles}` in the form keyed by rulebook; empty without `expect:`."""
    expect = scenario.expect or {}
    if any(key in RULEBOOK_IDS for key in expect):
        return {key: dict(value) for key, value in expect.items()}  # type: ignore[arg-type]
    return {None: dict(expect)} if expect else {}


def rulebook_of_block(key: str | None, scenario: Scenario) -> str:
    """Which rulebook a block of `expect:` is about: its key, or (plain form) the one in force on the file's date."""
    if key is not None:
        return key
    from ..rulebook.choice import choose

    chosen = choose(scenario.date)
    return chosen.id or ""


@dataclass(frozen=True, slots=True)
class Mismatch:
    expectation: Expectation
    got: str
    reasons: tuple[Reason, ...]


def expectations(
    scenario: Scenario, document: Document | None = None, rulebook: str | None = None
) -> list[Expectation]:
    """Every status one block of the scenario's `expect:` pins, in file order: the block keyed `rulebook`, or
    (None) the plain form."""
    head: tuple[object, ...] = ("expect",) if rulebook is None else ("expect", rulebook)

    def line(*loc: object) -> int | None:
        position = document.position((*head, *loc)) if document else None
        return position[0] if position else None

    out: list[Expectation] = []
    for role, entry in expect_blocks(scenario).get(rulebook, {}).items():
        if isinstance(entry, str):
            out.append(Expectation(role, None, entry, line(role), rulebook=rulebook))
            continue
        if entry.status:
            out.append(Expectation(role, None, entry.status, line(role, "status"), rulebook=rulebook))
        for area, status in entry.areas.items():
            out.append(Expectation(role, area, status, line(role, "areas", area), rulebook=rulebook))
        for key, status in entry.requests.items():
            out.append(Expectation(role, None, status, line(role, "requests", key), key, rulebook))
    return out


def expectation_problems(
    scenario: Scenario, document: Document, rulebook: Rulebook, block: str | None = None
) -> list[Problem]:
    """What one block of `expect:` (keyed `block`, or the plain form) asks that the rulebook cannot answer:
    per-area statuses of roles not reported per area, per-request statuses of roles not about requests, or of
    requests outside the role's items."""
    head: tuple[object, ...] = ("expect",) if block is None else ("expect", block)
    problems = []
    for role, entry in expect_blocks(scenario).get(block, {}).items():
        if isinstance(entry, str):
            continue
        subject = rulebook.role(role).subject
        if entry.areas and not subject.per_area:
            message = f"{role} is not reported per area, so it takes a status but no `areas:`"
            problems.append(problem_at(document, (*head, role, "areas"), message))
        if entry.requests and subject.kind != "requests":
            message = f"{role} is not about requests, so it takes no `requests:`"
            problems.append(problem_at(document, (*head, role, "requests"), message))
            continue
        for key in entry.requests:
            item = key.removeprefix("other:").split("@", 1)[0]
            if item not in subject.items:
                message = f"{role} is about requests for {', '.join(subject.items)}; {item!r} is none of them"
                problems.append(problem_at(document, (*head, role, "requests", key), message, key=True))
    return problems


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
        role = report.roles[expectation.role]
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
