"""The report in Markdown, to paste into a paper or a wiki: the matrix as a table, each role's reasons, sources.

Everything that comes from the scenario file or the rulebook is escaped, so a
title with `*`, `|` or `<` reads as written and cannot break the table or
inject markup.
"""

from __future__ import annotations

import re

from .legend import STATUS_WORDS, Citations, legend_line, symbols
from .model import Reason, Report, RoleReport, distinct
from .render import rulebook_words, status_heading
from .table import matrix, role_name

# What could start markup inside a line: emphasis, code, links, HTML, table cells, headings' closing #.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def escape(text: str) -> str:
    """Markdown text that shows as written: special characters backslash-escaped, line breaks as spaces."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render_markdown(report: Report, *, ids: bool = False, cite_full: bool = False, unicode: bool = True) -> str:
    """The report of one scenario as a Markdown document."""
    cites = Citations(report.sources, cite_full)
    lines = [f"## {escape(report.scenario)}", ""]
    facts = [f"`{report.source.replace('`', '')}`"] + ([escape(report.date)] if report.date else [])
    lines.append(" · ".join(facts) + "  ")
    lines.append(escape(rulebook_words(report)))
    if report.description:
        lines += ["", "> " + escape(report.description)]
    lines.append("")
    lines.extend(table_markdown(report, ids=ids, unicode=unicode))
    blank = " (blank: not the role's area or request)" if matrix(report).columns else ""
    lines += ["", escape(legend_line(unicode)) + blank]
    for role in report.roles.values():
        lines += ["", f"### {escape(role_name(role, ids))}: {escape(status_heading(role))}", ""]
        lines.extend(_role(role, cites))
    if report.notices:
        lines += ["", "### Notices", ""]
        lines.extend(f"- {escape(n.text)}{_cite(cites, n.basis)}" for n in report.notices)
    legend = cites.legend() if not cite_full else []
    if legend:
        lines += ["", "### Sources", ""]
        lines.extend(f"- **{escape(tag)}**: {escape(title)}" for tag, title in legend)
    return "\n".join(lines) + "\n"


def table_markdown(report: Report, *, ids: bool = False, unicode: bool = True) -> list[str]:
    """The matrix as a Markdown table: a row per role, a column per area and request."""
    grid = matrix(report)
    marks = symbols(unicode)
    head = ["Role", "Overall"] + [escape(c.label) for c in grid.columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * len(head)) + "|"]
    for row in grid.rows:
        cells = [escape(role_name(row.role, ids)), f"{marks[row.status]} {STATUS_WORDS[row.status]}"]
        cells += [marks[row.cells[c.key]] if c.key in row.cells else "" for c in grid.columns]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _cite(cites: Citations, basis: tuple[str, ...] | list[str]) -> str:
    provisions = cites.note(basis)
    if not provisions:
        return ""
    shown, named = [], set()
    for p in provisions:
        title = cites.title(p) if cites.full else None
        shown.append(escape(p) + (f" ({escape(title)})" if title and title not in named else ""))
        named.add(title)
    return " \\[" + ", ".join(shown) + "\\]"


def _role(role: RoleReport, cites: Citations) -> list[str]:
    entries = (
        [(v.name, v.status, v.reasons, v.ground) for v in role.areas.values()]
        if role.areas is not None
        else [(c.label, c.status, c.reasons, c.ground) for c in role.cases]
    )
    lines: list[str] = []
    if not entries:
        reason = role.reasons[0] if role.reasons else None
        lines.append(f"- **Not triggered**: {escape(reason.text if reason else role.role.subject.missing)}")
    applies = [(n, g) for n, s, _, g in entries if s == "applies"]
    if applies:
        places = ", ".join(escape(n) + (f" ({escape(g.title or g.id)})" if g else "") for n, g in applies)
        grounds = [g for _, g in applies if g is not None]
        basis = list(dict.fromkeys(b for g in grounds for b in g.basis))
        lines.append(f"- **Applies** in {places}{_cite(cites, basis)}")
    for name, status, reasons, _ in entries:
        if status == "blocked":
            lines.append(f"- **Blocked** in {escape(name)}:")
            lines.extend(f"  - {escape(r.text)}{_cite(cites, r.basis)}" for r in reasons)
    groups: dict[tuple[Reason, ...], list[str]] = {}
    for name, status, reasons, _ in entries:
        if status == "not_triggered":
            groups.setdefault(tuple(reasons), []).append(name)
    for reasons, names in groups.items():
        text = " ".join(escape(r.text) for r in reasons)
        basis = [b for r in reasons for b in r.basis]
        lines.append(f"- **Not triggered** in {', '.join(escape(n) for n in names)}: {text}{_cite(cites, basis)}")
    if role.status == "applies":
        lines.extend(f"- *Constraint*: {escape(c.text)}{_cite(cites, c.basis)}" for c in role.constraints())
    if role.status != "not_triggered":
        for procedure in distinct(role.procedures()):
            lines.append(f"- *Procedure*: {escape(' '.join(procedure.lines()[:2]))}")
    return lines
