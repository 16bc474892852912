"""`guidelines examples` copies the shipped scenarios safely; `guidelines coverage` measures them."""

from __future__ import annotations

import json
import os

import pytest

from engine.cli import main

from ..conftest import SCENARIOS


def test_examples_copies_every_shipped_scenario_with_a_schema_beside_them(runner, tmp_path):
    target = tmp_path / "mine"
    result = runner.invoke(main, ["examples", str(target)])
    assert result.exit_code == 0, result.output
    shipped = sorted(p.name for p in SCENARIOS.glob("*.yaml"))
    assert sorted(p.name for p in target.glob("*.yaml")) == shipped
    assert (target / "scenario.schema.json").is_file()
    strait = (target / "strait.yaml").read_text(encoding="utf-8")
    assert strait.startswith("# yaml-language-server: $schema=scenario.schema.json\n")
    assert f"guidelines evaluate {target / 'strait.yaml'}" in result.stdout
    tested = runner.invoke(main, ["test", str(target)])
    assert tested.exit_code == 0 and " 0 failed" in tested.output


def test_examples_refuses_to_overwrite_and_never_writes_through_a_link(runner, tmp_path):
    """Existing files stay unless --force; with --force a link is replaced by a file, its target untouched."""
    target = tmp_path / "mine"
    target.mkdir()
    outside = tmp_path / "outside.yaml"
    outside.write_text("keep me")
    os.symlink(outside, target / "strait.yaml")
    result = runner.invoke(main, ["examples", str(target)])
    assert result.exit_code == 1 and "use --force" in result.output
    assert sorted(os.listdir(target)) == ["strait.yaml"]  # nothing written
    assert runner.invoke(main, ["examples", "--force", str(target)]).exit_code == 0
    assert outside.read_text() == "keep me" and not (target / "strait.yaml").is_symlink()
    link = tmp_path / "link"
    os.symlink(target, link)
    refused = runner.invoke(main, ["examples", str(link)])
    assert refused.exit_code == 1 and "is a link" in refused.output


@pytest.mark.parametrize(("rulebook", "grounds", "limits"), [("1997", 12, 28), ("2015", 14, 20)])
def test_coverage_of_the_shipped_scenarios_is_complete_for_grounds_and_limits(runner, rulebook, grounds, limits):
    """Every ground applies and every limit blocks somewhere in the shipped scenarios, under each rulebook (the
    README's promise)."""
    result = runner.invoke(main, ["coverage", "--format", "json", "--rulebook", rulebook, str(SCENARIOS)])
    assert result.exit_code == 0, result.output
    books = [json.loads(line) for line in result.stdout.splitlines()]
    assert [b["rulebook"] for b in books] == [rulebook]
    for book in books:
        assert book["scenarios"] == len(list(SCENARIOS.rglob("*.yaml")))
        assert book["grounds"]["percent"] == 100.0 and book["grounds"]["total"] == grounds
        assert book["limits"]["percent"] == 100.0 and book["limits"]["total"] == limits
        items = [i for role in book["roles"].values() for i in role["rule_items"]]
        assert {i["kind"] for i in items} >= {"trigger", "ground", "limit", "variant", "notice"}
        assert all(i["file"] and i["line"] for i in items if i["kind"] in ("ground", "limit", "trigger"))


def test_coverage_names_what_a_scenario_leaves_unexercised(runner):
    result = runner.invoke(main, ["coverage", str(SCENARIOS / "korea.yaml")], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "Rulebook 1997: coverage by 1 scenario" in out
    assert "minesweeping ground abandoned_mines: never applied, never held" in out
    assert "rules/1997/roles/minesweeping.yaml:" in out


def test_explain_speaks_in_sentences_and_keeps_the_trace_behind_a_flag(runner):
    args = ["explain", str(SCENARIOS / "strait.yaml"), "--phase", "fighting", "--role", "minesweeping"]
    plain = runner.invoke(main, args, env={"COLUMNS": "80"}).stdout
    flat = " ".join(plain.split())
    assert "The active mines in Taiwan Strait: blocked" in flat
    assert "None of these holds: the mines belong to a past conflict (here: the current conflict)" in flat
    assert "Instead: the mines are still active" in flat
    assert "What blocks it:" in flat
    for technical in ("events[0]", "concept section_v_engaged", "area.kind is one of", "situation."):
        assert technical not in plain
    trace = runner.invoke(main, [*args, "--trace"]).stdout
    assert "events[0] active mines in Taiwan Strait: blocked" in trace and "area.kind = high_seas" in trace


def test_explain_names_the_limb_of_a_concept_that_held(runner):
    """A concept met on one limb of its `any` says which (issue 21, point 8): "rear area: the area is Japanese
    territory", not the whole definition of a rear area (Law60/1999 Art. 3(1)(iii))."""
    args = ["explain", str(SCENARIOS / "japan_under_fire.yaml"), "--role", "logistic_support"]
    flat = " ".join(runner.invoke(main, args, env={"COLUMNS": "80"}).stdout.split())
    assert "; rear area: the area is Japanese territory;" in flat  # one of the facts that were met
    assert "Met: the area is a rear area: Japanese territory, whatever its combat status" not in flat


def test_coverage_progress_counts_files_done_not_files_begun(runner, monkeypatch, tmp_path):
    """The bar says how many files are done: it moves once a file is measured (or failed), never before."""
    from engine.cli import console
    from engine.scenario import loader

    (tmp_path / "a.yaml").write_text((SCENARIOS / "korea.yaml").read_text())
    (tmp_path / "b.yaml").write_text("id: [broken\n")
    (tmp_path / "c.yaml").write_text((SCENARIOS / "korea.yaml").read_text())
    begun: list[str] = []
    real_load = loader.load
    monkeypatch.setattr(loader, "load", lambda path, *a, **k: begun.append(path) or real_load(path, *a, **k))
    seen: list[tuple[int, int]] = []  # (files begun, bar's count) at each move of the bar
    real_update = console.Progress.update

    def update(bar, *args, **kwargs):
        real_update(bar, *args, **kwargs)
        seen.append((len(begun), bar.done))

    monkeypatch.setattr(console.Progress, "update", update)
    result = runner.invoke(main, ["coverage", "--rulebook", "1997", str(tmp_path)], env={"COLUMNS": "80"})
    assert result.exit_code == 1  # b.yaml does not load
    assert seen == [(1, 1), (2, 2), (3, 3)]
