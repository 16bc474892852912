"""A second, independent reading of the rule files, for differential tests.

The engine compiles the rulebook into durable_rules rulesets: every comparison
becomes a rule and its complement, defaults become facts, concepts are forward
chained. A slip anywhere in that path (a wrong complement, a lost default, an
event joined to the wrong area) would still give plausible verdicts. This module
reads the same YAML files with PyYAML and interprets the condition language
directly, in a few lines of plain Python, following only the README and the
scenario contract. It imports nothing from `engine` on purpose: the tests check
that the two readings agree, role by role, area by area and case by case.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

RULES_DIR = Path(__file__).resolve().parent.parent / "rules" / "1997"

# The scenario contract: the fields each event type has, with their defaults
# (None: required, no default). `area` marks the event types that happen in an area.
EVENT_FIELDS: dict[str, dict[str, Any]] = {
    "mines": {"area": None, "status": None},
    "persons_in_distress": {"area": None, "who": "noncombatants"},
    "sanctions_shipping": {"area": None, "flag_state_consent": False, "vessels": "merchant"},
    "refugee_flow": {"toward": None},
    "evacuation": {},
}
AREA_EVENT_TYPES = frozenset(t for t, fields in EVENT_FIELDS.items() if "area" in fields)
SITUATION_DEFAULTS = {"armed_attack_on_japan": False, "un_sanctions_resolution": False}
AREA_DEFAULTS = {"combat": "none", "consent": False}
ORDER = ("not_triggered", "blocked", "applies")  # roll-up rank, lowest first


class _Absent:
    """A field the subject does not have: it equals no value a rule can name."""

    def __repr__(self) -> str:
        return "<absent>"


ABSENT = _Absent()


@lru_cache(maxsize=16)
def load_rules(rules_dir: str) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """(concepts by id, roles by id) as the YAML files hold them."""
    root = Path(rules_dir)
    concepts = yaml.safe_load((root / "concepts.yaml").read_text(encoding="utf-8"))["concepts"]
    roles = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((root / "roles").glob("*.yaml"))]
    return {c["id"]: c for c in concepts}, {r["role"]: r for r in roles}


def roll_up(statuses: list[str]) -> str:
    """applies anywhere, else blocked anywhere, else not triggered (also when there is nothing)."""
    return max(statuses, key=ORDER.index, default="not_triggered")


def _compare(value: Any, spec: Any) -> bool:
    op, operand = next(iter(spec.items())) if isinstance(spec, dict) else ("eq", spec)
    if op == "eq":
        return value == operand
    if op == "ne":
        return value != operand
    if op == "in":
        return value in operand
    if op == "not_in":
        return value not in operand
    raise ValueError(f"unknown operator {op!r}")


def _read(path: str, case: dict[str, Any]) -> Any:
    scope, _, name = path.partition(".")
    if scope == "situation":
        return case["situation"].get(name, ABSENT)
    if scope == "us_forces" and name == "operating":
        return case["operating"]
    if scope in ("area", "event"):
        holder = case.get(scope)
        return ABSENT if holder is None else holder.get(name, ABSENT)
    if scope == "request" and name == "item":
        return case.get("request", ABSENT)
    raise ValueError(f"unknown field {path!r}")


def holds(cond: Any, case: dict[str, Any], concepts: dict[str, dict[str, Any]]) -> bool:
    """Whether a condition of the rule language holds for a case."""
    if isinstance(cond, list):
        return all(holds(c, case, concepts) for c in cond)
    if len(cond) != 1:
        raise ValueError(f"a condition has exactly one key: {cond!r}")
    key, value = next(iter(cond.items()))
    if key == "all":
        return all(holds(c, case, concepts) for c in value)
    if key == "any":
        return any(holds(c, case, concepts) for c in value)
    if key == "not":
        return not holds(value, case, concepts)
    if key == "concept":
        concept = concepts[value]
        # A concept is about the scenario, or about the case's area: it sees nothing else.
        seen = ("situation", "operating") + (("area",) if concept["scope"] == "area" else ())
        return holds(concept["when"], {k: case[k] for k in seen if k in case}, concepts)
    return _compare(_read(key, case), value)


def _cases(subject: dict[str, Any], data: dict[str, Any]) -> list[tuple[str | None, dict[str, Any]]]:
    """(area id or None, case) for each subject of a role, in scenario order."""
    situation = {**SITUATION_DEFAULTS, **(data.get("situation") or {})}
    us_forces = data.get("us_forces") or {}
    base = {"situation": situation, "operating": us_forces.get("operating", False)}
    areas = {a["id"]: {**AREA_DEFAULTS, **a} for a in data.get("areas") or ()}
    kind = subject["kind"]
    if kind == "areas":
        return [(area_id, {**base, "area": area}) for area_id, area in areas.items()]
    if kind == "requests":
        return [(None, {**base, "request": item}) for item in us_forces.get("requests") or ()]
    if kind == "scenario":
        return [(None, base)]
    out = []
    for event in data.get("events") or ():
        if event["type"] not in subject["types"]:
            continue
        fields = EVENT_FIELDS[event["type"]]
        values = {"type": event["type"], **{name: event.get(name, default) for name, default in fields.items()}}
        out.append((values.get("area"), {**base, "event": values, "area": areas.get(values.get("area"))}))
    return out


def verdict(role: dict[str, Any], case: dict[str, Any], concepts: dict[str, dict[str, Any]]) -> str:
    """not_triggered if a trigger fails; applies if every condition holds and no limit; else blocked."""
    if not all(holds(t["when"], case, concepts) for t in role["triggers"]):
        return "not_triggered"
    met = all(holds(c["when"], case, concepts) for c in role.get("conditions") or ())
    barred = any(holds(lim["when"], case, concepts) for lim in role.get("limits") or ())
    return "applies" if met and not barred else "blocked"


def reference_verdicts(data: dict[str, Any], rules_dir: str | Path = RULES_DIR) -> dict[str, dict[str, Any]]:
    """Per role id: its status, its cases' statuses in scenario order and, for roles reported per area, per area."""
    concepts, roles = load_rules(str(Path(rules_dir).resolve()))
    out = {}
    for role_id, role in roles.items():
        subject = role["subject"]
        judged = [(area_id, verdict(role, case, concepts)) for area_id, case in _cases(subject, data)]
        entry: dict[str, Any] = {"status": roll_up([s for _, s in judged]), "cases": [s for _, s in judged]}
        if subject["kind"] == "areas" or (subject["kind"] == "events" and set(subject["types"]) <= AREA_EVENT_TYPES):
            entry["areas"] = {
                a["id"]: roll_up([s for area_id, s in judged if area_id == a["id"]]) for a in data.get("areas") or ()
            }
        out[role_id] = entry
    return out
