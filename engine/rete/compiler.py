"""Compiling a rulebook into durable_rules rulesets.

Every condition becomes a small boolean circuit inside the Rete network:

- a *leaf* (`area.kind in [japan, high_seas]`) is a pair of single-fact rules,
  one for the comparison and one for its exact complement, so each area, event,
  request or scenario fact yields exactly one `node` fact saying true or false;
- a *gate* (`all`, `any`, `not`, a concept) is a set of join rules over its
  children's node facts, written so that exactly one of them fires for each
  subject: `all` is true when every child is true, and false at the first child
  that is false (children before it true), and `any` the other way round;
- a role's verdict rules join the subject with its `triggered` and `ok` gates
  and record `applies`, `blocked` or `not_triggered`; `ok` is any of the
  role's grounds (a ground without `when` makes it always true). Limits and
  the `when` of procedure variants and constraints are compiled into nodes
  too, so explanations and reports read their values, but no verdict rule
  reads them;
- `adjacent: F` is a node of each area: false when the area has no
  `adjacent_to`, else F's value for the area it names, joined on the area's
  `adjacent` property;
- `some_event: F` folds over the events located in an area, in file order, by
  positive joins: each event's `prev` names the event before it in the same
  area, and an accumulator node per event is F of the first event, or true
  once an earlier one was, or else F of this one; the area's node takes the
  accumulator of its `last` event (false when it has none).

Because both polarities are derived positively, no rule depends on the absence
of a fact that might still be derived, and every node of every subject gets a
value exactly once. Those values are what explanations are made of, so an
explanation is read off the same firings that produced the verdict.

Fewer firings, the same values (`compile_rulebook(plain=True)` compiles
without these savings, one firing per node, to measure them):

- a gate of one child (a concept or ground that is one formula, `not`) is an
  *alias*: no rules of its own, its value read off its child's (negated for
  `not`), and rules that would join it join its child instead. Where that would
  put one fact in two places of a join, the alias gets its rules back;
- a gate with children that compare fields of the subject's own fact, of the
  scenario's or of the subject's area is *fused*: one set of rules per
  combination of those comparisons' values (at most FUSE_WIDTH of them), each
  testing the facts themselves against every comparison or its complement, then
  joining the gate's other children as usual. The one rule that fires gives the
  gate's value and settles each comparison's value, which then needs no firing
  of its own; so which rule fired still says which child decided;
- a role's single comparison trigger and a fold's comparison are tested in the
  verdict and fold rules that read them, and settled there; a notice is shown as
  its `when` holds, read as an alias is;
- comparisons that only reports read (a limit, the `when` of a procedure) are
  settled a few at a time by fused gates nothing reads, and a node no verdict,
  limit, procedure, constraint or explanation reads gets no rules.

A comparison still gets its own pair of rules where a join reads it.

Concepts are shared gates that roles refer to; they are derived by forward
chaining like everything else. Each role and the notices get their own ruleset,
which keeps every ruleset far from durable_rules' size limits (checked below).
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from ..errors import Problem, RulebookError
from ..rulebook import conditions as cond
from ..rulebook.model import Ground, Named, Role, Rulebook
from ..scenario.vocab import EVENT_TYPES, NOT_APPLICABLE

# durable_rules limits, from its C source (events.c, rete.c, rules.h).
STACK_LIMIT = 64  # alpha nodes waiting on the matcher's stack for one fact (error 303 past it)
CHILD_LIMIT = 511  # children of one alpha node (a full table hangs the matcher)
BETA_LIMIT = 256  # rules fed by one alpha node
FRAME_LIMIT = 16  # facts joined by one rule
GATE_WIDTH = 7  # children per compiled gate; wider gates are split
FUSE_WIDTH = 3  # comparisons a gate is fused over: one rule per combination of their values
# The facts a fused gate's comparisons may be about, as seen from its subject (x): the alias each is matched under,
# and how it is joined to the subject. The adjacent area is not among them: a subject may have none.
FUSED: dict[str, tuple[str, dict[str, Any] | None]] = {
    "self": ("x", None),
    "scenario": ("s", None),
    "area": ("a", {"key": {"x": "area"}}),
}

NOTICES = "notices"


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


def _predicate(prop: str, op: str, values: tuple[Any, ...], positive: bool) -> dict[str, Any]:
    if op == "before":  # a dated fact (date > 0) before the day; its complement: undated, or on or after
        if positive:
            return {"$and": [{"$gt": {prop: 0}}, {"$lt": {prop: values[0]}}]}
        return {"$or": [{prop: 0}, {"$gte": {prop: values[0]}}]}
    if op == "on_or_after":  # undated is 0, before any day
        return {"$gte": {prop: values[0]}} if positive else {"$lt": {prop: values[0]}}
    equal = op in ("eq", "in")
    if not positive:
        equal = not equal
    if equal:
        tests = [{prop: v} for v in values]
        return tests[0] if len(tests) == 1 else {"$or": tests}
    tests = [{"$neq": {prop: v}} for v in values]
    return tests[0] if len(tests) == 1 else {"$and": tests}


class _Builder:
    """Builds one ruleset: nodes, their rules, and the action each rule stands for."""

    def __init__(
        self,
        name: str,
        subject: cond.Scope,
        compiled_concepts: dict[str, cond.Formula],
        concept_scopes: dict[str, str],
        concept_origins: dict[str, Origin] | None = None,
        *,
        plain: bool = False,
    ):
        self.name = name
        self.plain = plain  # every node its own rules, as before fusing and aliasing (for comparison)
        self.subject = subject
        self.concept_formulas = compiled_concepts
        self.concept_scopes = concept_scopes
        self.nodes: dict[str, Node] = {}
        self.rules: dict[str, Any] = {}
        self.actions: dict[str, Action] = {}
        self.leaves: dict[tuple[Any, ...], str] = {}
        self.concept_traces: dict[str, Trace] = {}
        self.reads: set[tuple[str, str]] = set()
        self.counter = 0
        self.concept_origins = concept_origins or {}
        self.origin = Origin("", None, f"ruleset {name}")
        self.origins: dict[str, Origin] = {}  # rule name -> the item it was compiled for
        self.leaf_origins: dict[str, Origin] = {}  # leaf -> the item that first needed it
        self.joins: dict[str, tuple[str, ...]] = {}  # rule name -> the nodes its patterns join
        self.scopes: dict[str, cond.Scope] = {}  # gate -> the scope of its subjects (an alias may need rules later)

    @contextmanager
    def at(self, origin: Origin) -> Iterator[None]:
        """Rules made inside come from `origin` (a shared leaf or concept: from the first item that needed it)."""
        outer, self.origin = self.origin, origin
        try:
            yield
        finally:
            self.origin = outer

    # -- nodes ---------------------------------------------------------------

    def formula(self, formula: cond.Formula, scope: cond.Scope, path: str) -> Trace:
        """Compile a formula evaluated for subjects of `scope`; return it as seen from that scope."""
        if isinstance(formula, cond.Compare):
            node = self.leaf(formula)
            return Trace(formula, Ref(node, link_for(scope, formula.field.scope)))
        if isinstance(formula, cond.ConceptRef):
            node = self.concept(formula.concept)
            link = link_for(scope, self.concept_scopes[formula.concept])
            return Trace(formula, Ref(node, link), (self.concept_traces[formula.concept].rebase(link),))
        if isinstance(formula, cond.Adjacent):
            node, inner = self.adjacent(formula, path)
            link = link_for(scope, "area")
            return Trace(formula, Ref(node, link), (inner.rebase(compose_link(link, "adjacent")),))
        if isinstance(formula, cond.SomeEvent):
            return Trace(formula, Ref(self.some(formula, path), link_for(scope, "area")))
        if isinstance(formula, cond.Not):
            child = self.formula(formula.item, scope, path + "/0")
            return Trace(formula, Ref(self.gate(path, "not", scope, (child.ref,)), "self"), (child,))
        kind = "all" if isinstance(formula, cond.AllOf) else "any"
        kids = tuple(self.formula(item, scope, f"{path}/{i}") for i, item in enumerate(formula.items))
        return Trace(formula, Ref(self.gate(path, kind, scope, tuple(k.ref for k in kids)), "self"), kids)

    def leaf(self, compare: cond.Compare) -> str:
        spec = compare.field
        signature = (spec.scope, spec.prop, compare.op, compare.values)
        if signature in self.leaves:
            return self.leaves[signature]
        node_id = f"leaf{len(self.leaves)}:{spec.path}"
        self.leaves[signature] = node_id
        node = Node(node_id, "leaf", spec.scope, prop=spec.prop, op=compare.op, values=compare.values)
        self.nodes[node_id] = node
        self.leaf_origins[node_id] = self.origin  # its rules, if it needs its own (see `finish`), come from here
        return node_id

    def _leaf_rules(self, node: Node) -> None:
        with self.at(self.leaf_origins.get(node.id, self.origin)):
            for positive in (True, False):
                pattern = {"$and": [{"t": node.scope}, _predicate(node.prop, node.op, node.values, positive)]}
                self.rule([{"x": pattern}], Action("node", node.id, positive, node.prop))

    def concept(self, concept_id: str) -> str:
        node_id = f"concept:{concept_id}"
        if node_id not in self.nodes:  # the loader has ruled out cycles
            scope = cond.Scope(self.concept_scopes[concept_id])
            with self.at(self.concept_origins.get(concept_id, self.origin)):
                root = self.formula(self.concept_formulas[concept_id], scope, node_id + "/0")
                self.concept_traces[concept_id] = root
                self.gate(node_id, "all", scope, (root.ref,), exact_id=True)
        return node_id

    def _unique_id(self, path: str) -> str:
        return path if path not in self.nodes else f"{path}#{len(self.nodes)}"

    def adjacent(self, formula: cond.Adjacent, path: str) -> tuple[str, Trace]:
        """The node of each area saying whether `formula.item` holds in its adjacent area, and that item's trace."""
        inner = self.formula(formula.item, cond.Scope("area"), path + "/0")
        child = Ref(inner.ref.node, compose_link("adjacent", inner.ref.link))
        node_id = self._unique_id(path)
        self.nodes[node_id] = Node(node_id, "adjacent", "area", (child,))
        none = {"x": {"$and": [{"t": "area"}, {"adjacent": NOT_APPLICABLE}]}}
        some = {"x": {"$and": [{"t": "area"}, {"$neq": {"adjacent": NOT_APPLICABLE}}]}}
        self.rule([none], Action("node", node_id, False))
        for value in (True, False):
            self.rule([some, self.ref_pattern("c0", child, value)], Action("node", node_id, value))
        return node_id, inner

    def some(self, formula: cond.SomeEvent, path: str) -> str:
        """The node of each area saying whether some event located there satisfies `formula.item`: a fold."""
        inner = self.formula(formula.item, cond.FOLD_SCOPE, path + "/0")
        node_id = self._unique_id(path)
        acc = node_id + ":acc"
        self.nodes[acc] = Node(acc, "acc", "event", (), inner=(inner.ref,))
        self.nodes[node_id] = Node(node_id, "some", "area", (), inner=(inner.ref,), fold=acc)
        event = subject_pattern(cond.FOLD_SCOPE)
        first = {"x": {"$and": [event, {"prev": NOT_APPLICABLE}]}}
        later = {"x": {"$and": [event, {"$neq": {"prev": NOT_APPLICABLE}}]}}

        def earlier(value: bool) -> dict[str, Any]:
            return {"c0": {"$and": [{"t": "node"}, {"n": acc}, {"v": value}, {"s": {"x": "prev"}}]}}

        if self.compared(inner.ref, cond.FOLD_SCOPE) is not None:  # each event's own test, settled as it folds
            for value in (True, False):
                begin, settled = self.compared_facts(inner.ref, value, first["x"]["$and"])
                self.rule(begin, Action("node", acc, value, leaves=settled))
                then, settled = self.compared_facts(inner.ref, value, later["x"]["$and"])
                self.rule([*then, earlier(False)], Action("node", acc, value, leaves=settled))
                self.rule([*then, earlier(True)], Action("node", acc, True, leaves=settled))
        else:
            for value in (True, False):
                self.rule([first, self.ref_pattern("c0", inner.ref, value)], Action("node", acc, value))
                patterns = [later, earlier(False), self.ref_pattern("c1", inner.ref, value)]
                self.rule(patterns, Action("node", acc, value))
            self.rule([later, earlier(True)], Action("node", acc, True))
        empty = {"x": {"$and": [{"t": "area"}, {"last": NOT_APPLICABLE}]}}
        events = {"x": {"$and": [{"t": "area"}, {"$neq": {"last": NOT_APPLICABLE}}]}}
        self.rule([empty], Action("node", node_id, False))
        for value in (True, False):
            last = {"c0": {"$and": [{"t": "node"}, {"n": acc}, {"v": value}, {"s": {"x": "last"}}]}}
            self.rule([events, last], Action("node", node_id, value))
        return node_id

    def gate(self, path: str, kind: str, scope: cond.Scope, kids: tuple[Ref, ...], *, exact_id: bool = False) -> str:
        # A fact fills one place of a join only, so a child listed twice would never let the gate fire;
        # in `all` and `any` a repeated child changes nothing, so each is joined once.
        kids = tuple(dict.fromkeys(kids))
        if len(kids) > GATE_WIDTH and kind in ("all", "any"):
            groups = [kids[i : i + GATE_WIDTH] for i in range(0, len(kids), GATE_WIDTH)]
            kids = tuple(Ref(self.gate(f"{path}#{g}", kind, scope, group), "self") for g, group in enumerate(groups))
        node_id = path if exact_id or path not in self.nodes else f"{path}#{len(self.nodes)}"
        alias = len(kids) == 1 and not self.plain  # its value is its child's (or the opposite): no firing of its own
        self.nodes[node_id] = Node(node_id, kind, scope.kind, kids, alias=alias)
        self.scopes[node_id] = scope
        if not alias:
            self._gate_rules(node_id)
        return node_id

    def _gate_rules(self, node_id: str) -> None:
        node = self.nodes[node_id]
        kind, scope = node.kind, self.scopes[node_id]
        subject = {"x": subject_pattern(scope)}
        if self._fuse(node_id):
            return
        if kind == "not":
            self.rule([subject, self.ref_pattern("c0", node.children[0], True)], Action("node", node_id, False))
            self.rule([subject, self.ref_pattern("c0", node.children[0], False)], Action("node", node_id, True))
            return
        kids = self.distinct(node.children)

        def child(i: int, value: bool) -> dict[str, Any]:
            return self.ref_pattern(f"c{i}", kids[i], value)

        decisive = kind == "any"  # the child value that settles the gate: true for any, false for all
        # All children at the non-decisive value: the gate takes that value.
        self.rule([subject] + [child(i, not decisive) for i in range(len(kids))], Action("node", node_id, not decisive))
        # The first child at the decisive value settles it: exactly one of these fires.
        for j in range(len(kids)):
            patterns = [subject] + [child(i, not decisive) for i in range(j)] + [child(j, decisive)]
            self.rule(patterns, Action("node", node_id, decisive))

    def _fuse(self, node_id: str) -> bool:
        """Rules testing the facts themselves for a gate with children that compare fields of the subject's own
        fact, of the scenario's or of the subject's area.

        One set of rules per combination of the comparisons' values, each
        testing each fact against its comparisons or their complements: where
        the comparisons settle the gate, one rule; else the gate's usual joins
        over its other children. Exactly one fires for each subject: it gives
        the gate's value and the value of each comparison, which then needs no
        firing of its own. False (no rules made) for a gate with no such child.
        """
        node = self.nodes[node_id]
        if self.plain or node.kind not in ("all", "any"):
            return False
        scope = self.scopes[node_id]
        compared: list[tuple[str, str, bool]] = []  # (leaf, link, negated)
        others: list[Ref] = []
        for kid in node.children:
            ref, negated = self.resolve(kid)
            link = "self" if ref.link == "scenario" and scope.kind == "scenario" else ref.link
            if link in FUSED and self.nodes[ref.node].kind == "leaf":
                compared.append((ref.node, link, negated))
            else:
                others.append(kid)
        leaves = {(leaf, link): self.nodes[leaf] for leaf, link, _ in compared}
        if not leaves or len(leaves) > FUSE_WIDTH:
            return False
        kids = self.distinct(tuple(others))
        test = subject_pattern(scope)
        first = test["$and"] if "$and" in test else [test]
        decisive = node.kind == "any"  # the child value that settles the gate: true for any, false for all
        for values in itertools.product((True, False), repeat=len(leaves)):
            held = dict(zip(leaves, values, strict=True))
            tests: dict[str, list[dict[str, Any]]] = {"self": list(first)}
            for (_, link), leaf in leaves.items():
                if link not in tests:
                    tests[link] = [{"t": leaf.scope}] + ([FUSED[link][1]] if FUSED[link][1] else [])
                tests[link].append(_predicate(leaf.prop, leaf.op, leaf.values, held[(leaf.id, link)]))
            facts = [{FUSED[link][0]: {"$and": tests[link]}} for link in FUSED if link in tests]
            settled = tuple(
                (leaf.id, leaf.prop, held[(leaf.id, link)], FUSED[link][0]) for (_, link), leaf in leaves.items()
            )
            if any((held[(leaf, link)] != negated) == decisive for leaf, link, negated in compared) or not kids:
                settles = any((held[(leaf, link)] != negated) == decisive for leaf, link, negated in compared)
                self.rule(facts, Action("fused", node_id, decisive if settles else not decisive, leaves=settled))
                continue

            def child(i: int, value: bool) -> dict[str, Any]:
                return self.ref_pattern(f"c{i}", kids[i], value)

            action = Action("fused", node_id, not decisive, leaves=settled)
            self.rule(facts + [child(i, not decisive) for i in range(len(kids))], action)
            for j in range(len(kids)):
                patterns = facts + [child(i, not decisive) for i in range(j)] + [child(j, decisive)]
                self.rule(patterns, Action("fused", node_id, decisive, leaves=settled))
        return True

    def _settle(self, roots: list[Ref], scopes: list[cond.Scope], joined: set[str]) -> set[str]:
        """Gates fused over the comparisons that roots read directly and no rule joins; those comparisons."""
        reads: dict[str, set[tuple[str, str]]] = {}  # leaf -> (its subjects' pattern, link) pairs
        patterns: dict[str, cond.Scope] = {}
        for ref, scope in zip(roots, scopes, strict=True):
            target = self.resolve(ref)[0]
            if self.nodes[target.node].kind == "leaf" and target.node not in joined:
                pattern = json.dumps(subject_pattern(scope), sort_keys=True)
                patterns[pattern] = scope
                link = "self" if target.link == "scenario" and scope.kind == "scenario" else target.link
                reads.setdefault(target.node, set()).add((pattern, link))
        groups: dict[str, list[Ref]] = {}  # read by one kind of subject, at one link each: settled together
        for leaf, where in reads.items():
            if len(where) == 1 and next(iter(where))[1] in FUSED:
                ((pattern, link),) = where
                groups.setdefault(pattern, []).append(Ref(leaf, link))
        settled = set()
        for pattern, read in groups.items():
            for i in range(0, len(read), FUSE_WIDTH):
                node_id = f"{self.name}:read#{len(self.scopes)}"
                self.nodes[node_id] = Node(node_id, "all", patterns[pattern].kind, tuple(read[i : i + FUSE_WIDTH]))
                self.scopes[node_id] = patterns[pattern]
                self._gate_rules(node_id)
                settled |= {ref.node for ref in read[i : i + FUSE_WIDTH]}
        return settled

    def compared(self, ref: Ref, scope: cond.Scope) -> tuple[Node, str, bool] | None:
        """The comparison behind `ref` (through aliases), the link to its fact as `FUSED` names it, and whether
        it is negated on the way; None when it is not a comparison of a fact a fused rule can test."""
        target, negated = self.resolve(ref)
        link = "self" if target.link == "scenario" and scope.kind == "scenario" else target.link
        node = self.nodes[target.node]
        if self.plain or node.kind != "leaf" or link not in FUSED:
            return None
        return node, link, negated

    def compared_facts(
        self, ref: Ref, value: bool, subject: list[dict[str, Any]], scope: cond.Scope = cond.FOLD_SCOPE
    ) -> tuple[list[dict[str, Any]], tuple[tuple[str, str, bool, str], ...]]:
        """Patterns for the subject (tested by `subject`) and the fact a comparison `ref` reads, holding that the
        comparison's value is `value`; and what a firing of them settles."""
        found = self.compared(ref, scope)
        assert found is not None
        leaf, link, negated = found
        held = value != negated
        test = _predicate(leaf.prop, leaf.op, leaf.values, held)
        if link == "self":
            return [{"x": {"$and": [*subject, test]}}], ((leaf.id, leaf.prop, held, "x"),)
        alias, join = FUSED[link]
        other = [{"t": leaf.scope}] + ([join] if join else []) + [test]
        return [{"x": {"$and": subject}}, {alias: {"$and": other}}], ((leaf.id, leaf.prop, held, alias),)

    def resolve(self, ref: Ref) -> tuple[Ref, bool]:
        """The node with rules behind `ref`, through aliases, and whether its value is negated on the way."""
        negated = False
        node = self.nodes[ref.node]
        while node.alias:
            child = node.children[0]
            negated ^= node.kind == "not"
            ref = Ref(child.node, compose_link(ref.link, child.link))
            node = self.nodes[ref.node]
        return ref, negated

    def distinct(self, refs: tuple[Ref, ...]) -> tuple[Ref, ...]:
        """`refs` for one join, none of them resolving to the node another does (a fact fills one place of a
        join): an alias that would is given rules of its own."""
        while True:
            seen: dict[Ref, Ref] = {}
            clash = None
            for ref in refs:
                target = self.resolve(ref)[0]
                if target in seen:
                    clash = ref if self.nodes[ref.node].alias else seen[target]
                    break
                seen[target] = ref
            if clash is None:
                return refs
            self.nodes[clash.node] = self.nodes[clash.node]._replace(alias=False)
            self._gate_rules(clash.node)

    def ref_pattern(self, alias: str, ref: Ref, value: bool) -> dict[str, Any]:
        """The pattern joining the fact that says `ref` has `value`: that of the node behind an alias."""
        target, negated = self.resolve(ref)
        return _ref_pattern(alias, target, value != negated)

    # -- rules ---------------------------------------------------------------

    def rule(self, patterns: list[dict[str, Any]], action: Action, name: str | None = None) -> str:
        self.counter += 1
        rule_name = name or f"r{self.counter}"
        self.rules[rule_name] = {"all": patterns, "run": f"{self.name}:{rule_name}"}
        self.actions[rule_name] = action
        self.origins[rule_name] = self.origin
        self.joins[rule_name] = tuple(_joined(patterns))
        return rule_name

    def finish(self, roots: list[Ref], scopes: list[cond.Scope]) -> CompiledRuleset:
        """The ruleset, with rules only for what `roots` (what verdicts, reports and explanations read) need.

        A comparison gets rules of its own only where it is read other than
        through gates fused over it; a node no root reaches gets none.
        Comparisons that roots read directly and no rule joins (a limit, the
        `when` of a procedure) are settled a few at a time, by gates fused
        over them whose value nothing reads. `scopes`: each root's subjects.
        """
        needed = _reached(self.nodes, [ref.node for ref in roots])
        for name, action in list(self.actions.items()):
            if action.kind in ("node", "fused") and action.node not in needed and not self.plain:
                del self.rules[name], self.actions[name], self.joins[name]
        joined = {node for nodes in self.joins.values() for node in nodes}
        alone = {self.resolve(ref)[0].node for ref in roots} | joined
        if not self.plain:
            alone -= self._settle(roots, scopes, joined)
        for node in list(self.nodes.values()):
            if node.kind == "leaf" and (self.plain or (node.id in needed and node.id in alone)):
                self._leaf_rules(node)
        for name, action in self.actions.items():
            leaves = tuple(leaf for leaf in action.leaves if leaf[0] not in alone)
            emit = self.plain or action.node in joined
            self.actions[name] = action._replace(leaves=leaves, emit=emit and action.kind in ("node", "fused"))
        # Every fact kind must reach a rule, or durable_rules rejects the whole batch;
        # a join that can never complete takes any fact without firing.
        for kind in ("scenario", "area", "event", "request", "node"):
            self.rules[f"sink_{kind}"] = {
                "all": [{"a": {"t": kind}}, {"b": {"t": "$never"}}],
                "run": f"{self.name}:sink",
            }
        for node in self.nodes.values():
            if node.kind == "leaf":
                self.reads.add((node.scope, node.prop))
        return CompiledRuleset(self.name, self.rules, self.actions, self.nodes, self.subject, tuple(sorted(self.reads)))


def _joined(patterns: list[dict[str, Any]]) -> Iterator[str]:
    """The nodes whose facts a rule's patterns join."""
    for pattern in patterns:
        ((_, expression),) = pattern.items()
        for test in expression.get("$and", ()) if isinstance(expression, dict) else ():
            if isinstance(test, dict) and set(test) == {"n"}:
                yield test["n"]


def _reached(nodes: dict[str, Node], roots: list[str]) -> set[str]:
    """The nodes whose values the roots read, directly or through others."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        node_id = todo.pop()
        if node_id in seen:
            continue
        seen.add(node_id)
        node = nodes[node_id]
        todo += [ref.node for ref in (*node.children, *node.inner)] + ([node.fold] if node.fold else [])
    return seen


def compile_rulebook(rulebook: Rulebook, *, plain: bool = False) -> CompiledRulebook:
    """Turn a loaded rulebook into durable_rules ruleset definitions; check them against the engine's limits.

    `plain`: every node with rules of its own, no gate fused or aliased, and
    nodes no root reads kept (the rules as they were before those savings, to
    measure them). A ruleset that fusing would take past a limit is compiled
    plain too.
    """
    concept_formulas = {cid: c.named.formula for cid, c in rulebook.concepts.items()}
    concept_scopes = {cid: c.scope for cid, c in rulebook.concepts.items()}
    concept_origins = {cid: _origin(c.named, "", f"concept {cid}") for cid, c in rulebook.concepts.items()}

    def builder(name: str, scope: cond.Scope, plain: bool) -> _Builder:
        return _Builder(name, scope, concept_formulas, concept_scopes, concept_origins, plain=plain)

    rulesets: dict[str, CompiledRuleset] = {}
    roles: dict[str, CompiledRole] = {}
    problems: list[Problem] = []
    for role in rulebook.roles:
        for flat in (plain, True) if not plain else (True,):
            role_builder = builder(role.id, role.subject.scope, flat)
            roles[role.id] = _compile_role(role_builder, role)
            roots = roles[role.id].roots()
            rulesets[role.id] = role_builder.finish(roots, [role.subject.scope] * len(roots))
            found = check_limits(rulesets[role.id], rulebook, role_builder.origins)
            if not found:
                break
        problems += found
    for flat in (plain, True) if not plain else (True,):
        notice_builder = builder(NOTICES, cond.Scope("scenario"), flat)
        notices = _compile_notices(notice_builder, rulebook)
        whens = [
            (notice.when.ref, notice_scope(rulebook, notice_id)) for notice_id, notice in notices.items() if notice.when
        ]
        rulesets[NOTICES] = notice_builder.finish([ref for ref, _ in whens], [scope for _, scope in whens])
        found = check_limits(rulesets[NOTICES], rulebook, notice_builder.origins)
        if not found:
            break
    problems += found
    if problems:
        raise RulebookError(rulebook.directory, problems)
    return CompiledRulebook(rulebook, rulesets, roles, notices)


def _compile_notices(builder: _Builder, rulebook: Rulebook) -> dict[str, CompiledNotice]:
    notices: dict[str, CompiledNotice] = {}
    for notice in rulebook.notices:
        when = None
        if notice.named is not None:
            scope = notice_scope(rulebook, notice.id)
            with builder.at(_origin(notice.named, "", f"notice {notice.id}")):
                when = builder.formula(notice.named.formula, scope, f"notice:{notice.id}")
                subject = {"x": subject_pattern(scope)}
                for value in (True, False) if builder.plain else ():  # else shown as its `when` holds (an alias)
                    pattern = builder.ref_pattern("c0", when.ref, value)
                    builder.rule([subject, pattern], Action("notice", f"notice:{notice.id}", value))
        notices[notice.id] = CompiledNotice(notice.id, when)
    return notices


def notice_scope(rulebook: Rulebook, notice_id: str) -> cond.Scope:
    """The subjects of a notice's `when`: the scenario, or each area."""
    notice = next(n for n in rulebook.notices if n.id == notice_id)
    return cond.Scope("area" if notice.subject == "areas" else "scenario")


def _ref_pattern(alias: str, ref: Ref, value: bool) -> dict[str, Any]:
    return {alias: {"$and": [{"t": "node"}, {"n": ref.node}, {"v": value}, {"s": JOIN[ref.link]}]}}


def _origin(named: Named | None, file: str, item: str, line: int | None = None) -> Origin:
    """Where an item stands: its own file and line when it kept them, else the file given."""
    if named is not None and named.file:
        return Origin(named.file, named.line, item)
    return Origin(file, line, item)


def _compile_named(builder: _Builder, role: Role, section: str, items: tuple[Named, ...]) -> tuple[Trace, ...]:
    scope = role.subject.scope
    traces = []
    for n in items:
        with builder.at(_origin(n, role.file, f"{section} {n.id}")):
            traces.append(builder.formula(n.formula, scope, f"{role.id}:{section}:{n.id}"))
    return tuple(traces)


def _compile_when(builder: _Builder, role: Role, named: Named | None, path: str) -> Trace | None:
    return None if named is None else builder.formula(named.formula, role.subject.scope, path)


def _compile_role(builder: _Builder, role: Role) -> CompiledRole:
    scope = role.subject.scope
    builder.origin = Origin(role.file, None, f"role {role.id}")  # its gates and verdicts: the role as a whole
    triggers = _compile_named(builder, role, "trigger", role.triggers)
    limits = _compile_named(builder, role, "limit", role.limits)
    triggered = Ref(
        builder.gate(f"{role.id}:triggered", "all", scope, tuple(t.ref for t in triggers), exact_id=True), "self"
    )
    grounds = []
    for ground in role.grounds:
        with builder.at(Origin(ground.file or role.file, ground.line, f"ground {ground.id}")):
            grounds.append(_compile_ground(builder, role, ground))
    role_constraints = []
    for i, c in enumerate(role.constraints):
        with builder.at(_origin(c.when, role.file, f"constraint {i}")):
            role_constraints.append(_compile_when(builder, role, c.when, f"{role.id}:constraint:{i}"))
    ok: Ref | None = None
    refs = [g.ref for g in grounds]
    if refs and all(r is not None for r in refs):  # a ground without `when` holds whenever triggered
        held = tuple(r for r in refs if r is not None)
        ok = (
            held[0] if len(held) == 1 else Ref(builder.gate(f"{role.id}:ok", "any", scope, held, exact_id=True), "self")
        )
    subject = {"x": subject_pattern(scope)}
    if builder.compared(triggered, scope) is not None:  # one comparison triggers it: tested here, settled here
        tests = subject["x"]["$and"] if "$and" in subject["x"] else [subject["x"]]
        patterns, settled = builder.compared_facts(triggered, False, tests, scope)
        builder.rule(patterns, Action("verdict", role.id, "not_triggered", leaves=settled))
        patterns, settled = builder.compared_facts(triggered, True, tests, scope)
        if ok is None:
            builder.rule(patterns, Action("verdict", role.id, "applies", leaves=settled))
        else:
            for value, status in ((True, "applies"), (False, "blocked")):
                rule = [*patterns, builder.ref_pattern("c1", ok, value)]
                builder.rule(rule, Action("verdict", role.id, status, leaves=settled))
        return CompiledRole(role, role.id, triggers, limits, triggered, ok, tuple(grounds), tuple(role_constraints))
    builder.rule([subject, builder.ref_pattern("c0", triggered, False)], Action("verdict", role.id, "not_triggered"))
    if ok is None:
        builder.rule([subject, builder.ref_pattern("c0", triggered, True)], Action("verdict", role.id, "applies"))
    else:
        triggered, ok = builder.distinct((triggered, ok))
        for value, status in ((True, "applies"), (False, "blocked")):
            patterns = [subject, builder.ref_pattern("c0", triggered, True), builder.ref_pattern("c1", ok, value)]
            builder.rule(patterns, Action("verdict", role.id, status))
    return CompiledRole(role, role.id, triggers, limits, triggered, ok, tuple(grounds), tuple(role_constraints))


def _compile_ground(builder: _Builder, role: Role, ground: Ground) -> CompiledGround:
    scope = role.subject.scope
    path = f"{role.id}:ground:{ground.id}"
    when, ref = None, None
    if ground.when is not None:
        when = builder.formula(ground.when.formula, scope, path + "/0")
        ref = Ref(builder.gate(path, "all", scope, (when.ref,), exact_id=True), "self")
    variants = tuple(
        _compile_when(builder, role, v.when, f"{path}:procedure:{i}") for i, v in enumerate(ground.variants)
    )
    constraints = tuple(
        _compile_when(builder, role, c.when, f"{path}:constraint:{i}") for i, c in enumerate(ground.constraints)
    )
    return CompiledGround(ground.id, when, ref, variants, constraints)


# ----------------------------------------------------------------------------
# durable_rules limits, checked on the compiled definition so that no rulebook
# that loads can reach them at evaluation time.


def _alpha_chains(pattern: Any) -> list[list[str]]:
    """The alpha-node chains a pattern expands into (`$or` branches become separate chains)."""
    if isinstance(pattern, dict) and len(pattern) == 1:
        ((key, value),) = pattern.items()
        if key == "$and":
            chains: list[list[str]] = [[]]
            for part in value:
                chains = [c + tail for c in chains for tail in _alpha_chains(part)]
            return chains
        if key == "$or":
            return [chain for part in value for chain in _alpha_chains(part)]
    return [[json.dumps(pattern, sort_keys=True)]]


def _stack_bound(trie: dict[str, Any]) -> int:
    """An upper bound on durable_rules' alpha stack while one fact is matched below `trie`.

    The matcher pushes every child of a node that the fact passes, then works
    through them depth first, so the peak is the children pushed together plus
    the peak below the one processed first. Equality tests on one property with
    different constants exclude each other, so at most one of them is pushed;
    any other child (a `$neq`, a join, an `$or` branch) may be.
    """
    if not trie:
        return 0
    together = 0
    by_prop: dict[str, int] = {}
    for key in trie:
        test = json.loads(key)
        ((prop, value),) = test.items() if isinstance(test, dict) and len(test) == 1 else (("", None),)
        if prop and not prop.startswith("$") and not isinstance(value, dict):
            by_prop[prop] = 1
        else:
            together += 1
    together += sum(by_prop.values())
    deepest = max(_stack_bound(sub) for sub in trie.values())
    return max(together, together - 1 + deepest)


def check_limits(
    ruleset: CompiledRuleset, rulebook: Rulebook, origins: dict[str, Origin] | None = None
) -> list[Problem]:
    """Problems if this ruleset could reach a durable_rules limit; empty when it cannot.

    Each problem names the rule-file item whose rules reach the limit (with `origins`, the item each
    rule was compiled for), at its file and line: the one item, or the one that gave the most of them.
    """
    trie: dict[str, Any] = {}
    feeds: dict[str, list[str]] = {}
    problems: list[Problem] = []
    wide: dict[Origin | None, list[tuple[int, str]]] = {}  # rules joining too many facts, by the item they are of
    for name, rule in ruleset.definition.items():
        patterns = rule["all"]
        if len(patterns) > FRAME_LIMIT:
            wide.setdefault((origins or {}).get(name), []).append((len(patterns), name))
        for pattern in patterns:
            ((_, expression),) = pattern.items()
            for chain in _alpha_chains(expression):
                level = trie
                for test in chain:
                    level = level.setdefault(test, {})
                feeds.setdefault(json.dumps(chain), []).append(name)

    for joins in wide.values():
        most, name = max(joins)
        many = f"rule {name} joins {most} facts" if len(joins) == 1 else f"{len(joins)} rules join up to {most} facts"
        message = f"{many}; durable_rules joins at most {FRAME_LIMIT}: split the widest `any` or `all` into concepts"
        problems.append(_blamed(message, [name for _, name in joins], ruleset, rulebook, origins))

    def widest(level: dict[str, Any], path: tuple[str, ...]) -> tuple[int, tuple[str, ...]]:
        return max([(len(level), path)] + [widest(sub, (*path, test)) for test, sub in level.items()])

    pushes = _stack_bound(trie)
    if pushes > STACK_LIMIT:
        message = (
            f"role {ruleset.name!r} tests too many conditions on one kind of fact: up to {pushes} rule branches "
            f"could be pending for one fact at once, and durable_rules handles at most {STACK_LIMIT}. "
            "Merge comparisons of the same field into `in` lists, or share them through a concept."
        )
        problems.append(_blamed(message, list(ruleset.definition), ruleset, rulebook, origins))
    width, below = widest(trie, ())
    if width > CHILD_LIMIT // 2:
        message = f"ruleset {ruleset.name!r} has too many rules branching from one test ({width} branches)"
        problems.append(_blamed(message, _rules_below(ruleset, below), ruleset, rulebook, origins))
    if feeds:
        shared = max(feeds.values(), key=len)
        if len(shared) > BETA_LIMIT // 2:
            message = f"ruleset {ruleset.name!r} has too many rules sharing one pattern ({len(shared)} rules)"
            problems.append(_blamed(message, shared, ruleset, rulebook, origins))
    return problems


def _rules_below(ruleset: CompiledRuleset, prefix: tuple[str, ...]) -> list[str]:
    """The rules with a pattern whose alpha chain starts with `prefix`."""
    size = len(prefix)
    return [
        name
        for name, rule in ruleset.definition.items()
        if any(
            tuple(chain[:size]) == prefix
            for pattern in rule["all"]
            for chain in _alpha_chains(next(iter(pattern.values())))
        )
    ]


def _blamed(
    message: str, rules: list[str], ruleset: CompiledRuleset, rulebook: Rulebook, origins: dict[str, Origin] | None
) -> Problem:
    """A limit's problem at the item that gave the most of `rules` (the ruleset's own file if none is known)."""
    counted = Counter(origins[name] for name in rules if origins and name in origins)
    if not counted:
        return Problem(message, f"{rulebook.directory} (ruleset {ruleset.name})")
    (origin, count), *others = counted.most_common()
    if others:
        share = f"{count} of those {sum(counted.values())} rules come from this {origin.item.split()[0]}"
        message = f"{message} {share[0].upper()}{share[1:]}." if message.endswith(".") else f"{message}; {share}"
    return Problem(message, origin.file or rulebook.directory, origin.line, field=origin.item)
