"""Every phase at a glance (roles × phases) as text within the width, as Markdown, and as data for the HTML page.

In text each cell is the role's status mark, with the ground's title where it
changed. When that is too wide for the screen, the grounds are lettered
(`✓ a`) with a key below; when even that is too wide, the phases are numbered
with a key, and the columns split into blocks that fit.
"""

from __future__ import annotations

from string import ascii_lowercase
from typing import Any

from ..report.model import Report
from ..report.phase_matrix import Glance, GlanceCell, glance
from ..util.markdown import escape
from ..util.text import Style, ljust, plain, width_of, wrap
from . import grid as layout
from .legend import COLOURS, STATUS_WORDS, legend_line, symbols

TITLE = "Every phase at a glance"
_MAX_ROLE = 28


def glance_lines(report: Report, width: int = 80, style: Style = plain, unicode: bool = True) -> list[str]:
    """The matrix of roles × phases as text lines at most `width` columns wide (a wider single word aside)."""
    data = glance(report)
    marks = symbols(unicode)
    names = [row.title for row in data.rows]
    role_width = min(_MAX_ROLE, max(width_of(n) for n in names), max(10, width // 3))
    room = max(4, width - role_width - layout.GAP)
    letters = _letters(data)
    headers = [p.id for p in data.phases]
    for lettered in (False, True):
        cells = [[_cell(cell, marks, letters if lettered else None) for cell in row.cells] for row in data.rows]
        widths = _widths(headers, cells)
        if _fits(widths, room):
            break
    numbered = not _fits(widths, room)
    if numbered:
        headers = [str(i + 1) for i in range(len(data.phases))]
        widths = _widths(headers, cells)
    lines = [style(TITLE, bold=True)]
    for b, block in enumerate(layout.blocks(widths, room)):
        if b:
            lines.append("")
        head = ljust("role", role_width + layout.GAP) + (" " * layout.GAP).join(
            ljust(headers[c], widths[c]) for c in block
        )
        lines.append(style(head.rstrip(), dim=True))
        for row, row_cells in zip(data.rows, cells, strict=True):
            parts = [
                _paint(style, row.cells[c], row_cells[c]) + " " * (widths[c] - width_of(row_cells[c])) for c in block
            ]
            lines.append((ljust(layout.shorten(row.title, role_width), role_width + layout.GAP)
                          + (" " * layout.GAP).join(parts)).rstrip())  # fmt: skip
    if numbered:
        lines += layout.items_lines("phases: ", [f"{i + 1} {p.id}" for i, p in enumerate(data.phases)], width)
    if lettered:
        lines += layout.items_lines("grounds: ", [f"{letter} {title}" for title, letter in letters.items()], width)
    lines += [line for n in names if width_of(n) > role_width for line in wrap(f"{layout.shorten(n, role_width)}: {n}",
                                                                                  width)]  # fmt: skip
    note = "; beside a mark, the ground it applies on where that changed" if letters else ""
    lines += wrap(legend_line(unicode) + note, width)
    return lines


def _fits(widths: list[int], room: int) -> bool:
    return sum(widths) + layout.GAP * (len(widths) - 1) <= room


def _letters(data: Glance) -> dict[str, str]:
    """Each ground title shown, lettered in the order first shown (a, b, ... z, then aa, ab, ...)."""
    titles = [cell.ground for row in data.rows for cell in row.cells if cell is not None and cell.ground]
    unique = list(dict.fromkeys(titles))
    out = {}
    for i, title in enumerate(unique):
        out[title] = ascii_lowercase[i] if i < 26 else ascii_lowercase[i // 26 - 1] + ascii_lowercase[i % 26]
    return out


def _cell(cell: GlanceCell | None, marks: dict[str, str], letters: dict[str, str] | None) -> str:
    """A cell: `✓ surveys and research`, or `✓ c` with letters; blank for a role the phase's rulebook lacks."""
    if cell is None:
        return ""
    if not cell.ground:
        return marks[cell.status]
    return f"{marks[cell.status]} {letters[cell.ground] if letters is not None else cell.ground}"


def _widths(headers: list[str], cells: list[list[str]]) -> list[int]:
    return [max([width_of(headers[c])] + [width_of(row[c]) for row in cells]) for c in range(len(headers))]


def _paint(style: Style, cell: GlanceCell | None, text: str) -> str:
    """The cell with its mark coloured by status."""
    if cell is None or not text:
        return text
    colour = COLOURS[cell.status]
    look: dict[str, object] = {"fg": colour} if colour else {"dim": True}
    return style(text[0], **look) + text[1:]


def glance_markdown(report: Report, *, unicode: bool = True) -> list[str]:
    """The matrix as a Markdown table: a row per role, a column per phase (`✓ applies (surveys and research)`)."""
    data = glance(report)
    marks = symbols(unicode)
    head = ["Role"] + [escape(p.id) + (f" ({escape(p.date)})" if p.date else "") for p in data.phases]
    lines = [f"### {TITLE}", "", "| " + " | ".join(head) + " |", "|" + "|".join(["---"] * len(head)) + "|"]
    for row in data.rows:
        cells = [escape(row.title)]
        for cell in row.cells:
            if cell is None:
                cells.append("")
                continue
            words = f"{marks[cell.status]} {STATUS_WORDS[cell.status]}"
            cells.append(words + (f" ({escape(cell.ground)})" if cell.ground else ""))
        lines.append("| " + " | ".join(cells) + " |")
    return lines + ["", escape(legend_line(unicode)) + "; in brackets, the ground it applies on where that changed"]


def glance_view(report: Report) -> dict[str, Any]:
    """What the HTML template (`phase_matrix.html.j2`) shows: the phases, and each role's cells."""
    data = glance(report)
    marks = symbols(True)
    return {
        "title": TITLE,
        "phases": [{"id": p.id, "name": p.name, "date": p.date} for p in data.phases],
        "rows": [
            {
                "role": row.role,
                "title": row.title,
                "cells": [
                    None
                    if cell is None
                    else {
                        "status": cell.status,
                        "mark": marks[cell.status],
                        "word": STATUS_WORDS[cell.status],
                        "ground": cell.ground,
                        "phase": phase.id,
                    }
                    for cell, phase in zip(row.cells, data.phases, strict=True)
                ],
            }
            for row in data.rows
        ],
    }
