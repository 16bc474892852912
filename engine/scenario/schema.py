"""The JSON Schema of the scenario format, for editors: draft-07, with a description on every field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
# Keywords newer than draft-07, or outside JSON Schema, that YAML editors may not honour.
_DROP = {"discriminator"}


def _draft07(node: Any) -> Any:
    if isinstance(node, list):
        return [_draft07(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _draft07(value) for key, value in node.items() if key not in _DROP}
    if "$ref" in out and len(out) > 1:
        # Draft-07 ignores every keyword beside $ref, descriptions included; allOf keeps them.
        ref = out.pop("$ref")
        out = {"allOf": [{"$ref": ref}], **out}
    return out


def scenario_schema() -> dict[str, Any]:
    """The scenario file's JSON Schema (draft-07)."""
    from .models import Scenario

    schema = Scenario.model_json_schema(ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", {})
    schema = _draft07(schema)
    schema["definitions"] = _draft07(definitions)
    return {"$schema": DRAFT_07, **schema}


def schema_text() -> str:
    """The schema as the file in the repository holds it."""
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"


def schema_file() -> Path | None:
    """The schema file of the source tree, or the copy shipped in the package."""
    package = Path(__file__).resolve().parent.parent  # engine/
    for candidate in (package.parent / "schema" / "scenario.schema.json", package / "scenario.schema.json"):
        if candidate.is_file():
            return candidate
    return None
