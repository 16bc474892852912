"""The library API (`engine.evaluate`, `engine.explain`): the same report and explanation as `guidelines evaluate`
and `guidelines explain`, the rulebook chosen the same way."""

from __future__ import annotations

import json

import pytest

import engine
from engine.cli import main
from engine.rulebook.choice import UnknownRulebookError

from .conftest import ROOT, SCENARIOS

SHIPPED = sorted(SCENARIOS.glob("*.yaml"))
# Every shipped scenario at each of its phases (None: the scenario without phases, or its last phase by default).
PHASES = [
    (path, phase) for path in SHIPPED for phase in [None, *(p.id for p in engine.load_scenario(path).phases or ())]
]


def cli_report(runner, *args: str) -> dict:
    result = runner.invoke(main, ["evaluate", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_the_api_gives_the_report_the_command_gives(runner, path):
    """`engine.evaluate(path)` chooses the rulebook by date, phase by phase, as `guidelines evaluate` does, and
    says why in the same words: the JSON reports are equal, every phase's included. Both are given the same
    path, so even the source (and the file named in each warning) agrees: nothing is left out of the comparison."""
    by_command = cli_report(runner, str(path))
    by_api = engine.evaluate(path).as_dict()
    assert json.loads(json.dumps(by_api)) == by_command
    for phase_by_api, phase_by_command in zip(by_api.get("phases", []), by_command.get("phases", []), strict=True):
        assert json.loads(json.dumps(phase_by_api)) == phase_by_command, phase_by_command["id"]


def test_hormuz_is_evaluated_under_the_rulebook_in_force_on_its_date():
    """hormuz.yaml is dated 2026-06-01: the 2015 rulebook is in force (in force from 29 March 2016), and under it
    minesweeping in a survival-threatening situation applies (Art.76-1-2, Art.84-2)."""
    report = engine.evaluate(SCENARIOS / "hormuz.yaml")
    assert (report.rulebook, report.rulebook_reason) == ("2015", "in force on 2026-06-01")
    assert report.statuses()["minesweeping"] == "applies"


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("1997", 'chosen with rulebook="1997"'),
        (str(ROOT / "rules" / "1997"), f'chosen with rulebook="{ROOT / "rules" / "1997"}"'),
    ],
    ids=["id", "directory"],
)
def test_a_rulebook_given_is_used_for_every_phase_and_the_reason_names_the_argument(runner, given, reason):
    """`rulebook=` forces the rulebook as --rulebook and --rules do, and the reason names what the caller gave,
    not an option it never gave; the verdicts are those of `--rulebook 1997`."""
    path = SCENARIOS / "korea_crisis.yaml"
    report = engine.evaluate(path, rulebook=given).as_dict()
    assert {(p["rulebook"], p["rulebook_reason"]) for p in report["phases"]} == {("1997", reason)}
    by_command = cli_report(runner, "--rulebook", "1997", str(path))
    assert {p["rulebook_reason"] for p in by_command["phases"]} == {"chosen with --rulebook"}
    unreasoned = [{**p, "rulebook_reason": None} for p in report["phases"]]
    assert unreasoned == [{**p, "rulebook_reason": None} for p in by_command["phases"]]


def test_a_loaded_rulebook_is_used_for_every_phase_as_an_evaluator_is():
    """A `Rulebook` evaluates every phase; each phase says whether its date would have chosen it (korea_crisis runs
    from 2015 into April 2016, when the 2015 rulebook came into force) or the caller did."""
    report = engine.evaluate(SCENARIOS / "korea_crisis.yaml", rulebook=engine.load_rulebook(ROOT / "rules" / "1997"))
    reasons = [(p.rulebook, p.rulebook_reason) for p in report.phases]
    assert reasons[0] == ("1997", f"in force on {report.phases[0].date}")
    assert reasons[-1] == ("1997", "chosen by the caller") and report.phases[-1].date >= "2016-03-29"


def test_an_unknown_rulebook_id_is_refused_with_a_suggestion():
    with pytest.raises(UnknownRulebookError, match=r"no rulebook '2105'.*did you mean '2015'"):
        engine.evaluate(SCENARIOS / "korea.yaml", rulebook="2105")


def test_a_rulebook_and_an_evaluator_together_are_refused(evaluator):
    with pytest.raises(TypeError, match="not both"):
        engine.evaluate(SCENARIOS / "korea.yaml", rulebook="2015", evaluator=evaluator)


def test_a_model_is_evaluated_under_the_rulebook_of_its_date():
    """A `Scenario` model takes the same path as a file: hormuz's date chooses 2015."""
    report = engine.evaluate(engine.load_scenario(SCENARIOS / "hormuz.yaml"))
    assert (report.rulebook, report.rulebook_reason, report.source) == ("2015", "in force on 2026-06-01", "<scenario>")


def test_an_evaluator_of_a_rulebook_not_in_force_says_the_caller_chose_it(evaluator):
    """An evaluator of the 1997 rulebook on a scenario of 2026: the report does not claim an option chose it."""
    report = engine.evaluate(SCENARIOS / "hormuz.yaml", evaluator=evaluator)
    assert (report.rulebook, report.rulebook_reason) == ("1997", "chosen by the caller")


@pytest.mark.parametrize(
    ("path", "phase"), PHASES, ids=[f"{p.name}@{phase}" if phase else p.name for p, phase in PHASES]
)
def test_the_api_explains_as_the_command_does(runner, path, phase):
    """`engine.explain(path, phase=)` explains the phase under the rulebook `guidelines explain` uses for it (the
    one in force on its date), so the JSON explanations are equal."""
    result = runner.invoke(main, ["explain", "--format", "json", str(path), *(["--phase", phase] if phase else [])])
    assert result.exit_code == 0, result.output
    by_api = engine.explain(path, phase=phase)
    assert json.loads(json.dumps(by_api.as_dict())) == json.loads(result.stdout)
    assert by_api.report.rulebook_reason.startswith(("in force on", "no date"))


def test_explain_under_a_rulebook_given():
    """`rulebook="1997"` explains hormuz (2026) under 1997, where the survival-threatening finding triggers no
    minesweeping (SDF Law Art. 84-2 before 2015); by date it is 2015, where it applies (Art. 76(1)(ii))."""
    forced = engine.explain(SCENARIOS / "hormuz.yaml", rulebook="1997")
    assert (forced.report.rulebook, forced.report.rulebook_reason) == ("1997", 'chosen with rulebook="1997"')
    assert forced.roles["minesweeping"].status == "not_triggered"
    assert engine.explain(SCENARIOS / "hormuz.yaml").roles["minesweeping"].status == "applies"


@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        (
            "strait.yaml",
            ["--role", "minesweeping", "--phase", "fighting"],
            {"roles": ("minesweeping",), "phase": "fighting"},
        ),
        ("law60_eve.yaml", ["--area", "sea_of_japan"], {"areas": ("sea_of_japan",)}),
        (
            "hormuz.yaml",
            ["--rulebook", "1997", "--role", "minesweeping"],
            {"rulebook": "1997", "roles": ("minesweeping",)},
        ),
        ("korea.yaml", ["--set", "situation.ceasefire=formal"], {"overrides": ("situation.ceasefire=formal",)}),
    ],
    ids=["role and phase", "area", "rulebook", "set"],
)
def test_the_api_flips_as_the_command_does(runner, name, args, kwargs):
    """`engine.flip(path, ...)` finds the flips `guidelines flip --format json` prints, narrowed the same way."""
    path = SCENARIOS / name
    result = runner.invoke(main, ["flip", "--format", "json", str(path), *args])
    assert result.exit_code == 0, result.output
    by_command = json.loads(result.stdout)
    assert by_command["cases"]
    assert json.loads(json.dumps(engine.flip(path, **kwargs).as_dict())) == by_command
