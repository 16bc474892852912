"""The report of a scenario file: each phase's report (one for a file without phases), and each role's status,
where, on which ground, why, and how it is decided.

What is computed here, from what `build` read off the engine's outcomes, is
the JSON of the contract and the union of the procedures of the grounds that
applied.

The report types are dataclasses compared by identity (`eq=False`), as the
plain classes they replace were: a case is the engine's verdict on one
subject, not a value. What dataclasses add to the start is in
benchmarks/import_costs.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..errors import Problem
from ..rete.outcome import Outcome
from ..rete.runtime import Facts
from ..rulebook.model import Constraint, Ground, Procedure, Role
from .beyond import BeyondEntry
from .procedures import procedures_json, procedures_of
from .record import file_keys, phase_keys

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


@dataclass(slots=True, eq=False)
class Case:
    """One subject of a role (an event, an area, a request) and the engine's verdict on it."""

    ref: str  # events[2], areas[strait], us_forces.requests[0], scenario
    label: str
    area: str | None
    status: str
    reasons: list[Reason]
    outcome: Outcome | None = None
    grounds: tuple[Ground, ...] = ()  # the grounds that hold, in file order (none unless the case applies)
    applied: Applied | None = None
    subject: dict[str, Any] = field(default_factory=dict)
    variants: tuple[int | None, ...] = ()  # per ground of the role: the procedure variant that holds for this case

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


@dataclass(slots=True, eq=False)
class AreaVerdict:
    """A role's verdict in one area, rolled up from the cases located there."""

    area: str
    name: str
    status: str
    reasons: list[Reason]
    cases: list[Case]
    order: tuple[Ground, ...] = ()  # the role's grounds

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


@dataclass(slots=True, eq=False)
class RoleReport:
    """One role's verdict: rolled up, per area or per request where the role is reported so, and per case."""

    role: Role
    status: str
    cases: list[Case]
    reasons: list[Reason]
    areas: dict[str, AreaVerdict] | None = None
    requests: list[RequestEntry] | None = None

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
        return procedures_of(self.role, self._used())

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
        out.update(procedures_json(role, self._used()))
        constraints = self.constraints() if applies else []
        if constraints:
            out["constraints"] = [c.text for c in constraints]
        applies_in = self.applies_in() if applies else None
        if applies_in:
            out["applies_in"] = list(applies_in)
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


@dataclass(slots=True, eq=False)
class PhaseReport:
    """The evaluation of one scenario (a file without phases, or one phase of a file) under one rulebook."""

    scenario: str
    source: str
    rulebook: str
    roles: dict[str, RoleReport]
    notices: list[NoticeEntry]
    description: str | None = None
    date: str | None = None
    area_names: dict[str, str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    rulebook_reason: str = ""
    facts: Facts | None = None  # what the engine was given: explanations name the events behind a `some_event:`
    rulebook_title: str = ""
    sources: dict[str, str] = field(default_factory=dict)  # source tags and their full titles, for the legends
    phase: str | None = None  # the id of the phase this report is of, in a phased file
    phase_name: str | None = None
    beyond: list[BeyondEntry] = field(default_factory=list)  # measures other laws govern (report/beyond.py)
    record: Any = None  # engine.report.record.PhaseRecord: the file's sources and its record of this phase

    def verdicts(self) -> dict[str, Any]:
        """Each role's verdicts and the notices: the keys a report and each of its phases share."""
        beyond = {"beyond": [b.as_dict() for b in self.beyond]} if self.beyond else {}  # an optional key
        return {
            "roles": {role_id: role.as_dict() for role_id, role in self.roles.items()},
            "notices": [n.text for n in self.notices],
            "notice_details": [n.as_dict() for n in self.notices],
            **beyond,
        }

    def phase_dict(self) -> dict[str, Any]:
        """The entry of a phase's report in its file's `phases`: the phase, its rulebook, verdicts and warnings."""
        return {
            "id": self.phase,
            "name": self.phase_name,
            "date": self.date,
            "rulebook": self.rulebook,
            "rulebook_reason": self.rulebook_reason,
            **self.verdicts(),
            "warnings": [w.as_dict() for w in self.warnings],
        } | phase_keys(self.record)

    def statuses(self) -> dict[str, str]:
        """Each role's rolled-up status."""
        return {role_id: role.status for role_id, role in self.roles.items()}


@dataclass(slots=True, eq=False)
class Report:
    """The report of a scenario file: the report of each phase, in order (a file without phases has one), and
    what changed from one phase to the next.

    Read as one report, it is its last phase's: `roles`, `notices`, `rulebook`,
    `date` and the rest are the last phase's, as the JSON of the contract says.
    `phased` tells a whole file with phases (whose text opens with the
    timeline, and whose JSON lists `phases` and `changes`) from a file without
    phases and from one phase of a file shown alone (`--phase`).
    """

    phases: list[PhaseReport]
    changes: list[Any] = field(default_factory=list)  # engine.report.changes.Change, which builds on this module
    phased: bool = False
    scenario: str = ""
    source: str = ""
    description: str | None = None
    warnings: list[Problem] = field(default_factory=list)  # the file's (a phase's own are in its report)
    overrides: list[tuple[str, str | None]] = field(default_factory=list)  # --set PATH=VALUE, the phase that undoes it

    @classmethod
    def of(cls, phase: PhaseReport) -> Report:
        """The report of a file without phases, or of one phase shown alone: that one phase's."""
        return cls([phase], [], False, phase.scenario, phase.source, phase.description, phase.warnings)

    @property
    def last(self) -> PhaseReport:
        """The last phase's report: what the report says when read as one."""
        return self.phases[-1]

    @property
    def rulebook(self) -> str:
        return self.last.rulebook

    @property
    def roles(self) -> dict[str, RoleReport]:
        return self.last.roles

    @property
    def notices(self) -> list[NoticeEntry]:
        return self.last.notices

    @property
    def date(self) -> str | None:
        return self.last.date

    @property
    def area_names(self) -> dict[str, str]:
        return self.last.area_names

    @property
    def rulebook_reason(self) -> str:
        return self.last.rulebook_reason

    @property
    def facts(self) -> Facts | None:
        return self.last.facts

    @property
    def rulebook_title(self) -> str:
        return self.last.rulebook_title

    @property
    def sources(self) -> dict[str, str]:
        return self.last.sources

    @property
    def phase(self) -> str | None:
        """The id of the phase shown alone (`--phase`); None for a file without phases and for a whole file."""
        return None if self.phased else self.last.phase

    @property
    def phase_name(self) -> str | None:
        return None if self.phased else self.last.phase_name

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
        out.update(self.last.verdicts())
        out.update(warnings=[w.as_dict() for w in self.warnings], **file_keys(self))
        out |= {"overrides": [{"set": t, "overridden_by": p} for t, p in self.overrides]} if self.overrides else {}
        if self.phased:
            out["phases"] = [phase.phase_dict() for phase in self.phases]
            out["changes"] = [change.as_dict() for change in self.changes]
        return out

    def phase_report(self, wanted: str | None) -> Report:
        """The report of the phase with id `wanted` alone; raises `UnknownPhaseError` (a usage error) if none has it.

        With `wanted` None: the last phase's report alone (for a file without phases, the same as the report).
        """
        from ..scenario.phases import phase_index  # only `--phase` needs it, and it is not on the start path

        if wanted is None:
            return Report.of(self.last)
        ids = [p.phase for p in self.phases] if self.phased else []
        return Report.of(self.phases[phase_index(ids, wanted)])

    def statuses(self) -> dict[str, str]:
        """Each role's rolled-up status (the last phase's)."""
        return self.last.statuses()


def _union(groups: Any) -> list[str]:
    out: dict[str, None] = {}
    for group in groups:
        for item in group:
            out[item] = None
    return list(out)
