"""Building a report from the engine's outcomes: each case's reasons, grounds and procedure, rolled up per area.

Built from the engine's outcomes only: statuses are the verdicts durable_rules
recorded, and every reason is a ground, trigger, condition or limit whose value
the engine derived; the ground a case applies on, the procedure variant and the
constraints shown are read off node values too. What is computed here is the
roll-up (applies anywhere, else blocked anywhere, else not triggered).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..errors import Problem
from ..rete.compiler import CompiledGround, CompiledRole
from ..rete.outcome import Outcome
from ..rete.runtime import Facts
from ..rulebook.conditions import ConceptRef
from ..rulebook.model import Ground, Named, Notice, Role, Rulebook
from ..scenario.vocab import JAPAN_AREA, NOT_APPLICABLE, roll_up
from .beyond import beyond_entries
from .model import Applied, AreaVerdict, Case, NoticeEntry, PhaseReport, Reason, RequestEntry, RoleReport


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


class Judged(NamedTuple):
    """What a report says of one outcome: its reasons, the grounds that hold and, if it applies, how; and per
    ground, the procedure variant that holds."""

    reasons: list[Reason]
    grounds: tuple[Ground, ...]
    applied: Applied | None
    variants: tuple[int | None, ...] = ()


def _judged(rulebook: Rulebook, compiled: CompiledRole, outcome: Outcome) -> Judged:
    """One case in words, worked out once per outcome (memoised outcomes are shared)."""
    cached = outcome.derived.get(compiled.role.id)
    if cached is None:
        cached = outcome.derived[compiled.role.id] = _judge(rulebook, compiled, outcome)
    return cached


def _holds(outcome: Outcome, ref: Any) -> bool:
    """Whether a node holds for the subject; no node (no `when`) always does."""
    return ref is None or outcome.value(ref)


def _first_variant(outcome: Outcome, ground: CompiledGround) -> int | None:
    return next((i for i, trace in enumerate(ground.variants) if _holds(outcome, trace and trace.ref)), None)


def _judge(rulebook: Rulebook, compiled: CompiledRole, outcome: Outcome) -> Judged:
    judged = _judge_case(rulebook, compiled, outcome)
    return judged._replace(variants=tuple(_first_variant(outcome, g) for g in compiled.grounds))


def _judge_case(rulebook: Rulebook, compiled: CompiledRole, outcome: Outcome) -> Judged:
    role = compiled.role
    status = outcome.status
    out: list[Reason] = []
    if status == "not_triggered":
        for named, trace in zip(role.triggers, compiled.triggers, strict=True):
            if not outcome.value(trace.ref):
                out.append(
                    Reason("trigger", named.id, unmet_text(rulebook, named), basis_of(rulebook, role, named), False)
                )
        return Judged(out, (), None)
    pairs = list(zip(role.grounds, compiled.grounds, strict=True))
    if status == "blocked":
        for named, trace in zip(role.limits, compiled.limits, strict=True):
            if outcome.value(trace.ref):
                text = named.text + (" (This limit is the rulebook's interpretation.)" if named.interpretation else "")
                out.append(Reason("limit", named.id, text, named.basis, True))
        if not out:  # no limit names the block (a rulebook defect `guidelines check` reports): what failed does
            for ground, _ in pairs:
                out.append(Reason("ground", ground.id, ground.unmet or f"Not met: {ground.text}", ground.basis, False))
        return Judged(out, (), None)
    held = [(g, c) for g, c in pairs if _holds(outcome, c.ref)]
    out = [Reason("ground", g.id, g.text, g.basis, True) for g, _ in held]
    ground, compiled_ground = held[0]
    variant = _first_variant(outcome, compiled_ground)
    procedure = (ground, variant, ground.variants[variant].procedure) if variant is not None else None
    constraints = [
        c for c, t in zip(role.constraints, compiled.constraints, strict=True) if _holds(outcome, t and t.ref)
    ]
    constraints += [
        c for c, t in zip(ground.constraints, compiled_ground.constraints, strict=True) if _holds(outcome, t and t.ref)
    ]
    return Judged(out, tuple(g for g, _ in held), Applied(procedure, tuple(constraints)))


def _named_area(subject: dict[str, Any]) -> str | None:
    """The area a request names, as the file gives it (kept for a facility request, though it is ignored)."""
    area = subject.get("named_area", NOT_APPLICABLE)
    return None if area == NOT_APPLICABLE else area


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
    rulebook_reason: str = "",
    only: frozenset[str] | None = None,
) -> PhaseReport:
    """Assemble a report from the engine's outcomes for every role (those in `only`, if given) and notice."""
    names = area_names or {}
    role_reports = {
        role.id: _role_report(rulebook, roles[role.id], facts, results[role.id], names)
        for role in rulebook.roles
        if only is None or role.id in only
    }
    return PhaseReport(
        scenario,
        source,
        rulebook.id,
        role_reports,
        _notice_entries(notices, results, names),
        description,
        date,
        names,
        warnings or [],
        rulebook_reason,
        facts,
        rulebook.title,
        rulebook.sources or {},
        beyond=beyond_entries(rulebook, facts, names),
    )


def _role_report(
    rulebook: Rulebook,
    compiled: CompiledRole,
    facts: Facts,
    results: list[tuple[dict[str, Any], Outcome]],
    names: dict[str, str],
) -> RoleReport:
    """One role's report: its cases, rolled up per area (or per request) and as a whole."""
    role = compiled.role
    cases = []
    for subject, outcome in results:
        ref, label = subject_label(subject, names)
        judged = _judged(rulebook, compiled, outcome)
        cases.append(
            Case(
                ref, label, case_area(subject), outcome.status, judged.reasons, outcome, judged.grounds,
                judged.applied, subject, judged.variants,
            )
        )  # fmt: skip
    fixed = _fixed(compiled)
    missing = fixed["missing"]
    status = roll_up([c.status for c in cases])
    areas = None
    if fixed["per_area"]:
        areas = {}
        by_area: dict[str | None, list[Case]] = {}
        for case in cases:
            by_area.setdefault(case.area, []).append(case)
        for area_fact in facts.areas:
            area_id = area_fact["key"]
            here = by_area.get(area_id, [])
            if len(here) == 1:
                area_status, reasons = here[0].status, here[0].reasons
            elif here:
                area_status = roll_up([c.status for c in here])
                reasons = _merge(fixed["order"], (r for c in here if c.status == area_status for r in c.reasons))
            else:
                area_status, reasons = "not_triggered", [missing]
            name = names.get(area_id, area_id)
            areas[area_id] = AreaVerdict(area_id, name, area_status, reasons, here, role.grounds)
    requests = None
    if role.subject.kind == "requests":
        operating = {"us": facts.scenario["us_operating"], "other": facts.scenario["other_operating"]}
        requests = [
            RequestEntry(c.subject["force"], c.subject["item"], _named_area(c.subject), c)
            for c in cases
            if operating[c.subject["force"]]
        ]
    reasons = (
        _merge(fixed["order"], (r for c in cases if c.status == status for r in c.reasons)) if cases else [missing]
    )
    return RoleReport(role, status, cases, reasons, areas, requests)


def _notice_entries(
    notices: list[Notice], results: dict[str, list[tuple[dict[str, Any], Outcome]]], names: dict[str, str]
) -> list[NoticeEntry]:
    """The notices shown: each unconditional one, and each conditional one for every subject it holds for."""
    entries: list[NoticeEntry] = []
    for notice in notices:
        if notice.named is None:
            entries.append(NoticeEntry(notice.id, notice.text, notice.basis))
            continue
        for subject, outcome in results.get(f"notice:{notice.id}", []):
            if outcome.status != "shown":
                continue
            if notice.subject == "areas":
                area_id = subject["key"]
                text = notice.text.replace("{area}", names.get(area_id, area_id))
                entries.append(NoticeEntry(notice.id, text, notice.basis, area_id))
            else:
                entries.append(NoticeEntry(notice.id, notice.text, notice.basis))
    return entries


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
        order |= {("ground", g.id): len(order) + i for i, g in enumerate(role.grounds)}
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
