"""The report of one evaluation: each role's status, where, why, and under which provisions.

Built from the engine's outcomes only: statuses are the verdicts durable_rules
recorded, and every reason is a trigger, condition or limit whose value the
engine derived. The only thing computed here is the roll-up: applies anywhere,
else blocked anywhere, else not triggered.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..errors import Problem
from ..rete.compiler import CompiledRole
from ..rete.outcome import Outcome
from ..rete.runtime import Facts
from ..rulebook.conditions import ConceptRef
from ..rulebook.model import Named, Notice, Role, Rulebook
from ..scenario.vocab import JAPAN_AREA, NOT_APPLICABLE, roll_up

REPORT_VERSION = 1


class Reason(NamedTuple):
    """One reason for a verdict: a limit that holds, a condition or trigger that does not, or one that does."""

    kind: str  # limit | condition | trigger | subject
    id: str
    text: str
    basis: tuple[str, ...]
    held: bool

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "text": self.text, "basis": list(self.basis), "held": self.held}


class Case:
    """One subject of a role (an event, an area, a request) and the engine's verdict on it."""

    __slots__ = ("ref", "label", "area", "status", "reasons", "outcome")

    def __init__(
        self, ref: str, label: str, area: str | None, status: str, reasons: list[Reason], outcome: Outcome | None = None
    ) -> None:
        self.ref = ref  # events[2], areas[strait], requests[0], scenario
        self.label = label
        self.area = area
        self.status = status
        self.reasons = reasons
        self.outcome = outcome

    def basis(self) -> list[str]:
        return _union(r.basis for r in self.reasons)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"subject": self.ref, "label": self.label, "status": self.status}
        if self.area is not None:
            out["area"] = self.area
        out["reasons"] = [r.text for r in self.reasons]
        out["basis"] = self.basis()
        limits = [r.id for r in self.reasons if r.kind == "limit"]
        if limits:
            out["limits"] = limits
        return out


class AreaVerdict:
    """A role's verdict in one area, rolled up from the cases located there."""

    __slots__ = ("area", "name", "status", "reasons", "cases")

    def __init__(self, area: str, name: str, status: str, reasons: list[Reason], cases: list[Case]) -> None:
        self.area = area
        self.name = name
        self.status = status
        self.reasons = reasons
        self.cases = cases

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "reasons": [r.text for r in self.reasons],
            "basis": _union(r.basis for r in self.reasons),
        }


class RoleReport:
    """One role's verdict: rolled up, per area for the roles reported so, and per case."""

    __slots__ = ("role", "status", "cases", "reasons", "areas")

    def __init__(
        self,
        role: Role,
        status: str,
        cases: list[Case],
        reasons: list[Reason],
        areas: dict[str, AreaVerdict] | None = None,
    ) -> None:
        self.role = role
        self.status = status
        self.cases = cases
        self.reasons = reasons
        self.areas = areas

    def as_dict(self) -> dict[str, Any]:
        role = self.role
        out: dict[str, Any] = {"status": self.status, "title": role.title, "seed": role.seed}
        if self.areas is not None:
            out["areas"] = {area_id: verdict.as_dict() for area_id, verdict in self.areas.items()}
        out["reasons"] = [r.text for r in self.reasons]
        out["basis"] = list(role.basis)
        out["procedure"] = role.procedure.lines()
        out["diet_approval"] = role.procedure.diet_approval
        if self.status == "applies" and role.constraints:
            out["constraints"] = [c.text for c in role.constraints]
        out["cases"] = [case.as_dict() for case in self.cases]
        return out


class NoticeEntry(NamedTuple):
    id: str
    text: str
    basis: tuple[str, ...]
    area: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "text": self.text, "basis": list(self.basis)}
        if self.area is not None:
            out["area"] = self.area
        return out


class Report:
    """The evaluation of one scenario under one rulebook."""

    __slots__ = ("scenario", "source", "rulebook", "roles", "notices", "description", "date", "area_names", "warnings")

    def __init__(
        self,
        scenario: str,
        source: str,
        rulebook: str,
        roles: dict[str, RoleReport],
        notices: list[NoticeEntry],
        description: str | None = None,
        date: str | None = None,
        area_names: dict[str, str] | None = None,
        warnings: list[Problem] | None = None,
    ) -> None:
        self.scenario = scenario
        self.source = source
        self.rulebook = rulebook
        self.roles = roles
        self.notices = notices
        self.description = description
        self.date = date
        self.area_names = area_names or {}
        self.warnings = warnings or []

    def as_dict(self) -> dict[str, Any]:
        """The JSON report of the contract (and a few more keys)."""
        out: dict[str, Any] = {
            "scenario": self.scenario,
            "source": self.source,
            "rulebook": self.rulebook,
            "version": REPORT_VERSION,
        }
        if self.date:
            out["date"] = self.date
        out["roles"] = {role_id: role.as_dict() for role_id, role in self.roles.items()}
        out["notices"] = [n.text for n in self.notices]
        out["notice_details"] = [n.as_dict() for n in self.notices]
        out["warnings"] = [w.as_dict() for w in self.warnings]
        return out

    def statuses(self) -> dict[str, str]:
        """Each role's rolled-up status."""
        return {role_id: role.status for role_id, role in self.roles.items()}


def _union(groups: Any) -> list[str]:
    out: dict[str, None] = {}
    for group in groups:
        for item in group:
            out[item] = None
    return list(out)


# ----------------------------------------------------------------------------
# Building


def _concept_of(rulebook: Rulebook, named: Named) -> Named | None:
    if isinstance(named.formula, ConceptRef):
        concept = rulebook.concepts.get(named.formula.concept)
        return concept.named if concept else None
    return None


def unmet_text(rulebook: Rulebook, named: Named) -> str:
    """What to say when a trigger or condition does not hold."""
    if named.unmet:
        return named.unmet
    concept = _concept_of(rulebook, named)
    if concept is not None and concept.unmet:
        return concept.unmet
    return f"Not met: {named.text}"


def basis_of(rulebook: Rulebook, role: Role, named: Named) -> tuple[str, ...]:
    """A trigger's or condition's own basis, else its concept's, else the role's."""
    if named.basis:
        return named.basis
    concept = _concept_of(rulebook, named)
    if concept is not None:
        return concept.basis
    return role.basis


def _reasons(rulebook: Rulebook, compiled: CompiledRole, outcome: Outcome) -> list[Reason]:
    """The reasons of one case, put into words once per outcome (memoised outcomes are shared)."""
    cached = outcome.derived.get(compiled.role.id)
    if cached is None:
        cached = outcome.derived[compiled.role.id] = _reasons_of(rulebook, compiled, outcome)
    return cached


def _reasons_of(rulebook: Rulebook, compiled: CompiledRole, outcome: Outcome) -> list[Reason]:
    role = compiled.role
    status = outcome.status
    out: list[Reason] = []
    if status == "not_triggered":
        for named, trace in zip(role.triggers, compiled.triggers, strict=True):
            if not outcome.value(trace.ref):
                out.append(
                    Reason("trigger", named.id, unmet_text(rulebook, named), basis_of(rulebook, role, named), False)
                )
        return out
    if status == "blocked":
        for named, trace in zip(role.limits, compiled.limits, strict=True):
            if outcome.value(trace.ref):
                text = named.text + (" (This limit is the rulebook's interpretation.)" if named.interpretation else "")
                out.append(Reason("limit", named.id, text, named.basis, True))
        if not out:  # no limit names the block: the conditions that failed do
            for named, trace in zip(role.conditions, compiled.conditions, strict=True):
                if not outcome.value(trace.ref):
                    text = unmet_text(rulebook, named)
                    out.append(Reason("condition", named.id, text, basis_of(rulebook, role, named), False))
        return out
    for named in role.conditions:
        out.append(Reason("condition", named.id, named.text, basis_of(rulebook, role, named), True))
    if not out:
        for named in role.triggers:
            out.append(Reason("trigger", named.id, named.text, basis_of(rulebook, role, named), True))
    return out


def case_area(subject: dict[str, Any]) -> str | None:
    """The area a case is about, as the scenario names it: None for a request inside Japan or an event with none."""
    area = subject["key"] if subject["t"] == "area" else subject.get("area")
    return None if area in (NOT_APPLICABLE, JAPAN_AREA, None) else area


def subject_label(subject: dict[str, Any], area_names: dict[str, str]) -> tuple[str, str]:
    """(reference, label) naming a subject the way the scenario file does."""
    kind = subject["t"]
    if kind == "area":
        return f"areas[{subject['key']}]", area_names.get(subject["key"], subject["key"])
    if kind == "request":
        block = "us_forces" if subject["force"] == "us" else "other_forces"
        label = subject["item"].replace("_", " ")
        if subject["area"] != JAPAN_AREA:
            label += f" in {area_names.get(subject['area'], subject['area'])}"
        if subject["force"] != "us":
            label += " (other forces)"
        return f"{block}.requests[{subject['index']}]", label
    if kind == "scenario":
        return "scenario", "the scenario"
    i, event_type = subject["index"], subject["type"]
    if event_type == "mines":
        label = f"{subject['status']} mines"
    elif event_type == "persons_in_distress":
        label = f"{subject['who']} in distress"
    elif event_type == "sanctions_shipping":
        label = f"suspect {subject['vessels']} ships" + (
            " (flag state consents)" if subject["flag_state_consent"] is True else ""
        )
    elif event_type == "refugee_flow":
        label = f"refugees heading {'for Japan' if subject['toward'] == 'japan' else 'elsewhere'}"
    else:
        label = "noncombatants evacuated to Japan"
    return f"events[{i}]", label


def build_report(
    rulebook: Rulebook,
    roles: dict[str, CompiledRole],
    notices: list[Notice],
    facts: Facts,
    results: dict[str, list[tuple[dict[str, Any], Outcome]]],
    *,
    scenario: str,
    source: str,
    description: str | None = None,
    date: str | None = None,
    area_names: dict[str, str] | None = None,
    warnings: list[Problem] | None = None,
) -> Report:
    """Assemble a report from the engine's outcomes for every role and notice."""
    names = area_names or {}
    role_reports: dict[str, RoleReport] = {}
    for role in rulebook.roles:
        compiled = roles[role.id]
        cases = []
        for subject, outcome in results[role.id]:
            ref, label = subject_label(subject, names)
            area = case_area(subject)
            cases.append(Case(ref, label, area, outcome.status, _reasons(rulebook, compiled, outcome), outcome))
        fixed = _fixed(compiled)
        missing = fixed["missing"]
        status = roll_up([c.status for c in cases])
        areas = None
        if fixed["per_area"]:
            areas = {}
            for area_fact in facts.areas:
                area_id = area_fact["key"]
                here = [c for c in cases if c.area == area_id]
                area_status = roll_up([c.status for c in here])
                reasons = (
                    _merge(fixed["order"], (r for c in here if c.status == area_status for r in c.reasons))
                    if here
                    else [missing]
                )
                areas[area_id] = AreaVerdict(area_id, names.get(area_id, area_id), area_status, reasons, here)
        reasons = (
            _merge(fixed["order"], (r for c in cases if c.status == status for r in c.reasons)) if cases else [missing]
        )
        role_reports[role.id] = RoleReport(role, status, cases, reasons, areas)

    notice_entries: list[NoticeEntry] = []
    for notice in notices:
        if notice.named is None:
            notice_entries.append(NoticeEntry(notice.id, notice.text, notice.basis))
            continue
        for subject, outcome in results.get(f"notice:{notice.id}", []):
            if outcome.status != "shown":
                continue
            if notice.subject == "areas":
                area_id = subject["key"]
                text = notice.text.replace("{area}", names.get(area_id, area_id))
                notice_entries.append(NoticeEntry(notice.id, text, notice.basis, area_id))
            else:
                notice_entries.append(NoticeEntry(notice.id, notice.text, notice.basis))
    return Report(scenario, source, rulebook.id, role_reports, notice_entries, description, date, names, warnings)


_FIXED: dict[int, tuple[CompiledRole, dict[str, Any]]] = {}


def _fixed(compiled: CompiledRole) -> dict[str, Any]:
    """What a report needs of a role that no scenario changes, worked out once per compiled role."""
    entry = _FIXED.get(id(compiled))
    if entry is not None and entry[0] is compiled:
        return entry[1]
    fixed: dict[str, Any] = {}
    _FIXED[id(compiled)] = (compiled, fixed)
    if not fixed:
        role = compiled.role
        order = {("trigger", n.id): i for i, n in enumerate(role.triggers)}
        order |= {("condition", n.id): len(order) + i for i, n in enumerate(role.conditions)}
        order |= {("limit", n.id): len(order) + i for i, n in enumerate(role.limits)}
        fixed["order"] = order
        fixed["per_area"] = role.subject.per_area
        fixed["missing"] = Reason("subject", "missing", role.subject.missing, (), False)
    return fixed


def _merge(order: dict[tuple[str, str], int], reasons: Any) -> list[Reason]:
    """The reasons of several cases, each once, in the order the role file gives them.

    The order must not depend on the order of events in the scenario.
    """
    out: dict[tuple[str, str], Reason] = {}
    for reason in reasons:
        out.setdefault((reason.kind, reason.id), reason)
    return sorted(out.values(), key=lambda r: order.get((r.kind, r.id), len(order)))
