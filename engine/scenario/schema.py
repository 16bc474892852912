"""The JSON Schema of the scenario format, for editors: draft-07, with a description on every field."""

from __future__ import annotations

import json
import os
from typing import Any

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
SCHEMA_NAME = "scenario.schema.json"  # beside the scenarios that point at it
CHECKOUT_REFERENCE = "../schema/scenario.schema.json"  # where the repository's scenarios/ find it
# Keywords newer than draft-07, or outside JSON Schema, that YAML editors may not honour.
_DROP = {"discriminator"}


def draft07(node: Any) -> Any:
    if isinstance(node, list):
        return [draft07(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: draft07(value) for key, value in node.items() if key not in _DROP}
    if "$ref" in out and len(out) > 1:
        # Draft-07 ignores every keyword beside $ref, descriptions included; allOf keeps them.
        ref = out.pop("$ref")
        out = {"allOf": [{"$ref": ref}], **out}
    return out


def scenario_schema(roles_of: dict[str, list[str]]) -> dict[str, Any]:
    """The scenario file's JSON Schema (draft-07); `expect:` names the roles of `roles_of` (rulebook id -> role
    ids: the shipped rulebooks', `rulebook.shipped.shipped_roles()`)."""
    # the pydantic models only when the schema is asked for
    from .models import Scenario

    schema = Scenario.model_json_schema(ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", {})
    schema = draft07(schema)
    schema["definitions"] = draft07(definitions)
    _name_the_expect_keys(schema, roles_of)
    return {"$schema": DRAFT_07, **schema}


def _name_the_expect_keys(schema: dict[str, Any], roles_of: dict[str, list[str]]) -> None:
    """`expect:` spelled out key by key, so editors complete each role and rulebook id of `roles_of` (the shipped
    rulebooks' roles): the plain form (roles) or the form keyed by rulebook (rulebook ids, each holding roles).
    Other ids are allowed: a rulebook given with --rules may have its own, and checks them."""
    role_ids = list(dict.fromkeys(role for roles in roles_of.values() for role in roles))
    expect = schema["properties"]["expect"]
    (value,) = expect["anyOf"][0]["patternProperties"].values()
    entry = value["oneOf"][:2]  # a status, or {status, areas, requests}
    definitions = schema["definitions"]
    definitions["ExpectEntry"] = {
        "oneOf": entry,
        "description": "A role's expected status, or {status, areas, requests}.",
    }
    roles = {
        role: {"allOf": [{"$ref": "#/definitions/ExpectEntry"}], "description": f"Expected verdict of {role}."}
        for role in role_ids
    }
    definitions["ExpectRoles"] = {
        "type": "object",
        "properties": roles,
        "propertyNames": {"pattern": "^[a-z0-9_]+$"},
        "additionalProperties": {"$ref": "#/definitions/ExpectEntry"},
        "description": "Expected verdicts under one rulebook: role id -> status, or {status, areas, requests}.",
    }
    by_rulebook = {
        rulebook: {
            "allOf": [{"$ref": "#/definitions/ExpectRoles"}],
            "description": f"Expected verdicts under {rulebook}.",
        }
        for rulebook in roles_of
    }
    expect["anyOf"] = [
        {
            "type": "object",
            "properties": roles,
            "propertyNames": {"pattern": "^[a-z0-9_]+$"},
            "additionalProperties": {"$ref": "#/definitions/ExpectEntry"},
        },
        {
            "type": "object",
            "properties": by_rulebook,
            "propertyNames": {"pattern": "^[A-Za-z0-9_.-]+$"},
            "additionalProperties": {"$ref": "#/definitions/ExpectRoles"},
        },
        {"type": "null"},
    ]


def schema_text(roles_of: dict[str, list[str]]) -> str:
    """The schema as the file in the repository holds it."""
    return json.dumps(scenario_schema(roles_of), indent=2, ensure_ascii=False) + "\n"


def schema_reference(folder: str | os.PathLike[str]) -> tuple[str, bool]:
    """The `$schema` path a new scenario in `folder` points at, relative to that folder, and whether the schema
    must be written there as `SCHEMA_NAME` first.

    A schema already beside it wins, then the `../schema/` of a folder laid out
    as the repository's `scenarios/` is; else a copy goes beside it. Never a
    path into the installed package, which moves with every install.
    """
    if os.path.lexists(os.path.join(folder, SCHEMA_NAME)):
        return SCHEMA_NAME, False
    if os.path.isfile(os.path.normpath(os.path.join(os.path.abspath(folder), CHECKOUT_REFERENCE))):  # as editors do
        return CHECKOUT_REFERENCE, False
    return SCHEMA_NAME, True
