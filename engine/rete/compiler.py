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
  combination of those comparisons' values (at most builder.FUSE_WIDTH of them), each
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

import json
from collections import Counter
from typing import Any

from ..errors import Problem, RulebookError
from ..rulebook import conditions as cond
from ..rulebook.model import Ground, Named, Role, Rulebook
from .builder import Builder
from .network import (
    NOTICES,
    Action,
    CompiledGround,
    CompiledNotice,
    CompiledRole,
    CompiledRulebook,
    CompiledRuleset,
    Node,
    Origin,
    Ref,
    Trace,
    subject_pattern,
)

# durable_rules limits, from its C source (events.c, rete.c, rules.h).
STACK_LIMIT = 64  # alpha nodes waiting on the matcher's stack for one fact (error 303 past it)
CHILD_LIMIT = 511  # children of one alpha node (a full table hangs the matcher)
BETA_LIMIT = 256  # rules fed by one alpha node
FRAME_LIMIT = 16  # facts joined by one rule


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

    def builder(name: str, scope: cond.Scope, plain: bool) -> Builder:
        return Builder(name, scope, concept_formulas, concept_scopes, concept_origins, plain=plain)

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


def _compile_notices(builder: Builder, rulebook: Rulebook) -> dict[str, CompiledNotice]:
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


def _origin(named: Named | None, file: str, item: str, line: int | None = None) -> Origin:
    """Where an item stands: its own file and line when it kept them, else the file given."""
    if named is not None and named.file:
        return Origin(named.file, named.line, item)
    return Origin(file, line, item)


def _compile_named(builder: Builder, role: Role, section: str, items: tuple[Named, ...]) -> tuple[Trace, ...]:
    scope = role.subject.scope
    traces = []
    for n in items:
        with builder.at(_origin(n, role.file, f"{section} {n.id}")):
            traces.append(builder.formula(n.formula, scope, f"{role.id}:{section}:{n.id}"))
    return tuple(traces)


def _compile_when(builder: Builder, role: Role, named: Named | None, path: str) -> Trace | None:
    return None if named is None else builder.formula(named.formula, role.subject.scope, path)


def _compile_role(builder: Builder, role: Role) -> CompiledRole:
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


def _compile_ground(builder: Builder, role: Role, ground: Ground) -> CompiledGround:
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


# The compiled rulebook's parts are imported from here by the layers above and by cache.py.
__all__ = [
    "Action",
    "CompiledGround",
    "CompiledNotice",
    "CompiledRole",
    "CompiledRulebook",
    "CompiledRuleset",
    "Node",
    "Ref",
    "Trace",
    "check_limits",
    "compile_rulebook",
    "notice_scope",
]
