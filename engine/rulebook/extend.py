"""A rulebook that extends another: which directories it draws on, and rule files merged by id.

`rulebook.yaml` may say `extends: "1997"`. The rulebook then uses the base's
file for every file it does not have itself. A file it does have is merged into
the base's, item by item:

- in a role, concepts, notices or invariants file, the items of a list with
  ids (a role's triggers, grounds and limits; concepts; notices;
  invariants) are merged by id: an item with an id of the base replaces that
  item in place, an item with a new id is appended, and `remove: [ids]` drops
  items of the base;
- every other key (a title, a summary, a basis, a subject, a procedure, a
  role's constraints and notes) replaces the base's value when the extending
  file has it;
- in `rulebook.yaml`, `sources` are merged: the extending file adds tags (or
  words a tag anew); its `rulebook:` names the new rulebook.

Positions stay those of the file each item comes from, so an error, an
explanation or `guidelines check` names the file and line the item was written
at. The base is found beside the extending rulebook (`../<id>`), or among the
shipped rulebooks; a base may extend another in turn.

Finding the directories reads only `extends:` lines, so the compiled-rulebook
cache can fingerprint every file a rulebook rests on without loading it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any

from ..errors import Problem, suggest
from ..scenario.yamlload import Document, Path, Position, YamlProblem, load_yaml, problem_at
from ..util.files import read_tree
from .shipped import rules_root

EXTENDS = re.compile(r"""^extends:\s*["']?([A-Za-z0-9_.-]*)["']?\s*(?:#.*)?$""", re.MULTILINE)
MAX_DEPTH = 8  # a chain of rulebooks longer than this is surely a mistake

# The lists merged by id in each kind of rule file.
ROLE_LISTS = ("triggers", "grounds", "limits")
LISTS = {
    "concepts.yaml": ("concepts",),
    "notices.yaml": ("notices",),
    "invariants.yaml": ("invariants",),
    "beyond.yaml": ("beyond",),
}


class ChainError(Exception):
    """The `extends:` of a rulebook cannot be followed; carries one located problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.text())
        self.problem = problem


def extends_of(directory: str | os.PathLike[str]) -> tuple[str, int] | None:
    """The id a rulebook's `rulebook.yaml` says it extends, and the line it says so on; None if it extends none."""
    head = os.path.join(directory, "rulebook.yaml")
    try:
        with open(head, encoding="utf-8", errors="replace") as handle:
            text = handle.read(200_000)
    except OSError:
        return None
    match = EXTENDS.search(text)
    if match is None:
        return None
    return match.group(1), text.count("\n", 0, match.start()) + 1


def resolve(directory: str | os.PathLike[str], rulebook_id: str) -> str | None:
    """The directory of the rulebook `rulebook_id` that `directory` extends: beside it, else a shipped one."""
    beside = os.path.join(os.path.dirname(os.path.abspath(directory)), rulebook_id)
    for candidate in (beside, os.path.join(rules_root(), rulebook_id)):
        if os.path.isfile(os.path.join(candidate, "rulebook.yaml")):
            return os.path.normpath(candidate)
    return None


def chain(directory: str | os.PathLike[str]) -> list[str]:
    """The directories a rulebook draws on, the furthest base first and `directory` last.

    Raises `ChainError` when a base cannot be found, a rulebook extends itself
    (directly or not), or the chain is longer than `MAX_DEPTH`.
    """
    out = [os.path.normpath(os.path.abspath(directory))]
    while True:
        found = extends_of(out[0])
        if found is None:
            return out
        base_id, line = found
        where = os.path.join(out[0], "rulebook.yaml")
        if not base_id:
            raise ChainError(
                Problem("`extends` names the id of the rulebook this one extends", where, line, None, "extends")
            )
        base = resolve(out[0], base_id)
        if base is None:
            raise ChainError(
                Problem(
                    f"no rulebook {base_id!r} to extend: neither beside this rulebook nor among the shipped ones",
                    where, line, None, "extends",
                )
            )  # fmt: skip
        base = os.path.normpath(os.path.abspath(base))
        if base in out:
            cycle = " -> ".join(os.path.basename(d) for d in [*reversed(out), base])
            raise ChainError(Problem(f"rulebooks extend each other in a cycle: {cycle}", where, line, None, "extends"))
        if len(out) >= MAX_DEPTH:
            raise ChainError(
                Problem(f"more than {MAX_DEPTH} rulebooks extend one another", where, line, None, "extends")
            )
        out.insert(0, base)


def chain_or_self(directory: str | os.PathLike[str]) -> list[str]:
    """`chain(directory)`, or just the directory when the chain cannot be followed (loading will say why)."""
    try:
        return chain(directory)
    except ChainError:
        return [os.path.normpath(os.path.abspath(directory))]


class Merged:
    """A rule file merged from a base's and an extending rulebook's: data, and where each value was written.

    It reads like a `Document`: `data`, `path` (the extending file's),
    `position(loc)` and `where(loc)`, which also gives the file the value at
    `loc` comes from.
    """

    def __init__(self, document: Document) -> None:
        self.path = document.path
        self.data: Any = document.data
        # merged location prefix -> (document it comes from, location there); the longest prefix wins
        self.origins: dict[Path, tuple[Document, Path]] = {(): (document, ())}
        for key in document.data if isinstance(document.data, dict) else ():
            self.origins[(key,)] = (document, (key,))

    def origin(self, loc: Path) -> tuple[Document, Path]:
        loc = tuple(loc)
        for cut in range(len(loc), -1, -1):
            found = self.origins.get(loc[:cut])
            if found is not None:
                document, there = found
                return document, there + loc[cut:]
        raise AssertionError("the root always has an origin")  # pragma: no cover

    def position(self, loc: Path, *, key: bool = False) -> Position | None:
        document, there = self.origin(loc)
        return document.position(there, key=key)

    def where(self, loc: Path, *, key: bool = False) -> tuple[str, Position | None]:
        document, there = self.origin(loc)
        return document.path, document.position(there, key=key)

    def _forget(self, prefix: Path) -> None:
        for loc in [loc for loc in self.origins if loc[: len(prefix)] == prefix and loc != ()]:
            del self.origins[loc]

    def overlay(self, document: Document, lists: Iterable[str], problems: list[Problem]) -> None:
        """Merge the extending file `document` into this one (see the module's docstring)."""

        data = document.data
        if not isinstance(self.data, dict) or not isinstance(data, dict):
            # Not mappings: the models will say so; the extending file stands alone.
            self.path, self.data, self.origins = document.path, data, {(): (document, ())}
            return
        lists = tuple(lists)
        merged = dict(self.data)
        removed = _removals(document, lists, self.data, problems)
        for name in lists:
            if name not in data and not any(i in removed for i in _ids(self.data.get(name))):
                continue
            base_items = self.data.get(name) if isinstance(self.data.get(name), list) else []
            extra = data.get(name) if name in data else []
            if not isinstance(extra, list):
                merged[name] = extra  # not a list: the models will say so, at the extending file
                self._forget((name,))
                self.origins[(name,)] = (document, (name,))
                continue
            items: list[Any] = []
            origins: list[tuple[Document, Path]] = []
            for i, item in enumerate(base_items):
                item_id = item.get("id") if isinstance(item, dict) else None
                if item_id in removed:
                    continue
                items.append(item)
                origins.append(self.origin((name, i)))
            index = {item.get("id"): j for j, item in enumerate(items) if isinstance(item, dict)}
            for i, item in enumerate(extra):
                item_id = item.get("id") if isinstance(item, dict) else None
                if item_id in removed:
                    problems.append(
                        problem_at(
                            document, (name, i, "id"),
                            f"{item_id!r} is both removed and defined here: to replace the base's item, define it "
                            "without removing it",
                        )
                    )  # fmt: skip
                if isinstance(item_id, str) and item_id in index:
                    items[index[item_id]] = item
                    origins[index[item_id]] = (document, (name, i))
                else:
                    index[item_id] = len(items)
                    items.append(item)
                    origins.append((document, (name, i)))
            merged[name] = items
            before = self.origin((name,))
            self._forget((name,))
            self.origins[(name,)] = (document, (name,)) if name in data else before
            for j, found in enumerate(origins):
                self.origins[(name, j)] = found
        for key, value in data.items():
            if key in lists or key == "remove":
                continue
            if key == "sources" and isinstance(value, dict) and isinstance(self.data.get(key), dict):
                merged[key] = {**self.data[key], **value}
                for tag in value:
                    self.origins[(key, tag)] = (document, (key, tag))
                continue
            merged[key] = value
            self._forget((key,))
            self.origins[(key,)] = (document, (key,))
        self.data = merged
        self.path = document.path
        self.origins[()] = (document, ())


def _ids(items: Any) -> list[Any]:
    return [item.get("id") for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _removals(document: Document, lists: tuple[str, ...], base: dict[str, Any], problems: list[Problem]) -> set[str]:
    """The ids the extending file's `remove:` drops, each checked to name an item of the base."""

    spec = document.data.get("remove")
    if spec is None:
        return set()
    if not isinstance(spec, list) or not all(isinstance(item, str) for item in spec):
        problems.append(
            problem_at(document, ("remove",), "`remove` takes a list of the ids of the base's items to drop")
        )
        return set()
    known = [i for name in lists for i in _ids(base.get(name))]
    removed = set()
    for i, item_id in enumerate(spec):
        if item_id not in known:
            what = " or ".join(lists)
            problems.append(
                problem_at(
                    document,
                    ("remove", i),
                    f"the base has no {what} item {item_id!r} to remove",
                    suggest(item_id, known),
                )
            )
            continue
        removed.add(item_id)
    return removed


# In the files of a chain (`read_chain`), a base's file is named `<its directory>` SEP `<relative path>`;
# the extending rulebook's own files keep their relative paths. No file name holds a NUL.
SEP = "\x00"

Files = dict[str, "bytes | OSError"]


def read_chain(directory: str | os.PathLike[str], limit: int) -> Files:
    """Every file a rulebook rests on, each read once: its own by relative path, its bases' under their
    directory (see SEP). What is fingerprinted and what is compiled are then the same bytes."""
    root = os.fspath(directory)
    files: Files = dict(read_tree(root, limit))
    for base in chain_or_self(root)[:-1]:
        files.update({f"{base}{SEP}{relative}": data for relative, data in read_tree(base, limit).items()})
    return files


def split_chain(directories: list[str], files: Files, limit: int) -> list[tuple[str, Files]]:
    """The files of each directory of a chain (base first), from `files` as `read_chain` gives them; a base whose
    files `files` lacks is read now."""
    out: list[tuple[str, Files]] = []
    for directory in directories[:-1]:
        prefix = f"{directory}{SEP}"
        own = {name[len(prefix) :]: data for name, data in files.items() if name.startswith(prefix)}
        out.append((directory, own or read_tree(directory, limit)))
    out.append((directories[-1], {name: data for name, data in files.items() if SEP not in name}))
    return out


def read_merged(
    chain_files: list[tuple[str, Files]],
    relative: str,
    lists: Iterable[str],
    problems: list[Problem],
    digest: Any = None,
) -> Document | Merged | None:
    """One rule file of a chain of rulebooks, merged base first; None when no directory has it.

    Problems (unreadable files, YAML errors, bad `remove:` entries) are added to
    `problems`; `digest`, if given, is updated with every file read.
    """
    found: Document | Merged | None = None
    for depth, (directory, files) in enumerate(chain_files):
        if relative not in files:
            continue
        path = os.path.join(directory, relative)
        source = files[relative]
        if not isinstance(source, bytes):
            problems.append(Problem(f"cannot read rule file: {source.strerror or source}", path))
            return None
        if digest is not None:
            digest.update(f"{depth}:{relative}".encode() + b"\0" + source + b"\0")
        try:
            document = load_yaml(source, path)
        except YamlProblem as exc:
            problems.append(exc.problem)
            return None
        if found is None:
            found = document
            continue
        if not isinstance(found, Merged):
            found = Merged(found)
        found.overlay(document, lists, problems)
    if isinstance(found, Document) and isinstance(found.data, dict) and "remove" in found.data:
        base = "no base rulebook has this file" if len(chain_files) > 1 else "this rulebook extends none"
        problems.append(problem_at(found, ("remove",), f"`remove` drops items of a base's file, and {base}"))
        found = Merged(found)
        found.data = {k: v for k, v in found.data.items() if k != "remove"}
    return found


def lists_of(relative: str) -> tuple[str, ...]:
    """The lists merged by id in the rule file at `relative` (roles/<id>.yaml, concepts.yaml...)."""
    if relative.startswith("roles/"):
        return ROLE_LISTS
    return LISTS.get(relative, ())


RuleDocument = Document | Merged  # a rule file as read: alone, or merged with its bases'
