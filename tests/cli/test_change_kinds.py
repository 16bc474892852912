"""A change is more than a status: `diff`, the timeline and `compare` list a verdict whose ground, limits or
procedure changed, in every format, and the JSON change entry says which (`kind`, `changed`).

The case is the Senkaku crisis (scenarios/senkaku.yaml). Surveillance over the islands under armed attack, with
fighting there, is part of the defence operation (SDF Law Art. 76(1)(i); G15 IV.C.2), approved by the Diet prior or
after the fact (AAS-Law Art. 9(4)); without the armed attack it is the Ministry's surveys and research over Japanese
territory (Ministry of Defense Establishment Act Art. 4(1)(18)), with no Diet approval. The status is `applies`
either way: before kinds, `diff` printed "No verdict differs".
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import yaml

from engine.cli import main

from ..conftest import SCENARIOS

SENKAKU = str(SCENARIOS / "senkaku.yaml")
NO_ATTACK = "phases.clash.situation.armed_attack_on_japan=false"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _surveillance(changes: list[dict], area: str | None) -> dict:
    return next(c for c in changes if c["role"] == "surveillance" and c["area"] == area)


def _survival(tmp_path: Path) -> str:
    """The crisis with a survival-threatening situation instead of an armed attack, fighting on the high seas too:
    1997 knows no such situation (surveys and research; blocked at sea), 2015 makes it a defence operation whose
    Diet approval is prior without exception (SDF Law Art. 76(1)(ii); the Cabinet decision of 19 Sep 2015)."""
    data = yaml.safe_load(Path(SENKAKU).read_text(encoding="utf-8"))
    clash = data["phases"][1]
    clash["situation"] = {"survival_threatening": True, "important_influence": True}
    clash["areas"][1]["combat"] = "ongoing"
    for phase in data["phases"]:
        del phase["expect"]  # the armed attack's
    path = tmp_path / "survival.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return str(path)


def test_diff_text_lists_the_change_of_ground_and_procedure(runner, at_root):
    result = runner.invoke(main, ["diff", "scenarios/senkaku.yaml", "--set", NO_ATTACK], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "No verdict differs" not in out
    assert "    Senkaku Islands (territorial sea)  applies, other ground and procedure\n" in out
    flat = _flat(out)
    assert "was: Defence operation; Part of the defence operation the Prime Minister orders" in flat
    assert "Diet approval prior, or after the fact now: Surveys and research; Ordered by the Minister" in flat
    assert flat.endswith("no Diet approval")
    assert all(len(line) <= 80 for line in out.splitlines())


def test_diff_json_gives_the_kind_and_each_side_of_what_changed(runner):
    result = runner.invoke(main, ["diff", "--format", "json", SENKAKU, "--set", NO_ATTACK])
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)["changes"]
    assert [(c["role"], c["area"], c["kind"]) for c in changes] == [
        ("surveillance", None, "ground"),
        ("surveillance", "senkaku", "ground"),
    ]
    entry = _surveillance(changes, "senkaku")
    # The existing keys keep their meaning: from/to are the statuses, ground/was_ground the grounds.
    assert (entry["from"], entry["to"]) == ("applies", "applies")
    assert (entry["was_ground"], entry["ground"]) == ("defence_operation", "surveys_and_research")
    assert entry["changed"]["ground"] == {"from": "defence_operation", "to": "surveys_and_research"}
    procedure = entry["changed"]["procedure"]
    assert (procedure["from"]["diet_approval"], procedure["to"]["diet_approval"]) == ("prior_or_after", "none")
    assert "Prime Minister" in procedure["from"]["decisions"][0]
    assert "Minister of Defense" in procedure["to"]["decisions"][0]
    assert set(entry["changed"]) == {"ground", "procedure"}


def test_the_timeline_lists_the_change_of_ground_and_procedure(runner):
    """Text: the clash phase's row, with both sides (a change of ground says what it was); JSON: the change entry."""
    result = runner.invoke(main, ["evaluate", SENKAKU], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    timeline = result.stdout.split("Timeline\n", 1)[1].split("\n\n", 1)[0]
    assert "    Senkaku Islands (territorial sea)  applies, other ground and procedure\n" in timeline
    flat = _flat(timeline)
    assert "was: Surveys and research;" in flat and "now: Defence operation;" in flat
    assert "no Diet approval now:" in flat and flat.endswith("Diet approval prior, or after the fact")
    report = json.loads(runner.invoke(main, ["evaluate", "--format", "json", SENKAKU]).stdout)
    entry = _surveillance(report["changes"], "senkaku")
    assert entry["phase"] == "clash" and entry["kind"] == "ground"
    assert entry["changed"]["ground"] == {"from": "surveys_and_research", "to": "defence_operation"}
    assert entry["changed"]["procedure"]["to"]["diet_approval"] == "prior_or_after"
    assert "East China Sea" not in timeline  # surveys and research on both sides: no change


def test_compare_lists_changes_of_every_kind(runner, tmp_path):
    """1997 against 2015 in a survival-threatening situation: over the islands the same status on another ground
    and procedure; over the fighting at sea a change of status that carries its ground, limits and procedure."""
    path = _survival(tmp_path)
    result = runner.invoke(main, ["compare", path], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "1 verdict changed, in 1 of 7 roles; 2 changed ground or procedure only" in out
    flat = _flat(out)
    assert "changed Senkaku Islands (territorial sea): applies in both, other ground and procedure" in flat
    assert "1997 applies on surveys and research; no Diet approval" in flat
    assert "2015 applies on defence operation; prior Diet approval, without exception" in flat
    changes = json.loads(runner.invoke(main, ["compare", "--format", "json", path]).stdout)["changes"]
    islands, sea = _surveillance(changes, "senkaku"), _surveillance(changes, "east_china_sea")
    assert islands["kind"] == "ground" and islands["changed"]["procedure"]["to"]["diet_approval"] == "prior"
    assert sea["kind"] == "status" and (sea["from"], sea["to"]) == ("blocked", "applies")
    assert sea["changed"]["ground"] == {"from": None, "to": "defence_operation"}
    assert sea["changed"]["limits"] == {"from": ["combat_ongoing_at_sea"], "to": None}
    assert sea["changed"]["procedure"]["from"] is None


def test_compare_across_rulebooks_ignores_the_wording_of_the_same_procedure(runner):
    """Each rulebook words its procedures its own way: across rulebooks, a procedure changes with the Diet's
    approval only, so the Senkaku crisis as written (the same grounds in 1997 and 2015) shows nothing."""
    result = runner.invoke(main, ["compare", "--format", "json", SENKAKU])
    assert json.loads(result.stdout)["changes"] == []


def test_markdown_csv_and_html_show_the_kind(runner, tmp_path):
    markdown = runner.invoke(main, ["diff", "--format", "markdown", SENKAKU, "--set", NO_ATTACK]).stdout
    assert "| Surveillance | Senkaku Islands (territorial sea) | applies | applies, other ground and procedure |" in (
        markdown
    )
    timeline = runner.invoke(main, ["evaluate", "--format", "markdown", SENKAKU]).stdout
    assert "| Senkaku Islands (territorial sea) | applies, other ground and procedure | was: Surveys" in timeline
    rows = list(
        csv.DictReader(
            io.StringIO(runner.invoke(main, ["diff", "--format", "csv", SENKAKU, "--set", NO_ATTACK]).stdout)
        )
    )
    assert [(r["where"], r["kind"], r["ground_from"], r["ground_to"]) for r in rows] == [
        ("overall", "ground", "defence_operation", "surveys_and_research"),
        ("Senkaku Islands (territorial sea)", "ground", "defence_operation", "surveys_and_research"),
    ]
    assert (rows[1]["diet_approval_from"], rows[1]["diet_approval_to"]) == ("prior_or_after", "none")
    page = tmp_path / "r.html"
    runner.invoke(main, ["evaluate", "--format", "html", "-o", str(page), SENKAKU])
    html = page.read_text(encoding="utf-8")
    assert html.count('data-kind="ground"') == 2 and "</b>, other ground and procedure</td>" in html
    page = tmp_path / "c.html"
    runner.invoke(main, ["compare", "--format", "html", "-o", str(page), _survival(tmp_path)])
    html = page.read_text(encoding="utf-8")
    assert html.count('data-phase="clash" data-kind="ground"') == 2  # the change table's rows
    assert html.count('data-phase="clash" data-kind="status"') == 1
    assert "prior Diet approval, without exception" in html


def test_the_same_ground_with_another_procedure_is_a_change_of_procedure(runner):
    """A survival-threatening situation instead of the armed attack: still the defence operation, but its Diet
    approval is prior without exception (SDF Law Art. 76(1)(ii); the Cabinet decision of 19 Sep 2015)."""
    sets = [NO_ATTACK, "--set", "phases.clash.situation.survival_threatening=true"]
    result = runner.invoke(main, ["diff", SENKAKU, "--set", *sets], env={"COLUMNS": "80"})
    assert "    Senkaku Islands (territorial sea)  applies, other procedure\n" in result.stdout
    assert "prior Diet approval, without exception" in _flat(result.stdout)
    changes = json.loads(runner.invoke(main, ["diff", "--format", "json", SENKAKU, "--set", *sets]).stdout)["changes"]
    entry = _surveillance(changes, "senkaku")
    assert entry["kind"] == "procedure" and set(entry["changed"]) == {"procedure"}
    assert entry["ground"] == entry["was_ground"] == "defence_operation"
    assert entry["changed"]["procedure"]["to"]["diet_approval"] == "prior"
