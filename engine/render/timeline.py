"""The timeline of a phased file: what changed from phase to phase, and why.

The header gives the title, the file, the dates the phases span and the
rulebook (or rulebooks) used, and why. The timeline takes the phases in turn:
the first says what arises at the start; each later one lists every verdict
that changed from the phase before, `from -> to`, with why in a few words
(the same rows `diff` and `compare` print), and says so when the rulebook
changes. The text report (`render.render_phased`) follows it with the last
phase, where the crisis ends up. `timeline_rows` gives the same timeline as
flat rows, for the Markdown and HTML reports.
"""

from __future__ import annotations

from typing import NamedTuple

from ..report.model import PhaseReport, Report
from ..util.text import Style, plain, width_of, wrap
from .changes import arrow_column, change_rows, change_words, render_changes


def phased_header_lines(report: Report, width: int, style: Style = plain) -> list[str]:
    """The title; the file, how many phases and the dates they span; the rulebook(s) used, and why."""
    phases = report.phases
    lines = [style(line, bold=True) for line in wrap(report.scenario, width)]
    dates = [p.date for p in phases if p.date]
    span = f"{dates[0]} to {dates[-1]}" if dates and dates[0] != dates[-1] else (dates[0] if dates else "undated")
    count = f"{len(phases)} phase{'s' if len(phases) != 1 else ''}"
    lines.extend(style(line, dim=True) for line in wrap(f"{report.source} · {count}, {span}", width))
    lines.extend(wrap(rulebooks_used(phases), width))
    lines.extend(wrap(what_if(report), width) if report.overrides else [])
    return lines


def what_if(report: Report) -> str:
    """`What if: --set situation.ceasefire=de_facto (phase ceasefire sets it again)`: the `--set` in force, and
    for each one a phase undoes, that phase; empty without `--set`."""
    parts = [
        f"--set {text}" + (f" (phase {phase} sets it again)" if phase else "") for text, phase in report.overrides
    ]
    return "What if: " + ", ".join(parts) if parts else ""


def last_phase_heading(report: Report, width: int, style: Style = plain) -> list[str]:
    """`Phase ceasefire, 2009-06-01 (the last of 4): Formal ceasefire; ...`: whose verdicts follow."""
    phases = report.phases
    last = phases[-1]
    words = f"Phase {last.phase}" + (f", {last.date}" if last.date else "") + f" (the last of {len(phases)})"
    words += f": {last.phase_name}" if last.phase_name else ""
    return [style(line, bold=True) for line in wrap(words, width)]


def timeline_lines(report: Report, width: int, style: Style = plain) -> list[str]:
    """`Timeline`, then each phase: its date, id and name, and what changed from the phase before."""
    phases = report.phases
    dated = any(p.date for p in phases)
    lines = [style("Timeline", bold=True)]
    found = {p.phase: [c for c in report.changes if c.phase == p.phase] for p in phases[1:]}
    rows = [change_rows(found[p.phase], before, p) for before, p in zip(phases, phases[1:], strict=False)]
    column = arrow_column(rows, width)
    for i, phase in enumerate(phases):
        lines.extend(_phase_heading(phase, width, style, dated))
        if i == 0:
            lines.extend("  " + line for line in wrap(at_the_start(phase), width - 2))
            continue
        before = phases[i - 1]
        switch = rulebook_switch(before, phase)
        if switch:
            lines.extend("  " + style(line, bold=True) for line in wrap(switch, width - 2))
        changed = render_changes(found[phase.phase], before, phase, width=width, style=style, column=column)
        lines.extend(changed or ["  No verdict changes."])
    return lines


def rulebook_switch(before: PhaseReport, phase: PhaseReport) -> str:
    """`Rulebook 1997 -> 2015: in force on 2016-04-01.` when the rulebook changes from one phase to the next."""
    if phase.rulebook == before.rulebook:
        return ""
    return f"Rulebook {before.rulebook} -> {phase.rulebook}: {phase.rulebook_reason}."


class TimelineRow(NamedTuple):
    """One row of the timeline as a table: a verdict that changed (or the start, or a change of rulebook)."""

    phase: str
    date: str | None
    name: str | None  # the phase's name
    role: str  # the role's title; empty for the start and for a change of rulebook
    where: str  # the places that changed alike; empty for a role's roll-up
    before: str | None  # the status before (None: the case was not there); the rulebook, for a switch
    after: str | None
    why: str
    kind: str = "status"  # of a verdict's change: status, ground or procedure (see `report.changes`)
    words: str = ""  # the change in words: `blocked -> applies`, `applies, other ground`


def timeline_rows(report: Report) -> list[TimelineRow]:
    """The timeline as flat rows: the start of the first phase, then for each later phase any change of
    rulebook and each verdict that changed (a role's roll-up, then its places that changed alike)."""
    phases = report.phases
    out: list[TimelineRow] = []
    for i, phase in enumerate(phases):
        head = (str(phase.phase), phase.date, phase.phase_name)
        if i == 0:
            out.append(TimelineRow(*head, "", "", None, None, at_the_start(phase)))
            continue
        before = phases[i - 1]
        if phase.rulebook != before.rulebook:
            why = f"Rulebook {phase.rulebook}: {phase.rulebook_reason}"
            out.append(TimelineRow(*head, "", "", before.rulebook, phase.rulebook, why))
        role = ""
        changed = [c for c in report.changes if c.phase == phase.phase]
        for row in change_rows(changed, before, phase):
            if row.indent == 2:
                role = row.label
            if row.change is None:
                continue
            old = row.change.before.status if row.change.before else None
            new = row.change.after.status if row.change.after else None
            where = row.label if row.indent > 2 else ""
            words = change_words(row.change)
            out.append(TimelineRow(*head, role, where, old, new, " ".join(row.why), row.change.kind, words))
    return out


def rulebooks_used(phases: list[Report]) -> str:
    """Which rulebook evaluated the phases and why, as the report of one file says it: `Rulebook 1997 (in force
    on each phase's date): Guidelines for ...`; when the rulebook changes, which phases each evaluated."""
    runs: list[list[Report]] = []
    for phase in phases:
        if runs and runs[-1][0].rulebook == phase.rulebook:
            runs[-1].append(phase)
        else:
            runs.append([phase])
    parts = []
    for run in runs:
        reasons = list(dict.fromkeys(p.rulebook_reason for p in run))
        if len(run) > 1 and all(r.startswith("in force on ") for r in reasons):
            why = "in force on each phase's date"
        else:
            why = "; ".join(reasons)
        if len(runs) == 1:
            title = f": {run[0].rulebook_title}" if run[0].rulebook_title else ""
            parts.append(f"Rulebook {run[0].rulebook} ({why}){title}")
        else:
            which = run[0].phase if len(run) == 1 else f"{run[0].phase} to {run[-1].phase}"
            parts.append(f"rulebook {run[0].rulebook} for {which} ({why})")
    text = ", then ".join(parts)
    return text[:1].upper() + text[1:] + ("" if len(runs) == 1 else ".")


def _phase_heading(phase: Report, width: int, style: Style, dated: bool) -> list[str]:
    """`2009-03-20  blockade  Blockade and determination` (no date column when no phase is dated), the name
    wrapped under itself."""
    when = f"{phase.date or 'undated':<10}  " if dated else ""
    if not phase.phase_name:
        return [when + style(str(phase.phase), bold=True)]
    indent = width_of(when) + width_of(str(phase.phase)) + 2
    if width - indent < 20:  # a narrow terminal: the name goes under the id
        name = wrap(phase.phase_name, width - len(when))
        return [when + style(str(phase.phase), bold=True)] + [" " * len(when) + line for line in name]
    name = wrap(phase.phase_name, width - indent)
    return [f"{when}{style(str(phase.phase), bold=True)}  {name[0]}"] + [" " * indent + line for line in name[1:]]


def at_the_start(phase: Report) -> str:
    """What arises in the first phase, in a sentence."""
    by_status: dict[str, list[str]] = {}
    for role in phase.roles.values():
        by_status.setdefault(role.status, []).append(role.role.title)
    parts = []
    for status, verb in (("applies", ("applies", "apply")), ("blocked", ("is blocked", "are blocked"))):
        titles = by_status.get(status, [])
        if titles:
            parts.append(f"{_joined(titles)} {verb[len(titles) > 1]}")
    rest = "no other role arises" if parts else "no role arises"
    return "At the start: " + "; ".join(parts + [rest]) + "."


def _joined(titles: list[str]) -> str:
    words = [titles[0]] + [t[:1].lower() + t[1:] for t in titles[1:]]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
