"""What would change each verdict, for people: text within the width, Markdown, and the JSON line.

Each case that some change flips is shown with its status, then one line per
flip: what the case becomes and what decides it then, and the changes, as
`--set` names them ("applies on abandoned mines if: situation.ceasefire =
formal"). The cases no change of one or two facts flips are named together,
role by role, so the reader knows they were searched.
"""

from __future__ import annotations

from typing import Any

from ..report.flips import CaseFlips, Decided, Flip, FlipReport, set_value
from ..util.markdown import code, escape
from ..util.text import Style, escape_controls, plain, width_of, wrap
from .legend import STATUS_WORDS

NONE_FOUND = "no change of one or two facts changes it"


def outcome_words(decided: Decided) -> str:
    """What a case becomes: `applies on abandoned mines`, `blocked by combat ongoing`, `not triggered`."""
    words = STATUS_WORDS[decided.status]
    if decided.status == "applies" and decided.ground_title:
        return f"{words} on {decided.ground_title}"
    if decided.status == "blocked" and decided.limits:
        return f"{words} by {', '.join(limit.replace('_', ' ') for limit in decided.limits)}"
    return words


def changes_words(flip: Flip) -> str:
    """The changes of a flip: `situation.ceasefire = formal and areas.strait.combat = none`."""
    return " and ".join(f"{path} = {set_value(value)}" for path, value in flip.changes)


def flip_text(report: FlipReport, *, width: int = 80, style: Style = plain) -> str:
    """The text: per phase (a file without phases has one), per role, each case and its flips."""
    # the scenario's own text must not drive the terminal
    title = escape_controls(report.scenario, newlines=True)
    lines = [style(line, bold=True) for line in wrap(f"{title}: what would change each verdict", width)]
    lines.append(escape_controls(report.source, newlines=True))
    if not report.cases:
        lines += ["", "No case to search (--role and --area leave none)."]
    for phase, name in report.phases.items():
        cases = [c for c in report.cases if c.phase == phase]
        if phase is not None:
            named = f": {escape_controls(name, newlines=True)}" if name else ""
            lines += ["", *(style(line, bold=True) for line in wrap(f"Phase {phase}{named}", width))]
        by_role: dict[str, list[CaseFlips]] = {}
        for case in cases:
            by_role.setdefault(case.case.role, []).append(case)
        for role, found in by_role.items():
            lines += ["", style(report.titles.get(role, role), bold=True)]
            lines += _role_lines(found, width, style)
    return "\n".join(lines)


def _role_lines(found: list[CaseFlips], width: int, style: Style) -> list[str]:
    """A role's cases: each that some change flips, with its flips; then those none does, together."""
    lines: list[str] = []
    unflipped: dict[str, list[str]] = {}
    for case in found:
        status = STATUS_WORDS[case.case.decided.status]
        label = escape_controls(case.case.label, newlines=True)
        if not case.flips:
            unflipped.setdefault(status, []).append(label)
            continue
        lines += ["  " + line for line in wrap(f"{label}: {status}", width - 2)]
        for flip in case.flips:
            lines += _flip_lines(flip, width, style)
    for status, labels in unflipped.items():
        lines += ["  " + line for line in wrap(f"{', '.join(labels)}: {status}; {NONE_FOUND}", width - 2)]
    return lines


def _flip_lines(flip: Flip, width: int, style: Style) -> list[str]:
    """`    applies on abandoned mines if: situation.ceasefire = formal`; when too long, each change below."""
    head = f"{outcome_words(flip.decided)} if:"
    body = changes_words(flip)
    shown = style(head, fg=_colour(flip.decided))
    if width_of(f"    {head} {body}") <= width:
        return [f"    {shown} {body}"]
    heads = wrap(head, width - 4)
    out = ["    " + (shown if len(heads) == 1 else line) for line in heads]
    for i, (path, value) in enumerate(flip.changes):
        joint = "and " if i else ""
        out += ["      " + line for line in wrap(f"{joint}{path} = {set_value(value)}", width - 6)]
    return out


def _colour(decided: Decided) -> str | None:
    return {"applies": "green", "blocked": "red"}.get(decided.status)


def flip_markdown(report: FlipReport) -> str:
    """The Markdown: per phase, a table of the cases some change flips, then the cases none does."""
    lines = [f"# {escape(report.scenario)}: what would change each verdict", "", code(report.source)]
    for phase, name in report.phases.items():
        cases = [c for c in report.cases if c.phase == phase]
        if phase is not None:
            lines += ["", f"## Phase {escape(str(phase))}" + (f": {escape(name)}" if name else "")]
        flipped = [c for c in cases if c.flips]
        if flipped:
            lines += ["", "| Role | Where | Status | Would become | If |", "|---|---|---|---|---|"]
            for case in flipped:
                for i, flip in enumerate(case.flips):
                    first = [report.titles.get(case.case.role, case.case.role), case.case.label,
                             STATUS_WORDS[case.case.decided.status]] if i == 0 else ["", "", ""]  # fmt: skip
                    row = [escape(text) for text in (*first, outcome_words(flip.decided))]
                    row.append(" and ".join(code(s, cell=True) for s in flip.settings()))
                    lines.append("| " + " | ".join(row) + " |")
        rest = [c for c in cases if not c.flips]
        if rest:
            named = "; ".join(f"{report.titles.get(c.case.role, c.case.role)}, {c.case.label}" for c in rest)
            lines += ["", f"Unchanged by any change of one or two facts: {escape(named)}."]
    return "\n".join(lines) + "\n"


def after_report(report: FlipReport, fmt: str, width: int = 80, style: Style = plain) -> str:
    """What follows a report in text or Markdown with `--flip`: a blank line, then the flips."""
    if fmt == "markdown":
        return "\n" + flip_markdown(report)
    return "\n\n" + flip_text(report, width=width, style=style)


def flip_json(report: FlipReport) -> dict[str, Any]:
    """The JSON of a file's flips: `{"scenario", "source", "cases": [{"role", "where", "status", "flips"}]}`."""
    return report.as_dict()


def flip_view(report: FlipReport) -> list[dict[str, Any]]:
    """What the HTML report's section shows, as plain data: per phase, each case some change flips, with its
    flips, and the cases none does."""
    out = []
    for phase, name in report.phases.items():
        cases = [c for c in report.cases if c.phase == phase]
        shown = [
            {
                "role_id": c.case.role,
                "role": report.titles.get(c.case.role, c.case.role),
                "where": c.case.label,
                "status": c.case.decided.status,
                "word": STATUS_WORDS[c.case.decided.status],
                "flips": [
                    {"to": f.decided.status, "words": outcome_words(f.decided), "settings": f.settings()}
                    for f in c.flips
                ],
            }
            for c in cases
            if c.flips
        ]
        rest = "; ".join(f"{report.titles.get(c.case.role, c.case.role)}, {c.case.label}" for c in cases if not c.flips)
        out.append({"id": phase, "name": name, "cases": shown, "unflipped": rest})
    return out
