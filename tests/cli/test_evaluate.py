"""The `guidelines` command: exit codes, exact output fragments, the JSON Lines contract."""

from __future__ import annotations

import json
import shutil

from engine.cli import main
from engine.rulebook.choice import choose
from engine.rulebook.load import load_rulebook
from engine.scenario.vocab import STATUSES

from ..conftest import ROLE_IDS, RULES, SCENARIOS

STRAIT = str(SCENARIOS / "strait.yaml")
AREA_ROLES = tuple(r.id for r in load_rulebook(RULES).roles if r.subject.per_area)


def test_evaluate_text_report(runner, at_root):
    result = runner.invoke(main, ["evaluate", "scenarios/strait.yaml", "--phase", "fighting"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Taiwan Strait crisis\n")
    assert "strait.yaml · 2009-04-10\nPhase fighting: Fighting in the Strait; mines, rescues, refugees\n" in out
    assert "refugees\nRulebook 1997 (in force on 2009-04-10): Guidelines for" in out
    assert "MINESWEEPING  blocked\n" in out
    assert "  blocked        Taiwan Strait\n" in out
    assert "The mines were laid as part of hostilities and are still active" in out
    assert "  blocked        East China Sea\n" in out
    assert "The mines belong to the conflict still under way" in out
    assert "SEARCH AND RESCUE  applies in 2 of 4 areas\n" in out
    assert "Sakishima Islands (ordinary rescue)" in out
    assert "  applies        civilian airports (use of facilities), civilian ports (use of facilities)," in out
    assert "LOGISTIC SUPPORT  applies in 1 of 3 requests  (beyond the newsletter's list)" in out
    assert "  applies        transport in East China Sea (rear area support)" in out
    assert "Prior Diet approval is needed" in out
    assert "Notices\n  - The Guidelines create no legal obligation" in out


def test_section_iv_notice_in_text(runner):
    result = runner.invoke(main, ["evaluate", str(SCENARIOS / "armed_attack.yaml")])
    assert result.exit_code == 0
    assert "  - Japan is under armed attack: Section IV of the Guidelines governs" in result.output


def test_json_report_meets_the_contract(runner):
    """One JSON object per file, in the given order, with all six roles and every area of area roles."""
    paths = sorted(SCENARIOS.glob("*.yaml"))
    result = runner.invoke(main, ["evaluate", "--format", "json", *map(str, paths)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(paths)
    for path, line in zip(paths, lines, strict=True):
        report = json.loads(line)
        assert report["source"] == str(path)
        assert report["rulebook"] == choose(report.get("date")).id
        # then, on a date before a law of the rulebook came into force, "; Law No. ... not yet in force"
        assert report["rulebook_reason"].startswith(choose(report.get("date")).reason)
        assert isinstance(report["scenario"], str) and isinstance(report["notices"], list)
        assert list(report["roles"]) == list(ROLE_IDS)
        area_ids = {a["id"] for a in __import__("yaml").safe_load(path.read_text()).get("areas", [])}
        for role_id, role in report["roles"].items():
            assert role["status"] in STATUSES
            assert role["basis"] and role["procedure"]
            if role_id in AREA_ROLES:
                assert set(role["areas"]) == area_ids
                entries = list(role["areas"].values())
            else:
                assert "areas" not in role
                entries = role["cases"]
            for entry in entries:
                assert entry["status"] in STATUSES
                if entry["status"] == "blocked":
                    assert entry["reasons"] and entry["basis"], (path.name, role_id, entry)


def test_directory_and_order(runner, tmp_path):
    for name in ("b.yaml", "a.yaml"):
        shutil.copy(SCENARIOS / "korea.yaml", tmp_path / name)
    result = runner.invoke(main, ["evaluate", "--format", "json", str(tmp_path), STRAIT])
    sources = [json.loads(line)["source"] for line in result.stdout.splitlines()]
    assert sources == [str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"), STRAIT]


def test_bad_file_is_reported_and_the_others_evaluated(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: bad\nsituation:\n  important_influence: yes\n")
    result = runner.invoke(main, ["evaluate", "--format", "json", STRAIT, str(bad), STRAIT])
    assert result.exit_code == 1
    first, error, last = (json.loads(line) for line in result.stdout.splitlines())
    assert first["scenario"] == last["scenario"] == "Taiwan Strait crisis"
    assert error["source"] == str(bad)
    assert error["error"]["line"] == 3
    assert error["error"]["field"] == "situation.important_influence"
    assert "expected true or false" in error["error"]["message"]


def test_bad_file_in_text_mode(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: bad\nsituation:\n  important_influence: true\nareas:\n  - {id: a, kind: high_sea}\n")
    result = runner.invoke(main, ["evaluate", STRAIT, str(bad)])
    assert result.exit_code == 1
    assert f"error: {bad}:5:19: areas[0].kind: 'high_sea' is not one of" in result.output
    assert "(did you mean 'high_seas'?)" in result.output
    assert "2 files: 1 evaluated, 1 failed" in result.output
    assert "Taiwan Strait crisis" in result.output


def test_usage_errors_exit_2(runner, tmp_path):
    assert runner.invoke(main, ["evaluate"]).exit_code == 2
    assert runner.invoke(main, ["evaluate", "--format", "xml", STRAIT]).exit_code == 2
    empty = runner.invoke(main, ["evaluate", str(tmp_path)])
    assert empty.exit_code == 2 and "no scenario files" in empty.output


def test_broken_rulebook_exits_1(runner, tmp_path):
    (tmp_path / "rulebook.yaml").write_text("rulebook: x\ntitle: x\nsources: {}\n")
    result = runner.invoke(main, ["evaluate", "--rules", str(tmp_path), STRAIT])
    assert result.exit_code == 1
    assert "rulebook.yaml:3:10: sources:" in result.output


def test_python_dash_m_engine_runs_the_cli():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "engine", "evaluate", STRAIT], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("Taiwan Strait crisis")


def test_a_folder_linked_into_itself_is_not_walked_forever(runner, tmp_path):
    shutil.copy(SCENARIOS / "korea.yaml", tmp_path / "a.yaml")
    (tmp_path / "loop").symlink_to(tmp_path)
    result = runner.invoke(main, ["evaluate", "--format", "json", str(tmp_path)])
    assert result.exit_code == 0 and len([line for line in result.output.splitlines() if line.startswith("{")]) == 1
    assert "a linked folder, not followed" in result.output
