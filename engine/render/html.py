"""The report as one self-contained HTML page: to read in a browser, print, or send.

The page needs nothing from the network and no script: its CSS is inline, and
each case's reasons and basis open on demand (`details`). It is drawn by jinja2
templates with autoescaping on, so whatever the scenario file holds (titles,
names, descriptions) shows as text and never as markup. Each cited provision
carries its source's full title (shown on hover, and in the legend of sources
at the end of each report).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..report.changes import status_words
from ..report.model import Reason, Report, RoleReport
from ..report.procedures import distinct
from . import beyond
from .decisions import decisions_view
from .legend import STATUS_WORDS, Citations, legend_line, symbols
from .phase_matrix import glance_view
from .record import record_view
from .table import matrix, role_name
from .text import phase_words, rulebook_words, status_heading
from .timeline import last_phase_heading, phased_header_lines, timeline_rows, what_if


@cache
def environment() -> Any:
    import jinja2  # only --format html pays for it

    return jinja2.Environment(
        loader=jinja2.PackageLoader("engine.render", "templates"),
        autoescape=True,  # everything from the scenario file is text, never markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(reports: list[Report], *, title: str | None = None, ids: bool = False, errors: Any = ()) -> str:
    """One page with the report of each scenario (and the files that could not be evaluated, with why)."""
    sections = [html_section(report, ids=ids) for report in reports]
    return html_page(sections, title=title or (reports[0].scenario if len(reports) == 1 else "Scenario reports"),
                     errors=errors)  # fmt: skip


def html_page(sections: list[str], *, title: str, errors: Any = ()) -> str:
    """The page around report sections already drawn (see `html_section`)."""
    # markupsafe comes with jinja2: only an HTML page loads it
    from markupsafe import Markup

    return str(
        environment()
        .get_template("page.html.j2")
        .render(title=title, sections=[Markup(s) for s in sections], errors=list(errors), symbols=symbols(True))
    )


def html_section(report: Report, *, ids: bool = False, anchor: str = "", flips: Any = None) -> str:
    """The report of one scenario as an HTML section (a fragment of the page); `anchor` prefixes its roles'
    anchors, for a page that holds the same roles twice; `flips` (a `FlipReport`, `--flip`) adds what would
    change each verdict."""
    view = report_view(report, ids=ids, anchor=anchor)
    if flips is not None:
        from .flips import flip_view  # only --flip draws it

        view["flips"] = flip_view(flips)
    return str(environment().get_template("report.html.j2").render(report=view))


def report_view(report: Report, *, ids: bool = False, anchor: str = "") -> dict[str, Any]:
    """What the template shows of a report, as plain data; of a phased file, its timeline and last phase."""
    timeline = _timeline(report) if report.phased else []
    warnings = [w.text() for w in report.warnings]  # a phased file's: the whole file's
    if report.phased:
        header = phased_header_lines(report, 10**6)
        facts, rulebook, phase = header[1].split(" · ", 1)[1], header[2], last_phase_heading(report, 10**6)[0]
    else:
        facts, rulebook, phase = report.date or "", rulebook_words(report), phase_words(report)
    cites = Citations(report.sources)
    marks = symbols(True)
    grid = matrix(report)
    roles = []
    for row, role in zip(grid.rows, report.roles.values(), strict=True):
        cells = []
        for column in grid.columns:
            status = row.cells.get(column.key)
            cells.append(
                None
                if status is None
                else {"status": status, "mark": marks[status], "word": STATUS_WORDS[status], "where": column.label}
            )
        roles.append(
            {
                "id": role.role.id,
                "anchor": anchor + role.role.id,
                "name": role_name(role, ids),
                "status": role.status,
                "mark": marks[role.status],
                "word": STATUS_WORDS[role.status],
                "heading": status_heading(role),
                "beyond_seed": role.role.beyond_seed,
                "cells": cells,
                "cases": _cases(role, cites),
                "constraints": [_reason_view(c.text, c.basis, cites) for c in role.constraints()]
                if role.status == "applies"
                else [],
                "procedures": [" ".join(p.lines()[:2]) for p in distinct(role.procedures())],
            }
        )
    notices = [_reason_view(n.text, n.basis, cites) for n in report.notices]
    return {
        "scenario": report.scenario,
        "source": report.source,
        "facts": facts,
        "rulebook": rulebook,
        "what_if": what_if(report),
        "phase": phase,
        "timeline": timeline,
        "description": report.description,
        "columns": [{"label": c.label, "kind": c.kind} for c in grid.columns],
        "areas": sum(1 for c in grid.columns if c.kind == "area"),
        "requests": sum(1 for c in grid.columns if c.kind == "request"),
        "roles": roles,
        "notices": notices,
        "beyond": beyond.html_view(report, cites),
        "legend": legend_line(True),
        "sources": cites.legend(),
        "warnings": warnings,
        "decisions": decisions_view(report) if report.phased else [],
        "glance": glance_view(report) if report.phased else None,
        "record": record_view(report),
    }


def _timeline(report: Report) -> list[dict[str, Any]]:
    """The phases in turn, each with its rows: what arises at the start, a change of rulebook, each verdict
    that changed from the phase before."""
    phases: dict[str, dict[str, Any]] = {}
    for row in timeline_rows(report):
        phase = phases.setdefault(row.phase, {"id": row.phase, "date": row.date, "name": row.name, "rows": []})
        kind = "change" if row.role else "start" if row.before is None else "rulebook"
        sides = [
            (status or "none", status_words(status)) if kind == "change" else ("", status or "")
            for status in (row.before, row.after)
        ]
        phase["rows"].append(
            {
                "kind": kind,
                "role": row.role,
                "where": row.where,
                "from": sides[0][0],
                "to": sides[1][0],
                "from_words": sides[0][1],
                "to_words": sides[1][1],
                "why": row.why,
                "change_kind": row.kind,
                "kind_words": row.words.split(", ", 1)[1] if row.kind != "status" else "",
            }
        )
    return list(phases.values())


def _cases(role: RoleReport, cites: Citations) -> list[dict[str, Any]]:
    """Each place the role is reported by (area, request or event), with its reasons and basis."""
    entries = (
        [(v.name, v.status, v.reasons, v.ground) for v in role.areas.values()]
        if role.areas is not None
        else [(c.label, c.status, c.reasons, c.ground) for c in role.cases]
    )
    out = []
    for name, status, reasons, ground in entries:
        shown: list[Reason] = reasons
        out.append(
            {
                "name": name,
                "status": status,
                "word": STATUS_WORDS[status],
                "ground": (ground.title or ground.id) if ground is not None else None,
                "reasons": [_reason_view(r.text, r.basis, cites) for r in shown],
            }
        )
    if not out:
        text = role.reasons[0].text if role.reasons else role.role.subject.missing
        out.append({"name": "", "status": "not_triggered", "word": STATUS_WORDS["not_triggered"], "ground": None,
                    "reasons": [{"text": text, "basis": []}]})  # fmt: skip
    return out


def _reason_view(text: str, basis: tuple[str, ...] | list[str], cites: Citations) -> dict[str, Any]:
    return {"text": text, "basis": [{"provision": p, "title": cites.title(p)} for p in cites.note(basis)]}
