"""Choosing the rulebook: by date (at the boundary of 28 and 29 March 2016), with --rulebook, never with --rules
too; `test` and `check` over both rulebooks."""

from __future__ import annotations

import json

import pytest

from engine.cli import main
from engine.rulebook.choice import choose
from engine.rulebook.load import load_rulebook

from ..conftest import RULES, SCENARIOS

KOREA = (SCENARIOS / "korea.yaml").read_text(encoding="utf-8")


def dated(tmp_path, day: str):
    """The Korean contingency (expect: left out), dated `day`."""
    text = KOREA[: KOREA.index("expect:")].replace("situation:", f"date: {day}\nsituation:", 1)
    path = tmp_path / f"korea-{day}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("day", "rulebook", "ammunition"),
    [("2016-03-28", "1997", "blocked"), ("2016-03-29", "2015", "applies")],
)
def test_the_rulebook_in_force_changes_on_29_march_2016(runner, tmp_path, day, rulebook, ammunition):
    """The 2015 legislation came into force on 29 March 2016 (research-notes 5.2; Law60/2015 supplementary
    provisions): a scenario of the 28th is evaluated under 1997, one of the 29th under 2015, and says why."""
    assert choose(day).id == rulebook
    result = runner.invoke(main, ["evaluate", "--format", "json", str(dated(tmp_path, day))])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["rulebook"], report["rulebook_reason"]) == (rulebook, f"in force on {day}")
    requests = report["roles"]["logistic_support"]["requests"]
    assert next(r["status"] for r in requests if r["item"] == "ammunition") == ammunition
    text = runner.invoke(main, ["evaluate", str(dated(tmp_path, day))]).stdout
    assert f"Rulebook {rulebook} (in force on {day})" in text


def test_a_date_before_the_2015_law_under_the_2015_rulebook_gets_its_notice(runner, tmp_path):
    """guidelines-2015.md section 5: the 2015 legislation took effect on 29 March 2016; a scenario of the 28th
    evaluated under the 2015 rulebook says so; one of the 29th does not."""
    notices = {}
    for day in ("2016-03-28", "2016-03-29"):
        args = ["evaluate", "--format", "json", "--rulebook", "2015", str(dated(tmp_path, day))]
        report = json.loads(runner.invoke(main, args).stdout)
        assert report["rulebook_reason"] == "chosen with --rulebook"
        notices[day] = " ".join(report["notices"])
    assert "the 2015 legislation for peace and security was not yet in force" in notices["2016-03-28"]
    assert "not yet in force" not in notices["2016-03-29"]


@pytest.mark.parametrize(
    "command",
    [
        ["evaluate", "scenarios/korea.yaml"],
        ["explain", "scenarios/korea.yaml"],
        ["test", "scenarios/korea.yaml"],
        ["validate", "scenarios/korea.yaml"],
        ["check", "--examples", "5"],
        ["coverage", "scenarios/korea.yaml"],
        ["rules"],
    ],
    ids=lambda c: c[0],
)
def test_rules_and_rulebook_together_are_a_usage_error(runner, command):
    result = runner.invoke(main, [*command, "--rulebook", "2015", "--rules", str(RULES)])
    assert result.exit_code == 2
    assert "--rules and --rulebook cannot be used together" in result.output


@pytest.mark.parametrize("command", ["evaluate", "explain", "test", "validate", "coverage"])
def test_an_unknown_rulebook_is_a_usage_error(runner, command):
    result = runner.invoke(main, [command, "--rulebook", "2051", str(SCENARIOS / "korea.yaml")])
    assert result.exit_code == 2 and "no rulebook '2051'" in result.output


def test_test_runs_the_expectations_of_each_rulebook_or_of_the_one_named(runner):
    """korea.yaml pins both rulebooks: `test` checks both blocks, `test --rulebook 2015` the 2015 block only."""
    both = runner.invoke(main, ["test", "-v", str(SCENARIOS / "korea.yaml")])
    only = runner.invoke(main, ["test", "-v", "--rulebook", "2015", str(SCENARIOS / "korea.yaml")])
    assert both.exit_code == only.exit_code == 0, both.output + only.output
    passed = {out: int(out.rsplit("\n", 2)[-2].split()[0]) for out in (both.output, only.output)}
    assert passed[both.output] > passed[only.output] > 0
    assert "under 1997" not in only.output


def test_test_rulebook_fails_only_on_that_rulebooks_block(runner, tmp_path):
    wrong = tmp_path / "korea.yaml"
    pinned = 'requests: {ammunition: applies, "other:supplies": applies}'
    assert pinned in KOREA
    wrong.write_text(KOREA.replace(pinned, pinned.replace('s": applies', 's": blocked')), encoding="utf-8")
    assert runner.invoke(main, ["test", "--rulebook", "1997", str(wrong)]).exit_code == 0
    failed = runner.invoke(main, ["test", "--rulebook", "2015", str(wrong)])
    assert failed.exit_code == 1 and "expected blocked, got applies" in failed.output


def test_check_without_rulebook_checks_both(runner):
    result = runner.invoke(main, ["check", "--examples", "20", "--seed", "3"])
    assert result.exit_code == 0, result.output
    oks = [line for line in result.stdout.splitlines() if line.startswith("ok: ")]
    assert [line.split("rulebook ")[1].split(",")[0] for line in oks] == ["1997", "2015"]
    only = runner.invoke(main, ["check", "--rulebook", "2015", "--examples", "20", "--seed", "3"])
    assert only.exit_code == 0 and only.stdout.count("ok: ") == 1 and "rulebook 2015" in only.stdout


def test_diff_under_a_forced_rulebook_compares_that_rulebooks_verdicts(runner):
    """korea.yaml is undated (1997 by default), korea_crisis.yaml runs into 2016; `diff --rulebook 2015` evaluates
    both sides under 2015 (every phase), so each side is what `evaluate --rulebook 2015` gives: ammunition for the
    U.S. forces applies under the 2015 law (Law60/2015 Art. 3(1)(i), DoJ15), where 1997 excluded it (Table 1 note
    1)."""
    first, second = str(SCENARIOS / "korea.yaml"), str(SCENARIOS / "korea_crisis.yaml")
    result = runner.invoke(main, ["diff", "--rulebook", "2015", "--format", "json", first, second])
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)["reports"]
    for side, path in (("a", first), ("b", second)):
        evaluated = json.loads(runner.invoke(main, ["evaluate", "--format", "json", "--rulebook", "2015", path]).stdout)
        last = evaluated["phases"][-1] if "phases" in evaluated else evaluated
        assert reports[side]["roles"] == last["roles"]
        assert (reports[side]["rulebook"], reports[side]["rulebook_reason"]) == ("2015", "chosen with --rulebook")
    requests = reports["a"]["roles"]["logistic_support"]["requests"]
    assert next(r["status"] for r in requests if r["item"] == "ammunition") == "applies"
    by_date = json.loads(runner.invoke(main, ["diff", "--format", "json", first, second]).stdout)["reports"]["a"]
    assert by_date["rulebook"] == "1997"
    requests = by_date["roles"]["logistic_support"]["requests"]
    assert next(r["status"] for r in requests if r["item"] == "ammunition") == "blocked"


def test_diff_with_set_under_a_forced_rulebook(runner, tmp_path):
    """Hormuz dated 2010 is evaluated under 1997, where a survival-threatening situation triggers nothing (no
    minesweeping either way); under --rulebook 2015 it triggers minesweeping (SDF Law Art. 76(1)(ii), AAS-Law Art.
    2(iv)), so setting it false changes the minesweeping verdict."""
    text = (SCENARIOS / "hormuz.yaml").read_text(encoding="utf-8").replace("date: 2026-06-01", "date: 2010-06-01")
    path = tmp_path / "hormuz-2010.yaml"
    path.write_text(text[: text.index("expect:")], encoding="utf-8")
    what_if = ["--set", "situation.survival_threatening=false", "--format", "json", str(path)]

    def changed(*options: str) -> set[str]:
        result = runner.invoke(main, ["diff", *options, *what_if])
        assert result.exit_code == 0, result.output
        return {change["role"] for change in json.loads(result.stdout)["changes"]}

    assert "minesweeping" not in changed()
    assert "minesweeping" in changed("--rulebook", "2015")


@pytest.mark.parametrize(
    "second", [[str(SCENARIOS / "korea_crisis.yaml")], ["--set", "situation.ceasefire=formal"]], ids=["file", "set"]
)
def test_diff_refuses_rules_with_rulebook_and_an_unknown_rulebook(runner, second):
    first = str(SCENARIOS / "korea.yaml")
    both = runner.invoke(main, ["diff", "--rulebook", "2015", "--rules", str(RULES), first, *second])
    assert both.exit_code == 2 and "--rules and --rulebook cannot be used together" in both.output
    unknown = runner.invoke(main, ["diff", "--rulebook", "2051", first, *second])
    assert unknown.exit_code == 2 and "no rulebook '2051'" in unknown.output


PORT_SECURITY = """\
role: port_security
title: Port security
seed: Guard the ports U.S. forces use in Japan
beyond_seed: true
basis: ["Law1/2030 Art. 1"]
subject:
  kind: areas
  missing: The scenario names no ports to guard.
triggers:
  - id: important_influence
    text: An important influence situation.
    when: {concept: important_influence_situation}
    basis: ["Law1/2030 Art. 1"]
grounds:
  - id: in_japan
    title: ports in Japan
    text: The port is in Japan, where no combat is going on.
    when: {all: [area.kind: japan, not: {area.combat: ongoing}]}
    basis: ["Law1/2030 Art. 2"]
    procedure:
      decision: Ordered by the Minister of Defense.
      diet_approval: none
      basis: ["Law1/2030 Art. 3"]
limits:
  - id: outside_japan
    reason: The port is not in Japan, or combat is going on there.
    when: {any: [area.kind: {ne: japan}, area.combat: ongoing]}
    basis: ["Law1/2030 Art. 2"]
"""


def test_an_eighth_role_and_a_third_rulebook_from_yaml_alone(runner, tmp_path):
    """A third rulebook is a folder with rulebook.yaml (extends, in_force) and a new role is one file: both are
    evaluated, and `expect:` may pin the new role, with no Python changed."""
    third = tmp_path / "2030"
    (third / "roles").mkdir(parents=True)
    (third / "rulebook.yaml").write_text(
        'rulebook: "2030"\nextends: "2015"\nin_force: 2030-01-01\ntitle: A later rulebook\n'
        "sources:\n  Law1/2030: A later law\n"
    )
    (third / "roles" / "port_security.yaml").write_text(PORT_SECURITY)
    scenario = tmp_path / "ports.yaml"
    scenario.write_text(
        "scenario: Ports\ndate: 2030-06-01\nsituation:\n  important_influence: true\n"
        "areas:\n  - {id: home, kind: japan}\n  - {id: away, kind: foreign}\n"
        'expect:\n  "2030":\n    port_security:\n      status: applies\n      areas: {home: applies, away: blocked}\n'
        "    minesweeping: not_triggered\n"
    )
    result = runner.invoke(main, ["evaluate", "--rules", str(third), "--format", "json", str(scenario)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    shipped = len(load_rulebook(RULES).roles)
    assert report["rulebook"] == "2030" and len(report["roles"]) == shipped + 1
    assert list(report["roles"])[-1] == "port_security"  # after the roles `roles:` orders, by name
    assert report["roles"]["port_security"]["status"] == "applies"
    tested = runner.invoke(main, ["test", "--rules", str(third), str(scenario)])
    assert tested.exit_code == 0, tested.output
    text = runner.invoke(main, ["evaluate", "--rules", str(third), str(scenario)])
    assert text.exit_code == 0 and "Port security" in text.output
    explained = runner.invoke(main, ["explain", "--role", "port_security", "--rules", str(third), str(scenario)])
    assert explained.exit_code == 0 and "PORT SECURITY  applies in 1 of 2 areas" in explained.output
    (third / "roles" / "port_security.yaml").unlink()  # without the role's file, the pin names no role
    failed = runner.invoke(main, ["test", "--rules", str(third), str(scenario)])
    assert failed.exit_code == 1 and "rulebook 2030 has no role 'port_security'" in failed.output


@pytest.mark.parametrize("command", ["validate", "test"])
def test_expect_keyed_by_a_rulebook_that_is_not_shipped_is_located(runner, tmp_path, command):
    """A block of `expect:` keyed by no shipped rulebook is an error at its key, with the nearest id, not a crash."""
    path = tmp_path / "k.yaml"
    path.write_text(
        'scenario: t\nsituation:\n  important_influence: true\nexpect:\n  "1979":\n    minesweeping: applies\n'
    )
    result = runner.invoke(main, [command, str(path)])
    assert result.exit_code == 1
    assert f"error: {path}:5:3: expect.1979: expect is keyed by rulebook '1979', which is no shipped rulebook" in (
        result.output
    )
    assert "did you mean '1997'?" in result.output


def test_rules_sources_shows_what_every_ground_and_limit_rests_on(runner):
    """`rules --sources`: per ground and limit, the kinds of source its basis cites (issue 21, point 6); a rule
    resting on a government answer, a Cabinet decision or a white paper is marked secondary."""
    result = runner.invoke(main, ["rules", "--sources", "--rulebook", "2015", "--format", "json"])
    assert result.exit_code == 0, result.output
    entries = {(e["role"], e["kind"], e["id"]): e for e in json.loads(result.stdout)}
    rulebook = choose(None, rulebook="2015")
    from engine.rulebook.load import load_rulebook

    loaded = load_rulebook(rulebook.directory)
    expected = {(r.id, "ground", g.id) for r in loaded.roles for g in r.grounds}
    expected |= {(r.id, "limit", n.id) for r in loaded.roles for n in r.limits}
    assert set(entries) == expected
    assert all(e["sources"] and "unclassified" not in e["sources"] for e in entries.values())
    inspection = entries[("embargo_inspection", "limit", "combat_expected")]
    assert inspection["sources"] == ["statute", "government_answer"] and inspection["secondary"]
    assert entries[("minesweeping", "limit", "combat_ongoing")]["sources"] == ["government_answer"]
    assert not entries[("search_and_rescue", "limit", "foreign_without_consent")]["secondary"]
    text = runner.invoke(main, ["rules", "--sources"], env={"COLUMNS": "80"}).stdout
    assert "*(i) limit combat_ongoing: government answer" in text
    assert all(len(line) <= 80 for line in text.splitlines())
