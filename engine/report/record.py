"""The record beside the verdicts: what a scenario's `record:` says Japan did, set against what the rulebook decides.

A verdict **agrees** with the record when the status the record implies is the
verdict's (and so is every area status it gives), **differs** when it is not,
and the record is **silent** on a verdict it gives no status for (no entry for
the role, or one that says what happened but implies no verdict). Counts are
per verdict: each role of each phase is one. Only a file that gives sources
or a record gets these keys in its JSON report, so other reports are unchanged.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..errors import Problem, suggest
from ..scenario.phases import name_phase
from ..scenario.yamlload import problem_at

# The report's model reads this module for its JSON, so reports are typed loosely here: a `PhaseReport`, a
# `Report` and a `RoleReport` of engine.report.model.
PhaseReport = Report = RoleReport = Any

AGREES, DIFFERS, SILENT = "agrees", "differs", "silent"


class RecordLine(NamedTuple):
    """One role's record in one phase, beside the verdict."""

    role: str
    status: str | None  # what the record implies; None: it implies no verdict
    verdict: str
    agreement: str  # agrees | differs | silent
    what: str
    source: tuple[str, ...]
    note: str | None
    areas: tuple[tuple[str, str, str], ...]  # (area id, record status, verdict there)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "status": self.status,
            "verdict": self.verdict,
            "agreement": self.agreement,
            "what": self.what,
            "source": list(self.source),
            "note": self.note,
        }
        if self.areas:
            out["areas"] = {area: {"status": status, "verdict": verdict} for area, status, verdict in self.areas}
        return out


@dataclass(slots=True, eq=False)
class PhaseRecord:
    """What a file's sources and record say of one phase (or of a file without phases)."""

    sources: list[dict[str, Any]]  # the file's
    own_sources: list[dict[str, Any]]  # the phase's own
    lines: list[RecordLine]
    counts: Counter[str] = field(default_factory=Counter)  # agrees / differs / silent, one per verdict

    @property
    def has_record(self) -> bool:
        return bool(self.lines)


def attach_record(report: PhaseReport, data: dict[str, Any], index: int | None) -> None:
    """Set the record of phase `index` of `data` (None: a file without phases) beside `report`'s verdicts.

    A phase's own `record:` speaks of it; a top-level `record:` in a file with
    phases speaks of the last phase, as a top-level `expect:` does.
    """
    sources = data.get("sources") or []
    own: list[dict[str, Any]] = []
    record = data.get("record")
    if index is not None:
        phases = data.get("phases") or []
        phase = phases[index]
        own = phase.get("sources") or []
        record = phase.get("record") if phase.get("record") is not None or index < len(phases) - 1 else record
    if not (sources or own or record):
        return
    lines = [_line(role_id, entry, report.roles.get(role_id)) for role_id, entry in (record or {}).items()]
    lines = [line for line in lines if line is not None]
    said = {line.role: line.agreement for line in lines}
    counts: Counter[str] = Counter({AGREES: 0, DIFFERS: 0, SILENT: 0})
    counts.update(said.get(role_id, SILENT) for role_id in report.roles)  # a phase with no record: all silent
    report.record = PhaseRecord(list(sources), list(own), lines, counts)


def _line(role_id: str, entry: dict[str, Any], role: RoleReport | None) -> RecordLine | None:
    if role is None:  # a role this rulebook does not have: nothing to set it beside
        return None
    areas = tuple(
        (area, status, role.areas[area].status if role.areas and area in role.areas else "not_triggered")
        for area, status in (entry.get("areas") or {}).items()
    )
    status = entry.get("status")
    compared = ([(status, role.status)] if status else []) + [(said, verdict) for _, said, verdict in areas]
    if not compared:
        agreement = SILENT
    else:
        agreement = AGREES if all(said == verdict for said, verdict in compared) else DIFFERS
    source = tuple(entry.get("source") or ())
    return RecordLine(role_id, status, role.status, agreement, entry["what"], source, entry.get("note"), areas)


def phase_keys(record: PhaseRecord | None) -> dict[str, Any]:
    """The keys a phase's entry in `phases` gains: its own sources, and its record (when the file gives any)."""
    if record is None:
        return {}
    out: dict[str, Any] = {"sources": record.own_sources}
    if record.has_record:
        out["record"] = {line.role: line.as_dict() for line in record.lines}
        out["record_summary"] = dict(record.counts)
    return out


def file_keys(report: Report) -> dict[str, Any]:
    """The keys a report gains: the file's sources, the last phase's record, and the counts over every phase."""
    last = report.last.record
    if last is None:
        return {}
    out: dict[str, Any] = {"sources": last.sources if report.phased else last.sources + last.own_sources}
    if any(phase.record is not None and phase.record.has_record for phase in report.phases):
        out["record"] = {line.role: line.as_dict() for line in last.lines}
        out["record_summary"] = dict(summary(report))
    return out


def summary(report: Report) -> Counter[str]:
    """How many verdicts of the report (every phase's) agree with the record, differ, and meet its silence."""
    total: Counter[str] = Counter({AGREES: 0, DIFFERS: 0, SILENT: 0})
    for phase in report.phases:
        if phase.record is not None:
            total.update(phase.record.counts)
    return total


def has_record(report: Report) -> bool:
    return any(phase.record is not None and phase.record.has_record for phase in report.phases)


def sources_of(report: Report) -> list[dict[str, Any]]:
    """Every source a report cites, each once: the file's, then each phase's own."""
    out: dict[str, dict[str, Any]] = {}
    for phase in report.phases:
        if phase.record is not None:
            for source in phase.record.sources + phase.record.own_sources:
                out.setdefault(source["id"], source)
    return list(out.values())


def record_role_problems(data: dict[str, Any], document: Any, rulebook_of: Any) -> list[Problem]:
    """Each entry of `record:` (the file's, each phase's) naming a role that the rulebook `rulebook_of()` gives
    (the one a plain `expect:` would name; read only for a file with a record) does not have, located in
    `document`: a record the report could not set beside any verdict."""
    blocks = [((), data.get("record"))]
    blocks += [(("phases", p), phase.get("record")) for p, phase in enumerate(data.get("phases") or [])]
    recorded = [(at, role) for at, record in blocks for role in record or {}]
    roles = [role.id for role in rulebook_of().roles] if recorded else []
    problems = []
    for at, role in recorded:
        if role not in roles:
            message = f"no role {role!r} to set this record beside; the roles are {', '.join(roles)}"
            problems.append(problem_at(document, (*at, "record", role), message, suggest(role, roles), key=True))
    return [p._replace(field=name_phase(p.field, document.data)) for p in problems]
