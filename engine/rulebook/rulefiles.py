"""The rule files' structure as pydantic models: unknown keys rejected, with positions for every error.

Only loading a rulebook from its YAML files needs these; a compiled rulebook
read from the cache does not.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..scenario.vocab import Request

Id = Field(pattern=r"^[a-z0-9_]+$", min_length=1, max_length=64)
DietApproval = Literal["none", "prior_or_after", "prior"]
SourceKind = Literal[
    "statute", "statute_outside_pack", "guidelines", "government_answer", "cabinet_decision", "white_paper"
]


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class SourcesFile(_File):
    rulebook: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")
    title: str = Field(min_length=1)
    description: str | None = None
    in_force: datetime.date | None = Field(None, strict=False)
    extends: str | None = Field(None, pattern=r"^[A-Za-z0-9_.-]+$")  # the id of the rulebook this one extends
    # The order roles are reported in; a role file it does not list comes after these, by name.
    roles: list[str] = Field(default_factory=list)
    # The inherited items as this rulebook last reviewed them: item key -> fingerprint (see inherited.py).
    acknowledged: dict[str, str] = Field(default_factory=dict)
    sources: dict[str, str] = Field(min_length=1)
    # What each source is, so a reader sees which rules stand on statute and which on interpretation.
    source_kinds: dict[str, SourceKind] = Field(default_factory=dict)


class InForceSpec(_File):
    """The day the law a rule rests on came into force: before it, the rule does not hold."""

    date: datetime.date = Field(strict=False)
    law: str = Field(min_length=1)
    basis: list[str] = Field(min_length=1)  # where the day comes from
    # when no source in the pack confirms the day: how the day was reached, shown with it
    date_note: str | None = Field(None, min_length=1)


class ConceptSpec(_File):
    id: str = Id
    scope: Literal["scenario", "area"]
    title: str = Field(min_length=1)
    text: str = Field(min_length=1)
    unmet: str | None = None
    when: Any
    basis: list[str] = Field(min_length=1)
    note: str | None = None


class ConceptsFile(_File):
    concepts: list[ConceptSpec] = Field(min_length=1)


class SubjectSpec(_File):
    kind: Literal["events", "areas", "requests", "scenario"]
    types: list[Literal["mines", "persons_in_distress", "sanctions_shipping", "refugee_flow", "evacuation"]] = Field(
        default_factory=list
    )
    items: list[Request] = Field(default_factory=list)
    missing: str = Field(min_length=1)


class NamedSpec(_File):
    id: str = Id
    text: str = Field(min_length=1)
    unmet: str | None = None
    when: Any
    basis: list[str] = Field(default_factory=list)


class LimitSpec(_File):
    id: str = Id
    reason: str = Field(min_length=1)
    when: Any
    basis: list[str] = Field(min_length=1)
    interpretation: str | None = None
    in_force: InForceSpec | None = None


class ConstraintSpec(_File):
    text: str = Field(min_length=1)
    basis: list[str] = Field(min_length=1)
    when: Any = None


class ProcedureSpec(_File):
    decision: str = Field(min_length=1)
    diet_approval: DietApproval
    steps: list[str] = Field(default_factory=list)
    basis: list[str] = Field(min_length=1)


class VariantSpec(ProcedureSpec):
    """One of a ground's procedures: the first whose `when` holds is used; the last has no `when`."""

    when: Any = None


class GroundSpec(_File):
    id: str = Id
    title: str = Field(min_length=1)
    text: str = Field(min_length=1)
    unmet: str | None = None
    when: Any = None
    basis: list[str] = Field(min_length=1)
    interpretation: str | None = None
    in_force: InForceSpec | None = None
    # One procedure (a mapping) or variants (a list); checked by the loader, which locates every error.
    procedure: Any = None
    constraints: list[ConstraintSpec] = Field(default_factory=list)


class NoteSpec(_File):
    text: str = Field(min_length=1)
    basis: list[str] = Field(default_factory=list)


class RoleFile(_File):
    role: str = Id
    title: str = Field(min_length=1)
    seed: str = Field(min_length=1)
    beyond_seed: bool = False
    summary: str | None = None
    basis: list[str] = Field(min_length=1)
    subject: SubjectSpec
    triggers: list[NamedSpec] = Field(min_length=1)
    grounds: list[GroundSpec] = Field(min_length=1)
    limits: list[LimitSpec] = Field(default_factory=list)
    constraints: list[ConstraintSpec] = Field(default_factory=list)
    procedure: ProcedureSpec | None = None
    in_force: InForceSpec | None = None  # for every ground that does not give its own
    notes: list[NoteSpec] = Field(default_factory=list)


class NoticeSpec(_File):
    id: str = Id
    subject: Literal["scenario", "areas"] = "scenario"
    when: Any = None
    text: str = Field(min_length=1)
    basis: list[str] = Field(default_factory=list)


class NoticesFile(_File):
    notices: list[NoticeSpec] = Field(default_factory=list)
