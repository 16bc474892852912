"""Safe YAML loading that keeps every line number and takes no liberties with values.

PyYAML's C parser builds the node tree (the fast path), and this module turns
nodes into plain Python values itself, so that:

- no tag can construct an object: only plain mappings, lists and scalars come out;
- scalars follow the YAML 1.2 core schema: `true`/`false` are booleans, but
  `yes`, `no`, `on` and `off` stay strings, so a typo never becomes a boolean;
- a duplicate key is an error, not a silent overwrite;
- anchors and aliases are refused, which also rules out alias bombs;
- an integer longer than any field takes is refused where it stands, before
  Python reads it (past 4,300 digits it refuses with a bare ValueError, and a
  hex number of thousands of digits would break printing it later);
- every value and key keeps its position, so later errors can name a line.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from ..errors import Problem

try:  # the C parser, when PyYAML was built with libyaml (the wheels are)
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - pure-Python fallback
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: Any) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

        def dispose(self) -> None:
            pass


# Inputs larger than this are refused before parsing: no scenario or rule file
# comes near it, and it bounds the time and memory one bad file can take.
MAX_BYTES = 1_000_000
# Deeper nesting than this is refused; the deepest valid scenario path is 4.
MAX_DEPTH = 32
# Longer integers are refused: no field takes a number near a billion billion (a year, a count, an index).
MAX_DIGITS = 18

PLAIN_TAG = "!plain"
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_FLOAT_SPECIAL = {
    ".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"),
    ".Inf": float("inf"), "+.Inf": float("inf"), "-.Inf": float("-inf"),
    ".INF": float("inf"), "+.INF": float("inf"), "-.INF": float("-inf"),
    ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan"),
}  # fmt: skip


class _Loader(_Parser, BaseResolver):  # type: ignore[misc,valid-type]
    """C parser plus a resolver that marks plain scalars, so this module resolves them."""

    def __init__(self, stream: Any) -> None:
        _Parser.__init__(self, stream)
        BaseResolver.__init__(self)

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            return PLAIN_TAG if implicit[0] else _STR
        return _SEQ if kind is SequenceNode else _MAP

    # No path resolvers are used: skip the bookkeeping the parser calls for on every node.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


Position = tuple[int, int]
Path = tuple[Any, ...]


class Document(NamedTuple):
    """A loaded YAML document: its data and where each value and key stood."""

    path: str
    data: Any
    positions: dict[Path, Position]
    key_positions: dict[Path, Position]

    def position(self, loc: Path, *, key: bool = False) -> Position | None:
        """Where the value (or, with `key`, the key) at `loc` stands; the nearest parent if unknown."""
        loc = tuple(loc)
        if key and loc in self.key_positions:
            return self.key_positions[loc]
        while True:
            if loc in self.positions:
                return self.positions[loc]
            if not loc:
                return None
            loc = loc[:-1]

    def where(self, loc: Path, *, key: bool = False) -> tuple[str, Position | None]:
        """The file and position of the value (or key) at `loc`: a merged rule file draws on several files."""
        return self.path, self.position(loc, key=key)


class NumberTooLong(ValueError):
    """An integer written with more digits than `MAX_DIGITS`; the message echoes only its first few."""

    def __init__(self, text: str, digits: int) -> None:
        super().__init__(f"a number of {digits:,} digits ({elide_number(text)}); the limit is {MAX_DIGITS}")


def elide_number(text: str) -> str:
    """Text with each number of more than `MAX_DIGITS` digits cut to its first few: `12345678...`, `0xffffffff...`.

    Only numbers: decimal digits, or hexadecimal ones after `0x`. A word or a hash of letters a-f is text,
    and is echoed whole.
    """
    return _LONG_RUN.sub(lambda match: match.group(0)[: 10 if match.group(1) else 8] + "...", text)


# A word's own digits (`id_123...`, a hash's `...0123456789...`) are not a number: hence the lookbehind.
_LONG_RUN = re.compile(rf"(?<![0-9A-Za-z_])(?:(0[xX])[0-9a-fA-F]{{{MAX_DIGITS + 1},}}|[0-9]{{{MAX_DIGITS + 1},}})")


class YamlProblem(Exception):
    """The text is not YAML this tool accepts; carries one located `Problem`."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.text())
        self.problem = problem


def _mark(node: Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _scalar(node: ScalarNode) -> Any:
    if node.tag == _STR:
        return node.value
    return plain_value(node.value)


_MAYBE_NOT_TEXT = frozenset("0123456789-+.~nNtTfF")


def plain_value(value: str) -> Any:
    """What an unquoted scalar means: the YAML 1.2 core schema (so `yes` stays text)."""
    if value and value[0] not in _MAYBE_NOT_TEXT:
        return value  # most scalars are words: no pattern can match them
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        return int(_bounded(value, value.lstrip("+-")))
    if _INT_OCT.match(value):
        return int(_bounded(value, value[2:]), 8)
    if _INT_HEX.match(value):
        return int(_bounded(value, value[2:]), 16)
    if value in _FLOAT_SPECIAL:
        return _FLOAT_SPECIAL[value]
    if _FLOAT.match(value):
        return float(value)
    return value


def _bounded(value: str, digits: str) -> str:
    """The digits of an integer, if there are few enough; else `NumberTooLong`."""
    if len(digits) > MAX_DIGITS:
        raise NumberTooLong(value, len(digits))
    return digits


class _Refused(Exception):
    """The fast builder met something it does not build; the positional builder says what and where."""


def _fast(node: Node, seen: set[int], depth: int) -> Any:
    """Plain data from a node tree, without positions; raises `_Refused` at anything not accepted."""
    if depth > MAX_DEPTH or id(node) in seen:
        raise _Refused
    seen.add(id(node))
    kind = node.__class__
    if kind is ScalarNode:
        if node.tag == PLAIN_TAG:
            try:
                return plain_value(node.value)
            except NumberTooLong:
                raise _Refused from None
        if node.tag == _STR:
            return node.value
        raise _Refused
    if kind is MappingNode and node.tag == _MAP:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode or key_node.tag not in (PLAIN_TAG, _STR):
                raise _Refused
            key = key_node.value
            if key in out or id(key_node) in seen:
                raise _Refused
            seen.add(id(key_node))
            out[key] = _fast(value_node, seen, depth + 1)
        return out
    if kind is SequenceNode and node.tag == _SEQ:
        return [_fast(item, seen, depth + 1) for item in node.value]
    raise _Refused


class _Builder:
    def __init__(self, path: str, source: bytes | str) -> None:
        self.path = path
        self.source = source
        self.positions: dict[Path, Position] = {}
        self.key_positions: dict[Path, Position] = {}
        self.seen: set[int] = set()

    def fail(self, node: Node, message: str, loc: Path = ()) -> YamlProblem:
        line, column = _mark(node)
        return YamlProblem(Problem(message, self.path, line, column, dotted(loc)))

    def _first_alias(self) -> Position | None:
        """Where the first alias stands: the shared node itself only knows its anchor's place."""
        for event in yaml.parse(self.source, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark.line + 1, event.start_mark.column + 1
        return None  # pragma: no cover - reuse implies an alias

    def build(self, node: Node, loc: Path, depth: int) -> Any:
        if id(node) in self.seen:
            problem = self.fail(node, "anchors and aliases (&name, *name) are not supported; write the value out", loc)
            alias = self._first_alias()
            if alias is not None:
                problem = YamlProblem(Problem(problem.problem.message, self.path, alias[0], alias[1]))
            raise problem
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nested more than {MAX_DEPTH} levels deep", loc)
        self.positions[loc] = _mark(node)
        if isinstance(node, ScalarNode):
            if node.tag not in (PLAIN_TAG, _STR):
                raise self.fail(node, f"YAML tag {node.tag!r} is not allowed; only plain values", loc)
            try:
                return _scalar(node)
            except NumberTooLong as exc:
                raise self.fail(node, str(exc), loc) from exc
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                raise self.fail(node, f"YAML tag {node.tag!r} is not allowed; only plain lists", loc)
            return [self.build(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            if node.tag != _MAP:
                raise self.fail(node, f"YAML tag {node.tag!r} is not allowed; only plain mappings", loc)
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise self.fail(key_node, "a key must be a plain word, not a list or mapping", loc)
                key = self.build(key_node, loc + ("<key>",), depth + 1)
                if not isinstance(key, str):
                    # `1: x` or `true: x`: keep it as written so the error can name it.
                    key = key_node.value
                if key in result:
                    first = self.key_positions[loc + (key,)][0]
                    raise self.fail(key_node, f"duplicate key {key!r} (first given on line {first})", loc + (key,))
                self.key_positions[loc + (key,)] = _mark(key_node)
                result[key] = self.build(value_node, loc + (key,), depth + 1)
            self.positions.pop(loc + ("<key>",), None)
            return result
        raise self.fail(node, "unsupported YAML node", loc)  # pragma: no cover


def dotted(loc: Path) -> str:
    """A location as users write it: `areas[1].kind`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "<key>":
            continue
        else:
            out += ("." if out else "") + str(part)
    return out


def load_tree(source: bytes | str, path: str) -> tuple[Any, Node | None]:
    """The plain data of one YAML document, fast and without positions, and the node tree it came from (to
    `locate` values in later).

    Anything this module refuses (or cannot parse) is read again with positions,
    so the `YamlProblem` raised names the line, as `load_yaml` would.
    """
    if len(source) <= MAX_BYTES and not (isinstance(source, bytes) and b"\x00" in source[:4096]):
        loader = _Loader(source)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, None
            return _fast(node, set(), 0), node
        except (_Refused, yaml.YAMLError, RecursionError):
            pass
        finally:
            loader.dispose()
    document = load_yaml(source, path)
    return document.data, None  # pragma: no cover - load_yaml raises for whatever _fast refused


def locate(root: Node, locs: list[Path]) -> dict[Path, Position]:
    """Where the values at `locs` stand in a document's node tree (`load_tree` gives it).

    Follows each location down the tree, without building the document again:
    for the few places a warning names, far quicker than `load_yaml`, which
    records the position of every value.
    """
    out: dict[Path, Position] = {}
    for loc in locs:
        node = root
        for part in loc:
            if isinstance(node, MappingNode):
                node = next((v for k, v in node.value if isinstance(k, ScalarNode) and k.value == part), None)
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
            else:
                node = None
            if node is None:
                break
        if node is not None:
            out[loc] = _mark(node)
    return out


def _tab_indented(source: bytes | str, index: int) -> bool:
    """Whether line `index` (from 0) of the text starts with whitespace holding a tab."""
    lines = source.splitlines() if isinstance(source, str) else source.decode("utf-8", "replace").splitlines()
    if index >= len(lines):
        return False
    line = lines[index]
    return "\t" in line[: len(line) - len(line.lstrip(" \t"))]


def load_yaml(source: bytes | str, path: str) -> Document:
    """Parse one YAML document safely; raise `YamlProblem` with a position if it is not acceptable."""
    size = len(source)
    if size > MAX_BYTES:
        raise YamlProblem(Problem(f"file is {size:,} bytes; the limit is {MAX_BYTES:,}", path))
    if isinstance(source, bytes) and b"\x00" in source[:4096] and not source.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlProblem(Problem("this is a binary file, not YAML text", path, 1, 1))
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        if mark is not None and _tab_indented(source, mark.line):
            message = "a tab in the indentation: YAML indentation uses spaces, not tabs"
            raise YamlProblem(Problem(message, path, line, 1)) from None
        raise YamlProblem(Problem(f"invalid YAML: {what}", path, line, column)) from None
    except yaml.YAMLError as exc:  # reader errors: bad encoding, control characters
        text = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        line = None
        position = getattr(exc, "position", None)
        if isinstance(source, (bytes, str)) and isinstance(position, int):
            head = source[:position]
            line = (head.count(b"\n") if isinstance(head, bytes) else head.count("\n")) + 1
        raise YamlProblem(Problem(f"not readable as YAML text: {text}", path, line)) from None
    except RecursionError:
        raise YamlProblem(Problem(f"nested more than {MAX_DEPTH} levels deep", path)) from None
    finally:
        loader.dispose()
    if node is None:
        return Document(path, None, {(): (1, 1)}, {})
    builder = _Builder(path, source)
    data = builder.build(node, (), 0)
    return Document(path, data, builder.positions, builder.key_positions)


def problem_at(
    document: Document, loc: tuple[Any, ...], message: str, suggestion: str | None = None, *, key: bool = False
) -> Problem:
    """A problem located at the value (or key) found at `loc` in `document`."""
    path, position = document.where(loc, key=key)
    line, column = position if position else (None, None)
    return Problem(message, path, line, column, dotted(loc), suggestion)
