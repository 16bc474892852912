"""Finding the scenario files a batch names: files as given, directories searched."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from ..errors import GuidelinesError

SUFFIXES = (".yaml", ".yml")


class NoScenariosError(GuidelinesError):
    """A directory given on the command line holds no scenario files."""

    exit_code = 2


def discover(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The scenario files named by `paths`: files as given, directories searched for *.yaml, sorted."""
    found: list[str] = []
    for path in paths:
        path = os.fspath(path)
        if os.path.isdir(path):
            inside = sorted(_walk(path))
            if not inside:
                raise NoScenariosError(f"no scenario files (*.yaml, *.yml) in directory {path}")
            found.extend(inside)
        else:
            found.append(path)
    return found


def _walk(directory: str) -> Iterator[str]:
    for entry in os.scandir(directory):
        if entry.is_dir(follow_symlinks=False):  # a linked folder could loop back on itself
            yield from _walk(entry.path)
        elif entry.name.endswith(SUFFIXES) and entry.is_file():
            yield entry.path
