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

from ..util.text import Style, center, ljust, plain, rjust, shorten, width_of, wrap
from .legend import COLOURS, STATUS_WORDS, legend_line, symbols
from .model import Report, RoleReport


class Column(NamedTuple):
    """An area or a request of the scenario."""

    key: str  # the area id, or `request:N` (N counting the request roles' requests in report order)
    label: str  # the area's name, or the request in words
    kind: str  # area | request


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

_GAP = 2
_MAX_HEADER_LINES = 3
_MAX_NAME = 12  # widest column a name may take
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
    role_width = min(_MAX_ROLE, max(width_of(n) for n in names))
    key_roles = [(shorten(n, role_width), n) for n in names if width_of(n) > role_width]
    shown_names = [shorten(n, role_width) for n in names]
    overall = [f"{marks[row.status]} {STATUS_WORDS[row.status]}" for row in grid.rows]
    if width - role_width - 3 * _GAP - max(width_of(o) for o in overall) < 12 and grid.columns:
        overall = [marks[row.status] for row in grid.rows]  # a narrow screen: the cells need the room
    overall_width = max(len("overall"), max(width_of(o) for o in overall))
    left = role_width + _GAP + overall_width + _GAP
    room = max(4, width - left)

    headers, numbered = _headers(grid.columns, room)
    blocks = _blocks([width_of(h[0]) if h else 1 for h in headers], room)
    lines: list[str] = []
    for b, block in enumerate(blocks):
        if b:
            lines.append("")
        depth = max((len(headers[c]) for c in block), default=1)
        for d in range(depth):
            cells = []
            for c in block:
                column_width = max(width_of(line) for line in headers[c])
                text = headers[c][d - depth + len(headers[c])] if d >= depth - len(headers[c]) else ""
                cells.append(
                    rjust(text, column_width) if numbered else ljust(center(text, column_width).rstrip(), column_width)
                )
            head = ("" if d < depth - 1 else "role").ljust(role_width + _GAP)
            head += ("" if d < depth - 1 else "overall").ljust(overall_width + _GAP)
            lines.append(paint((head + (" " * _GAP).join(cells)).rstrip(), dim=True))
        for row, name, word in zip(grid.rows, shown_names, overall, strict=True):
            if b and not any(grid.columns[c].key in row.cells for c in block):
                continue  # a role with nothing in these columns: said in the first block
            line = ljust(name, role_width + _GAP) + _mark(paint, row.status, word, overall_width, bold=True)
            cells = []
            for c in block:
                column_width = max(width_of(h) for h in headers[c])
                status = row.cells.get(grid.columns[c].key)
                if status is None:
                    cells.append(" " * column_width)
                    continue
                before = column_width - 1 if numbered else (column_width - 1) // 2
                cells.append(" " * before + _mark(paint, status, marks[status], column_width - before))
            lines.append((line + " " * _GAP + (" " * _GAP).join(cells)).rstrip())
    lines.extend(_key(grid.columns, numbered, width))
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


def _headers(columns: list[Column], room: int) -> tuple[list[list[str]], bool]:
    """Each column's header lines: its name wrapped when all names fit in `room`, else its number."""
    named = [_name_lines(c.label) for c in columns]
    widths = [max(width_of(line) for line in lines) for lines in named]
    if sum(widths) + _GAP * max(0, len(widths) - 1) <= room:
        return named, False
    digits = len(str(len(columns)))
    return [[str(i + 1).rjust(digits)] for i in range(len(columns))], True


def _name_lines(label: str) -> list[str]:
    """A name over at most three lines of at most 12 columns (long words cut with `…`)."""
    words = [shorten(w, _MAX_NAME) for w in label.split()] or ["?"]
    for size in range(max(width_of(w) for w in words), _MAX_NAME + 1):
        lines = wrap(" ".join(words), size) if size >= 20 else _pack(words, size)
        if len(lines) <= _MAX_HEADER_LINES:
            return lines
    lines = _pack(words, _MAX_NAME)
    cut = lines[:_MAX_HEADER_LINES]
    cut[-1] = shorten(cut[-1] + "…", _MAX_NAME)
    return cut


def _pack(words: list[str], size: int) -> list[str]:
    lines: list[str] = []
    for word in words:
        if lines and width_of(lines[-1]) + 1 + width_of(word) <= size:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _blocks(widths: list[int], room: int) -> list[list[int]]:
    """Column indexes split into blocks that each fit in `room` (one block when they all fit)."""
    blocks: list[list[int]] = [[]]
    used = 0
    for i, w in enumerate(widths):
        need = w if not blocks[-1] else used + _GAP + w
        if blocks[-1] and need > room:
            blocks.append([i])
            used = w
        else:
            blocks[-1].append(i)
            used = need
    return blocks


def _key(columns: list[Column], numbered: bool, width: int) -> list[str]:
    """The key of numbered columns: `areas: 1 Taiwan Strait, 2 ...` and `requests: 6 ...`."""
    if not numbered:
        return []
    lines = []
    for kind, title in (("area", "areas"), ("request", "requests")):
        entries = [f"{i + 1} {c.label}" for i, c in enumerate(columns) if c.kind == kind]
        if entries:
            lines.extend(items_lines(f"{title}: ", entries, width))
    return lines


def items_lines(head: str, items: list[str], width: int) -> list[str]:
    """`head item, item, ...` wrapped between items (an item breaks only if it is wider than a line)."""
    indent = " " * width_of(head)
    lines = [head.rstrip()] if width_of(head) >= width // 2 else []
    current = "" if lines else head
    for k, item in enumerate(items):
        text = item + ("," if k < len(items) - 1 else "")
        if current.strip() and width_of(current) + 1 + width_of(text) > width:
            lines.append(current.rstrip())
            current = indent
        if width_of(current) + width_of(text) > width:
            pieces = wrap(text, width - len(indent))
            lines.extend(
                ([current + pieces[0]] if current.strip() else [indent + pieces[0]])
                + [indent + p for p in pieces[1:-1]]
            )
            current = indent + pieces[-1] + " " if len(pieces) > 1 else current
            continue
        current += text + " "
    if current.strip():
        lines.append(current.rstrip())
    return lines
