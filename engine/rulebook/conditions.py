"""The rule condition language: `all` / `any` / `not` over scenario fields, concepts and other places.

Written in YAML, one key per condition:

    all:
      - concept: rear_area                  # a concept of the rulebook holds
      - event.status: abandoned             # a field equals a value
      - area.kind: {in: [japan, high_seas]} # eq, ne, in, not_in
      - date: {before: 2007-01-09}          # before, on_or_after (false when undated)
      - not: {area.combat: ongoing}
      - any: [...]
      - adjacent: {concept: rear_area}      # holds in the area this one's adjacent_to names
      - some_event: {event.who: combatants} # some event in the area satisfies it

A list on its own means `all`. Conditions are parsed when the rulebook loads,
so an unknown field, operator, value or concept is an error with its line and a
suggestion, never a surprise at evaluation time.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import Problem, suggest
from ..scenario.fields import FIELDS, FieldSpec
from ..scenario.vocab import EVENTS_WITH_AREA, NOT_APPLICABLE
from ..scenario.yamlload import dotted

if TYPE_CHECKING:  # pragma: no cover
    from .extend import RuleDocument

OPERATORS = ("eq", "ne", "in", "not_in")
DATE_OPERATORS = ("before", "on_or_after")
KEYWORDS = ("all", "any", "not", "concept", "adjacent", "some_event")


class _Record:
    """An immutable value: its fields are its __slots__; equal to another of its class with equal fields.

    The rule language's nodes are built on this rather than frozen dataclasses,
    which are slower to define, and these six are defined on every start
    (benchmarks/import_costs.md has the figures, and how to measure them).
    """

    __slots__: tuple[str, ...] = ()
    _defaults: ClassVar[dict[str, Any]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(self.__slots__):
            raise TypeError(f"{type(self).__name__} takes at most {len(self.__slots__)} arguments")
        values = {**self._defaults, **dict(zip(self.__slots__, args, strict=False)), **kwargs}
        for name in self.__slots__:
            object.__setattr__(self, name, values[name])

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    def __hash__(self) -> int:
        return hash((type(self).__name__, *(getattr(self, n) for n in self.__slots__)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self.__slots__)})"

    def _asdict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


class Compare(_Record):
    """A field compared with one or more values."""

    __slots__ = ("field", "op", "values", "line")
    _defaults = {"line": None}
    field: FieldSpec
    op: str
    values: tuple[Any, ...]
    line: int | None

    def describe(self) -> str:
        if self.op in DATE_OPERATORS:
            return f"{self.field.path} is {self.op.replace('_', ' ')} {date_text(self.values[0])}"
        shown = ", ".join(show_value(v) for v in self.values)
        if self.op == "eq":
            return f"{self.field.path} is {shown}"
        if self.op == "ne":
            return f"{self.field.path} is not {shown}"
        if self.op == "in":
            return f"{self.field.path} is one of {shown}"
        return f"{self.field.path} is none of {shown}"

    def holds(self, fact: dict[str, Any] | None) -> bool:
        """Whether the comparison holds of `fact` (None: the subject has no such fact), as the compiled rules
        decide it: a missing field is not applicable; dates compare as ordinal days, 0 meaning no date; values
        are equal only when their types are too (True is not 1)."""
        value = NOT_APPLICABLE if fact is None else fact.get(self.field.prop, NOT_APPLICABLE)
        if self.op == "before":
            return 0 < value < self.values[0]
        if self.op == "on_or_after":
            return value >= self.values[0]
        equal = any(value == v and type(value) is type(v) for v in self.values)
        return equal if self.op in ("eq", "in") else not equal


class ConceptRef(_Record):
    """A named concept of the rulebook holds (for the same area, or the scenario)."""

    __slots__ = ("concept", "line")
    _defaults = {"line": None}
    concept: str
    line: int | None

    def describe(self) -> str:
        return f"concept {self.concept}"


class AllOf(_Record):
    __slots__ = ("items", "line")
    _defaults = {"line": None}
    items: tuple[Formula, ...]
    line: int | None

    def describe(self) -> str:
        return "all of"


class AnyOf(_Record):
    __slots__ = ("items", "line")
    _defaults = {"line": None}
    items: tuple[Formula, ...]
    line: int | None

    def describe(self) -> str:
        return "any of"


class Not(_Record):
    __slots__ = ("item", "line")
    _defaults = {"line": None}
    item: Formula
    line: int | None

    def describe(self) -> str:
        return "not"


class Adjacent(_Record):
    """A condition that holds in the area the subject's area is adjacent to (false when there is none)."""

    __slots__ = ("item", "line")
    _defaults = {"line": None}
    item: Formula
    line: int | None

    def describe(self) -> str:
        return "in the adjacent area"


class SomeEvent(_Record):
    """Some event located in the area satisfies a condition (about that event)."""

    __slots__ = ("item", "line")
    _defaults = {"line": None}
    item: Formula
    line: int | None

    def describe(self) -> str:
        return "some event in the area"


Formula = Compare | ConceptRef | AllOf | AnyOf | Not | Adjacent | SomeEvent


def date_text(number: int) -> str:
    """A date the engine compares (YYYYMMDD as an integer) as rules write it."""
    text = f"{number:08d}"
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


def show_value(value: Any) -> str:
    """A value as rules write it: booleans as true and false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def children(formula: Formula) -> tuple[Formula, ...]:
    """The direct sub-formulas of a formula."""
    if isinstance(formula, (AllOf, AnyOf)):
        return formula.items
    if isinstance(formula, (Not, Adjacent, SomeEvent)):
        return (formula.item,)
    return ()


def walk(formula: Formula):
    """Every node of a formula, parents first."""
    yield formula
    for child in children(formula):
        yield from walk(child)


def concept_refs(formula: Formula) -> list[ConceptRef]:
    return [node for node in walk(formula) if isinstance(node, ConceptRef)]


def field_paths(formula: Formula) -> set[str]:
    return {node.field.path for node in walk(formula) if isinstance(node, Compare)}


class Scope(_Record):
    """What a condition can read: the kind of thing it is about; for events, which types; for requests, which items."""

    __slots__ = ("kind", "event_types", "items")
    _defaults = {"event_types": (), "items": ()}
    kind: str  # scenario | area | event | request
    event_types: tuple[str, ...]
    items: tuple[str, ...]

    def has_area(self) -> bool:
        """Whether each subject has an area: areas themselves, events that happen in one, requests (inside Japan
        when they name none)."""
        if self.kind in ("area", "request"):
            return True
        return self.kind == "event" and bool(self.event_types) and all(t in EVENTS_WITH_AREA for t in self.event_types)

    def describe(self) -> str:
        if self.kind == "event":
            return f"{', '.join(self.event_types)} events"
        return {"scenario": "the scenario", "area": "areas", "request": "requests"}[self.kind]

    def why_not(self, scope: str, what: str) -> str | None:
        """Why `what` (a field or concept of `scope`) cannot be read here, or None if it can."""
        if scope == "scenario" or scope == self.kind:
            return None
        if scope == "area":
            if self.has_area():
                return None
            return f"{what} cannot be read here: conditions about {self.describe()} have no area"
        return f"{what} cannot be read here: these conditions are about {self.describe()}"


# What the formula under `some_event:` is about: each event located in the area.
FOLD_SCOPE = Scope("event", EVENTS_WITH_AREA)


def adjacent_inside(
    formula: Formula, concepts: dict[str, Formula], trail: tuple[str, ...] = ()
) -> tuple[str, ...] | None:
    """The concepts leading to an `adjacent:` inside `formula` (empty if it is there directly), or None."""
    for node in walk(formula):
        if isinstance(node, Adjacent):
            return trail
        if isinstance(node, ConceptRef) and node.concept in concepts and node.concept not in trail:
            found = adjacent_inside(concepts[node.concept], concepts, trail + (node.concept,))
            if found is not None:
                return found
    return None


class Parser:
    """Parses condition YAML at known positions, collecting problems instead of stopping at the first."""

    def __init__(self, document: RuleDocument, concept_scopes: dict[str, str]) -> None:
        self.document = document
        self.concept_scopes = concept_scopes
        self.problems: list[Problem] = []
        self.adjacents: list[tuple[Adjacent, tuple[Any, ...]]] = []  # checked for nesting once concepts are known

    def check_nesting(self, concepts: dict[str, Formula]) -> None:
        """Refuse `adjacent:` under `adjacent:`, directly or through concepts: the area beyond is out of reach."""
        for loc in dict.fromkeys(loc for _, loc in self.adjacents):  # a formula parsed for several roles: once
            node = next(node for node, at in self.adjacents if at == loc)
            trail = adjacent_inside(node.item, concepts)
            if trail is None:
                continue
            through = f" (through concept {' -> '.join(trail)})" if trail else ""
            self.error(
                loc,
                f"`adjacent:` holds another `adjacent:`{through}; the area next to the adjacent area is out of "
                "reach: write the condition about the adjacent area itself",
                key=True,
            )

    def error(self, loc: tuple[Any, ...], message: str, suggestion: str | None = None, *, key: bool = False) -> None:
        path, position = self.document.where(loc, key=key)
        line, column = position if position else (None, None)
        self.problems.append(Problem(message, path, line, column, dotted(loc), suggestion))

    def line(self, loc: tuple[Any, ...]) -> int | None:
        position = self.document.position(loc)
        return position[0] if position else None

    def parse(self, data: Any, loc: tuple[Any, ...], scope: Scope) -> Formula | None:
        """The formula written at `loc`, or None after recording why it is not valid."""
        if isinstance(data, list):
            items = self._items(data, loc, scope)
            return AllOf(tuple(items), self.line(loc)) if items is not None else None
        if not isinstance(data, dict) or len(data) != 1:
            self.error(
                loc,
                "a condition is a mapping with one key: all, any, not, concept, or a field such as area.kind",
            )
            return None
        ((key, value),) = data.items()
        where = loc + (key,)
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                self.error(where, f"`{key}` takes a non-empty list of conditions")
                return None
            items = self._items(value, where, scope)
            if items is None:
                return None
            return (AllOf if key == "all" else AnyOf)(tuple(items), self.line(loc))
        if key == "not":
            item = self.parse(value, where, scope)
            return Not(item, self.line(loc)) if item is not None else None
        if key == "concept":
            return self._concept(value, where, scope)
        if key in ("adjacent", "some_event"):
            reason = scope.why_not("area", f"`{key}:` (about the area)")
            if reason:
                self.error(where, reason, key=True)
                return None
            if key == "adjacent":
                item = self.parse(value, where, Scope("area"))
                if item is None:
                    return None
                node = Adjacent(item, self.line(loc))
                self.adjacents.append((node, where))
                return node
            item = self.parse(value, where, FOLD_SCOPE)
            return SomeEvent(item, self.line(loc)) if item is not None else None
        if key in FIELDS:
            return self._compare(FIELDS[key], value, where, scope)
        self.error(
            where,
            f"unknown condition key {key!r}; use {', '.join(KEYWORDS)} or a field ({', '.join(FIELDS)})",
            suggest(key, list(KEYWORDS) + list(FIELDS)),
            key=True,
        )
        return None

    def _items(self, data: list[Any], loc: tuple[Any, ...], scope: Scope) -> list[Formula] | None:
        items = [self.parse(item, loc + (i,), scope) for i, item in enumerate(data)]
        if any(item is None for item in items):
            return None
        return [item for item in items if item is not None]

    def _concept(self, value: Any, loc: tuple[Any, ...], scope: Scope) -> ConceptRef | None:
        if not isinstance(value, str) or value not in self.concept_scopes:
            known = ", ".join(self.concept_scopes) or "none"
            self.error(loc, f"unknown concept {value!r} (concepts: {known})", suggest(str(value), self.concept_scopes))
            return None
        reason = scope.why_not(self.concept_scopes[value], f"concept {value!r} (about {self.concept_scopes[value]}s)")
        if reason:
            self.error(loc, reason)
            return None
        return ConceptRef(value, self.line(loc))

    def _compare(self, spec: FieldSpec, value: Any, loc: tuple[Any, ...], scope: Scope) -> Compare | None:
        reason = scope.why_not(spec.scope, f"`{spec.path}`")
        if reason is None and spec.scope == "event" and not set(spec.event_types) & set(scope.event_types):
            reason = f"`{spec.path}` is only set on {', '.join(spec.event_types)} events, not on {scope.describe()}"
        if reason:
            self.error(loc, reason, key=True)
            return None
        if spec.is_date:
            return self._date(spec, value, loc)
        if isinstance(value, dict):
            if len(value) != 1:
                self.error(loc, f"compare with one operator: {', '.join(OPERATORS)}")
                return None
            ((op, operand),) = value.items()
            if op not in OPERATORS:
                self.error(
                    loc + (op,),
                    f"unknown operator {op!r}; one of: {', '.join(OPERATORS)}",
                    suggest(op, OPERATORS),
                    key=True,
                )
                return None
            where = loc + (op,)
        else:
            op, operand, where = "eq", value, loc
        if op in ("in", "not_in"):
            if not isinstance(operand, list) or not operand:
                self.error(where, f"`{op}` takes a non-empty list of values")
                return None
            values = operand
        else:
            if isinstance(operand, (list, dict)):
                self.error(where, f"`{op}` takes one value; use `in` for a list")
                return None
            values = [operand]
        ok = True
        for i, item in enumerate(values):
            item_loc = where + (i,) if op in ("in", "not_in") else where
            if spec.is_boolean:
                if not isinstance(item, bool):
                    self.error(item_loc, f"`{spec.path}` is true or false, not {item!r}")
                    ok = False
            elif not isinstance(item, str) or item not in spec.values:
                choices = [str(v) for v in spec.values]
                self.error(
                    item_loc,
                    f"{item!r} is not a value of `{spec.path}` ({', '.join(choices)})",
                    suggest(str(item), choices),
                )
                ok = False
        if not ok:
            return None
        if len(set(values)) != len(values):
            self.error(where, "a value is listed twice")
            return None
        if spec.path == "request.item" and scope.items:
            outside = [v for v in values if v not in scope.items]
            if outside:
                self.error(
                    where,
                    f"{', '.join(map(repr, outside))} is not among the items this role is about "
                    f"({', '.join(scope.items)}): the comparison would be about requests it never sees",
                )
                return None
        return Compare(spec, op, tuple(values), self.line(loc))

    def _date(self, spec: FieldSpec, value: Any, loc: tuple[Any, ...]) -> Compare | None:
        if not isinstance(value, dict) or len(value) != 1:
            self.error(loc, f"compare `{spec.path}` with one of {', '.join(DATE_OPERATORS)}: {{before: 2007-01-09}}")
            return None
        ((op, operand),) = value.items()
        if op not in DATE_OPERATORS:
            self.error(
                loc + (op,),
                f"unknown operator {op!r} for a date; one of: {', '.join(DATE_OPERATORS)}",
                suggest(str(op), DATE_OPERATORS),
                key=True,
            )
            return None
        try:
            if not isinstance(operand, str) or len(operand) != 10:
                raise ValueError
            day = datetime.date.fromisoformat(operand)
        except ValueError:
            self.error(loc + (op,), f"`{op}` takes a date as YYYY-MM-DD, not {operand!r}")
            return None
        return Compare(spec, op, (int(day.strftime("%Y%m%d")),), self.line(loc))
