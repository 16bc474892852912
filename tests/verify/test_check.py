"""Invariants as data and `guidelines check`: the shipped rulebook keeps them, a broken copy is caught."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import main
from engine.errors import RulebookError
from engine.rete.runtime import Evaluator
from engine.rulebook.load import load_rulebook
from engine.scenario import load
from engine.verify.check import check_exhaustive, check_generated
from engine.verify.invariants import load_invariants
from engine.verify.space import exhaustive_space, space_size

from ..conftest import RULES
from ..helpers import edit


def sweep_active_mines(rules: Path) -> None:
    """Let minesweeping treat active mines as abandoned ones, as a careless edit of its ground might."""
    edit(
        rules / "roles" / "minesweeping.yaml",
        "        - event.status: abandoned\n",
        "        - event.status: {in: [abandoned, active]}\n",
    )


def japan_not_a_rear_area_under_fire(rules: Path) -> None:
    """Read the combat test into Japanese territory again, as the first rulebook did (Law60/1999 Art. 3(1)(iii) does not)."""
    edit(
        rules / "concepts.yaml",
        "      any:\n        - area.kind: japan\n        - all:\n            - area.kind: high_seas\n            - area.combat: none\n",
        "      all:\n        - area.kind: {in: [japan, high_seas]}\n        - area.combat: none\n",
    )


def test_shipped_invariants_load(rulebook):
    invariants = {i.id: i for i in load_invariants(rulebook)}
    written = (RULES / "invariants.yaml").read_text(encoding="utf-8").count("\n  - id: ")
    assert len(invariants) == written  # each invariant the file writes, none lost or doubled
    assert set(invariants["section_v_gate"].when) == {r.id for r in rulebook.roles} - {"minesweeping", "surveillance"}
    assert invariants["weapons_are_never_provided"].describe_when("logistic_support") == (
        "request.item is one of weapons, ammunition"
    )
    assert set(invariants["only_us_forces_are_supported"].when) == {"facility_access", "logistic_support"}
    assert all(i.basis for i in invariants.values())
    roles_covered = {role for i in invariants.values() for role in i.when}
    assert roles_covered == {r.id for r in rulebook.roles}


def test_shipped_rulebook_keeps_its_invariants_on_generated_scenarios(evaluator):
    result = check_generated(evaluator, load_invariants(evaluator.rulebook), examples=150, seed=11)
    assert result.ok, result.violations
    assert result.checked == 150


# The slowest checks there are, each run once and read by several tests: `--dist loadfile` (pyproject.toml)
# keeps the tests of this file in one process, so a module's fixture is made once.
@pytest.fixture(scope="module")
def exhaustive_run():
    """`guidelines check --exhaustive`: every shipped rulebook checked on the whole bounded space."""
    return CliRunner(env={"COLUMNS": "100"}).invoke(main, ["check", "--exhaustive"])


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory):
    """`check --exhaustive` on a copy of the rulebook with two careless edits (`sweep_active_mines`,
    `japan_not_a_rear_area_under_fire`): its rules folder, its --out folder and its result."""
    rules = tmp_path_factory.mktemp("broken") / "rules"
    shutil.copytree(RULES, rules)
    sweep_active_mines(rules)
    japan_not_a_rear_area_under_fire(rules)
    out = rules.parent / "out"
    args = ["check", "--rules", str(rules), "--out", str(out), "--exhaustive"]
    return rules, out, CliRunner(env={"COLUMNS": "100"}).invoke(main, args)


def _exhaustive_verdict(run, rulebook: str) -> tuple[str, str]:
    """What `check --exhaustive` said of a rulebook: the line that opens its run, and the one that closes it
    (without its time)."""
    lines = run.output.splitlines()
    (opening,) = [line for line in lines if line.startswith(f"rulebook {rulebook}: checking ")]
    (closing,) = [line for line in lines if line.endswith("s") and f"rulebook {rulebook}," in line]
    return opening, closing.rsplit(", ", 1)[0]


def test_shipped_rulebook_keeps_its_invariants_on_every_enumerated_scenario(exhaustive_run):
    assert exhaustive_run.exit_code == 0, exhaustive_run.output
    assert space_size(2) == 108_728
    opening, closing = _exhaustive_verdict(exhaustive_run, "1997")
    count = opening.split()[3]  # rulebook 1997: checking N invariants ...
    assert closing == f"ok: 108728 scenarios checked (exhaustive), {count} invariants held, rulebook 1997"


def test_exhaustive_space_has_no_repeats():
    """Every enumerated scenario is different (each is validated when checked), and `space_size` counts them."""
    seen = {json.dumps(data, sort_keys=True) for data in exhaustive_space(2)}
    assert len(seen) == space_size(2)
    assert sum(1 for _ in exhaustive_space(3)) == space_size(3)


def test_exhaustive_space_holds_the_new_fields_values():
    """The bounded space reaches every value of the fields of version 2 of the format."""
    seen: dict[str, set] = {}
    for data in exhaustive_space(2):
        for key, value in data["situation"].items():
            seen.setdefault(f"situation.{key}", set()).add(value)
        for force in ("us_forces", "other_forces"):
            for request in (data.get(force) or {}).get("requests", []):
                seen.setdefault("force", set()).add(force)
                seen.setdefault("item", set()).add(request if isinstance(request, str) else request["item"])
                seen.setdefault("placed", set()).add(isinstance(request, dict))
        for area in data.get("areas", []):
            seen.setdefault("adjacent", set()).add("adjacent_to" in area)
        for event in data.get("events", []):
            for key in ("conflict", "rescue_under_way"):
                if key in event:
                    seen.setdefault(key, set()).add(event[key])
        seen.setdefault("events in an area", set()).add(len([e for e in data.get("events", []) if "area" in e]))
        seen.setdefault("date", set()).add(data.get("date"))
    assert seen["situation.ceasefire"] == {"none", "de_facto", "formal"}
    assert seen["situation.survival_threatening"] == {True, False}
    assert (
        seen["force"] == {"us_forces", "other_forces"} and len(seen["item"]) == 10 and seen["placed"] == {True, False}
    )
    assert seen["adjacent"] == {True, False}
    assert seen["conflict"] == {"current", "past"} and seen["rescue_under_way"] == {True, False}
    assert {0, 1, 2} <= seen["events in an area"] and len(seen["date"]) == 8


def test_check_command_passes_and_counts(runner, exhaustive_run):
    result = runner.invoke(main, ["check", "--examples", "60", "--seed", "5"])
    assert result.exit_code == 0, result.output
    builtin = 2  # and the two every rulebook keeps: a block names a limit, no ground before its law
    held = len(load_invariants(load_rulebook(RULES))) + builtin
    assert f"ok: 60 scenarios checked (generated), {held} invariants held, rulebook 1997" in result.output
    assert exhaustive_run.exit_code == 0
    assert (
        f"rulebook 1997: checking {held} invariants on every scenario of the bounded space (108,728 scenarios)..."
        in (exhaustive_run.output)
    )
    assert exhaustive_run.output.count("ok: 108728 scenarios checked (exhaustive)") == 2  # 1997, then 2015


@pytest.mark.parametrize("mode", ["generated", "exhaustive"])
def test_a_broken_copy_fails_with_an_explainable_counterexample(runner, rules_copy, tmp_path, request, mode):
    """Editing minesweeping to clear active mines is caught, with a minimal counterexample explain can read."""
    if mode == "exhaustive":
        rules_copy, out, result = request.getfixturevalue("broken_run")
    else:
        sweep_active_mines(rules_copy)
        out = tmp_path / "out"
        result = runner.invoke(main, ["check", "--rules", str(rules_copy), "--out", str(out), "--seed", "3"])
    assert result.exit_code == 1
    invariant = "no_sweeping_of_active_mines_without_an_attack"
    text = " ".join(result.output.split())  # read unwrapped: check wraps to the width
    assert f"FAIL {invariant}: Active mines are never cleared unless Japan is under armed attack" in text
    assert "basis: Gov-1987, Gov-2015 answer of 28 August 2015" in text
    assert "minesweeping ground abandoned_mines held: event.status is one of abandoned, active" in text
    counterexample = out / f"counterexample-{invariant}.yaml"
    scenario = load(counterexample).scenario
    assert len(scenario.areas) == 1 and len(scenario.events) == 1
    assert scenario.events[0].type == "mines" and scenario.events[0].status == "active"
    explained = runner.invoke(
        main, ["explain", str(counterexample), "--role", "minesweeping", "--rules", str(rules_copy), "--trace"]
    )
    assert explained.exit_code == 0
    assert "yes event.status is one of abandoned, active  (event.status = active)" in explained.output
    assert "-> applies" in explained.output


def test_japan_not_a_rear_area_under_fire_fails_check(broken_run):
    """Law60/1999 Art. 3(1)(iii): an edit putting the combat test back on Japanese territory fails `guidelines check`.

    The counterexample is U.S. supplies in a Japanese area where combat is going on or expected (the rescue of
    combatants there is suspended anyway, Art. 7(5) with Art. 6(5); an ordinary rescue there is left blocked with
    no limit to say why).
    """
    _, out, result = broken_run
    assert result.exit_code == 1
    text = " ".join(result.output.split())  # read unwrapped: check wraps to the width
    assert "FAIL japan_is_always_a_rear_area_for_support: Japanese territory is a rear area whatever its combat" in text
    assert "basis: Law60/1999 Art. 3(1)(iii), Law60/1999 Table 1 note 3" in text
    assert "FAIL blocked_names_a_limit" in text
    scenario = load(out / "counterexample-japan_is_always_a_rear_area_for_support.yaml").scenario
    (area,) = scenario.areas
    assert area.kind == "japan" and area.combat != "none"
    assert [r.item for r in scenario.us_forces.requests] in (["supplies"], ["transport"], ["maintenance"])


def test_a_block_without_a_limit_breaks_the_contract(rules_copy, tmp_path):
    """If no ground holds and no limit names the reason, the built-in contract invariant says so."""
    path = rules_copy / "roles" / "surveillance.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("  - id: combat_ongoing_at_sea")] + text[text.index("\nnotes:") :])
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


@pytest.fixture(scope="module")
def evaluator_2015():
    from engine.rete.evaluators import evaluator_for
    from engine.rulebook.choice import choose

    return evaluator_for(choose(None, rulebook="2015").directory)


def test_the_2015_invariants_hold_what_the_2015_law_promises(evaluator_2015):
    """The 2015 invariants: weapons never provided (DoJ15, DoJ16); outside Japan no rescue where combat goes on
    except one under way (Law60/2015 Art. 2, 7(6)); no support where combat goes on or is expected (Art. 2,
    6(3)); inspection needs a resolution or flag-state consent (Law145/2015 Art. 2); no role without its gate
    (G15 IV.B); nothing in foreign territory without consent (Law60/2015 Art. 6(4), 7(4); Law145/2015 Art. 5(4))."""
    invariants = {i.id: i for i in load_invariants(evaluator_2015.rulebook)}
    assert invariants["weapons_are_never_provided"].describe_when("logistic_support") == "request.item is weapons"
    for name in (
        "no_rescue_outside_japan_where_combat_goes_on",
        "no_support_where_combat_goes_on",
        "no_support_where_combat_is_expected",
        "inspection_needs_a_legal_basis",
        "section_v_gate",
        "nothing_in_foreign_territory_without_consent",
    ):
        assert invariants[name].basis, name
    assert "rescue_under_way" in invariants["no_rescue_outside_japan_where_combat_goes_on"].describe_when(
        "search_and_rescue"
    )
    assert set(invariants["nothing_in_foreign_territory_without_consent"].when) == {
        "minesweeping",
        "search_and_rescue",
        "embargo_inspection",
        "logistic_support",
    }
    assert "only_us_forces_are_supported" not in invariants  # the 2015 law supports other forces too


def test_the_2015_rulebook_keeps_its_invariants_on_generated_scenarios(evaluator_2015):
    result = check_generated(evaluator_2015, load_invariants(evaluator_2015.rulebook), examples=150, seed=11)
    assert result.ok, result.violations


def test_the_2015_rulebook_keeps_its_invariants_on_every_enumerated_scenario(exhaustive_run):
    """What `guidelines check --rulebook 2015 --exhaustive` runs (`check --exhaustive` runs it after 1997's)."""
    opening, closing = _exhaustive_verdict(exhaustive_run, "2015")
    count = opening.split()[3]
    assert closing == f"ok: {space_size(2)} scenarios checked (exhaustive), {count} invariants held, rulebook 2015"
