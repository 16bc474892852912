"""Finding the scenario files a batch names: files as given, directories searched.

Nothing named is dropped. A path that does not exist, a folder that cannot be
listed, a dangling link, a FIFO or device named `*.yaml`: each stays in the
batch at its place, and reading it gives its own error (`folder_problem` says
what is wrong with a folder); so does a `*.yaml` link that loops. What a search
deliberately does not follow, a linked folder or a link to a file outside the
folder searched, is listed in `Found.skipped` with the reason, for the command
to warn about; so is any other entry the system cannot tell the kind of (a link
that loops, an entry that cannot be examined), or a folder whose listing fails
part way.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import NamedTuple

from ..errors import GuidelinesError
from ..scenario.loader import STDIN

SUFFIXES = (".yaml", ".yml")


class NoScenariosError(GuidelinesError):
    """The only directory given on the command line holds no scenario files."""

    exit_code = 2


class Found(NamedTuple):
    """The files of a batch, in order, and what the search skipped on purpose (path, reason)."""

    files: list[str]
    skipped: list[tuple[str, str]]


def discover(paths: Iterable[str | os.PathLike[str]]) -> Found:
    """The scenario files named by `paths`: files as given, directories searched for *.yaml, sorted.

    A directory with no scenario files is an error of its own in the batch
    (it stays in the list); given alone, it is a usage error (`NoScenariosError`).
    """
    given = [os.fspath(path) for path in paths]
    found = Found([], [])
    for path in given:
        if path != STDIN and os.path.isdir(path):
            before = len(found.files)
            _search(path, os.path.realpath(path), found)
            if len(found.files) == before:
                if len(given) == 1:
                    raise NoScenariosError(f"no scenario files (*.yaml, *.yml) in directory {path}")
                found.files.append(path)  # reading it says what is wrong
        else:
            found.files.append(path)
    return found


def _search(directory: str, root: str, found: Found) -> None:
    entries: list[os.DirEntry[str]] = []
    try:
        with os.scandir(directory) as listing:
            entries.extend(listing)
    except OSError as exc:
        if not entries:
            found.files.append(directory)  # reading it says why it could not be listed
            return
        found.skipped.append((directory, f"could not be listed to the end ({_why(exc)}); searched in part"))
    for entry in sorted(entries, key=lambda entry: entry.name):
        try:
            if entry.is_symlink():
                _linked(entry, root, found)
            elif entry.is_dir(follow_symlinks=False):
                _search(entry.path, root, found)
            elif entry.name.endswith(SUFFIXES):
                found.files.append(entry.path)  # a FIFO, socket or device too: reading it says what it is
        except OSError as exc:
            if entry.name.endswith(SUFFIXES):
                found.files.append(entry.path)  # reading it says what is wrong
            else:
                found.skipped.append((entry.path, f"cannot be examined ({_why(exc)}); not searched"))


def _linked(entry: os.DirEntry[str], root: str, found: Found) -> None:
    """A link met in a search: followed only to a file inside the folder searched."""
    try:
        linked_folder = entry.is_dir()  # follows the link
    except OSError as exc:  # a link that loops, or leads where this process may not look
        if entry.name.endswith(SUFFIXES):
            found.files.append(entry.path)  # reading it says why
        else:
            found.skipped.append((entry.path, f"a link that cannot be followed ({_why(exc)}); not followed"))
        return
    if linked_folder:
        found.skipped.append((entry.path, "a linked folder, not followed (it could lead out of the folder or loop)"))
        return
    if not entry.name.endswith(SUFFIXES):
        return
    if not os.path.exists(entry.path):
        found.files.append(entry.path)  # dangling: reading it says so
        return
    target = os.path.realpath(entry.path)
    if os.path.commonpath([root, target]) != root:
        found.skipped.append((entry.path, f"a link to {target}, outside the folder searched; not followed"))
        return
    found.files.append(entry.path)


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def folder_problem(path: str) -> str:
    """What is wrong with a folder found where a scenario file was expected."""
    try:
        os.listdir(path)
    except OSError as exc:
        return f"cannot list folder: {exc.strerror or exc}"
    return "no scenario files (*.yaml, *.yml) in this folder"
