"""Text for a person at a terminal: wrapping, citing provisions, styling, messages, escaping control characters."""

from __future__ import annotations

import os
import re
import sys
import textwrap
from collections.abc import Callable
from typing import Any

from ..errors import GuidelinesError, InputError, Problem

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


def width_of(text: str) -> int:
    """The columns `text` takes on a terminal: 2 for a CJK character, 0 for a combining mark, 1 for most others.

    Colour codes (SGR sequences) take none; a control character takes none (text output escapes them first).
    """
    if "\x1b" not in text and (text.isascii() or all(char.isascii() or char in _NARROW for char in text)):
        return len(text)
    return sum(_columns(char) for char in _SGR.sub("", text))


_SGR = re.compile(r"\x1b\[[0-9;]*m")
_WCWIDTH: Callable[[str], int] | None = None
# The signs the reports use beyond ASCII, each one column (as wcwidth says): text of only these needs no table.
_NARROW = frozenset("\xa0·→←✓✗…–—•×")


def _columns(char: str) -> int:
    """The columns one character takes (none for a control character)."""
    global _WCWIDTH
    if " " <= char < "\x7f" or char in _NARROW:
        return 1
    if _WCWIDTH is None:
        # wcwidth compiles a dozen patterns when imported: only text beyond ASCII pays for it
        from wcwidth import wcwidth as _WCWIDTH
    return max(0, _WCWIDTH(char))


def ljust(text: str, width: int) -> str:
    """`text` padded with spaces on the right to `width` columns (as `str.ljust`, by display width)."""
    return text + " " * (width - width_of(text))


def rjust(text: str, width: int) -> str:
    """`text` padded with spaces on the left to `width` columns (as `str.rjust`, by display width)."""
    return " " * (width - width_of(text)) + text


def center(text: str, width: int) -> str:
    """`text` centred in `width` columns (as `str.center`, by display width)."""
    room = max(0, width - width_of(text))
    left = room // 2 + (room & width & 1)  # as str.center, which leans right when both are odd
    return " " * left + text + " " * (room - left)


def shorten(text: str, width: int) -> str:
    """`text` if it fits `width` columns, else cut to `width - 1` columns and ended with `…`."""
    if width_of(text) <= width:
        return text
    out, used = "", 0
    for char in text:
        used += _columns(char)
        if used > width - 1:
            break
        out += char
    return out + "…"


class _Columns(str):
    """A piece of text whose length is its display width: textwrap measures pieces with `len()`."""

    __slots__ = ()

    def __len__(self) -> int:
        return width_of(str.__str__(self))


class _Wrapper(textwrap.TextWrapper):
    """textwrap by display width, breaking only at spaces: never inside a word, nor at a hyphen. But a run of
    Japanese too wide for a line (a title written without spaces) is broken between two of its characters."""

    def _split_chunks(self, text: str) -> list[str]:
        chunks = super()._split_chunks(text)
        whole = [chunk.isascii() or width_of(chunk) <= self.width for chunk in chunks]
        return [
            _Columns(piece)
            for chunk, fits in zip(chunks, whole, strict=True)
            for piece in ([chunk] if fits else _wide_pieces(chunk))
        ]


# Closing marks and small kana a Japanese line never starts with: they stay with the character before them.
_NO_BREAK_BEFORE = frozenset("、。，．・：；？！ー々」』）】〕〉》ぁぃぅぇぉっゃゅょァィゥェォッャュョ")


def _wide_pieces(chunk: str) -> list[str]:
    """A word cut before and after each wide character, a combining mark kept with the character before it."""
    pieces: list[str] = []
    wide_before = False
    for char in chunk:
        columns = _columns(char)
        if pieces and (columns == 0 or (columns == 1 and not wide_before) or char in _NO_BREAK_BEFORE):
            pieces[-1] += char
        else:
            pieces.append(char)
        if columns != 0:
            wide_before = columns == 2
    return pieces


_WRAPPER = _Wrapper(break_long_words=False, break_on_hyphens=False, expand_tabs=False)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns, never breaking inside `cite` unless a provision alone is too long.

    A word longer than the width (a path, a URL) is never broken: it stands whole on its own line,
    overflowing it, since a piece of a path joined back with a space would name another file.
    Runs of spaces inside a line are kept, as in `text  [basis]`.
    """
    width = max(20, width)
    tokens: list[str] = []
    for token in text.replace("\n", " ").lstrip(" ").split(" "):
        if _NBSP in token and width_of(token) > width:
            # A citation too long for a line is opened at its kept spaces, and stands one space from its text.
            while tokens and not tokens[-1]:
                tokens.pop()
            token = token.replace(_NBSP, " ")
        tokens.append(token)
    _WRAPPER.width = width
    return [str(line).replace(_NBSP, " ") for line in _WRAPPER.wrap(" ".join(tokens))] or [""]


def beside(head: str, tail: str, width: int) -> list[str]:
    """`head  tail` on one line (`SEARCH AND RESCUE  applies`), or the tail indented under the head if too wide."""
    if width_of(head) + 2 + width_of(tail) > width:
        return [head, "  " + tail]
    return [f"{head}  {tail}"]


def hanging(head: str, body: str, width: int, indent: int = 4) -> list[str]:
    """`head body` wrapped to `width`, the head whole on the first line and the rest indented by `indent`."""
    if not body:
        return [head]
    first, *rest = wrap(body, max(20, width - width_of(head) - 1))
    lines = [f"{head} {first}"]
    if rest:
        lines.extend(" " * indent + line for line in wrap(" ".join(rest), width - indent))
    return lines


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


# C0 controls, DEL and C1 controls: what can move the cursor, clear the screen or retitle the window; and the
# bidirectional controls and line separators, which make a line read as other text than it holds.
_INVISIBLE = (
    *range(0x20),
    *range(0x7F, 0xA0),
    0x061C,
    0x200E,
    0x200F,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    0x2028,
    0x2029,
)
_CONTROLS_AND_NEWLINES = {
    code: {"\t": "\\t", "\n": "\\n", "\r": "\\r"}.get(chr(code), f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    for code in _INVISIBLE
}
_CONTROLS = {code: text for code, text in _CONTROLS_AND_NEWLINES.items() if code != ord("\n")}


def escape_controls(text: str, *, newlines: bool = False) -> str:
    """Text safe to print to a terminal: controls shown as `\\x1b`, `\\t`, `\\u202e`...; newlines kept unless asked."""
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


def say(severity: str, location: str, message: str, width: int) -> str:
    """`error: FILE:LINE:COL: FIELD: message` on one line that is never wrapped; a hint under it if it does not fit.

    A tool, an editor or grep reads the first line whole, however long the path. When the line is
    wider than `width`, its `hint: ...` and `(did you mean ...?)` go on the lines under it, wrapped and
    indented, each on lines of its own. A message with no location (about an option, or a file as a
    whole: `error: x.yaml is a link; give ...`) has no line for a tool to read whole: it is wrapped,
    its later lines indented under it. Control characters are escaped.
    """
    head = f"{severity}: {escape_controls(location, newlines=True)}: " if location else f"{severity}: "
    body = escape_controls(message, newlines=True)
    first, hint = _hint(body)
    if width_of(head + body) <= width or (location and not hint):
        return head + body
    lines = [head + first] if location else hanging(head.rstrip(), first, width)
    paragraphs = hint.split(" (did you mean ") if hint.startswith("hint: ") else [hint] if hint else []
    paragraphs[1:] = ["(did you mean " + rest for rest in paragraphs[1:]]
    return "\n".join([*lines, *("    " + line for part in paragraphs for line in wrap(part, width - 4))])


def _hint(message: str) -> tuple[str, str]:
    """A message cut before its hint: its `; hint: ` (see scenario/hints.py) or ` (did you mean`, outside quotes."""
    cuts = [message.find("; hint: "), message.find(" (did you mean ")]
    cuts = [i for i in cuts if i > 0 and not message.count("'", 0, i) % 2]
    if not cuts:
        return message, ""
    cut = min(cuts)
    if message.startswith("; hint: ", cut):
        return message[:cut], message[cut + 2 :]
    return message[:cut], message[cut + 1 :]


def problem_text(problem: Problem, width: int, severity: str = "error") -> str:
    """A problem as `error: FILE:LINE:COL: FIELD: message (did you mean ...?)`, wrapped (see `say`)."""
    return say(severity, problem.location(), problem.body(), width)


def error_text(error: GuidelinesError, source: str, width: int) -> str:
    """An error as `error: FILE:LINE:COL: FIELD: message` lines, one per problem, wrapped to `width`."""
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
