"""The loaded rulebook: plain frozen data, checked when it loaded, that the compiler turns into rulesets."""

from __future__ import annotations

from typing import NamedTuple

from . import conditions as cond

DIET_TEXT = {
    "none": "No Diet approval is needed.",
    "prior_or_after": "Prior Diet approval is needed; in an emergency, approval after the fact.",
    "prior": "Prior Diet approval is needed, without exception.",
}


class Named(NamedTuple):
    """A trigger, condition, limit or concept: a formula with what it means and where it comes from."""

    id: str
    text: str
    formula: cond.Formula
    basis: tuple[str, ...]
    unmet: str | None = None
    interpretation: str | None = None
    file: str = ""
    line: int | None = None


class Concept(NamedTuple):
    id: str
    scope: str
    title: str
    named: Named
    note: str | None = None


class Subject(NamedTuple):
    """What a role is evaluated for: each event of some types, each area, each request of some items, the scenario."""

    kind: str
    event_types: tuple[str, ...]
    missing: str
    items: tuple[str, ...] = ()

    @property
    def scope(self) -> cond.Scope:
        kind = {"events": "event", "areas": "area", "requests": "request", "scenario": "scenario"}[self.kind]
        return cond.Scope(kind, self.event_types, self.items)

    @property
    def per_area(self) -> bool:
        """Whether the role is reported area by area."""
        return self.scope.has_area()


class Procedure(NamedTuple):
    decision: str
    diet_approval: str
    steps: tuple[str, ...]
    basis: tuple[str, ...]

    def lines(self) -> list[str]:
        return [self.decision, DIET_TEXT[self.diet_approval], *self.steps]


class Role(NamedTuple):
    id: str
    title: str
    seed: str
    summary: str | None
    basis: tuple[str, ...]
    subject: Subject
    triggers: tuple[Named, ...]
    conditions: tuple[Named, ...]
    limits: tuple[Named, ...]
    constraints: tuple[tuple[str, tuple[str, ...]], ...]
    procedure: Procedure
    notes: tuple[tuple[str, tuple[str, ...]], ...]
    file: str


class Notice(NamedTuple):
    id: str
    subject: str  # scenario | areas
    named: Named | None  # None: always shown
    text: str
    basis: tuple[str, ...]


class Rulebook(NamedTuple):
    """A loaded, checked rulebook."""

    id: str
    title: str
    description: str | None
    sources: dict[str, str]
    concepts: dict[str, Concept]
    roles: tuple[Role, ...]
    notices: tuple[Notice, ...]
    directory: str
    digest: str

    def role(self, role_id: str) -> Role:
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(role_id)
