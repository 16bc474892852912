"""Reading a rulebook's files for the loader: each file merged along the `extends` chain and validated, every
problem kept with its file and line, and the named items (`Named`) that rule files are made of.

`Reader` holds what one load has found so far; the helpers below record their
problems on it rather than raising, so that one load reports every problem.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from ..errors import Problem, suggest
from ..scenario.located import problem_at, validation_problems, walk_model
from . import conditions as cond
from .extend import Files, RuleDocument, lists_of, read_merged
from .model import Named


@dataclass
class Reader:
    directory: Path
    problems: list[Problem] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    digest: Any = field(default_factory=hashlib.sha256)
    # every file of the directory (and of the rulebooks it extends), read once: what is checked and compiled is
    # exactly what was read; per directory of the chain, the furthest base first (see extend.py)
    chain_files: list[tuple[str, Files]] = field(default_factory=list)

    def read(self, relative: str, model: type[BaseModel]) -> tuple[RuleDocument, Any] | None:
        """A rule file (merged with its bases' when the rulebook extends another), validated by `model`."""
        before = len(self.problems)
        document = read_merged(self.chain_files, relative, lists_of(relative), self.problems, self.digest)
        if document is None:
            if len(self.problems) == before:
                shown = str(self.directory / relative)
                self.problems.append(Problem("cannot read rule file: No such file or directory", shown))
            return None
        try:
            return document, model.model_validate(document.data)
        except ValidationError as exc:
            self.problems.extend(validation_problems(exc, document, lambda loc: walk_model(model, loc)))
            return None

    def has(self, relative: str) -> bool:
        """Whether the rulebook, or a base it extends, has the file at `relative`."""
        return any(relative in files for _, files in self.chain_files)

    @property
    def directories(self) -> list[str]:
        return [directory for directory, _ in self.chain_files]

    def basis(self, document: RuleDocument, loc: tuple[Any, ...], entries: list[str]) -> tuple[str, ...]:
        for i, entry in enumerate(entries):
            tag = entry.split(" ", 1)[0]
            if tag not in self.sources:
                self.problems.append(
                    problem_at(
                        document,
                        loc + (i,),
                        f"provision {entry!r} cites unknown source {tag!r}; rulebook.yaml lists: "
                        + ", ".join(self.sources),
                        suggest(tag, self.sources),
                    )
                )
        return tuple(entries)


class Unnamed(NamedTuple):
    """A `when` that belongs to no named item (a procedure variant, a constraint), named for explanations."""

    id: str
    when: Any
    basis: list[str]


def named_item(
    reader: Reader,
    parser: cond.Parser,
    document: RuleDocument,
    loc: tuple[Any, ...],
    spec: Any,
    scope: cond.Scope,
    *,
    text: str,
    unmet: str | None = None,
    interpretation: str | None = None,
) -> Named | None:
    formula = parser.parse(spec.when, loc + ("when",), scope)
    basis = reader.basis(document, loc + ("basis",), spec.basis)
    path, position = document.where(loc)
    if formula is None:
        return None
    return Named(
        id=spec.id,
        text=text,
        formula=formula,
        basis=basis,
        unmet=unmet,
        interpretation=interpretation,
        file=path,
        line=position[0] if position else None,
    )


def unique(reader: Reader, document: RuleDocument, loc: tuple[Any, ...], ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for i, item_id in enumerate(ids):
        if item_id in seen:
            reader.problems.append(problem_at(document, loc + (i, "id"), f"duplicate {what} id {item_id!r}"))
        seen.add(item_id)


def problem(reader: Reader, document: RuleDocument, loc: tuple[Any, ...], message: str, *, key: bool = False) -> None:
    reader.problems.append(problem_at(document, loc, message, key=key))


def validated(reader: Reader, document: RuleDocument, loc: tuple[Any, ...], model: type[BaseModel], data: Any) -> Any:
    """`data` (found at `loc`) validated by `model`, or None after recording each problem at its place."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        size = len(loc)
        reader.problems.extend(
            validation_problems(exc, document, lambda at: walk_model(model, at[size:]), lambda at: loc + at)
        )
        return None
