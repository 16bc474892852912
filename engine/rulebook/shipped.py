"""Where the shipped rulebook lives.

Apart from the loader, which reads rule files with pydantic models: a command
that finds its compiled rulebook in the cache needs this path and nothing else.
"""

from __future__ import annotations

import os


def default_rules_dir(rulebook: str = "1997") -> str:
    """Where the shipped rulebook lives: inside the installed package, or in the source tree."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # engine/
    for candidate in (os.path.join(here, "rules", rulebook), os.path.join(here, "..", "rules", rulebook)):
        if os.path.isfile(os.path.join(candidate, "rulebook.yaml")):
            return os.path.normpath(candidate)
    return os.path.join(here, "rules", rulebook)
