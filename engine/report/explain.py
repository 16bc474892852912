"""Why a role came out as it did: every trigger, condition and limit checked, with the values it saw.

An explanation is read off the outcome of the evaluation that produced the
verdict (the node values durable_rules derived for that subject), so it cannot
disagree with the verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any

from ..rete.compiler import CompiledRole, Trace
from ..rete.outcome import Outcome
from ..rulebook import conditions as cond
from ..rulebook.model import Named, Role, Rulebook
from ..scenario.vocab import NOT_APPLICABLE
from ..util.text import cite, wrap
from .model import Case, Report, basis_of, unmet_text


@dataclass(slots=True)
class Check:
    """One part of a condition and whether it held; for a comparison, the value it looked at."""

    text: str
    held: bool
    field: str | None = None
    value: Any = None
    children: list[Check] = _field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"test": self.text, "held": self.held}
        if self.field is not None:
            out["field"] = self.field
            out["value"] = None if self.value == NOT_APPLICABLE else self.value
        if self.children:
            out["items"] = [child.as_dict() for child in self.children]
        return out


@dataclass(slots=True)
class Item:
    """A trigger, condition or limit as checked for one subject."""

    section: str  # trigger | condition | limit
    id: str
    text: str
    held: bool
    basis: tuple[str, ...]
    check: Check
    interpretation: str | None = None

    @property
    def decisive(self) -> bool:
        """Whether this item is why the verdict is not `applies`."""
        return self.held if self.section == "limit" else not self.held

    def as_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "text": self.text,
            "held": self.held,
            "basis": list(self.basis),
            "check": self.check.as_dict(),
        }
        if self.interpretation:
            out["interpretation"] = self.interpretation
        return out


@dataclass(slots=True)
class CaseExplanation:
    case: Case
    triggers: list[Item]
    conditions: list[Item]
    limits: list[Item]

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"subject": self.case.ref, "label": self.case.label, "status": self.case.status}
        if self.case.area is not None:
            out["area"] = self.case.area
        out["triggers"] = [i.as_dict() for i in self.triggers]
        out["conditions"] = [i.as_dict() for i in self.conditions]
        out["limits"] = [i.as_dict() for i in self.limits]
        out["blocked_by"] = [i.id for i in self.limits if i.held] if self.case.status == "blocked" else []
        out["unmet"] = [i.id for i in self.conditions if not i.held] if self.case.status == "blocked" else []
        out["untriggered_by"] = [i.id for i in self.triggers if not i.held]
        return out


@dataclass(slots=True)
class RoleExplanation:
    role: Role
    status: str
    cases: list[CaseExplanation]
    empty_areas: list[str]
    would_trigger: str

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "status": self.status,
            "title": self.role.title,
            "cases": [c.as_dict() for c in self.cases],
            "would_trigger": self.would_trigger,
        }
        if self.role.subject.per_area:
            out["areas_without_subject"] = self.empty_areas
        return out


@dataclass(slots=True)
class Explanation:
    report: Report
    roles: dict[str, RoleExplanation]

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.report.scenario,
            "source": self.report.source,
            "rulebook": self.report.rulebook,
            "roles": {role_id: role.as_dict() for role_id, role in self.roles.items()},
        }


def _check(trace: Trace, outcome: Outcome) -> Check:
    formula = trace.formula
    held = outcome.value(trace.ref)
    if isinstance(formula, cond.Compare):
        value = outcome.observed.get((trace.ref.node, trace.ref.link))
        return Check(formula.describe(), held, formula.field.path, value)
    return Check(formula.describe(), held, children=[_check(child, outcome) for child in trace.children])


def _items(
    rulebook: Rulebook, role: Role, section: str, named: tuple[Named, ...], traces: tuple[Trace, ...], outcome: Outcome
) -> list[Item]:
    items = []
    for item, trace in zip(named, traces, strict=True):
        held = outcome.value(trace.ref)
        if section == "limit":
            text, basis = item.text, item.basis
        else:
            text = item.text if held else unmet_text(rulebook, item)
            basis = basis_of(rulebook, role, item)
        check = _check(trace, outcome)
        items.append(Item(section, item.id, text, held, basis, check, item.interpretation))
    return items


def would_trigger(role: Role) -> str:
    """What would trigger a role: its subject and its triggers, in words."""
    subject = role.subject
    if subject.kind == "events":
        what = f"an event of type {' or '.join(subject.event_types)}"
        if subject.per_area:
            what += " in an area"
    elif subject.kind == "areas":
        what = "any area in the scenario"
    elif subject.kind == "requests":
        what = "a request of U.S. forces"
    else:
        what = "the scenario"
    triggers = " ".join(t.text for t in role.triggers)
    return f"Triggered by {what}, when: {triggers}"


def explain_report(report: Report, compiled: dict[str, CompiledRole], rulebook: Rulebook) -> Explanation:
    """The explanation of every role of a report, from the outcomes its cases carry."""
    roles: dict[str, RoleExplanation] = {}
    for role_id, role_report in report.roles.items():
        role = role_report.role
        traces = compiled[role_id]
        cases = []
        for case in role_report.cases:
            outcome = case.outcome
            assert outcome is not None
            cases.append(
                CaseExplanation(
                    case,
                    _items(rulebook, role, "trigger", role.triggers, traces.triggers, outcome),
                    _items(rulebook, role, "condition", role.conditions, traces.conditions, outcome),
                    _items(rulebook, role, "limit", role.limits, traces.limits, outcome),
                )
            )
        empty = [a for a, v in (role_report.areas or {}).items() if not v.cases]
        roles[role_id] = RoleExplanation(role, role_report.status, cases, empty, would_trigger(role))
    return Explanation(report, roles)


# ----------------------------------------------------------------------------
# Text


_MARK = {True: "yes", False: "no "}


def _show(value: Any) -> str:
    if value == NOT_APPLICABLE:
        return "(not set for this event type)"
    return cond.show_value(value)


def render_explanation(explanation: Explanation, *, width: int = 100, style: Callable[..., str] | None = None) -> str:
    """The explanation as text: per role, per case, each item with its checks and values."""
    paint = style or (lambda text, **_: text)
    lines = [paint(explanation.report.scenario, bold=True), paint(explanation.report.source, dim=True)]
    for role_id, role in explanation.roles.items():
        lines.append("")
        status = role.status.replace("_", " ")
        lines.append(f"{paint(role.role.title.upper(), bold=True)}  {status}  {paint(role_id, dim=True)}")
        if not role.cases:
            lines.append(f"  {role.role.subject.missing}")
            lines.append(f"  {role.would_trigger}")
        if role.empty_areas:
            names = [explanation.report.area_names.get(a, a) for a in role.empty_areas]
            lines.append(f"  {', '.join(names)}: {role.role.subject.missing}")
        for case in role.cases:
            lines.append("")
            where = ""
            if case.case.area and role.role.subject.kind != "areas":
                where = f" in {explanation.report.area_names.get(case.case.area, case.case.area)}"
            verdict = case.case.status.replace("_", " ")
            lines.append(f"  {case.case.ref} {case.case.label}{where}: {paint(verdict, bold=True)}")
            for title, items in (("triggers", case.triggers), ("conditions", case.conditions), ("limits", case.limits)):
                if not items:
                    continue
                lines.append(f"    {title}")
                for item in items:
                    _render_item(lines, item, width, paint)
            if case.case.status == "blocked":
                blocking = [i.id for i in case.limits if i.held] or [i.id for i in case.conditions if not i.held]
                lines.append(f"    -> blocked by {', '.join(blocking)}")
            elif case.case.status == "not_triggered":
                missing = [i.id for i in case.triggers if not i.held]
                lines.append(f"    -> not triggered: {', '.join(missing)} did not hold. {role.would_trigger}")
            else:
                lines.append("    -> applies: every trigger and condition holds and no limit does")
    return "\n".join(lines)


def _render_item(lines: list[str], item: Item, width: int, paint: Callable[..., str]) -> None:
    effect = ""
    if item.section == "limit" and item.held:
        effect = " BLOCKS"
    mark = _MARK[item.held]
    head = f"      {mark} {item.id}{effect}: "
    wrapped = wrap(item.text + cite(item.basis), max(40, width - len(head)))
    lines.append(head + wrapped[0])
    lines.extend(" " * len(head) + line for line in wrapped[1:])
    if item.interpretation:
        for line in wrap("interpretation: " + item.interpretation, max(40, width - len(head))):
            lines.append(" " * len(head) + line)
    _render_check(lines, item.check, 10)


def _render_check(lines: list[str], check: Check, indent: int) -> None:
    mark = _MARK[check.held]
    if check.field is not None:
        lines.append(" " * indent + f"{mark} {check.text}  ({check.field} = {_show(check.value)})")
        return
    lines.append(" " * indent + f"{mark} {check.text}")
    for child in check.children:
        _render_check(lines, child, indent + 4)
