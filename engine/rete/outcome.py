"""What the engine decided for one subject, and what is judged per subject.

The runtime produces outcomes and the memo stores them; both read them here.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..rulebook.conditions import Scope
from .compiler import Ref


class Outcome:
    """What the engine decided for one subject, and the node values behind it.

    `values` and `observed` are keyed by (node, link): the link says whose fact
    the node was about, relative to the subject (itself, its area, the scenario).
    `derived` keeps what reports compute from an outcome (its reasons), so a
    memoised outcome is turned into words once; it is not part of equality.
    """

    __slots__ = ("status", "values", "observed", "derived")

    def __init__(self, status: str, values: dict[tuple[str, str], bool], observed: dict[tuple[str, str], Any]) -> None:
        self.status = status  # roles: applies | blocked | not_triggered; notices: shown | hidden
        self.values = values
        self.observed = observed
        self.derived: dict[Any, Any] = {}

    def value(self, ref: Ref) -> bool:
        return self.values[(ref.node, ref.link)]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Outcome):
            return NotImplemented
        return (self.status, self.values, self.observed) == (other.status, other.values, other.observed)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Outcome({self.status!r}, {len(self.values)} node values)"


class Unit(NamedTuple):
    """Something judged per subject: a role's verdict or a notice's showing."""

    name: str  # role id or notice id
    ruleset: str
    scope: Scope
    reach: tuple[tuple[str, str], ...]  # (node, link) pairs whose values explain it
    reads: tuple[tuple[str, str], ...]  # (link, prop) pairs its rules read
    leaves: frozenset[tuple[str, str]]  # the pairs of `reach` that are comparisons
