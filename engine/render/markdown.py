"""The report in Markdown, to paste into a paper or a wiki: the matrix as a table, each role's reasons, sources.

Everything that comes from the scenario file, its path or the rulebook is
escaped (`engine.util.markdown`), so a title with `*`, `|` or `<` reads as
written and cannot break the table or inject markup.
"""

from __future__ import annotations

from ..report.changes import Change, status_words
from ..report.model import Reason, Report, RoleReport
from ..report.procedures import distinct
from ..util.markdown import code, escape
from . import beyond
from .changes import change_rows, change_words
from .decisions import decisions_markdown
from .legend import STATUS_WORDS, Citations, legend_line, symbols
from .phase_matrix import glance_markdown
from .record import record_markdown
from .table import matrix, role_name
from .text import phase_words, rulebook_words, status_heading
from .timeline import last_phase_heading, phased_header_lines, timeline_rows, what_if

__all__ = ["escape", "render_markdown", "timeline_markdown", "comparison_markdown", "table_markdown"]


def render_markdown(report: Report, *, ids: bool = False, cite_full: bool = False, unicode: bool = True) -> str:
    """The report of one scenario as a Markdown document; of a phased file, the timeline and the last phase."""
    source = code(report.source)
    lines = [f"## {escape(report.scenario)}", ""]
    if report.phased:
        header = phased_header_lines(report, 10**6)  # one line each: the file and span, the rulebooks
        lines += [f"{source} · {escape(header[1].split(' · ', 1)[1])}  ", escape(header[2])]
        lines += ["", escape(what_if(report))] if report.overrides else []
        if report.description:
            lines += ["", "> " + escape(report.description)]
        lines += ["", "### Timeline", "", *timeline_markdown(report, unicode=unicode), ""]
        lines += [*glance_markdown(report, unicode=unicode), ""]
        lines += [f"### {escape(last_phase_heading(report, 10**6)[0])}", ""]
        lines += _body(report.last, ids, cite_full, unicode, decisions_markdown(report))
        return "\n".join(lines + record_markdown(report, escape)) + "\n"
    facts = [source] + ([escape(report.date)] if report.date else [])
    lines.append(" · ".join(facts) + "  ")
    phase = phase_words(report)
    lines += [escape(phase) + "  "] if phase else []
    lines.append(escape(rulebook_words(report)))
    lines += ["", escape(what_if(report))] if report.overrides else []
    if report.description:
        lines += ["", "> " + escape(report.description)]
    lines.append("")
    return "\n".join(lines + _body(report.last, ids, cite_full, unicode) + record_markdown(report, escape)) + "\n"


def timeline_markdown(report: Report, *, unicode: bool = True) -> list[str]:
    """The timeline of a phased file as a Markdown table: a row per verdict that changed, with why."""
    arrow = " → " if unicode else " -> "
    lines = ["| Phase | Date | Role | Where | Change | Why |", "|---|---|---|---|---|---|"]
    shown: str | None = None
    for row in timeline_rows(report):
        phase = (
            "" if row.phase == shown else f"**{escape(row.phase)}**" + (f" ({escape(row.name)})" if row.name else "")
        )
        date = escape(row.date or "") if row.phase != shown else ""
        shown = row.phase
        if not row.role and row.before is None and row.after is None:
            change = ""  # the start
        elif not row.role:
            change = f"rulebook {escape(str(row.before))}{arrow}{escape(str(row.after))}"
        elif row.kind != "status":
            change = escape(row.words)
        else:
            change = f"{status_words(row.before)}{arrow}{status_words(row.after)}"
        where = escape(row.where) if row.where or not row.role else "overall"
        cells = [phase, date, escape(row.role), where, change, escape(row.why)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def comparison_markdown(
    found: list[Change], before: Report, after: Report, *, title: str, sides: tuple[tuple[str, str], ...]
) -> str:
    """Two reports compared, in Markdown: what each side is, then a row per verdict that differs (a role's
    roll-up, or its places that changed alike) with the status and why on each side. `diff --format markdown`.
    """
    lines = [f"## {escape(title)}", ""]
    lines += [f"- **{escape(label)}**: {escape(words)}" for label, words in sides]
    rows = change_rows(found, before, after, both_sides=True)
    if not rows:
        return "\n".join([*lines, "", "No verdict differs."]) + "\n"
    (a, _), (b, _) = sides
    lines += ["", f"| Role | Where | {escape(a)} | {escape(b)} | Why ({escape(a)}) | Why ({escape(b)}) |"]
    lines.append("|---|---|---|---|---|---|")
    role = ""
    for row in rows:
        role = row.label if row.indent == 2 else role
        if row.change is None:
            continue
        was, now = (text.split(": ", 1)[1] if ": " in text else "" for text in (row.why or ["", ""]))
        kind = "" if row.change.kind == "status" else ", " + change_words(row.change).split(", ", 1)[1]
        cells = [
            escape(role),
            escape(row.label) if row.indent > 2 else "overall",
            status_words(row.change.before.status if row.change.before else None),
            status_words(row.change.after.status if row.change.after else None) + kind,
            escape(was),
            escape(now),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _body(report: Report, ids: bool, cite_full: bool, unicode: bool, tail: list[str] | None = None) -> list[str]:
    """The matrix, its legend, each role's reasons, the notices, `tail` and the sources cited."""
    cites = Citations(report.sources, cite_full)
    lines: list[str] = []
    lines.extend(table_markdown(report, ids=ids, unicode=unicode))
    blank = " (blank: not the role's area or request)" if matrix(report).columns else ""
    lines += ["", escape(legend_line(unicode)) + blank]
    for role in report.roles.values():
        lines += ["", f"### {escape(role_name(role, ids))}: {escape(status_heading(role))}", ""]
        lines.extend(_role(role, cites))
    if report.notices:
        lines += ["", "### Notices", ""]
        lines.extend(f"- {escape(n.text)}{_cite(cites, n.basis)}" for n in report.notices)
    lines += ["", *tail] if tail else []
    lines.extend(beyond.markdown_lines(report, escape, lambda basis: _cite(cites, basis)))
    legend = cites.legend() if not cite_full else []
    if legend:
        lines += ["", "### Sources", ""]
        lines.extend(f"- **{escape(tag)}**: {escape(title)}" for tag, title in legend)
    return lines


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
