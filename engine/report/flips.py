"""What would change a verdict, as data: the cases of a report, and the changes of the facts that flip them.

A case is a role in one area, on one request, or (for a role reported
neither way) the role as a whole. A flip is a set of field changes, each
named as `--set` names it, and what the case becomes then: its status, and
the ground it applies on or the limits that block it. The search that finds
flips is `engine.verify.flip`; the renderers read these types.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..rulebook.conditions import show_value
from ..scenario.crosscheck import request_key
from .model import PhaseReport, Reason


class Decided(NamedTuple):
    """A case's status and what decides it: the ground it applies on, or the limits that block it."""

    status: str
    ground: str | None = None
    ground_title: str | None = None
    limits: tuple[str, ...] = ()


class CaseState(NamedTuple):
    """One case of a report: which, its verdict, and the engine's node values behind it."""

    role: str
    where: str | None  # an area id, a request as `expect:` names it, None for the role as a whole
    label: str
    decided: Decided
    signature: tuple[Any, ...]  # the node values of the outcomes behind it: what a change of facts touches

    @property
    def key(self) -> tuple[str, str | None]:
        return self.role, self.where


class Flip(NamedTuple):
    """Field changes (`--set` path and value, in the order found) that together change a case's status."""

    changes: tuple[tuple[str, Any], ...]
    decided: Decided

    def settings(self) -> list[str]:
        """The changes as `--set` arguments: `situation.ceasefire=formal`."""
        return [f"{path}={set_value(value)}" for path, value in self.changes]

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"set": {path: value for path, value in self.changes}, "to": self.decided.status}
        if self.decided.ground is not None:
            out["ground"] = self.decided.ground
        if self.decided.limits:
            out["limits"] = list(self.decided.limits)
        return out


class CaseFlips(NamedTuple):
    """A case, in a phase of its file (None without phases), and the smallest changes found that flip it."""

    phase: str | None
    case: CaseState
    flips: tuple[Flip, ...]

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.phase is not None:
            out["phase"] = self.phase
        out.update(
            role=self.case.role,
            where=self.case.where,
            status=self.case.decided.status,
            flips=[flip.as_dict() for flip in self.flips],
        )
        return out


class FlipReport(NamedTuple):
    """What would change each verdict of a scenario file: every case searched, phase by phase."""

    scenario: str
    source: str
    phases: dict[str | None, str | None]  # phase id -> name, in file order (None: a file without phases)
    titles: dict[str, str]  # role id -> title
    cases: list[CaseFlips]

    def as_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "source": self.source, "cases": [c.as_dict() for c in self.cases]}


def set_value(value: Any) -> str:
    """A value as `--set` reads it back: YAML's true, false and null; text and dates as they are."""
    return "null" if value is None else show_value(value)


def report_cases(report: PhaseReport) -> list[CaseState]:
    """Every case of a phase's report, role by role in the report's order, then area by area or request by request."""
    out: list[CaseState] = []
    for role_id, role in report.roles.items():
        if role.areas is not None:
            for area_id, verdict in role.areas.items():
                ground = verdict.ground if verdict.status == "applies" else None
                decided = _decided(verdict.status, ground, verdict.reasons)
                out.append(CaseState(role_id, area_id, verdict.name, decided, _signature(verdict.cases)))
        elif role.requests is not None:
            for entry in role.requests:
                case = entry.case
                where = request_key(entry.force, entry.item, entry.area)
                ground = case.ground if case.status == "applies" else None
                out.append(CaseState(role_id, where, where, _decided(case.status, ground, case.reasons),
                                     _signature([case])))  # fmt: skip
        else:
            ground = role.ground if role.status == "applies" else None
            decided = _decided(role.status, ground, role.reasons)
            out.append(CaseState(role_id, None, role.role.title, decided, _signature(role.cases)))
    return out


def _decided(status: str, ground: Any, reasons: list[Reason]) -> Decided:
    limits = tuple(dict.fromkeys(r.id for r in reasons if r.kind == "limit")) if status == "blocked" else ()
    if ground is None:
        return Decided(status, limits=limits)
    return Decided(status, ground.id, ground.title, limits)


def _signature(cases: list[Any]) -> tuple[Any, ...]:
    return tuple((c.status, c.outcome.values if c.outcome is not None else None) for c in cases)
