"""The scenario file as pydantic models: exactly the contract, unknown keys rejected.

Field descriptions double as editor hover help (they end up in the JSON Schema).
"""

from __future__ import annotations

import copy
import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag, create_model, model_validator

from .record import Record, Sources
from .vocab import (
    AreaKind,
    Ceasefire,
    Combat,
    Conflict,
    MineStatus,
    Request,
    Status,
    Toward,
    Vessels,
    Who,
)

AreaId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9_]+$", min_length=1, max_length=64),
    Field(description="Area id: lowercase letters, digits and underscores, unique within the file."),
]

# Limits of one scenario file, far above any real situation; each has its own message.
MAX_AREAS = 200
MAX_EVENTS = 1000
MAX_REQUESTS = 100  # per force
MAX_PHASES = 100

# The roles and rulebooks an `expect:` names are those of the rulebook that evaluates the file (its files say
# which), so they are checked against it when the file is tested or validated, not here.
RoleId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9_]+$", min_length=1, max_length=64),
    Field(description="A role id of the rulebook the file is evaluated under."),
]
RulebookKey = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9_.-]+$", min_length=1, max_length=32),
    Field(description="A role id (the plain form), or a rulebook id (the form keyed by rulebook)."),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Situation(_Model):
    """What Japan has determined about the situation, and what the UN has done."""

    important_influence: bool = Field(
        description=(
            "Japan's determination that the situation will have an important influence on its "
            "peace and security (G97 V). Without it no Section V role arises."
        )
    )
    armed_attack_on_japan: bool = Field(
        False, description="Japan is under armed attack; Section IV then governs Japan's own defence."
    )
    survival_threatening: bool = Field(
        False,
        description=(
            "A survival-threatening situation: an armed attack on a country in a close relationship with "
            "Japan that threatens Japan's survival (a category of the 2015 law)."
        ),
    )
    un_sanctions_resolution: bool = Field(
        False,
        description=(
            "A UN Security Council resolution calls for strict implementation of trade measures "
            "(economic sanctions) in the situation."
        ),
    )
    ceasefire: Ceasefire = Field(
        "none",
        description=(
            "Whether the hostilities the situation is about have ended: none; de_facto (fighting has "
            "stopped without an agreement); formal (a formal ceasefire)."
        ),
    )


_ITEMS_TEXT = (
    "facility items civilian_airports, civilian_ports, sdf_facilities, hospitals; logistic items "
    "supplies, transport, maintenance, ammunition, weapons, refuel_combat_sortie (fuel and maintenance "
    "for aircraft preparing to take off for combat operations)"
)


class RequestPlace(_Model):
    """A request with the place where the support would be given."""

    item: Request = Field(description=f"What is asked for: {_ITEMS_TEXT}.")
    area: AreaId | None = Field(
        None,
        description=(
            "The id of the area where it would be given; without one it is given inside Japan. "
            "Facilities are always inside Japan, so a facility request ignores it."
        ),
    )


def _request_shape(value: object) -> str:
    return "place" if isinstance(value, (dict, RequestPlace)) else "item"


RequestEntry = Annotated[
    Annotated[Request, Tag("item")] | Annotated[RequestPlace, Tag("place")],
    Discriminator(_request_shape),
]

_REQUESTS_TEXT = (
    f"What they ask Japan for (at most {MAX_REQUESTS}): each an item, or {{item, area}} naming where it "
    f"would be given (inside Japan when no area is named). Items: {_ITEMS_TEXT}."
)


class USForces(_Model):
    """U.S. forces in the situation and what they ask Japan for."""

    operating: bool = Field(
        False, description="U.S. forces are conducting operations for the objectives of the Security Treaty."
    )
    requests: list[RequestEntry] = Field(default_factory=list, max_length=MAX_REQUESTS, description=_REQUESTS_TEXT)


class OtherForces(_Model):
    """Other countries' forces in the situation and what they ask Japan for."""

    operating: bool = Field(
        False,
        description=(
            "Other countries' forces are conducting operations that contribute to achieving the objectives "
            "of the UN Charter."
        ),
    )
    requests: list[RequestEntry] = Field(default_factory=list, max_length=MAX_REQUESTS, description=_REQUESTS_TEXT)


class Area(_Model):
    """A place in the scenario, with its kind and combat status."""

    id: AreaId
    name: str | None = Field(None, max_length=200, description="Display name of the area.")
    kind: AreaKind = Field(
        description=(
            "japan: Japanese territory; high_seas: high seas (EEZ included) and international airspace "
            "around Japan; distant_high_seas: high seas far from Japan; foreign: another state's territory."
        )
    )
    combat: Combat = Field(
        "none",
        description=(
            "none: no combat now or expected during the activity; expected: combat expected during the "
            "activity; ongoing: combat operations are being conducted there."
        ),
    )
    consent: bool = Field(False, description="The state's consent to Japanese activity there (foreign areas).")
    adjacent_to: AreaId | None = Field(
        None,
        description=(
            "Foreign areas: the id of the area its territorial sea borders (for rescue next to an operation there)."
        ),
    )


class MinesEvent(_Model):
    """Mines found in an area."""

    type: Literal["mines"] = Field(description="Event type.")
    area: AreaId
    status: MineStatus = Field(
        description="abandoned: left after hostilities; active: laid as part of ongoing hostilities."
    )
    conflict: Conflict = Field(
        "current",
        description="current: laid in the conflict the situation is about; past: left from an earlier conflict.",
    )


class PersonsInDistressEvent(_Model):
    """Persons in distress at sea or in the air, in an area."""

    type: Literal["persons_in_distress"] = Field(description="Event type.")
    area: AreaId
    who: Who = Field("noncombatants", description="combatants or noncombatants.")
    rescue_under_way: bool = Field(
        False, description="A rescue of these persons has already begun when combat starts or is expected there."
    )


class SanctionsShippingEvent(_Model):
    """Ships suspected of carrying cargo in breach of trade restrictions, in an area."""

    type: Literal["sanctions_shipping"] = Field(description="Event type.")
    area: AreaId
    flag_state_consent: bool = Field(False, description="The flag state consents to the inspection of its ships.")
    vessels: Vessels = Field("merchant", description="merchant ships, or warships, or non-commercial government ships.")


class RefugeeFlowEvent(_Model):
    """Refugees on the move."""

    type: Literal["refugee_flow"] = Field(description="Event type.")
    toward: Toward = Field(description="japan, or elsewhere.")


class EvacuationEvent(_Model):
    """Noncombatants evacuated to Japan."""

    type: Literal["evacuation"] = Field(description="Event type.")


Event = Annotated[
    MinesEvent | PersonsInDistressEvent | SanctionsShippingEvent | RefugeeFlowEvent | EvacuationEvent,
    Field(discriminator="type"),
]


RequestKey = Annotated[
    str,
    StringConstraints(pattern=r"^(other:)?[a-z_]+(@[a-z0-9_]+)?$", min_length=1, max_length=140),
    Field(description="A request: `item`, `item@area`, optionally prefixed `other:`."),
]


class ExpectRole(_Model):
    """Expected verdict of one role: its rolled-up status and, optionally, per area."""

    status: Status | None = Field(None, description="Expected rolled-up status of the role.")
    areas: dict[AreaId, Status] = Field(
        default_factory=dict, description="Expected status per area id (area-scoped roles only)."
    )
    requests: dict[RequestKey, Status] = Field(
        default_factory=dict,
        description=(
            "Expected status per request (facility_access, logistic_support): keyed `item` or `item@area`, "
            "prefixed `other:` for other countries' forces (`other:supplies`, `transport@east_sea`)."
        ),
    )


def _expect_shape(value: object) -> str:
    if isinstance(value, dict):
        return "detail"
    if isinstance(value, ExpectRole):
        return "detail"
    return "status"


ExpectEntry = Annotated[
    Annotated[Status, Tag("status")] | Annotated[ExpectRole, Tag("detail")],
    Discriminator(_expect_shape),
]

ExpectRoles = Annotated[
    dict[RoleId, ExpectEntry],
    Field(description="Expected verdicts under this rulebook: role id -> status, or {status, areas, requests}."),
]
_DETAIL_KEYS = frozenset(ExpectRole.model_fields)


def _expect_value_shape(value: object) -> str:
    """What an `expect:` value is: a role's status, a role's detail, or a rulebook's block of roles."""
    # crosscheck imports the models' module: late, against a cycle
    from .crosscheck import is_rulebook_block

    return "rulebook" if is_rulebook_block(value) else _expect_shape(value)


ExpectKey = RulebookKey

ExpectValue = Annotated[
    Annotated[Status, Tag("status")] | Annotated[ExpectRole, Tag("detail")] | Annotated[ExpectRoles, Tag("rulebook")],
    Discriminator(_expect_value_shape),
]

# What `expect:` holds, at the top of a file and in a phase alike.
Expect = dict[ExpectKey, ExpectValue]

_EXPECT_TEXT = (
    "Expected verdicts, checked by `guidelines test`: role id -> status, or role id -> "
    "{status, areas: {area id: status}, requests: {item[@area]: status}}, for the rulebook it evaluates under "
    'by default; or keyed by rulebook: {"1997": {role id: ...}, "2015": {role id: ...}}.'
)


def _drop_null_defaults(schema: dict[str, Any]) -> None:
    """A change's fields default to "unchanged", which editors need not see as a null default."""
    for prop in schema.get("properties", {}).values():
        if prop.get("default", 0) is None:
            del prop["default"]


class _Change(_Model):
    model_config = ConfigDict(json_schema_extra=_drop_null_defaults)


def _change_of(
    model: type[_Model], name: str, doc: str, *, keep: tuple[str, ...] = (), **described: str
) -> type[_Model]:
    """The model of what a phase changes in `model`: the same fields, each optional (None: unchanged).

    The fields in `keep` stay as they are (the id that names what is changed);
    `described` gives fields new descriptions.
    """
    fields: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        new = copy.copy(info)
        if field_name in described:
            new.description = described[field_name]
        if field_name not in keep:
            new.default, new.default_factory = None, None
        fields[field_name] = (info.annotation, new)
    return create_model(name, __base__=_Change, __doc__=doc, __module__=__name__, **fields)  # type: ignore[call-overload]


SituationChange = _change_of(Situation, "SituationChange", "What a phase changes in the situation; the rest stays.")
USForcesChange = _change_of(
    USForces,
    "USForcesChange",
    "What a phase changes about U.S. forces; a `requests` list given replaces the one before.",
)
OtherForcesChange = _change_of(
    OtherForces,
    "OtherForcesChange",
    "What a phase changes about other countries' forces; a `requests` list given replaces the one before.",
)
AreaChange = _change_of(
    Area,
    "AreaChange",
    "An area a phase changes (the fields given; the rest stays), or a new area (then `kind` is required).",
    keep=("id",),
    id="The id of the area to change, or of a new area ([a-z0-9_]+).",
    kind=(
        "Required for a new area: japan, high_seas, distant_high_seas or foreign (see an area's `kind`); "
        "for an area the scenario already has, its new kind."
    ),
)

PhaseId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9_]+$", min_length=1, max_length=64),
    Field(description="Phase id: lowercase letters, digits and underscores, unique within the file."),
]


class Phase(_Model):
    """One step of the crisis: only what changes from the step before it (the scenario's own fields, for the first)."""

    id: PhaseId
    name: str | None = Field(None, max_length=200, description="Display name of the phase.")
    date: datetime.date | None = Field(
        None,
        strict=False,
        description="Date of the phase (YYYY-MM-DD); without one, the date of the phase before it (or the scenario's).",
    )
    situation: SituationChange | None = Field(  # type: ignore[valid-type]
        None, description="Fields of the situation that change; the others stay."
    )
    us_forces: USForcesChange | None = Field(  # type: ignore[valid-type]
        None, description="What changes about U.S. forces; a `requests` list given replaces the one before."
    )
    other_forces: OtherForcesChange | None = Field(  # type: ignore[valid-type]
        None, description="What changes about other countries' forces; a `requests` list replaces the one before."
    )
    areas: list[AreaChange] | None = Field(  # type: ignore[valid-type]
        None,
        max_length=MAX_AREAS,
        description=(
            "Areas that change (by id, the fields given) or are added (with their `kind`); areas not named stay."
        ),
    )
    events: list[Event] | None = Field(
        None,
        max_length=MAX_EVENTS,
        description="The events of this phase: a list given replaces the one before (`[]`: none).",
    )
    expect: Expect | None = Field(None, description=_EXPECT_TEXT + " Checks this phase.")
    sources: Sources | None = Field(None, description="Sources of this phase, besides the file's.")
    record: Record | None = Field(None, description="What the record says of this phase, role by role.")


class Scenario(_Model):
    """One situation near Japan, as a scenario file describes it."""

    scenario: str = Field(min_length=1, max_length=200, description="Title of the scenario.")
    description: str | None = Field(None, max_length=10_000, description="Free text describing the situation.")
    date: datetime.date | None = Field(None, strict=False, description="Date of the situation (ISO, YYYY-MM-DD).")
    situation: Situation = Field(
        description=(
            "Japan's determination, an armed attack on Japan, a survival-threatening situation, UN sanctions, "
            "a ceasefire."
        )
    )
    us_forces: USForces = Field(
        default_factory=USForces,
        description="Whether U.S. forces operate for the Security Treaty, and what they request.",
    )
    other_forces: OtherForces = Field(
        default_factory=OtherForces,
        description="Whether other countries' forces operate for the UN Charter's objectives, and what they request.",
    )
    areas: list[Area] = Field(
        default_factory=list, max_length=MAX_AREAS, description=f"The places of the scenario (at most {MAX_AREAS})."
    )
    events: list[Event] = Field(
        default_factory=list, max_length=MAX_EVENTS, description=f"What happens, and where (at most {MAX_EVENTS})."
    )
    phases: list[Phase] | None = Field(
        None,
        min_length=1,
        max_length=MAX_PHASES,
        description=(
            "The crisis as it unfolds, phase by phase: each states only what changes from the phase before it "
            "(the first, from the scenario's own fields). Each phase is evaluated under the rulebook of its date."
        ),
    )
    expect: Expect | None = Field(None, description=_EXPECT_TEXT + " In a file with phases, it checks the last phase.")
    sources: Sources | None = Field(None, description="The sources the scenario rests on, each {id, cite, url}.")
    record: Record | None = Field(
        None, description="What the record says, role by role; in a file with phases, of the last phase."
    )

    @model_validator(mode="after")
    def _check_references(self) -> Scenario:
        # crosscheck only once a file validates
        from .crosscheck import reference_problems

        problems = reference_problems(self.model_dump(mode="python"))
        if problems:
            raise ValueError("; ".join(f"{_loc_text(loc)}: {msg}" for loc, msg, _ in problems))
        return self


def _loc_text(loc: tuple[object, ...]) -> str:
    # start path: yaml's position tools only for a problem to locate
    from .yamlload import dotted

    return dotted(loc)
