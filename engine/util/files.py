"""Writing files whole or not at all."""

from __future__ import annotations

import os


def write_atomically(path: str, text: str) -> None:
    """Write a file whole or not at all, for caches: a file that cannot be written is simply not written."""
    import tempfile  # 3.8 ms to import: only a run that writes the cache pays for it

    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError:
        pass  # a cache that cannot be written is not used
