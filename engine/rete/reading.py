"""What a unit of a compiled rulebook (a role, or a notice with a `when`) reads, and its outcome read off the
firings of one evaluation.

A unit's reads (the fields its comparisons test, following links from the
subject) are its memo key (`read_key`). After an evaluation, the value of every
node it reaches is read off what the firings recorded (`Recorder`): an alias's
(see `compiler.py`) through its child, a comparison settled by a fused gate
from the firing that settled it.
"""

from __future__ import annotations

from typing import Any

from ..errors import EngineError
from ..rulebook.conditions import Scope
from ..scenario.vocab import NOT_APPLICABLE
from .facts import Facts
from .network import NOTICES, CompiledRulebook, Node, Ref, compose_link
from .outcome import Fold, Outcome, Unit


class Recorder:
    """What one evaluation's firings recorded, outside the engine's state."""

    __slots__ = ("nodes", "observed", "verdicts", "errors")

    def __init__(self) -> None:
        self.nodes: dict[tuple[tuple[str, str], str], bool] = {}  # ((ruleset, node), key) -> value
        self.observed: dict[tuple[tuple[str, str], str], Any] = {}
        self.verdicts: dict[tuple[str, str], str] = {}
        self.errors: list[str] = []


class _Walk:
    """What a unit reads, worked out once from the compiled nodes: every (node, link) it reaches, the fields its
    comparisons read, and the folds (`some_event`) over the events of an area, with what they read of each event.
    """

    def __init__(self, nodes: dict[str, Node]) -> None:
        self.nodes = nodes
        self.reach: dict[tuple[str, str], None] = {}
        self.reads: set[tuple[str, str]] = set()
        self.fold_reads: dict[str, set[str]] = {}  # link of the folded area -> event props read
        self.folds: list[Fold] = []
        self.adjacent = False

    def subject(self, node: str, link: str) -> None:
        """Visit a node keyed by the subject (`link` leads from the subject to the node's fact)."""
        if (node, link) in self.reach:
            return
        self.reach[(node, link)] = None
        spec = self.nodes[node]
        if spec.kind == "leaf":
            self.reads.add((link, spec.prop))
        elif spec.kind == "adjacent":
            self.adjacent = True
        elif spec.kind == "some":
            (inner,) = spec.inner
            self.folds.append(Fold(node, link, inner.node, inner.link))
            self.fold_reads.setdefault(link, set())
            self.event(inner.node, inner.link, link)
        for child in spec.children:
            self.subject(child.node, compose_link(link, child.link))

    def event(self, node: str, link: str, area: str) -> None:
        """Visit a node of the fold over the events of the area at `area`; `link` leads from each event."""
        if link != "self":  # the folded area, its adjacent area, the scenario: the same for every event
            self.subject(node, compose_link(area, link))
            return
        spec = self.nodes[node]
        if spec.kind == "leaf":
            self.fold_reads.setdefault(area, set()).add(spec.prop)
        for child in spec.children:
            self.event(child.node, child.link, area)


def units(compiled: CompiledRulebook) -> list[Unit]:
    units = []
    for role_id, role in compiled.roles.items():
        units.append(_unit(compiled, role_id, role.ruleset, role.role.subject.scope, role.roots()))
    for notice in compiled.rulebook.notices:
        when = compiled.notices[notice.id].when
        if when is None:
            continue
        scope = Scope("area" if notice.subject == "areas" else "scenario")
        units.append(_unit(compiled, f"notice:{notice.id}", NOTICES, scope, [when.ref]))
    return units


def _unit(compiled: CompiledRulebook, name: str, ruleset: str, scope: Scope, roots: list[Ref]) -> Unit:
    nodes = compiled.rulesets[ruleset].nodes
    walk = _Walk(nodes)
    for ref in roots:
        walk.subject(ref.node, ref.link)
    reach = tuple(walk.reach)
    leaves = frozenset((node, link) for node, link in reach if nodes[node].kind == "leaf")
    fold_reads = tuple(sorted((link, tuple(sorted(props))) for link, props in walk.fold_reads.items()))
    reads = tuple(sorted(walk.reads))
    local = not fold_reads and not walk.adjacent and all(link in ("self", "scenario") for link, _ in reads)
    return Unit(name, ruleset, scope, reach, reads, leaves, tuple(walk.folds), fold_reads, walk.adjacent, local)


class Places:
    """The areas of one scenario by key (the synthetic one inside Japan included), with the events of each."""

    __slots__ = ("areas", "events")

    def __init__(self, facts: Facts) -> None:
        self.areas = {area["key"]: area for area in (*facts.areas, *facts.places)}
        self.events: dict[str, list[dict[str, Any]]] = {}
        for event in facts.events:
            if event["area"] != NOT_APPLICABLE:
                self.events.setdefault(event["area"], []).append(event)

    def bundle(self, subject: dict[str, Any], scenario: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """The facts a subject's links lead to: itself, the scenario, its area and its area's adjacent area."""
        bundle = {"self": subject, "scenario": scenario}
        area = subject if subject["t"] == "area" else self.areas.get(subject.get("area", NOT_APPLICABLE))
        if area is not None:
            bundle["area"] = area
            adjacent = self.areas.get(area["adjacent"])
            if adjacent is not None:
                bundle["adjacent"] = adjacent
        return bundle


def _key_of(link: str, subject: dict[str, Any]) -> str:
    """The key of the fact `link` leads to from `subject` ("n/a" when there is none)."""
    if link == "self":
        return subject["key"]
    if link == "scenario":
        return "scenario"
    if link == "area" and subject["t"] == "area":
        return subject["key"]
    return subject.get(link, NOT_APPLICABLE)  # area, adjacent


def read_key(unit: Unit, subject: dict[str, Any], facts: Facts, places: Places) -> tuple[Any, ...]:
    """What a unit's rules read for one subject, following links: its memo key.

    The values of the fields its comparisons read (on the subject, its area,
    the adjacent area, the scenario), whether there is an adjacent area, and
    for each fold, what it reads of every event of the folded area, in order.
    """
    if unit.local:  # only the subject's own fields and the scenario's: no link to follow
        scenario = facts.scenario
        return tuple([subject[prop] if link == "self" else scenario[prop] for link, prop in unit.reads])
    bundle = places.bundle(subject, facts.scenario)
    values: list[Any] = []
    for link, prop in unit.reads:
        fact = bundle.get(link)
        if fact is None and link != "adjacent":  # validation rules this out: events and requests name known areas
            raise EngineError(f"{subject['key']} lacks what {unit.name} reads: {link}")
        values.append(None if fact is None else fact[prop])
    if unit.adjacent:
        values.append("adjacent" in bundle)
    for link, props in unit.fold_reads:
        area = bundle.get(link)
        events = places.events.get(area["key"], ()) if area is not None else None
        values.append(None if events is None else tuple(tuple(e[p] for p in props) for e in events))
    return tuple(values)


def settle(recorder: Recorder, settled: list[tuple[Any, str, bool, str]], matched: dict[str, Any]) -> None:
    """Record the comparisons a firing settled: each a field of one of the facts it matched (by alias)."""
    for leaf, field, held, alias in settled:
        fact = matched[alias]
        where = fact["key"]
        if recorder.nodes.setdefault((leaf, where), held) != held:
            recorder.errors.append(f"node {leaf[1]} of {where} was derived both true and false")
        recorder.observed[(leaf, where)] = fact[field]


def _value(nodes: dict[str, Node], recorder: Recorder, ruleset: str, node: str, link: str, fact: dict[str, Any]):  # type: ignore[no-untyped-def]
    """The value the firings gave `node` at the end of `link` from `fact`; through aliases, their child's."""
    negated = False
    spec = nodes[node]
    while spec.alias:
        child = spec.children[0]
        negated ^= spec.kind == "not"
        node, link = child.node, compose_link(link, child.link)
        spec = nodes[node]
    value = recorder.nodes.get(((ruleset, node), _key_of(link, fact)))
    return None if value is None else value != negated


def outcome_of(
    unit: Unit,
    subject: dict[str, Any],
    places: Places,
    recorder: Recorder,
    nodes: dict[str, Node],
    shown_by: Ref | None = None,
) -> Outcome:
    key = subject["key"]
    status = recorder.verdicts.get((unit.name, key))
    if status is None and shown_by is not None:  # a notice compiled without rules of its own
        shown = _value(nodes, recorder, unit.ruleset, shown_by.node, shown_by.link, subject)
        status = None if shown is None else ("shown" if shown else "hidden")
    values: dict[tuple[str, str], bool] = {}
    observed: dict[tuple[str, str], Any] = {}
    for node, link in unit.reach:
        where = _key_of(link, subject)
        if where == NOT_APPLICABLE:  # nothing there (no adjacent area): its nodes have no value
            continue
        slot = ((unit.ruleset, node), where)
        value = _value(nodes, recorder, unit.ruleset, node, link, subject)
        if value is None:
            raise EngineError(f"the engine derived no value for {node} of {where} ({unit.name})")
        values[(node, link)] = value
        if slot in recorder.observed:
            observed[(node, link)] = recorder.observed[slot]
    folds: dict[tuple[str, str], tuple[int, ...]] = {}
    for fold in unit.folds:
        area = _key_of(fold.link, subject)
        if area == NOT_APPLICABLE:
            continue
        held = []
        for position, event in enumerate(places.events.get(area, ())):
            value = _value(nodes, recorder, unit.ruleset, fold.inner, fold.inner_link, event)
            if value is None:
                raise EngineError(f"the engine derived no value for {fold.inner} of {event['key']} ({unit.name})")
            if value:
                held.append(position)
        folds[(fold.node, fold.link)] = tuple(held)
    if status is None:
        raise EngineError(f"the engine reached no verdict for {unit.name} of {key}")
    return Outcome(status, values, observed, folds)
