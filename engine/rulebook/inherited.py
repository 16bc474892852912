"""What an extending rulebook inherits, and whether it has seen each inherited item as the base now words it.

A rulebook that extends another (rules/2015 extends rules/1997) takes every
item it does not replace from its base: a role's triggers, grounds and limits,
concepts, notices and invariants. An edit to such an item in the base changes
the extending rulebook too, so each inherited item has a fingerprint (of its
text, condition, basis and everything else it says), and the extending
rulebook records, in `acknowledged:` of its own rulebook.yaml, the fingerprint
of each item as it last reviewed it. An item whose fingerprint differs, or
that it never acknowledged, has changed unseen: `guidelines rules --inherited`
lists every inherited item and marks those, and `guidelines check` warns about
them. `--acknowledge` records the fingerprints of today, once reviewed.

The keys name the item: `<role>/<id>` for a role's item, `<role>.<key>` for
the rest of a role (its title, subject, constraints...), `concepts/<id>`,
`notices/<id>` and `invariants/<id>` for the others.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from typing import Any, NamedTuple

from ..errors import Problem
from ..scenario.yamlload import MAX_BYTES
from .extend import chain_or_self, lists_of, read_chain, read_merged, split_chain

ACKNOWLEDGED = "acknowledged"  # the key of rulebook.yaml that holds them


class Inherited(NamedTuple):
    """One item an extending rulebook takes from a base as it is, with where it is written."""

    key: str
    fingerprint: str
    file: str  # where the base writes it: relative to the current folder when below it
    line: int | None
    acknowledged: str | None  # the fingerprint the extending rulebook recorded; None if none

    @property
    def changed(self) -> bool:
        """Whether the item reads otherwise than when the extending rulebook acknowledged it (or it never did)."""
        return self.acknowledged != self.fingerprint

    def problem(self, rulebook_id: str, option: str) -> Problem:
        """The warning `guidelines check` gives about a changed item, located where the base writes it; `option`
        names the rulebook on the command line (`--rulebook 2015`, `--rules DIR`)."""
        if self.acknowledged is None:
            said = f"inherited by rulebook {rulebook_id}, which never acknowledged it"
        else:
            said = f"changed in its base since rulebook {rulebook_id} acknowledged it"
        message = (
            f"{said} (fingerprint {self.fingerprint}); review it, then record it with "
            f"`guidelines rules {option} --inherited --acknowledge`"
        )
        return Problem(message, self.file, self.line, None, self.key)


def fingerprint(item: Any) -> str:
    """A short hash of an item as its YAML reads: any change to its text, condition or basis changes it."""
    text = json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def inherited_items(directory: str | os.PathLike[str]) -> list[Inherited]:
    """Every item the rulebook in `directory` inherits unchanged from the rulebooks it extends, in file order;
    none for a rulebook that extends none. Files that do not read are skipped (loading the rulebook says why)."""
    directories = chain_or_self(directory)
    if len(directories) < 2:
        return []
    own = directories[-1]
    chain_files = split_chain(directories, read_chain(own, MAX_BYTES + 1), MAX_BYTES + 1)
    acknowledged = acknowledged_of(own)
    names = sorted({name for _, files in chain_files for name in files if lists_of(name)})
    out: list[Inherited] = []
    for relative in names:
        document = read_merged(chain_files, relative, lists_of(relative), [])
        if document is None or not isinstance(document.data, dict):
            continue
        role = relative[len("roles/") : -len(".yaml")] if relative.startswith("roles/") else None

        def add(key: str, loc: tuple[Any, ...], value: Any, document: Any = document) -> None:
            path, position = document.where(loc)
            if not os.path.normpath(os.path.abspath(path)).startswith(own + os.sep):
                line = position[0] if position else None
                shown = os.path.relpath(path)  # as a reader finds it: relative to here when below here
                shown = path if shown.startswith("..") else shown
                out.append(Inherited(key, fingerprint(value), shown, line, acknowledged.get(key)))

        for name, value in document.data.items():
            if name in lists_of(relative):
                for i, item in enumerate(value if isinstance(value, list) else ()):
                    if isinstance(item, dict):
                        add(f"{role or name}/{item.get('id')}", (name, i), item)
            elif role is not None and name not in _NOT_ITEMS:  # a role's title, subject, constraints, notes...
                add(f"{role}.{name}", (name,), value)
    return out


_NOT_ITEMS = frozenset({"role", "remove"})


def acknowledged_of(directory: str | os.PathLike[str]) -> dict[str, str]:
    """The `acknowledged:` map of a rulebook's own rulebook.yaml (not its base's)."""
    # only the extending rulebook's own file is read, once
    import yaml

    try:
        with open(os.path.join(directory, "rulebook.yaml"), encoding="utf-8") as handle:
            head = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError):
        return {}
    found = head.get(ACKNOWLEDGED) if isinstance(head, dict) else None
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


_BLOCK = re.compile(rf"^{ACKNOWLEDGED}:[^\n]*\n(?:(?:[ \t]+[^\n]*|[ \t]*)\n)*", re.MULTILINE)
_HEADER = (
    "# The inherited items as this rulebook last reviewed them: item -> fingerprint. `guidelines check` warns\n"
    "# when one reads otherwise in the base; `guidelines rules --inherited --acknowledge` records them anew.\n"
)


def acknowledge(directory: str | os.PathLike[str]) -> int:
    """Record today's fingerprint of every inherited item in the `acknowledged:` block of the rulebook's own
    rulebook.yaml (replacing the block, or adding it at the end); how many items it holds."""
    # only --acknowledge writes
    from ..util.files import write_atomically

    items = inherited_items(directory)
    head = os.path.join(directory, "rulebook.yaml")
    with open(head, encoding="utf-8") as handle:
        text = handle.read()
    block = f"{ACKNOWLEDGED}:\n" + "".join(f"  {item.key}: {item.fingerprint}\n" for item in items)
    if _BLOCK.search(text):
        text = _BLOCK.sub(lambda _: block, text, count=1)
    else:
        text = text.rstrip("\n") + "\n" + _HEADER + block
    write_atomically(head, text)
    return len(items)
