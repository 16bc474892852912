"""Every phase at a glance: a phased file's roles down, its phases across, each cell the role's overall status
in that phase, with the ground it applies on where that ground differs from the phase before.

The text, Markdown and HTML reports of a phased file open their matrix
section with it (`engine.render.phase_matrix`), before the last phase's
detailed matrix.
"""

from __future__ import annotations

from typing import NamedTuple

from .model import Report


class PhaseColumn(NamedTuple):
    id: str
    name: str | None
    date: str | None


class GlanceCell(NamedTuple):
    """A role's overall status in one phase, and its ground's title where the ground changed (else None)."""

    status: str
    ground: str | None


class GlanceRow(NamedTuple):
    role: str
    title: str
    cells: tuple[GlanceCell | None, ...]  # None: the phase's rulebook has no such role


class Glance(NamedTuple):
    phases: tuple[PhaseColumn, ...]
    rows: tuple[GlanceRow, ...]


def glance(report: Report) -> Glance:
    """The roles of every phase (in the order they first come), each phase's status of each."""
    phases = report.phases
    titles: dict[str, str] = {}
    for phase in phases:
        for role_id, role in phase.roles.items():
            titles.setdefault(role_id, role.role.title)
    rows = []
    for role_id, title in titles.items():
        cells: list[GlanceCell | None] = []
        before: str | None = None  # the ground it applied on in the phase before
        for phase in phases:
            role = phase.roles.get(role_id)
            if role is None:
                cells.append(None)
                before = None
                continue
            ground = role.ground if role.status == "applies" else None
            changed = ground is not None and ground.id != before
            cells.append(GlanceCell(role.status, (ground.title or ground.id) if changed and ground else None))
            before = ground.id if ground else None
        rows.append(GlanceRow(role_id, title, tuple(cells)))
    columns = tuple(PhaseColumn(p.phase or "", p.phase_name, p.date) for p in phases)
    return Glance(columns, tuple(rows))
