"""The text report, made for a person at a terminal.

Each role gets a heading with its status (and, when it applies but is blocked
elsewhere, in how many of the places it arises), then one line per status:
where it applies and on which ground, where it is blocked and why (with the
provisions), where it is not triggered and why, the constraints that bind it,
and how it is decided. Notices come last.
"""

from __future__ import annotations

from ..rulebook.model import BEYOND_SEED, Ground, Role
from ..util.text import Style, cite, plain, terminal_width, wrap
from .model import Case, Reason, Report, RoleReport, distinct

_STATUS_WORDS = {"applies": "applies", "blocked": "blocked", "not_triggered": "not triggered"}
_STATUS_COLOURS = {"applies": "green", "blocked": "red", "not_triggered": None}
LABEL_WIDTH = 15


class _Writer:
    def __init__(self, width: int, style: Style) -> None:
        self.width = width
        self.style = style
        self.lines: list[str] = []

    def row(self, label: str, text: str, *, label_style: dict[str, object] | None = None) -> None:
        """`  label          text`, the text wrapped under itself."""
        indent = " " * (2 + LABEL_WIDTH)
        body = wrap(text, self.width - len(indent))
        head = "  " + label.ljust(LABEL_WIDTH)
        if label_style:
            head = "  " + self.style(label, **label_style) + " " * (LABEL_WIDTH - len(label))
        self.lines.append(head + body[0])
        self.lines.extend(indent + line for line in body[1:])

    def bullet(self, reason: Reason) -> None:
        indent = " " * (2 + LABEL_WIDTH)
        wrapped = wrap(reason.text + cite(reason.basis), self.width - len(indent) - 2)
        self.lines.append(indent + "- " + wrapped[0])
        self.lines.extend(indent + "  " + line for line in wrapped[1:])


def render_report(report: Report, *, width: int | None = None, style: Style | None = None) -> str:
    """The text report of one scenario; of a phased file, its timeline (a report of one phase: in full)."""
    if report.phases is not None:
        from .timeline import render_phased

        return render_phased(report, width=width, style=style)
    out = _Writer(width or terminal_width(), style or plain)
    header = out.style(report.scenario, bold=True)
    out.lines.append(header)
    facts = [report.source, f"rulebook {report.rulebook}"] + ([report.date] if report.date else [])
    out.lines.append(out.style(" · ".join(facts), dim=True))
    if report.phase is not None:
        phase = f"phase {report.phase}" + (f": {report.phase_name}" if report.phase_name else "")
        out.lines.extend(out.style(line, dim=True) for line in wrap(phase, out.width))
    for role in report.roles.values():
        out.lines.append("")
        _render_role(out, role, report)
    if report.notices:
        out.lines.append("")
        out.lines.append(out.style("Notices", bold=True))
        for notice in report.notices:
            wrapped = wrap(notice.text + cite(notice.basis), out.width - 4)
            out.lines.append("  - " + wrapped[0])
            out.lines.extend("    " + line for line in wrapped[1:])
    return "\n".join(out.lines)


def _status_label(status: str) -> tuple[str, dict[str, object]]:
    colour = _STATUS_COLOURS[status]
    return _STATUS_WORDS[status], ({"fg": colour} if colour else {"dim": True})


def _render_role(out: _Writer, role_report: RoleReport, report: Report) -> None:
    role = role_report.role
    word, look = _status_label(role_report.status)
    where = role_report.applies_in()
    if where is not None:
        places = (
            "areas" if role_report.areas is not None else "requests" if role_report.requests is not None else "cases"
        )
        word += f" in {where[0]} of {where[1]} {places}"
    title = out.style(role.title.upper(), bold=True)
    head = f"{title}  {out.style(word, bold=True, **look)}  {out.style(role.id, dim=True)}"
    if role.beyond_seed:
        head += out.style(f"  ({BEYOND_SEED})", dim=True)
    out.lines.append(head)
    if role_report.areas is not None:
        rows = [(v.name, v.status, v.reasons, _named(_applied_on(role, v.cases))) for v in role_report.areas.values()]
        if not rows:
            out.row("", role.subject.missing)
    else:
        rows = [
            (case.label, case.status, case.reasons, _named(_applied_on(role, [case]))) for case in role_report.cases
        ]
        if not rows:
            out.row("", role_report.reasons[0].text if role_report.reasons else role.subject.missing)
    _render_rows(out, rows)
    if role_report.status == "applies":
        for constraint in role_report.constraints():
            out.row("constraint", constraint.text + cite(constraint.basis))
    for i, procedure in enumerate(distinct(role_report.procedures())):
        out.row("procedure" if i == 0 else "", " ".join(procedure.lines()[:2]))


def _applied_on(role: Role, cases: list[Case]) -> list[Ground]:
    """The grounds the applying cases apply on (each on the first that holds), each once, in file order."""
    ids = {c.ground.id for c in cases if c.status == "applies" and c.ground is not None}
    return [g for g in role.grounds if g.id in ids]


def _named(grounds: list[Ground]) -> str:
    """How grounds are named after a place: by title, lower case unless a title starts with a name."""
    titles = []
    for ground in grounds:
        title = ground.title
        if not title:  # the implicit ground of a version 1 role
            continue
        if len(title) > 1 and title[0].isupper() and title[1].islower():
            title = title[0].lower() + title[1:]
        titles.append(title)
    return f" ({', '.join(titles)})" if titles else ""


def _render_rows(out: _Writer, rows: list[tuple[str, str, list[Reason], str]]) -> None:
    applies = [name + ground for name, status, _, ground in rows if status == "applies"]
    if applies:
        word, look = _status_label("applies")
        out.row(word, ", ".join(applies), label_style=look)
    for name, status, reasons, _ in rows:
        if status != "blocked":
            continue
        word, look = _status_label("blocked")
        out.row(word, name, label_style=look)
        for reason in reasons:
            out.bullet(reason)
    groups: dict[tuple[str, ...], list[str]] = {}
    for name, status, reasons, _ in rows:
        if status == "not_triggered":
            groups.setdefault(tuple(r.text for r in reasons), []).append(name)
    for texts, names in groups.items():
        word, look = _status_label("not_triggered")
        out.row(word, f"{', '.join(names)}: {' '.join(texts)}", label_style=look)
