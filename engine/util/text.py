"""Text for a person at a terminal: wrapping, citing provisions, styling, messages, escaping control characters."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..errors import GuidelinesError, Problem

# click.style, or `plain`: the layers below the command line style text without importing click.
Style = Callable[..., str]


def plain(text: str, **_: object) -> str:
    """A `Style` that leaves text as it is."""
    return text


_NBSP = "\u00a0"


def cite(basis: tuple[str, ...] | list[str]) -> str:
    """`  [G97 V.2(3), G97-Annex]`, kept whole by `wrap` (a provision is never split across lines)."""
    if not basis:
        return ""
    return "  [" + ", ".join(item.replace(" ", _NBSP) for item in basis) + "]"


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns (a longer word gets a line of its own), never breaking inside `cite`."""
    width = max(20, width)
    words: list[str] = []
    extra = 0
    for token in text.replace("\n", " ").split(" "):
        if not token:
            extra += 1  # a run of spaces inside a line is kept, as in "text  [basis]"
            continue
        words.append(" " * extra + token)
        extra = 0
    lines: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word.lstrip(" ")
        else:
            current = f"{current} {word}" if current else word.lstrip(" ")
    if current:
        lines.append(current)
    return [line.replace(_NBSP, " ") for line in lines] or [""]


def terminal_width() -> int:
    """The width to wrap to: $COLUMNS, else the terminal's, else 100; kept between 60 and 110 columns."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 100
    return max(60, min(110, columns or 100))


# C0 controls, DEL and C1 controls: what can move the cursor, clear the screen or retitle the window.
_CONTROLS_AND_NEWLINES = {
    code: {"\t": "\\t", "\n": "\\n", "\r": "\\r"}.get(chr(code), f"\\x{code:02x}")
    for code in (*range(0x20), *range(0x7F, 0xA0))
}
_CONTROLS = {code: text for code, text in _CONTROLS_AND_NEWLINES.items() if code != ord("\n")}


def escape_controls(text: str, *, newlines: bool = False) -> str:
    """Text safe to print to a terminal: control characters shown as `\\x1b`, `\\t`...; newlines kept unless asked."""
    return text.translate(_CONTROLS_AND_NEWLINES if newlines else _CONTROLS)


def escape_data(value: Any, free_text: frozenset[str] = frozenset({"description"})) -> Any:
    """Scenario data with every string made safe to print (see `escape_controls`), for text output only.

    Newlines stay in the free-text fields named (a description), and are shown
    as `\\n` elsewhere (a title, a name).
    """
    if isinstance(value, str):
        return escape_controls(value, newlines=True)
    if isinstance(value, list):
        return [escape_data(item, free_text) for item in value]
    if isinstance(value, dict):
        return {
            key: escape_controls(item) if key in free_text and isinstance(item, str) else escape_data(item, free_text)
            for key, item in value.items()
        }
    return value


def hanging(head: str, body: str, width: int, indent: int = 4) -> list[str]:
    """`head body` wrapped to `width`, the head whole on the first line and the rest indented by `indent`."""
    whole = head.replace(" ", _NBSP)
    lines = wrap(f"{whole} {body}" if body else whole, width)
    if len(lines) == 1:
        return lines
    rest = wrap(" ".join(lines[1:]), width - indent)
    return [lines[0]] + [" " * indent + line for line in rest]


def say(severity: str, location: str, message: str, width: int) -> str:
    """`error: FILE:LINE:COL: message`, wrapped so the location stays whole on the first line; controls escaped."""
    head = f"{severity}: {escape_controls(location, newlines=True)}:" if location else f"{severity}:"
    return "\n".join(hanging(head, escape_controls(message, newlines=True), width))


def problem_text(problem: Problem, width: int, severity: str = "error") -> str:
    """A problem as `error: FILE:LINE:COL: FIELD: message (did you mean ...?)`, wrapped (see `say`)."""
    return say(severity, problem.location(), problem.body(), width)


def error_text(error: GuidelinesError, source: str, width: int) -> str:
    """An error as `error: FILE:LINE:COL: FIELD: message` lines, one per problem, wrapped to `width`."""
    from ..errors import InputError, Problem

    problems = error.problems if isinstance(error, InputError) and error.problems else [Problem(error.message, source)]
    return "\n".join(problem_text(problem, width) for problem in problems)


def message_width(stream: Any = None) -> int:
    """The width to wrap messages to: $COLUMNS, else the terminal's when `stream` (stderr) is one, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    stream = stream if stream is not None else sys.__stderr__
    try:
        if stream is not None and stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        pass
    return 80
