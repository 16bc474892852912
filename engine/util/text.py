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


def cite(basis: tuple[str, ...] | list[str], titles: dict[str, str] | None = None) -> str:
    """`  [G97 V.2(3), G97-Annex]`, kept whole by `wrap` (a provision is never split across lines).

    With `titles` (source tag -> full title), the first provision of each source
    is followed by the source's full title, which may wrap: `[G97 V.2(3) (Guidelines
    for ...), G97 V.2(1)b]`.
    """
    if not basis:
        return ""
    items = []
    named: set[str] = set()  # a title is given once per citation, after its source's first provision
    for item in basis:
        kept = item.replace(" ", _NBSP)
        tag = source_tag(item, titles) if titles else None
        title = titles.get(tag) if titles and tag and tag not in named else None
        if tag:
            named.add(tag)
        items.append(f"{kept} ({title})" if title else kept)
    return "  [" + ", ".join(items) + "]"


def source_tag(provision: str, tags: dict[str, str] | list[str] | tuple[str, ...]) -> str | None:
    """The source tag a provision starts with (`Law60/1999 Art. 3` -> `Law60/1999`), if it is one of `tags`."""
    head = provision.split(" ", 1)[0].rstrip(",;")
    return head if head in tags else None


def wrap(text: str, width: int, *, whole_first: bool = False) -> list[str]:
    """Lines of at most `width` columns, never breaking inside `cite` unless a provision alone is too long.

    A word longer than the width is broken: at its kept spaces if it has any, else anywhere; with
    `whole_first`, the first word never is (a message's location, which must stay whole).
    """
    width = max(20, width)
    words: list[str] = []
    extra = 0
    for token in text.replace("\n", " ").split(" "):
        if not token:
            extra += 1  # a run of spaces inside a line is kept, as in "text  [basis]"
            continue
        if whole_first and not words:
            words.append(" " * extra + token)
        else:
            words.extend(_pieces(" " * extra + token, width))
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


def _pieces(word: str, width: int) -> list[str]:
    """A word that fits, or the pieces of one that does not (at its kept spaces first)."""
    if len(word.lstrip(" ")) <= width:
        return [word]
    word = word.lstrip(" ")
    if _NBSP in word:
        out: list[str] = []
        for part in word.split(_NBSP):
            out.extend(_pieces(part, width))
        return out
    return [word[i : i + width] for i in range(0, len(word), width)]


def terminal_width(stream: object = None) -> int:
    """The width human-readable output fits: $COLUMNS if set, else the terminal's when stdout is one, else 80.

    Kept between 40 and 110 columns: past 110 lines of prose are hard to read.
    """
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        stream = stream if stream is not None else sys.__stdout__
        columns = 80
        try:
            if stream is not None and stream.isatty():  # type: ignore[attr-defined]
                columns = os.get_terminal_size(stream.fileno()).columns  # type: ignore[attr-defined]
        except (AttributeError, ValueError, OSError):
            columns = 80
    return max(40, min(110, columns))


def unicode_ok(stream: object = None) -> bool:
    """Whether `stream` (stdout) takes the symbols of the matrix (a UTF-8 encoding), else ASCII is used."""
    stream = stream if stream is not None else sys.stdout
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding.startswith("utf")


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
    lines = wrap(f"{whole} {body}" if body else whole, width, whole_first=True)
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
