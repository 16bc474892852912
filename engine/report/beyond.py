"""Measures beyond the roles that the scenario's facts make relevant: the report's "Beyond these roles".

A rulebook's `beyond.yaml` (engine/rulebook/beyond.py) lists measures that
other laws govern. Each is shown for every subject (the scenario, an area, an
event, a request) its `when` holds for, read here in plain Python from the very
facts the engine was given for the roles. Nothing here touches a verdict: the
items are listed beside the roles, named with their provision and why the
facts make them relevant, and the report says they are not evaluated in depth.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..rete.facts import Facts
from ..rulebook import conditions as cond
from ..rulebook.model import Beyond, Rulebook

NOT_IN_DEPTH = (
    "Other laws govern these measures, and the scenario's facts make them relevant. They change no verdict "
    "above, and this tool does not evaluate them in depth."
)


class BeyondEntry(NamedTuple):
    """One measure beyond the roles, shown because its condition holds for a subject."""

    id: str
    measure: str
    provision: str
    because: str
    basis: tuple[str, ...]
    area: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "measure": self.measure,
            "provision": self.provision,
            "because": self.because,
            "basis": list(self.basis),
        }
        if self.area is not None:
            out["area"] = self.area
        return out


def beyond_entries(rulebook: Rulebook, facts: Facts, names: dict[str, str]) -> list[BeyondEntry]:
    """Every measure of the rulebook's `beyond:` whose condition holds, once per item and area, in file order."""
    entries: list[BeyondEntry] = []
    seen: set[tuple[str, str | None]] = set()
    places = {a["key"]: a for a in (*facts.areas, *facts.places)}
    for item in rulebook.beyond:
        for subject in _subjects(item, facts):
            area = _area_of(subject, places)
            scopes = {"scenario": facts.scenario, item.scope.kind: subject, "area": area}
            if not _holds(item.named.formula, scopes, facts, rulebook):
                continue
            area_id = area["key"] if area is not None and area["key"] in names else None
            if (item.id, area_id) in seen:
                continue
            seen.add((item.id, area_id))
            because = item.named.text.replace("{area}", names.get(area_id, "Japan") if area_id else "Japan")
            because = because.replace("{item}", str(subject.get("item", "")).replace("_", " "))
            entries.append(BeyondEntry(item.id, item.measure, item.provision, because, item.named.basis, area_id))
    return entries


def _subjects(item: Beyond, facts: Facts) -> list[dict[str, Any]]:
    scope = item.scope
    if scope.kind == "scenario":
        return [facts.scenario]
    if scope.kind == "area":
        return list(facts.areas)
    if scope.kind == "request":
        return [r for r in facts.requests if not scope.items or r["item"] in scope.items]
    return [e for e in facts.events if not scope.event_types or e["type"] in scope.event_types]


def _area_of(subject: dict[str, Any], places: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    if subject["t"] == "area":
        return subject
    if subject["t"] in ("event", "request"):
        return places.get(subject["area"])
    return None


def _holds(formula: cond.Formula, scopes: dict[str, Any], facts: Facts, rulebook: Rulebook) -> bool:
    """Whether a condition holds for a subject, read as the rule language defines it (docs/rule-language.md)."""
    if isinstance(formula, cond.Compare):
        return formula.holds(scopes.get(formula.field.scope))
    if isinstance(formula, cond.ConceptRef):
        return _holds(rulebook.concepts[formula.concept].named.formula, scopes, facts, rulebook)
    if isinstance(formula, cond.Not):
        return not _holds(formula.item, scopes, facts, rulebook)
    if isinstance(formula, cond.AllOf):
        return all(_holds(item, scopes, facts, rulebook) for item in formula.items)
    if isinstance(formula, cond.AnyOf):
        return any(_holds(item, scopes, facts, rulebook) for item in formula.items)
    area = scopes.get("area")
    if area is None:
        return False
    if isinstance(formula, cond.Adjacent):
        other = next((a for a in facts.areas if a["key"] == area.get("adjacent")), None)
        return other is not None and _holds(formula.item, {**scopes, "area": other}, facts, rulebook)
    here = [e for e in facts.events if e["area"] == area["key"]]
    return any(_holds(formula.item, {**scopes, "event": e}, facts, rulebook) for e in here)
