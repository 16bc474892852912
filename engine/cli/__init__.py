"""The `guidelines` command line. The only part of the package that imports click.

Each command lives in its own module, imported only when the command runs (or
when help lists it), so `guidelines evaluate` starts without loading the other
verbs. Library errors become exits here, at the boundary. Exit codes: 0
success, 1 invalid input or a failed check, 2 usage error, 3 rule engine failure;
130 and 143 when stopped by SIGINT (Ctrl-C) and SIGTERM (see `output.py`).
"""

from __future__ import annotations

import re
from importlib import import_module
from typing import Any

import click

# command name -> module (in this package) defining a click command of the same name
COMMANDS = {
    "evaluate": "evaluate",
    "validate": "validate",
    "test": "testing",
    "explain": "explain",
    "schema": "schema",
    "new": "new",
    "rules": "rules",
    "check": "check",
    "compare": "compare",
    "diff": "diff",
    "flip": "flip",
    "examples": "examples",
    "coverage": "coverage",
    "cache": "cache",
    "decisions": "decisions",
}


class _Formatter(click.HelpFormatter):
    """click's help, but a line kept as written (`\\b`) too wide for the terminal: a two-column one (an exit code
    and its meaning, a format and what it is) is wrapped under its second column, its next lines at their indent;
    an example command stays whole, to be copied."""

    def write_text(self, text: str) -> None:
        from ..util.text import width_of, wrap

        start = len(self.buffer)
        super().write_text(text)
        lines = []
        for line in "".join(self.buffer[start:]).split("\n"):
            columns = _TWO_COLUMNS.match(line) or _GOES_ON.match(line)
            if width_of(line) <= self.width + 2 or columns is None or line.lstrip().startswith("guidelines "):
                lines.append(line)
                continue
            lead = columns.group(1)
            body = wrap(columns.group(2), self.width - len(lead))
            lines += [lead + body[0], *(" " * len(lead) + more for more in body[1:])]
        self.buffer[start:] = ["\n".join(lines)]

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        # click gives the options 30 columns, which leaves a narrow terminal 10 for what they do
        super().write_dl(rows, col_max if self.width >= 60 else max(10, self.width // 3), col_spacing)


_TWO_COLUMNS = re.compile(r"^(\s+\S+(?:, \S+)*\s{2,})(\S.*)$")  # `  1  a file did not load`, `  csv  one row per role`
_GOES_ON = re.compile(r"^(\s+)(\S.*)$")  # the second line of a meaning, under its column


class _Context(click.Context):
    formatter_class = _Formatter


class _LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    context_class = _Context

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        command: click.Command = getattr(import_module(f".{module}", __name__), cmd_name)
        command.context_class = _Context  # its help formatted as the group's is
        return command

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any):
        """click's context, with help wrapped to a terminal narrower than click's floor of 50 columns."""
        from ..util.text import terminal_width

        columns = terminal_width()
        if columns < 52 and "terminal_width" not in extra:  # click's formatter takes it as the width to wrap to
            extra["terminal_width"] = columns - 2
        return super().make_context(info_name, args, parent, **extra)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """click's main, under the rules of `output.py`: signals, closed pipes and write errors end it cleanly."""
        if kwargs.get("standalone_mode", True) is False:
            return super().main(*args, **kwargs)
        from .output import guarded

        def run() -> Any:
            try:
                return super(_LazyGroup, self).main(*args, **kwargs, standalone_mode=False)
            finally:
                from .console import cache_warnings

                cache_warnings()

        guarded(run)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="guidelines", prog_name="guidelines")
def main() -> None:
    """Which roles the Defense Guidelines (1997, 2015) and Japan's laws give Japan, where, and what holds them back.

    Copy the example scenarios (`guidelines examples DIR`) or write your own
    (`guidelines new`), check it (`guidelines validate`), evaluate it, and ask
    why a role came out as it did:

    \b
        guidelines examples my-scenarios
        guidelines evaluate my-scenarios/strait.yaml
        guidelines explain my-scenarios/strait.yaml --role minesweeping

    Shell completion: see docs/writing-scenarios.md, or `_GUIDELINES_COMPLETE=bash_source guidelines`.
    """


def __getattr__(name: str) -> Any:
    # `from engine.cli import evaluate` and friends still work.
    if name in COMMANDS:
        return getattr(import_module(f".{COMMANDS[name]}", __name__), name)
    raise AttributeError(name)


__all__ = ["main", "COMMANDS"]
