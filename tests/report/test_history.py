"""Real cases as scenarios (scenarios/history/): their sources, their record beside the verdicts, and the
summary of a folder of them; the record's keys in the JSON report, added without removing any."""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml

from engine.cli import main

from ..conftest import SCENARIOS

HISTORY = SCENARIOS / "history"
FILES = sorted(HISTORY.glob("*.yaml"))
GULF = str(HISTORY / "gulf_1991.yaml")
KOREA_2017 = str(HISTORY / "korea_2017.yaml")


def _blocks(data: dict) -> list[tuple[str, dict, list[str]]]:
    """(where, record, the source ids it may cite) for the file's record and each phase's, read from the YAML."""
    listed = [source["id"] for source in data.get("sources") or []]
    out = [("record", data.get("record") or {}, listed)]
    for phase in data.get("phases") or []:
        own = [source["id"] for source in phase.get("sources") or []]
        out.append((f"phases.{phase['id']}.record", phase.get("record") or {}, listed + own))
    return out


def test_at_least_six_real_cases_each_with_sources_and_a_record():
    assert len(FILES) >= 6
    for path in FILES:
        data = yaml.safe_load(path.read_text())
        assert data["sources"], path.name
        assert all(source["url"].startswith(("http://", "https://")) for source in data["sources"]), path.name
        assert any(record for _, record, _ in _blocks(data)), path.name
        assert all(phase.get("date") for phase in data["phases"]), f"{path.name}: every phase is dated"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_record_entry_cites_a_source_the_file_lists(path):
    data = yaml.safe_load(path.read_text())
    for where, record, listed in _blocks(data):
        for role, entry in record.items():
            assert entry["source"], f"{path.name}: {where}.{role} cites no source"
            unlisted = [source for source in entry["source"] if source not in listed]
            assert unlisted == [], f"{path.name}: {where}.{role} cites {unlisted}, not in sources:"


def test_every_history_scenario_passes_guidelines_test(runner):
    result = runner.invoke(main, ["test", str(HISTORY)])
    assert result.exit_code == 0, result.output
    assert "0 failed" in result.output


def test_a_record_citing_an_unlisted_source_is_an_error_with_its_line(runner, tmp_path):
    text = (HISTORY / "gulf_1991.yaml").read_text().replace("source: [GS91, Q120-26, NZ, TF]", "source: [GS91, GS19]")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    line = text.splitlines().index("        source: [GS91, GS19]") + 1
    assert f"bad.yaml:{line}:" in result.output
    assert "phases[0] (decision).record.minesweeping.source[1]: cites source 'GS19'" in result.output
    assert "(did you mean 'GS91'?)" in result.output


def test_the_json_report_carries_sources_and_record_beside_every_key_it_had(runner):
    result = runner.invoke(main, ["evaluate", "--format", "json", KOREA_2017])
    report = json.loads(result.stdout)
    plain = json.loads(runner.invoke(main, ["evaluate", "--format", "json", str(SCENARIOS / "strait.yaml")]).stdout)
    assert set(plain) <= set(report)  # nothing removed
    assert "record" not in plain and "sources" not in plain  # a file without them reports as before
    assert report["sources"][0] == {
        "id": "RT17",
        "cite": "Reuters, 14 Apr 2017",
        "url": "http://uk.reuters.com/article/northkorea-usa-japan-idUKL3N1HM1QI",
    }
    may17 = next(phase for phase in report["phases"] if phase["id"] == "may17")
    refuelling = may17["record"]["logistic_support"]
    assert (refuelling["status"], refuelling["verdict"], refuelling["agreement"]) == (
        "applies",
        "not_triggered",
        "differs",
    )
    assert refuelling["source"][:3] == ["SK17", "CN17", "AS18"] and "Art. 100-6" in refuelling["note"]
    assert may17["record_summary"] == {"agrees": 0, "differs": 1, "silent": 6}
    assert report["record_summary"] == {"agrees": 4, "differs": 1, "silent": 16}
    # the top-level record is the last phase's, as the top-level roles are
    assert report["record"]["surveillance"]["areas"] == {"east_china_sea": {"status": "applies", "verdict": "applies"}}


def test_an_area_the_record_sees_otherwise_makes_the_role_differ(runner):
    report = json.loads(runner.invoke(main, ["evaluate", "--format", "json", GULF]).stdout)
    sweep = report["record"]["minesweeping"]
    # abandoned mines need no determination (SDF Law Art. 84-2): the roll-up agrees with the record ...
    assert (sweep["status"], sweep["verdict"]) == ("applies", "applies")
    # ... but Iran's and Iraq's consent is not in the sources, so their seas are blocked where Japan swept
    assert sweep["areas"] == {
        "gulf_high_seas": {"status": "applies", "verdict": "applies"},
        "iran_ts": {"status": "applies", "verdict": "blocked"},
        "iraq_ts": {"status": "applies", "verdict": "blocked"},
    }
    assert sweep["agreement"] == "differs"


def test_a_role_the_record_names_without_a_status_is_silent(runner):
    report = json.loads(runner.invoke(main, ["evaluate", "--format", "json", str(HISTORY / "korea_1994.yaml")]).stdout)
    feb94 = report["phases"][0]["record"]
    assert feb94["minesweeping"]["status"] is None and feb94["minesweeping"]["agreement"] == "silent"
    assert feb94["embargo_inspection"]["agreement"] == "differs"


def test_the_text_report_sets_the_record_beside_the_verdict_within_80_columns(runner, at_root):
    result = runner.invoke(main, ["evaluate", "scenarios/history/korea_2017.yaml"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    start = lines.index("Verdicts and the record")
    assert lines[start + 1] == "4 agree, 1 differs, 16 silent (each role of each phase is one verdict)"
    assert "  Logistic support    not triggered   applies         ≠ differs" in lines
    assert any(line.startswith("    - Why they differ: A measure outside the roles") for line in lines)
    assert "Sources of the scenario" in lines
    assert max(len(line) for line in lines) <= 80


def test_a_folder_of_cases_ends_with_one_line_per_file(runner, at_root):
    result = runner.invoke(main, ["evaluate", "--format", "table", str(HISTORY.relative_to(at_root))])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    tail = lines[lines.index("Verdicts against the record") + 1 :]
    assert len(tail) == len(FILES)
    assert [line.split()[0].rsplit("/", 1)[-1] for line in tail] == [path.name for path in FILES]
    korea = next(line for line in tail if "korea_2017.yaml" in line)
    assert korea.split()[1:] == "4 agree, 1 differs, 16 silent".split()
    assert len({line.index(" agree") - len(line.split()[1]) for line in tail}) == 1  # the counts in one column


def test_a_folder_of_files_without_a_record_gets_no_record_summary(runner):
    result = runner.invoke(
        main, ["evaluate", "--format", "table", str(SCENARIOS / "strait.yaml"), str(SCENARIOS / "korea.yaml")]
    )
    assert "Verdicts against the record" not in result.stdout


def test_markdown_csv_and_html_carry_the_record_and_link_the_sources(runner, tmp_path):
    markdown = runner.invoke(main, ["evaluate", "--format", "markdown", GULF]).stdout
    assert "## Verdicts and the record" in markdown
    assert "| Minesweeping | applies | applies | differs |" in markdown
    assert "- **GS91**: [Government statement, 24 Apr 1991 (Diplomatic Bluebook No. 35)](<http://" in markdown
    rows = list(csv.DictReader(io.StringIO(runner.invoke(main, ["evaluate", "--format", "csv", GULF]).stdout)))
    record = [row for row in rows if row["kind"] == "record"]
    assert [(r["role"], r["status"], r["role_status"], r["ground"]) for r in record] == [
        ("minesweeping", "applies", record[0]["role_status"], record[0]["ground"])
    ]
    assert [row["item"] for row in rows if row["kind"] == "source"] == [
        "GS91",
        "Q120-26",
        "Q121-1",
        "Q109-12",
        "NZ",
        "TF",
    ]
    page = tmp_path / "gulf.html"
    assert runner.invoke(main, ["evaluate", "--format", "html", "-o", str(page), GULF]).exit_code == 0
    html = page.read_text()
    assert '<a href="https://www.sangiin.go.jp/japanese/joho1/kousei/syuisyo/120/touh/t120026.htm">' in html
    assert '<tr class="differs">' in html


def test_the_guide_shows_the_summary_the_folder_gives(runner, monkeypatch):
    """docs/history.md quotes the last lines of `guidelines evaluate scenarios/history/` at 80 columns."""
    from ..conftest import ROOT

    monkeypatch.chdir(ROOT)
    lines = runner.invoke(main, ["evaluate", "scenarios/history/"], env={"COLUMNS": "80"}).stdout.splitlines()
    tail = lines[lines.index("Verdicts against the record") :]
    guide = (ROOT / "docs" / "history.md").read_text()
    assert "```text\n" + "\n".join(tail) + "\n```" in guide


def test_a_record_naming_an_area_its_phase_lacks_is_an_error(runner, tmp_path):
    text = (HISTORY / "gulf_1991.yaml").read_text().replace("iraq_ts: applies}", "iraq_tss: applies}")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "phases[0] (decision).record.minesweeping.areas.iraq_tss: no area with id 'iraq_tss'" in result.output
    assert "(did you mean 'iraq_ts'?)" in result.output


def test_a_record_naming_no_role_of_the_rulebook_is_an_error(runner, tmp_path):
    text = (
        (HISTORY / "korea_2017.yaml")
        .read_text()
        .replace("      refugee_acceptance:\n", "      refugee_acceptanse:\n", 1)
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    line = text.splitlines().index("      refugee_acceptanse:") + 1
    assert (
        f"bad.yaml:{line}:7: phases[0] (apr17).record.refugee_acceptanse: no role 'refugee_acceptanse'" in result.output
    )
    assert "(did you mean 'refugee_acceptance'?)" in result.output
