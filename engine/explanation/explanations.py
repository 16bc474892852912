"""Why a role came out as it did: every trigger, ground, condition and limit checked, with the values it saw.

An explanation is read off the outcome of the evaluation that produced the
verdict (the node values durable_rules derived for that subject), so it cannot
disagree with the verdict. For a case that applies it also shows the procedure
variants of its ground and the constraints, each with the check of its `when`.
An `adjacent:` check shows the area it looked at; a `some_event:` check names
the events that satisfied it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any

from ..render.text import header_lines
from ..report.build import basis_of, subject_label, unmet_text
from ..report.evaluate import choose_evaluator, evaluate_phase
from ..report.model import Case, Report
from ..rete.compiler import CompiledRole, Trace
from ..rete.runtime import Evaluator, Facts
from ..rulebook import conditions as cond
from ..rulebook.describe import words
from ..rulebook.model import DIET_TEXT, Named, Role, Rulebook
from ..scenario.phases import PhaseState
from ..scenario.vocab import NOT_APPLICABLE
from ..util.text import beside, cite, wrap


@dataclass(slots=True)
class Check:
    """One part of a condition and whether it held; for a comparison, the value it looked at; for
    `some_event:`, the events that satisfied it."""

    text: str
    held: bool
    field: str | None = None
    value: Any = None
    children: list[Check] = _field(default_factory=list)
    events: list[str] | None = None
    formula: Any = None  # what was checked, for the plain-words view
    event_words: list[str] | None = None  # the events of `events`, as a reader names them

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"test": self.text, "held": self.held}
        if self.field is not None:
            out["field"] = self.field
            out["value"] = None if self.value == NOT_APPLICABLE else self.value
        if self.events is not None:
            out["events"] = self.events
        if self.children:
            out["items"] = [child.as_dict() for child in self.children]
        return out


@dataclass(slots=True)
class Item:
    """A trigger, ground, condition, limit, procedure variant or constraint as checked for one subject."""

    section: str  # trigger | ground | condition | limit | procedure | constraint
    id: str
    text: str
    held: bool
    basis: tuple[str, ...]
    check: Check | None
    interpretation: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "text": self.text, "held": self.held, "basis": list(self.basis)}
        out["check"] = self.check.as_dict() if self.check is not None else None
        if self.interpretation:
            out["interpretation"] = self.interpretation
        return out


@dataclass(slots=True)
class CaseExplanation:
    case: Case
    triggers: list[Item]
    grounds: list[Item]
    limits: list[Item]
    procedure: list[Item] = _field(default_factory=list)
    constraints: list[Item] = _field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        case = self.case
        out: dict[str, Any] = {"subject": case.ref, "label": case.label, "status": case.status}
        if case.area is not None:
            out["area"] = case.area
        out["ground"] = case.ground.id if case.ground else None
        out["triggers"] = [i.as_dict() for i in self.triggers]
        out["grounds"] = [i.as_dict() for i in self.grounds]
        out["limits"] = [i.as_dict() for i in self.limits]
        out["procedure"] = [i.as_dict() for i in self.procedure]
        out["constraints"] = [i.as_dict() for i in self.constraints]
        out["blocked_by"] = [i.id for i in self.limits if i.held] if case.status == "blocked" else []
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
    concepts: dict[str, Any] = _field(default_factory=dict)  # the rulebook's concepts, named in plain words

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "scenario": self.report.scenario,
            "source": self.report.source,
            "rulebook": self.report.rulebook,
        }
        if self.report.phase is not None:
            out["phase"] = self.report.phase
        out["roles"] = {role_id: role.as_dict() for role_id, role in self.roles.items()}
        return out


class _Checks:
    """Reads the checks of one case off its outcome."""

    def __init__(self, case: Case, facts: Facts | None, area_names: dict[str, str]) -> None:
        self.case = case
        self.outcome = case.outcome
        self.facts = facts
        self.names = area_names

    def check(self, trace: Trace) -> Check:
        outcome = self.outcome
        assert outcome is not None
        formula = trace.formula
        held = outcome.value(trace.ref)
        if isinstance(formula, cond.Compare):
            value = outcome.observed.get((trace.ref.node, trace.ref.link))
            return Check(formula.describe(), held, formula.field.path, value, formula=formula)
        if isinstance(formula, cond.Adjacent):
            area = self._area("adjacent")
            if area is None:
                return Check("in the adjacent area (it has none)", held, formula=formula)
            text = f"in the adjacent area, {self.names.get(area, area)}"
            return Check(text, held, children=[self.check(child) for child in trace.children], formula=formula)
        if isinstance(formula, cond.SomeEvent):
            found = self._found(trace)
            events = [" ".join(subject_label(e, self.names)) for e in found]
            plain = [_event_words(e, self.names) for e in found]
            text = f"some event in the area: {words(formula.item, False)}"
            return Check(text, held, events=events, formula=formula, event_words=plain)
        children = [self.check(child) for child in trace.children]
        return Check(formula.describe(), held, children=children, formula=formula)

    def _area(self, link: str) -> str | None:
        subject = self.case.subject
        if link == "adjacent":
            area = subject if subject.get("t") == "area" else self._fact(subject.get("area"))
            key = area.get("adjacent") if area else None
        else:
            key = subject.get("key") if subject.get("t") == "area" else subject.get("area")
        return None if key in (None, NOT_APPLICABLE) else key

    def _fact(self, key: Any) -> dict[str, Any] | None:
        if self.facts is None:
            return None
        return next((a for a in (*self.facts.areas, *self.facts.places) if a["key"] == key), None)

    def _found(self, trace: Trace) -> list[dict[str, Any]]:
        """The events of the folded area that satisfied the condition."""
        assert self.outcome is not None
        held = self.outcome.folds.get((trace.ref.node, trace.ref.link), ())
        area = self._area("adjacent" if trace.ref.link == "adjacent" else "area")
        if self.facts is None or area is None:
            return []
        here = [e for e in self.facts.events if e["area"] == area]
        return [here[i] for i in held if i < len(here)]

    def item(self, section: str, named: Named, trace: Trace, text: str, basis: tuple[str, ...]) -> Item:
        check = self.check(trace)
        return Item(section, named.id, text, check.held, basis, check, named.interpretation)


def _event_words(event: dict[str, Any], names: dict[str, str]) -> str:
    """`the combatants in distress in East China Sea`."""
    _, label = subject_label(event, names)
    area = event.get("area")
    where = f" in {names.get(area, area)}" if area not in (None, NOT_APPLICABLE) else ""
    return f"the {label}{where}"


def _items(
    checks: _Checks, rulebook: Rulebook, role: Role, section: str, named: tuple[Named, ...], traces: tuple[Trace, ...]
) -> list[Item]:
    items = []
    for item, trace in zip(named, traces, strict=True):
        if section == "limit":
            items.append(checks.item(section, item, trace, item.text, item.basis))
            continue
        held = checks.outcome.value(trace.ref)  # type: ignore[union-attr]
        text = item.text if held else unmet_text(rulebook, item)
        items.append(checks.item(section, item, trace, text, basis_of(rulebook, role, item)))
    return items


def _grounds(checks: _Checks, compiled: CompiledRole) -> list[Item]:
    """Each ground of a role: whether it held, with the check of its `when`."""
    role = compiled.role
    outcome = checks.outcome
    assert outcome is not None
    triggered = outcome.value(compiled.triggered)
    items = []
    for ground, traced in zip(role.grounds, compiled.grounds, strict=True):
        if traced.when is None:
            held = triggered
            check = Check("holds whenever the role is triggered", held)
        else:
            check = checks.check(traced.when)
            held = check.held
        text = ground.text if held else ground.unmet or f"Not met: {ground.text}"
        items.append(Item("ground", ground.id, text, held, ground.basis, check, ground.interpretation))
    return items


def _applied(checks: _Checks, compiled: CompiledRole) -> tuple[list[Item], list[Item]]:
    """For a case that applies: the procedure variants of its ground and the constraints, each with its check."""
    case = checks.case
    ground = case.ground
    if case.status != "applies" or ground is None:
        return [], []
    role = compiled.role
    g = [x.id for x in role.grounds].index(ground.id)
    traced = compiled.grounds[g]
    chosen = case.applied.procedure[1] if case.applied and case.applied.procedure else None
    procedure = []
    for i, (variant, trace) in enumerate(zip(ground.variants, traced.variants, strict=True)):
        p = variant.procedure
        text = f"{p.decision} {DIET_TEXT[p.diet_approval]}" + (" (used)" if i == chosen else "")
        if trace is not None:
            check: Check | None = checks.check(trace)
        elif len(ground.variants) > 1:
            check = Check("otherwise (no variant before it holds)", i == chosen)
        else:
            check = None
        procedure.append(Item("procedure", f"variant {i + 1}", text, i == chosen, p.basis, check))
    constraints = []
    pairs = list(zip(role.constraints, compiled.constraints, strict=True))
    pairs += zip(ground.constraints, traced.constraints, strict=True)
    for i, (constraint, trace) in enumerate(pairs):
        check = checks.check(trace) if trace is not None else None
        held = check.held if check is not None else True
        constraints.append(Item("constraint", f"constraint {i + 1}", constraint.text, held, constraint.basis, check))
    return procedure, constraints


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
        what = f"a request for {', '.join(subject.items).replace('_', ' ')}"
    else:
        what = "the scenario"
    triggers = " ".join(t.text for t in role.triggers)
    return f"Triggered by {what}, when: {triggers}"


def explain_report(report: Report, compiled: dict[str, CompiledRole], rulebook: Rulebook) -> Explanation:
    """The explanation of every role of a report, from the outcomes its cases carry."""
    facts = report.facts
    roles: dict[str, RoleExplanation] = {}
    for role_id, role_report in report.roles.items():
        role = role_report.role
        traces = compiled[role_id]
        cases = []
        for case in role_report.cases:
            assert case.outcome is not None
            checks = _Checks(case, facts, report.area_names)
            procedure, constraints = _applied(checks, traces)
            cases.append(
                CaseExplanation(
                    case,
                    _items(checks, rulebook, role, "trigger", role.triggers, traces.triggers),
                    _grounds(checks, traces),
                    _items(checks, rulebook, role, "limit", role.limits, traces.limits),
                    procedure,
                    constraints,
                )
            )
        empty = [a for a, v in (role_report.areas or {}).items() if not v.cases]
        roles[role_id] = RoleExplanation(role, role_report.status, cases, empty, would_trigger(role))
    return Explanation(report, roles, dict(rulebook.concepts))


# ----------------------------------------------------------------------------
# Text


_MARK = {True: "yes", False: "no "}


def _show(value: Any, field: str | None) -> str:
    if value == NOT_APPLICABLE:
        return "(not set for this event type)"
    if field == "date":
        return cond.date_text(value) if value else "(undated)"
    return cond.show_value(value)


def render_explanation(explanation: Explanation, *, width: int = 100, style: Callable[..., str] | None = None) -> str:
    """The explanation as text: per role, per case, each item with its checks and values."""
    paint = style or (lambda text, **_: text)

    lines = header_lines(explanation.report, width, paint)
    for role_id, role in explanation.roles.items():
        lines.append("")
        status = role.status.replace("_", " ")
        lines.extend(beside(paint(role.role.title.upper(), bold=True), f"{status}  {paint(role_id, dim=True)}", width))
        if not role.cases:
            lines.extend("  " + line for line in wrap(role.role.subject.missing, width - 2))
            lines.extend("  " + line for line in wrap(role.would_trigger, width - 2))
        if role.empty_areas:
            names = [explanation.report.area_names.get(a, a) for a in role.empty_areas]
            lines.extend("  " + line for line in wrap(f"{', '.join(names)}: {role.role.subject.missing}", width - 2))
        for case in role.cases:
            lines.append("")
            where = ""
            if case.case.area and role.role.subject.kind == "events":
                where = f" in {explanation.report.area_names.get(case.case.area, case.case.area)}"
            verdict = case.case.status.replace("_", " ")
            head = wrap(f"{case.case.ref} {case.case.label}{where}:", width - 2 - len(verdict) - 1)
            lines.extend("  " + line for line in head[:-1])
            lines.append(f"  {head[-1]} {paint(verdict, bold=True)}")
            sections = (
                ("triggers", case.triggers),
                ("grounds", case.grounds),
                ("limits", case.limits),
                ("procedure", case.procedure),
                ("constraints", case.constraints),
            )
            for title, items in sections:
                if not items:
                    continue
                lines.append(f"    {title}")
                for item in items:
                    _render_item(lines, item, width, case.case.status)
            concluded = wrap("-> " + _conclusion(case, role), width - 7)
            lines.extend("    " + line if i == 0 else "       " + line for i, line in enumerate(concluded))
    return "\n".join(lines)


def _conclusion(case: CaseExplanation, role: RoleExplanation) -> str:
    status = case.case.status
    if status == "not_triggered":
        missing = [i.id for i in case.triggers if not i.held]
        return f"not triggered: {', '.join(missing)} did not hold. {role.would_trigger}"
    holding = [i.id for i in case.limits if i.held]
    if status == "blocked":
        limits = f"; the limits that hold: {', '.join(holding)}" if holding else "; no limit names why (a defect)"
        return f"blocked: no ground holds{limits}"
    grounds = [i.id for i in case.grounds if i.held]
    also = f" (also holding: {', '.join(grounds[1:])})" if len(grounds) > 1 else ""
    return f"applies on {grounds[0]}{also}"


def _render_item(lines: list[str], item: Item, width: int, status: str) -> None:
    effect = ""
    if item.section == "limit" and item.held and status == "blocked":
        effect = " BLOCKS"
    mark = _MARK[item.held]
    head = f"      {mark} {item.id}{effect}: "
    if len(head) > width // 2:  # a long id: the text goes under it
        lines.append(head.rstrip())
        head = " " * 10
    wrapped = wrap(item.text + cite(item.basis), max(20, width - len(head)))
    lines.append(head + wrapped[0])
    lines.extend(" " * len(head) + line for line in wrapped[1:])
    if item.interpretation:
        for line in wrap("interpretation: " + item.interpretation, max(20, width - len(head))):
            lines.append(" " * len(head) + line)
    if item.check is not None:
        _render_check(lines, item.check, 10, width)


def _render_check(lines: list[str], check: Check, indent: int, width: int = 100) -> None:
    mark = _MARK[check.held]
    if check.field is not None:
        text = f"{mark} {check.text}  ({check.field} = {_show(check.value, check.field)})"
    else:
        made = ""
        if check.events is not None:
            made = f"  (by {'; '.join(check.events)})" if check.events else "  (no event does)"
        text = f"{mark} {check.text}{made}"
    shown = min(indent, max(0, width - 24))  # a narrow terminal: deep checks come out to keep 20 columns
    body = wrap(text, max(20, width - shown))
    lines.append(" " * shown + body[0])
    lines.extend(" " * (shown + 4) + line for line in wrap(" ".join(body[1:]), max(20, width - shown - 4)) if body[1:])
    for child in check.children:
        _render_check(lines, child, indent + 4, width)


def explain_phase(
    state: PhaseState,
    *,
    source: str,
    rulebook: str | None = None,
    rules_dir: str | None = None,
    evaluator: Evaluator | None = None,
    rulebook_reason: str | None = None,
) -> Explanation:
    """The explanation of one phase (`guidelines explain`): read off the evaluation `evaluate_phase` makes, under
    the rulebook chosen for the phase's date (or given, as for `evaluate_phase`)."""
    evaluator, reason = choose_evaluator(state.date, rulebook, rules_dir, evaluator, rulebook_reason)
    report = Report.of(evaluate_phase(state, source=source, evaluator=evaluator, rulebook_reason=reason))
    return explain_report(report, evaluator.compiled.roles, evaluator.rulebook)
