"""The version 2 rule language: grounds, procedure variants, conditional constraints, `adjacent:`,
`some_event:`, dates, request items; each mistake is an error naming file, line and a fix."""

from __future__ import annotations

import pytest

from engine.errors import RulebookError
from engine.rulebook import conditions as cond
from engine.rulebook.load import load_rulebook
from engine.verify.invariants import load_invariants

from ..helpers import edit


def load_problems(directory) -> list:
    with pytest.raises(RulebookError) as caught:
        load_rulebook(directory)
    return caught.value.problems


def test_the_fixture_uses_every_construct(rulebook_v2):
    sar = rulebook_v2.role("search_and_rescue")
    assert [g.id for g in sar.grounds] == [
        "rear_area_sar",
        "met_during_operation",
        "ordinary_rescue",
        "adjacent_foreign_sea",
    ]
    assert sar.grounds[0].variants[0].procedure.decision == "Cabinet decision and a basic plan."  # the role's
    assert sar.grounds[2].variants[0].procedure.diet_approval == "none"  # its own
    minesweeping = rulebook_v2.role("minesweeping")
    abandoned = minesweeping.grounds[0]
    assert [v.when is not None for v in abandoned.variants] == [True, False]
    assert abandoned.variants[0].when.formula.describe() == "date is before 2007-01-09"
    assert abandoned.constraints[0].when is not None and minesweeping.constraints[0].when is None
    embargo = rulebook_v2.role("embargo_inspection")
    assert [g.id for g in embargo.grounds] == ["legal_basis"] and embargo.grounds[0].variants[0].procedure.basis
    assert rulebook_v2.role("refugee_acceptance").grounds[0].when is None
    assert rulebook_v2.role("logistic_support").beyond_seed
    assert rulebook_v2.role("facility_access").subject.items == (
        "civilian_airports",
        "civilian_ports",
        "sdf_facilities",
        "hospitals",
    )
    nodes = [n for c in rulebook_v2.concepts.values() for n in cond.walk(c.named.formula)]
    assert any(isinstance(n, cond.Adjacent) for n in nodes) and any(isinstance(n, cond.SomeEvent) for n in nodes)


@pytest.mark.parametrize(
    ("file", "old", "new", "at", "fragment", "suggestion"),
    [
        ("roles/search_and_rescue.yaml", "    title: Ordinary rescue", "    titel: Ordinary rescue", None, "unknown key 'titel'", "title"),
        ("roles/search_and_rescue.yaml", "    when: {all: [event.who: combatants, concept: rear_area]}", "    when: {all: [event.who: combatants, adjacent: {adjacent: {area.kind: japan}}]}", None, "`adjacent:` holds another `adjacent:`", None),
        ("roles/search_and_rescue.yaml", "    when: {all: [event.who: combatants, concept: rear_area]}", "    when: {all: [event.who: combatants, adjacent: {concept: next_to_a_rescue}]}", None, "through concept next_to_a_rescue", None),
        ("roles/minesweeping.yaml", "      - when: {date: {before: 2007-01-09}}", "      - when: {date: {before: 2007-13-09}}", None, "takes a date as YYYY-MM-DD", None),
        ("roles/minesweeping.yaml", "      - when: {date: {before: 2007-01-09}}", "      - when: {date: {befor: 2007-01-09}}", None, "unknown operator 'befor' for a date", "before"),
        ("roles/minesweeping.yaml", "      - when: {date: {before: 2007-01-09}}", "      - when: {date: 2007-01-09}", None, "compare `date` with one of before, on_or_after", None),
        ("roles/minesweeping.yaml", "  types: [mines]", "  types: [mines]\n  items: [supplies]", "items: [supplies]", "`items` is only for `kind: requests`", None),
        ("roles/facility_access.yaml", "  items: [civilian_airports, civilian_ports, sdf_facilities, hospitals]\n", "", "kind: requests", "lists its `items`", None),
        ("roles/facility_access.yaml", "    when: {request.force: other}", "    when: {request.item: weapons}", None, "'weapons' is not among the items this role is about", None),
        ("roles/search_and_rescue.yaml", "grounds:\n", "conditions: []\ngrounds:\n", None, "unknown key 'conditions'", None),
        ("roles/minesweeping.yaml", "      - decision: Ordered by the Minister.", "      - when: {area.kind: japan}\n        decision: Ordered by the Minister.", None, "the last variant has no `when`", None),
        ("roles/facility_access.yaml", "      - when: {request.item: sdf_facilities}\n", "      - \n", "decision: The government provides SDF facilities.", "every variant but the last says `when`", None),
        ("roles/refugee_acceptance.yaml", "    procedure:\n      decision:", "    procedure:\n      when: {event.type: evacuation}\n      decision:", "when: {event.type: evacuation}", "a single procedure has no `when`", None),
        ("roles/refugee_acceptance.yaml", "      diet_approval: none", "      diet_approval: nune", None, "is not one of", "none"),
        ("roles/search_and_rescue.yaml", "procedure:\n  decision: Cabinet decision and a basic plan.\n  diet_approval: prior_or_after\n  basis: [\"Law 5\"]\n", "", "- id: rear_area_sar", "has no `procedure`", None),
        ("concepts.yaml", "  - id: next_to_a_rescue\n", "  - id: two_areas_away\n    scope: area\n    title: Two areas away\n    text: Next to an area next to a rescue.\n    when: {adjacent: {concept: next_to_a_rescue}}\n    basis: [\"Law 7\"]\n  - id: next_to_a_rescue\n", "when: {adjacent:", "through concept next_to_a_rescue", None),
        ("concepts.yaml", "    when: {situation.important_influence: true}", "    when: {some_event: {event.who: combatants}}", None, "`some_event:` (about the area) cannot be read here", None),
        ("concepts.yaml", "        - some_event: {all: [event.type: persons_in_distress, event.who: combatants]}", "        - some_event: {event.toward: japan}", None, "only set on refugee_flow events", None),
        ("notices.yaml", "      date: {before: 1999-08-25}", "      adjacent: {area.combat: ongoing}", None, "cannot be read here", None),
        ("roles/refugee_acceptance.yaml", "    when: {any: [event.type: evacuation, event.toward: japan]}", "    when: {adjacent: {area.combat: ongoing}}", None, "cannot be read here", None),
        ("roles/search_and_rescue.yaml", "  - id: ordinary_rescue", "  - id: rear_area_sar", None, "duplicate ground id", None),
    ],
    ids=[
        "unknown-ground-key", "nested-adjacent", "nested-adjacent-through-a-concept", "bad-date-operand",
        "date-operator-typo", "date-without-operator", "items-on-an-event-subject", "request-role-without-items",
        "item-outside-the-role", "version-1-conditions", "last-variant-with-when", "variant-without-when",
        "single-procedure-with-when", "diet-approval-typo", "ground-without-procedure", "nested-adjacent-in-concepts",
        "some-event-about-the-scenario", "some-event-field-without-area", "adjacent-in-a-scenario-notice",
        "adjacent-on-events-without-area", "duplicate-ground",
    ],
)  # fmt: skip
def test_mistakes_fail_at_load_with_file_line_and_suggestion(v2_copy, file, old, new, at, fragment, suggestion):
    """Each mistake in the version 2 language is an error when the rulebook loads, naming the file and the line
    of the mistake (the line edited, unless `at` says where the mistake shows)."""
    path = v2_copy / file
    edit(path, old, new)
    found = load_problems(v2_copy)
    match = [p for p in found if fragment in p.message]
    assert match, [p.text() for p in found]
    problem = match[0]
    assert problem.path == str(path)
    lines = path.read_text().splitlines()
    wanted = at or next(line for line in new.splitlines() if line.strip(" -"))
    assert problem.line is not None and wanted.strip() in lines[problem.line - 1], (problem.text(), wanted)
    assert problem.suggestion == suggestion


def test_nested_adjacent_in_an_invariant(v2_copy, rulebook_v2):
    path = v2_copy / "invariants.yaml"
    line = edit(path, "            adjacent:\n", "            adjacent:\n              adjacent:\n")
    text = path.read_text().replace(
        "              adjacent:\n              all:", "              adjacent:\n                all:"
    )
    path.write_text(text)
    with pytest.raises(RulebookError) as caught:
        load_invariants(load_rulebook(v2_copy))
    (problem,) = [p for p in caught.value.problems if "holds another" in p.message]
    assert problem.path == str(path) and problem.line == line
