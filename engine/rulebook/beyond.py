"""Measures beyond the roles (`beyond.yaml`): what other laws govern and a scenario's facts make relevant.

The roles are what the Guidelines and the laws implementing them give Japan.
Other laws reach some of the same situations (the protection of U.S. forces'
assets, supplies to them in peacetime, the protection and transport of
Japanese nationals abroad, maritime security operations, the Coast Guard's
own powers). A rulebook lists them as data:

    beyond:
      - id: asset_protection
        measure: Protection of U.S. forces' weapons and other equipment
        provision: SDF Law Art. 95-2
        subject: scenario        # scenario, areas, events (with types) or requests (with items)
        when: {us_forces.operating: true}
        because: U.S. forces operate while Japan is not under armed attack.
        basis: ["SDFLaw Art. 95-2", "DoJ17"]

Each item is shown, in a "Beyond these roles" section of the report, for
every subject its `when` holds for. An item never changes a role's verdict,
and the report says it is not evaluated in depth: the item names the measure,
the provision that governs it and why the facts make it relevant, nothing
more. A rulebook that extends another merges the items by id, as notices.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..scenario.vocab import EventType, Request
from ..scenario.yamlload import problem_at
from . import conditions as cond
from .model import Beyond, Concept, Named
from .reader import Reader

FILE = "beyond.yaml"
SCOPES = {"scenario": "scenario", "areas": "area", "events": "event", "requests": "request"}


class BeyondSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    id: str = Field(pattern=r"^[a-z0-9_]+$", description="The item's id, unique in the file.")
    measure: str = Field(min_length=1, description="The measure, as a report names it.")
    provision: str = Field(min_length=1, description="The law and article that govern it, in words.")
    subject: Literal["scenario", "areas", "events", "requests"] = Field(
        "scenario", description="What `when` is read for: the scenario, each area, each event or each request."
    )
    types: list[EventType] = Field(default_factory=list, description="events: the event types it is about.")
    items: list[Request] = Field(default_factory=list, description="requests: the request items it is about.")
    when: Any = Field(description="When the scenario's facts make the measure relevant.")
    because: str = Field(min_length=1, description="Why it is relevant, in words; {area} names the area.")
    basis: list[str] = Field(min_length=1, description="What the item rests on, each with a source tag.")


class BeyondFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    beyond: list[BeyondSpec] = Field(default_factory=list)


def load_beyond(loader: Reader, concept_scopes: dict[str, str], concepts: dict[str, Concept]) -> tuple[Beyond, ...]:
    """The items of the rulebook's `beyond.yaml` (merged with its bases'), checked; problems go to `loader`."""
    if not loader.has(FILE):
        return ()
    read = loader.read(FILE, BeyondFile)
    if read is None:
        return ()
    document, spec_file = read
    parser = cond.Parser(document, concept_scopes)
    items: list[Beyond] = []
    seen: set[str] = set()
    for i, spec in enumerate(spec_file.beyond):
        loc = ("beyond", i)
        if spec.id in seen:
            loader.problems.append(problem_at(document, loc + ("id",), f"duplicate beyond id {spec.id!r}"))
        seen.add(spec.id)
        scope = cond.Scope(SCOPES[spec.subject], tuple(spec.types), tuple(spec.items))
        basis = loader.basis(document, loc + ("basis",), spec.basis)
        formula = parser.parse(spec.when, loc + ("when",), scope)
        if formula is None:
            continue
        path, position = document.where(loc)
        named = Named(spec.id, spec.because, formula, basis, file=path, line=position[0] if position else None)
        items.append(Beyond(spec.id, spec.measure, spec.provision, scope, named))
    parser.check_nesting({cid: c.named.formula for cid, c in concepts.items()})
    loader.problems.extend(parser.problems)
    return tuple(items)
