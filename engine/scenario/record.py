"""The sources a scenario cites and the record it sets beside the verdicts, as pydantic models.

A scenario drawn from a real crisis or a published exercise lists its
`sources:` (each an id, a short citation and a URL), and may say per phase
what the record shows Japan did or was judged able to do, role by role
(`record:`): the status the record implies, what happened, and the sources it
rests on. The report sets that status beside the rulebook's verdict; the
comparison itself is the report's (`engine.report.record`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .vocab import Status

SourceId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", min_length=1, max_length=40),
    Field(description="A source's id, as the file's `sources:` lists it (e.g. GS91, Q120-26)."),
]
RecordAreaId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$", min_length=1, max_length=64)]
MAX_SOURCES = 200


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Source(_Model):
    """One source the scenario rests on: an id the record cites it by, a short citation, and where to read it."""

    id: SourceId
    cite: str = Field(min_length=1, max_length=300, description="A short citation: who, what, when.")
    url: str | None = Field(
        None,
        pattern=r"^https?://\S+$",
        max_length=1000,
        description="Where to read it (http or https); the HTML report links to it.",
    )


class RecordRole(_Model):
    """What the record says of one role: the status it implies, what happened or was judged, and its sources."""

    status: Status | None = Field(
        None,
        description=(
            "The verdict the record implies: applies (Japan did it, or was judged able to), blocked (judged "
            "unable to, by a limit of the law), not_triggered (the role did not arise). Leave it out when the "
            "record speaks of the role but implies no verdict: it then counts as silent."
        ),
    )
    what: str = Field(min_length=1, max_length=1000, description="What happened, or what was judged, in a sentence.")
    source: list[SourceId] = Field(
        min_length=1, max_length=20, description="The ids of the sources (listed in `sources:`) it rests on."
    )
    areas: dict[RecordAreaId, Status] = Field(
        default_factory=dict, description="The status the record implies per area id (area-scoped roles)."
    )
    note: str | None = Field(
        None,
        max_length=1000,
        description="Why the rulebook's verdict and the record differ, where they do (shown in the report).",
    )


RecordRoleId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$", min_length=1, max_length=64)]
Record = Annotated[
    dict[RecordRoleId, RecordRole],
    Field(description="What the record says Japan did or was judged able to do, role id -> {status, what, source}."),
]
Sources = Annotated[
    list[Source],
    Field(max_length=MAX_SOURCES, description="The sources the scenario rests on: each {id, cite, url}."),
]
