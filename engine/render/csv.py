"""The report as CSV rows, for spreadsheets and pandas: one row per role and case.

A case is an area of an area role, a request of a request role, or an event of
a role reported per event (refugee acceptance); a role with no case gets one
`not_triggered` row with its reason. Every row repeats the scenario's source,
title, date and rulebook (and phase, in a phased file), so the rows of many
files make one table with one header.

A cell that a spreadsheet would read as a formula (one starting with `=`,
`+`, `-`, `@`, a tab or a carriage return: a scenario titled
`=HYPERLINK(...)`, say) is prefixed with `'`, as OWASP advises against CSV
injection; `raw` leaves every cell as it is, for pandas and other programs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from ..report.model import PhaseReport, Reason, Report, RoleReport
from .record import record_rows

COLUMNS = (
    "source",
    "scenario",
    "date",
    "phase",
    "rulebook",
    "role",
    "role_title",
    "role_status",
    "kind",
    "area",
    "force",
    "item",
    "case",
    "status",
    "ground",
    "reasons",
    "basis",
)


def csv_rows(report: Report) -> list[dict[str, Any]]:
    """The rows of one report as dicts keyed by COLUMNS: of a phased file, those of each phase in turn, each
    under its own date and rulebook."""
    rows = [row for phase in report.phases for row in _phase_rows(phase)]
    return rows + record_rows(report, {"source": report.source, "scenario": report.scenario})


def _phase_rows(report: PhaseReport) -> list[dict[str, Any]]:
    """The rows of one phase's report (or of a file without phases)."""
    common = {
        "source": report.source,
        "scenario": report.scenario,
        "date": report.date or "",
        "phase": report.phase or "",
        "rulebook": report.rulebook,
    }
    rows = []
    for role_id, role in report.roles.items():
        head = common | {"role": role_id, "role_title": role.role.title, "role_status": role.status}
        for case in _cases(role):
            rows.append(head | case)
    return rows


def _cases(role: RoleReport) -> list[dict[str, Any]]:
    blank = {"area": "", "force": "", "item": ""}
    if role.areas is not None:
        return [
            blank | {"kind": "area", "area": area_id, "case": v.name}
            | _verdict(v.status, v.ground.id if v.ground else "", v.reasons)
            for area_id, v in role.areas.items()
        ] or [_none(role)]  # fmt: skip
    if role.requests is not None:
        return [
            {"kind": "request", "area": e.area or "", "force": e.force, "item": e.item, "case": e.case.label}
            | _verdict(e.case.status, e.case.ground.id if e.case.ground else "", e.case.reasons)
            for e in role.requests
        ] or [_none(role)]  # fmt: skip
    return [
        blank | {"kind": "event", "area": c.area or "", "case": c.label}
        | _verdict(c.status, c.ground.id if c.ground else "", c.reasons)
        for c in role.cases
    ] or [_none(role)]  # fmt: skip


def _none(role: RoleReport) -> dict[str, Any]:
    """The one row of a role with no case at all: not triggered, and why."""
    return {"kind": "none", "area": "", "force": "", "item": "", "case": ""} | _verdict(
        "not_triggered", "", role.reasons
    )


def _verdict(status: str, ground: str, reasons: list[Reason]) -> dict[str, Any]:
    basis = list(dict.fromkeys(b for r in reasons for b in r.basis))
    return {
        "status": status,
        "ground": ground,
        "reasons": "; ".join(r.text for r in reasons),
        "basis": "; ".join(basis),
    }


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard(cell: Any) -> Any:
    """A cell a spreadsheet will show as text, never run as a formula: `'` before one that starts like a formula."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(_FORMULA_START) else cell


def csv_text(rows: Iterable[dict[str, Any]], *, header: bool = True, raw: bool = False) -> str:
    """Rows as CSV text (with the header line unless asked not to); cells guarded against formulas unless `raw`."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    if header:
        writer.writeheader()
    writer.writerows(rows if raw else ({key: guard(value) for key, value in row.items()} for row in rows))
    return buffer.getvalue()


def csv_header() -> str:
    return csv_text([], header=True)
