"""The JSON Schema of rule files: current, valid draft-07, pointed at by every shipped rule file, accepting every
shipped rule file and flagging a misspelt key where an editor shows it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from engine.cli import main

from ..conftest import ROOT, RULES_V2

SCHEMA = ROOT / "schema" / "rules.schema.json"
SHIPPED = sorted((ROOT / "rules").rglob("*.yaml"))
HEADER = "# yaml-language-server: $schema="


def as_json(path: Path) -> object:
    """A rule file as an editor's YAML server hands it to the schema: dates are strings."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_the_schema_file_is_what_the_command_prints(runner):
    result = runner.invoke(main, ["schema", "--rules"])
    assert result.exit_code == 0 and result.output == SCHEMA.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT / "rules")))
def test_every_shipped_rule_file_points_at_the_schema_and_meets_it(validator, path):
    """The first line names the schema by a path relative to the file, as scenario files do, and it holds."""
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first.startswith(HEADER), first
    assert (path.parent / first.removeprefix(HEADER)).resolve() == SCHEMA.resolve()
    assert [e.message for e in validator.iter_errors(as_json(path))] == []


def test_the_fixture_using_every_construct_meets_it(validator):
    for path in sorted(RULES_V2.rglob("*.yaml")):
        assert [e.message for e in validator.iter_errors(as_json(path))] == [], path


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("1997/roles/minesweeping.yaml", "title: Minesweeping", "titel: Minesweeping"),
        ("1997/roles/minesweeping.yaml", "    reason: >-", "    reson: >-"),
        ("1997/roles/minesweeping.yaml", "        - not: {area.combat: ongoing}", "        - not: {area.combats: ongoing}"),
        ("1997/roles/surveillance.yaml", "      area.kind: {in: [japan,", "      area.kind: {in: [japn,"),
        ("1997/roles/minesweeping.yaml", "  kind: events", "  kind: event"),
        ("1997/rulebook.yaml", "in_force: 1997-09-23", "in_forc: 1997-09-23"),
        ("2015/roles/minesweeping.yaml", "remove:", "remov:"),
        ("1997/concepts.yaml", "    scope: ", "    scop: "),
        ("1997/invariants.yaml", "    never: ", "    nevr: "),
    ],
    ids=["role-key", "limit-key", "condition-field", "condition-value", "subject-kind", "rulebook-key",
         "remove-key", "concept-key", "invariant-key"],
)  # fmt: skip
def test_a_typo_is_flagged(validator, tmp_path, file, old, new):
    """A misspelt key or value in a rule file fails the schema, as an editor using it marks it."""
    source = ROOT / "rules" / file
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "x.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert list(validator.iter_errors(as_json(path)))
