"""The example scenarios shipped with the package, and copying them where a person can edit them.

In a wheel they live in `engine/scenarios/`; in a source tree, in `scenarios/`.
A copy never writes through a link and never overwrites a file unless asked:
with `force`, an existing file (or link) is replaced whole, never written into.
"""

from __future__ import annotations

import os

from ..errors import GuidelinesError
from ..util.files import create_new, write_atomically
from .schema import CHECKOUT_REFERENCE, SCHEMA_NAME

_SCHEMA_LINE = f"# yaml-language-server: $schema={CHECKOUT_REFERENCE}"


def examples_dir() -> str:
    """The folder holding the shipped scenario files."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # engine/
    for candidate in (os.path.join(here, "scenarios"), os.path.join(here, "..", "scenarios")):
        if os.path.isdir(candidate):
            return os.path.normpath(candidate)
    raise GuidelinesError("the example scenarios are not installed with this package")


def example_files() -> dict[str, str]:
    """Each shipped scenario's file name and text, its schema line pointing to a schema beside it."""
    folder = examples_dir()
    out = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith((".yaml", ".yml")):
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                text = handle.read()
            out[name] = text.replace(_SCHEMA_LINE, f"# yaml-language-server: $schema={SCHEMA_NAME}", 1)
    return out


def check_target(target: str) -> None:
    """Raise GuidelinesError unless `target` is a real folder or does not exist yet: files copied into a link
    would land wherever it points."""
    if os.path.islink(target):
        raise GuidelinesError(f"{target} is a link: give a real folder")
    if os.path.exists(target) and not os.path.isdir(target):
        raise GuidelinesError(f"{target} exists and is not a folder")


def copy_examples(target: str, schema: str, *, force: bool = False) -> list[str]:
    """Copy the shipped scenarios (and `schema`, the text of the scenario schema) into `target`; the paths written.

    Raises GuidelinesError, before writing anything, when `target` is a link or
    not a folder, or when files of the same names are there and `force` is not
    given.
    """
    check_target(target)
    files = example_files()
    files[SCHEMA_NAME] = schema
    there = [name for name in files if os.path.lexists(os.path.join(target, name))]
    if there and not force:
        shown = ", ".join(there[:3]) + (f" and {len(there) - 3} more" if len(there) > 3 else "")
        raise GuidelinesError(f"{target} already holds {shown}; use --force to replace them")
    os.makedirs(target, exist_ok=True)
    written = []
    for name, text in files.items():
        path = os.path.join(target, name)
        if os.path.lexists(path):
            write_atomically(path, text, quiet=False)  # replaces a link with a file: never writes through it
        else:
            create_new(path, text)
        written.append(path)
    return written
