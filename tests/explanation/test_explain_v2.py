"""Explanations of the version 2 language: grounds, variants and constraints with their checks, the area an
`adjacent:` looked at and the events that made a `some_event:` true."""

from __future__ import annotations

import json

from hypothesis import given

from engine.cli import main
from engine.explanation.explanations import explain_report, render_explanation
from engine.report.evaluate import evaluate_data
from engine.scenario.models import Scenario
from engine.strategies import scenario_data

from ..cli.test_authoring import verdict_from_explanation
from ..conftest import RULES_V2
from ..report.test_report_v2 import CRISIS


def explained(evaluator, data):
    report = evaluate_data(Scenario.model_validate(data).model_dump(mode="json"), evaluator, source="t")
    return explain_report(report, evaluator.compiled.roles, evaluator.rulebook)


@given(scenario_data())
def test_the_explanation_implies_the_verdict(fresh_v2, data):
    """On any scenario, each case's items imply its verdict, and the grounds that held are the case's grounds."""
    for role in explained(fresh_v2, data).as_dict()["roles"].values():
        for case in role["cases"]:
            assert verdict_from_explanation(case) == case["status"]
            if case["status"] == "applies" and case["grounds"]:
                assert case["ground"] == next(g["id"] for g in case["grounds"] if g["held"])


def test_adjacent_and_some_event_checks_say_where_and_which(fresh_v2):
    text = render_explanation(explained(fresh_v2, CRISIS), width=200)
    assert "yes in the adjacent area, East Sea" in text
    assert (
        "yes some event in the area: all of (event.type is persons_in_distress; event.who is combatants)"
        "  (by events[3] combatants in distress)"
    ) in text
    assert "no  in the adjacent area (it has none)" in text
    assert "-> applies on adjacent_foreign_sea" in text


def test_procedure_variants_and_constraints_show_their_checks(fresh_v2):
    role = explained(fresh_v2, CRISIS).as_dict()["roles"]["minesweeping"]
    gulf = next(c for c in role["cases"] if c.get("area") == "gulf")
    assert gulf["ground"] == "abandoned_mines"
    first, second = gulf["procedure"]
    assert first["held"] and first["check"]["test"] == "date is before 2007-01-09"
    assert first["check"]["value"] == 20050601 and not second["held"]
    assert [(c["text"], c["held"]) for c in gulf["constraints"]] == [
        ("At sea only.", True),
        ("Beyond the waters the Guidelines name, this is Japan's own action.", True),
    ]
    coast = next(c for c in role["cases"] if c.get("area") == "coast")
    assert (
        coast["status"] == "blocked"
        and coast["procedure"] == []
        and coast["blocked_by"]
        == [
            "active_mines",
            "active_mines_far_away",
        ]
    )


def test_explain_on_the_command_line(runner, tmp_path):
    path = tmp_path / "crisis.yaml"
    path.write_text(json.dumps(CRISIS))
    result = runner.invoke(main, ["explain", "--rules", str(RULES_V2), str(path), "--role", "minesweeping", "--trace"])
    assert result.exit_code == 0
    assert "    grounds\n" in result.output and "    procedure\n" in result.output
    assert "yes date is before 2007-01-09  (date = 2005-06-01)" in result.output
    assert "-> blocked: no ground holds; the limits that hold: active_mines, active_mines_far_away" in result.output
