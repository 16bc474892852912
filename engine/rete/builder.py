"""Building one durable_rules ruleset: the nodes of a role's (or the notices') conditions, the rules that give
each node its value, and what each rule's firing means.

`compiler.py` explains the circuit (leaves, gates, aliases, fused gates, folds);
`Builder.finish` keeps only the rules that what is read needs.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..rulebook import conditions as cond
from ..scenario.vocab import NOT_APPLICABLE
from .network import JOIN, Action, CompiledRuleset, Node, Origin, Ref, Trace, compose_link, link_for, subject_pattern

GATE_WIDTH = 7  # children per compiled gate; wider gates are split
FUSE_WIDTH = 3  # comparisons a gate is fused over: one rule per combination of their values
# The facts a fused gate's comparisons may be about, as seen from its subject (x): the alias each is matched under,
# and how it is joined to the subject. The adjacent area is not among them: a subject may have none.
FUSED: dict[str, tuple[str, dict[str, Any] | None]] = {
    "self": ("x", None),
    "scenario": ("s", None),
    "area": ("a", {"key": {"x": "area"}}),
}


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


class Builder:
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


def _ref_pattern(alias: str, ref: Ref, value: bool) -> dict[str, Any]:
    return {alias: {"$and": [{"t": "node"}, {"n": ref.node}, {"v": value}, {"s": JOIN[ref.link]}]}}
