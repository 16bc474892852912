"""The text report, made for a person at a terminal.

It opens with a header (the scenario, its file and date, the rulebook and why
it was used) and the matrix of every role's status in every area and request.
Then each role: a heading with its status (and, when it applies but is blocked
elsewhere, in how many of the places it arises), one line per status (where it
applies and on which ground, where it is blocked and why, with the provisions,
where it is not triggered and why), the constraints that bind it and how it is
decided. Notices follow, and the legend of the sources cited.

A phased file's report opens with its header (the dates the phases span, the
rulebooks used) and the timeline of what changed (`timeline`), then shows its
last phase as above, from the matrix on.
"""

from __future__ import annotations

from typing import NamedTuple

from ..report.model import Case, Reason, Report, RoleReport
from ..report.procedures import distinct
from ..rulebook.model import BEYOND_SEED, Ground, Role
from ..util.text import Style, beside, ljust, plain, terminal_width, width_of, wrap
from . import beyond
from .decisions import decisions_lines
from .legend import COLOURS, STATUS_WORDS, Citations
from .phase_matrix import glance_lines
from .record import record_lines
from .table import table_lines
from .timeline import last_phase_heading, phased_header_lines, timeline_lines, what_if

LABEL_WIDTH = 15


class TextOptions(NamedTuple):
    """How a person asked to see text: the width, role ids beside titles, full source titles, symbols."""

    width: int = 80
    ids: bool = False
    cite_full: bool = False
    unicode: bool = True
    csv_raw: bool = False  # CSV cells as they are: a title like `=HYPERLINK(...)` not guarded (see report.csv)


class _Writer:
    def __init__(self, width: int, style: Style, citations: Citations) -> None:
        self.width = width
        self.style = style
        self.cites = citations
        self.lines: list[str] = []

    def row(self, label: str, text: str, *, label_style: dict[str, object] | None = None) -> None:
        """`  label          text`, the text wrapped under itself."""
        indent = " " * (2 + LABEL_WIDTH)
        body = wrap(text, self.width - len(indent))
        head = "  " + ljust(label, LABEL_WIDTH)
        if label_style:
            head = "  " + self.style(label, **label_style) + " " * (LABEL_WIDTH - width_of(label))
        self.lines.append(head + body[0])
        self.lines.extend(indent + line for line in body[1:])

    def bullet(self, reason: Reason) -> None:
        indent = " " * (2 + LABEL_WIDTH)
        wrapped = wrap(reason.text + self.cites.text(reason.basis), self.width - len(indent) - 2)
        self.lines.append(indent + "- " + wrapped[0])
        self.lines.extend(indent + "  " + line for line in wrapped[1:])


def header_lines(report: Report, width: int, style: Style = plain) -> list[str]:
    """The scenario's title, its file and date, and the rulebook with why it was used."""
    lines = [style(line, bold=True) for line in wrap(report.scenario, width)]
    facts = [report.source] + ([report.date] if report.date else [])
    lines.extend(style(line, dim=True) for line in wrap(" · ".join(facts), width))
    phase = phase_words(report)
    if phase:
        lines.extend(style(line, bold=True) for line in wrap(phase, width))
    lines.extend(wrap(rulebook_words(report), width))
    lines.extend(wrap(what_if(report), width) if report.overrides else [])
    return lines


def phase_words(report: Report) -> str:
    """`Phase fighting: Fighting in the Strait` for a phase's report, `Phase ceasefire (the last of 4): ...`
    for a phased file's (whose verdicts are its last phase's); empty for a file without phases."""
    shown = report.last
    if shown.phase is None:
        return ""
    phase = f"Phase {shown.phase}" + (f" (the last of {len(report.phases)})" if report.phased else "")
    return phase + (f": {shown.phase_name}" if shown.phase_name else "")


def rulebook_words(report: Report) -> str:
    """`Rulebook 1997 (in force on 2009-04-10): Guidelines for ...`."""
    reason = f" ({report.rulebook_reason})" if report.rulebook_reason else ""
    title = f": {report.rulebook_title}" if report.rulebook_title else ""
    return f"Rulebook {report.rulebook}{reason}{title}"


def render_report(
    report: Report, *, width: int | None = None, style: Style | None = None, options: TextOptions | None = None
) -> str:
    """The text report of one scenario; of a phased file, its timeline (see `timeline`)."""
    opts = options or TextOptions(width or terminal_width())
    if width is not None:
        opts = opts._replace(width=width)
    text = render_phased(report, style=style, options=opts) if report.phased else "\n".join(
        header_lines(report, opts.width, style or plain) + [""] + body_lines(report.last, opts, style))  # fmt: skip
    return "\n".join([text, *record_lines(report, opts.width, style or plain, opts.unicode)])


def body_lines(
    report: Report, opts: TextOptions, style: Style | None = None, tail: list[str] | None = None
) -> list[str]:
    """What follows the header: the matrix, each role in detail, the notices, `tail` and the sources cited."""
    out = _Writer(opts.width, style or plain, Citations(report.sources, opts.cite_full))
    out.lines.extend(table_lines(report, width=out.width, style=out.style, unicode=opts.unicode, ids=opts.ids))
    for role in report.roles.values():
        out.lines.append("")
        _render_role(out, role, opts.ids)
    if report.notices:
        out.lines.append("")
        out.lines.append(out.style("Notices", bold=True))
        for notice in report.notices:
            wrapped = wrap(notice.text + out.cites.text(notice.basis), out.width - 4)
            out.lines.append("  - " + wrapped[0])
            out.lines.extend("    " + line for line in wrapped[1:])
    out.lines.extend(["", *tail] if tail else [])
    out.lines.extend(beyond.text_lines(report, out.width, out.cites, lambda t: out.style(t, bold=True)))
    out.lines.extend(sources_lines(out.cites, out.width, out.style))
    return out.lines


def render_phased(report: Report, *, style: Style | None = None, options: TextOptions | None = None) -> str:
    """The text report of a phased file (a report with `phases`)."""
    opts = options or TextOptions()
    style = style or plain
    lines = phased_header_lines(report, opts.width, style) + [""] + timeline_lines(report, opts.width, style)
    lines += ["", *glance_lines(report, opts.width, style, opts.unicode)]
    lines += ["", *last_phase_heading(report, opts.width, style), ""]
    decided = decisions_lines(report, opts.width, style, brief=True)
    return "\n".join(lines + body_lines(report.last, opts, style, tail=decided))


def render_table(report: Report, *, style: Style = plain, options: TextOptions | None = None) -> str:
    """`--format table`: the header and the matrix (of a phased file, its timeline first, see
    `render_phased_table`), then the record beside the verdicts."""
    opts = options or TextOptions()
    if report.phased:
        return render_phased_table(report, style=style, options=opts)
    lines = header_lines(report, opts.width, style) + [""]
    lines += table_lines(report, width=opts.width, style=style, unicode=opts.unicode, ids=opts.ids)
    return "\n".join(lines + record_lines(report, opts.width, style, opts.unicode))


def render_phased_table(report: Report, *, style: Style = plain, options: TextOptions | None = None) -> str:
    """`--format table` of a phased file: the header, the timeline, and the last phase's matrix."""
    opts = options or TextOptions()
    lines = phased_header_lines(report, opts.width, style) + [""] + timeline_lines(report, opts.width, style)
    lines += ["", *glance_lines(report, opts.width, style, opts.unicode)]
    lines += ["", *last_phase_heading(report, opts.width, style), ""]
    lines += table_lines(report.last, width=opts.width, style=style, unicode=opts.unicode, ids=opts.ids)
    return "\n".join(lines + record_lines(report, opts.width, style, opts.unicode))


def sources_lines(cites: Citations, width: int, style: Style = plain) -> list[str]:
    """The legend of the sources cited: `  G97  Guidelines for ...`, each title wrapped under itself."""
    legend = cites.legend() if not cites.full else []
    if not legend:
        return []
    lines = ["", style("Sources", bold=True)]
    tag_width = max(width_of(tag) for tag, _ in legend)
    for tag, title in legend:
        body = wrap(title, width - tag_width - 4)
        lines.append(f"  {ljust(tag, tag_width)}  {body[0]}")
        lines.extend(" " * (tag_width + 4) + line for line in body[1:])
    return lines


def _status_label(status: str) -> tuple[str, dict[str, object]]:
    colour = COLOURS[status]
    return STATUS_WORDS[status], ({"fg": colour} if colour else {"dim": True})


def status_heading(role_report: RoleReport) -> str:
    """`applies`, `blocked`, `not triggered`, or `applies in 2 of 4 areas`."""
    word = STATUS_WORDS[role_report.status]
    where = role_report.applies_in()
    if where is not None:
        places = (
            "areas" if role_report.areas is not None else "requests" if role_report.requests is not None else "cases"
        )
        word += f" in {where[0]} of {where[1]} {places}"
    return word


def _render_role(out: _Writer, role_report: RoleReport, ids: bool) -> None:
    role = role_report.role
    _, look = _status_label(role_report.status)
    heading = status_heading(role_report)
    *above, head = beside(out.style(role.title.upper(), bold=True), out.style(heading, bold=True, **look), out.width)
    out.lines.extend(above)
    size = width_of(head)
    for extra in ([role.id] if ids else []) + ([f"({BEYOND_SEED})"] if role.beyond_seed else []):
        if size + 2 + width_of(extra) > out.width:
            out.lines.append(head)
            head, size = "  " + out.style(extra, dim=True), 2 + width_of(extra)
        else:
            head, size = head + "  " + out.style(extra, dim=True), size + 2 + width_of(extra)
    out.lines.append(head)
    if role_report.areas is not None:
        rows = [(v.name, v.status, v.reasons, _applied_on(role, v.cases)) for v in role_report.areas.values()]
        if not rows:
            out.row("", role.subject.missing)
    else:
        rows = [(case.label, case.status, case.reasons, _applied_on(role, [case])) for case in role_report.cases]
        if not rows:
            out.row("", role_report.reasons[0].text if role_report.reasons else role.subject.missing)
    _render_rows(out, rows)
    if role_report.status == "not_triggered":
        return  # how it would be decided is in the JSON report and `guidelines rules`
    if role_report.status == "applies":
        for constraint in role_report.constraints():
            out.row("constraint", constraint.text + out.cites.text(constraint.basis))
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
        if len(title) > 1 and title[0].isupper() and title[1].islower():
            title = title[0].lower() + title[1:]
        titles.append(title)
    return f" ({', '.join(titles)})" if titles else ""


def _render_rows(out: _Writer, rows: list[tuple[str, str, list[Reason], list[Ground]]]) -> None:
    applies = [name + _named(grounds) for name, status, _, grounds in rows if status == "applies"]
    if applies:
        used = [g for g in _union_grounds(grounds for _, status, _, grounds in rows if status == "applies")]
        basis = [b for g in used for b in g.basis]
        word, look = _status_label("applies")
        out.row(word, ", ".join(applies) + out.cites.text(list(dict.fromkeys(basis))), label_style=look)
    for name, status, reasons, _ in rows:
        if status != "blocked":
            continue
        word, look = _status_label("blocked")
        out.row(word, name, label_style=look)
        for reason in reasons:
            out.bullet(reason)
    groups: dict[tuple[Reason, ...], list[str]] = {}
    for name, status, reasons, _ in rows:
        if status == "not_triggered":
            groups.setdefault(tuple(reasons), []).append(name)
    for reasons, names in groups.items():
        word, look = _status_label("not_triggered")
        text = " ".join(r.text for r in reasons)
        basis = list(dict.fromkeys(b for r in reasons for b in r.basis))
        out.row(word, f"{', '.join(names)}: {text}{out.cites.text(basis)}", label_style=look)


def _union_grounds(groups: object) -> list[Ground]:
    out: dict[str, Ground] = {}
    for group in groups:  # type: ignore[attr-defined]
        for ground in group:
            out.setdefault(ground.id, ground)
    return list(out.values())
