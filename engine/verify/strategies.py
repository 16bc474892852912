"""Hypothesis strategies that generate valid scenarios, for property tests against the engine.

    from hypothesis import given
    from engine.strategies import scenarios

    @given(scenarios())
    def test_my_property(scenario): ...

`scenario_data()` gives plain data (what a YAML file holds), `scenarios()` the
validated `Scenario` model, and `scenario_yaml()` the text of a scenario file.
"""

from __future__ import annotations

import datetime
from typing import Any

import yaml
from hypothesis import strategies as st

from ..rulebook.choice import role_ids
from ..rulebook.shipped import default_rules_dir
from ..scenario.crosscheck import request_key
from ..scenario.models import Scenario
from ..scenario.vocab import (
    AREA_KINDS,
    CEASEFIRES,
    COMBATS,
    CONFLICTS,
    MINE_STATUSES,
    REQUESTS,
    STATUSES,
    TOWARDS,
    V1_REQUESTS,
    VESSELS,
    WHOS,
)
from ..scenario.yamlload import NumberTooLong, plain_value

_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789_"
_ROLES = tuple(role_ids(default_rules_dir()))  # what an `expect:` may pin: the shipped rulebook's roles
_TITLE_ALPHABET = st.characters(codec="utf-8", categories=("L", "N", "Zs"), exclude_characters="\x85\u2028\u2029")


def area_ids() -> st.SearchStrategy[str]:
    return st.text(_ID_ALPHABET, min_size=1, max_size=12)


@st.composite
def area(draw: st.DrawFn) -> dict[str, Any]:
    """One area; each optional key is present or not, so shrinking drops them."""
    out: dict[str, Any] = {"id": draw(area_ids()), "kind": draw(st.sampled_from(AREA_KINDS))}
    if draw(st.booleans()):
        out["combat"] = draw(st.sampled_from(COMBATS))
    if draw(st.booleans()):
        out["consent"] = draw(st.booleans())
    if draw(st.booleans()):
        out["name"] = draw(st.text(_TITLE_ALPHABET, min_size=1, max_size=30))
    return out


@st.composite
def event(draw: st.DrawFn, area_ids: list[str], *, version: int = 2) -> dict[str, Any]:
    """One event; those that happen in an area name one of `area_ids`."""
    types = ["refugee_flow", "evacuation"] + (
        ["mines", "persons_in_distress", "sanctions_shipping"] if area_ids else []
    )
    kind = draw(st.sampled_from(types))
    out: dict[str, Any] = {"type": kind}
    if kind in ("mines", "persons_in_distress", "sanctions_shipping"):
        out["area"] = draw(st.sampled_from(area_ids))
    if kind == "mines":
        out["status"] = draw(st.sampled_from(MINE_STATUSES))
        if version >= 2 and draw(st.booleans()):
            out["conflict"] = draw(st.sampled_from(CONFLICTS))
    elif kind == "persons_in_distress":
        if draw(st.booleans()):
            out["who"] = draw(st.sampled_from(WHOS))
        if version >= 2 and draw(st.booleans()):
            out["rescue_under_way"] = draw(st.booleans())
    elif kind == "sanctions_shipping":
        if draw(st.booleans()):
            out["flag_state_consent"] = draw(st.booleans())
        if draw(st.booleans()):
            out["vessels"] = draw(st.sampled_from(VESSELS))
    elif kind == "refugee_flow":
        out["toward"] = draw(st.sampled_from(TOWARDS))
    return out


def request(area_ids: list[str]) -> st.SearchStrategy[Any]:
    """One request: an item, or `{item}` / `{item, area}` naming where it would be given."""
    items = st.sampled_from(REQUESTS)
    placed = st.fixed_dictionaries({"item": items}, optional={"area": st.sampled_from(area_ids)} if area_ids else {})
    return st.one_of(items, placed)


def _request_place(entry: Any) -> tuple[str, str | None]:
    return (entry, None) if isinstance(entry, str) else (entry["item"], entry.get("area"))


@st.composite
def forces(draw: st.DrawFn, area_ids: list[str], *, version: int = 2) -> dict[str, Any]:
    """A forces block (`us_forces` or `other_forces`): operating or not, and its requests."""
    if version < 2:
        requests = draw(st.lists(st.sampled_from(V1_REQUESTS), unique=True, max_size=len(V1_REQUESTS)))
    else:
        requests = draw(st.lists(request(area_ids), unique_by=_request_place, max_size=6))
    return {"operating": draw(st.booleans()), "requests": requests}


@st.composite
def scenario_data(
    draw: st.DrawFn,
    *,
    max_areas: int = 4,
    max_events: int = 6,
    influence: bool | None = None,
    expect: bool = False,
    version: int = 2,
    max_phases: int = 0,
) -> dict[str, Any]:
    """A valid scenario as plain data, the way a scenario file holds it.

    `version=1` keeps to the fields of version 1 of the format (no other
    forces, no request areas or logistic items, no adjacency, ceasefire,
    survival-threatening situation, mine conflict or rescue under way): what
    a reader of version 1 files understands. `max_phases` gives it up to that
    many phases, each changing some of the situation, forces, areas (or adding
    some) and events, each with its own `expect:` when `expect` is set.
    """
    # Each area is drawn whole (id and details together), so shrinking can drop one at a time.
    areas = draw(st.lists(area(), max_size=max_areas, unique_by=lambda a: a["id"]))
    ids = [a["id"] for a in areas]
    if version >= 2:
        for place in areas:
            # Any area may border another (a chain too); only a foreign one is meant to, the rest warn.
            others = [i for i in ids if i != place["id"]]
            if others and draw(st.booleans()):
                place["adjacent_to"] = draw(st.sampled_from(others))
    situation: dict[str, Any] = {
        "important_influence": draw(st.booleans()) if influence is None else influence,
    }
    keys = ["armed_attack_on_japan", "un_sanctions_resolution"]
    if version >= 2:
        keys.append("survival_threatening")
    for key in keys:
        if draw(st.booleans()):
            situation[key] = draw(st.booleans())
    if version >= 2 and draw(st.booleans()):
        situation["ceasefire"] = draw(st.sampled_from(CEASEFIRES))
    data: dict[str, Any] = {"scenario": draw(st.text(_TITLE_ALPHABET, min_size=1, max_size=40)), "situation": situation}
    if version >= 2 and draw(st.booleans()):
        data["date"] = draw(st.dates(datetime.date(1990, 1, 1), datetime.date(2030, 12, 31))).isoformat()
    if draw(st.booleans()):
        data["us_forces"] = draw(forces(ids, version=version))
    if version >= 2 and draw(st.booleans()):
        data["other_forces"] = draw(forces(ids, version=version))
    if areas:
        data["areas"] = areas
    events = draw(st.lists(event(ids, version=version), max_size=max_events))
    if events:
        data["events"] = events
    requests = {block: (data.get(block) or {}).get("requests", []) for block in ("us_forces", "other_forces")}
    if version >= 2 and max_phases:
        data["phases"] = draw(phases(ids, requests, max_phases=max_phases, max_events=max_events, expect=expect))
    if expect:
        roles = draw(st.lists(st.sampled_from(_ROLES), unique=True))
        data["expect"] = {role: draw(st.sampled_from(STATUSES)) for role in roles}
        keys = [
            request_key(force, *_request_place(entry))
            for force, block in (("us", "us_forces"), ("other", "other_forces"))
            for entry in requests[block]  # those of the last phase, which a phased file's expect checks
        ]
        for role in ("facility_access", "logistic_support"):
            if role in data["expect"] and keys and draw(st.booleans()):
                pinned = draw(st.lists(st.sampled_from(keys), unique=True, min_size=1))
                data["expect"][role] = {
                    "status": data["expect"][role],
                    "requests": {key: draw(st.sampled_from(STATUSES)) for key in pinned},
                }
    return data


@st.composite
def phases(
    draw: st.DrawFn,
    ids: list[str],
    requests: dict[str, list[Any]],
    *,
    max_phases: int = 3,
    max_events: int = 6,
    expect: bool = False,
) -> list[dict[str, Any]]:
    """Phases after a starting state with areas `ids` (extended with the areas phases add) and `requests` per
    forces block (set to those of the last phase)."""
    count = draw(st.integers(1, max_phases))
    out = []
    for phase_id in draw(st.lists(area_ids(), min_size=count, max_size=count, unique=True)):
        phase: dict[str, Any] = {"id": phase_id}
        if draw(st.booleans()):
            phase["name"] = draw(st.text(_TITLE_ALPHABET, min_size=1, max_size=30))
        if draw(st.booleans()):
            phase["date"] = draw(st.dates(datetime.date(1990, 1, 1), datetime.date(2030, 12, 31))).isoformat()
        keys = draw(st.lists(st.sampled_from(_SITUATION_KEYS), unique=True, max_size=3))
        if keys:
            phase["situation"] = {
                key: draw(st.sampled_from(CEASEFIRES) if key == "ceasefire" else st.booleans()) for key in keys
            }
        changes = draw(st.lists(_area_change(ids), max_size=3, unique_by=lambda a: a["id"]))
        ids = ids + [a["id"] for a in changes if a["id"] not in ids]
        if changes:
            phase["areas"] = changes
        for block in ("us_forces", "other_forces"):
            if draw(st.booleans()):
                block_change = draw(forces(ids))
                if draw(st.booleans()):
                    del block_change["requests"]
                else:
                    requests[block] = block_change["requests"]
                phase[block] = block_change
        if draw(st.booleans()):
            phase["events"] = draw(st.lists(event(ids), max_size=max_events))
        if expect and draw(st.booleans()):
            roles = draw(st.lists(st.sampled_from(_ROLES), unique=True, max_size=3))
            phase["expect"] = {role: draw(st.sampled_from(STATUSES)) for role in roles}
        out.append(phase)
    return out


_SITUATION_KEYS = ("important_influence", "armed_attack_on_japan", "survival_threatening", "ceasefire")


@st.composite
def _area_change(draw: st.DrawFn, ids: list[str]) -> dict[str, Any]:
    """A change of an existing area (some of its fields), or a new area (whole)."""
    if ids and draw(st.booleans()):
        change: dict[str, Any] = {"id": draw(st.sampled_from(ids))}
        for key, values in (("combat", COMBATS), ("kind", AREA_KINDS), ("consent", (True, False))):
            if draw(st.booleans()):
                change[key] = draw(st.sampled_from(values))
        return change
    new = draw(area().filter(lambda a: a["id"] not in ids))
    return new


def scenarios(**kwargs: Any) -> st.SearchStrategy[Any]:
    """Validated `Scenario` models."""
    return scenario_data(**kwargs).map(Scenario.model_validate)


def scenario_yaml(**kwargs: Any) -> st.SearchStrategy[str]:
    """The text of valid scenario files."""
    return scenario_data(**kwargs).map(to_yaml)


class _Dumper(yaml.SafeDumper):
    """Quotes every string the scenario loader would otherwise read as another type (`1e3`, `null`)."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    try:
        text = isinstance(plain_value(value), str) and value == value.strip()
    except NumberTooLong:  # digits past the loader's limit: quoted, they are text
        text = False
    style = None if text else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def to_yaml(data: dict[str, Any]) -> str:
    """A scenario's plain data as scenario-file text."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
