"""The decisions each phase needs (`engine.report.decisions`) as text, Markdown, CSV and data for the HTML page.

Each phase: its date, id and name, then its decisions numbered in the order
the procedure runs, each with its provisions and the roles (with the grounds
they apply on, and where) it covers; then what changed from the phase before.
The CSV has a row per decision (and one per decision no longer needed), to
paste into an exercise plan.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..report.decisions import Decision, PhaseDecisions, decisions
from ..report.model import Report
from ..util.markdown import escape
from ..util.text import Style, cite, plain, wrap
from .csv import guard

TITLE = "Decisions by phase"
CSV_COLUMNS = ("source", "phase", "date", "rulebook", "step", "decision", "provisions", "covers", "change")


def _phases(report: Report, phase: str | None) -> list[PhaseDecisions]:
    """Each phase's decisions; with `phase`, that phase's alone."""
    return [p for p in decisions(report) if phase is None or p.phase == phase]


def decisions_lines(
    report: Report, width: int = 80, style: Style = plain, phase: str | None = None, *, brief: bool = False
) -> list[str]:
    """`Decisions by phase`, then each phase's decisions and what changed, within `width`. `brief` (the section
    of a report): each decision on its own lines with the roles it covers, without their grounds and places."""
    lines = [style(TITLE if report.phased else "Decisions", bold=True)]
    for phase_decisions in _phases(report, phase):
        lines += _phase_lines(phase_decisions, width, style, brief)
    return lines


def _phase_lines(phase: PhaseDecisions, width: int, style: Style, brief: bool = False) -> list[str]:
    heading = "  ".join(x for x in (phase.date, phase.phase, phase.name) if x)
    lines = [style(line, bold=True) for line in wrap(heading, width)] if heading else []
    if not phase.decisions:
        lines += ["  " + line for line in wrap("No decision: no role applies.", width - 2)]
    fresh = {(c.kind, c.text, c.provisions) for c in phase.changes if c.change == "new"}
    for n, decision in enumerate(phase.decisions, 1):
        number = f"{n}. "
        indent = " " * (2 + len(number))
        roles = ", for " + ", ".join(c.title for c in decision.covers) if brief else ""
        new = "new: " if brief and (decision.kind, decision.text, decision.provisions) in fresh else ""
        body = wrap(new + decision.text + roles + cite(decision.provisions), width - len(indent))
        lines.append("  " + number + body[0])
        lines += [indent + line for line in body[1:]]
        for cover in decision.covers if not brief else ():
            text = cover.words() + (": " + ", ".join(cover.places) if cover.places else "")
            wrapped = wrap(text, width - len(indent) - 2)
            lines.append(indent + style("- ", dim=True) + wrapped[0])
            lines += [indent + "  " + line for line in wrapped[1:]]
    for change in phase.changes:
        if brief and change.change == "new":
            continue  # said on the decision's line
        wrapped = wrap(change.words(), width - 4)
        mark = {"new": "+", "ended": "-"}.get(change.change, "~")
        lines.append("  " + style(mark, bold=True) + " " + wrapped[0])
        lines += ["    " + line for line in wrapped[1:]]
    return lines


def render_decisions(report: Report, width: int = 80, style: Style | None = None, *, phase: str | None = None) -> str:
    """`guidelines decisions FILE`: the scenario, its file, then its decisions by phase."""
    style = style or plain
    head = [style(line, bold=True) for line in wrap(report.scenario, width)]
    head += [style(line, dim=True) for line in wrap(report.source, width)]
    return "\n".join([*head, "", *decisions_lines(report, width, style, phase)])


def decisions_markdown(report: Report, *, level: int = 3, phase: str | None = None) -> list[str]:
    """The decisions by phase in Markdown: a heading per phase, a table of its decisions, what changed."""
    hashes = "#" * level
    lines = [f"{hashes} {TITLE if report.phased else 'Decisions'}"]
    for shown in _phases(report, phase):
        heading = " · ".join(escape(x) for x in (shown.phase, shown.date, shown.name) if x)
        lines += ["", f"{hashes}# {heading}", ""] if heading else [""]
        if not shown.decisions:
            lines.append("No decision: no role applies.")
        else:
            lines += ["| # | Decision | Covers | Provisions |", "|---|---|---|---|"]
        for n, d in enumerate(shown.decisions, 1):
            lines.append(f"| {n} | {escape(d.text)} | {escape(_covers(d))} | {escape(', '.join(d.provisions))} |")
        if shown.changes:
            lines += [""] + [f"- {escape(c.words())}" for c in shown.changes]
    return lines


def _covers(decision: Decision) -> str:
    """`Search and rescue (rear area search and rescue): East China Sea; Facility access (...): ...`."""
    return "; ".join(c.words() + (": " + ", ".join(c.places) if c.places else "") for c in decision.covers)


def decisions_csv(report: Report, *, raw: bool = False, header: bool = True, phase: str | None = None) -> str:
    """A row per decision of each phase (and per decision no longer needed), cells guarded unless `raw`."""
    rows: list[dict[str, Any]] = []
    for shown in _phases(report, phase):
        common = {"source": report.source, "phase": shown.phase or "", "date": shown.date or "",
                  "rulebook": shown.rulebook}  # fmt: skip
        changes: dict[str, list[str]] = {}
        for c in shown.changes:
            changes.setdefault(c.text, []).append(c.change)
        for n, d in enumerate(shown.decisions, 1):
            change = "; ".join(k for k in changes.get(d.text, []) if k != "ended")
            rows.append(common | {"step": n, "decision": d.text, "provisions": "; ".join(d.provisions),
                                  "covers": _covers(d), "change": change})  # fmt: skip
        for c in shown.changes:
            if c.change == "ended":
                rows.append(common | {"step": "", "decision": c.text, "provisions": "", "covers": "; ".join(c.roles),
                                      "change": "ended"})  # fmt: skip
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    if header:
        writer.writeheader()
    writer.writerows(rows if raw else ({k: guard(v) for k, v in row.items()} for row in rows))
    return buffer.getvalue()


def decisions_view(report: Report) -> list[dict[str, Any]]:
    """What the HTML template (`decisions.html.j2`) shows: each phase, its decisions, what changed."""
    return [
        {
            "id": phase.phase or "",
            "name": phase.name,
            "date": phase.date,
            "decisions": [
                {
                    "kind": d.kind,
                    "text": d.text,
                    "provisions": list(d.provisions),
                    "covers": [{"role": c.role, "words": c.words(), "places": ", ".join(c.places)} for c in d.covers],
                }
                for d in phase.decisions
            ],
            "changes": [{"change": c.change, "words": c.words()} for c in phase.changes],
        }
        for phase in decisions(report)
    ]
