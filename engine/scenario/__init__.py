"""The scenario format: its words, models and limits, safe YAML loading with positions, the JSON Schema.

`load` (from loader) is the one way into a scenario: `engine.scenario.load(path | text | data, overrides=...)`.

vocab        the words of the contract: every enum and status
fields       the scenario fields a rule may read, and the facts they become
models       the scenario file as pydantic models
record       the sources a scenario cites and the record it sets beside the verdicts (models)
yamlload     safe YAML loading that keeps every position
located      pydantic errors as located problems (scenario and rule files alike)
hints        hints for a word a user plausibly means but the format lacks (`fuel`), from hints.yaml
crosscheck   checks across fields: unique area ids, events naming real areas (in every phase)
phases       a crisis as it unfolds: each phase merged into the state before it
overrides    what-if changes (`--set PATH=VALUE`) applied before validation
loader       load: a path, text or data to a validated scenario with its warnings
fastschema   the fast path's validator (its schema is generated into _scenario_schema.py)
schema       the JSON Schema, for editors
skeleton     the commented skeleton `guidelines new` writes
warnings     what a valid scenario says that is likely a mistake, or means less than it seems
examples     the example scenarios shipped with the package, and copying them out
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .loader import Loaded, load

__all__ = ["Loaded", "load"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import loader  # lazily: the start path reads `scenario.vocab` without paying for the loader

        return getattr(loader, name)
    raise AttributeError(f"module 'engine.scenario' has no attribute {name!r}")
