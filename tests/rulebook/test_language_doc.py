"""docs/rule-language.md, the reference of the rule language: every example in it loads, and every key of the
rule files, every keyword and every field a condition reads is in it."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml

from engine.rulebook import conditions as cond
from engine.rulebook import rulefiles
from engine.rulebook.beyond import BeyondSpec
from engine.rulebook.load import load_rulebook
from engine.scenario.fields import FIELDS
from engine.verify.invariants import InvariantSpec, load_invariants

from ..conftest import ROOT

DOC = ROOT / "docs" / "rule-language.md"
TEXT = DOC.read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```yaml\n(.*?)^```", TEXT, re.DOTALL | re.MULTILINE)
FILES = {b.split("\n", 1)[0].removeprefix("# file: "): b for b in BLOCKS if b.startswith("# file: ")}
CONDITIONS = [b for b in BLOCKS if b.startswith("# condition")]
MODELS = [
    rulefiles.SourcesFile, rulefiles.RoleFile, rulefiles.SubjectSpec, rulefiles.NamedSpec, rulefiles.LimitSpec,
    rulefiles.GroundSpec, rulefiles.ConstraintSpec, rulefiles.ProcedureSpec, rulefiles.VariantSpec,
    rulefiles.NoteSpec, rulefiles.ConceptSpec, rulefiles.NoticeSpec, rulefiles.InForceSpec, InvariantSpec,
    BeyondSpec,
]  # fmt: skip


def condition_role(i: int, block: str) -> str:
    """A role whose one ground's `when` is the condition of a `# condition` block, to load it where it belongs."""
    role = {
        "role": f"condition_{i}",
        "title": f"Condition {i}",
        "seed": "A condition of the reference",
        "basis": ["Law1/2030 Art. 1"],
        "subject": {"kind": "events", "types": ["mines", "persons_in_distress", "sanctions_shipping"], "missing": "-"},
        "triggers": [{"id": "always", "text": "Always.", "when": {"event.type": {"ne": "evacuation"}}}],
        "grounds": [
            {
                "id": "held",
                "title": "the condition",
                "text": "The condition holds.",
                "when": yaml.safe_load(block),
                "basis": ["Law1/2030 Art. 1"],
                "procedure": {"decision": "-", "diet_approval": "none", "basis": ["Law1/2030 Art. 1"]},
            }
        ],
    }
    return yaml.safe_dump(role, sort_keys=False)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The doc's example rulebook, 2030, beside a copy of the 1997 one it extends; each condition a role."""
    root = tmp_path_factory.mktemp("doc")
    (root / "1997").symlink_to(ROOT / "rules" / "1997")
    for name, block in FILES.items():
        (root / "2030" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "2030" / name).write_text(block, encoding="utf-8")
    for i, block in enumerate(CONDITIONS):
        (root / "2030" / "roles" / f"condition_{i}.yaml").write_text(condition_role(i, block), encoding="utf-8")
    return root / "2030"


def test_the_examples_make_a_rulebook_that_loads(folder):
    """Every file example, and every condition in a role, loads: a wrong example fails here with its line."""
    assert {"rulebook.yaml", "roles/port_security.yaml", "concepts.yaml", "notices.yaml", "invariants.yaml"} <= set(
        FILES
    )
    assert len(CONDITIONS) >= 8
    rulebook = load_rulebook(folder)
    assert rulebook.id == "2030" and rulebook.extends == "1997"
    assert [r.id for r in rulebook.roles][0] == "port_security"  # as its `roles:` orders
    port = rulebook.role("port_security")
    assert [g.id for g in port.grounds] == ["in_japan"] and len(port.grounds[0].variants) == 2
    assert "before_guidelines" not in {n.id for n in rulebook.notices} and "port_closed" in {
        n.id for n in rulebook.notices
    }
    assert "quiet_port" in rulebook.concepts
    # beyond.yaml merged by id with the 1997 rulebook's (SDF Law Art. 82 and the others stay)
    assert {"port_police", "port_supplies", "maritime_security_operations"} <= {b.id for b in rulebook.beyond}
    assert "no_port_security_abroad" in {i.id for i in load_invariants(rulebook)}


def test_the_file_examples_meet_the_rule_schema():
    schema = json.loads((ROOT / "schema" / "rules.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    for name, block in FILES.items():
        data = json.loads(json.dumps(yaml.safe_load(block), default=str))
        assert [e.message for e in validator.iter_errors(data)] == [], name


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_key_is_in_the_reference(model):
    """A key added to a rule file's model must be documented: the reference names each one as `key`."""
    missing = [name for name in model.model_fields if f"`{name}`" not in TEXT and f"{name}:" not in TEXT]
    assert missing == []


def test_every_keyword_and_field_of_a_condition_is_in_the_reference():
    words = [*cond.KEYWORDS, *cond.OPERATORS, *cond.DATE_OPERATORS]
    assert [w for w in words if w not in TEXT] == []
    assert [path for path in FIELDS if f"`{path}`" not in TEXT] == []
