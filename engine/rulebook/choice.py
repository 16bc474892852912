"""Which rulebook evaluates a scenario, and why: the reason a report gives for the rulebook it used.

The shipped rulebooks live side by side (`rules/<id>/`), each dated by the
`in_force:` of its rulebook.yaml. A scenario (or a phase) is evaluated under
the rulebook in force on its date: the latest whose `in_force` is on or before
that day; an undated scenario, or one dated before every rulebook, under the
earliest. `--rulebook ID` picks a shipped rulebook by id, `--rules DIR` any
rulebook directory; the library's `rulebook=` argument takes either, and its
reasons name the argument, not an option the caller never gave. Reading the
dates costs a glance at each rulebook.yaml, so this module stays off pydantic
and the loader.
"""

from __future__ import annotations

import datetime
import os
import re
from functools import lru_cache
from typing import NamedTuple

from ..errors import GuidelinesError, suggest
from .shipped import default_rules_dir, rules_root

CHOSEN_WITH_RULES = "chosen with --rules"
CHOSEN_WITH_RULEBOOK = "chosen with --rulebook"
NO_DATE = "no date"
CHOSEN_BY_CALLER = "chosen by the caller"  # a library call that passed its own evaluator or loaded Rulebook

_IN_FORCE = re.compile(r"""^in_force:\s*["']?(\d{4}-\d{2}-\d{2})["']?\s*(?:#.*)?$""", re.MULTILINE)


class UnknownRulebookError(GuidelinesError):
    """`--rulebook` names no shipped rulebook."""

    exit_code = 2


class ShippedRulebook(NamedTuple):
    id: str
    in_force: datetime.date | None  # None: in force from the start of time
    directory: str


class Choice(NamedTuple):
    """A rulebook directory to evaluate with, and why it is the one."""

    directory: str
    reason: str
    id: str | None = None  # the shipped rulebook's id; None for a directory given with --rules


@lru_cache(maxsize=4)
def shipped_rulebooks(root: str | None = None) -> tuple[ShippedRulebook, ...]:
    """The shipped rulebooks, earliest in force first."""
    root = root or rules_root()
    found = []
    for name in sorted(os.listdir(root)) if os.path.isdir(root) else ():
        head = os.path.join(root, name, "rulebook.yaml")
        if not os.path.isfile(head):
            continue
        with open(head, encoding="utf-8") as handle:
            match = _IN_FORCE.search(handle.read())
        in_force = datetime.date.fromisoformat(match.group(1)) if match else None
        found.append(ShippedRulebook(name, in_force, os.path.join(root, name)))
    return tuple(sorted(found, key=lambda r: (r.in_force or datetime.date.min, r.id)))


def choose(
    date: datetime.date | str | None,
    *,
    rulebook: str | None = None,
    rules_dir: str | os.PathLike[str] | None = None,
) -> Choice:
    """The rulebook for a scenario (or phase) of `date`, given `--rulebook` and `--rules` (at most one of them)."""
    if rules_dir is not None:
        return Choice(os.fspath(rules_dir), CHOSEN_WITH_RULES)
    books = shipped_rulebooks()
    if rulebook is not None:
        for book in books:
            if book.id == rulebook:
                return Choice(book.directory, CHOSEN_WITH_RULEBOOK, book.id)
        ids = [b.id for b in books]
        hint = suggest(rulebook, ids)
        raise UnknownRulebookError(
            f"no rulebook {rulebook!r}; the rulebooks are {', '.join(ids)}"
            + (f" (did you mean {hint!r}?)" if hint else "")
        )
    if not books:  # pragma: no cover - a broken installation
        return Choice(default_rules_dir(), NO_DATE)
    if date is None:
        return Choice(books[0].directory, NO_DATE, books[0].id)
    day = datetime.date.fromisoformat(date) if isinstance(date, str) else date
    in_force = [b for b in books if b.in_force is None or b.in_force <= day]
    if not in_force:
        return Choice(books[0].directory, f"the earliest rulebook: none was in force on {day.isoformat()}", books[0].id)
    return Choice(in_force[-1].directory, f"in force on {day.isoformat()}", in_force[-1].id)


def chosen_with(rulebook: str) -> str:
    """Why a library call's `rulebook=` (a shipped id or a directory, as given) is the rulebook used."""
    return f'chosen with rulebook="{rulebook}"'


def reason_for(directory: str | os.PathLike[str], date: datetime.date | str | None = None) -> str:
    """Why a rulebook was used, knowing only its directory (and the scenario's date), for library calls that pass
    their own evaluator: the date's reason if it is the rulebook in force then, else that the caller chose it."""
    chosen = choose(date)
    try:
        same = os.path.samefile(directory, chosen.directory)
    except OSError:
        same = os.path.abspath(directory) == os.path.abspath(chosen.directory)
    return chosen.reason if same else CHOSEN_BY_CALLER


def role_ids(directory: str) -> list[str]:
    """The role ids of a rulebook, in report order, read from its folder (and its bases') without loading it:
    a file `roles/<id>.yaml` is a role, ordered by the first `roles:` of the chain's rulebook.yaml files, then
    by name, as the loader orders them. For completion and the scenario schema; the loader checks the files."""
    # only completion and the scenario schema read the roles
    import yaml

    from .extend import chain_or_self

    found: set[str] = set()
    order: list[str] | None = None
    for folder in reversed(chain_or_self(directory)):  # this rulebook first: its own `roles:` wins
        roles = os.path.join(folder, "roles")
        names = os.listdir(roles) if os.path.isdir(roles) else []
        found |= {name[: -len(".yaml")] for name in names if name.endswith(".yaml")}
        if order is None:
            try:
                with open(os.path.join(folder, "rulebook.yaml"), encoding="utf-8") as handle:
                    head = yaml.safe_load(handle)
            except (OSError, yaml.YAMLError):
                head = None
            listed = head.get("roles") if isinstance(head, dict) else None
            order = [str(r) for r in listed] if isinstance(listed, list) else None
    first = [r for r in dict.fromkeys(order or []) if r in found]
    return first + sorted(found - set(first))


def shipped_roles() -> dict[str, list[str]]:
    """Each shipped rulebook's role ids, earliest rulebook first."""
    return {book.id: role_ids(book.directory) for book in shipped_rulebooks()}
