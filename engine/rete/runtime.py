"""Running compiled rulesets on durable_rules, and what one evaluation records.

Design around durable_rules 2.0.28's known behaviour:

- The Host's two background timer threads touch the engine without locks, so
  `host.QuietHost` never starts them; actions run synchronously inside each call.
- Each evaluation gets its own sid, and its state is deleted in `finally`:
  more than 1024 live sids in one ruleset is a MemoryError.
- A fact no rule takes makes the whole batch fail (and deleting that state
  crashes the process), so every ruleset has a sink rule per fact kind.
- Exceptions inside actions are swallowed by durable_rules, so actions catch
  their own and the evaluation raises them afterwards as `EngineError`.
- Identical facts merge unless they carry distinct ids, so every fact has one.
- Results are recorded in Python, outside the engine's state: writing the state
  would make durable_rules re-assert it as a fact.
- Facts cross into the engine with only the fields some rule of the ruleset
  tests or records, and a node's value becomes a fact only when a rule joins
  it: each is JSON both ways.
- The value of an alias (see `compiler.py`) and a comparison settled by a fused
  gate are read here, off the firings of the nodes that carry them.

Verdicts are memoised per subject: two subjects whose bundle of read fields is
equal get the same firings, so the outcome of the first evaluation (verdict and
node values alike) serves both. The memo is emptied when it is full, by count or
by an estimate of its size in bytes, so a long batch runs in flat memory
whatever its scenarios hold. `Evaluator(memo=False)` turns this off. With a
memo store (see `memo.py`) the outcomes outlive the process, under the same key
as the compiled rulebook they came from.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import EngineError
from ..rulebook.conditions import Scope
from ..rulebook.model import Rulebook
from ..scenario.fields import EVENT_PROPS
from ..scenario.vocab import FACILITY_ITEMS, JAPAN_AREA, NOT_APPLICABLE
from .compiler import (
    NOTICES,
    Action,
    CompiledRulebook,
    CompiledRuleset,
    Node,
    Ref,
    compile_rulebook,
    compose_link,
    link_for,
)
from .outcome import Fold, Outcome, Unit

if TYPE_CHECKING:  # pragma: no cover
    from .host import QuietHost
    from .memo import MemoStore

MEMO_LIMIT = 100_000  # outcomes kept in memory
MEMO_BYTES = 48 * 2**20  # and their estimated size: many small ones or fewer big ones, memory stays flat


def _footprint(key: tuple[Any, ...], outcome: Outcome) -> int:
    """An estimate of the bytes a memo entry holds: the key, the outcome's dictionaries, and the words that
    reports later keep on it (`Outcome.derived`). Deliberately generous: it bounds memory, it is not a count."""
    return 1024 + 64 * len(key) + 96 * (len(outcome.values) + len(outcome.observed) + len(outcome.folds))


# ----------------------------------------------------------------------------
# Facts


class Facts(NamedTuple):
    """A scenario as engine facts: one scenario fact, and one per area, event and request.

    `places` holds the synthetic area of requests that name none (inside
    Japan): an area for the rules, never a subject of a role or a report.
    """

    scenario: dict[str, Any]
    areas: list[dict[str, Any]]
    events: list[dict[str, Any]]
    requests: list[dict[str, Any]]
    places: Sequence[dict[str, Any]] = ()

    def all(self) -> list[dict[str, Any]]:
        return [self.scenario, *self.areas, *self.places, *self.events, *self.requests]

    def subjects(self, scope: Scope) -> list[dict[str, Any]]:
        if scope.kind == "scenario":
            return [self.scenario]
        if scope.kind == "area":
            return self.areas
        if scope.kind == "request":
            return [r for r in self.requests if not scope.items or r["item"] in scope.items]
        return [e for e in self.events if e["type"] in scope.event_types]


def date_number(value: Any) -> int:
    """A date as the engine compares it: the integer YYYYMMDD, 0 when there is none."""
    if not value:
        return 0
    text = value if isinstance(value, str) else value.isoformat()
    return int(text[:10].replace("-", ""))


def facts_from_data(data: dict[str, Any]) -> Facts:
    """Engine facts from a validated scenario as plain data (`Scenario.model_dump()`).

    The data must be validated: the model fills in the contract's defaults, and
    a field missing here would read as not applicable. Besides the scenario's
    own fields, facts carry what the rules' links follow: an event's and a
    request's area and that area's `adjacent` one, and for the fold over the
    events of an area, each event's `prev` (the event before it in the same
    area) and each area's `last`.
    """
    situation = data["situation"]
    us_forces = data.get("us_forces") or {}
    other_forces = data.get("other_forces") or {}
    scenario = {
        "id": "scenario",
        "t": "scenario",
        "key": "scenario",
        "important_influence": situation["important_influence"],
        "armed_attack_on_japan": situation.get("armed_attack_on_japan", False),
        "survival_threatening": situation.get("survival_threatening", False),
        "un_sanctions_resolution": situation.get("un_sanctions_resolution", False),
        "ceasefire": situation.get("ceasefire", "none"),
        "us_operating": us_forces.get("operating", False),
        "other_operating": other_forces.get("operating", False),
        "date": date_number(data.get("date")),
    }
    areas = [
        {
            "id": "a:" + area["id"],
            "t": "area",
            "key": area["id"],
            "kind": area["kind"],
            "combat": area.get("combat", "none"),
            "consent": area.get("consent", False),
            "adjacent": area.get("adjacent_to") or NOT_APPLICABLE,
            "last": NOT_APPLICABLE,
        }
        for area in data.get("areas") or ()
    ]
    by_key = {area["key"]: area for area in areas}
    events = []
    for i, event in enumerate(data.get("events") or ()):
        key = f"e{i}"
        fact = {"id": f"e:{i}", "t": "event", "key": key, "index": i, "area": NOT_APPLICABLE}
        for prop in EVENT_PROPS:
            value = event.get(prop)
            fact[prop] = NOT_APPLICABLE if value is None else value
        area = by_key.get(event.get("area") or "")
        fact["adjacent"] = fact["prev"] = NOT_APPLICABLE
        if area is not None:
            fact["area"] = area["key"]
            fact["adjacent"] = area["adjacent"]
            fact["prev"] = area["last"]
            area["last"] = key
        events.append(fact)
    requests = []
    places = []
    for force, block in (("us", us_forces), ("other", other_forces)):
        for i, entry in enumerate(block.get("requests") or ()):
            item, where = (entry["item"], entry.get("area")) if isinstance(entry, dict) else (entry, None)
            # Facilities are inside Japan whatever area a request names (validation warns of it).
            area = None if item in FACILITY_ITEMS else by_key.get(where or "")
            n = len(requests)
            requests.append(
                {
                    "id": f"r:{n}",
                    "t": "request",
                    "key": f"r{n}",
                    "index": i,
                    "force": force,
                    "item": item,
                    "area": area["key"] if area else JAPAN_AREA,
                    "adjacent": area["adjacent"] if area else NOT_APPLICABLE,
                    "named_area": where or NOT_APPLICABLE,
                }
            )
            if area is None and not places:
                places.append(
                    {
                        "id": "a|" + JAPAN_AREA,
                        "t": "area",
                        "key": JAPAN_AREA,
                        "kind": "japan",
                        "combat": "none",
                        "consent": False,
                        "adjacent": NOT_APPLICABLE,
                        "last": NOT_APPLICABLE,
                    }
                )
    return Facts(scenario, areas, events, requests, places)


# ----------------------------------------------------------------------------
# What an evaluation yields


class _Recorder:
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


def _units(compiled: CompiledRulebook) -> list[Unit]:
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


class Evaluator:
    """Evaluates scenarios against one compiled rulebook on durable_rules.

    Thread-safe: evaluations through one evaluator are serialised around the
    engine, which is not reentrant.
    """

    def __init__(
        self, rulebook: Rulebook | CompiledRulebook, *, memo: bool = True, store: MemoStore | None = None
    ) -> None:
        self.compiled = rulebook if isinstance(rulebook, CompiledRulebook) else compile_rulebook(rulebook)
        self.rulebook = self.compiled.rulebook
        self.memo_enabled = memo
        self.store = store if memo else None
        self._memo: dict[tuple[Any, ...], Outcome] = {}
        self._memo_bytes = 0
        self._units = _units(self.compiled)
        self._kept: dict[str, frozenset[str]] = {}  # ruleset -> the fields of a fact its rules may read
        # A notice is shown as its `when` holds: its status is that node's value, read as an alias's is.
        self._shown_by = {f"notice:{n}": c.when.ref for n, c in self.compiled.notices.items() if c.when is not None}
        self._lock = threading.Lock()
        self._sids = itertools.count(1)
        self._recorder = _Recorder()
        self._host: QuietHost | None = None
        self._broken: str | None = None
        self.evaluations = 0  # durable_rules evaluations run (memo misses)

    def save_memo(self) -> None:
        """Keep this evaluator's new outcomes for later runs (when it has a memo store)."""
        if self.store is not None:
            with self._lock:
                self.store.save()

    @property
    def broken(self) -> bool:
        """Whether an engine failure has made this evaluator unusable (the process should stop)."""
        return self._broken is not None

    # -- engine --------------------------------------------------------------

    def _make_host(self) -> QuietHost:
        # durable_rules loads only when a scenario misses the memo
        from .host import QuietHost, native_message

        actions: dict[str, Callable[[Any], None]] = {}
        definitions = {}
        for name, ruleset in self.compiled.rulesets.items():
            for rule_name, action in ruleset.actions.items():
                actions[f"{name}:{rule_name}"] = self._guarded(self._action(name, action))
            actions[f"{name}:sink"] = _never
            definitions[name] = json.loads(json.dumps(ruleset.definition))  # durable_rules edits what it is given
        host = QuietHost(actions)
        try:
            host.register_rulesets(definitions)
        except Exception as exc:  # noqa: BLE001 - anything here is the engine's fault
            raise EngineError(f"durable_rules rejected the compiled rulebook: {native_message(exc)}") from exc
        return host

    def _guarded(self, function: Callable[[Any], None]) -> Callable[[Any], None]:
        """The action, with any exception recorded: durable_rules would swallow it into the state."""

        def run(c: Any) -> None:
            try:
                function(c)
            except BaseException as exc:  # noqa: BLE001
                self._recorder.errors.append(f"{type(exc).__name__}: {exc}")

        return run

    def _action(self, ruleset: str, action: Action) -> Callable[[Any], None]:
        kind, node, value, prop, emit = action.kind, action.node, action.value, action.prop, action.emit
        slot = (ruleset, node)
        # A fused gate's firing also settles the comparisons it tested the subject's fact against; a comparison
        # under several fused gates is settled by each of them, alike.
        settled = [((ruleset, leaf), field, held, alias) for leaf, field, held, alias in action.leaves]

        if kind in ("node", "fused"):

            def derive(c: Any) -> None:
                recorder = self._recorder
                subject = c._m["x"]
                key = subject["key"]
                if (slot, key) in recorder.nodes:
                    recorder.errors.append(f"node {node} of {key} was derived twice")
                    return
                recorder.nodes[(slot, key)] = value
                if prop:
                    recorder.observed[(slot, key)] = subject[prop]
                if settled:
                    _settle(recorder, settled, c._m)
                if emit:  # only a node some rule joins is a fact: the others would only be sunk
                    c.assert_fact({"id": f"n|{node}|{key}", "t": "node", "n": node, "s": key, "v": value})

            return derive

        outcome = value if kind == "verdict" else ("shown" if value else "hidden")

        def decide(c: Any) -> None:
            recorder = self._recorder
            key = c._m["x"]["key"]
            if (node, key) in recorder.verdicts:
                recorder.errors.append(f"{node} of {key} got two verdicts")
            recorder.verdicts[(node, key)] = outcome
            if settled:
                _settle(recorder, settled, c._m)

        return decide

    def _run_engine(self, rulesets: set[str], facts: Facts) -> _Recorder:
        if self._broken:
            raise EngineError(f"the rule engine is unusable after an earlier failure: {self._broken}")
        # durable_rules loads only when a scenario misses the memo
        from .host import REJECTED, native_message

        if self._host is None:
            self._host = self._make_host()
        host = self._host
        recorder = self._recorder = _Recorder()
        sid = str(next(self._sids))
        for name in sorted(rulesets):
            ruleset = self.compiled.rulesets[name]
            kept = self._kept.get(name)
            if kept is None:
                kept = self._kept[name] = _kept(ruleset)
            payload = [_project(fact, kept, sid) for fact in _facts_for(ruleset, facts)]
            asserted = False
            try:
                host.assert_facts(name, payload)
                asserted = True
            except MemoryError as exc:
                # durable_rules may crash the process later: never use this engine again.
                self._broken = "durable_rules ran out of memory"
                self._host = None
                raise EngineError(f"{self._broken} ({exc})") from exc
            except REJECTED as exc:
                # Deleting a state left by a rejected batch crashes durable_rules: give the host up.
                self._host = None
                raise EngineError(f"durable_rules rejected a fact: {getattr(exc, 'message', exc)}") from exc
            except Exception as exc:  # noqa: BLE001
                self._host = None
                raise EngineError(native_message(exc)) from exc
            finally:
                if self._host is host:  # the engine is sound: this evaluation's state goes, whatever happened
                    try:
                        host.delete_state(name, sid)
                    except Exception as exc:  # noqa: BLE001
                        self._host = None
                        if asserted:
                            raise EngineError(f"could not delete evaluation state: {native_message(exc)}") from exc
        if recorder.errors:
            raise EngineError("a rule action failed: " + "; ".join(recorder.errors[:3]))
        self.evaluations += 1
        return recorder

    # -- evaluation ----------------------------------------------------------

    def _remember(self, key: tuple[Any, ...], outcome: Outcome) -> None:
        """Keep an outcome in the memo, emptying it first when it is full by count or by estimated size.

        A key already kept is not counted again: counting it each time a ruleset ran for other subjects made
        a long phased file look full and empty the memo, and every phase after that ran every ruleset.
        """
        if key in self._memo:
            return
        size = _footprint(key, outcome)
        if len(self._memo) >= MEMO_LIMIT or self._memo_bytes + size > MEMO_BYTES:
            self._memo.clear()
            self._memo_bytes = 0
        self._memo[key] = outcome
        self._memo_bytes += size

    def judge(self, facts: Facts) -> dict[str, list[tuple[dict[str, Any], Outcome]]]:
        """Each unit's outcome for each of its subjects, in scenario order.

        Units are the roles (by role id) and the conditional notices (by notice id).
        """
        # What the memo already knows is taken into the plan: making room for new outcomes may empty the memo.
        plan: list[tuple[Unit, dict[str, Any], tuple[Any, ...], Outcome | None]] = []
        missing: set[str] = set()
        with self._lock:
            places = _Places(facts)
            keyed = []
            for unit in self._units:
                for subject in facts.subjects(unit.scope):
                    if not self.memo_enabled:  # every subject runs on the engine: no key to work out
                        plan.append((unit, subject, (), None))
                        missing.add(unit.ruleset)
                        continue
                    key = (unit.name, *_read(unit, subject, facts, places))
                    keyed.append((unit, subject, key, self._memo.get(key)))
            stored: dict[tuple[Any, ...], Outcome] = {}
            if self.store is not None:  # what memory lacks, from the store in one lookup
                stored = self.store.get_many([(key, unit) for unit, _, key, known in keyed if known is None])
                for key, outcome in stored.items():
                    self._remember(key, outcome)
            for unit, subject, key, known in keyed:
                if known is None:
                    known = stored.get(key)
                plan.append((unit, subject, key, known))
                if known is None:
                    missing.add(unit.ruleset)
            recorder = self._run_engine(missing, facts) if missing else None
            results: dict[str, list[tuple[dict[str, Any], Outcome]]] = {unit.name: [] for unit in self._units}
            for unit, subject, key, known in plan:
                if known is None:  # its ruleset ran: a subject known already keeps its outcome, from the same rules
                    assert recorder is not None
                    nodes = self.compiled.rulesets[unit.ruleset].nodes
                    outcome = _outcome(unit, subject, places, recorder, nodes, self._shown_by.get(unit.name))
                    if self.memo_enabled:
                        self._remember(key, outcome)
                        if self.store is not None:
                            self.store.put(key, unit, outcome)
                else:
                    outcome = known
                results[unit.name].append((subject, outcome))
        return results


def _facts_for(ruleset: CompiledRuleset, facts: Facts) -> list[dict[str, Any]]:
    """The facts a ruleset can use: its subjects, and what its rules read; others would only be sunk."""
    scopes = {node.scope for node in ruleset.nodes.values()} | {ruleset.subject.kind}
    out = [facts.scenario]
    if "area" in scopes or ruleset.subject.has_area():
        out += facts.areas
        out += facts.places
    if any(node.kind == "acc" for node in ruleset.nodes.values()):
        out += facts.events  # a fold runs over the events of every type located in an area
    elif ruleset.subject.kind == "event":
        out += facts.subjects(ruleset.subject)
    elif "event" in scopes:
        out += facts.events
    if ruleset.subject.kind == "request":
        out += facts.subjects(ruleset.subject)
    elif "request" in scopes:
        out += facts.requests
    return out


# What every fact keeps in the engine: its identity, and the links rules follow.
_STRUCTURE = frozenset({"id", "t", "key", "type", "area", "adjacent", "prev", "last"})


def _kept(ruleset: CompiledRuleset) -> frozenset[str]:
    """The fields of a fact that a ruleset's rules test or record; the others need not cross into the engine."""
    return _STRUCTURE | {prop for _, prop in ruleset.reads}


def _project(fact: dict[str, Any], kept: frozenset[str], sid: str) -> dict[str, Any]:
    out = {name: value for name, value in fact.items() if name in kept}
    out["sid"] = sid
    return out


def _never(c: Any) -> None:  # pragma: no cover - sink rules never complete a match
    pass


class _Places:
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


def _read(unit: Unit, subject: dict[str, Any], facts: Facts, places: _Places) -> tuple[Any, ...]:
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


def _settle(recorder: _Recorder, settled: list[tuple[Any, str, bool, str]], matched: dict[str, Any]) -> None:
    """Record the comparisons a firing settled: each a field of one of the facts it matched (by alias)."""
    for leaf, field, held, alias in settled:
        fact = matched[alias]
        where = fact["key"]
        if recorder.nodes.setdefault((leaf, where), held) != held:
            recorder.errors.append(f"node {leaf[1]} of {where} was derived both true and false")
        recorder.observed[(leaf, where)] = fact[field]


def _value(nodes: dict[str, Node], recorder: _Recorder, ruleset: str, node: str, link: str, fact: dict[str, Any]):  # type: ignore[no-untyped-def]
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


def _outcome(
    unit: Unit,
    subject: dict[str, Any],
    places: _Places,
    recorder: _Recorder,
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


__all__ = ["Evaluator", "Facts", "Outcome", "facts_from_data", "link_for"]
