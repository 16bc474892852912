"""A plain install gets what a checkout has: the rulebooks to copy, a schema beside new files, a clear word where
there is nothing to check, and coverage of every rulebook."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from engine.cli import main

from ..conftest import ROLE_IDS, ROOT, SCENARIOS
from ..helpers import unwrapped

KOREA = SCENARIOS / "korea.yaml"  # logistic support: blocked under 1997, applies under 2015


def _roles(runner, *args: str) -> dict[str, str]:
    """Each role's overall status in the JSON report of `evaluate ARGS` (the last phase of a phased file)."""
    result = runner.invoke(main, ["evaluate", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    return {role: verdict["status"] for role, verdict in report["roles"].items()}


# -- rules --export ----------------------------------------------------------------


def test_export_writes_every_rulebook_and_each_evaluates_as_the_shipped_one(runner, tmp_path):
    """Every shipped rulebook folder is copied file for file, and `--rules DIR/<id>` gives the shipped verdicts."""
    target = tmp_path / "r"
    result = runner.invoke(main, ["rules", "--export", str(target)])
    assert result.exit_code == 0, result.output
    assert f"exported rulebooks 1997, 2015 to {target}" in result.output
    assert f"guidelines evaluate --rules {target / '2015'} SCENARIO" in result.output
    shipped = ROOT / "rules"
    for book in ("1997", "2015"):
        files = sorted(p.relative_to(shipped / book) for p in (shipped / book).rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(target / book) for p in (target / book).rglob("*") if p.is_file())
        for name in files:
            assert (target / book / name).read_bytes() == (shipped / book / name).read_bytes()
        exported = _roles(runner, "--rules", str(target / book), str(KOREA))
        assert exported == _roles(runner, "--rulebook", book, str(KOREA))
    assert _roles(runner, "--rules", str(target / "2015"), str(KOREA))["logistic_support"] == "applies"


def test_an_exported_2015_extends_the_exported_1997_beside_it(runner, tmp_path):
    """`extends: "1997"` finds the copy beside it, not the shipped one: an edit to the copied base shows in 2015."""
    target = tmp_path / "r"
    assert runner.invoke(main, ["rules", "--export", str(target)]).exit_code == 0
    assert not (target / "2015" / "roles" / "refugee_acceptance.yaml").read_text().count("\ntitle:")
    role = target / "1997" / "roles" / "refugee_acceptance.yaml"
    text = role.read_text()
    assert "\ntitle: Refugee acceptance\n" in text
    role.write_text(text.replace("\ntitle: Refugee acceptance\n", "\ntitle: Edited in the base\n"))
    shown = runner.invoke(main, ["rules", "--format", "json", "--rules", str(target / "2015")])
    assert shown.exit_code == 0, shown.output
    titles = {r["id"]: r["title"] for r in json.loads(shown.stdout)["roles"]}
    assert titles["refugee_acceptance"] == "Edited in the base"


def test_export_refuses_a_folder_with_anything_in_it_or_a_link(runner, tmp_path):
    """Like `examples`: nothing is written into a folder that holds files, or through a link."""
    full = tmp_path / "full"
    full.mkdir()
    (full / "notes.txt").write_text("keep me")
    result = runner.invoke(main, ["rules", "--export", str(full)])
    assert result.exit_code == 1
    assert f"error: {full} is not empty: export into a new or empty folder" in unwrapped(result.output)
    assert os.listdir(full) == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    link = tmp_path / "link"
    link.symlink_to(empty)
    refused = runner.invoke(main, ["rules", "--export", str(link)])
    assert refused.exit_code == 1 and "is a link" in refused.output
    assert os.listdir(empty) == []
    assert runner.invoke(main, ["rules", "--export", str(empty)]).exit_code == 0  # empty: fine


@pytest.mark.parametrize(
    "extra", [["--rulebook", "2015"], ["--format", "json"], ["--sources"]], ids=["rulebook", "format", "sources"]
)
def test_export_takes_no_option_that_would_be_ignored(runner, tmp_path, extra):
    result = runner.invoke(main, ["rules", "--export", str(tmp_path / "r"), *extra])
    assert result.exit_code == 2
    assert "give it without --rulebook, --rules, --format or --sources" in unwrapped(result.output)
    assert not (tmp_path / "r").exists()


# -- nothing to check ------------------------------------------------------------------


@pytest.mark.parametrize("command", ["test", "coverage", "validate"])
def test_bare_commands_where_there_is_nothing_to_check_say_so_and_point_at_the_examples(
    runner, tmp_path, monkeypatch, command
):
    """Run in an empty folder without PATHS (as after a plain install): a usage error (2) that says there is
    nothing to check and how to get scenarios; no traceback, nothing written."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, [command])
    assert result.exit_code == 2
    out = result.output
    assert "error: nothing to check: there is no scenarios/ folder here, and no files were given." in out
    assert "guidelines examples my-scenarios" in out
    assert "Traceback" not in out and os.listdir(tmp_path) == []


# -- coverage of every rulebook --------------------------------------------------------


def test_coverage_by_default_measures_each_rulebook_over_every_scenario(runner):
    """Without --rulebook, each shipped rulebook gets its own figures over all the scenarios, so the guide's
    "100% under both rulebooks" is what the command prints; --rulebook still measures one."""
    count = len(list(SCENARIOS.rglob("*.yaml")))
    result = runner.invoke(main, ["coverage", "--format", "json", str(SCENARIOS)])
    assert result.exit_code == 0, result.output
    books = [json.loads(line) for line in result.stdout.splitlines()]
    assert [b["rulebook"] for b in books] == ["1997", "2015"]
    for book in books:
        assert book["scenarios"] == count
        assert book["grounds"]["percent"] == book["limits"]["percent"] == 100.0
    text = runner.invoke(main, ["coverage", str(SCENARIOS)], env={"COLUMNS": "80"}).stdout
    flat = " ".join(text.split())
    guide = " ".join((ROOT / "docs" / "writing-scenarios.md").read_text().split())
    assert "`Grounds applied somewhere: 12 of 12 (100%)` for 1997, 14 of 14 for 2015" in guide
    assert f"Rulebook 1997: coverage by {count} scenarios" in flat
    assert f"Rulebook 2015: coverage by {count} scenarios" in flat
    assert "Grounds applied somewhere: 12 of 12 (100%)" in flat
    assert "Grounds applied somewhere: 14 of 14 (100%)" in flat
    one = runner.invoke(main, ["coverage", "--format", "json", "--rulebook", "2015", str(SCENARIOS)])
    assert [json.loads(line)["rulebook"] for line in one.stdout.splitlines()] == ["2015"]


# -- the installed package -------------------------------------------------------------


def _installed(tmp_path: Path) -> Path:
    """engine/ laid out as the wheel installs it: with pyproject.toml's force-include files inside it, and no
    checkout around it."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "engine", site / "engine", ignore=shutil.ignore_patterns("__pycache__"))
    wheel = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["build"]["targets"]["wheel"]
    for source, destination in wheel["force-include"].items():
        copy = shutil.copytree if (ROOT / source).is_dir() else shutil.copyfile
        (site / destination).parent.mkdir(parents=True, exist_ok=True)
        copy(ROOT / source, site / destination)
    return site


def test_an_installed_package_exports_its_rulebooks_and_writes_relative_schema_lines(tmp_path):
    """From an empty folder outside any checkout, with only the installed package's data: the exported 1997 and
    2015 rulebooks each evaluate an example, and `new` points at a schema written beside the file."""
    site = _installed(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "COLUMNS": "80"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "engine", *args], cwd=work, env=env, capture_output=True, text=True, timeout=300
        )

    where = subprocess.run(
        [sys.executable, "-c", "from engine.rulebook.shipped import rules_root; print(rules_root())"],
        cwd=work, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert where.stdout.strip() == str(site / "engine" / "rules")
    for rule_file in (site / "engine" / "rules").rglob("*.yaml"):  # the rule schema is where they point
        first = rule_file.read_text(encoding="utf-8").split("\n", 1)[0]
        assert (rule_file.parent / first.split("$schema=", 1)[1]).is_file(), rule_file
    for step in (["rules", "--export", "r"], ["examples", "mine"], ["new", "drafts/crisis.yaml"]):
        done = run(*step)
        assert done.returncode == 0, done.stderr
    reports = {}
    for book in ("1997", "2015"):
        done = run("evaluate", "--format", "json", "--rules", f"r/{book}", "mine/korea.yaml")
        assert done.returncode == 0, done.stderr
        reports[book] = json.loads(done.stdout)
        assert reports[book]["rulebook"] == book and len(reports[book]["roles"]) == len(ROLE_IDS)
    assert reports["1997"]["roles"]["logistic_support"]["status"] == "blocked"
    assert reports["2015"]["roles"]["logistic_support"]["status"] == "applies"
    first = (work / "drafts" / "crisis.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=scenario.schema.json"
    assert json.loads((work / "drafts" / "scenario.schema.json").read_text())["$schema"].startswith("http://json")
    assert str(site) not in (work / "drafts" / "crisis.yaml").read_text()
    assert sorted(os.listdir(work)) == ["drafts", "mine", "r"]
