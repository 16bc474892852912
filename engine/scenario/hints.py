"""Hints for words a scenario's author plausibly means but the format does not have (`fuel`, `blockade`): what
to write instead, added to the validation error. The hints are data, in hints.yaml beside this module."""

from __future__ import annotations

import functools
import os
import re
from typing import Any

import yaml

from ..errors import Problem

HINTS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hints.yaml")
SEE = "see docs/modelling.md"

# Where a word is written, as a field's path without its indices (and without a phase before it): the group of
# hints.yaml it is looked up in. Values first, then unknown keys (by the path of the mapping they are in).
VALUE_SLOTS = {
    ("us_forces", "requests"): "request",
    ("us_forces", "requests", "item"): "request",
    ("other_forces", "requests"): "request",
    ("other_forces", "requests", "item"): "request",
    ("events", "type"): "event",
    ("areas", "kind"): "area_kind",
    ("areas", "combat"): "combat",
    ("situation", "ceasefire"): "ceasefire",
}
KEY_SLOTS = {("situation",): "situation", (): "key"}
SLOTS = (*dict.fromkeys(VALUE_SLOTS.values()), *KEY_SLOTS.values())


@functools.cache
def hints() -> dict[str, dict[str, str]]:
    """hints.yaml: per group, each word and its hint."""
    with open(HINTS_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _loc(field: str) -> tuple[str | int, ...]:
    """A field as a problem names it (`phases[1].areas[0].kind`) back as a location."""
    return tuple(int(index) if index else name for index, name in re.findall(r"\[(\d+)\]|([^.\[\]]+)", field))


def _at(data: Any, loc: tuple[str | int, ...]) -> Any:
    for part in loc:
        if isinstance(part, int) and isinstance(data, list) and part < len(data):
            data = data[part]
        elif isinstance(part, str) and isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return None
    return data


def hint_for(problem: Problem, data: Any) -> str | None:
    """The hint for the word a problem is about (an unknown key, or a value not among a field's words), if any."""
    loc = _loc(problem.field)
    path = tuple(part for part in loc if isinstance(part, str))
    if path[:1] == ("phases",):
        path = path[1:]
    if problem.message.startswith("unknown key "):
        slot, word = KEY_SLOTS.get(path[:-1]), path[-1] if path else None
    else:
        slot, word = VALUE_SLOTS.get(path), _at(data, loc)
    if slot is None or not isinstance(word, str):
        return None
    return hints().get(slot, {}).get(word.strip().lower())


def with_hints(problems: list[Problem], data: Any) -> list[Problem]:
    """The problems, each about a word hints.yaml knows with its hint added: `...; hint: ...; see docs/...`."""
    out = []
    for problem in problems:
        hint = hint_for(problem, data)
        out.append(problem._replace(message=f"{problem.message}; hint: {hint}; {SEE}") if hint else problem)
    return out
