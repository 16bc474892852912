"""The matrix of a report: roles down, areas and requests across, one status mark per cell.

`matrix` lays the report out as rows and columns once; the text table here,
the Markdown table and the HTML table all draw the same matrix. A role has a
cell in the columns that concern it: an area role in every area, a request
role in each of its requests; the other cells are blank. The text table fits
the width it is given: column names are wrapped over up to three header lines
when they fit, else the columns are numbered with a key below, and when even
numbers do not fit the columns are split into blocks.
"""

from __future__ import annotations

from typing import NamedTuple

from ..report.model import Report, RoleReport
from ..util.text import Style, ljust, plain, width_of, wrap
from . import grid as layout
from .grid import Column
from .legend import COLOURS, STATUS_WORDS, legend_line, symbols


class Row(NamedTuple):
    role: RoleReport
    cells: dict[str, str]  # column key -> status, for the columns that concern the role

    @property
    def status(self) -> str:
        return self.role.status


class Matrix(NamedTuple):
    columns: list[Column]
    rows: list[Row]


def matrix(report: Report) -> Matrix:
    """The report as a matrix: every area, then every request of operating forces, across."""
    columns = [Column(area_id, name, "area") for area_id, name in _areas(report)]
    rows = []
    count = 0
    for role in report.roles.values():
        cells: dict[str, str] = {}
        if role.areas is not None:
            cells = {area_id: verdict.status for area_id, verdict in role.areas.items()}
        elif role.requests is not None:
            for entry in role.requests:
                key = f"request:{count}"
                count += 1
                columns.append(Column(key, entry.case.label, "request"))
                cells[key] = entry.case.status
        rows.append(Row(role, cells))
    return Matrix(columns, rows)


def _areas(report: Report) -> list[tuple[str, str]]:
    """The scenario's areas in file order: those of an area role's report, else those the report names."""
    for role in report.roles.values():
        if role.areas is not None:
            return [(area_id, verdict.name) for area_id, verdict in role.areas.items()]
    return list(report.area_names.items())


def role_name(role: RoleReport, ids: bool = False) -> str:
    """A role as a reader knows it: its title, with its id beside it when asked."""
    return f"{role.role.title} ({role.role.id})" if ids else role.role.title


# ----------------------------------------------------------------------------
# Text

_MAX_ROLE = 28


def render_table(
    report: Report,
    *,
    width: int = 80,
    style: Style | None = None,
    unicode: bool = True,
    ids: bool = False,
    legend: bool = True,
) -> str:
    """The matrix as text at most `width` columns wide, with its key and a legend line."""
    return "\n".join(table_lines(report, width=width, style=style, unicode=unicode, ids=ids, legend=legend))


def table_lines(
    report: Report,
    *,
    width: int = 80,
    style: Style | None = None,
    unicode: bool = True,
    ids: bool = False,
    legend: bool = True,
) -> list[str]:
    paint = style or plain
    marks = symbols(unicode)
    grid = matrix(report)
    names = [role_name(row.role, ids) for row in grid.rows]
    # a narrow screen keeps room for the overall mark and a few cells; names cut are spelled out in a key below
    role_width = min(_MAX_ROLE, max(width_of(n) for n in names), max(12, width - 19))
    key_roles = [(layout.shorten(n, role_width), n) for n in names if width_of(n) > role_width]
    shown_names = [layout.shorten(n, role_width) for n in names]
    overall = [f"{marks[row.status]} {STATUS_WORDS[row.status]}" for row in grid.rows]
    if width - role_width - 3 * layout.GAP - max(width_of(o) for o in overall) < 12 and grid.columns:
        overall = [marks[row.status] for row in grid.rows]  # a narrow screen: the cells need the room
    overall_width = max(len("overall"), max(width_of(o) for o in overall))
    left = role_width + layout.GAP + overall_width + layout.GAP
    room = max(4, width - left)

    headers, numbered = layout.headers(grid.columns, room)
    blocks = layout.blocks([width_of(h[0]) if h else 1 for h in headers], room)
    widths = [max(width_of(line) for line in head) for head in headers]
    labels = [("role", role_width), ("overall", overall_width)]
    lines: list[str] = []
    for b, block in enumerate(blocks):
        if b:
            lines.append("")
        lines += layout.header_rows(headers, block, widths, numbered, labels, paint)
        for row, name, word in zip(grid.rows, shown_names, overall, strict=True):
            if b and not any(grid.columns[c].key in row.cells for c in block):
                continue  # a role with nothing in these columns: said in the first block
            line = ljust(name, role_width + layout.GAP) + _mark(paint, row.status, word, overall_width, bold=True)
            cells = []
            for c in block:
                column_width = max(width_of(h) for h in headers[c])
                status = row.cells.get(grid.columns[c].key)
                if status is None:
                    cells.append(" " * column_width)
                    continue
                before = column_width - 1 if numbered else (column_width - 1) // 2
                cells.append(" " * before + _mark(paint, status, marks[status], column_width - before))
            lines.append((line + " " * layout.GAP + (" " * layout.GAP).join(cells)).rstrip())
    lines.extend(layout.key(grid.columns, numbered, width))
    for short, full in key_roles:
        lines.extend(wrap(f"{short}: {full}", width))
    if legend:
        blank = "  (blank: not the role's area or request)" if grid.columns else ""
        lines.extend(wrap(legend_line(unicode) + blank, width))
    return lines


def _mark(paint: Style, status: str, text: str, width: int, bold: bool = False) -> str:
    """`text` padded to `width`, coloured by status (the padding is not)."""
    colour = COLOURS[status]
    look: dict[str, object] = {"fg": colour} if colour else {"dim": True}
    if bold:
        look["bold"] = True
    return paint(text, **look) + " " * (width - width_of(text))
