"""Invariants as data and `guidelines check`: the shipped rulebook keeps them, a broken copy is caught."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.cli import main
from engine.errors import RulebookError
from engine.rete.runtime import Evaluator
from engine.rulebook.load import load_rulebook
from engine.scenario.load import load_scenario
from engine.verify.check import check_exhaustive, check_generated, exhaustive_space
from engine.verify.invariants import load_invariants

from ..helpers import edit


def sweep_active_mines(rules: Path) -> None:
    """Let minesweeping accept active mines, as a careless edit might."""
    path = rules / "roles" / "minesweeping.yaml"
    edit(path, "      event.status: abandoned\n", "      event.status: {in: [abandoned, active]}\n")
    edit(
        path,
        "    when:\n      event.status: active\n",
        "    when:\n      all: [event.status: active, situation.armed_attack_on_japan: true]\n",
    )


def test_shipped_invariants_load(rulebook):
    invariants = {i.id: i for i in load_invariants(rulebook)}
    assert len(invariants) == 9
    assert invariants["section_v_gate"].when.keys() == {r.id for r in rulebook.roles}
    assert invariants["no_sweeping_of_active_mines"].describe_when("minesweeping") == "event.status is active"
    assert all(i.basis for i in invariants.values())


def test_shipped_rulebook_keeps_its_invariants_on_generated_scenarios(evaluator):
    result = check_generated(evaluator, load_invariants(evaluator.rulebook), examples=150, seed=11)
    assert result.ok, result.violations
    assert result.checked == 150


def test_shipped_rulebook_keeps_its_invariants_on_every_enumerated_scenario(evaluator):
    result = check_exhaustive(evaluator, load_invariants(evaluator.rulebook))
    assert result.ok, result.violations
    assert result.checked == 4224 + 1024 + 48 + 12672


def test_exhaustive_space_has_no_repeats():
    """Every enumerated scenario is different (each is validated when checked)."""
    seen = {json.dumps(data, sort_keys=True) for data in exhaustive_space(2)}
    assert len(seen) == 4224 + 1024 + 48 + 12672


def test_check_command_passes_and_counts(runner):
    result = runner.invoke(main, ["check", "--examples", "60", "--seed", "5"])
    assert result.exit_code == 0, result.output
    assert "ok: 60 scenarios checked (generated), 10 invariants held, rulebook 1997" in result.output
    result = runner.invoke(main, ["check", "--exhaustive"])
    assert result.exit_code == 0
    assert "ok: 17968 scenarios checked (exhaustive)" in result.output


@pytest.mark.parametrize("mode", [["--seed", "3"], ["--exhaustive"]], ids=["generated", "exhaustive"])
def test_a_broken_copy_fails_with_an_explainable_counterexample(runner, rules_copy, tmp_path, mode):
    """Editing minesweeping to accept active mines is caught, with a minimal counterexample explain can read."""
    sweep_active_mines(rules_copy)
    out = tmp_path / "out"
    result = runner.invoke(main, ["check", "--rules", str(rules_copy), "--out", str(out), *mode])
    assert result.exit_code == 1
    assert "FAIL no_sweeping_of_active_mines: Minesweeping never applies to active mines." in result.output
    assert "basis: G97 II.2, Gov-1987, Gov-2015" in result.output
    assert "minesweeping condition abandoned_mines held: event.status is one of abandoned, active" in result.output
    counterexample = out / "counterexample-no_sweeping_of_active_mines.yaml"
    scenario = load_scenario(counterexample)
    assert len(scenario.areas) == 1 and len(scenario.events) == 1
    assert scenario.events[0].type == "mines" and scenario.events[0].status == "active"
    explained = runner.invoke(
        main, ["explain", str(counterexample), "--role", "minesweeping", "--rules", str(rules_copy)]
    )
    assert explained.exit_code == 0
    assert "yes event.status is one of abandoned, active  (event.status = active)" in explained.output
    assert "-> applies" in explained.output


def test_a_block_without_a_limit_breaks_the_contract(rules_copy, tmp_path):
    """If a condition fails with no limit to name the reason, the built-in contract invariant says so."""
    path = rules_copy / "roles" / "surveillance.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("  - id: combat_ongoing")] + text[text.index("  - id: outside_watched_waters") :])
    rulebook = load_rulebook(rules_copy)
    result = check_exhaustive(Evaluator(rulebook), load_invariants(rulebook))
    assert [v.invariant for v in result.violations] == ["blocked_names_a_limit"]
    assert result.violations[0].role == "surveillance"


def test_bad_invariants_are_located(rules_copy):
    path = rules_copy / "invariants.yaml"
    edit(path, "roles: [minesweeping]\n", "roles: [minesweping]\n")
    edit(path, "request.item: {in: [weapons, ammunition]}", "event.status: active")  # requests are no events
    with pytest.raises(RulebookError) as caught:
        load_invariants(load_rulebook(rules_copy))
    problems = {p.message.split(":")[0]: p for p in caught.value.problems}
    assert any(p.suggestion == "minesweeping" for p in caught.value.problems)
    assert any("cannot be read here" in p.message for p in caught.value.problems), problems
