"""A second, independent reading of the rule files, for differential tests.

The engine compiles the rulebook into durable_rules rulesets: every comparison
becomes a rule and its complement, defaults become facts, concepts are forward
chained, `adjacent:` and `some_event:` become joins. A slip anywhere in that
path (a wrong complement, a lost default, an event joined to the wrong area, a
request placed in the wrong area) would still give plausible verdicts. This
module reads the same YAML files with PyYAML and interprets the rule language
directly, in plain Python, following only the README, the design of the rule
language and the scenario contract. It imports nothing from `engine` on
purpose: the tests check that the two readings agree, role by role, area by
area, request by request and case by case, on the verdict, the ground, every
limit that holds and the procedure.

The language read here:

- a role has `triggers` (all must hold, else not triggered), `grounds` (the
  case applies if any holds; a ground without `when` always holds) and
  `limits` (they explain a block and never decide it);
- conditions are `all`, `any`, `not`, `concept`, a field compared with `eq`,
  `ne`, `in`, `not_in` (and `date` with `before` / `on_or_after`, false when
  the scenario is undated), `adjacent: F` (F read on the area the case's area
  names in `adjacent_to`; false without one) and `some_event: F` (some event
  located in the area satisfies F);
- a request without an `area` is met inside Japan: a Japanese area with no
  combat and no consent;
- a procedure is one mapping or a list of variants: the first whose `when`
  holds (a variant without `when` always does);
- `in_force: {date, law}` on a ground (or on the role, for every ground that
  does not say) or a limit: on a dated scenario before that day it does not
  hold; and the role has one more limit per law its grounds rest on,
  `not_in_force_<law in lower-case words joined by _>`, that holds then;
- a rulebook whose rulebook.yaml says `extends: ID` is the rulebook ID beside
  it with each of its own files laid over the base's file of the same name:
  items of the lists (triggers, grounds, limits, concepts,
  notices, invariants) replaced by id where they stand or appended, `remove:`
  dropping ids, any other key replaced.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

RULES_DIR = Path(__file__).resolve().parent.parent / "rules" / "1997"
RULES_2015 = RULES_DIR.parent / "2015"

# The scenario contract: the fields each event type has, with their defaults
# (None: required, no default). `area` marks the event types that happen in an area.
EVENT_FIELDS: dict[str, dict[str, Any]] = {
    "mines": {"area": None, "status": None, "conflict": "current"},
    "persons_in_distress": {"area": None, "who": "noncombatants", "rescue_under_way": False},
    "sanctions_shipping": {"area": None, "flag_state_consent": False, "vessels": "merchant"},
    "refugee_flow": {"toward": None},
    "evacuation": {},
}
AREA_EVENT_TYPES = frozenset(t for t, fields in EVENT_FIELDS.items() if "area" in fields)
SITUATION_DEFAULTS = {
    "armed_attack_on_japan": False,
    "survival_threatening": False,
    "un_sanctions_resolution": False,
    "ceasefire": "none",
}
AREA_DEFAULTS = {"combat": "none", "consent": False, "adjacent_to": None}
# Where a request without an area is met: inside Japan.
INSIDE_JAPAN = {"id": None, "kind": "japan", "combat": "none", "consent": False, "adjacent_to": None}
FORCES = (("us", "us_forces"), ("other", "other_forces"))
ORDER = ("not_triggered", "blocked", "applies")  # roll-up rank, lowest first
DIET_RANK = ("none", "prior_or_after", "prior")


class _Absent:
    """A field the subject does not have: it equals no value a rule can name."""

    def __repr__(self) -> str:
        return "<absent>"


ABSENT = _Absent()


# The lists of each kind of rule file that an extending rulebook merges by id (README, "One rulebook extends
# another").
MERGED_LISTS = {
    "concepts.yaml": ("concepts",),
    "notices.yaml": ("notices",),
    "invariants.yaml": ("invariants",),
    "beyond.yaml": ("beyond",),
}
ROLE_LISTS = ("triggers", "grounds", "limits")


@lru_cache(maxsize=16)
def rule_files(rules_dir: str) -> dict[str, Any]:
    """Every rule file of a rulebook as data, by relative path; for a rulebook whose rulebook.yaml says
    `extends: ID`, the files of the rulebook ID beside it, each merged with this rulebook's file of the same name."""
    root = Path(rules_dir)
    own = {
        path.relative_to(root).as_posix(): yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in [*root.glob("*.yaml"), *root.glob("roles/*.yaml")]
    }
    base_id = (own.get("rulebook.yaml") or {}).get("extends")
    if base_id is None:
        return own
    merged = dict(rule_files(str((root.parent / str(base_id)).resolve())))
    for relative, data in own.items():
        lists = ROLE_LISTS if relative.startswith("roles/") else MERGED_LISTS.get(relative, ())
        merged[relative] = _merge(merged[relative], data, lists) if relative in merged else data
    return merged


def _merge(base: dict[str, Any], extra: dict[str, Any], lists: tuple[str, ...]) -> dict[str, Any]:
    """`extra` over `base`: items of `lists` merged by id (replaced in place, new ones appended, `remove:` ids
    dropped), sources added to, any other key replaced."""
    removed = set(extra.get("remove") or ())
    out = dict(base)
    for name in lists:
        items = [item for item in base.get(name) or () if item.get("id") not in removed]
        for item in extra.get(name) or ():
            at = [i for i, old in enumerate(items) if old.get("id") == item.get("id")]
            if at:
                items[at[0]] = item
            else:
                items.append(item)
        if name in base or name in extra:
            out[name] = items
    for key, value in extra.items():
        if key in lists or key == "remove":
            continue
        out[key] = {**base[key], **value} if key == "sources" and isinstance(base.get(key), dict) else value
    return out


@lru_cache(maxsize=16)
def load_rules(rules_dir: str) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """(concepts by id, roles by id in rulebook order, notices) as the YAML files hold them (merged with the
    rulebook's base's, when it extends one)."""
    files = rule_files(rules_dir)
    concepts = files["concepts.yaml"]["concepts"]
    roles = [data for relative, data in sorted(files.items()) if relative.startswith("roles/")]
    # The order `roles:` of rulebook.yaml gives (the base's, unless the rulebook gives its own), then by id.
    order = list((files.get("rulebook.yaml") or {}).get("roles") or [])
    roles.sort(key=lambda r: (order.index(r["role"]), "") if r["role"] in order else (len(order), r["role"]))
    notices = (files.get("notices.yaml") or {}).get("notices") or []
    return {c["id"]: c for c in concepts}, {r["role"]: r for r in roles}, notices


def roll_up(statuses: list[str]) -> str:
    """applies anywhere, else blocked anywhere, else not triggered (also when there is nothing)."""
    return max(statuses, key=ORDER.index, default="not_triggered")


def _as_date(value: Any) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def _compare(value: Any, spec: Any) -> bool:
    op, operand = next(iter(spec.items())) if isinstance(spec, dict) else ("eq", spec)
    if op in ("before", "on_or_after"):
        if value is None:  # undated: neither before nor after any day
            return False
        day = _as_date(operand)
        return value < day if op == "before" else value >= day
    if op == "eq":
        return value == operand and type(value) is type(operand)
    if op == "ne":
        return not (value == operand and type(value) is type(operand))
    if op == "in":
        return any(value == v and type(value) is type(v) for v in operand)
    if op == "not_in":
        return not any(value == v and type(value) is type(v) for v in operand)
    raise ValueError(f"unknown operator {op!r}")


def _read(path: str, case: dict[str, Any]) -> Any:
    if path == "date":
        return case["date"]
    scope, _, name = path.partition(".")
    if scope == "situation":
        return case["situation"].get(name, ABSENT)
    if scope in ("us_forces", "other_forces") and name == "operating":
        return case["operating"][scope]
    if scope in ("area", "event", "request"):
        holder = case.get(scope)
        return ABSENT if holder is None else holder.get(name, ABSENT)
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
        seen = _scenario_part(case)
        if concept["scope"] == "area":
            seen["area"] = case.get("area")
        return holds(concept["when"], seen, concepts)
    if key == "adjacent":
        area = case.get("area")
        target = None if area is None or area.get("adjacent_to") is None else case["areas"].get(area["adjacent_to"])
        if target is None:
            return False
        return holds(value, {**_scenario_part(case), "area": target}, concepts)
    if key == "some_event":
        area = case.get("area")
        if area is None or area.get("id") is None:
            return False
        return any(
            holds(value, {**_scenario_part(case), "area": area, "event": event}, concepts)
            for event in case["events"]
            if event.get("area") == area["id"]
        )
    return _compare(_read(key, case), value)


def _scenario_part(case: dict[str, Any]) -> dict[str, Any]:
    return {k: case[k] for k in ("situation", "operating", "date", "scenario", "areas", "events")}


def _event_values(event: dict[str, Any]) -> dict[str, Any]:
    fields = EVENT_FIELDS[event["type"]]
    return {"type": event["type"], **{name: event.get(name, default) for name, default in fields.items()}}


def normalise(data: dict[str, Any]) -> dict[str, Any]:
    """The parts of a scenario a case reads, with every default filled in."""
    situation = {**SITUATION_DEFAULTS, **(data.get("situation") or {})}
    forces = {key: data.get(key) or {} for _, key in FORCES}
    areas = {a["id"]: {**AREA_DEFAULTS, **a} for a in data.get("areas") or ()}
    events = [_event_values(e) for e in data.get("events") or ()]
    return {
        "situation": situation,
        "operating": {key: bool(forces[key].get("operating", False)) for _, key in FORCES},
        "date": _as_date(data.get("date")),
        "scenario": data,
        "areas": areas,
        "events": events,
        "forces": forces,
    }


def _requests(base: dict[str, Any]) -> list[dict[str, Any]]:
    """Every request, us_forces' first then other_forces', each with its force and place."""
    out = []
    for force, key in FORCES:
        for request in base["forces"][key].get("requests") or ():
            item, area_id = (request, None) if isinstance(request, str) else (request["item"], request.get("area"))
            out.append({"force": force, "item": item, "area": area_id, "operating": base["operating"][key]})
    return out


def _cases(subject: dict[str, Any], base: dict[str, Any]) -> list[dict[str, Any]]:
    """Each case of a role: `key` (area id, event index, request) and the case the conditions read."""
    kind = subject["kind"]
    common = _scenario_part(base)
    if kind == "areas":
        return [{"area_id": area_id, **common, "area": area} for area_id, area in base["areas"].items()]
    if kind == "requests":
        items = subject.get("items")
        out = []
        for request in _requests(base):
            if items is not None and request["item"] not in items:
                continue
            place = INSIDE_JAPAN if request["area"] is None else base["areas"][request["area"]]
            out.append({"request_key": request, **common, "request": request, "area": place})
        return out
    if kind == "scenario":
        return [{**common}]
    out = []
    for event in base["events"]:
        if event["type"] not in subject["types"]:
            continue
        area_id = event.get("area")
        out.append({"area_id": area_id, **common, "event": event, "area": base["areas"].get(area_id)})
    return out


def _procedure(spec: Any, case: dict[str, Any], concepts: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The procedure a ground gives this case: the first variant whose `when` holds."""
    if spec is None:
        return None
    for variant in spec if isinstance(spec, list) else [spec]:
        if "when" not in variant or holds(variant["when"], case, concepts):
            return variant
    return None


def _in_force(role: dict[str, Any], ground: dict[str, Any]) -> Any:
    return ground["in_force"] if "in_force" in ground else role.get("in_force")


def _early(in_force: Any, case: dict[str, Any]) -> bool:
    """Whether a dated case falls before the day a law came into force."""
    return bool(in_force) and case["date"] is not None and case["date"] < _as_date(in_force["date"])


def _ground_holds(role: dict[str, Any], ground: dict[str, Any], case: dict[str, Any], concepts: Any) -> bool:
    if _early(_in_force(role, ground), case):
        return False
    return "when" not in ground or holds(ground["when"], case, concepts)


def _laws(role: dict[str, Any]) -> list[Any]:
    """The laws the role's grounds rest on, once each, in the order of the grounds."""
    out: list[Any] = []
    for ground in role.get("grounds") or ():
        law = _in_force(role, ground)
        if law and _law_limit(law) not in [_law_limit(x) for x in out]:
            out.append(law)
    return out


def _law_limit(law: Any) -> str:
    return "not_in_force_" + "_".join(re.findall(r"[a-z0-9]+", law["law"].lower()))


def judge(role: dict[str, Any], case: dict[str, Any], concepts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One case: its status, ground(s), the limits that hold, and the procedures of the grounds that hold."""
    if not all(holds(t["when"], case, concepts) for t in role.get("triggers") or ()):
        return {"status": "not_triggered", "ground": None, "grounds": None, "limits": [], "procedures": []}
    grounds = [g for g in role.get("grounds") or () if _ground_holds(role, g, case, concepts)]
    limits = [lim["id"] for lim in role.get("limits") or () if holds(lim["when"], case, concepts)]
    limits = [
        lim for lim in limits
        if not _early(next(x for x in role["limits"] if x["id"] == lim).get("in_force"), case)
    ]  # fmt: skip
    for law in _laws(role):
        if _early(law, case):
            limits.append(_law_limit(law))
    constraints = [
        c["text"]
        for g in grounds
        for c in g.get("constraints") or ()
        if "when" not in c or holds(c["when"], case, concepts)
    ]
    if grounds:
        constraints += [
            c["text"] for c in role.get("constraints") or () if "when" not in c or holds(c["when"], case, concepts)
        ]
    return {
        "status": "applies" if grounds else "blocked",
        "ground": grounds[0]["id"] if grounds else None,
        "grounds": [g["id"] for g in grounds] if grounds else None,
        "limits": limits,
        "procedures": [(g["id"], _procedure(g.get("procedure"), case, concepts)) for g in grounds],
        "constraints": constraints,
    }


def _entry(judged: list[dict[str, Any]], role: dict[str, Any]) -> dict[str, Any]:
    """An area's entry: its cases rolled up; the union of their grounds in file order, and the first of them."""
    status = roll_up([j["status"] for j in judged])
    order = [g["id"] for g in role.get("grounds") or ()]
    held = {g for j in judged if j["status"] == "applies" for g in j["grounds"]}
    limits = {lim for j in judged if j["status"] == "blocked" for lim in j["limits"]}
    grounds = [g for g in order if g in held]
    return {
        "status": status,
        "ground": grounds[0] if grounds else None,  # the earliest ground some case applies on
        "grounds": grounds or None,
        "limits": [lim for lim in _limit_ids(role) if lim in limits] if status == "blocked" else [],
    }


def _limit_ids(role: dict[str, Any]) -> list[str]:
    """The role's limits in the order the engine keeps them: its own, then one per law not yet in force."""
    return [lim["id"] for lim in role.get("limits") or ()] + [_law_limit(law) for law in _laws(role)]


def reference_report(data: dict[str, Any], rules_dir: str | Path = RULES_DIR) -> dict[str, Any]:
    """Per role id: status, cases, per-area entries or requests, and the Diet approval of the procedures used.

    The role's Diet approval is the strictest of the procedures of the grounds its applying cases
    apply on (None when no case applies); notices are (id, area id or None).
    """
    concepts, roles, notices = load_rules(str(Path(rules_dir).resolve()))
    base = normalise(data)
    out: dict[str, Any] = {}
    for role_id, role in roles.items():
        subject = role["subject"]
        cases = _cases(subject, base)
        judged = [judge(role, case, concepts) for case in cases]
        whole = _entry(judged, role)
        entry: dict[str, Any] = {
            "status": whole["status"],
            "ground": whole["ground"],
            "grounds": whole["grounds"],
            "cases": judged,
        }
        per_area = subject["kind"] == "areas" or (
            subject["kind"] == "events" and set(subject["types"]) <= AREA_EVENT_TYPES
        )
        if per_area:
            entry["areas"] = {
                area_id: _entry([j for c, j in zip(cases, judged, strict=True) if c["area_id"] == area_id], role)
                for area_id in base["areas"]
            }
        if subject["kind"] == "requests":
            entry["requests"] = [
                {**{k: c["request_key"][k] for k in ("force", "item", "area")}, **j}
                for c, j in zip(cases, judged, strict=True)
                if c["request_key"]["operating"]
            ]
        # Each applying case is decided by the procedure of the ground it applies on (its first).
        applied = [j["procedures"][0][1] for j in judged if j["status"] == "applies" and j["procedures"][0][1]]
        entry["diet_approval"] = max((p["diet_approval"] for p in applied), key=DIET_RANK.index, default=None)
        out[role_id] = entry
    shown = []
    for notice in notices:
        if notice.get("subject", "scenario") == "areas":
            for area_id, area in base["areas"].items():
                if "when" not in notice or holds(notice["when"], {**_scenario_part(base), "area": area}, concepts):
                    shown.append((notice["id"], area_id))
        elif "when" not in notice or notice["when"] is None or holds(notice["when"], _scenario_part(base), concepts):
            shown.append((notice["id"], None))
    return {"roles": out, "notices": shown}


def reference_verdicts(data: dict[str, Any], rules_dir: str | Path = RULES_DIR) -> dict[str, dict[str, Any]]:
    """Per role id: its status, its cases' statuses in scenario order and, for roles reported per area, per area."""
    report = reference_report(data, rules_dir)["roles"]
    out = {}
    for role_id, entry in report.items():
        short: dict[str, Any] = {"status": entry["status"], "cases": [j["status"] for j in entry["cases"]]}
        if "areas" in entry:
            short["areas"] = {area_id: area["status"] for area_id, area in entry["areas"].items()}
        if "requests" in entry:
            short["requests"] = [(r["force"], r["item"], r["area"], r["status"]) for r in entry["requests"]]
        out[role_id] = short
    return out


def reference_beyond(data: dict[str, Any], rules_dir: str | Path = RULES_DIR) -> list[tuple[str, str | None]]:
    """The measures beyond the roles a report lists (`beyond.yaml`): (id, area id or None), once each, in file
    order. An item is read for its `subject` (the scenario by default; events of its `types`, requests of its
    `items`), as a role's cases are; it decides nothing."""
    root = str(Path(rules_dir).resolve())
    concepts = load_rules(root)[0]
    items = (rule_files(root).get("beyond.yaml") or {}).get("beyond") or []
    base = normalise(data)
    shown: list[tuple[str, str | None]] = []
    for item in items:
        kind = item.get("subject", "scenario")
        subject = {"kind": kind, "types": item.get("types") or list(EVENT_FIELDS), "items": item.get("items")}
        for case in _cases(subject, base):
            if not holds(item["when"], case, concepts):
                continue
            area = case["request_key"]["area"] if kind == "requests" else case.get("area_id")
            if (item["id"], area) not in shown:
                shown.append((item["id"], area))
    return shown
