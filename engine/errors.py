"""Errors of the guidelines engine: one base class, each subclass carrying where and why.

Every error the library raises on purpose derives from `GuidelinesError`, so a
caller can catch one class. Errors about input carry `Problem`s, each with the
file, line, column and field it is about and, where a valid spelling is close,
a suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong with one input file, located as precisely as the input allows."""

    message: str
    path: str = ""
    line: int | None = None
    column: int | None = None
    field: str = ""
    suggestion: str | None = None
    severity: str = "error"  # error | warning: a warning is worth saying, and the file still evaluates

    def location(self) -> str:
        """`file:line:col`, with whatever parts are known."""
        parts = [self.path or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def text(self) -> str:
        """The problem as one line: `file:line:col: field: message (did you mean ...?)`."""
        return f"{self.location()}: {self.body()}"

    def body(self) -> str:
        """What follows the location: `field: message (did you mean ...?)`."""
        body = f"{self.field}: {self.message}" if self.field else self.message
        if self.suggestion:
            body += f" (did you mean {self.suggestion!r}?)"
        return body

    def as_dict(self) -> dict[str, object]:
        """The JSON form used in reports: message, line, column, field, suggestion, severity."""
        return {
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "suggestion": self.suggestion,
            "severity": self.severity,
        }


class GuidelinesError(Exception):
    """Base class of every error the engine raises on purpose."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(GuidelinesError):
    """An input file is not valid; `problems` says where and why, in file order."""

    def __init__(self, path: str, problems: list[Problem] | None = None, kind: str = "input") -> None:
        self.path = path
        self.kind = kind
        self.problems = sorted(problems or [], key=lambda p: (p.line or 0, p.column or 0))
        first = self.problems[0].text() if self.problems else f"{self.path}: invalid {self.kind}"
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        GuidelinesError.__init__(self, first + suffix)

    def __str__(self) -> str:
        return "\n".join(p.text() for p in self.problems) or self.message


class ScenarioError(InputError):
    """A scenario file could not be loaded."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        super().__init__(path, problems, "scenario")


class RulebookError(InputError):
    """A rulebook could not be loaded: bad YAML, unknown field, operator or concept, a cycle."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        super().__init__(path, problems, "rulebook")


class EngineError(GuidelinesError):
    """The rule engine failed: an action raised, durable_rules returned an error, a limit was hit.

    This is never the input's fault; it has its own exit code so scripts can
    tell it from invalid input.
    """

    exit_code = 3


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The closest valid spelling of `word`, if one is close enough to be a likely typo."""
    import difflib  # only errors need it; importing it would slow every start

    matches = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None
