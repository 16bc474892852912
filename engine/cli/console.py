"""What a batch says besides its reports: a progress bar, its warnings, and a summary line.

- The progress bar is drawn on stderr only when stderr is a terminal, and only
  once the batch has run for a second; it shows how many files are done of how
  many, and the time left at the rate so far. It keeps within the width, uses
  no escape codes (a carriage return and spaces), and is cleared before any
  other output and before the summary.
- Warnings: `-q` counts them for the summary instead of printing them; `-v`
  prints every one; otherwise warnings alike are printed once, then counted,
  and one line after the batch says how many more there were. Two warnings are
  alike when everything after the location (`FILE:LINE:COL:`) is the same:
  the field, the message and the suggestion.
- The summary, one line on stderr after a batch (several files, or a folder),
  in every format: `23 files: 21 evaluated, 2 failed; 12 warnings`; on a
  terminal too narrow for it, wrapped under its count of files.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

import click

from ..errors import Problem
from . import output
from .output import echo

DELAY = 1.0  # seconds a batch runs before its progress bar appears: a quick one never shows it


def quiet_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """`-q/--quiet`: warnings counted in the summary, not printed."""
    return click.option("-q", "--quiet", is_flag=True, help="Do not print warnings: the summary counts them.")(function)


def verbose_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """`-v/--verbose`: every warning, those alike included."""
    return click.option(
        "-v", "--verbose", is_flag=True, help="Print every warning (by default, warnings alike are printed once)."
    )(function)


class Progress:
    """`label [=====     ] 1,234/2,000  0:12 left` on stderr's last line, redrawn as the batch goes.

    `clock` and `terminal` are for tests; `terminal` says whether stderr is one (by default: ask it).
    """

    def __init__(
        self,
        total: int,
        label: str = "evaluating",
        *,
        delay: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        terminal: bool | None = None,
    ) -> None:
        self.total = total
        self.label = label
        self.delay = DELAY if delay is None else delay
        self.clock = clock
        self.started = clock()
        self.done = 0
        self.shown = 0  # columns drawn on the line now (0: nothing to clear)
        self.drawn_at = 0.0
        self.on = _is_terminal(sys.stderr) if terminal is None else terminal
        self.stdout_shared = _is_terminal(sys.stdout)  # reports written to the same terminal clear the bar first

    def __enter__(self) -> Progress:
        if self.on:
            output.status_line = self
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def update(self, n: int = 1, *, done: int | None = None) -> None:
        """`n` more done (or `done` in all); draws the bar when a second has gone by, ten times a second at most."""
        self.done = done if done is not None else self.done + n
        if not self.on:
            return
        now = self.clock()
        if now - self.started < self.delay or (self.shown and now - self.drawn_at < 0.1):
            return
        self.drawn_at = now
        self._draw(self.line(now))

    def line(self, now: float) -> str:
        """The bar's text at `now`, at most one column short of the width (so the terminal never wraps it)."""
        from ..util.text import message_width

        width = max(20, message_width(sys.stderr)) - 1
        done, total = min(self.done, self.total), self.total
        elapsed = now - self.started
        if 0 < done < total:
            left = _duration(elapsed / done * (total - done)) + " left"
        elif done >= total:
            left = "done"
        else:
            left = "--:-- left"
        count = f"{done:,}".rjust(len(f"{total:,}")) + f"/{total:,}"  # the bar's length stays put
        tail = f" {count}  {left}"
        room = width - len(self.label) - len(tail) - 3  # the label's space and the brackets
        if room >= 6:
            filled = room * done // total if total else room
            return f"{self.label} [{'=' * filled}{' ' * (room - filled)}]{tail}"
        if len(self.label) + len(tail) <= width:
            return self.label + tail
        return tail.strip() if len(tail) - 1 <= width else count[:width]

    def clear(self, err: bool = True) -> None:
        """Blank the bar (before output to the terminal it is on); it is drawn again at the next update."""
        if self.shown and (err or self.stdout_shared):
            self._write("\r" + " " * self.shown + "\r")
            self.shown = 0

    def close(self) -> None:
        self.clear()
        if output.status_line is self:
            output.status_line = None

    def _draw(self, text: str) -> None:
        self._write("\r" + text.ljust(self.shown))  # spaces over what a longer line left
        self.shown = max(len(text), self.shown)

    @staticmethod
    def _write(text: str) -> None:
        try:
            sys.stderr.write(text)
            sys.stderr.flush()
        except (OSError, ValueError):
            pass  # a bar that cannot be drawn is no reason to stop the batch


class Warnings:
    """A batch's warnings: printed, collapsed or only counted (see the module's docstring)."""

    def __init__(self, quiet: bool = False, verbose: bool = False, *, width: int = 80, err: bool = True) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.width = width
        self.err = err
        self.count = 0
        self.alike: dict[str, list[Any]] = {}  # what follows the location -> [first location, how many]

    def add(self, problems: Iterable[Problem]) -> None:
        from ..util.text import problem_text

        for problem in problems:
            self.count += 1
            seen = self.alike.setdefault(problem.body(), [problem.location(), 0])
            seen[1] += 1
            if self.verbose or (not self.quiet and seen[1] == 1):
                echo(problem_text(problem, self.width, "warning"), err=self.err)

    @property
    def hidden(self) -> int:
        """How many were not printed."""
        if self.verbose:
            return 0
        if self.quiet:
            return self.count
        return sum(n - 1 for _, n in self.alike.values())

    def close(self) -> None:
        """After the batch: for each warning printed once of many, how many more there were."""
        from ..util.text import say, unicode_ok

        if self.quiet or self.verbose:
            return
        dots = "…" if unicode_ok(sys.stderr if self.err else sys.stdout) else "..."
        for first, n in self.alike.values():
            if n > 1:
                more = f"{dots} and {n - 1} more like the one at {first}"
                # it names a location, which a tool or a reader greps for: never wrapped, as located lines are
                echo(say("warning", "", more, sys.maxsize), err=self.err)

    def tally(self) -> str:
        """`; 12 warnings` for the summary line (with how many were not printed), or nothing."""
        if not self.count:
            return ""
        text = f"; {self.count} warning{'s' if self.count != 1 else ''}"
        hidden = self.hidden
        if hidden:
            text += f" ({hidden} not printed: -v prints them)" if hidden < self.count else " (-v prints them)"
        return text


def summary(files: int, counts: Iterable[tuple[int, str]], warnings: Warnings | None = None) -> None:
    """`23 files: 21 evaluated, 2 failed; 12 warnings` on stderr; a count of 0 is left out unless it comes first
    or second (`0 failed` says something; `0 not evaluated` does not)."""
    cache_warnings()  # before the summary, which is a batch's last line
    parts = [f"{n} {what}" for i, (n, what) in enumerate(counts) if n or i < 2]
    from ..util.text import hanging, message_width

    tally = warnings.tally() if warnings is not None else ""
    head = f"{files} file{'s' if files != 1 else ''}:"
    echo("\n".join(hanging(head, f"{', '.join(parts)}{tally}", message_width(), 4)), err=True)


def cache_warnings() -> None:
    """One `warning:` per cache folder the run would not use (see `engine.rete.cache`), however often it looked."""
    cache = sys.modules.get("engine.rete.cache")  # not imported: the run never looked for a cache
    if cache is None:
        return
    from ..util.text import message_width, say

    for where, reason in cache.untrusted_folders():
        echo(say("warning", where, f"cache not used: {reason}", message_width()), err=True)


def is_batch(paths: Iterable[str], files: list[str]) -> bool:
    """Whether a run is a batch: more than one file, or a folder."""
    import os

    return len(files) > 1 or any(os.path.isdir(path) for path in paths)


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
