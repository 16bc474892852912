"""Where the shipped rulebooks live.

Apart from the loader, which reads rule files with pydantic models: a command
that finds its compiled rulebook in the cache needs this path and nothing else.
"""

from __future__ import annotations

import os


def rules_root() -> str:
    """The folder holding the shipped rulebooks (`<id>/rulebook.yaml`): inside the installed package, or the
    source tree's `rules/`."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # engine/
    for candidate in (os.path.join(here, "rules"), os.path.join(here, "..", "rules")):
        if os.path.isdir(candidate) and any(
            os.path.isfile(os.path.join(candidate, name, "rulebook.yaml")) for name in os.listdir(candidate)
        ):
            return os.path.normpath(candidate)
    return os.path.join(here, "rules")


def default_rules_dir(rulebook: str = "1997") -> str:
    """Where a shipped rulebook lives (the 1997 one by default)."""
    return os.path.join(rules_root(), rulebook)
