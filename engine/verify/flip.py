"""What would change it: for each case of a scenario, the smallest changes of its facts that change its status.

The search runs phase by phase on the state each phase makes. Its candidates
are single field changes drawn from the scenario vocabulary, restricted to
the fields that the roles' triggers, grounds' conditions and limits read
(through their concepts too): the situation, the forces' presence, an
area's kind, combat and consent (and `adjacent_to`, when a role looks at the
adjacent area), an event's fields, and the date on either side of each day
a rule compares it with or a rulebook or law comes into force. A change that
makes a warning fire (it contradicts another fact) is not tried.

One evaluation of a changed state gives the status of every case at once,
and the evaluator's memo keeps it cheap: only the subjects the change
touches run on the engine. A case that fewer single changes flip than asked
for is tried with pairs of the single changes that alter its outcome (the
engine's values behind it) without flipping it; a pair is therefore minimal,
as neither half flips the case alone. Pairs of changes that leave the case's
outcome as it was are not tried.

Every flip reported is verified as a user would: the file read again with
the changes as `--set` arguments, validated, its warnings compared with the
file's, and the phase evaluated; a flip that does not hold so is dropped.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from itertools import combinations
from typing import Any, NamedTuple

from ..errors import GuidelinesError
from ..report.build import build_report
from ..report.evaluate import choose_evaluator
from ..report.flips import CaseFlips, CaseState, Decided, Flip, FlipReport, report_cases, set_value
from ..rete.runtime import Evaluator, facts_from_data
from ..rulebook import conditions as cond
from ..rulebook.choice import shipped_rulebooks
from ..rulebook.model import Role, Rulebook
from ..scenario.fields import FIELDS
from ..scenario.loader import load
from ..scenario.overrides import parse_override
from ..scenario.phases import PhaseState, phase_states
from ..scenario.warnings import state_findings, warning_findings

LIMIT = 3  # flips shown per case, smallest first
Loc = tuple[Any, ...]
Outcomes = dict[tuple[str, str | None], CaseState]


class Change(NamedTuple):
    """One field change: where it lands in a phase's state, how `--set` names it, and the value."""

    loc: Loc
    path: str
    value: Any


class Options(NamedTuple):
    """What narrows the search, and which rulebook evaluates (None: the one in force on each date)."""

    roles: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    phase: str | None = None
    rulebook: str | None = None
    rules_dir: str | None = None
    limit: int = LIMIT


def flip_report(
    raw: dict[str, Any], data: dict[str, Any], *, source: str, options: Options | None = None
) -> FlipReport:
    """The flips of every case (those `options` narrow to), phase by phase in file order, with what a reader
    needs around them: the scenario, its phases and the roles' titles.

    `raw` is the file's data as read (what `--set` changes), `data` the same
    validated. Raises `UnknownPhaseError` for a `--phase` the file lacks.
    """
    options = options or Options()
    search = _Search(raw, data, source, options)
    states = phase_states(data)
    if options.phase is not None:
        # only --phase needs it; the lookup raises with the file's phase ids
        from ..scenario.phases import phase_state

        states = [phase_state(data, options.phase)]
    cases = [found for state in states for found in search.phase(state)]
    titles: dict[str, str] = {}
    for state in states:
        roles = search.evaluator(state.date).rulebook.roles
        titles.update({role.id: role.title for role in roles if role.id not in titles})
    phases = {state.id: state.name for state in states}
    return FlipReport(data["scenario"], source, phases, titles, cases)


def flips_of_file(path: str, overrides: Any = (), *, source: str, options: Options | None = None) -> FlipReport:
    """`flip_report` of a scenario file (with `--set` overrides), named `source` in the report."""
    loaded = load(path, overrides)
    return flip_report(loaded.document.data, loaded.data, source=source, options=options)


def find_flips(
    raw: dict[str, Any], data: dict[str, Any], *, source: str, options: Options | None = None
) -> list[CaseFlips]:
    """The flips of every case (those `options` narrow to), phase by phase in file order."""
    return flip_report(raw, data, source=source, options=options).cases


class _Search:
    """The search over one file: evaluators by date, evaluations by change, verifications by `--set`."""

    def __init__(self, raw: dict[str, Any], data: dict[str, Any], source: str, options: Options) -> None:
        self.raw, self.data, self.source, self.options = without_expect(raw), data, source, options
        self.evaluators: dict[Any, Evaluator] = {}
        self.findings = set(warning_findings(data))
        self.verified: dict[tuple[str, ...], Outcomes | None] = {}
        self.ids = [phase.get("id") for phase in data.get("phases") or ()]

    def evaluator(self, date: Any) -> Evaluator:
        key = str(date) if date else None
        if key not in self.evaluators:
            o = self.options
            self.evaluators[key] = choose_evaluator(key, o.rulebook, o.rules_dir, None, None)[0]
        return self.evaluators[key]

    def outcomes(self, state: dict[str, Any]) -> Outcomes:
        """The cases of the roles searched for, in a state (a phase's, changed or not): one evaluation."""
        evaluator = self.evaluator(state.get("date"))
        facts = facts_from_data(state)
        compiled = evaluator.compiled
        only = frozenset(self.options.roles) if self.options.roles else None
        names = {area["id"]: area.get("name") or area["id"] for area in state.get("areas") or ()}
        report = build_report(evaluator.rulebook, compiled.roles, [], facts, evaluator.judge(facts), scenario="",
                              source=self.source, area_names=names, only=only)  # fmt: skip
        return {case.key: case for case in report_cases(report)}

    def phase(self, state: PhaseState) -> list[CaseFlips]:
        base = self.outcomes(state.data)
        wanted = [case for case in base.values() if self._wanted(case)]
        if not wanted:
            return []
        evaluator = self.evaluator(state.date)
        roles = [evaluator.rulebook.role(case.role) for case in wanted]
        dated = self.options.rules_dir is None and self.options.rulebook is None
        singles = candidates(state, evaluator.rulebook, roles, dated=dated, ids=self.ids)
        tried = _Tried(self, state)
        return [CaseFlips(state.id, case, tuple(self._case_flips(case, singles, tried, state))) for case in wanted]

    def _wanted(self, case: CaseState) -> bool:
        o = self.options
        if o.roles and case.role not in o.roles:
            return False
        return not o.areas or case.where in o.areas or (case.where or "").split("@")[-1] in o.areas

    def _case_flips(self, case: CaseState, singles: list[Change], tried: _Tried, state: PhaseState) -> list[Flip]:
        """The case's flips, verified: single changes before pairs; in each, those that leave the role
        triggered first (what opens or closes it, before what takes its premise away); then in candidate order."""
        status = case.decided.status
        found: list[tuple[tuple[Change, ...], Decided]] = []
        touched: list[Change] = []
        repairs: list[tuple[Change, ...]] = []
        for change in singles:
            now = tried.case((change,), case)
            if now is None:
                repairs += [fixed] if (fixed := tried.repaired(change)) else []
                continue
            if now.decided.status != status:
                found.append(((change,), now.decided))
            elif now.signature != case.signature:
                touched.append(change)
        out = self._verified(found, case, state)
        if len(out) >= self.options.limit:
            return out
        found = []
        pairs = [pair for pair in combinations(touched, 2) if pair[0].loc != pair[1].loc]
        for pair in pairs + [pair for pair in repairs if not self._flips_alone(pair[1], case, tried)]:
            now = tried.case(pair, case)
            if now is not None and now.decided.status != status:
                found.append((pair, now.decided))
        return out + self._verified(found, case, state, self.options.limit - len(out))

    @staticmethod
    def _flips_alone(change: Change, case: CaseState, tried: _Tried) -> bool:
        now = tried.case((change,), case)
        return now is not None and now.decided.status != case.decided.status

    def _verified(
        self, found: list[tuple[tuple[Change, ...], Decided]], case: CaseState, state: PhaseState, limit: int = 0
    ) -> list[Flip]:
        """The first flips found (`limit`, by default the option's) that hold when the file is evaluated with
        their changes as `--set` says."""
        limit = limit or self.options.limit
        out: list[Flip] = []
        shown: set[tuple[Any, ...]] = set()
        for changes, decided in sorted(found, key=lambda item: item[1].status == "not_triggered"):
            alike = (tuple(c.path for c in changes), decided)
            if alike in shown:  # another value of the same fields, to the same end: one says it
                continue
            verified = self.verify(tuple(f"{c.path}={set_value(c.value)}" for c in changes), state)
            now = verified.get(case.key) if verified is not None else None
            if now is not None and now.decided == decided:
                out.append(Flip(tuple((c.path, c.value) for c in changes), decided))
                shown.add(alike)
                if len(out) >= limit:
                    break
        return out

    def verify(self, settings: tuple[str, ...], state: PhaseState) -> Outcomes | None:
        """The cases of the phase with the file read again under `--set` settings; None if it does not validate
        or a warning fires that the file does not have."""
        key = (str(state.id), *settings)
        if key not in self.verified:
            self.verified[key] = self._verify(settings, state)
        return self.verified[key]

    def _verify(self, settings: tuple[str, ...], state: PhaseState) -> Outcomes | None:
        try:
            loaded = load(self.raw, [parse_override(s) for s in settings], name=self.source)
        except GuidelinesError:
            return None
        if set(warning_findings(loaded.data)) - self.findings:
            return None
        states = phase_states(loaded.data)
        return self.outcomes(states[state.index].data)


def without_expect(raw: dict[str, Any]) -> dict[str, Any]:
    """The file's data without its `expect:` blocks, which change no verdict (and are slow to check)."""
    out = {key: value for key, value in raw.items() if key != "expect"}
    if isinstance(out.get("phases"), list):
        out["phases"] = [
            {k: v for k, v in phase.items() if k != "expect"} if isinstance(phase, dict) else phase
            for phase in out["phases"]
        ]
    return out


class _Tried:
    """The outcomes of a phase's state under each set of changes tried (None: the changed state is refused)."""

    def __init__(self, search: _Search, state: PhaseState) -> None:
        self.search, self.state, self.namer = search, state, _Namer(state, search.ids)
        self.findings = set(state_findings(state.data))
        self.seen: dict[tuple[Change, ...], Outcomes | None] = {}

    def case(self, changes: tuple[Change, ...], case: CaseState) -> CaseState | None:
        """The case in the state with the changes made; None if that state is refused."""
        if changes not in self.seen:
            changed = apply_changes(self.state.data, changes)
            refused = bool(set(state_findings(changed)) - self.findings)
            self.seen[changes] = None if refused else self.search.outcomes(changed)
        outcomes = self.seen[changes]
        return outcomes.get(case.key) if outcomes is not None else None

    def repaired(self, change: Change) -> tuple[Change, Change] | None:
        """A change refused for the one warning it fires, with the other change that silences it: the consent
        or neighbour of an area that stops being foreign cleared, the determination that a survival-threatening
        situation presumes made (or the situation no longer survival-threatening); None otherwise."""
        new = set(state_findings(apply_changes(self.state.data, (change,)))) - self.findings
        if len(new) != 1:
            return None
        ((loc, _),) = new
        if loc[:1] == ("areas",) and loc[2:] in (("consent",), ("adjacent_to",)):
            area = self.state.data["areas"][loc[1]]
            value = False if loc[2] == "consent" else None
            return change, Change(loc, self.namer.area(area, loc[2]), value)
        if loc == ("situation", "survival_threatening"):
            if change.loc == loc:
                return change, Change(
                    ("situation", "important_influence"), self.namer.top("situation.important_influence"), True
                )
            return change, Change(loc, self.namer.top("situation.survival_threatening"), False)
        return None


def apply_changes(state: dict[str, Any], changes: Iterable[Change]) -> dict[str, Any]:
    """A copy of a phase's state with the changes made, sharing what they leave alone."""
    out = dict(state)
    for change in changes:
        node: Any = out
        for step in change.loc[:-1]:  # copied on the way down, so the state itself is left as it was
            child = node[step]
            node[step] = child = list(child) if isinstance(child, list) else dict(child or {})
            node = child
        node[change.loc[-1]] = change.value
    return out


def candidates(
    state: PhaseState, rulebook: Rulebook, roles: Iterable[Role], *, dated: bool, ids: list[Any] | None = None
) -> list[Change]:
    """The single field changes to try in a phase, in a fixed order: situation, forces, date, areas, events.

    `ids` are the file's phase ids, to name an event a phase inherits where it is written; `dated`: the
    rulebook follows the date, so the days each rulebook comes into force matter."""
    paths, adjacent, days = fields_read(rulebook, roles)
    data = state.data
    name = _Namer(state, ids or [])
    out: list[Change] = []
    for path, spec in FIELDS.items():
        if path in paths and spec.scope == "scenario" and not spec.is_date:
            section, key = path.split(".")
            current = (data.get(section) or {}).get(key)
            out += [Change((section, key), name.top(path), v) for v in spec.values if v != (current or _off(spec))]
    if dated:
        days |= {b.in_force.isoformat() for b in shipped_rulebooks() if b.in_force}
    if days or "date" in paths:
        out += [Change(("date",), name.top("date"), day) for day in _days(data.get("date"), days)]
    areas = data.get("areas") or []
    for i, area in enumerate(areas):
        for key in ("kind", "combat", "consent"):
            spec = FIELDS[f"area.{key}"]
            if spec.path in paths:
                out += [Change(("areas", i, key), name.area(area, key), v) for v in spec.values if v != area.get(key)]
        if adjacent and area.get("kind") == "foreign":
            others = [a["id"] for a in areas if a["id"] != area["id"]] + [None]
            out += [Change(("areas", i, "adjacent_to"), name.area(area, "adjacent_to"), v)
                    for v in others if v != area.get("adjacent_to")]  # fmt: skip
    for i, event in enumerate(data.get("events") or []):
        for path, spec in FIELDS.items():
            if path in paths and spec.scope == "event" and spec.prop != "type" and event["type"] in spec.event_types:
                out += [Change(("events", i, spec.prop), name.event(i, spec.prop), v)
                        for v in spec.values if v != event.get(spec.prop)]  # fmt: skip
    return out


def _off(spec: Any) -> Any:
    """What an unset scenario field reads as: false, or the first word (`none`)."""
    return False if spec.is_boolean else spec.values[0]


def _days(current: Any, days: set[str]) -> list[str]:
    """Dates that put the scenario on the other side of each day that matters: that day, or the one before."""
    today = str(current) if current else None
    out: list[str] = []
    for day in sorted(days):
        before = (datetime.date.fromisoformat(day) - datetime.timedelta(days=1)).isoformat()
        choices = [before, day] if today is None else [day] if today < day else [before]
        out += [d for d in choices if d != today and d not in out]
    return out


def fields_read(rulebook: Rulebook, roles: Iterable[Role]) -> tuple[set[str], bool, set[str]]:
    """The field paths the roles' triggers, grounds and limits read (through concepts too), whether any looks
    at the adjacent area, and the days (ISO) a rule compares the date with or a ground's law comes into force."""
    paths: set[str] = set()
    days: set[str] = set()
    adjacent = False
    seen: set[str] = set()
    pending: list[cond.Formula] = []
    for role in dict.fromkeys(roles):
        pending += [named.formula for named in (*role.triggers, *role.limits)]
        pending += [ground.when.formula for ground in role.grounds if ground.when is not None]
        days |= {ground.in_force[1] for ground in role.grounds if ground.in_force}
    while pending:
        for node in cond.walk(pending.pop()):
            if isinstance(node, cond.Compare):
                paths.add(node.field.path)
                if node.field.is_date:
                    days.add(cond.date_text(node.values[0]))
            elif isinstance(node, cond.Adjacent):
                adjacent = True
            elif isinstance(node, cond.ConceptRef) and node.concept not in seen:
                seen.add(node.concept)
                pending.append(rulebook.concepts[node.concept].named.formula)
    return paths, adjacent, days


class _Namer:
    """How `--set` names a field of a phase's state: in the phase itself (events where the file wrote them)."""

    def __init__(self, state: PhaseState, ids: list[Any]) -> None:
        self.state, self.ids = state, ids
        self.prefix = f"phases.{state.id}." if state.id is not None else ""

    def top(self, path: str) -> str:
        return self.prefix + path

    def area(self, area: dict[str, Any], key: str) -> str:
        return f"{self.prefix}areas.{area['id']}.{key}"

    def event(self, index: int, key: str) -> str:
        at = self.state.origin(("events", index, key))
        if at[:1] == ("phases",):
            return f"phases.{self.ids[at[1]]}.events[{at[3]}].{key}"
        return f"events[{at[1]}].{key}"
