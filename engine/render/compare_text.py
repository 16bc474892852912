"""One scenario under two rulebooks, side by side, as text: what `guidelines compare` prints for a person.

For each role, the two statuses side by side: what changed is marked, with
the reasons and basis on each side (which limit disappeared, which ground
appeared); what stayed the same is one compact line. A phased file shows each
phase where a verdict changed. Over many files, `render_summary` counts the
verdicts that changed per role.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..report.changes import Change, place, status_words
from ..report.compare import Comparison, Counted, headline
from ..report.model import Reason, Report, RoleReport
from ..rulebook.model import BEYOND_SEED
from ..util.text import Style, cite, plain, width_of, wrap
from .changes import change_words, decided_words
from .text import LABEL_WIDTH

_INDENT = " " * (2 + LABEL_WIDTH)


# ----------------------------------------------------------------------------
# Text


def _entries(role: RoleReport) -> list[tuple[tuple[Any, Any], str, list[Reason], str | None]]:
    """A role's verdicts below its roll-up: (key as `changes` keys them, status, reasons, ground title)."""
    out: list[tuple[tuple[Any, Any], str, list[Reason], str | None]] = []
    for area_id, verdict in (role.areas or {}).items():
        out.append(((area_id, None), verdict.status, verdict.reasons, _title(verdict.ground)))
    for entry in role.requests or ():
        case = entry.case
        ground = case.ground if case.status == "applies" else None
        out.append(((None, (entry.force, entry.item, entry.area)), case.status, case.reasons, _title(ground)))
    return out


def _with_diet(change: Change, side: Any, ground: str | None) -> str | None:
    """The ground's title, followed by the Diet's approval where the procedure is among what changed."""
    if side is None or side.procedure is None or "procedure" not in change.differs:
        return ground
    return f"{ground or 'its ground'}; {decided_words(side.procedure, diet_only=True)}"


def _title(ground: Any) -> str | None:
    return ground.title if ground is not None and ground.title else None


def rulebook_words(report: Report) -> str:
    """`rulebook 1997 (in force on 2009-04-10)`; of a phased file, why for every phase at once."""
    reason = report.rulebook_reason
    if report.phased:
        by_reason: dict[str, list[str]] = {}
        for phase in report.phases:
            kind = "in force" if (phase.rulebook_reason or "").startswith("in force on ") else phase.rulebook_reason
            by_reason.setdefault(kind or "", []).append(phase.phase or "")
        if len(by_reason) == 1:
            only = next(iter(by_reason))
            reason = "in force on each phase's date" if only == "in force" and len(report.phases) > 1 else reason
        else:
            reason = "; ".join(
                (f"in force on the date{'s' if len(ids) > 1 else ''} of " if kind == "in force" else f"{kind} in ")
                + ", ".join(ids)
                for kind, ids in by_reason.items()
            )
    return f"rulebook {report.rulebook}" + (f" ({reason})" if reason else "")


def _both(word_a: str, word_b: str, first: str, second: str) -> str:
    if word_a == word_b:
        return f"{status_words(word_a)} in both"
    return f"{status_words(word_a)} in {first}, {status_words(word_b)} in {second}"


class _Writer:
    def __init__(self, width: int, style: Style, titles: dict[str, str] | None = None) -> None:
        self.width = width
        self.style = style
        self.titles = titles  # source tag -> full title, to follow each provision (--cite full)
        self.lines: list[str] = []

    def cite(self, basis: tuple[str, ...] | list[str]) -> str:
        return cite(basis, self.titles)

    def row(self, label: str, text: str, **look: Any) -> None:
        body = wrap(text, self.width - len(_INDENT))
        head = "  " + (self.style(label, **look) if look else label) + " " * (LABEL_WIDTH - width_of(label))
        self.lines.append(head + body[0])
        self.lines.extend(_INDENT + line for line in body[1:])

    def side(self, rulebook: str, status: str, ground: str | None, reasons: list[Reason]) -> None:
        """One side of a changed verdict: `1997  blocked` and each reason with its basis (the limits that bar it,
        the triggers that fail); where it applies, the ground it applies on and that ground's basis."""
        head = f"{rulebook}  {status_words(status)}"
        if status == "applies":
            basis = tuple(dict.fromkeys(b for reason in reasons for b in reason.basis))
            wrapped = wrap(head + (f" on {ground}" if ground else "") + self.cite(basis), self.width - len(_INDENT) - 2)
            self.lines.append(_INDENT + self.style(wrapped[0], bold=True))
            self.lines.extend(_INDENT + "  " + line for line in wrapped[1:])
            return
        self.lines.append(_INDENT + self.style(head, bold=True))
        # On a narrow terminal the reasons leave the label column, so that they keep their width.
        indent = _INDENT if self.width - len(_INDENT) - 4 >= 20 else "  "
        for reason in reasons:
            wrapped = wrap(reason.text + self.cite(reason.basis), self.width - len(indent) - 4)
            self.lines.append(indent + "  - " + wrapped[0])
            self.lines.extend(indent + "    " + line for line in wrapped[1:])


def render_comparison(
    comparison: Comparison, *, width: int = 80, style: Style | None = None, cite_full: bool = False
) -> str:
    """The comparison of one scenario under two rulebooks, as text (`cite_full`: each provision followed by its
    source's full title); of a phased file, phase by phase, each phase with the roles that changed in full and the
    others in one line."""
    titles = {**comparison.first.sources, **comparison.second.sources} if cite_full else None
    out = _Writer(width, style or plain, titles)
    first, second = comparison.first, comparison.second
    out.lines.append(out.style(second.scenario, bold=True))
    if second.phased:
        dates = [p.date for p in second.phases if p.date]
        span = f"{len(second.phases)} phases" + (f", {dates[0]} to {dates[-1]}" if len(set(dates)) > 1 else "")
        facts = [comparison.source, span]
    else:
        facts = [comparison.source] + ([second.date] if second.date else [])
    for line in wrap(" · ".join(facts), width):
        out.lines.append(out.style(line, dim=True))
    for line in [*wrap(rulebook_words(first), width), *wrap(rulebook_words(second), width)]:
        out.lines.append(out.style(line, dim=True))
    out.lines.extend(wrap(headline(comparison), width))
    if second.phased:
        for one, other in zip(first.phases, second.phases, strict=True):
            found = [c for c in comparison.changes if c.phase == one.phase]
            out.lines.append("")
            heading = "  ".join(x for x in (other.date or "", other.phase or "", other.phase_name or "") if x)
            out.lines.extend(out.style(line, bold=True) for line in wrap(heading, width))
            if not found:
                out.lines.append("  no verdict changed")
                continue
            _render_roles(out, one, other, found, compact=True)
        _render_notices(out, first, second)
        return "\n".join(out.lines)
    _render_roles(out, first, second, comparison.changes)
    _render_notices(out, first, second)
    return "\n".join(out.lines)


def _render_roles(out: _Writer, first: Report, second: Report, found: list[Change], compact: bool = False) -> None:
    """Each role under both rulebooks; `compact`: the roles without a change in one closing line."""
    a, b, width = first.rulebook, second.rulebook, out.width
    same_roles: list[str] = []
    changed = {(c.role, c.area, c.request): c for c in found}
    names = {**first.area_names, **second.area_names}
    for role_id, role in second.roles.items():
        before = first.roles[role_id]
        if compact and (role_id, None, None) not in changed and not any(c.role == role_id for c in found):
            same_roles.append(f"{role.role.title} ({status_words(role.status)})")
            continue
        out.lines.append("")
        look: dict[str, Any] = {"fg": "yellow", "bold": True} if (role_id, None, None) in changed else {"dim": True}
        both = _both(before.status, role.status, a, b)
        title = out.style(role.role.title.upper(), bold=True)
        head = f"{title}  {out.style(both, **look)}"
        beyond = f"  ({BEYOND_SEED})"
        if role.role.beyond_seed and width_of(f"{role.role.title}  {both}{beyond}") <= width:
            head += out.style(beyond, dim=True)
        out.lines.append(head)
        old = {key: (status, reasons, ground) for key, status, reasons, ground in _entries(before)}
        same: dict[str, list[str]] = {}
        for key, status, reasons, ground in _entries(role):
            change = changed.get((role_id, *key))
            where = place(Change(role_id, key[0], key[1], None, None), names)
            if change is None:
                same.setdefault(status, []).append(where)
                continue
            was_status, was_reasons, was_ground = old.get(key, (None, [], None))
            kind = "" if change.kind == "status" else ", " + change_words(change).split(", ", 1)[1]
            out.row("changed", f"{where}: {_both(was_status or 'none', status, a, b)}{kind}", fg="yellow")
            was_ground, ground = _with_diet(change, change.before, was_ground), _with_diet(change, change.after, ground)
            if was_status is not None:
                out.side(a, was_status, was_ground, was_reasons)
            out.side(b, status, ground, reasons)
        if same and (set(same) != {"not_triggered"} or len(same["not_triggered"]) < len(_entries(role))):
            order = ("applies", "blocked", "not_triggered")
            parts = [f"{status_words(status)}: {', '.join(same[status])}" for status in order if status in same]
            out.row("same", "; ".join(parts), dim=True)
    if same_roles:
        out.lines.append("")
        out.row("same", "; ".join(same_roles), dim=True)


def _render_notices(out: _Writer, first: Report, second: Report) -> None:
    """The notices one rulebook gives and the other does not (by id); the shared ones are left out."""
    for report, other in ((first, second), (second, first)):
        theirs = {(n.id, n.area) for n in other.notices}
        only = [n for n in report.notices if (n.id, n.area) not in theirs]
        if not only:
            continue
        out.lines.append("")
        out.lines.append(out.style(f"Notices only under {report.rulebook}", bold=True))
        for notice in only:
            wrapped = wrap(notice.text + out.cite(notice.basis), out.width - 4)
            out.lines.append("  - " + wrapped[0])
            out.lines.extend("    " + line for line in wrapped[1:])


def summary_line(counted: Counted, width: int = 80) -> str:
    """`scenarios/korea.yaml: 3 verdicts changed (logistic_support 3)`, wrapped to `width`."""
    counts = counted.counts or {}
    total = sum(counts.values())
    if not total:
        return f"{counted.source}: no verdict changed"
    per_role = ", ".join(f"{role} {n}" for role, n in counts.items())
    head, *rest = wrap(f"{counted.source}: {total} verdict{'s' if total != 1 else ''} changed ({per_role})", width)
    return "\n".join([head, *("    " + line for line in wrap(" ".join(rest), width - 4))]) if rest else head


def render_summary(
    files: Iterable[Counted], roles: Iterable[str], first: str, second: str, *, style: Style | None = None
) -> str:
    """The table that closes a compared directory: per role, the files where a verdict changed and how many."""
    paint = style or plain
    loaded = [f for f in files if f.counts is not None]
    roles = list(roles)
    changed = [f for f in loaded if f.counts]
    lines = [
        paint(f"{first} and {second} compared: {len(loaded)} files, {len(changed)} with a verdict changed", bold=True),
        "",
    ]
    width = max(len(r) for r in [*roles, "total"])
    lines.append(f"  {'role'.ljust(width)}  files  verdicts changed")
    total = 0
    for role in roles:
        in_files = sum(1 for f in loaded if (f.counts or {}).get(role))
        count = sum((f.counts or {}).get(role, 0) for f in loaded)
        total += count
        lines.append(f"  {role.ljust(width)}  {in_files:>5}  {count:>16}")
    lines.append(f"  {'total'.ljust(width)}  {len(changed):>5}  {total:>16}")
    return "\n".join(lines)
