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

Concepts are shared gates that roles refer to; they are derived by forward
chaining like everything else. Each role and the notices get their own ruleset,
which keeps every ruleset far from durable_rules' size limits (checked below).
"""

from __future__ import annotations

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


class Action(NamedTuple):
    """What a rule's firing means: assert a node value, or record a verdict."""

    kind: str  # node | verdict | notice
    node: str = ""
    value: Any = None
    prop: str = ""  # leaves: the field whose value is recorded


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
    ):
        self.name = name
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
        for positive in (True, False):
            pattern = {"$and": [{"t": spec.scope}, _predicate(spec.prop, compare.op, compare.values, positive)]}
            self.rule([{"x": pattern}], Action("node", node_id, positive, spec.prop))
        return node_id

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
            self.rule([some, _ref_pattern("c0", child, value)], Action("node", node_id, value))
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

        for value in (True, False):
            self.rule([first, _ref_pattern("c0", inner.ref, value)], Action("node", acc, value))
            self.rule([later, earlier(False), _ref_pattern("c1", inner.ref, value)], Action("node", acc, value))
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
        self.nodes[node_id] = Node(node_id, kind, scope.kind, kids)
        subject = {"x": subject_pattern(scope)}

        def child(i: int, value: bool) -> dict[str, Any]:
            return _ref_pattern(f"c{i}", kids[i], value)

        if kind == "not":
            self.rule([subject, child(0, True)], Action("node", node_id, False))
            self.rule([subject, child(0, False)], Action("node", node_id, True))
            return node_id
        decisive = kind == "any"  # the child value that settles the gate: true for any, false for all
        # All children at the non-decisive value: the gate takes that value.
        self.rule([subject] + [child(i, not decisive) for i in range(len(kids))], Action("node", node_id, not decisive))
        # The first child at the decisive value settles it: exactly one of these fires.
        for j in range(len(kids)):
            patterns = [subject] + [child(i, not decisive) for i in range(j)] + [child(j, decisive)]
            self.rule(patterns, Action("node", node_id, decisive))
        return node_id

    # -- rules ---------------------------------------------------------------

    def rule(self, patterns: list[dict[str, Any]], action: Action, name: str | None = None) -> str:
        self.counter += 1
        rule_name = name or f"r{self.counter}"
        self.rules[rule_name] = {"all": patterns, "run": f"{self.name}:{rule_name}"}
        self.actions[rule_name] = action
        self.origins[rule_name] = self.origin
        return rule_name

    def finish(self) -> CompiledRuleset:
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


def compile_rulebook(rulebook: Rulebook) -> CompiledRulebook:
    """Turn a loaded rulebook into durable_rules ruleset definitions; check them against the engine's limits."""
    concept_formulas = {cid: c.named.formula for cid, c in rulebook.concepts.items()}
    concept_scopes = {cid: c.scope for cid, c in rulebook.concepts.items()}
    concept_origins = {cid: _origin(c.named, "", f"concept {cid}") for cid, c in rulebook.concepts.items()}
    rulesets: dict[str, CompiledRuleset] = {}
    roles: dict[str, CompiledRole] = {}
    origins: dict[str, dict[str, Origin]] = {}
    for role in rulebook.roles:
        builder = _Builder(role.id, role.subject.scope, concept_formulas, concept_scopes, concept_origins)
        roles[role.id] = _compile_role(builder, role)
        rulesets[role.id] = builder.finish()
        origins[role.id] = builder.origins
    notices: dict[str, CompiledNotice] = {}
    builder = _Builder(NOTICES, cond.Scope("scenario"), concept_formulas, concept_scopes, concept_origins)
    for notice in rulebook.notices:
        when = None
        if notice.named is not None:
            scope = cond.Scope("area" if notice.subject == "areas" else "scenario")
            with builder.at(_origin(notice.named, "", f"notice {notice.id}")):
                when = builder.formula(notice.named.formula, scope, f"notice:{notice.id}")
                subject = {"x": subject_pattern(scope)}
                for value in (True, False):
                    pattern = _ref_pattern("c0", when.ref, value)
                    builder.rule([subject, pattern], Action("notice", f"notice:{notice.id}", value))
        notices[notice.id] = CompiledNotice(notice.id, when)
    rulesets[NOTICES] = builder.finish()
    origins[NOTICES] = builder.origins
    compiled = CompiledRulebook(rulebook, rulesets, roles, notices)
    problems = [p for name, ruleset in rulesets.items() for p in check_limits(ruleset, rulebook, origins[name])]
    if problems:
        raise RulebookError(rulebook.directory, problems)
    return compiled


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
    builder.rule([subject, _ref_pattern("c0", triggered, False)], Action("verdict", role.id, "not_triggered"))
    if ok is None:
        builder.rule([subject, _ref_pattern("c0", triggered, True)], Action("verdict", role.id, "applies"))
    else:
        for value, status in ((True, "applies"), (False, "blocked")):
            patterns = [subject, _ref_pattern("c0", triggered, True), _ref_pattern("c1", ok, value)]
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
