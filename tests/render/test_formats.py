"""The formats people read and paste: the matrix, Markdown, CSV, HTML, and the sources legend."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from engine.batch.work import evaluate_file
from engine.cli import main
from engine.render.csv import COLUMNS, csv_rows, csv_text
from engine.render.html import render_html
from engine.render.legend import Citations
from engine.render.markdown import render_markdown
from engine.render.table import matrix, render_table

from ..conftest import SCENARIOS

FIXTURES = Path(__file__).parent / "fixtures"
SHIPPED = sorted(SCENARIOS.glob("*.yaml"))


# strait.yaml is a crisis in phases: the formats are shown on its fighting phase, the busiest.
PHASE = {"strait": ["--phase", "fighting"]}


def _report(name: str):
    report = evaluate_file(str(SCENARIOS / name)).report
    return report.phase_report("fighting") if name == "strait.yaml" else report


@pytest.mark.parametrize("name", ["strait", "korea", "no_determination"])
def test_table_is_the_recorded_output(runner, name):
    """`--format table` at 80 columns prints exactly the recorded matrix (numbered with a key, or named)."""
    args = ["evaluate", "--format", "table", f"scenarios/{name}.yaml", *PHASE.get(name, [])]
    result = runner.invoke(main, args, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert result.stdout == (FIXTURES / f"table-{name}.txt").read_text(encoding="utf-8")


def test_matrix_cells_are_the_verdicts_of_the_json_report():
    """Every cell of the matrix is the status the JSON report gives that area or request, and nothing else."""
    for path in SHIPPED:
        report = evaluate_file(str(path)).report
        data = report.as_dict()["roles"]
        grid = matrix(report)
        for row in grid.rows:
            role = data[row.role.role.id]
            expected = {a: v["status"] for a, v in role.get("areas", {}).items()}
            requests = [c.key for c in grid.columns if c.key in row.cells and c.kind == "request"]
            assert [row.cells[k] for k in requests] == [r["status"] for r in role.get("requests", [])]
            assert {k: v for k, v in row.cells.items() if not k.startswith("request:")} == expected
            assert row.status == role["status"]


@pytest.mark.parametrize("width", [40, 60, 80, 110])
def test_table_fits_every_width(width):
    """The matrix never runs past the width, however many areas and requests a scenario has."""
    for path in SHIPPED:
        for line in render_table(evaluate_file(str(path)).report, width=width).split("\n"):
            assert len(line) <= width, (path.name, line)


def test_ascii_symbols_when_the_output_is_not_utf8():
    """Without UTF-8, the matrix uses + x . and says so in its legend."""
    text = render_table(_report("strait.yaml"), unicode=False)
    assert "+ applies  x blocked  . not triggered" in text
    assert not set(text) & {"✓", "✗", "·"}


def test_text_report_opens_with_header_and_matrix_and_ends_with_the_sources_cited(runner):
    args = ["evaluate", "scenarios/strait.yaml", *PHASE["strait"]]
    out = runner.invoke(main, args, env={"COLUMNS": "80"}).stdout
    lines = out.split("\n")
    assert lines[:2] == ["Taiwan Strait crisis", "scenarios/strait.yaml · 2009-04-10"]
    assert lines[2] == "Phase fighting: Fighting in the Strait; mines, rescues, refugees"
    assert lines[3].startswith("Rulebook 1997 (in force on 2009-04-10): Guidelines for U.S.-Japan Defense")
    assert lines[6].startswith("role ") and lines[7].startswith("Minesweeping        ✗ blocked")
    assert out.index("MINESWEEPING  blocked") > out.index("✓ applies  ✗ blocked  · not triggered")
    sources = out[out.index("\nSources\n") :]
    tags = [line.split()[0] for line in sources.split("\n")[2:] if line.startswith("  ") and line[2] != " "]
    assert tags == ["G97", "G97-Annex", "Law60/1999", "SDFLaw", "EstLaw", "Gov-1987", "Gov-1991", "Gov-2015"]
    body = out[: out.index("\nSources\n")]
    for tag in tags:  # each tag of the legend was cited above it, and only those
        assert re.search(rf"[\[ ]{re.escape(tag)}[ ,\]]", body), tag
    assert "search_and_rescue" not in body and "logistic_support" not in body  # titles, not ids


def test_ids_and_full_citations_on_request(runner):
    out = runner.invoke(main, ["evaluate", "--ids", "--cite", "full", "scenarios/korea.yaml"]).stdout
    assert "SEARCH AND RESCUE  applies in 1 of 2 areas  search_and_rescue" in out
    assert "Search and rescue (search_and_rescue)" in out  # in the matrix too
    assert "\nSources\n" not in out
    assert "[Law60/1999 Art. 3(1)(iii) (Law No. 60 of 1999 on measures" in " ".join(out.split())


def test_citations_record_only_what_was_cited():
    cites = Citations({"A": "Act A", "B": "Act B", "C": "Act C"})
    assert (
        cites.text(["C Art. 1", "A Art. 2", "unknown 3"])
        == "  [C\u00a0Art.\u00a01, A\u00a0Art.\u00a02, unknown\u00a03]"
    )
    assert cites.legend() == [("A", "Act A"), ("C", "Act C")]


def test_csv_parses_back_one_row_per_role_and_case(runner):
    """Over a directory, one header then a row per scenario x phase x role x case, phased files and files
    without phases in one table (`phase` blank); each phase's rows carry its date and rulebook; a role with no
    case has one row."""
    result = runner.invoke(main, ["evaluate", "--format", "csv", "scenarios/"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.stdout.count("source,scenario,date") == 1
    assert tuple(rows[0]) == COLUMNS
    every = {f"scenarios/{p.relative_to(SCENARIOS)}" for p in SCENARIOS.rglob("*.yaml")}  # history/ too
    assert {r["source"] for r in rows} == every
    phased = 0
    for path in SHIPPED:
        report = evaluate_file(f"scenarios/{path.name}").report.as_dict()
        mine = [r for r in rows if r["source"] == f"scenarios/{path.name}"]
        steps = [(p["id"], p) for p in report["phases"]] if "phases" in report else [("", report)]
        phased += "phases" in report
        assert list(dict.fromkeys(r["phase"] for r in mine)) == [phase for phase, _ in steps]
        for phase, step in steps:
            _csv_rows_are_the_report([r for r in mine if r["phase"] == phase], step, path.name)
    assert phased >= 3  # strait.yaml, korea_crisis.yaml, rescue_interrupted.yaml


def _csv_rows_are_the_report(mine, report, name):
    assert {(r["date"], r["rulebook"]) for r in mine} == {(report.get("date") or "", report["rulebook"])}
    for role_id, role in report["roles"].items():
        role_rows = [r for r in mine if r["role"] == role_id]
        areas = role.get("areas", {})
        requests = role.get("requests", [])
        if "areas" in role:
            cases = len(areas) or 1
        elif "requests" in role:
            cases = len(requests) or 1
        else:
            cases = len(role["cases"]) or 1
        assert len(role_rows) == cases, (name, role_id)
        if areas:
            assert [(r["area"], r["status"]) for r in role_rows] == [(a, v["status"]) for a, v in areas.items()]
        if requests:
            assert [r["status"] for r in role_rows] == [q["status"] for q in requests]
            assert [r["ground"] or None for r in role_rows] == [q["ground"] for q in requests]
        assert all(r["role_status"] == role["status"] for r in role_rows)


def test_csv_row_of_a_role_without_a_case():
    report = _report("sea_lanes_war.yaml")
    assert not report.roles["refugee_acceptance"].cases
    rows = [r for r in csv_rows(report) if r["role"] == "refugee_acceptance"]
    assert len(rows) == 1 and rows[0]["kind"] == "none" and rows[0]["status"] == "not_triggered"
    assert rows[0]["reasons"]
    text = csv_text(rows)
    assert list(csv.DictReader(io.StringIO(text)))[0]["reasons"] == rows[0]["reasons"]


def _markdown_table(text: str) -> list[list[str]]:
    lines = [line for line in text.split("\n") if line.startswith("| ")]
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines]


def test_markdown_table_parses_back_to_the_matrix():
    report = _report("strait.yaml")
    text = render_markdown(report)
    table = _markdown_table(text)
    grid = matrix(report)
    assert table[0] == ["Role", "Overall"] + [c.label for c in grid.columns]
    marks = {"✓": "applies", "✗": "blocked", "·": "not_triggered"}
    for cells, row in zip(table[1:], grid.rows, strict=True):
        assert cells[0] == row.role.role.title
        got = {c.key: marks[cell] for c, cell in zip(grid.columns, cells[2:], strict=True) if cell}
        assert got == row.cells
    assert "\n### Minesweeping: blocked\n" in text and "\n### Sources\n" in text
    assert "- **Blocked** in Taiwan Strait:" in text


def test_markdown_of_a_phased_file_parses_back_to_its_timeline_and_last_matrix():
    """A crisis in phases: the timeline table holds a row for each role whose verdict changed in a phase, with
    the JSON report's two statuses; then the last phase's heading, matrix and reasons."""
    report = evaluate_file(str(SCENARIOS / "strait.yaml")).report
    text = render_markdown(report)
    before, last = text.split("\n### Phase ceasefire, 2009-06-01 (the last of 4): ")
    timeline, glance = before.split("\n### Every phase at a glance\n")  # roles × phases, before the last phase
    assert glance.count("\n| Surveillance |") == 1
    rows = _markdown_table(timeline)
    assert rows[0] == ["Phase", "Date", "Role", "Where", "Change", "Why"]
    assert rows[1][0] == "**tension** (Exercises and missile tests; no determination yet)"
    assert rows[1][5] == "At the start: Surveillance applies; no other role arises."
    words = {"applies": "applies", "blocked": "blocked", "not triggered": "not_triggered", "(none)": None}
    titles = {role_id: role.role.title for role_id, role in report.roles.items()}
    phase, seen = "", set()
    for cells in rows[2:]:
        phase = cells[0].split("**")[1] if cells[0] else phase
        before, after = cells[4].split(" → ")
        seen.add((phase, cells[2], cells[3], words[before], words[after]))
    roll_ups = {
        (c.phase, titles[c.role], "overall", c.before.status if c.before else None, c.after.status)
        for c in report.changes
        if c.is_roll_up and c.after is not None
    }
    assert {row for row in seen if row[2] == "overall"} == roll_ups
    assert ("fighting", "Surveillance", "Taiwan Strait", "applies", "blocked") in seen
    last, decided = last.split("\n### Decisions by phase\n")  # the decisions each phase needs, near the end
    assert "\n#### fighting · 2009\\-04-10 · " in decided and "\n### Sources\n" in decided
    grid = _markdown_table(last)
    marks = {"✓ applies": "applies", "✗ blocked": "blocked", "· not triggered": "not_triggered"}
    assert {cells[0]: marks[cells[1]] for cells in grid[1:]} == {
        role.role.title: role.status for role in report.phases[-1].roles.values()
    }
    assert "\n### Minesweeping: applies\n" in last


def test_table_of_a_phased_file_is_the_timeline_then_the_last_matrix(runner):
    result = runner.invoke(main, ["evaluate", "--format", "table", "scenarios/strait.yaml"], env={"COLUMNS": "80"})
    lines = result.stdout.split("\n")
    assert lines[1] == "scenarios/strait.yaml · 4 phases, 2009-03-02 to 2009-06-01"
    assert lines[5] == "Timeline" and lines[6].startswith("2009-03-02  tension")
    last = lines.index("Phase ceasefire, 2009-06-01 (the last of 4): Formal ceasefire; the abandoned")
    assert lines[last + 1] == "mines are swept"
    assert lines[last + 4].startswith("Minesweeping        ✓ applies        ✓  ✓")
    assert "MINESWEEPING" not in result.stdout  # the matrix alone, no details


def test_markdown_escapes_what_the_scenario_says(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(
        "scenario: 'A | B <script>*x*</script>'\nsituation: {important_influence: true}\n"
        "areas: [{id: a, name: 'pipe | name', kind: high_seas}]\n"
    )
    text = render_markdown(evaluate_file(str(path)).report)
    assert "## A \\| B \\<script\\>\\*x\\*\\</script\\>" in text
    assert _markdown_table(text)[0][2] == "pipe \\| name"


def test_html_escapes_everything_from_the_scenario(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(
        "scenario: '<script>alert(1)</script>'\ndescription: '<img src=x onerror=alert(1)>'\n"
        "situation: {important_influence: true}\nareas: [{id: a, name: '\"><b>bold</b>', kind: high_seas}]\n"
    )
    page = render_html([evaluate_file(str(path)).report])
    assert "<script>" not in page and "<img" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "http://" not in page and "https://" not in page  # nothing from the network


def test_html_page_over_a_directory(runner, tmp_path):
    out = tmp_path / "report.html"
    result = runner.invoke(main, ["evaluate", "--format", "html", "-o", str(out), "scenarios/"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.count('<article class="report">') == len(list(SCENARIOS.rglob("*.yaml")))
    assert page.count("<html") == 1


def test_html_of_a_phased_file_shows_the_whole_file_warnings(tmp_path):
    """A warning about the phases themselves (one dated before the phase before it) is the file's, and the page
    of the file shows it above the timeline."""
    path = tmp_path / "x.yaml"
    path.write_text(
        "scenario: X\nsituation: {important_influence: true}\nareas: [{id: a, name: A, kind: high_seas}]\n"
        "phases:\n  - {id: one, date: 2005-05-01}\n  - {id: two, date: 2005-04-10}\n"
    )
    report = evaluate_file(str(path)).report
    page = render_html([report])
    assert "phases[1] (two).date: this phase is dated 2005-04-10" in page
    assert page.index('class="warnings"') < page.index('class="timeline"')
