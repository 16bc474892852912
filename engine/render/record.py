"""The record beside the verdicts, and the scenario's own sources, in every format for people.

A scenario drawn from a real case lists its sources and, phase by phase, what
the record says Japan did (see `engine.report.record`). Text and table reports
gain a section "Verdicts and the record": per phase, each role the record
speaks of, the rulebook's verdict and the record's side by side, whether they
agree, what happened with its sources, and why they differ where they do;
then the scenario's sources with their addresses. Markdown, CSV and HTML carry
the same. A batch ends with one line per file (`summary_lines`).
"""

from __future__ import annotations

from typing import Any

from ..report.model import PhaseReport, Report
from ..report.record import AGREES, DIFFERS, SILENT, RecordLine, has_record, sources_of, summary
from ..util.markdown import code
from ..util.text import Style, ljust, plain, width_of, wrap
from .legend import STATUS_WORDS

MARKS = {AGREES: "= agrees", DIFFERS: "≠ differs", SILENT: "  silent"}
ASCII_MARKS = {AGREES: "= agrees", DIFFERS: "! differs", SILENT: "  silent"}
COLUMN = 20  # the role's title


def _status(status: str | None) -> str:
    return STATUS_WORDS[status] if status else "not said"


def counts_text(report: Report) -> str:
    """`2 agree, 1 differs, 4 silent`: the verdicts of every phase against the record."""
    counts = summary(report)
    agree = counts[AGREES]
    differ = counts[DIFFERS]
    return f"{agree} {'agrees' if agree == 1 else 'agree'}, {differ} {'differs' if differ == 1 else 'differ'}, " + (
        f"{counts[SILENT]} silent"
    )


def record_lines(report: Report, width: int, style: Style = plain, unicode: bool = True) -> list[str]:
    """The section of a text or table report: each phase's record beside its verdicts, then the sources."""
    lines: list[str] = []
    if has_record(report):
        lines += ["", style("Verdicts and the record", bold=True)]
        lines += wrap(f"{counts_text(report)} (each role of each phase is one verdict)", width)
        marks = MARKS if unicode else ASCII_MARKS
        for phase in report.phases:
            lines += _phase_lines(report, phase, width, style, marks)
    lines += _source_lines(sources_of(report), width, style)
    return lines


def _phase_lines(report: Report, phase: PhaseReport, width: int, style: Style, marks: dict[str, str]) -> list[str]:
    record = phase.record
    if record is None or not record.lines:
        return []
    lines = [""]
    if phase.phase is not None:
        when = f", {phase.date}" if phase.date else ""
        lines += [style(line, bold=True) for line in wrap(f"Phase {phase.phase}{when}", width)]
    lines.append(style(f"  {ljust('role', COLUMN)}{ljust('verdict', 16)}record", dim=True))
    for line in record.lines:
        title = phase.roles[line.role].role.title
        mark = marks[line.agreement]
        mark += " (areas)" if line.agreement == DIFFERS and line.status == line.verdict else ""
        mark = style(mark, fg="red") if line.agreement == DIFFERS else mark
        row = f"  {ljust(title, COLUMN)}{ljust(_status(line.verdict), 16)}{ljust(_status(line.status), 16)}"
        lines.append(row + mark)
        lines += _details(line, phase, width)
    return lines


def _details(line: RecordLine, phase: PhaseReport, width: int) -> list[str]:
    out = []
    for area, said, verdict in line.areas:
        name = phase.area_names.get(area, area)
        out += _indented(f"{name}: {_status(verdict)}; record: {_status(said)}", width)
    out += _indented(f"{line.what} [{', '.join(line.source)}]", width)
    if line.note:
        out += _indented(f"Why they differ: {line.note}" if line.agreement == DIFFERS else line.note, width)
    return out


def _indented(text: str, width: int) -> list[str]:
    body = wrap(text, width - 6)
    return ["    - " + body[0]] + ["      " + rest for rest in body[1:]]


def _source_lines(sources: list[dict[str, Any]], width: int, style: Style) -> list[str]:
    if not sources:
        return []
    lines = ["", style("Sources of the scenario", bold=True)]
    tag = max(len(source["id"]) for source in sources)
    for source in sources:
        body = wrap(source["cite"], width - tag - 4)
        lines.append(f"  {ljust(source['id'], tag)}  {body[0]}")
        lines += [" " * (tag + 4) + rest for rest in body[1:]]
        url = source.get("url") or ""
        room = max(width - tag - 4, 20)
        # cut where the width ends, not at a hyphen or slash, so the pieces join back into the address
        lines += [" " * (tag + 4) + url[i : i + room] for i in range(0, len(url), room)]
    return lines


def record_counts(source: str, report: Report) -> tuple[str, str] | None:
    """(file, `2 agree, 1 differs, 4 silent`) for a batch's summary; None for a file without a record."""
    return (source, counts_text(report)) if has_record(report) else None


def summary_lines(rows: list[tuple[str, str]], fmt: str, width: int, style: Style = plain) -> list[str]:
    """The end of a batch in a format for people: one line per file with a record, how its verdicts meet it."""
    if not rows:
        return []
    if fmt == "markdown":
        return ["## Verdicts against the record", "", *(f"- {code(source)}: {counts}" for source, counts in rows)]
    lines = [style("Verdicts against the record", bold=True)]
    column = max(width_of(source) for source, _ in rows)
    for source, counts in rows:
        if column + width_of(counts) + 4 <= width:
            lines.append(f"  {ljust(source, column)}  {counts}")
        else:
            lines += [f"  {source}", f"      {counts}"]
    return lines


def record_markdown(report: Report, cell: Any) -> list[str]:
    """The Markdown of the record: per phase a table of role, verdict, record, agreement and what happened;
    then the sources as links. `cell` escapes text for a table cell."""
    lines: list[str] = []
    if has_record(report):
        lines += ["", "## Verdicts and the record", "", counts_text(report) + "."]
        for phase in report.phases:
            if phase.record is None or not phase.record.lines:
                continue
            if phase.phase is not None:
                lines += ["", f"### Phase {cell(phase.phase)}" + (f", {phase.date}" if phase.date else "")]
            lines += [
                "",
                "| role | verdict | record | | what happened | why they differ |",
                "|---|---|---|---|---|---|",
            ]
            for line in phase.record.lines:
                what = f"{line.what} [{', '.join(line.source)}]"
                note = line.note if line.note and line.agreement == DIFFERS else ""
                lines.append(
                    f"| {cell(phase.roles[line.role].role.title)} | {_status(line.verdict)} | {_status(line.status)}"
                    f" | {line.agreement} | {cell(what)} | {cell(note)} |"
                )
    sources = sources_of(report)
    if sources:
        lines += ["", "## Sources of the scenario", ""]
        for source in sources:
            url = str(source.get("url") or "")
            for char, code_point in (("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
                url = url.replace(char, code_point)  # so the address cannot end the link early
            text = f"[{cell(source['cite'])}](<{url}>)" if url else cell(source["cite"])
            lines.append(f"- **{cell(source['id'])}**: {text}")
    return lines


def record_rows(report: Report, common: dict[str, Any]) -> list[dict[str, Any]]:
    """CSV rows (kind `record`, then kind `source`) under the report's columns: a record row's `status` is the
    record's, `role_status` the verdict, `ground` the agreement, `case` what happened, `basis` its sources."""
    rows = []
    blank = {"area": "", "force": "", "item": "", "reasons": ""}
    for phase in report.phases:
        for line in phase.record.lines if phase.record is not None else ():
            head = common | {"date": phase.date or "", "phase": phase.phase or "", "rulebook": phase.rulebook}
            rows.append(head | blank | {
                "role": line.role, "role_title": phase.roles[line.role].role.title, "role_status": line.verdict,
                "kind": "record", "case": line.what, "status": line.status or "", "ground": line.agreement,
                "reasons": line.note or "", "basis": "; ".join(line.source),
            })  # fmt: skip
    for source in sources_of(report):
        rows.append(common | blank | {"date": "", "phase": "", "rulebook": "", "role": "", "role_title": "",
                                      "role_status": "", "kind": "source", "item": source["id"],
                                      "case": source["cite"], "status": "", "ground": "",
                                      "basis": source.get("url") or ""})  # fmt: skip
    return rows


def record_view(report: Report) -> dict[str, Any]:
    """What the HTML template shows of the record and the sources, as plain data (the template escapes it)."""
    phases = []
    for phase in report.phases:
        if phase.record is None or not phase.record.lines:
            continue
        heading = f"Phase {phase.phase}" + (f", {phase.date}" if phase.date else "") if phase.phase else ""
        rows = [
            {
                "role": phase.roles[line.role].role.title,
                "verdict": line.verdict,
                "verdict_word": _status(line.verdict),
                "status": line.status or "",
                "status_word": _status(line.status),
                "agreement": line.agreement,
                "what": f"{line.what} [{', '.join(line.source)}]",
                "why": (f"Why they differ: {line.note}" if line.agreement == DIFFERS else line.note) or "",
            }
            for line in phase.record.lines
        ]
        phases.append({"heading": heading, "rows": rows})
    counts = counts_text(report) if has_record(report) else ""
    return {"counts": counts, "phases": phases, "sources": sources_of(report)}
