"""What changed between two reports, as lines for people: the one text form of the phase timeline, `diff` and
`compare`, each change with why (the ground it applies on, else its first reason's gist).

A change of status reads `blocked -> applies`; a verdict that kept its status
but changed its ground, its limits or its procedure reads `applies, other
ground`, `blocked, other limits` or `applies, other procedure`, always with why
on both sides (and, where the procedure changed, who decides and the Diet's
approval on each).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..report.changes import Change, Decided, Side, lead, place, status_words
from ..report.model import Report
from ..util.text import Style, ljust, plain, width_of, wrap
from .legend import COLOURS

# Statuses in text: how a terminal shows them.
STATUS_STYLES: dict[str | None, dict[str, object]] = {
    **{status: {"fg": colour} if colour else {"dim": True} for status, colour in COLOURS.items()},
    None: {"dim": True},  # a case missing on one side
}


def _gist(side: Side | None, titles: dict[str, str], absent: str) -> str:
    """Why a verdict is what it is, in a few words: the ground it applies on, else its first reason's gist."""
    if side is None:
        return absent
    if side.ground is not None and side.ground in titles:
        title = titles[side.ground]
        return title[:1].upper() + title[1:]
    return lead(side.reasons[0]) if side.reasons else ""


def side_gist(side: Side | None, report: Report, role_id: str) -> str:
    """Why one side of a change is what it is, in a few words (empty where the case is not there)."""
    role = report.roles.get(role_id)
    titles = {g.id: g.title for g in role.role.grounds if g.title} if role is not None else {}
    return _gist(side, titles, "")


class ChangeRow(NamedTuple):
    """One line of a change list: a role (its roll-up, or only its name) or places that changed alike."""

    indent: int
    label: str
    change: Change | None  # None: a role's heading when only its areas or requests changed
    why: list[str]  # the lines under it, before wrapping


def change_rows(changes: list[Change], before: Report, after: Report, *, both_sides: bool = False) -> list[ChangeRow]:
    """The changes as rows: per role, its roll-up (or just its name), then its areas and requests, those that
    changed alike and for the same reason on one row; each with why (and, `both_sides`, why it was before).

    A case that appears or goes without arising (an area added where the role has nothing to do) is left
    out: the JSON lists it, the text does not.
    """
    names = {**before.area_names, **after.area_names}
    rows: list[ChangeRow] = []
    by_role: dict[str, list[Change]] = {}
    for change in changes:
        by_role.setdefault(change.role, []).append(change)
    for role_id, found in by_role.items():
        role = (after.roles.get(role_id) or before.roles[role_id]).role
        titles = {g.id: g.title for g in role.grounds if g.title}
        roll_up = next((c for c in found if c.is_roll_up), None)
        leaves = [c for c in found if not c.is_roll_up and not _quiet(c)]
        if roll_up is None and not leaves:
            continue
        why = _why(roll_up, titles, both_sides) if roll_up is not None and not leaves else []
        rows.append(ChangeRow(2, role.title, roll_up, why))
        groups: dict[tuple[Any, ...], list[Change]] = {}
        for change in leaves:
            key = (
                change.before.status if change.before else None,
                change.after.status if change.after else None,
                change.kind,
                tuple(_why(change, titles, both_sides)),
            )
            groups.setdefault(key, []).append(change)
        for (_, _, _, why_lines), group in groups.items():
            label = ", ".join(place(c, names) for c in group)
            rows.append(ChangeRow(4, label, group[0], list(why_lines)))
    return rows


def _quiet(change: Change) -> bool:
    """A case that appears or goes without arising (a new area where nothing happens): no news in text."""
    sides = {change.before.status if change.before else None, change.after.status if change.after else None}
    return sides == {None, "not_triggered"}


def _why(change: Change, titles: dict[str, str], both_sides: bool) -> list[str]:
    absent = "not requested" if change.request is not None else "no such area"
    now = _gist(change.after, titles, absent)
    if change.kind == "status" and not both_sides:
        return [now] if now else []
    was = _gist(change.before, titles, absent)
    old = change.before.procedure if change.before else None
    new = change.after.procedure if change.after else None
    if old is not None and new is not None and "procedure" in change.differs:
        same_decisions = old.decisions == new.decisions
        was, now = f"{was}; {decided_words(old, same_decisions)}", f"{now}; {decided_words(new, same_decisions)}"
    return [f"was: {was}", f"now: {now}"]


DIET_WORDS = {
    "none": "no Diet approval",
    "prior_or_after": "Diet approval prior, or after the fact",
    "prior": "prior Diet approval, without exception",
}


def decided_words(procedure: Decided, diet_only: bool = False) -> str:
    """How a verdict is decided, in a few words: each decision's gist, then the Diet's approval (`diet_only`:
    the approval alone)."""
    diet = DIET_WORDS.get(procedure.diet_approval, procedure.diet_approval)
    if diet_only:
        return diet
    return "; ".join([*(lead(d) for d in procedure.decisions), diet])


def change_words(change: Change, arrow: str = " -> ") -> str:
    """`blocked -> applies` for a change of status; `applies, other ground` (`... and procedure`), `blocked,
    other limits` or `applies, other procedure` for a verdict whose status stayed."""
    old = change.before.status if change.before else None
    new = change.after.status if change.after else None
    kind = change.kind
    if kind == "status":
        return f"{status_words(old)}{arrow}{status_words(new)}"
    what = "other procedure" if kind == "procedure" else "other limits" if new == "blocked" else "other ground"
    if kind == "ground" and "procedure" in change.differs:
        what += " and procedure"
    return f"{status_words(new)}, {what}"


def render_changes(
    changes: list[Change],
    before: Report,
    after: Report,
    *,
    width: int = 80,
    style: Style = plain,
    both_sides: bool = False,
    indent: int = 0,
    column: int | None = None,
) -> list[str]:
    """The lines that show what changed from `before` to `after`: for each role, each verdict that changed,
    `from -> to`, and under it why, in a few words (and, with `both_sides`, why it was so before).

    The one text form of a list of changes: the phase timeline, `diff` and `compare` all print it. The
    `from -> to` column is set by the longest place, unless `column` is given (see `arrow_column`).
    """
    rows = change_rows(changes, before, after, both_sides=both_sides)
    if not rows:
        return []
    column = column or arrow_column([rows], width, indent)
    lines = []
    for row in rows:
        # Where `from -> to` does not fit beside its place (a narrow terminal), it goes on the line under it.
        beside = indent + column + 2 + width_of(_arrow(row.change)) <= width
        label = wrap(row.label, column - row.indent if beside else width - indent - row.indent)
        head = " " * (indent + row.indent) + label[0]
        if row.change is not None and beside:
            head = ljust(head, indent + column) + "  " + _styled_arrow(row.change, style)
        lines.append(style(head, bold=True) if row.indent == 2 and row.change is None else head)
        lines.extend(" " * (indent + row.indent) + more for more in label[1:])
        if row.change is not None and not beside:
            lines.append(" " * (indent + row.indent + 2) + _styled_arrow(row.change, style))
        for text in row.why:
            pad = " " * (indent + row.indent + 2)
            hang = " " * (5 if text.startswith(("was: ", "now: ")) else 0)
            body = wrap(text, width - len(pad) - len(hang))
            lines.append(pad + body[0])
            lines.extend(pad + hang + part for part in body[1:])
    return lines


def arrow_column(groups: list[list[ChangeRow]], width: int, indent: int = 0) -> int:
    """Where `from -> to` starts, for rows of one or more lists of changes shown together: after the
    longest place, but leaving room for the longest `from -> to`."""
    rows = [row for group in groups for row in group]
    if not rows:
        return 0
    room = width - indent - max(width_of(_arrow(row.change)) for row in rows) - 2
    return min(max(row.indent + width_of(row.label) for row in rows), max(room, 24))


def _arrow(change: Change | None) -> str:
    return "" if change is None else change_words(change)


def _styled_arrow(change: Change, style: Style) -> str:
    old = change.before.status if change.before else None
    new = change.after.status if change.after else None
    if change.kind != "status":
        status, what = change_words(change).split(", ", 1)
        return f"{style(status, bold=True, **STATUS_STYLES[new])}, {what}"
    was = style(status_words(old), **STATUS_STYLES[old])
    return f"{was} -> {style(status_words(new), bold=True, **STATUS_STYLES[new])}"


def render_comparison(
    changes: list[Change],
    before: Report,
    after: Report,
    *,
    title: str,
    sides: tuple[tuple[str, str], tuple[str, str]],
    width: int = 80,
    style: Style = plain,
) -> str:
    """Two reports side by side: a title, what each side is (`sides`: label and caption), then every verdict
    that differs, with why on each side. What `diff` prints, and `compare`."""
    lines = [style(line, bold=True) for line in wrap(title, width)]
    for label, caption in sides:
        body = wrap(caption, width - width_of(label) - 2)
        lines.append(style(f"{label}  {body[0]}", dim=True))
        lines.extend(style(" " * (width_of(label) + 2) + line, dim=True) for line in body[1:])
    lines.append("")
    shown = render_changes(changes, before, after, width=width, style=style, both_sides=True)
    lines.extend(shown or ["No verdict differs."])
    return "\n".join(lines)


def caption(report: Report, extra: str = "") -> str:
    """What a report is of, in one line: its file (and `extra`), rulebook, date and phase."""
    parts = [report.source + extra, f"rulebook {report.rulebook}"]
    if report.date:
        parts.append(report.date)
    if report.phase is not None:
        parts.append(f"phase {report.phase}")
    return " · ".join(parts)
