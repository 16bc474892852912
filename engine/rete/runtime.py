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
  gate are read off the firings of the nodes that carry them (`reading.py`).

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
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import EngineError
from ..rulebook.model import Rulebook
from .compiler import compile_rulebook
from .facts import Facts, facts_from_data
from .network import Action, CompiledRulebook, CompiledRuleset, link_for
from .outcome import Outcome, Unit
from .reading import Places, Recorder, outcome_of, read_key, settle, units

if TYPE_CHECKING:  # pragma: no cover
    from .host import QuietHost
    from .memo import MemoStore

MEMO_LIMIT = 100_000  # outcomes kept in memory
MEMO_BYTES = 48 * 2**20  # and their estimated size: many small ones or fewer big ones, memory stays flat


def _footprint(key: tuple[Any, ...], outcome: Outcome) -> int:
    """An estimate of the bytes a memo entry holds: the key, the outcome's dictionaries, and the words that
    reports later keep on it (`Outcome.derived`). Deliberately generous: it bounds memory, it is not a count."""
    return 1024 + 64 * len(key) + 96 * (len(outcome.values) + len(outcome.observed) + len(outcome.folds))


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
        self.units = units(self.compiled)
        self._kept: dict[str, frozenset[str]] = {}  # ruleset -> the fields of a fact its rules may read
        # A notice is shown as its `when` holds: its status is that node's value, read as an alias's is.
        self._shown_by = {f"notice:{n}": c.when.ref for n, c in self.compiled.notices.items() if c.when is not None}
        self._lock = threading.Lock()
        self._sids = itertools.count(1)
        self._recorder = Recorder()
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
                    settle(recorder, settled, c._m)
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
                settle(recorder, settled, c._m)

        return decide

    def _run_engine(self, rulesets: set[str], facts: Facts) -> Recorder:
        if self._broken:
            raise EngineError(f"the rule engine is unusable after an earlier failure: {self._broken}")
        # durable_rules loads only when a scenario misses the memo
        from .host import REJECTED, native_message

        if self._host is None:
            self._host = self._make_host()
        host = self._host
        recorder = self._recorder = Recorder()
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
            places = Places(facts)
            keyed = []
            for unit in self.units:
                for subject in facts.subjects(unit.scope):
                    if not self.memo_enabled:  # every subject runs on the engine: no key to work out
                        plan.append((unit, subject, (), None))
                        missing.add(unit.ruleset)
                        continue
                    key = (unit.name, *read_key(unit, subject, facts, places))
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
            results: dict[str, list[tuple[dict[str, Any], Outcome]]] = {unit.name: [] for unit in self.units}
            for unit, subject, key, known in plan:
                if known is None:  # its ruleset ran: a subject known already keeps its outcome, from the same rules
                    assert recorder is not None
                    nodes = self.compiled.rulesets[unit.ruleset].nodes
                    outcome = outcome_of(unit, subject, places, recorder, nodes, self._shown_by.get(unit.name))
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


__all__ = ["Evaluator", "Facts", "Outcome", "facts_from_data", "link_for"]
