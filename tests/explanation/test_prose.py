"""`guidelines explain` reads as prose (issue 22, point 7): cases alike told once, no double negatives, every
fact of the JSON explanation still there, and at most half as long as the condition-tree form it replaced."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from engine.cli import main

from ..conftest import SCENARIOS

# `guidelines explain scenarios/strait.yaml | wc -l` at 80 columns with the sentences of before issue 22 (each case
# told in full, every part of every condition on its own line, nested: "Not all of these hold: Not met: ..."): 353
# lines, and 362 once abandoned mines brought minesweeping up with no determination (SDF Law Art. 84-2), whose
# longer trigger each case repeated.
STRAIT_LINES_BEFORE = 362

STATUS = {"applies": "applies", "blocked": "blocked", "not_triggered": "not triggered"}


def _explain(runner, *args):
    result = runner.invoke(main, ["explain", *args], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_explain_is_at_most_half_as_long_as_before(runner):
    text = _explain(runner, str(SCENARIOS / "strait.yaml"))
    assert 2 * len(text.splitlines()) <= STRAIT_LINES_BEFORE
    trace = _explain(runner, str(SCENARIOS / "strait.yaml"), "--trace")
    assert "Not all of these hold" not in text and "events[0]" in trace  # --trace keeps every item by id


def test_cases_with_the_same_reasons_are_explained_once(runner):
    """Surveillance applies on the same ground with the same facts in the Strait and the East China Sea (both high
    seas, no combat), and in Sakishima and Okinawa (both Japanese territory): one paragraph each pair; the ground
    told again is "as above"; why it arises and how it is decided are said once for the role."""
    text = _explain(runner, str(SCENARIOS / "strait.yaml"), "--role", "surveillance")
    flat = " ".join(text.split())
    assert "Taiwan Strait and East China Sea: applies, on the ground of surveys and research" in flat
    assert "Sakishima Islands and Okinawa: applies, on the ground of surveys and research" in flat
    assert "The ground as above. Met: the area is Japanese territory" in flat
    assert flat.count("It arises:") == 1 and flat.count("how it is decided:") == 1
    requests = " ".join(_explain(runner, str(SCENARIOS / "strait.yaml"), "--role", "facility_access").split())
    assert "The requests for civilian airports, civilian ports and hospitals: applies" in requests


def test_a_failed_all_names_what_failed_and_a_failed_any_lists_its_options_once(runner):
    """Active mines in the Strait during the fighting: the abandoned-mines ground fails because the mines are
    active, none of its ceasefire options holds, and combat is going on; what held of it is not repeated."""
    args = [str(SCENARIOS / "strait.yaml"), "--phase", "fighting", "--role", "minesweeping"]
    flat = " ".join(_explain(runner, *args).split())
    strait = flat[flat.index("The active mines in Taiwan Strait: blocked") : flat.index("The abandoned mines in")]
    assert "Instead: the mines are still active" in strait
    assert (
        "None of these holds: the mines belong to a past conflict (here: the current conflict);"
        " there is a formal ceasefire (here: no ceasefire)"
    ) in strait
    assert "Instead: combat is going on in the area" in strait
    assert "Instead: Japan is not under armed attack" in strait  # self-defence: the one part that failed
    assert "territorial sea (here: the high seas around Japan)" not in strait  # a part that held: left out
    for nested in ("Not all of these hold", "One of these holds", "All of these hold", "it is not so that"):
        assert nested not in flat


def _sections(text, roles):
    """Each role's part of the text, by its heading (its title in capitals)."""
    lines = text.splitlines()
    starts = {rid: next(i for i, line in enumerate(lines) if line.startswith(r["title"].upper() + "  "))
              for rid, r in roles.items()}  # fmt: skip
    ends = sorted([*starts.values(), next(i for i, line in enumerate(lines) if line == "Sources")])
    out = {}
    for rid, start in starts.items():
        end = ends[ends.index(start) + 1]
        out[rid] = " ".join(" ".join(lines[start:end]).split())
    return out


@pytest.mark.parametrize(
    "args",
    [
        ["strait.yaml"],
        ["strait.yaml", "--phase", "fighting"],
        ["adjacent_rescue.yaml"],
        ["support_requests.yaml"],
        ["korea_crisis.yaml"],
        ["nansei_rescue.yaml"],
    ],
    ids=lambda a: "-".join(a),
)
def test_every_fact_of_the_explanation_is_still_told(runner, args):
    """From the JSON explanation, in each role's part of the text: the role's status, each case's name with its
    status, the ground each applying case applies on, and of each blocked case every ground that failed and
    every limit that blocks it; of each case that does not arise, the trigger that failed."""
    path = [str(SCENARIOS / args[0]), *args[1:]]
    text = _explain(runner, *path)
    data = json.loads(_explain(runner, *path, "--format", "json"))
    sections = _sections(text, data["roles"])
    names = {a["id"]: a["name"] for a in yaml.safe_load((SCENARIOS / args[0]).read_text())["areas"]}
    for role_id, role in data["roles"].items():
        section = sections[role_id]
        assert section.startswith(f"{role['title'].upper()} ")
        for case in role["cases"]:
            label, status = case["label"], STATUS[case["status"]]
            where = names[case["area"]] if case.get("area") else ""
            area = rf"[^:]{{0,200}}{re.escape(where)}" if where not in label else ""  # an event's area, after it
            heading = rf"{re.escape(label)}{area}[^:]{{0,200}}: {status}"  # its name, in a heading with its status
            assert re.search(heading, section), (role_id, label, status)
            grounds = {g["id"]: g for g in case["grounds"]}
            limits = {limit["id"]: limit for limit in case["limits"]}
            if case["status"] == "applies":
                assert case["ground"] in grounds and " ".join(grounds[case["ground"]]["text"].split()) in section
            if case["status"] == "blocked":
                for ground in case["grounds"]:
                    assert " ".join(ground["text"].split()) in section, (role_id, label, ground["id"])
                for limit_id in case["blocked_by"]:
                    assert " ".join(limits[limit_id]["text"].split()) in section, (role_id, label, limit_id)
            if case["status"] == "not_triggered":
                triggers = {t["id"]: t for t in case["triggers"]}
                for trigger_id in case["untriggered_by"]:
                    assert " ".join(triggers[trigger_id]["text"].split()) in section, (role_id, label, trigger_id)
