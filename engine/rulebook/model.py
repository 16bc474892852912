"""The loaded rulebook: plain frozen data, checked when it loaded, that the compiler turns into rulesets."""

from __future__ import annotations

from typing import NamedTuple

from . import conditions as cond

DIET_TEXT = {
    "none": "No Diet approval is needed.",
    "prior_or_after": "Prior Diet approval is needed; in an emergency, approval after the fact.",
    "prior": "Prior Diet approval is needed, without exception.",
}
DIET_RANK = {"none": 0, "prior_or_after": 1, "prior": 2}  # strictest last
BEYOND_SEED = "beyond the newsletter's list"  # how a role not among the newsletter's six is marked


class Named(NamedTuple):
    """A trigger, ground's `when`, limit or concept: a formula with what it means and where it comes from."""

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
        """Whether the role is reported area by area (requests have a place, but are reported one by one)."""
        return self.kind != "requests" and self.scope.has_area()


class Procedure(NamedTuple):
    decision: str
    diet_approval: str
    steps: tuple[str, ...]
    basis: tuple[str, ...]

    def lines(self) -> list[str]:
        return [self.decision, DIET_TEXT[self.diet_approval], *self.steps]


class Variant(NamedTuple):
    """One procedure of a ground: used when its `when` holds (no `when`: otherwise)."""

    procedure: Procedure
    when: Named | None = None


class Constraint(NamedTuple):
    """What binds an activity that applies: shown when the case applies and its `when` (if any) holds."""

    text: str
    basis: tuple[str, ...]
    when: Named | None = None


class Ground(NamedTuple):
    """One legal ground a role may apply on: when it holds (no `when`: whenever triggered), and how it is decided."""

    id: str
    title: str
    text: str
    basis: tuple[str, ...]
    when: Named | None
    variants: tuple[Variant, ...]
    constraints: tuple[Constraint, ...] = ()
    unmet: str | None = None
    interpretation: str | None = None
    file: str = ""
    line: int | None = None
    in_force: tuple[str, str] | None = None  # (the law it rests on, the ISO day that law came into force)


class Role(NamedTuple):
    id: str
    title: str
    seed: str
    summary: str | None
    basis: tuple[str, ...]
    subject: Subject
    triggers: tuple[Named, ...]
    limits: tuple[Named, ...]
    constraints: tuple[Constraint, ...]
    grounds: tuple[Ground, ...]
    notes: tuple[tuple[str, tuple[str, ...]], ...]
    file: str
    beyond_seed: bool = False

    def procedures(self) -> list[tuple[Ground, Procedure]]:
        """Every procedure of every ground, in file order: how the role would be decided."""
        return [(ground, variant.procedure) for ground in self.grounds for variant in ground.variants]


class Notice(NamedTuple):
    id: str
    subject: str  # scenario | areas
    named: Named | None  # None: always shown
    text: str
    basis: tuple[str, ...]


class Beyond(NamedTuple):
    """A measure another law governs, shown when the facts make it relevant (beyond.py); it decides no verdict."""

    id: str
    measure: str
    provision: str  # the law and article that govern it, in words
    scope: cond.Scope  # what `named` is read for: the scenario, each area, event or request
    named: Named  # its condition; `text` says why it is relevant, `basis` what it rests on


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
    in_force: str | None = None  # ISO date from which scenarios default to this rulebook
    extends: str | None = None  # the id of the rulebook this one extends (its files, merged by id)
    bases: tuple[str, ...] = ()  # the directories of the rulebooks it extends, the furthest first
    source_kinds: dict[str, str] = {}  # source tag -> statute, guidelines, government_answer... (rulebook.yaml)
    beyond: tuple[Beyond, ...] = ()  # measures beyond the roles (beyond.yaml)

    def laws(self) -> list[tuple[str, str]]:
        """Every (law, ISO day it came into force) a ground of the rulebook rests on, the earliest first."""
        found = {g.in_force for r in self.roles for g in r.grounds if g.in_force}
        return sorted(found, key=lambda law: (law[1], law[0]))

    def role(self, role_id: str) -> Role:
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(role_id)
