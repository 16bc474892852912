"""What changed between two reports as CSV rows, one per verdict that differs: what `diff --format csv` prints.

Each row says where (role, area or request), the kind of change (status,
ground or procedure) and, on each side, the status, the ground it applies on,
the limits that block it, the strictest Diet approval and why in a few words;
a roll-up's `where` is `overall`. Cells are guarded against formulas as the
report's CSV is (`render.csv.guard`), unless `raw`.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..report.changes import Change, Side, place
from ..report.model import Report
from .changes import side_gist
from .csv import guard

COLUMNS = (
    "phase",
    "role",
    "where",
    "area",
    "force",
    "item",
    "kind",
    "from",
    "to",
    "ground_from",
    "ground_to",
    "limits_from",
    "limits_to",
    "diet_approval_from",
    "diet_approval_to",
    "why_from",
    "why_to",
)


def change_rows_csv(changes: list[Change], before: Report, after: Report) -> list[dict[str, Any]]:
    """One dict per change, keyed by COLUMNS."""
    names = {**before.area_names, **after.area_names}
    rows = []
    for change in changes:
        request = change.request or (None, None, None)
        row: dict[str, Any] = {
            "phase": change.phase or "",
            "role": change.role,
            "where": "overall" if change.is_roll_up else place(change, names),
            "area": change.area or request[2] or "",
            "force": request[0] or "",
            "item": request[1] or "",
            "kind": change.kind,
        }
        for end, side, report in (("from", change.before, before), ("to", change.after, after)):
            row |= _side(end, side, report, change.role)
        rows.append(row)
    return rows


def _side(end: str, side: Side | None, report: Report, role: str) -> dict[str, Any]:
    procedure = side.procedure if side else None
    return {
        end: side.status if side else "",
        f"ground_{end}": (side.ground or "") if side else "",
        f"limits_{end}": " ".join(side.limits) if side else "",
        f"diet_approval_{end}": procedure.diet_approval if procedure else "",
        f"why_{end}": side_gist(side, report, role),
    }


def changes_csv(changes: list[Change], before: Report, after: Report, *, raw: bool = False) -> str:
    """The changes as CSV text, with its header line."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    rows = change_rows_csv(changes, before, after)
    writer.writerows(rows if raw else ({key: guard(value) for key, value in row.items()} for row in rows))
    return buffer.getvalue()
