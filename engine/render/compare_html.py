"""The compare page's paired matrix: both rulebooks' statuses in each cell, the cells that changed marked.

A reader of `compare --format html` looks first for what changed and where:
one matrix of the scenario (it is one scenario, so the same areas and requests
on both sides) whose every cell holds both rulebooks' marks (`✗→✓` where the
verdict changed, one mark where it did not). The few roles that act in areas
stand across and the areas down, so that many areas fit a narrow window; the
other roles follow as rows, their overall status then one row per request. A
phased file gives the matrix of each phase in which a verdict changed, as the
text does. The changes table and the two full reports follow it on the page
(see `compare.compare_html_section`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..report.changes import status_words
from ..report.compare import Comparison
from ..report.model import Report
from .grid import Column
from .legend import STATUS_WORDS, symbols
from .table import matrix, role_name


class PairedRow(NamedTuple):
    name: str
    before: str  # the role's status under the first rulebook
    after: str
    cells: dict[str, tuple[str | None, str | None]]  # column key -> (status before, status after)


def paired_matrix(comparison: Comparison, ids: bool = False) -> tuple[list[Column], list[PairedRow]]:
    """The scenario's matrix with both rulebooks' statuses in each cell (the same areas and requests on both
    sides: it is one scenario)."""
    first, second = matrix(comparison.first), matrix(comparison.second)
    columns = list(second.columns) + [c for c in first.columns if c.key not in {d.key for d in second.columns}]
    rows = []
    for old, new in zip(first.rows, second.rows, strict=True):
        keys = list(dict.fromkeys([*new.cells, *old.cells]))
        cells = {key: (old.cells.get(key), new.cells.get(key)) for key in keys}
        rows.append(PairedRow(role_name(new.role, ids), old.status, new.status, cells))
    return columns, rows


def paired_views(comparison: Comparison, *, ids: bool = False) -> list[dict[str, Any]]:
    """The paired matrices the page shows: the scenario's one, or for a phased file one per phase in which a
    verdict changed (each with its phase heading)."""
    first, second = comparison.first, comparison.second
    if not second.phased:
        return [paired_view(comparison, ids=ids)]
    out = []
    for one, other in zip(first.phases, second.phases, strict=True):
        found = [c for c in comparison.changes if c.phase == one.phase]
        if not any(_status(c.before) != _status(c.after) for c in found):  # a change of ground alone marks no cell
            continue
        sub = Comparison(comparison.source, Report.of(one), Report.of(other), found)
        view = paired_view(sub, ids=ids)
        view["heading"] = " · ".join(x for x in (other.phase or "", other.date or "", other.phase_name or "") if x)
        view["phase"] = other.phase or ""
        out.append(view)
    return out


def paired_view(comparison: Comparison, *, ids: bool = False) -> dict[str, Any]:
    """One paired matrix as plain data for the template.

    The roles that act in areas stand across (a few of them), the areas down (as many as the scenario has), with
    the roles' overall pairs first; each other role follows as rows of its own, its overall pair then one per
    request. So the page fits a narrow window however many areas and requests the scenario holds."""
    a, b = comparison.first.rulebook, comparison.second.rulebook
    columns, rows = paired_matrix(comparison, ids)
    areas = [c for c in columns if c.kind == "area"]
    across, others = [], []
    for role_id, row in zip(comparison.second.roles, rows, strict=True):
        role = comparison.second.roles[role_id]
        overall = _pair(row.before, row.after, a, b, f"{row.name}, overall")
        if role.areas is not None and areas:
            across.append({"id": role_id, "name": row.name, "overall": overall, "row": row})
            continue
        asks = [_pair(*row.cells[c.key], a, b, f"{row.name}, {c.label}") | {"label": c.label}
                for c in columns if c.kind == "request" and c.key in row.cells]  # fmt: skip
        others.append({"id": role_id, "name": row.name, "rows": [overall | {"label": "overall"}, *asks]})
    down = [
        {
            "label": c.label,
            "cells": [
                _pair(*r["row"].cells[c.key], a, b, f"{r['name']}, {c.label}") if c.key in r["row"].cells else None
                for r in across
            ],
        }
        for c in areas
    ]
    for r in across:
        del r["row"]
    blanks = any(cell is None for row in down for cell in row["cells"])
    return {"heading": "", "phase": "", "across": across, "areas": down, "others": others, "blanks": blanks}


def _status(side: Any) -> str | None:
    return side.status if side is not None else None


def _pair(before: str | None, after: str | None, first: str, second: str, where: str) -> dict[str, Any]:
    """One cell: both statuses (a case missing on one side is None there), their marks, and a title in words."""
    marks = symbols(True)
    changed = before != after
    words = (
        f"{status_words(before)} in {first}, {status_words(after)} in {second}"
        if changed
        else f"{status_words(after)} in both"
    )
    return {
        "changed": changed,
        "before": before or "",
        "after": after or "",
        "before_mark": marks[before] if before else "–",
        "after_mark": marks[after] if after else "–",
        "before_word": STATUS_WORDS[before] if before else "none",
        "word": STATUS_WORDS[after] if after else "none",
        "title": f"{where}: {words}",
    }
