"""`guidelines compare`: one scenario under 1997 and 2015, side by side, in every format of `evaluate`."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from engine.cli import main

from ..conftest import ROLE_IDS, SCENARIOS

STRAIT = str(SCENARIOS / "strait.yaml")
KOREA = str(SCENARIOS / "korea.yaml")


def test_strait_shows_both_rulebooks_and_the_changes_with_reasons(runner):
    """Law60/1999 Table 1 notes 1 and 6 against DoJ15/DoJ16: ammunition and fuel for combat sorties, refused in
    1997, given in 2015; each change carries the limit of 1997 and the ground of 2015 with their basis. The crisis
    is compared phase by phase: the change is in the fighting, the other phases read "no verdict changed"."""
    result = runner.invoke(main, ["compare", STRAIT], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "rulebook 1997 (in force on each phase's date)\nrulebook 2015 (compared with 1997)\n" in out
    assert f"2 verdicts changed, in 1 of {len(ROLE_IDS)} roles; 10 changed ground or procedure only" in out
    phases = out.split("\n\n2009-")[1:]
    assert [p.split("  ")[1] for p in phases] == ["tension", "blockade", "fighting", "ceasefire"]
    assert [("no verdict changed" in p) for p in phases] == [True, False, False, False]
    # The Strait's rescue stays blocked, by the scene-of-combat limit instead of the rear area's (Law60/2015
    # Art. 2(3) against Law60/1999 Art. 3(1)(iii)): a change of kind ground.
    assert "  changed        Taiwan Strait: blocked in both, other limits\n" in out
    assert "  changed        ammunition: blocked in 1997, applies in 2015\n" in out
    assert "  changed        refuel combat sortie: blocked in 1997, applies in 2015\n" in out
    flat = " ".join(out.split())
    assert "excludes weapons, ammunition included" in flat and "[Law60/1999 Table 1 note 1" in flat
    assert "2015  applies on logistics support activities" in out
    assert "LOGISTIC SUPPORT  applies in both" in out and "MINESWEEPING" not in out
    assert "same Minesweeping (applies); Search and rescue (not triggered);" in flat


def test_compare_json_meets_the_contract_for_both_reports(runner):
    """One object per file: {"source", "reports": {"1997", "2015"}, "changes"}; each report is `evaluate`'s under
    that rulebook (its reason aside), and the changes are every verdict that differs and nothing else."""
    result = runner.invoke(main, ["compare", "--format", "json", STRAIT, KOREA])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [c["source"] for c in lines] == [STRAIT, KOREA]
    for compared in lines:
        assert set(compared) == {"source", "reports", "changes"} and list(compared["reports"]) == ["1997", "2015"]
        for rulebook, report in compared["reports"].items():
            alone = runner.invoke(main, ["evaluate", "--format", "json", "--rulebook", rulebook, compared["source"]])
            expected = json.loads(alone.stdout)
            assert report["rulebook"] == rulebook and list(report["roles"]) == list(ROLE_IDS)
            assert _without_reasons(report) == _without_reasons(expected)
        for change in compared["changes"]:
            assert {"role", "area", "request", "from", "to", "because", "was", "kind", "changed"} <= set(change)
            assert (change["from"] != change["to"]) == (change["kind"] == "status")
            assert change["kind"] == "status" or change["changed"]
    strait = lines[0]
    assert [p["rulebook_reason"] for p in strait["reports"]["1997"]["phases"]] == [
        "in force on 2009-03-02", "in force on 2009-03-20", "in force on 2009-04-10", "in force on 2009-06-01",
    ]  # fmt: skip
    assert {p["rulebook_reason"] for p in strait["reports"]["2015"]["phases"]} == {"compared with 1997"}
    items = [
        (c["phase"], c["role"], c["request"]["item"])
        for c in strait["changes"]
        if c["request"] and c["kind"] == "status"
    ]
    assert items == [
        ("fighting", "logistic_support", "ammunition"),
        ("fighting", "logistic_support", "refuel_combat_sortie"),
    ]


def _without_reasons(report):
    """A report with why its rulebook was used left out (its phases' too): `compare` says "compared with"."""
    out = {**report, "rulebook_reason": None}
    if "phases" in report:
        out["phases"] = [{**phase, "rulebook_reason": None} for phase in report["phases"]]
    return out


def test_table_sets_both_rulebooks_side_by_side_within_80_columns(runner, at_root):
    result = runner.invoke(main, ["compare", "--format", "table", "scenarios/korea.yaml"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    head = next(line for line in lines if line.startswith("role"))
    assert head.split()[:3] == ["role", "1997", "2015"]
    logistic = next(line for line in lines if line.startswith("Logistic support"))
    assert logistic.split() == ["Logistic", "support", "✗", "✓", "✗→✓", "✗→✓"]
    rescue = next(line for line in lines if line.startswith("Search and rescue"))
    assert "→" not in rescue  # unchanged cells show one mark
    assert "✗→✓ changed from 1997 to 2015" in result.stdout


def test_csv_has_one_row_per_rulebook_role_and_case(runner):
    result = runner.invoke(main, ["compare", "--format", "csv", STRAIT, KOREA])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.stdout.count("source,scenario,") == 1  # one header
    for path in (STRAIT, KOREA):
        for rulebook in ("1997", "2015"):
            alone = runner.invoke(main, ["evaluate", "--format", "csv", "--rulebook", rulebook, path]).stdout
            expected = list(csv.DictReader(io.StringIO(alone)))
            got = [r for r in rows if r["source"] == path and r["rulebook"] == rulebook]
            assert got == expected and got


def test_markdown_lists_what_changed_with_reasons(runner):
    result = runner.invoke(main, ["compare", "--format", "markdown", KOREA])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("## Korean peninsula contingency\n")
    assert "| Role | 1997 | 2015 |" in out and "| **✗→✓** | **✗→✓** |" in out
    assert "- **supplies (other forces)**: blocked in 1997, applies in 2015" in out
    assert "  - 2015: applies on logistics support activities" in out


def test_html_page_holds_both_reports(runner, tmp_path):
    page = tmp_path / "compare.html"
    result = runner.invoke(main, ["compare", "--format", "html", "-o", str(page), KOREA, STRAIT])
    assert result.exit_code == 0, result.output
    html = page.read_text()
    assert html.count('class="pair"') == 2 and html.count('<article class="report">') == 6
    assert html.count('class="changes"') == 2
    # strait.yaml has phases: each change names its phase, as the JSON does
    compared = json.loads(runner.invoke(main, ["compare", "--format", "json", STRAIT]).stdout)
    phases = re.findall(r'<tr data-change="[a-z_]*-[a-z_]*" data-phase="([a-z_]*)"', html)
    assert phases == [change["phase"] for change in compared["changes"]]
    assert [c["phase"] for c in compared["changes"] if c["kind"] == "status"] == ["fighting", "fighting"]


def test_a_directory_gives_the_summary_table(runner):
    """Per role, how many files and verdicts changed; exit 0 whatever changed."""
    result = runner.invoke(main, ["compare", str(SCENARIOS)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"1997 and 2015 compared: {len(list(SCENARIOS.rglob('*.yaml')))} files" in out
    assert "scenarios/weapons_request.yaml: no verdict changed" in out
    row = next(line.split() for line in out.splitlines() if line.startswith("  logistic_support "))
    assert int(row[1]) >= 3 and int(row[2]) >= 6
    markdown = runner.invoke(main, ["compare", "--format", "markdown", str(SCENARIOS)]).stdout
    assert "| Role | Files | Verdicts changed |" in markdown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rulebook", "1997"], "give --rulebook twice"),
        (["--rulebook", "1997", "--rulebook", "1997"], "give --rulebook twice"),
        (["--rulebook", "1997", "--rulebook", "1979"], "no rulebook '1979'"),
    ],
)
def test_rulebooks_compared_are_two_known_ones(runner, args, message):
    result = runner.invoke(main, ["compare", *args, KOREA])
    assert result.exit_code == 2 and message in result.output


def test_the_order_of_the_rulebooks_is_the_order_given(runner):
    result = runner.invoke(main, ["compare", "--format", "json", "--rulebook", "2015", "--rulebook", "1997", KOREA])
    compared = json.loads(result.stdout)
    assert list(compared["reports"]) == ["2015", "1997"]
    assert all(c["from"] == "applies" and c["to"] == "blocked" for c in compared["changes"] if c["kind"] == "status")
    assert compared["reports"]["1997"]["rulebook_reason"] == "chosen with --rulebook"


def test_cite_full_gives_each_sources_title(runner):
    short = runner.invoke(main, ["compare", KOREA]).stdout
    full = runner.invoke(main, ["compare", "--cite", "full", KOREA]).stdout
    assert "Law No. 60 of 1999" not in short.replace("\n", " ")
    assert "Law No. 60 of 1999" in " ".join(full.split())
    markdown = runner.invoke(main, ["compare", "--format", "markdown", "--cite", "full", KOREA]).stdout
    assert "Law No. 60 of 1999" in markdown


def test_standard_input_and_a_missing_file(runner):
    """`-` reads one scenario; a path that does not exist is an error object in its place, and exits 1."""
    text = (SCENARIOS / "korea.yaml").read_text(encoding="utf-8")
    result = runner.invoke(main, ["compare", "--format", "json", "-", "nothere.yaml"], input=text)
    assert result.exit_code == 1
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["source"] == "<stdin>" and len([c for c in first["changes"] if c["kind"] == "status"]) == 3
    assert second["source"] == "nothere.yaml" and "No such file" in second["error"]["message"]
