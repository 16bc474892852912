"""Loading rulebooks: the condition language, and errors with file, line and suggestion."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import RulebookError
from engine.rulebook import conditions as cond
from engine.rulebook.load import load_rulebook

from ..conftest import ROLE_IDS
from ..helpers import edit


def load_problems(directory: Path) -> list:
    with pytest.raises(RulebookError) as caught:
        load_rulebook(directory)
    return caught.value.problems


def test_shipped_rulebook(rulebook):
    assert rulebook.id == "1997"
    assert [r.id for r in rulebook.roles] == list(ROLE_IDS)
    assert set(rulebook.concepts) == {"section_v_engaged", "rear_area", "rear_area_sar_operation"}
    for role in rulebook.roles:
        assert role.basis and role.seed and role.grounds, role.id
        for ground in role.grounds:
            assert ground.basis and ground.variants, (role.id, ground.id)
            assert all(v.procedure.basis for v in ground.variants), (role.id, ground.id)
        assert all(limit.basis for limit in role.limits), role.id
    assert [r.id for r in rulebook.roles if r.subject.per_area] == list(ROLE_IDS[:4])
    assert [r.id for r in rulebook.roles if r.beyond_seed] == ["logistic_support"]


def test_condition_forms_parse(rulebook):
    """Shorthand equality, operators, lists as `all`, `not`, concepts, `adjacent:` and `some_event:` parse to formulas."""
    sar = rulebook.role("search_and_rescue")
    in_force, rear_area_sar = sar.grounds[0].when.formula.items  # `in_force:` adds a date test before the `when`
    assert isinstance(in_force, cond.Not) and in_force.item.describe() == "date is before 1999-08-25"
    assert isinstance(rear_area_sar, cond.AllOf)
    assert [c.describe() for c in rear_area_sar.items] == [
        "event.who is combatants", "concept rear_area", "area.combat is none"
    ]  # fmt: skip
    adjacent = sar.grounds[3].when.formula.items[-1].items[-1]
    assert isinstance(adjacent, cond.Adjacent) and adjacent.item == cond.ConceptRef(
        "rear_area_sar_operation", adjacent.item.line
    )
    operation = rulebook.concepts["rear_area_sar_operation"].named.formula
    assert isinstance(operation.items[-1], cond.SomeEvent)
    minesweeping = rulebook.role("minesweeping")
    self_defence = minesweeping.grounds[1].when.formula
    assert [c.describe() for c in self_defence.items] == [
        "situation.armed_attack_on_japan is true",
        "area.kind is one of japan, high_seas, distant_high_seas",
    ]
    assert minesweeping.grounds[0].variants[0].when.formula.describe() == "date is before 2007-01-09"


@pytest.mark.parametrize(
    ("file", "old", "new", "fragment", "suggestion"),
    [
        ("roles/minesweeping.yaml", "area.kind: {in: [japan", "area.kinds: {in: [japan", "unknown condition key", "area.kind"),
        ("roles/minesweeping.yaml", "area.kind: {in: [japan", "area.kind: {inn: [japan", "unknown operator", "in"),
        ("roles/minesweeping.yaml", "event.status: abandoned", "event.status: abandonned", "not a value of", "abandoned"),
        ("roles/search_and_rescue.yaml", "{concept: section_v_engaged}", "{concept: section_v_engage}", "unknown concept", "section_v_engaged"),
        ("roles/minesweeping.yaml", "event.status: abandoned", "event.toward: japan", "only set on refugee_flow", None),
        ("roles/refugee_acceptance.yaml", "event.toward: japan", "area.kind: japan", "have no area", None),
        ("roles/surveillance.yaml", 'basis: ["G97-Annex"]', 'basis: ["G79-Annex"]', "unknown source", "G97-Annex"),
        ("roles/search_and_rescue.yaml", "        - area.combat: none\n", "        - area.combat: {ne: [none]}\n", "takes one value", None),
        ("roles/surveillance.yaml", "kind: areas", "kind: area", "is not one of", "areas"),
        ("roles/facility_access.yaml", "us_forces.operating: true", "us_forces.operating: yes", "true or false", None),
        ("concepts.yaml", "area.combat: none", "area.combat: nome", "not a value of", "none"),
    ],
    ids=[
        "unknown-field", "unknown-operator", "unknown-value", "unknown-concept", "field-of-other-events",
        "area-field-without-area", "unknown-source-tag", "list-for-ne", "subject-kind-typo", "yes-for-boolean",
        "concept-value",
    ],
)  # fmt: skip
def test_bad_rules_fail_at_load_with_line_and_suggestion(rules_copy, file, old, new, fragment, suggestion):
    """A mistake in a rule file is an error when the rulebook loads, naming file and line."""
    path = rules_copy / file
    edited_line = edit(path, old, new)
    found = load_problems(rules_copy)
    match = [p for p in found if fragment in p.message]
    assert match, [p.text() for p in found]
    problem = match[0]
    assert problem.path == str(path)
    assert problem.line == edited_line
    assert problem.suggestion == suggestion


def test_role_without_basis(rules_copy):
    edit(
        rules_copy / "roles/refugee_acceptance.yaml", 'basis: ["G97 V.2(1)a", "G97 V.2(1)c", "G97-Annex"]', "basis: []"
    )
    found = load_problems(rules_copy)
    assert any(p.field == "basis" and "at least 1" in p.message for p in found), [p.text() for p in found]


def test_concept_cycle(rules_copy):
    """Two concepts defined by each other are refused, naming the cycle and the line."""
    path = rules_copy / "concepts.yaml"
    path.write_text(
        path.read_text()
        + """
  - id: calm_waters
    scope: area
    title: Calm waters
    text: The waters are calm.
    when: {all: [area.combat: none, concept: open_waters]}
    basis: ["G97 V"]
  - id: open_waters
    scope: area
    title: Open waters
    text: The waters are open.
    when: {concept: calm_waters}
    basis: ["G97 V"]
"""
    )
    found = load_problems(rules_copy)
    (cycle,) = [p for p in found if "cycle" in p.message]
    assert "calm_waters -> open_waters -> calm_waters" in cycle.message
    assert cycle.path == str(path) and cycle.line is not None


def test_bad_yaml_in_a_role_file(rules_copy):
    path = rules_copy / "roles" / "surveillance.yaml"
    path.write_text(path.read_text().replace("  - id: watched\n", "  - id: watched\n\t  bad: tab\n", 1))
    (problem,) = load_problems(rules_copy)
    assert problem.path == str(path) and problem.line is not None
    assert problem.message == "a tab in the indentation: YAML indentation uses spaces, not tabs"


def test_a_broken_rulebook_on_the_command_line(runner, rules_copy):
    """The CLI lists the rulebook's problems with file and line and exits 1; no engine error number shows."""
    from engine.cli import main

    from ..conftest import SCENARIOS

    line = edit(rules_copy / "roles" / "minesweeping.yaml", "area.kind: {in: [japan", "area.kinds: {in: [japan")
    result = runner.invoke(main, ["evaluate", "--rules", str(rules_copy), str(SCENARIOS / "strait.yaml")])
    assert result.exit_code == 1
    assert (
        f"error: {rules_copy / 'roles' / 'minesweeping.yaml'}:{line}:15: grounds[0].when.all[3].any[0].area.kinds: unknown condition key"
        in result.output
    )
    assert "error code" not in result.output


def test_a_misnamed_role_file(rules_copy):
    """A role file is named by its role: a slip in the name is caught by the role it defines, and by `roles:`."""
    (rules_copy / "roles/surveillance.yaml").rename(rules_copy / "roles/surveilance.yaml")
    found = load_problems(rules_copy)
    head = rules_copy / "rulebook.yaml"
    listed = [p for p in found if "`roles` lists 'surveillance', which has no file" in p.message]
    assert listed and listed[0].path == str(head) and listed[0].suggestion == "surveilance"
    assert any("must define role 'surveilance', not 'surveillance'" in p.message for p in found)


def test_a_role_file_name_that_is_no_id(rules_copy):
    (rules_copy / "roles/surveillance.yaml").rename(rules_copy / "roles/Surveillance.yaml")
    found = load_problems(rules_copy)
    assert any("a role file is named by its role id" in p.message for p in found)


def test_not_a_rulebook(tmp_path):
    problems = load_problems(tmp_path)
    assert "rulebook.yaml is missing" in problems[0].message


def test_changing_a_condition_needs_no_python(rules_copy):
    """A rule author lets minesweeping clear active mines by editing one ground in YAML; the verdict follows.

    The limit on active mines still holds but only explains blocks: a ground that holds decides.
    """
    from engine.report.evaluate import evaluate_data
    from engine.rete.runtime import Evaluator

    from ..helpers import edit, scenario

    path = rules_copy / "roles/minesweeping.yaml"
    edit(path, "        - event.status: abandoned\n", "        - event.status: {in: [abandoned, active]}\n")
    data = scenario(
        areas=[{"id": "a", "kind": "high_seas"}],
        events=[{"type": "mines", "area": "a", "status": "active", "conflict": "past"}],
    )
    edited = evaluate_data(data, Evaluator(load_rulebook(rules_copy)), source="t")
    assert edited.roles["minesweeping"].status == "applies"
    assert evaluate_data(data, Evaluator(load_rulebook()), source="t").roles["minesweeping"].status == "blocked"
