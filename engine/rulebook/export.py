"""Copying the shipped rulebooks where a person can edit them, for `--rules DIR/<id>`.

Every rulebook folder is copied, side by side as they ship, so a rulebook that
extends another (2015 extends 1997) finds its base beside it and an edit to the
copied base shows in the rulebooks built on it. The target must be new or
empty: an export never mixes its files with a person's, and never writes
through a link.
"""

from __future__ import annotations

import os

from ..errors import GuidelinesError
from ..scenario.examples import check_target
from ..util.files import create_new, read_tree
from .choice import shipped_rulebooks
from .shipped import rules_root

_LIMIT = 16 << 20  # far above any rule file; a bigger one is not one of ours


def export_rulebooks(target: str) -> list[str]:
    """Copy every shipped rulebook into `target` (created if missing); the ids of the rulebooks copied.

    Raises GuidelinesError, before writing anything, when `target` is a link,
    not a folder, or a folder with anything in it; OSError when a file cannot
    be read or written.
    """
    check_target(target)
    if os.path.isdir(target) and os.listdir(target):
        raise GuidelinesError(f"{target} is not empty: export into a new or empty folder")
    ids = [book.id for book in shipped_rulebooks()]
    if not ids:  # pragma: no cover - a broken installation
        raise GuidelinesError("the rulebooks are not installed with this package")
    root = rules_root()
    for book in ids:
        for relative, data in read_tree(os.path.join(root, book), _LIMIT).items():
            if isinstance(data, OSError):
                raise data
            path = os.path.join(target, book, *relative.split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            create_new(path, data.decode("utf-8"))  # rule files are UTF-8, as the loader requires
    return ids
