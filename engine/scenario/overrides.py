"""What-if overrides: `--set PATH=VALUE` changes one field of a scenario file before it is validated.

PATH names a field the way the file nests it, with dots: `situation.ceasefire`,
`us_forces.requests`. In `areas` and `phases` an entry is named by its id
(`areas.taiwan_strait.combat`, `phases.ceasefire.situation.ceasefire`), in any
list by its index (`events[0].status`, `areas[1].kind`). A path into a phase
changes that phase (naming an area the phase does not list yet adds a change
of that area to it); any other path changes the starting state, which later
phases may change again. VALUE is read like a value in the file, by the same
safe loader: a YAML scalar or flow collection (`true` is a boolean, `yes` is
text, `[supplies]` a list, `{item: transport, area: east_sea}` a mapping).

The changed scenario is validated exactly like a file. A problem found at a
changed field names the `--set` instead of a line of the file.
"""

from __future__ import annotations

import copy
import re
from typing import Any, NamedTuple

from ..errors import GuidelinesError, Problem, ScenarioError, suggest
from .yamlload import MAX_DIGITS, NumberTooLong, YamlProblem, dotted, elide_number, load_tree

Loc = tuple[Any, ...]

_STEP = re.compile(r"([a-z0-9_]+)((?:\[\d+\])*)")
_INDEX = re.compile(r"\[(\d+)\]")
# Lists whose entries have ids: the ones a path may name an entry of by id.
_BY_ID = {"areas": "area", "phases": "phase"}


class OverrideSyntaxError(GuidelinesError):
    """A `--set` argument that is not PATH=VALUE, or whose VALUE is not YAML: a usage error."""

    exit_code = 2


class Override(NamedTuple):
    """One `--set PATH=VALUE`: as given, the path's steps, and the value."""

    text: str
    steps: tuple[str | int, ...]
    value: Any


def parse_override(text: str) -> Override:
    """`PATH=VALUE` as an `Override`; raises `OverrideSyntaxError` if it is malformed."""
    path, equals, raw = text.partition("=")
    path = path.strip()
    shown = elide_number(text)  # a number of thousands of digits is named by its first few
    if not equals or not path:
        raise OverrideSyntaxError(f"--set {shown!r}: expected PATH=VALUE, for example situation.ceasefire=formal")
    steps: list[str | int] = []
    for part in path.split("."):
        match = _STEP.fullmatch(part)
        if match is None:
            raise OverrideSyntaxError(
                f"--set {shown!r}: {elide_number(part)!r} is not a step of a path: a field or id ([a-z0-9_]+), "
                "optionally followed by [index], as in events[0].status"
            )
        steps.append(match.group(1))
        for index in _INDEX.findall(match.group(2)):
            if len(index) > MAX_DIGITS:
                raise OverrideSyntaxError(f"--set {shown!r}: the index is {NumberTooLong(index, len(index))}")
            steps.append(int(index))
    try:
        value, _ = load_tree(raw.strip(), "--set")
    except YamlProblem as exc:
        if isinstance(exc.__cause__, NumberTooLong):
            raise OverrideSyntaxError(f"--set {shown!r}: the value is {exc.problem.message}") from None
        raise OverrideSyntaxError(f"--set {shown!r}: the value is not YAML: {exc.problem.message}") from None
    return Override(text, tuple(steps), value)


class Applied(NamedTuple):
    """An override as applied to one file: the location in the file's data it set (or the entry it added)."""

    override: Override
    loc: Loc


def apply_overrides(
    data: Any, overrides: list[Override] | tuple[Override, ...], path: str
) -> tuple[Any, list[Applied]]:
    """A copy of a file's data with the overrides applied, in order, and where each landed.

    Raises `ScenarioError` for a path that names nothing in this file.
    """
    if not overrides:
        return data, []
    data = copy.deepcopy(data)
    applied = []
    for override in overrides:
        if not isinstance(data, dict):
            raise _error(path, override, (), "the file is not a mapping of keys to values")
        applied.append(Applied(override, _set(data, override, path)))
    return data, applied


def _set(data: dict[str, Any], override: Override, path: str) -> Loc:
    node: Any = data
    loc: Loc = ()
    landed: Loc | None = None  # the first key or entry the override added, if it added one
    steps = override.steps
    for i, step in enumerate(steps):
        last = i == len(steps) - 1
        if isinstance(step, int):
            if not isinstance(node, list):
                raise _error(path, override, loc, f"not a list, so [{step}] names nothing")
            if step >= len(node):
                count = f"{len(node)} entr{'y' if len(node) == 1 else 'ies'}"
                raise _error(path, override, loc, f"{count}, so [{step}] names none")
            key: Any = step
        elif isinstance(node, list):
            count = len(node)
            key = _entry(node, step, loc, override, path)
            if len(node) > count and landed is None:
                landed = loc + (key,)
        elif isinstance(node, dict):
            key = step
            if key not in node:
                landed = landed or loc + (key,)
                if not last:
                    node[key] = [] if key in _BY_ID or isinstance(steps[i + 1], int) else {}
        else:
            raise _error(path, override, loc, f"a value, not a mapping, so it has no {step!r}")
        loc += (key,)
        if last:
            node[key] = override.value
        else:
            node = node[key]
    return landed or loc


def _entry(entries: list[Any], entry_id: str, loc: Loc, override: Override, path: str) -> int:
    """The index of the entry with this id in a list of areas or phases (a phase's change of an area: added)."""
    kind = _BY_ID.get(loc[-1]) if loc else None
    if kind is None:
        raise _error(path, override, loc, f"a list, whose entries are named by index, as in {_where(loc)}[0]")
    ids = [e.get("id") for e in entries if isinstance(e, dict)]
    for i, entry in enumerate(entries):
        if isinstance(entry, dict) and entry.get("id") == entry_id:
            return i
    if kind == "area" and loc[:1] == ("phases",) and len(loc) == 3:
        entries.append({"id": entry_id})  # this phase now changes that area too
        return len(entries) - 1
    known = ", ".join(str(i) for i in ids) or "none"
    message = f"no {kind} with id {entry_id!r} ({loc[-1]}: {known})"
    raise _error(path, override, loc, message, suggest(entry_id, [str(i) for i in ids]))


def _where(loc: Loc) -> str:
    return dotted(loc) or "the file"


def _error(path: str, override: Override, loc: Loc, message: str, suggestion: str | None = None) -> ScenarioError:
    return ScenarioError(path, [Problem(message, set_source(path, override), field=dotted(loc), suggestion=suggestion)])


def set_source(path: str, override: Override) -> str:
    """How a problem caused by an override names where it comes from: the file, and the `--set`."""
    return f"{path} (--set {override.text})"


def attribute(problems: list[Problem], applied: list[Applied], name: Any = None) -> list[Problem]:
    """Problems found at a field an override set, said to come from that `--set` rather than a line of the file.

    `name` turns a location into the field as problems name it (phases by id).
    """
    if not applied:
        return problems
    fields = [((name or dotted)(a.loc), a) for a in applied]
    out = []
    for problem in problems:
        for field, a in reversed(fields):  # the last override of a field is the one that stands
            if problem.field == field or problem.field.startswith((field + ".", field + "[")):
                problem = problem._replace(path=set_source(problem.path, a.override), line=None, column=None)
                break
        out.append(problem)
    return out


_BLOCKS = ("situation", "us_forces", "other_forces")  # merged field by field from phase to phase


class Shadowed(NamedTuple):
    """A `--set` of the starting state that a phase sets again: from that phase on, it no longer holds."""

    override: Override
    phase: str  # the id of the first phase that sets it again
    loc: Loc  # where that phase sets it, in the file's data
    path: str  # the `--set` path that would change it there


def shadowed(data: Any, applied: list[Applied]) -> list[Shadowed]:
    """The overrides of the starting state that a phase of the file sets again, each with the first such phase.

    A phase's `situation`, `us_forces` and `other_forces` fields and its change of an area's field replace the
    value before; its `events` list, or a forces block's `requests`, replaces the whole list; its `date`, the date.
    """
    phases = data.get("phases") if isinstance(data, dict) else None
    if not isinstance(phases, list):
        return []
    out = []
    for a in applied:
        steps = a.override.steps
        if not steps or steps[0] == "phases":
            continue
        for i, phase in enumerate(phases):
            found = _set_again(data, phase, steps) if isinstance(phase, dict) else None
            if found is not None:
                phase_id = str(phase.get("id"))
                named = found if found[0] != "areas" else ("areas", phase["areas"][found[1]]["id"], found[2])
                path = ".".join(["phases", phase_id, *(str(step) for step in named)])
                out.append(Shadowed(a.override, phase_id, ("phases", i, *found), path))
                break
    return out


def _set_again(data: dict[str, Any], phase: dict[str, Any], steps: tuple[str | int, ...]) -> Loc | None:
    """Where `phase` sets again what `steps` set in the starting state (within the phase), or None."""
    head = steps[0]
    if head in _BLOCKS and len(steps) >= 2:
        block = phase.get(head)
        return (head, steps[1]) if isinstance(block, dict) and steps[1] in block else None
    if head in ("events", "date"):
        return (head,) if head in phase else None
    if head == "areas" and len(steps) >= 3 and isinstance(steps[2], str):
        area = steps[1]
        if isinstance(area, int):
            areas = data.get("areas")
            area = areas[area].get("id") if isinstance(areas, list) and isinstance(areas[area], dict) else None
        for j, entry in enumerate(phase.get("areas") or ()):
            if isinstance(entry, dict) and entry.get("id") == area and steps[2] in entry:
                return ("areas", j, steps[2])
    return None


def shadowed_problem(path: str, found: Shadowed, line: int | None) -> Problem:
    """The warning that a `--set` is overridden by a phase, naming the path that changes it there."""
    where = f" (line {line})" if line is not None else ""
    undone = f"--set {found.override.text} is overridden by phase {found.phase}{where}"
    return Problem(f"{undone}; set {found.path} to change it there", path, severity="warning")
