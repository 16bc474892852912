"""The JSON Schema of rule files, for editors: draft-07, from the same models that check the files when they load.

Every shipped rule file points at it with a first line YAML editors read
(`# yaml-language-server: $schema=../../schema/rules.schema.json`, relative to
the file), so a rule author gets completion and a mark on a misspelt key as
they type; the loader still has the last word (unknown concepts, sources and
scopes need the whole rulebook). One schema serves every kind of rule file: the
key that opens it says which (`rulebook`, `role`, `concepts`, `notices`,
`invariants`). A file of a rulebook that extends another holds only what it
changes, so no top-level key is required but that one, and `remove:` is allowed.
A condition (`when:`) is spelled out field by field, with the values each takes.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from ..scenario.fields import FIELDS
from ..scenario.schema import DRAFT_07, draft07
from .beyond import BeyondFile
from .rulefiles import ConceptsFile, NoticesFile, RoleFile, SourcesFile, VariantSpec

SCHEMA_NAME = "rules.schema.json"
CHECKOUT_FOLDER = "schema"  # the repository's schema/, beside rules/

# The key that opens each kind of rule file, and its model. The invariants file's model lives with the checks
# that read it (engine.verify), so it is given by the caller.
_KINDS: dict[str, type[BaseModel]] = {
    "rulebook": SourcesFile,
    "role": RoleFile,
    "concepts": ConceptsFile,
    "notices": NoticesFile,
    "beyond": BeyondFile,
}
_REMOVE = {
    "type": "array",
    "items": {"type": "string"},
    "description": "In a rulebook that extends another: the ids of the base's items this file drops.",
}


def rules_schema(invariants: type[BaseModel]) -> dict[str, Any]:
    """The rule files' JSON Schema (draft-07); `invariants` is the model of invariants.yaml."""
    kinds = {**_KINDS, "invariants": invariants}
    definitions: dict[str, Any] = {}
    branches = []
    for key, model in kinds.items():
        schema = model.model_json_schema(ref_template="#/definitions/{model}")
        definitions.update(schema.pop("$defs", {}))
        schema.pop("required", None)  # an extending rulebook's file holds only what it changes
        schema.setdefault("properties", {})["remove"] = _REMOVE
        name = f"{model.__name__}Kind"
        definitions[name] = schema
        branches.append({"if": {"required": [key]}, "then": {"$ref": f"#/definitions/{name}"}})
    variant = VariantSpec.model_json_schema(ref_template="#/definitions/{model}")
    definitions[VariantSpec.__name__] = variant
    definitions = draft07(definitions)
    definitions["GroundSpec"]["properties"]["procedure"] = {
        "description": "How the ground is decided: one procedure, or variants, each but the last with a `when`.",
        "anyOf": [
            {"$ref": "#/definitions/ProcedureSpec"},
            {"type": "array", "items": {"$ref": "#/definitions/VariantSpec"}, "minItems": 1},
        ],
    }
    definitions["Condition"] = condition_schema()
    _conditions_everywhere(definitions)
    return {
        "$schema": DRAFT_07,
        "title": "guidelines rule file",
        "description": "A file of a rulebook: rulebook.yaml, roles/<id>.yaml, concepts.yaml, notices.yaml, "
        "beyond.yaml or invariants.yaml. The key that opens it says which.",
        "type": "object",
        "anyOf": [{"required": [key]} for key in kinds],
        "allOf": branches,
        "definitions": definitions,
    }


def condition_schema() -> dict[str, Any]:
    """A condition of the rule language (see rulebook/conditions.py): one key per condition, or a list (all)."""
    ref = {"$ref": "#/definitions/Condition"}
    many = {"type": "array", "items": ref, "minItems": 1}
    keywords: dict[str, Any] = {
        "all": {**many, "description": "Every condition of the list holds."},
        "any": {**many, "description": "At least one condition of the list holds."},
        "not": {"allOf": [ref], "description": "The condition does not hold."},
        "concept": {"type": "string", "description": "A concept of the rulebook (concepts.yaml) holds."},
        "adjacent": {"allOf": [ref], "description": "Holds in the area this area's `adjacent_to` names."},
        "some_event": {"allOf": [ref], "description": "Some event in the area satisfies the condition."},
    }
    fields: dict[str, Any] = {}
    for path, spec in FIELDS.items():
        if spec.is_date:
            when = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
            fields[path] = {
                "type": "object",
                "properties": {"before": when, "on_or_after": when},
                "additionalProperties": False,
                "minProperties": 1,
                "maxProperties": 1,
                "description": "The scenario's date compared with a day (false when it has none).",
            }
            continue
        value = {"enum": list(spec.values)}
        fields[path] = {
            "anyOf": [
                value,
                {
                    "type": "object",
                    "properties": {
                        "eq": value,
                        "ne": value,
                        "in": {"type": "array", "items": value, "minItems": 1},
                        "not_in": {"type": "array", "items": value, "minItems": 1},
                    },
                    "additionalProperties": False,
                    "minProperties": 1,
                    "maxProperties": 1,
                },
            ],
            "description": f"The field {path} equals a value, or compares with eq, ne, in, not_in.",
        }
    return {
        "description": "A condition: all / any / not over scenario fields, concepts and other places.",
        "anyOf": [
            many,
            {
                "type": "object",
                "properties": {**keywords, **fields},
                "additionalProperties": False,
                "minProperties": 1,
                "maxProperties": 1,
            },
        ],
    }


def _conditions_everywhere(node: Any) -> None:
    """Every `when` of the models (free-form there, parsed by the loader) is a `Condition` in the schema."""
    if isinstance(node, dict):
        properties = node.get("properties")
        if isinstance(properties, dict) and "when" in properties:
            described = properties["when"].get("description")
            properties["when"] = {"allOf": [{"$ref": "#/definitions/Condition"}]}
            if described:
                properties["when"]["description"] = described
        for value in node.values():
            _conditions_everywhere(value)
    elif isinstance(node, list):
        for value in node:
            _conditions_everywhere(value)


def schema_text(invariants: type[BaseModel]) -> str:
    """The schema as the file in the repository holds it."""
    return json.dumps(rules_schema(invariants), indent=2, ensure_ascii=False) + "\n"
