"""`guidelines rules` shows the version 2 language: grounds, procedure variants, conditional constraints,
`adjacent:`, `some_event:` and dates, in text, Markdown and JSON."""

from __future__ import annotations

import json

from engine.cli import main
from engine.rulebook.describe import rulebook_json, rulebook_markdown, rulebook_text, words

from ..conftest import RULES_V2


def test_words_for_the_new_constructs(rulebook_v2):
    concepts = rulebook_v2.concepts
    assert words(concepts["next_to_a_rescue"].named.formula) == (
        "in the adjacent area: (concept combatants_rescued_here)"
    )
    assert words(concepts["combatants_rescued_here"].named.formula).endswith(
        "and some event in the area: (all of (event.type is persons_in_distress; event.who is combatants))"
    )


def test_json_has_grounds_variants_and_conditional_constraints(rulebook_v2):
    roles = {r["id"]: r for r in rulebook_json(rulebook_v2)["roles"]}
    minesweeping = roles["minesweeping"]
    abandoned, defence = minesweeping["grounds"]
    assert abandoned["title"] == "Abandoned mines"
    assert abandoned["procedure"][0]["when"] == {"field": "date", "op": "before", "values": ["2007-01-09"]}
    assert abandoned["procedure"][1]["when"] is None
    assert abandoned["constraints"][0]["when_text"] == "area.kind is one of distant_high_seas, foreign"
    assert defence["procedure"][0]["diet_approval"] == "prior_or_after"
    assert roles["refugee_acceptance"]["grounds"][0]["when_text"] == "whenever the role is triggered"
    embargo = roles["embargo_inspection"]
    assert [g["id"] for g in embargo["grounds"]] == ["legal_basis"] and "conditions" not in embargo
    assert roles["logistic_support"]["beyond_seed"] and roles["logistic_support"]["subject"]["items"][0] == "supplies"
    concept = next(c for c in rulebook_json(rulebook_v2)["concepts"] if c["id"] == "next_to_a_rescue")
    assert concept["when"] == {"adjacent": {"concept": "combatants_rescued_here"}}


def test_markdown_and_text_show_grounds_and_variants(rulebook_v2):
    markdown = rulebook_markdown(rulebook_v2)
    assert "- **Applies on any of these grounds** (the first that holds is named):" in markdown
    assert "  - `self_defence` **Self-defence**: Japan is under armed attack" in markdown
    assert "      - *when date is before 2007-01-09:* Ordered by the Director General." in markdown
    assert "      - *otherwise:* Ordered by the Minister." in markdown
    assert "- **Limits named when it is blocked** (any):" in markdown
    assert "Blocked by" not in markdown and "Applies when" not in markdown  # no version 1 form is left
    assert "(beyond the newsletter's list)" in markdown
    text = rulebook_text(rulebook_v2, width=200)
    assert "  grounds      abandoned_mines (Abandoned mines): " in text
    assert "  procedure when date is before 2007-01-09: Ordered by the Director General." in text
    assert "  constraint: Beyond the waters the Guidelines name, this is Japan's own action." in text


def test_rules_on_the_command_line(runner):
    out = runner.invoke(main, ["rules", "--rules", str(RULES_V2), "--format", "json"])
    assert out.exit_code == 0 and json.loads(out.output)["rulebook"] == "v2-fixture"


def test_a_label_wider_than_its_column_stands_on_its_own_line(runner):
    """A concept id longer than the label column is not run into its text (`important_influence_situation`)."""
    result = runner.invoke(main, ["rules", "--rulebook", "2015"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    at = lines.index("  important_influence_situation")
    assert lines[at + 1].startswith(" " * 22 + "Japan has determined")
    assert all(len(line) <= 80 for line in lines)
