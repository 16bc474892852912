"""The text report of a phased file: a header, the timeline of what changed and why, then each phase's verdicts.

The header gives the title, the file, the dates the phases span and the
rulebook (or rulebooks) used, and why. The timeline takes the phases in turn:
the first says what arises at the start; each later one lists every verdict
that changed from the phase before, `from -> to`, with why in a few words
(the same rows `diff` and `compare` print), and says so when the rulebook
changes. Then each phase's verdicts, one line per role: its status, and where.
"""

from __future__ import annotations

from ..util.text import Style, plain, terminal_width, wrap
from .changes import STATUS_STYLES, arrow_column, change_rows, render_changes, status_words
from .model import AreaVerdict, Case, Report, RoleReport

ROLE_WIDTH = 20  # "Embargo inspection" and two spaces


def render_phased(report: Report, *, width: int | None = None, style: Style | None = None) -> str:
    """The text report of a phased file (a report with `phases`)."""
    width = width or terminal_width()
    style = style or plain
    phases = report.phases or []
    lines = [style(report.scenario, bold=True)]
    dates = [p.date for p in phases if p.date]
    span = f"{dates[0]} to {dates[-1]}" if dates and dates[0] != dates[-1] else (dates[0] if dates else "undated")
    count = f"{len(phases)} phase{'s' if len(phases) != 1 else ''}"
    lines.extend(style(line, dim=True) for line in wrap(f"{report.source} · {count}, {span}", width))
    lines.extend(wrap(rulebooks_used(phases), width))
    lines += ["", style("Timeline", bold=True)]
    found = {p.phase: [c for c in report.changes or () if c.phase == p.phase] for p in phases[1:]}
    rows = [change_rows(found[p.phase], before, p) for before, p in zip(phases, phases[1:], strict=False)]
    column = arrow_column(rows, width)
    for i, phase in enumerate(phases):
        lines.extend(_phase_heading(phase, width, style, bool(dates)))
        if i == 0:
            lines.extend("  " + line for line in wrap(_at_the_start(phase), width - 2))
            continue
        before = phases[i - 1]
        if phase.rulebook != before.rulebook:
            switch = f"Rulebook {before.rulebook} -> {phase.rulebook}: {phase.rulebook_reason}."
            lines.extend("  " + style(line, bold=True) for line in wrap(switch, width - 2))
        changed = render_changes(found[phase.phase], before, phase, width=width, style=style, column=column)
        lines.extend(changed or ["  No verdict changes."])
    lines += ["", style("Verdicts by phase", bold=True)]
    for phase in phases:
        lines.extend(_phase_heading(phase, width, style, bool(dates)))
        for role in phase.roles.values():
            lines.extend(_verdict_line(role, width, style))
    return "\n".join(lines)


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
    indent = len(when) + len(str(phase.phase)) + 2
    name = wrap(phase.phase_name, width - indent)
    return [f"{when}{style(str(phase.phase), bold=True)}  {name[0]}"] + [" " * indent + line for line in name[1:]]


def _at_the_start(phase: Report) -> str:
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


def _name(entry: AreaVerdict | Case) -> str:
    """An area by its name, a request or event by its label."""
    return entry.name if isinstance(entry, AreaVerdict) else entry.label


def _verdict_line(role: RoleReport, width: int, style: Style) -> list[str]:
    """One role's verdict in a phase: its status and where (where it applies, and where it is blocked)."""
    entries = role.entries()
    where = {status: [_name(e) for e in entries if e.status == status] for status in ("applies", "blocked")}
    text = ", ".join(where[role.status]) if role.status in where else ""
    if role.status == "applies" and where["blocked"]:
        text += f"; blocked: {', '.join(where['blocked'])}"
    word = status_words(role.status)
    head = "  " + role.role.title.ljust(ROLE_WIDTH) + style(word, **STATUS_STYLES[role.status])
    indent = 2 + ROLE_WIDTH + len("not triggered") + 2
    if not text:
        return [head]
    body = wrap(text, width - indent)
    out = [head + " " * (indent - 2 - ROLE_WIDTH - len(word)) + body[0]]
    return out + [" " * indent + line for line in body[1:]]
