"""What the engine decided for one subject, and what is judged per subject.

The runtime produces outcomes and the memo stores them; both read them here.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..rulebook.conditions import Scope
from .network import Ref


class Outcome:
    """What the engine decided for one subject, and the node values behind it.

    `values` and `observed` are keyed by (node, link): the link says whose fact
    the node was about, relative to the subject (itself, its area, the area
    adjacent to that, the scenario); a node behind a link that leads nowhere
    (no adjacent area) has no value. `folds` says, for each `some_event` node,
    which events of the folded area (by position among that area's events)
    satisfied its condition. `derived` keeps what reports compute from an
    outcome (its reasons), so a memoised outcome is turned into words once; it
    is not part of equality.
    """

    __slots__ = ("status", "values", "observed", "folds", "derived")

    def __init__(
        self,
        status: str,
        values: dict[tuple[str, str], bool],
        observed: dict[tuple[str, str], Any],
        folds: dict[tuple[str, str], tuple[int, ...]] | None = None,
    ) -> None:
        self.status = status  # roles: applies | blocked | not_triggered; notices: shown | hidden
        self.values = values
        self.observed = observed
        self.folds = folds or {}
        self.derived: dict[Any, Any] = {}

    def value(self, ref: Ref) -> bool:
        return self.values[(ref.node, ref.link)]

    def has(self, ref: Ref) -> bool:
        """Whether the node has a value for this subject (not when its link leads nowhere)."""
        return (ref.node, ref.link) in self.values

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Outcome):
            return NotImplemented
        return (self.status, self.values, self.observed, self.folds) == (
            other.status,
            other.values,
            other.observed,
            other.folds,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Outcome({self.status!r}, {len(self.values)} node values)"


class Fold(NamedTuple):
    """A `some_event` node a unit reaches: the node and its link, and its condition's node as seen from each event."""

    node: str
    link: str
    inner: str
    inner_link: str


class Unit(NamedTuple):
    """Something judged per subject: a role's verdict or a notice's showing."""

    name: str  # role id or notice id
    ruleset: str
    scope: Scope
    reach: tuple[tuple[str, str], ...]  # (node, link) pairs whose values explain it
    reads: tuple[tuple[str, str], ...]  # (link, prop) pairs its rules read
    leaves: frozenset[tuple[str, str]]  # the pairs of `reach` that are comparisons
    folds: tuple[Fold, ...] = ()  # the `some_event` nodes in reach
    fold_reads: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (link of a folded area, props read of its events)
    adjacent: bool = False  # whether it matters if there is an adjacent area
    local: bool = False  # whether it reads only the subject's own fields and the scenario's
