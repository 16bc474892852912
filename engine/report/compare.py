"""One scenario under two rulebooks, side by side: what `guidelines compare` prints.

`Comparison` holds the two reports and the verdicts that differ between them
(`changes.changes`: every verdict that differs, roll-ups included, nothing
else). Its JSON is the contract's `{"source", "reports": {...}, "changes":
[...]}`. The text puts, for each role, the two statuses side by side: what
changed is marked, with the reasons and basis on each side (which limit
disappeared, which ground appeared); what stayed the same is one compact line.
A phased file is compared phase by phase (each change names its phase), and
its text shows each phase where a verdict changed. Over many files,
`render_summary` counts the verdicts that changed per role.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .changes import Change, changes
from .model import Report


class Comparison(NamedTuple):
    """A scenario's reports under two rulebooks (first, second), and the verdicts that differ."""

    source: str
    first: Report
    second: Report
    changes: list[Change]

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "reports": {self.first.rulebook: self.first.as_dict(), self.second.rulebook: self.second.as_dict()},
            "changes": [change.as_dict() for change in self.changes],
        }

    def counts(self) -> dict[str, int]:
        """How many verdicts changed status in each role (roll-ups included), roles without a change left out."""
        out: dict[str, int] = {}
        for change in self.changes:
            if change.kind == "status":
                out[change.role] = out.get(change.role, 0) + 1
        return out


def compare(first: Report, second: Report) -> Comparison:
    """The two reports of one scenario, and every verdict that differs from the first to the second: in a phased
    file, phase by phase (each change names its phase)."""
    found = [
        change
        for one, other in zip(first.phases, second.phases, strict=True)
        for change in changes(one, other, phase=one.phase if first.phased else None)
    ]
    return Comparison(first.source, first, second, found)


def headline(comparison: Comparison) -> str:
    """`3 verdicts changed, in 1 of 7 roles`, or `no verdict changed`; then how many kept their status but changed
    their ground or procedure, if any (`; 2 changed ground or procedure only`)."""
    counts = comparison.counts()
    others = sum(1 for change in comparison.changes if change.kind != "status")
    more = f"; {others} changed ground or procedure only" if others else ""
    if not counts:
        return "no verdict changed" + more
    total, roles = sum(counts.values()), len(comparison.second.roles)
    return f"{total} verdict{'s' if total != 1 else ''} changed, in {len(counts)} of {roles} roles" + more


# ----------------------------------------------------------------------------
# Many files


class Counted(NamedTuple):
    """One file of a compared directory: its source, and how many verdicts changed per role (None: it did not
    load)."""

    source: str
    counts: dict[str, int] | None
