"""The report of one evaluation: each role's status, where, on which ground, why, and how it is decided.

Built from the engine's outcomes only: statuses are the verdicts durable_rules
recorded, and every reason is a ground, trigger, condition or limit whose value
the engine derived; the ground a case applies on, the procedure variant and the
constraints shown are read off node values too. What is computed here is the
roll-up (applies anywhere, else blocked anywhere, else not triggered), and the
union of the procedures of the grounds that applied.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..errors import Problem
from ..rete.compiler import CompiledGround, CompiledRole
from ..rete.outcome import Outcome
from ..rete.runtime import Facts
from ..rulebook.conditions import ConceptRef
from ..rulebook.model import DIET_RANK, Constraint, Ground, Named, Notice, Procedure, Role, Rulebook
from ..scenario.vocab import JAPAN_AREA, NOT_APPLICABLE, roll_up

REPORT_VERSION = 2


class Reason(NamedTuple):
    """One reason for a verdict: a ground or limit that holds, a condition or trigger that does or does not."""

    kind: str  # ground | limit | condition | trigger | subject
    id: str
    text: str
    basis: tuple[str, ...]
    held: bool

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "text": self.text, "basis": list(self.basis), "held": self.held}


class Applied(NamedTuple):
    """How an applying case is decided and what binds it: its ground's procedure (the variant that holds), and
    the constraints that hold."""

    procedure: tuple[Ground, int, Procedure] | None  # ground, variant index, procedure
    constraints: tuple[Constraint, ...]


class Case:
    """One subject of a role (an event, an area, a request) and the engine's verdict on it."""

    __slots__ = ("ref", "label", "area", "status", "reasons", "outcome", "grounds", "applied", "subject", "variants")

    def __init__(
        self,
        ref: str,
        label: str,
        area: str | None,
        status: str,
        reasons: list[Reason],
        outcome: Outcome | None = None,
        grounds: tuple[Ground, ...] = (),
        applied: Applied | None = None,
        subject: dict[str, Any] | None = None,
        variants: tuple[int | None, ...] = (),
    ) -> None:
        self.ref = ref  # events[2], areas[strait], us_forces.requests[0], scenario
        self.label = label
        self.area = area
        self.status = status
        self.reasons = reasons
        self.outcome = outcome
        self.grounds = grounds  # the grounds that hold, in file order (none unless the case applies)
        self.applied = applied
        self.subject = subject or {}
        self.variants = variants  # per ground of the role: the procedure variant that holds for this case

    @property
    def ground(self) -> Ground | None:
        """The ground the case applies on: the first that holds."""
        return self.grounds[0] if self.grounds else None

    def basis(self) -> list[str]:
        return _union(r.basis for r in self.reasons)

    def verdict(self) -> dict[str, Any]:
        """status, ground, grounds, reasons, basis and (when blocked) limits: what a request entry says.

        It depends on the outcome alone, so a memoised outcome (shared by many
        cases) works it out once; the dict is shared, and never changed.
        """
        if self.outcome is None:
            return _verdict(self.status, self.ground, list(self.grounds), self.reasons)
        cached = self.outcome.derived.get("verdict")
        if cached is None:
            cached = self.outcome.derived["verdict"] = _verdict(
                self.status, self.ground, list(self.grounds), self.reasons
            )
        return cached

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"subject": self.ref, "label": self.label}
        if self.area is not None:
            out["area"] = self.area
        out.update(self.verdict())
        if self.applied is not None and self.applied.constraints:
            out["constraints"] = [c.text for c in self.applied.constraints]
        return out


class AreaVerdict:
    """A role's verdict in one area, rolled up from the cases located there."""

    __slots__ = ("area", "name", "status", "reasons", "cases", "order")

    def __init__(
        self,
        area: str,
        name: str,
        status: str,
        reasons: list[Reason],
        cases: list[Case],
        order: tuple[Ground, ...] = (),
    ) -> None:
        self.area = area
        self.name = name
        self.status = status
        self.reasons = reasons
        self.cases = cases
        self.order = order  # the role's grounds

    @property
    def grounds(self) -> list[Ground]:
        """The grounds that hold for the area's applying cases, each once, in file order."""
        return _grounds(self.order, self.cases)

    @property
    def ground(self) -> Ground | None:
        """The first ground, in file order, that an applying case here applies on.

        That is the first of `grounds`: the earliest of the grounds that hold is the one its case
        applies on. Read so, it does not depend on the order of the scenario's events.
        """
        grounds = self.grounds
        return grounds[0] if grounds else None

    def as_dict(self) -> dict[str, Any]:
        if len(self.cases) == 1:  # the area says what its one case says
            return self.cases[0].verdict()
        if not self.cases:  # the same for every area without a case of the role
            return _missing_entry(self.reasons[0])
        return _verdict(self.status, self.ground, self.grounds, self.reasons)


_MISSING: dict[int, tuple[Reason, dict[str, Any]]] = {}


def _missing_entry(reason: Reason) -> dict[str, Any]:
    """The entry of an area where a role has nothing to judge, worked out once per role (its reason)."""
    cached = _MISSING.get(id(reason))
    if cached is None or cached[0] is not reason:
        cached = _MISSING[id(reason)] = (reason, _verdict("not_triggered", None, [], [reason]))
    return cached[1]


def _verdict(status: str, ground: Ground | None, grounds: list[Ground], reasons: list[Reason]) -> dict[str, Any]:
    """An area's or a request's entry: status, ground, grounds, reasons, basis and (when blocked) limits."""
    out: dict[str, Any] = {
        "status": status,
        "ground": ground.id if ground else None,
        "grounds": [g.id for g in grounds] or None,
        "reasons": [r.text for r in reasons],
        "basis": _union(r.basis for r in reasons),
    }
    limits = [r.id for r in reasons if r.kind == "limit"]
    if limits:
        out["limits"] = limits
    return out


def _grounds(order: tuple[Ground, ...], cases: list[Case]) -> list[Ground]:
    """The grounds that hold for the applying cases, each once, in the order of the rule file."""
    ids = {g.id for c in cases if c.status == "applies" for g in c.grounds}
    return [g for g in order if g.id in ids]


class RequestEntry(NamedTuple):
    """A request of an operating force, in a request role's category, and the verdict on it."""

    force: str
    item: str
    area: str | None  # the area the request names; None: inside Japan
    case: Case

    def as_dict(self) -> dict[str, Any]:
        return {"force": self.force, "item": self.item, "area": self.area, **self.case.verdict()}


class RoleReport:
    """One role's verdict: rolled up, per area or per request where the role is reported so, and per case."""

    __slots__ = ("role", "status", "cases", "reasons", "areas", "requests")

    def __init__(
        self,
        role: Role,
        status: str,
        cases: list[Case],
        reasons: list[Reason],
        areas: dict[str, AreaVerdict] | None = None,
        requests: list[RequestEntry] | None = None,
    ) -> None:
        self.role = role
        self.status = status
        self.cases = cases
        self.reasons = reasons
        self.areas = areas
        self.requests = requests

    @property
    def grounds(self) -> list[Ground]:
        """The grounds that hold for the role's applying cases, each once, in file order."""
        return _grounds(self.role.grounds, self.cases)

    @property
    def ground(self) -> Ground | None:
        """The first ground, in file order, that an applying case of the role applies on (see AreaVerdict.ground)."""
        grounds = self.grounds
        return grounds[0] if grounds else None

    def _used(self) -> frozenset[tuple[str, int]]:
        """(ground id, variant index) of the procedures `procedures` gives; empty for all of them."""
        if not self.cases:
            return frozenset()
        applying = [c for c in self.cases if c.status == "applies" and c.applied and c.applied.procedure]
        if applying:
            return frozenset((c.applied.procedure[0].id, c.applied.procedure[1]) for c in applying)  # type: ignore[union-attr]
        return frozenset(
            (ground.id, case.variants[g])
            for case in self.cases
            for g, ground in enumerate(self.role.grounds)
            if g < len(case.variants) and case.variants[g] is not None
        )

    def procedures(self) -> list[tuple[Ground, Procedure]]:
        """How the role is decided, in the order of the grounds and their variants.

        Where it applies: the procedure of each applying case's ground (the
        variant that holds for the case). Where it does not: how it would be,
        on every ground, by the variant that holds for some case (every variant
        when there is no case).
        """
        return _procedures(self.role, self._used())

    def constraints(self) -> list[Constraint]:
        """The constraints that bind the role where it applies, each once: the role's own, then its grounds'."""
        held = {c for case in self.cases if case.status == "applies" and case.applied for c in case.applied.constraints}
        ordered = list(self.role.constraints) + [c for g in self.role.grounds for c in g.constraints]
        return list(dict.fromkeys(c for c in ordered if c in held))

    def entries(self) -> list[Any]:
        """What the role is reported by: its areas, its requests, or its cases."""
        if self.areas is not None:
            return list(self.areas.values())
        if self.requests is not None:
            return [entry.case for entry in self.requests]
        return self.cases

    def applies_in(self) -> tuple[int, int] | None:
        """(where it applies, where it applies or is blocked) when the role applies but is blocked somewhere."""
        statuses = [e.status for e in self.entries()]
        if self.status != "applies" or "blocked" not in statuses:
            return None
        return statuses.count("applies"), statuses.count("applies") + statuses.count("blocked")

    def as_dict(self) -> dict[str, Any]:
        role = self.role
        out: dict[str, Any] = {
            "status": self.status,
            "title": role.title,
            "seed": role.seed,
            "beyond_seed": role.beyond_seed,
        }
        if self.areas is not None:
            out["areas"] = {area_id: verdict.as_dict() for area_id, verdict in self.areas.items()}
        if self.requests is not None:
            out["requests"] = [entry.as_dict() for entry in self.requests]
        out["reasons"] = [r.text for r in self.reasons]
        out["basis"] = list(role.basis)
        applies = self.status == "applies"
        ground = self.ground if applies else None
        out["ground"] = ground.id if ground else None
        out["grounds"] = ([g.id for g in self.grounds] or None) if applies else None
        out.update(_procedures_json(role, self._used()))
        constraints = self.constraints() if applies else []
        if constraints:
            out["constraints"] = [c.text for c in constraints]
        applies_in = self.applies_in() if applies else None
        if applies_in:
            out["applies_in"] = list(applies_in)
        out["cases"] = [case.as_dict() for case in self.cases]
        return out


def _procedures(role: Role, used: frozenset[tuple[str, int]]) -> list[tuple[Ground, Procedure]]:
    return [
        (ground, variant.procedure)
        for ground in role.grounds
        for i, variant in enumerate(ground.variants)
        if not used or (ground.id, i) in used
    ]


# The procedure keys of a role's report depend only on which procedures were used: worked out once for each.
_PROCEDURES: dict[tuple[int, frozenset[tuple[str, int]]], tuple[Role, dict[str, Any]]] = {}


def _procedures_json(role: Role, used: frozenset[tuple[str, int]]) -> dict[str, Any]:
    cached = _PROCEDURES.get((id(role), used))
    if cached is not None and cached[0] is role:
        return cached[1]
    procedures = _procedures(role, used)
    out = {
        "procedure": [line for procedure in distinct(procedures) for line in procedure.lines()],
        "procedures": [
            {
                "ground": g.id,
                "decision": p.decision,
                "diet_approval": p.diet_approval,
                "steps": list(p.steps),
                "basis": list(p.basis),
            }
            for g, p in procedures
        ],
        "diet_approval": strictest(p.diet_approval for _, p in procedures),
    }
    if len(_PROCEDURES) > 10_000:
        _PROCEDURES.clear()
    _PROCEDURES[(id(role), used)] = (role, out)
    return out


def distinct(procedures: list[tuple[Ground, Procedure]]) -> list[Procedure]:
    """The procedures, each once (grounds without their own share the role's)."""
    return list(dict.fromkeys(procedure for _, procedure in procedures))


def strictest(approvals: Any) -> str:
    """The strictest Diet approval among several: prior, then prior_or_after, then none."""
    return max(approvals, key=DIET_RANK.__getitem__, default="none")


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

    __slots__ = (
        "scenario",
        "source",
        "rulebook",
        "roles",
        "notices",
        "description",
        "date",
        "area_names",
        "warnings",
        "rulebook_reason",
        "facts",
        "rulebook_title",
        "sources",
        "phase",
        "phase_name",
        "phases",
        "changes",
    )

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
        rulebook_reason: str = "",
        facts: Facts | None = None,
        rulebook_title: str = "",
        sources: dict[str, str] | None = None,
        phase: str | None = None,
        phase_name: str | None = None,
        phases: list[Report] | None = None,
        changes: list[Any] | None = None,  # engine.report.changes.Change, which builds on this module
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
        self.rulebook_reason = rulebook_reason
        self.facts = facts  # what the engine was given: explanations name the events behind a `some_event:`
        self.phase = phase  # the id of the phase this report is of, in a phased file
        self.phase_name = phase_name
        # A phased file's report: each phase's, in order, and what changed from one to the next. Its own
        # roles, notices, rulebook and date are the last phase's.
        self.phases = phases
        self.changes = changes
        self.rulebook_title = rulebook_title
        self.sources = sources or {}  # the rulebook's source tags and their full titles, for the legends

    def as_dict(self) -> dict[str, Any]:
        """The JSON report of the contract (and a few more keys)."""
        out: dict[str, Any] = {
            "scenario": self.scenario,
            "source": self.source,
            "rulebook": self.rulebook,
            "rulebook_reason": self.rulebook_reason,
            "version": REPORT_VERSION,
        }
        if self.phase is not None:
            out["phase"] = self.phase
            out["phase_name"] = self.phase_name
        if self.date:
            out["date"] = self.date
        out.update(self._verdicts())
        out["warnings"] = [w.as_dict() for w in self.warnings]
        if self.phases is not None:
            out["phases"] = [phase.phase_dict() for phase in self.phases]
            out["changes"] = [change.as_dict() for change in self.changes or ()]
        return out

    def _verdicts(self) -> dict[str, Any]:
        return {
            "roles": {role_id: role.as_dict() for role_id, role in self.roles.items()},
            "notices": [n.text for n in self.notices],
            "notice_details": [n.as_dict() for n in self.notices],
        }

    def phase_dict(self) -> dict[str, Any]:
        """The entry of a phase's report in its file's `phases`: the phase, its rulebook, verdicts and warnings."""
        return {
            "id": self.phase,
            "name": self.phase_name,
            "date": self.date,
            "rulebook": self.rulebook,
            "rulebook_reason": self.rulebook_reason,
            **self._verdicts(),
            "warnings": [w.as_dict() for w in self.warnings],
        }

    def phase_report(self, wanted: str | None) -> Report:
        """The report of the phase with id `wanted`; raises `UnknownPhaseError` (a usage error) if none has it.

        With `wanted` None: the last phase's report, or this one for a file without phases.
        """
        from ..scenario.phases import phase_index

        if wanted is None:
            return self.phases[-1] if self.phases else self
        ids = [p.phase for p in self.phases or ()]
        return (self.phases or [])[phase_index(ids, wanted)]

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
) -> Report:
    """Assemble a report from the engine's outcomes for every role and notice."""
    names = area_names or {}
    role_reports: dict[str, RoleReport] = {}
    for role in rulebook.roles:
        compiled = roles[role.id]
        cases = []
        for subject, outcome in results[role.id]:
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
        role_reports[role.id] = RoleReport(role, status, cases, reasons, areas, requests)

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
    return Report(
        scenario,
        source,
        rulebook.id,
        role_reports,
        notice_entries,
        description,
        date,
        names,
        warnings,
        rulebook_reason,
        facts,
        rulebook.title,
        rulebook.sources,
    )


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
