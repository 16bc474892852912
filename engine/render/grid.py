"""The column layout shared by the matrix (`table`) and the compare matrix (`compare`).

Columns are named by their areas' and requests' names, wrapped over at most
three lines, when every name fits; otherwise numbered, with a key below the
matrix. Columns that do not fit in one block go on to the next block.
"""

from __future__ import annotations

from typing import NamedTuple

from ..util.text import Style, wrap

GAP = 2  # columns between two columns
MAX_HEADER_LINES = 3
MAX_NAME = 12  # widest column a name may take


class Column(NamedTuple):
    """An area or a request of the scenario."""

    key: str  # the area id, or `request:N` (N counting the request roles' requests in report order)
    label: str  # the area's name, or the request in words
    kind: str  # area | request


def headers(columns: list[Column], room: int) -> tuple[list[list[str]], bool]:
    """Each column's header lines: its name wrapped when all names fit in `room`, else its number."""
    named = [name_lines(c.label) for c in columns]
    widths = [max(len(line) for line in lines) for lines in named]
    if sum(widths) + GAP * max(0, len(widths) - 1) <= room:
        return named, False
    digits = len(str(len(columns)))
    return [[str(i + 1).rjust(digits)] for i in range(len(columns))], True


def name_lines(label: str) -> list[str]:
    """A name over at most three lines of at most 12 columns (long words cut with `…`)."""
    words = [w if len(w) <= MAX_NAME else w[: MAX_NAME - 1] + "…" for w in label.split()] or ["?"]
    for size in range(max(len(w) for w in words), MAX_NAME + 1):
        lines = wrap(" ".join(words), size) if size >= 20 else pack(words, size)
        if len(lines) <= MAX_HEADER_LINES:
            return lines
    lines = pack(words, MAX_NAME)
    cut = lines[:MAX_HEADER_LINES]
    last = cut[-1]
    cut[-1] = (last if len(last) < MAX_NAME else last[: MAX_NAME - 1]) + "…"
    return cut


def pack(words: list[str], size: int) -> list[str]:
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= size:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def blocks(widths: list[int], room: int) -> list[list[int]]:
    """Column indexes split into blocks that each fit in `room` (one block when they all fit)."""
    blocks: list[list[int]] = [[]]
    used = 0
    for i, w in enumerate(widths):
        need = w if not blocks[-1] else used + GAP + w
        if blocks[-1] and need > room:
            blocks.append([i])
            used = w
        else:
            blocks[-1].append(i)
            used = need
    return blocks


def key(columns: list[Column], numbered: bool, width: int) -> list[str]:
    """The key of numbered columns: `areas: 1 Taiwan Strait, 2 ...` and `requests: 6 ...`."""
    if not numbered:
        return []
    lines = []
    for kind, title in (("area", "areas"), ("request", "requests")):
        entries = [f"{i + 1} {c.label}" for i, c in enumerate(columns) if c.kind == kind]
        if entries:
            lines.extend(items_lines(f"{title}: ", entries, width))
    return lines


def items_lines(head: str, items: list[str], width: int) -> list[str]:
    """`head item, item, ...` wrapped between items (an item breaks only if it is wider than a line)."""
    indent = " " * len(head)
    lines = [head.rstrip()] if len(head) >= width // 2 else []
    current = "" if lines else head
    for k, item in enumerate(items):
        text = item + ("," if k < len(items) - 1 else "")
        if current.strip() and len(current) + 1 + len(text) > width:
            lines.append(current.rstrip())
            current = indent
        if len(current) + len(text) > width:
            pieces = wrap(text, width - len(indent))
            lines.extend(
                ([current + pieces[0]] if current.strip() else [indent + pieces[0]])
                + [indent + p for p in pieces[1:-1]]
            )
            current = indent + pieces[-1] + " " if len(pieces) > 1 else current
            continue
        current += text + " "
    if current.strip():
        lines.append(current.rstrip())
    return lines


def shorten(name: str, width: int) -> str:
    """`name`, cut to `width` with `…` when it is wider."""
    return name if len(name) <= width else name[: width - 1] + "…"


def header_rows(
    headers: list[list[str]],
    block: list[int],
    widths: list[int],
    numbered: bool,
    labels: list[tuple[str, int]],
    paint: Style,
) -> list[str]:
    """The header lines of one block of columns: the left columns' `labels` (each with its width) on the last
    line; each column's name lines aligned to the bottom, numbers to the right and names centred."""
    depth = max((len(headers[c]) for c in block), default=1)
    out = []
    for d in range(depth):
        last = d == depth - 1
        head = "".join((label if last else "").ljust(size + GAP) for label, size in labels)
        cells = []
        for c in block:
            text = headers[c][d - depth + len(headers[c])] if d >= depth - len(headers[c]) else ""
            cells.append(text.rjust(widths[c]) if numbered else text.center(widths[c]).rstrip().ljust(widths[c]))
        out.append(paint((head + (" " * GAP).join(cells)).rstrip(), dim=True))
    return out
