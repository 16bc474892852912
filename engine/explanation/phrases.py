"""Conditions in plain words: `area.kind is one of japan, high_seas` becomes "the area is Japanese
territory or the high seas around Japan".

Every field a rule may read has a sentence here, and every value a noun, so
an explanation can say what was checked and what the scenario held without
showing a field path or a concept id. A field without a phrase (a rulebook
of one's own may add none, but the vocabulary could grow) falls back to the
technical wording.
"""

from __future__ import annotations

from typing import Any

from ..rulebook import conditions as cond
from ..scenario.vocab import NOT_APPLICABLE

# field -> (sentence with {} for the values, value -> noun); values joined with "or".
ENUMS: dict[str, tuple[str, dict[Any, str]]] = {
    "area.kind": (
        "the area is {}",
        {
            "japan": "Japanese territory",
            "high_seas": "the high seas around Japan",
            "distant_high_seas": "distant high seas",
            "foreign": "another state's territorial sea",
        },
    ),
    "area.combat": (
        "{} in the area",
        {"none": "no combat", "expected": "combat expected", "ongoing": "combat going on"},
    ),
    "situation.ceasefire": (
        "there is {}",
        {"none": "no ceasefire", "de_facto": "a de facto ceasefire", "formal": "a formal ceasefire"},
    ),
    "event.type": (
        "the event is {}",
        {
            "mines": "mines",
            "persons_in_distress": "persons in distress",
            "sanctions_shipping": "suspect shipping",
            "refugee_flow": "a flow of refugees",
            "evacuation": "an evacuation",
        },
    ),
    "event.status": ("the mines are {}", {"abandoned": "abandoned", "active": "still active"}),
    "event.conflict": ("the mines belong to {}", {"current": "the current conflict", "past": "a past conflict"}),
    "event.who": ("the persons in distress are {}", {"combatants": "combatants", "noncombatants": "noncombatants"}),
    "event.vessels": (
        "the ships are {}",
        {"merchant": "merchant ships", "warship": "warships", "government": "government ships"},
    ),
    "event.toward": ("the refugees are heading {}", {"japan": "for Japan", "elsewhere": "elsewhere"}),
    "request.force": ("the request comes from {}", {"us": "U.S. forces", "other": "other countries' forces"}),
}

# field -> (when true, when false)
BOOLEANS: dict[str, tuple[str, str]] = {
    "situation.important_influence": (
        "Japan has determined that the situation will have an important influence on its peace and security",
        "Japan has not determined that the situation will have an important influence on its peace and security",
    ),
    "situation.armed_attack_on_japan": ("Japan is under armed attack", "Japan is not under armed attack"),
    "situation.survival_threatening": (
        "the situation threatens Japan's survival",
        "the situation does not threaten Japan's survival",
    ),
    "situation.un_sanctions_resolution": (
        "a UN Security Council resolution calls for trade measures",
        "no UN Security Council resolution calls for trade measures",
    ),
    "us_forces.operating": (
        "U.S. forces are operating for the objectives of the Security Treaty",
        "U.S. forces are not operating for the objectives of the Security Treaty",
    ),
    "other_forces.operating": (
        "other countries' forces are operating for the objectives of the UN Charter",
        "other countries' forces are not operating for the objectives of the UN Charter",
    ),
    "area.consent": ("the state has consented", "the state has not consented"),
    "event.rescue_under_way": ("a rescue is already under way", "no rescue is under way yet"),
    "event.flag_state_consent": ("the flag state consents to inspection", "the flag state has not consented"),
}

# field -> value -> what it says that the field is NOT that value (where "X or Y" of the others reads worse)
NOT_ONE: dict[str, dict[Any, str]] = {
    "area.kind": {value: f"the area is not {noun}" for value, noun in ENUMS["area.kind"][1].items()},
    "area.combat": {
        "none": "there is combat in the area, going on or expected",
        "expected": "combat is not expected in the area",
        "ongoing": "combat is not going on in the area",
    },
    "situation.ceasefire": {
        "none": "there is a ceasefire, de facto or formal",
        "de_facto": "there is no de facto ceasefire",
        "formal": "there is no formal ceasefire",
    },
}

# field -> value -> what it says that the field is that one value (where the noun alone reads as a fragment)
ONE: dict[str, dict[Any, str]] = {
    "area.combat": {
        "expected": "combat is expected in the area",
        "ongoing": "combat is going on in the area",
    },
}

_MONTHS = "January February March April May June July August September October November December".split()


def day(number: int) -> str:
    """A date the engine compares (YYYYMMDD) as people write it: 9 January 2007."""
    year, month, date = number // 10000, number // 100 % 100, number % 100
    return f"{date} {_MONTHS[month - 1]} {year}" if 1 <= month <= 12 else str(number)


def holding_values(formula: cond.Compare) -> list[Any]:
    """The values of its field for which a comparison holds."""
    values = list(formula.field.values)
    if formula.op == "eq":
        return [formula.values[0]]
    if formula.op == "in":
        return list(formula.values)
    excluded = set(formula.values)
    return [v for v in values if v not in excluded]  # ne, not_in


def compare_words(formula: cond.Compare, negate: bool = False) -> str:
    """What a comparison asks, as a sentence; `negate`: what its opposite asks."""
    path = formula.field.path
    if formula.op in cond.DATE_OPERATORS:
        op = formula.op
        if negate:
            op = "on_or_after" if op == "before" else "before"
        when = "before" if op == "before" else "on or after"
        return f"the date is {when} {day(formula.values[0])}"
    values = holding_values(formula)
    if negate:
        values = [v for v in formula.field.values if v not in values]
    excluded = [v for v in formula.field.values if v not in values]
    if len(excluded) == 1 and len(values) > 1 and excluded[0] in NOT_ONE.get(path, {}):
        return NOT_ONE[path][excluded[0]]
    if len(values) == 1 and values[0] in ONE.get(path, {}):
        return ONE[path][values[0]]
    if path in BOOLEANS and set(values) <= {True, False}:
        yes, no = BOOLEANS[path]
        if values == [True]:
            return yes
        if values == [False]:
            return no
    if path in ENUMS:
        sentence, nouns = ENUMS[path]
        return sentence.format(" or ".join(nouns.get(v, str(v)) for v in values) or "(nothing)")
    if path == "request.item":
        return "the request is for " + " or ".join(str(v).replace("_", " ") for v in values)
    words = formula.describe()
    return f"not ({words})" if negate else words


def value_words(path: str, value: Any) -> str | None:
    """What the scenario holds for a field, in words (None for a yes/no, which the sentence already says)."""
    if value is None or value == NOT_APPLICABLE:
        return "not set for this kind of event" if value == NOT_APPLICABLE else None
    if path == "date":
        return day(value) if isinstance(value, int) and value else "no date"
    if path in ENUMS:
        return ENUMS[path][1].get(value, str(value))
    if path == "request.item":
        return str(value).replace("_", " ")
    return None


def subject_words(label: str, kind: str, area_name: str | None) -> str:
    """A case as a reader names it: `The active mines in Taiwan Strait`, `The request for transport ...`."""
    if kind == "request":
        return f"The request for {label}"
    if kind == "area":
        return label
    if kind == "scenario":
        return "The scenario"
    where = f" in {area_name}" if area_name else ""
    return f"The {label}{where}"
