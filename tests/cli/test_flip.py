"""`guidelines flip` on the command line: exit codes, exact output fragments, and flips that --set reproduces."""

from __future__ import annotations

import json

import pytest

from engine.cli import main
from engine.render.flips import flip_text
from engine.scenario import load
from engine.util.text import width_of
from engine.verify.flip import Options, flip_report

from ..conftest import SCENARIOS

STRAIT = str(SCENARIOS / "strait.yaml")
HORMUZ = str(SCENARIOS / "hormuz.yaml")


def test_flip_names_the_ceasefire_that_opens_minesweeping(runner):
    """The issue's question: what would have to change for minesweeping to go ahead in the East China Sea."""
    result = runner.invoke(
        main, ["flip", STRAIT, "--phase", "fighting", "--role", "minesweeping"], env={"COLUMNS": "80"}
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == ["Taiwan Strait crisis: what would change each verdict", STRAIT]
    at = lines.index("  East China Sea: blocked")
    assert "    applies on abandoned mines if: phases.fighting.situation.ceasefire = formal" in lines[at:]
    assert lines[at + 1 : at + 3] == [
        "    applies on self-defence if:",
        "      phases.fighting.situation.armed_attack_on_japan = true",
    ]
    # the areas without mines were searched too, and nothing flips them
    assert lines[-2:] == [
        "  Waters off Taiwan (territorial sea), Sakishima Islands, Okinawa: not",
        "  triggered; no change of one or two facts changes it",
    ]


def test_flip_json_is_one_line_per_file(runner):
    result = runner.invoke(main, ["flip", "--format", "json", HORMUZ, "--role", "minesweeping"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert set(body) == {"scenario", "source", "cases"}
    first = body["cases"][0]
    assert first == {
        "role": "minesweeping",
        "where": "hormuz_strait",
        "status": "applies",
        "flips": [
            {"set": {"areas.hormuz_strait.combat": "ongoing"}, "to": "blocked", "limits": ["combat_ongoing"]},
            {"set": {"areas.hormuz_strait.consent": False}, "to": "blocked", "limits": ["foreign_without_consent"]},
            {"set": {"situation.survival_threatening": False}, "to": "not_triggered"},
        ],
    }


def test_each_flip_of_a_phase_is_what_evaluate_with_set_says(runner):
    """Every flip of the Strait's fighting, passed to `evaluate --set`, gives the status and ground it states."""
    result = runner.invoke(main, ["flip", "--format", "json", STRAIT, "--phase", "fighting"])
    cases = json.loads(result.stdout)["cases"]
    pairs = [flip for case in cases for flip in case["flips"] if len(flip["set"]) == 2]
    assert pairs, "the fighting has cases only two changes flip"
    for case in cases:
        for flip in case["flips"]:
            args = ["evaluate", "--format", "json", STRAIT, "--phase", "fighting"]
            for path, value in flip["set"].items():
                args += ["--set", f"{path}={json.dumps(value) if isinstance(value, bool) else value}"]
            role = json.loads(runner.invoke(main, args).stdout)["roles"][case["role"]]
            where = role["areas"][case["where"]] if case["where"] in (role.get("areas") or {}) else None
            if where is None and case["where"] is not None:
                where = next(r for r in role["requests"] if case["where"] in (r["item"], f"{r['item']}@{r['area']}"))
            now = where or role
            assert now["status"] == flip["to"], (case, flip)
            assert now.get("ground") == flip.get("ground", now.get("ground"))
            assert now.get("limits") == flip.get("limits", now.get("limits"))


def test_markdown_is_a_table_of_flips(runner):
    result = runner.invoke(main, ["flip", "--format", "markdown", HORMUZ, "--area", "iranian_waters"])
    assert result.exit_code == 0, result.output
    assert "| Role | Where | Status | Would become | If |" in result.stdout
    assert (
        "| Minesweeping | Iranian territorial sea | blocked | applies on self-defence in a survival-threatening"
        " situation | `areas.iranian_waters.kind=japan` |"
    ) in result.stdout


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_scenario_fits_80_columns(path):
    """Every case of every shipped scenario is searched, and the text fits 80 columns."""
    loaded = load(path)
    report = flip_report(loaded.document.data, loaded.data, source=f"scenarios/{path.name}", options=Options())
    assert report.cases
    assert max(width_of(line) for line in flip_text(report, width=80).splitlines()) <= 80


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--area", "nowhere"], 2, "no area 'nowhere'; the areas are hormuz_strait, gulf_of_oman, iranian_waters"),
        (["--phase", "fighting"], 2, "the file has no phases, so --phase fighting names none"),
        (["--role", "minesweping"], 2, "minesweeping"),
    ],
    ids=["unknown area", "no phases", "unknown role"],
)
def test_usage_errors(runner, args, code, message):
    result = runner.invoke(main, ["flip", HORMUZ, *args])
    assert result.exit_code == code
    assert message in " ".join(result.output.split())


def test_a_file_that_does_not_load_names_its_line(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: x\nsituation:\n  important_influence: maybe\n")
    result = runner.invoke(main, ["flip", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:3:" in result.output and "situation.important_influence" in result.output
    assert "Traceback" not in result.output


def test_evaluate_flip_follows_the_report(runner):
    result = runner.invoke(main, ["evaluate", HORMUZ, "--flip"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("MINESWEEPING") < out.index("Mines in the Strait of Hormuz: what would change each verdict")
    assert "    blocked by combat ongoing if: areas.hormuz_strait.combat = ongoing\n" in out


def test_evaluate_flip_json_carries_the_cases_under_flips(runner):
    plain = json.loads(runner.invoke(main, ["evaluate", "--format", "json", HORMUZ]).stdout)
    flipped = json.loads(runner.invoke(main, ["evaluate", "--format", "json", HORMUZ, "--flip"]).stdout)
    flips = flipped.pop("flips")
    assert flipped == plain  # the report's own keys keep their meaning
    searched = json.loads(runner.invoke(main, ["flip", "--format", "json", HORMUZ]).stdout)["cases"]
    assert flips == searched


def test_evaluate_flip_is_a_section_of_the_html_report(runner, tmp_path):
    page = tmp_path / "report.html"
    result = runner.invoke(main, ["evaluate", "--format", "html", "-o", str(page), HORMUZ, "--flip"])
    assert result.exit_code == 0, result.output
    html = page.read_text()
    assert "<h2>What would change it</h2>" in html
    assert "<code>areas.iranian_waters.consent=true</code>" in html
    assert "What would change it" not in runner.invoke(main, ["evaluate", "--format", "html", HORMUZ]).stdout


def test_evaluate_flip_is_refused_in_a_table(runner):
    result = runner.invoke(main, ["evaluate", "--format", "csv", HORMUZ, "--flip"])
    assert result.exit_code == 2
    assert "--flip shows in text, Markdown, HTML and JSON, not in --format csv" in result.output


def test_explain_flip_follows_the_explanation_of_the_phase(runner):
    args = ["explain", STRAIT, "--phase", "fighting", "--role", "minesweeping", "--flip"]
    out = runner.invoke(main, args, env={"COLUMNS": "80"}).stdout
    assert out.index("Sources") < out.index("Taiwan Strait crisis: what would change each verdict")
    assert "    applies on abandoned mines if: phases.fighting.situation.ceasefire = formal\n" in out
    assert "Phase ceasefire" not in out and "Search and rescue\n" not in out.split("what would change")[1]


def test_a_change_that_contradicts_a_fact_comes_with_the_change_that_resolves_it(runner):
    """A neighbour's sea made Japanese would leave its `adjacent_to` contradicting its kind (a warning): the
    kind alone is not offered, the kind with the neighbour cleared is."""
    path = str(SCENARIOS / "adjacent_rescue.yaml")
    args = ["flip", "--format", "json", path, "--role", "surveillance", "--area", "closed_sea_d"]
    (case,) = json.loads(runner.invoke(main, args).stdout)["cases"]
    assert case["status"] == "blocked"
    assert {"set": {"areas.closed_sea_d.kind": "japan", "areas.closed_sea_d.adjacent_to": None}, "to": "applies",
            "ground": "surveys_and_research"} in case["flips"]  # fmt: skip
    assert not any(flip["set"] == {"areas.closed_sea_d.kind": "japan"} for flip in case["flips"])
