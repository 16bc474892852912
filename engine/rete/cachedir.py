"""The cache folder as a whole: what it holds, the size it may take, and pruning and clearing it.

The folder holds compiled rulebooks (`compiled-*.json`, one per version of the
rules and of the engine ever used), the memo store (`memo.sqlite` and its
journal files, see `memo.py`), and the examples `guidelines check` keeps
(`hypothesis/`). It is kept under a size limit, `GUIDELINES_CACHE_SIZE`
(bytes, or with a unit: `64M`, `1G`, `512KiB`; by default 64 MiB):

- whenever something is written to it, compiled rulebooks not read for
  `UNUSED_SECONDS` go, with files of an older cache format and temporary files
  that a stopped run left behind;
- if what is left besides the memo store takes more than half the limit, the
  compiled rulebooks read least recently go too (oldest first; one read in the
  last minutes stays), then the kept examples;
- the memo store gets the rest, less room for its journal, and evicts its least
  recently used outcomes to stay within it.

Files this module does not know are someone else's: they are listed, counted in
no limit, and never removed (a cache folder set by mistake to a folder of
documents loses nothing).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from typing import NamedTuple

DEFAULT_LIMIT = 64 << 20
SIZE_VARIABLE = "GUIDELINES_CACHE_SIZE"
MEMO_NAME = "memo.sqlite"
UNUSED_SECONDS = 30 * 86400  # a compiled rulebook not read for this long is deleted
TOUCH_SECONDS = 86400  # a compiled rulebook's time of last use is refreshed at most this often
RECENT_SECONDS = 600  # a compiled rulebook read this recently is in use: the size limit does not remove it
LEFTOVER_SECONDS = 3600  # a temporary file this old belongs to no running write

KINDS = {
    "compiled": "compiled rulebooks",
    "memo": "stored outcomes",
    "examples": "examples kept by check",
    "old": "files of an older cache format",
    "temporary": "temporary files",
    "other": "other files (not the cache's: left alone)",
}
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*", re.IGNORECASE)


class Item(NamedTuple):
    """One file or folder of the cache folder: what it is (a key of KINDS), its name, bytes and last change."""

    kind: str
    name: str
    size: int
    mtime: float


def parse_size(text: str) -> int:
    """Bytes from `123`, `64M`, `64MiB`, `1.5G`...; ValueError for anything else."""
    found = _SIZE.fullmatch(text)
    if found is None:
        raise ValueError(f"{text!r} is not a size (bytes, or a number with K, M or G)")
    return int(float(found.group(1)) * _UNITS[found.group(2).lower()])


def size_limit() -> int:
    """The cache folder's size limit: `GUIDELINES_CACHE_SIZE`, or the default when unset or not a size."""
    text = os.environ.get(SIZE_VARIABLE, "").strip()
    if not text:
        return DEFAULT_LIMIT
    try:
        return parse_size(text)
    except ValueError:
        return DEFAULT_LIMIT


def journal_allowance(limit: int) -> int:
    """The room kept for the memo store's journal while a run writes to it: what its database may not use.

    New rows land all over the store's table (they are keyed by hashes), so a
    transaction of a thousand rows can touch a few thousand pages."""
    return min(16 << 20, limit // 4)


def kind_of(name: str, is_folder: bool) -> str:
    if name.startswith("compiled-") and name.endswith(".json") and not is_folder:
        return "compiled"
    if name.startswith(MEMO_NAME) and name[len(MEMO_NAME) :] in ("", "-wal", "-shm", "-journal") and not is_folder:
        return "memo"
    if name == "hypothesis" and is_folder:
        return "examples"
    if name.startswith("memo-") and name.endswith(".json") and not is_folder:
        return "old"
    if name.startswith(".tmp-") and not is_folder:
        return "temporary"
    return "other"


def _folder_size(path: str) -> int:
    total = 0
    for folder, _, names in os.walk(path):
        for name in names:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                pass
    return total


def contents(where: str) -> list[Item]:
    """What the cache folder holds, by name; empty when it is not there."""
    items = []
    try:
        entries = list(os.scandir(where))
    except OSError:
        return []
    for entry in sorted(entries, key=lambda e: e.name):
        try:
            folder = entry.is_dir(follow_symlinks=False)
            status = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        size = _folder_size(entry.path) if folder else status.st_size
        items.append(Item(kind_of(entry.name, folder), entry.name, size, status.st_mtime))
    return items


def _remove(where: str, item: Item) -> str | None:
    """Remove one item of the folder; why not, or None when it is gone."""
    path = os.path.join(where, item.name)
    try:
        if item.kind == "examples":
            shutil.rmtree(path)
        else:
            os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def touch(path: str) -> None:
    """Mark a compiled rulebook as just used (at most once in `TOUCH_SECONDS`), so pruning keeps it."""
    try:
        if os.stat(path).st_mtime < time.time() - TOUCH_SECONDS:
            os.utime(path)
    except OSError:
        pass


def prune(where: str, keep: tuple[str, ...] = ()) -> list[Item]:
    """Remove what is stale, then what keeps the folder over its limit besides the memo store (see the module's
    docstring); what is left. `keep`: names that stay whatever their age."""
    now = time.time()
    items = []
    for item in contents(where):
        stale = (
            item.kind == "old"
            or (item.kind == "temporary" and item.mtime < now - LEFTOVER_SECONDS)
            or (item.kind == "compiled" and item.mtime < now - UNUSED_SECONDS and item.name not in keep)
        )
        if not (stale and _remove(where, item) is None):
            items.append(item)
    share = size_limit() // 2
    besides = sum(item.size for item in items if item.kind in ("compiled", "examples", "temporary"))
    if besides > share:
        removable = [
            item
            for item in items
            if (item.kind == "compiled" and item.name not in keep and item.mtime < now - RECENT_SECONDS)
            or item.kind == "examples"
        ]
        removable.sort(key=lambda item: (item.kind == "examples", item.mtime))
        for item in removable:
            if besides <= share:
                break
            if _remove(where, item) is None:
                besides -= item.size
                items.remove(item)
    return items


def memo_budget(where: str) -> int:
    """The bytes the memo store's database may take: the limit, less what else the folder keeps (pruned first)
    and room for the store's journal; at least an eighth of the limit."""
    limit = size_limit()
    besides = sum(item.size for item in prune(where) if item.kind in ("compiled", "examples", "temporary"))
    return max(limit - besides - journal_allowance(limit), limit // 8)


def clear(where: str) -> tuple[int, int, list[tuple[str, str]]]:
    """Empty the cache folder of everything the cache put there: (items removed, bytes freed, [(name, why not)])."""
    removed = freed = 0
    failed = []
    for item in contents(where):
        if item.kind == "other":
            continue
        why = _remove(where, item)
        if why is None:
            removed += 1
            freed += item.size
        else:
            failed.append((item.name, why))
    return removed, freed, failed
