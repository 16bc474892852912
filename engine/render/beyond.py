"""The report's "Beyond these roles" section: measures other laws govern, as text, Markdown and HTML.

Each measure is named with its provision and why the scenario's facts make it
relevant (engine/report/beyond.py); the section opens by saying that none of
them changes a verdict and that none is evaluated in depth.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..report.beyond import NOT_IN_DEPTH, BeyondEntry
from ..util.text import wrap
from .legend import Citations

HEADING = "Beyond these roles"


def entries_of(report: Any) -> list[BeyondEntry]:
    """The measures of a phase's report, or of a file's report (its last phase's, as its notices)."""
    return getattr(report, "last", report).beyond


def text_lines(report: Any, width: int, cites: Citations, heading: Callable[[str], str] = str) -> list[str]:
    """The section as text within `width` (none when no measure is relevant); `heading` styles its title."""
    entries = entries_of(report)
    if not entries:
        return []
    lines = ["", heading(HEADING)]
    lines.extend("  " + line for line in wrap(NOT_IN_DEPTH, width - 2))
    for entry in entries:
        first = wrap(f"{entry.measure} ({entry.provision})", width - 4)
        lines.append("  - " + first[0])
        lines.extend("    " + line for line in first[1:])
        lines.extend("    " + line for line in wrap(entry.because + cites.text(entry.basis), width - 4))
    return lines


def markdown_lines(report: Any, escape: Callable[[str], str], cite: Callable[[Any], str]) -> list[str]:
    """The section in Markdown: `escape` escapes text, `cite` gives the citation after it."""
    entries = entries_of(report)
    if not entries:
        return []
    lines = ["", f"### {HEADING}", "", escape(NOT_IN_DEPTH), ""]
    lines.extend(
        f"- **{escape(e.measure)}** ({escape(e.provision)}): {escape(e.because)}{cite(e.basis)}" for e in entries
    )
    return lines


def html_view(report: Any, cites: Citations) -> dict[str, Any] | None:
    """What the HTML template shows (templates/beyond.html.j2), or None when no measure is relevant."""
    entries = entries_of(report)
    if not entries:
        return None
    return {
        "heading": HEADING,
        "intro": NOT_IN_DEPTH,
        "entries": [
            {
                "measure": e.measure,
                "provision": e.provision,
                "because": e.because,
                "basis": [{"provision": p, "title": cites.title(p)} for p in cites.note(e.basis)],
            }
            for e in entries
        ],
    }
