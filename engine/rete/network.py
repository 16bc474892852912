"""The parts of a compiled rulebook: nodes and how a subject reaches them, what each rule's firing means, and the
compiled rulesets, roles and notices (see `compiler.py` for how conditions become nodes and rules).

Compiled rulebooks are cached as JSON by these classes' names (`cache.py`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..rulebook import conditions as cond
from ..rulebook.model import Role, Rulebook
from ..scenario.vocab import EVENT_TYPES

NOTICES = "notices"  # the ruleset of the notices


class Ref(NamedTuple):
    """A node as seen from a subject: the node, and how its key follows from the subject's."""

    node: str
    link: str  # self | area | adjacent | scenario


# How a join finds a node's key from the subject fact (alias x) for each link.
JOIN = {"self": {"x": "key"}, "area": {"x": "area"}, "adjacent": {"x": "adjacent"}, "scenario": "scenario"}


def compose_link(outer: str, inner: str) -> str:
    """The link to a node reached through another: `inner` as seen from where `outer` leads.

    From a subject, `area` leads to its area and `adjacent` to the area its
    area is adjacent to; the area of an area is itself, so `adjacent` seen
    through `area` is still the subject's adjacent area. The loader rules out
    an adjacent area's adjacent area.
    """
    if inner == "scenario":
        return "scenario"
    if inner == "self":
        return outer
    if inner == "area":
        return "area" if outer in ("self", "area") else outer
    if outer == "adjacent":
        raise ValueError("an adjacent area's adjacent area is out of reach")  # the loader rejects this first
    return "adjacent"


class Origin(NamedTuple):
    """The rule-file item a compiled rule comes from, so that a limit the rule reaches can name it."""

    file: str
    line: int | None
    item: str  # how the item is named: `trigger section_v_or_iv`, `concept x`, `notice y`, `role z`


class Trace(NamedTuple):
    """A formula beside the nodes it compiled to, so an explanation can read each part's value."""

    formula: cond.Formula
    ref: Ref
    children: tuple[Trace, ...] = ()

    def rebase(self, outer: str) -> Trace:
        """The same trace seen from a subject that reaches this one through `outer`."""
        return Trace(
            self.formula,
            Ref(self.ref.node, compose_link(outer, self.ref.link)),
            tuple(child.rebase(outer) for child in self.children),
        )


class Node(NamedTuple):
    """One boolean value per key: a leaf over a fact's field, or a gate over other nodes.

    An `adjacent` node has one child, keyed by the adjacent area. A `some`
    node folds over the events of its area: `inner` is the formula's node as
    seen from each event, `fold` the accumulator node; neither is a child,
    since which events there are differs from scenario to scenario.
    """

    id: str
    kind: str  # leaf | all | any | not | adjacent | some | acc
    scope: str  # the fact kind its keys belong to: scenario | area | event | request
    children: tuple[Ref, ...] = ()
    prop: str = ""
    op: str = ""
    values: tuple[Any, ...] = ()
    inner: tuple[Ref, ...] = ()
    fold: str = ""
    alias: bool = False  # a gate of one child, with no rules: its child's value (negated for `not`)


class Action(NamedTuple):
    """What a rule's firing means: assert a node value, or record a verdict."""

    kind: str  # node | fused | verdict | notice
    node: str = ""
    value: Any = None
    prop: str = ""  # leaves: the field whose value is recorded
    leaves: tuple[tuple[str, str, bool, str], ...] = ()  # fused gates: (leaf, field, value, fact's alias) settled
    emit: bool = True  # whether some rule joins the node, so its value is asserted as a fact


class CompiledRuleset(NamedTuple):
    name: str
    definition: dict[str, Any]
    actions: dict[str, Action]
    nodes: dict[str, Node]
    subject: cond.Scope
    reads: tuple[tuple[str, str], ...] = ()  # (link, prop) pairs the ruleset's rules read


class CompiledGround(NamedTuple):
    """A ground's nodes: its `when` (None: it holds whenever the role is triggered), and the `when` of its
    variants and constraints (None where they have none)."""

    id: str
    when: Trace | None
    ref: Ref | None
    variants: tuple[Trace | None, ...]
    constraints: tuple[Trace | None, ...]


class CompiledRole(NamedTuple):
    role: Role
    ruleset: str
    triggers: tuple[Trace, ...]
    limits: tuple[Trace, ...]
    triggered: Ref
    ok: Ref | None
    grounds: tuple[CompiledGround, ...] = ()
    constraints: tuple[Trace | None, ...] = ()

    def roots(self) -> list[Ref]:
        """Every node a report or explanation of the role reads."""
        refs = [self.triggered] + ([self.ok] if self.ok else [])
        refs += [t.ref for t in (*self.triggers, *self.limits)]
        for ground in self.grounds:
            refs += [ground.ref] if ground.ref else []
            refs += [t.ref for t in (*ground.variants, *ground.constraints) if t is not None]
        refs += [t.ref for t in self.constraints if t is not None]
        return refs


class CompiledNotice(NamedTuple):
    notice_id: str
    when: Trace | None


class CompiledRulebook(NamedTuple):
    """A rulebook as durable_rules rulesets, with what each rule and node means."""

    rulebook: Rulebook
    rulesets: dict[str, CompiledRuleset]
    roles: dict[str, CompiledRole]
    notices: dict[str, CompiledNotice]


def subject_pattern(scope: cond.Scope) -> dict[str, Any]:
    """The durable_rules pattern matching a subject's fact."""
    if scope.kind == "event" and scope.event_types and set(scope.event_types) != set(EVENT_TYPES):
        types = [{"type": t} for t in scope.event_types]
        test = types[0] if len(types) == 1 else {"$or": types}
        return {"$and": [{"t": "event"}, test]}
    return {"t": scope.kind}


def link_for(subject: cond.Scope, target: str) -> str:
    """How a node of scope `target` is keyed from a subject of `subject` scope."""
    if target == "scenario":
        return "scenario"
    if target == subject.kind:
        return "self"
    if target == "area" and subject.has_area():
        return "area"
    raise ValueError(f"{target} is not reachable from {subject.kind}")  # the parser rejects this first
