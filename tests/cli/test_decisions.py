"""`guidelines decisions`: the decisions each phase needs, in the order the statutes run them, with their
provisions and what changed; and every phase at a glance (roles × phases) in the reports of a phased file.

The order is Law No. 60 of 1999's: the Cabinet decides the measures and the basic plan (Art. 4), the Diet
approves before they are carried out, or after if urgent (Art. 5: 「実施前に」), the Minister draws up the
implementation guideline with the Prime Minister's approval and orders the units (Art. 6(3), 7(1)), and the
Prime Minister reports the plan and its results to the Diet (Art. 10). A defence operation: the Cabinet's basic
response plan (AAS-Law Art. 9), the Diet's approval (SDF Law Art. 76(1)), the Prime Minister's order.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner
from wcwidth import wcswidth

from engine.cli import main

from ..conftest import SCENARIOS

STRAIT = str(SCENARIOS / "strait.yaml")
ORDER = [  # Law60/1999 Art. 4, 5, 7(1) (the Prime Minister's approval, then the order), 10
    "Cabinet decision on the measures and their basic plan",
    "Diet approval (prior, or after the fact if urgent)",
    "Prime Minister's approval of the implementation guideline",
    "Minister of Defense's order",
    "Report to the Diet (the basic plan, and at the end the results)",
]


def _run(*args: str, columns: int = 80):
    result = CliRunner(env={"COLUMNS": str(columns)}).invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def strait_json() -> dict:
    result = _run("decisions", "--format", "json", STRAIT)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def strait_report() -> dict:
    return json.loads(_run("evaluate", "--format", "json", STRAIT).stdout)


def test_each_phase_lists_its_decisions_with_provisions_in_the_statutes_order(at_root):
    """The fighting phase of the Strait: rescue in the East China Sea and transport there go by Law60/1999's
    procedure, in Art. 4, 5, 7, 10 order, each decision once for both roles, with its article."""
    result = _run("decisions", "scenarios/strait.yaml")
    assert result.exit_code == 0, result.output
    text = result.stdout
    headings = [line for line in text.split("\n") if line.startswith("2009-")]
    assert [h.split()[1] for h in headings] == ["tension", "blockade", "fighting", "ceasefire"]
    fighting = text.split("2009-04-10  fighting")[1].split("2009-06-01  ceasefire")[0]
    where = [fighting.index(words) for words in ORDER]
    assert where == sorted(where)
    assert "Diet approval (prior, or after the fact if urgent)  [Law60/1999 Art. 5]" in fighting
    assert "Cabinet decision on the measures and their basic plan  [Law60/1999 Art. 4]" in fighting
    assert "[Law60/1999 Art. 10]" in fighting
    assert len(re.findall(r"\n  \d+\. Cabinet decision on the measures", fighting)) == 1  # one plan for all
    assert (
        "- Search and rescue (rear area search and rescue, met during a rear area\n       operation): East China Sea"
        in fighting
    )
    assert "[SDFLaw Art. 83]" in fighting and "- Search and rescue (ordinary rescue): Sakishima Islands" in fighting
    ceasefire = text.split("2009-06-01  ceasefire")[1]
    assert "+ new: Minister of Defense's order for Minesweeping (abandoned mines)" in ceasefire
    assert "- no longer needed: Government decision on the response (was for Refugee\n    acceptance" in ceasefire
    assert all(wcswidth(line) <= 80 for line in text.split("\n"))


def test_the_decisions_agree_with_the_report(strait_json, strait_report):
    """Every role that applies in a phase is covered by a decision, and a Diet approval covers it exactly when
    the report says its procedure needs one (`diet_approval`); no role that does not apply is covered."""
    phases = {p["id"]: p for p in strait_report["phases"]}
    assert [p["id"] for p in strait_json["phases"]] == list(phases)
    for phase in strait_json["phases"]:
        roles = phases[phase["id"]]["roles"]
        covered = {c["role"] for d in phase["decisions"] for c in d["covers"]}
        assert covered == {r for r, role in roles.items() if role["status"] == "applies"}
        diet = {c["role"] for d in phase["decisions"] if d["kind"].startswith("diet_") and d["kind"] != "diet_report"
                for c in d["covers"]}  # fmt: skip
        assert diet == {r for r in covered if roles[r]["diet_approval"] != "none"}, phase["id"]
        for d in phase["decisions"]:
            assert d["provisions"], d  # every decision of the Strait's procedures cites its provision
            basis = {b for c in d["covers"] for p in roles[c["role"]]["procedures"] for b in p["basis"]}
            prose = " ".join(line for c in d["covers"] for line in roles[c["role"]]["procedure"])
            for provision in d["provisions"]:  # each from the procedure's basis, or cited in its words
                law, _, article = provision.partition(" Art. ")
                assert provision in basis or f"Art. {article}" in prose, (phase["id"], provision)


def test_what_changed_from_the_phase_before(strait_json):
    changes = {p["id"]: p["changes"] for p in strait_json["phases"]}
    assert changes["tension"] == []
    new = {(c["decision"], tuple(c["roles"])) for c in changes["blockade"] if c["change"] == "new"}
    assert ("Diet approval (prior, or after the fact if urgent)", ("Logistic support (rear area support)",)) in new
    widened = [c for c in changes["fighting"] if c["change"] == "now_covers"]
    assert {c["kind"] for c in widened} >= {"cabinet_basic_plan", "diet_prior_or_after", "diet_report"}
    assert all(c["roles"][0].startswith("Search and rescue") for c in widened)
    ended = {c["kind"] for c in changes["ceasefire"] if c["change"] == "ended"}
    assert ended == {"government_response", "disaster_relief"}


def test_a_defence_operation_in_a_survival_threatening_situation_needs_prior_diet_approval():
    """Hormuz under 2015: the Cabinet's basic response plan (AAS-Law Art. 9), the Diet's approval beforehand
    (AAS-Law Art. 9(4) with the Cabinet decision of 19 September 2015), the Prime Minister's order (SDF Law
    Art. 76(1)(ii)), in that order."""
    result = _run("decisions", "--format", "json", "--rulebook", "2015", str(SCENARIOS / "hormuz.yaml"))
    assert result.exit_code == 0, result.output
    (phase,) = json.loads(result.stdout)["phases"]
    kinds = [d["kind"] for d in phase["decisions"]]
    assert kinds[:3] == ["cabinet_response_plan", "diet_prior", "pm_order"]
    first, diet, order = phase["decisions"][:3]
    assert first["provisions"] == ["AAS-Law Art. 9"]
    assert diet["decision"] == "Diet approval (prior)" and "AAS-Law Art. 9(4)" in diet["provisions"]
    assert order["provisions"] == ["SDFLaw Art. 76(1)(ii)"]
    assert {c["role"] for c in diet["covers"]} == {"minesweeping"}


def test_csv_and_markdown_paste_into_an_exercise_plan():
    result = _run("decisions", "--format", "csv", STRAIT)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "source",
        "phase",
        "date",
        "rulebook",
        "step",
        "decision",
        "provisions",
        "covers",
        "change",
    ]
    fighting = [r for r in rows if r["phase"] == "fighting" and r["step"]]
    assert [int(r["step"]) for r in fighting] == list(range(1, len(fighting) + 1))
    diet = next(r for r in fighting if r["decision"].startswith("Diet approval"))
    assert diet["provisions"] == "Law60/1999 Art. 5" and "Search and rescue" in diet["covers"]
    assert {r["decision"] for r in rows if r["change"] == "ended"} == {
        "Government decision on the response",
        "Japan Coast Guard rescue; the SDF's disaster relief dispatch at its request",
    }
    markdown = _run("decisions", "--format", "markdown", STRAIT).stdout
    assert markdown.startswith("## Decisions by phase\n")
    assert markdown.count("| # | Decision | Covers | Provisions |") == 4
    assert "\n| 3 | Diet approval (prior, or after the fact if urgent) | Search and rescue" in markdown


def test_one_phase_and_bad_input():
    only = _run("decisions", STRAIT, "--phase", "ceasefire")
    assert only.exit_code == 0 and "2009-06-01  ceasefire" in only.stdout and "fighting" not in only.stdout
    missing = _run("decisions", STRAIT, "--phase", "nope")
    assert missing.exit_code == 2 and "no phase 'nope'" in missing.output
    gone = _run("decisions", "no/such.yaml")
    assert gone.exit_code == 1 and gone.output.startswith("error: no/such.yaml")


def test_the_report_of_a_phased_file_carries_the_decisions_near_its_end():
    text = _run("evaluate", STRAIT).stdout
    decided = text.split("\nDecisions by phase\n")[1]
    assert "Sources\n" in decided and "LOGISTIC SUPPORT" not in decided  # after the roles, before the sources
    assert (
        "  1. new: Cabinet decision on the measures and their basic plan, for Facility\n     access, Logistic support"
        in decided
    )
    html = _run("evaluate", "--format", "html", STRAIT).stdout
    assert html.count('<section class="decisions" data-phase=') == 4
    alone = _run("evaluate", str(SCENARIOS / "korea.yaml")).stdout
    assert "Decisions by phase" not in alone and "Every phase at a glance" not in alone  # a file without phases


# ----------------------------------------------------------------------------------------------------------------
# Every phase at a glance


def _glance(text: str) -> list[str]:
    lines = text.split("\n")
    start = lines.index("Every phase at a glance")
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("Phase ceasefire"))
    return lines[start + 1 : end - 1]


@pytest.mark.parametrize("fmt", ["text", "table"])
def test_every_phase_at_a_glance_opens_the_matrix_section(fmt, strait_report):
    """Roles down, phases across: each cell the role's status in that phase (the JSON's), a ground lettered
    where it changed (minesweeping's abandoned mines in the ceasefire), before the last phase's matrix."""
    text = _run("evaluate", "--format", fmt, STRAIT).stdout
    glance = _glance(text)
    assert glance[0].split() == ["role", "tension", "blockade", "fighting", "ceasefire"]
    marks = {"✓": "applies", "✗": "blocked", "·": "not_triggered"}
    titles = {r["title"]: r_id for r_id, r in strait_report["roles"].items()}
    for line in glance[1:8]:
        title = next(t for t in titles if line.startswith(t))
        cells = [marks[w] for w in line[len(title) :].split() if w in marks]
        expected = [p["roles"][titles[title]]["status"] for p in strait_report["phases"]]
        assert cells == expected, line
    assert glance[1].endswith("✓ a") and "a abandoned mines" in "\n".join(glance)
    assert text.index("Every phase at a glance") < text.index("Phase ceasefire, 2009-06-01 (the last of 4)")


@pytest.mark.parametrize("columns", [80, 40])
def test_the_glance_fits_the_width_with_japanese_names(tmp_path, columns):
    """Phase names, areas and the title in Japanese; at 40 columns the phases are numbered with a key."""
    text = (SCENARIOS / "strait.yaml").read_text()
    for english, japanese in [
        ("scenario: Taiwan Strait crisis", "scenario: 台湾海峡の危機"),
        ("name: Taiwan Strait,", "name: 台湾海峡,"),
        ("name: Fighting in the Strait; mines, rescues, refugees", "name: 海峡での戦闘 機雷 救難 避難民"),
        ("name: Formal ceasefire; the abandoned mines are swept", "name: 正式な停戦 遺棄機雷の除去"),
    ]:
        assert english in text
        text = text.replace(english, japanese)
    path = tmp_path / "strait_ja.yaml"
    path.write_text(text)
    for args in (["evaluate", str(path)], ["evaluate", "--format", "table", str(path)], ["decisions", str(path)]):
        result = _run(*args, columns=columns)
        assert result.exit_code == 0, result.output
        wide = [line for line in result.stdout.split("\n") if wcswidth(line) > columns and str(path) not in line]
        assert wide == [], args
    result = _run("evaluate", str(path), columns=columns)
    glance = result.stdout.split("Every phase at a glance\n")[1]
    if columns == 40:
        assert glance.startswith("role           1    2    3    4\n")
        assert "phases: 1 tension, 2 blockade,\n        3 fighting, 4 ceasefire" in glance
    decided = _run("decisions", str(path), columns=columns).stdout
    assert "海峡での戦闘 機雷" in decided and "台湾海峡" in decided


def test_the_glance_in_markdown_and_html(strait_report):
    markdown = _run("evaluate", "--format", "markdown", STRAIT).stdout
    table = markdown.split("### Every phase at a glance\n\n")[1].split("\n\n")[0].split("\n")
    assert (
        table[0]
        == "| Role | tension (2009\\-03-02) | blockade (2009\\-03-20) | fighting (2009\\-04-10) | ceasefire (2009\\-06-01) |"
    )
    assert "| Minesweeping | · not triggered | · not triggered | ✗ blocked | ✓ applies (abandoned mines) |" in table
    html = _run("evaluate", "--format", "html", STRAIT).stdout
    assert html.count('<table class="phases-matrix">') == 1
    assert html.index("phases-matrix") < html.index('<table class="matrix">')
