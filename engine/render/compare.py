"""A comparison in the formats of `evaluate`: the paired matrix as text, Markdown, CSV rows and an HTML page.

Every format shows the same two things: the matrix of the scenario with both
rulebooks' statuses in each cell (a cell whose verdict changed shows both marks,
`✗→✓`; one that did not shows its one mark), and the verdicts that changed,
with the reasons on each side. CSV gives each report's rows as `evaluate` does,
one row per scenario, rulebook, role and case, told apart by the `rulebook`
column.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, NamedTuple

from ..report.changes import Change, place, status_words
from ..report.compare import Comparison, Counted, headline
from ..report.model import Report
from ..util.markdown import code, escape
from ..util.text import Style, cite, ljust, plain, width_of, wrap
from . import grid as layout
from .changes import change_words, decided_words
from .compare_text import rulebook_words
from .csv import csv_rows, csv_text
from .grid import Column
from .html import environment, html_section
from .legend import COLOURS, STATUS_WORDS, legend_line, symbols
from .table import matrix, role_name


class PairedRow(NamedTuple):
    name: str
    before: str  # the role's status under the first rulebook
    after: str
    cells: dict[str, tuple[str | None, str | None]]  # column key -> (status before, status after)


def paired_matrix(comparison: Comparison, ids: bool = False) -> tuple[list[Column], list[PairedRow]]:
    """The scenario's matrix with both rulebooks' statuses in each cell (the same areas and requests on both
    sides: it is one scenario)."""
    first, second = matrix(comparison.first), matrix(comparison.second)
    columns = list(second.columns) + [c for c in first.columns if c.key not in {d.key for d in second.columns}]
    rows = []
    for old, new in zip(first.rows, second.rows, strict=True):
        keys = list(dict.fromkeys([*new.cells, *old.cells]))
        cells = {key: (old.cells.get(key), new.cells.get(key)) for key in keys}
        rows.append(PairedRow(role_name(new.role, ids), old.status, new.status, cells))
    return columns, rows


def _pair_mark(marks: dict[str, str], before: str | None, after: str | None) -> str:
    if before == after:
        return marks[after] if after else ""
    return f"{marks[before] if before else ' '}→{marks[after] if after else ' '}"


# ----------------------------------------------------------------------------
# Text: --format table


def render_compare_table(
    comparison: Comparison,
    *,
    width: int = 80,
    style: Style | None = None,
    unicode: bool = True,
    ids: bool = False,
    header: bool = True,
) -> str:
    """The comparison as a header and one matrix with both rulebooks side by side in each cell, within `width`;
    of a phased file, one matrix per phase where a verdict changed. `header`: open with the scenario's title,
    file, date and rulebooks."""
    paint = style or plain
    first, second = comparison.first, comparison.second
    lines = _compare_header(comparison, width, paint) if header else []
    lines.extend(wrap(headline(comparison), width))
    if second.phased:
        for one, other in zip(first.phases, second.phases, strict=True):
            found = [c for c in comparison.changes if c.phase == one.phase]
            heading = "  ".join(x for x in (other.date or "", other.phase or "", other.phase_name or "") if x)
            lines += ["", *(paint(line, bold=True) for line in wrap(heading, width))]
            if not found:
                lines.append("no verdict changed")
                continue
            sub = Comparison(comparison.source, Report.of(one), Report.of(other), found)
            lines.append(render_compare_table(sub, width=width, style=style, unicode=unicode, ids=ids, header=False))
        return "\n".join(lines)
    lines.append("")
    return "\n".join(lines + _paired_table_lines(comparison, width, paint, unicode, ids))


def _compare_header(comparison: Comparison, width: int, paint: Style) -> list[str]:
    """The scenario's title, its file and date (a phased file's: how many phases, and their dates), the rulebooks."""
    first, second = comparison.first, comparison.second
    lines = [paint(line, bold=True) for line in wrap(second.scenario, width)]
    if second.phased:
        dates = [p.date for p in second.phases if p.date]
        facts = [comparison.source, f"{len(second.phases)} phases"] + ([f"{dates[0]} to {dates[-1]}"] if dates else [])
    else:
        facts = [comparison.source] + ([second.date] if second.date else [])
    lines += [paint(line, dim=True) for line in wrap(" · ".join(facts), width)]
    lines += [paint(line, dim=True) for line in wrap(_rulebooks(first, second), width)]
    return lines


def _paired_table_lines(comparison: Comparison, width: int, paint: Style, unicode: bool, ids: bool) -> list[str]:
    """The paired matrix: per role, both rulebooks' marks overall, then a pair of marks in each column."""
    marks = symbols(unicode)
    arrow = "→" if unicode else ">"
    a, b = comparison.first.rulebook, comparison.second.rulebook
    columns, rows = paired_matrix(comparison, ids)
    role_width = min(28, max(width_of(r.name) for r in rows))
    side = max(width_of(a), width_of(b), 1)
    left = role_width + layout.GAP + side + layout.GAP + side + layout.GAP
    room = max(4, width - left)
    headers, numbered = layout.headers(columns, room)
    changed_column = [any(r.cells.get(c.key, (None, None))[0] != r.cells.get(c.key, (None, None))[1] for r in rows)
                      for c in columns]  # fmt: skip
    widths = [max(max((width_of(h) for h in head), default=1), 3 if wide else 1)
              for head, wide in zip(headers, changed_column, strict=True)]  # fmt: skip
    labels = [("role", role_width), (a, side), (b, side)]
    lines: list[str] = []
    for b_index, block in enumerate(layout.blocks(widths, room)):
        if b_index:
            lines.append("")
        lines += layout.header_rows(headers, block, widths, numbered, labels, paint)
        for row in rows:
            if b_index and not any(columns[c].key in row.cells for c in block):
                continue
            line = ljust(layout.shorten(row.name, role_width), role_width + layout.GAP)
            moved = row.before != row.after
            for status in (row.before, row.after):
                look = _look(status, moved)
                line += paint(marks[status], **look) + " " * (side - 1 + layout.GAP)
            cells = []
            for c in block:
                before, after = row.cells.get(columns[c].key, (None, None))
                text = _pair_mark(marks, before, after).replace("→", arrow)
                if not text:
                    cells.append(" " * widths[c])
                    continue
                pad = widths[c] - width_of(text)
                lead = pad if numbered else pad // 2
                look = _look(after or "not_triggered", before != after)
                cells.append(" " * lead + paint(text, **look) + " " * (pad - lead))
            lines.append((line + (" " * layout.GAP).join(cells)).rstrip())
    lines.extend(layout.key(columns, numbered, width))
    full = [r for r in rows if width_of(r.name) > role_width]
    for row in full:
        lines.extend(wrap(f"{layout.shorten(row.name, role_width)}: {row.name}", width))
    blank = "  (blank: not the role's area or request)" if columns else ""
    changed = f"{marks['blocked']}{arrow}{marks['applies']} changed from {a} to {b}"
    lines.extend(wrap(f"{legend_line(unicode)}  {changed}{blank}", width))
    return lines


def ground_title(report: Report, role_id: str, ground_id: str | None) -> str | None:
    """The title of a role's ground in `report`'s rulebook (its id if the rulebook has no such ground)."""
    if ground_id is None:
        return None
    for ground in report.roles[role_id].role.grounds:
        if ground.id == ground_id:
            return ground.title or ground_id
    return ground_id


def _look(status: str, changed: bool) -> dict[str, Any]:
    if changed:
        return {"fg": "yellow", "bold": True}
    colour = COLOURS[status]
    return {"fg": colour} if colour else {"dim": True}


def _rulebooks(first: Report, second: Report) -> str:
    return f"{rulebook_words(first)} · {rulebook_words(second)}"


# ----------------------------------------------------------------------------
# Markdown


def render_compare_markdown(
    comparison: Comparison, *, ids: bool = False, unicode: bool = True, cite_full: bool = False, level: int = 2
) -> str:
    """The comparison as Markdown: the paired matrix, then each verdict that changed with its reasons and basis
    (`cite_full`: each provision followed by its source's full title); of a phased file, that for each phase where
    a verdict changed. `level`: the level of the scenario's heading (a phase's is one below)."""
    first, second = comparison.first, comparison.second
    a, b = first.rulebook, second.rulebook
    marks = symbols(unicode)
    titles = {**first.sources, **second.sources} if cite_full else None
    lines = [f"{'#' * level} {escape(second.scenario)}", ""]
    phased = second.phased
    facts = [code(comparison.source)]
    if phased:
        dates = [p.date for p in second.phases if p.date]
        facts += [f"{len(second.phases)} phases"] + ([escape(f"{dates[0]} to {dates[-1]}")] if dates else [])
    elif second.date:
        facts.append(escape(second.date))
    lines.append(" · ".join(facts) + "  ")
    lines.append(escape(_rulebooks(first, second)) + "  ")
    lines.append(escape(headline(comparison)))
    if phased:
        for one, other in zip(first.phases, second.phases, strict=True):
            found = [c for c in comparison.changes if c.phase == one.phase]
            sub = render_compare_markdown(
                Comparison(comparison.source, Report.of(one), Report.of(other), found),
                ids=ids,
                unicode=unicode,
                cite_full=cite_full,
                level=level + 1,
            ).split("\n")
            heading = " · ".join(x for x in (other.date or "", other.phase or "", other.phase_name or "") if x)
            lines += ["", f"{'#' * (level + 1)} {escape(heading)}", ""]
            lines += ["no verdict changed"] if not found else sub[4:]  # its title and facts are the phase's heading
        return "\n".join(lines).rstrip("\n") + "\n"
    lines.append("")
    columns, rows = paired_matrix(comparison, ids)
    head = ["Role", escape(a), escape(b)] + [escape(c.label) for c in columns]
    lines += ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * len(head)) + "|"]
    for row in rows:
        cells = [escape(row.name)]
        for status in (row.before, row.after):
            word = f"{marks[status]} {STATUS_WORDS[status]}"
            cells.append(f"**{word}**" if row.before != row.after else word)
        for column in columns:
            before, after = row.cells.get(column.key, (None, None))
            text = _pair_mark(marks, before, after)
            cells.append(f"**{text}**" if before != after else text)
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", escape(f"{legend_line(unicode)}  {marks['blocked']}→{marks['applies']} changed from {a} to {b}")]
    names = {**first.area_names, **second.area_names}
    by_role: dict[str, list[Any]] = {}
    for change in comparison.changes:
        by_role.setdefault(change.role, []).append(change)
    if by_role:
        lines += ["", f"{'#' * (level + 1)} What changed"]
    for role_id, role_changes in by_role.items():
        lines += ["", f"{'#' * (level + 2)} {escape(role_name(second.roles[role_id], ids))}", ""]
        for change in role_changes:
            where = "overall" if change.is_roll_up else place(change, names)
            before = status_words(change.before.status if change.before else None)
            after = status_words(change.after.status if change.after else None)
            kind = change_kind_view(change)
            more = f", {kind['kind_words']}" if kind["kind_words"] else ""
            lines.append(f"- **{escape(where)}**: {before} in {escape(a)}, {after} in {escape(b)}{more}")
            decided = (kind["was_decided"], kind["decided"])
            for i, (rulebook, side, report) in enumerate(((a, change.before, first), (b, change.after, second))):
                if side is None or change.is_roll_up:
                    continue
                if side.status == "applies":
                    title = ground_title(report, change.role, side.ground)
                    text = (f"applies on {title}" if title else "applies") + (f"; {decided[i]}" if decided[i] else "")
                    lines.append(f"  - {escape(rulebook)}: {escape(text + cite(side.basis, titles))}")
                    continue
                for reason in side.reasons:
                    lines.append(f"  - {escape(rulebook)}: {escape(reason)}")
                if side.basis:
                    lines.append(f"    {escape(cite(side.basis, titles).strip())}")
    return "\n".join(lines) + "\n"


def summary_markdown(files: Iterable[Counted], roles: Iterable[str], first: str, second: str) -> str:
    """The summary table of a compared directory, in Markdown."""
    loaded = [f for f in files if f.counts is not None]
    changed = [f for f in loaded if f.counts]
    lines = [
        f"## {escape(first)} and {escape(second)} compared",
        "",
        f"{len(loaded)} files, {len(changed)} with a verdict changed.",
        "",
        "| Role | Files | Verdicts changed |",
        "|---|---:|---:|",
    ]
    total = 0
    for role in roles:
        count = sum((f.counts or {}).get(role, 0) for f in loaded)
        total += count
        lines.append(f"| {role} | {sum(1 for f in loaded if (f.counts or {}).get(role))} | {count} |")
    lines.append(f"| total | {len(changed)} | {total} |")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------
# CSV


def compare_csv(comparison: Comparison, *, raw: bool = False) -> str:
    """The rows of both reports, as `evaluate --format csv` gives each (the `rulebook` column tells them apart),
    without the header; `raw`: cells not guarded against formulas (see `report.csv`)."""
    return csv_text([*csv_rows(comparison.first), *csv_rows(comparison.second)], header=False, raw=raw)


# ----------------------------------------------------------------------------
# HTML


def change_kind_view(change: Change) -> dict[str, str]:
    """What a change of ground or procedure adds to its row: its kind, in words (`other ground`), and, where the
    procedure changed, the Diet's approval on each side where it applies."""
    kind = change.kind
    out = {"kind": kind, "kind_words": "", "was_decided": "", "decided": ""}
    if kind != "status":
        out["kind_words"] = change_words(change).split(", ", 1)[1]
    if "procedure" in change.differs:
        old, new = (side.procedure if side else None for side in (change.before, change.after))
        out["was_decided"] = decided_words(old, True) if old is not None else ""
        out["decided"] = decided_words(new, True) if new is not None else ""
    return out


def compare_html_section(comparison: Comparison, *, ids: bool = False) -> str:
    """One compared scenario as an HTML section: what changed, then the two reports side by side (their role
    anchors made unique on a page of many files by a digest of the source)."""

    first, second = comparison.first, comparison.second
    names = {**first.area_names, **second.area_names}
    changes = [
        {
            "phase": c.phase or "",
            "role": role_name(second.roles[c.role], ids),
            "where": "overall" if c.is_roll_up else place(c, names),
            "before": c.before.status if c.before else "",
            "after": c.after.status if c.after else "",
            "before_word": status_words(c.before.status if c.before else None),
            "after_word": status_words(c.after.status if c.after else None),
            "was": list(c.before.reasons) if c.before and c.before.status != "applies" else [],
            "because": list(c.after.reasons) if c.after and c.after.status != "applies" else [],
            "was_ground": ground_title(first, c.role, c.before.ground) if c.before else None,
            "ground": ground_title(second, c.role, c.after.ground) if c.after else None,
            **change_kind_view(c),
        }
        for c in comparison.changes
    ]
    dates = [p.date for p in second.phases if p.date] if second.phased else []
    view = {
        "scenario": second.scenario,
        "source": comparison.source,
        "date": f"{len(second.phases)} phases, {dates[0]} to {dates[-1]}" if dates else second.date,
        "phased": second.phased,
        "rulebooks": _rulebooks(first, second),
        "headline": headline(comparison),
        "first": first.rulebook,
        "second": second.rulebook,
        "changes": changes,
    }
    # markupsafe comes with jinja2: only an HTML page loads it
    from markupsafe import Markup

    key = hashlib.sha256(comparison.source.encode("utf-8", "replace")).hexdigest()[:8]
    view["reports"] = [Markup(html_section(r, ids=ids, anchor=f"c{key}-{r.rulebook}-")) for r in (first, second)]
    return str(environment().get_template("compare.html.j2").render(compared=view))
