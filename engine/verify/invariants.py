"""The rulebook's hard limits as data (`invariants.yaml`), and checking outcomes against them.

An invariant names roles, a status they must never take, and a condition (in
the rule language) saying for which cases. Checking reads the engine's
outcomes; the invariant's own condition is evaluated here, in plain Python, so
that a broken rule cannot also break the check that is meant to catch it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import Problem, RulebookError, suggest
from ..rete.runtime import Facts
from ..rulebook import conditions as cond
from ..rulebook.describe import words
from ..rulebook.extend import lists_of, read_merged
from ..rulebook.model import Rulebook
from ..scenario.located import problem_at, validation_problems, walk_model
from ..scenario.yamlload import MAX_BYTES
from ..util.files import read_regular

Status = Literal["applies", "blocked", "not_triggered"]


class InvariantSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    text: str = Field(min_length=1)
    roles: Literal["all"] | list[str] = Field(min_length=1)
    never: Status | list[Status]
    when: Any = None
    basis: list[str] = Field(min_length=1)


class InvariantsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    invariants: list[InvariantSpec] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Invariant:
    """A hard limit: for these roles, cases where `when` holds never take a status in `never`."""

    id: str
    text: str
    basis: tuple[str, ...]
    never: tuple[str, ...]
    when: dict[str, cond.Formula | None]  # role id -> its condition, parsed in the role's scope
    file: str
    line: int | None

    def describe_when(self, role_id: str) -> str:
        formula = self.when[role_id]
        return words(formula) if formula is not None else "always"


# A check every rulebook gets, beside its own invariants: the report contract
# promises that every blocked entry names the limit that blocks it.
BLOCKED_NAMES_A_LIMIT = "blocked_names_a_limit"
# Another: a ground that rests on a law (its `in_force`) never holds on a day before that law came into force.
GROUND_BEFORE_IN_FORCE = "no_ground_before_in_force"


def load_invariants(rulebook: Rulebook) -> list[Invariant]:
    """The invariants of a rulebook (its `invariants.yaml`, merged with those of the rulebooks it extends; none
    if no file has them), checked against its roles."""
    directories = [*rulebook.bases, rulebook.directory]
    if not any((Path(d) / "invariants.yaml").is_file() for d in directories):
        return []
    shown = str(Path(rulebook.directory) / "invariants.yaml")
    problems: list[Problem] = []
    chain_files = [(d, _only(d, "invariants.yaml")) for d in directories]
    document = read_merged(chain_files, "invariants.yaml", lists_of("invariants.yaml"), problems)
    if document is None or problems:
        raise RulebookError(shown, problems)
    try:
        spec = InvariantsFile.model_validate(document.data)
    except ValidationError as exc:
        problems = validation_problems(exc, document, lambda loc: walk_model(InvariantsFile, loc))
        raise RulebookError(shown, problems) from None
    concept_scopes = {cid: c.scope for cid, c in rulebook.concepts.items()}
    role_ids = [role.id for role in rulebook.roles]
    parser = cond.Parser(document, concept_scopes)
    problems: list[Problem] = []
    invariants = []
    seen: set[str] = set()
    for i, item in enumerate(spec.invariants):
        loc = ("invariants", i)
        if item.id in seen:
            problems.append(problem_at(document, loc + ("id",), f"duplicate invariant id {item.id!r}"))
        seen.add(item.id)
        roles = list(role_ids) if item.roles == "all" else item.roles
        for j, role_id in enumerate(roles):
            if role_id not in role_ids:
                problems.append(
                    problem_at(document, loc + ("roles", j), f"unknown role {role_id!r}", suggest(role_id, role_ids))
                )
        for j, entry in enumerate(item.basis):
            tag = entry.split(" ", 1)[0]
            if tag not in rulebook.sources:
                message = f"provision {entry!r} cites unknown source {tag!r}"
                problems.append(problem_at(document, loc + ("basis", j), message, suggest(tag, rulebook.sources)))
        when: dict[str, cond.Formula | None] = {}
        for role_id in roles:
            if role_id not in role_ids:
                continue
            scope = rulebook.role(role_id).subject.scope
            when[role_id] = parser.parse(item.when, loc + ("when",), scope) if item.when is not None else None
        never = (item.never,) if isinstance(item.never, str) else tuple(item.never)
        path, position = document.where(loc)
        invariants.append(
            Invariant(item.id, item.text, tuple(item.basis), never, when, path, position[0] if position else None)
        )
    parser.check_nesting({cid: c.named.formula for cid, c in rulebook.concepts.items()})
    problems.extend(parser.problems)
    if problems:
        raise RulebookError(shown, problems)
    return invariants


def _only(directory: str, relative: str) -> dict[str, bytes | OSError]:
    """One file of a directory, as `util.files.read_tree` would give it (nothing when it has none)."""
    path = os.path.join(directory, relative)
    if not os.path.isfile(path):
        return {}
    try:
        return {relative: read_regular(path, MAX_BYTES + 1)}
    except OSError as exc:
        return {relative: exc}


class Bundle(NamedTuple):
    """What a case can read: the scenario's facts, and the fact of each scope it is about (None: it has none)."""

    facts: Facts
    scopes: dict[str, dict[str, Any] | None]

    def at(self, scope: str) -> dict[str, Any] | None:
        return self.scopes.get(scope)

    def area(self, key: str) -> dict[str, Any] | None:
        return next((a for a in (*self.facts.areas, *self.facts.places) if a["key"] == key), None)

    def about_area(self, area: dict[str, Any]) -> Bundle:
        """What a condition about `area` reads: that area and the scenario."""
        return Bundle(self.facts, {"scenario": self.facts.scenario, "area": area})


def holds(formula: cond.Formula | None, bundle: Bundle, rulebook: Rulebook) -> bool:
    """Whether a condition holds for a case, given the facts it can read, read here in plain Python.

    `adjacent:` reads the area the case's area names in `adjacent_to`;
    `some_event:` tries every event located in the case's area.
    """
    if formula is None:
        return True
    if isinstance(formula, cond.Compare):
        return formula.holds(bundle.at(formula.field.scope))
    if isinstance(formula, cond.ConceptRef):
        concept = rulebook.concepts[formula.concept]
        return holds(concept.named.formula, bundle, rulebook)
    if isinstance(formula, cond.Not):
        return not holds(formula.item, bundle, rulebook)
    if isinstance(formula, cond.AllOf):
        return all(holds(item, bundle, rulebook) for item in formula.items)
    if isinstance(formula, cond.AnyOf):
        return any(holds(item, bundle, rulebook) for item in formula.items)
    area = bundle.at("area")
    if area is None:
        return False
    if isinstance(formula, cond.Adjacent):
        adjacent = bundle.area(area["adjacent"])
        return adjacent is not None and holds(formula.item, bundle.about_area(adjacent), rulebook)
    here = [e for e in bundle.facts.events if e["area"] == area["key"]]
    return any(
        holds(formula.item, Bundle(bundle.facts, {**bundle.about_area(area).scopes, "event": e}), rulebook)
        for e in here
    )


def bundle_of(subject: dict[str, Any], facts: Facts) -> Bundle:
    """The facts a case can read: its own, its area's (for a request, inside Japan when it names none), the
    scenario's."""
    scopes: dict[str, dict[str, Any] | None] = {"scenario": facts.scenario, subject["t"]: subject}
    bundle = Bundle(facts, scopes)
    if subject["t"] == "area":
        scopes["area"] = subject
    elif subject["t"] in ("event", "request"):
        scopes["area"] = bundle.area(subject["area"])
    return bundle
