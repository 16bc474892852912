"""A word a user plausibly means but the format does not have gets a hint to the right one (hints.yaml), and the
guide's "How do I write..." page (docs/modelling.md) holds only scenarios that are valid and give what they say.
"""

from __future__ import annotations

import json
import re

import pytest

from engine.cli import main
from engine.scenario import models
from engine.scenario.fields import FIELDS
from engine.scenario.hints import KEY_SLOTS, SLOTS, VALUE_SLOTS, hints
from engine.scenario.vocab import AREA_KINDS, CEASEFIRES, COMBATS, EVENT_TYPES, REQUESTS

from ..conftest import ROOT

BASE = """\
scenario: hinted
situation:
  important_influence: true
areas:
  - {id: sea, kind: high_seas}
"""

CASES = {
    "fuel": (BASE + "us_forces:\n  operating: true\n  requests: [supplies, fuel]\n", "us_forces.requests[1]",
             "hint: for fuel, write `supplies` (water, fuel and food), or `refuel_combat_sortie`"),
    "blockade": (BASE + "events:\n  - {type: blockade, area: sea}\n", "events[0].type",
                 "hint: for a blockade, write the area's `combat: expected`"),
    "situation key": (BASE.replace("true\n", "true\n  un_embargo: true\n", 1), "situation.un_embargo",
                      "hint: for a UN embargo, write `un_sanctions_resolution: true`"),
    "area kind in a phase": (BASE + "phases:\n  - id: later\n    areas: [{id: sea, kind: eez}]\n",
                             "phases[0] (later).areas[0].kind",
                             "hint: an exclusive economic zone or open sea is `kind: high_seas`"),
}  # fmt: skip


def unwrapped(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("command", ["validate", "evaluate"])
@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_plausible_word_gets_its_hint(runner, tmp_path, command, case):
    """The error keeps its form, `error: FILE:LINE:COL: FIELD: message`, and adds the hint and the page to read."""
    text, field, hint = CASES[case]
    path = tmp_path / "hinted.yaml"
    path.write_text(text)
    result = runner.invoke(main, [command, str(path)], env={"COLUMNS": "80"})
    assert result.exit_code == 1
    assert re.search(rf"^error: {re.escape(str(path))}:\d+:\d+: {re.escape(field)}: ", result.output, re.M)
    said = unwrapped(result.output)
    assert hint in said and "see docs/modelling.md" in said
    assert "Traceback" not in result.output


def test_the_hint_goes_under_a_long_line_and_did_you_mean_stays(runner, tmp_path):
    """A word that is both close to a valid one and hinted keeps "did you mean", on a line of its own."""
    path = tmp_path / "evacuation.yaml"
    path.write_text(BASE + "events:\n  - {type: noncombatant_evacuation}\n")
    lines = runner.invoke(main, ["validate", str(path)], env={"COLUMNS": "80"}).output.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("error: "))
    assert lines[first].endswith("refugee_flow, evacuation")
    assert lines[first + 1] == "    hint: for noncombatants evacuated to Japan, write `type: evacuation`; see"
    assert lines[first + 2 : first + 4] == ["    docs/modelling.md", "    (did you mean 'evacuation'?)"]


def test_a_word_without_a_hint_gets_none(runner, tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text(BASE + "us_forces:\n  operating: true\n  requests: [suplies]\n")
    output = runner.invoke(main, ["validate", str(path)]).output
    assert "(did you mean 'supplies'?)" in output and "hint:" not in output


def test_the_json_error_carries_the_hint(runner, tmp_path):
    path = tmp_path / "fuel.yaml"
    path.write_text(CASES["fuel"][0])
    result = runner.invoke(main, ["evaluate", "--format", "json", str(path)])
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert "hint: for fuel, write `supplies`" in json.dumps(json.loads(line)["error"])


# ----------------------------------------------------------------------------
# The hints cannot rot: each names only words the format has, for words it does not have where they are matched

VALUES = {
    "request": REQUESTS,
    "event": EVENT_TYPES,
    "area_kind": AREA_KINDS,
    "combat": COMBATS,
    "ceasefire": CEASEFIRES,
}


def keys_of(model) -> set[str]:
    """Every key a scenario file may write, under `model` and the models below it."""
    out: set[str] = set()
    todo, seen = [model], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for name, info in current.model_fields.items():
            out.add(name)
            todo += [t for t in _types(info.annotation) if isinstance(t, type) and issubclass(t, models.BaseModel)]
    return out


def _types(annotation) -> list:
    args = getattr(annotation, "__args__", ()) or ()
    return [annotation, *[t for arg in args for t in _types(arg)]]


KEYS = keys_of(models.Scenario)
WORDS = {str(value).lower() for spec in FIELDS.values() for value in spec.values} | KEYS


def unknown_words(hint: str) -> list[str]:
    """The words in backquotes of a hint that the format does not have: alone, a key or a value of some field;
    as `key: value`, a key and one of its values."""
    out = []
    for token in re.findall(r"`([^`]+)`", hint):
        key, _, value = token.partition(": ")
        if not value:
            ok = token in WORDS
        else:
            specs = [spec for spec in FIELDS.values() if spec.path.rsplit(".", 1)[-1] == key]
            ok = key in KEYS and any(value in {str(v).lower() for v in spec.values} for spec in specs)
        if not ok:
            out.append(token)
    return out


def test_the_rot_check_would_catch_a_word_the_format_lacks():
    assert unknown_words("write `supplies`, `combat: expected` or `important_influence: true`") == []
    assert unknown_words("write `petrol`, `combat: blockaded` or `fuel_level: low`") == [
        "petrol",
        "combat: blockaded",
        "fuel_level: low",
    ]


def test_every_hint_names_only_words_the_format_has():
    assert set(hints()) <= set(SLOTS)
    found = {f"{slot}.{word}": unknown_words(hint) for slot, group in hints().items() for word, hint in group.items()}
    assert {where: words for where, words in found.items() if words} == {}


def test_no_hinted_word_is_one_the_format_has_where_it_is_matched():
    """A hint for a valid word would never be shown: every word of a value group is none of the field's words, and
    every word of a key group is no key of its mapping."""
    mappings = {"situation": models.Situation, "key": models.Scenario}
    assert set(mappings) == set(KEY_SLOTS.values()) and set(VALUES) == set(VALUE_SLOTS.values())
    valid = {slot: set(values) for slot, values in VALUES.items()} | {
        slot: set(model.model_fields) for slot, model in mappings.items()
    }
    assert {(slot, word) for slot, group in hints().items() for word in group if word in valid[slot]} == set()


def test_fuel_and_blockade_say_what_the_issue_asks():
    assert "`supplies`" in hints()["request"]["fuel"] and "`refuel_combat_sortie`" in hints()["request"]["fuel"]
    assert (
        "`combat: expected`" in hints()["event"]["blockade"] and "important_influence" in hints()["event"]["blockade"]
    )


# ----------------------------------------------------------------------------
# docs/modelling.md

PAGE = (ROOT / "docs" / "modelling.md").read_text()
BLOCKS = re.findall(r"^```yaml\n(.*?)^```", PAGE, re.DOTALL | re.MULTILINE)


def test_the_page_answers_each_question_with_a_scenario():
    headings = re.findall(r"^## (.+)$", PAGE, re.MULTILINE)
    assert headings == [
        "A blockade",
        "A grey-zone incursion",
        "Fuel and refuelling",
        "An evacuation of nationals",
        "A strike on bases in Japan",
        "A UN embargo",
        "A ceasefire that fails",
    ]
    assert len(BLOCKS) == len(headings)


@pytest.mark.parametrize("block", BLOCKS, ids=[re.search(r"scenario: (.+)", b)[1] for b in BLOCKS])
def test_each_answer_is_valid_and_gives_what_it_says(runner, tmp_path, block):
    """Each scenario of the page validates without a warning, and its `expect:` holds."""
    assert "expect:" in block
    path = tmp_path / "answer.yaml"
    path.write_text(block)
    assert runner.invoke(main, ["validate", str(path)]).output == "ok: 1 scenario file valid\n"
    result = runner.invoke(main, ["test", str(path)])
    assert result.exit_code == 0, result.output
    assert re.search(r"\b(\d+) passed, 0 failed\n$", result.output)
