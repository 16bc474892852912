"""Text for a person at a terminal: wrapping to a width, citing provisions, and optional styling."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

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


def terminal_width(fallback: int = 100) -> int:
    """The width to wrap to: $COLUMNS, else the terminal's, else `fallback`; kept between 60 and 110 columns."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = fallback
    return max(60, min(110, columns or fallback))
