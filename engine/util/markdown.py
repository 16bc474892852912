"""Text from a file, a path or a rulebook, made safe to put in Markdown: it shows as written and adds no markup.

escape  prose: whitespace (line breaks included) as single spaces, controls shown
        as `\\x1b`, and every character that could start markup or HTML, end a
        table cell or open a block at the start of a line backslash-escaped
code    a code span (ids, paths): controls shown as `\\n`, `\\x1b`, on one line,
        fenced past any backticks inside, `|` escaped in a table cell

Every Markdown writer (reports, comparisons, the rulebook) uses these two, so
a file named `x\\n<img src=x onerror=...>.yaml` or a rulebook titled
`<script>` stays text in any renderer.
"""

from __future__ import annotations

import re

# What could start markup inside a line: emphasis, code, links, HTML and entities, table cells, headings' #.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&])")
# What opens a block at the start of a line: a list item, a setext underline, an ordered list item.
_LINE_START = re.compile(r"^(\d*)([-+=.)])")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


_CODE_SPAN = re.compile(r"(`[^`]+`)")


def escape(text: str, *, keep_code: bool = False) -> str:
    """Markdown text that shows as written, on one line: special characters backslash-escaped. `keep_code`: the
    text's own code spans (`like_this`, as the rule files write ids) stay code spans, their insides being literal
    text to any renderer."""
    text = _CONTROLS.sub(_shown, " ".join(text.split()))
    if keep_code:
        parts = _CODE_SPAN.split(text)
        text = "".join(part if i % 2 else _SPECIAL.sub(r"\\\1", part) for i, part in enumerate(parts))
    else:
        text = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(r"\1\\\2", text)


def code(text: str, *, cell: bool = False) -> str:
    """`text` as a code span on one line, controls shown as escapes; `cell`: inside a table, where `|` ends the
    cell even in a code span unless escaped."""
    text = _CONTROLS.sub(_shown, text)
    if cell:
        text = text.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"
