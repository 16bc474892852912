"""Hostile and broken input: nothing crashes, nothing is lost, every error is clear.

The corpus in tests/corpus/bad/ holds one file per way a scenario can be wrong;
the largest cases are generated here instead of stored.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli import main
from engine.errors import EngineError
from engine.rete import evaluators

from ..conftest import SCENARIOS
from ..helpers import edit, unwrapped

CORPUS = Path(__file__).parent.parent / "corpus" / "bad"

# file -> (line, field, fragment of the message); a line of None means the input has no line to name.
EXPECTED = {
    "billion_laughs.yaml": (2, "", "anchors and aliases"),
    "binary.yaml": (1, "", "binary file"),
    "comment_only.yaml": (1, "", "the file is empty"),
    "deep_block_nesting.yaml": (34, None, "nested more than 32 levels"),
    "deep_nesting.yaml": (1, "", "nesting depth"),
    "duplicate_keys.yaml": (4, "situation.important_influence", "duplicate key"),
    "empty.yaml": (1, "", "the file is empty"),
    "malformed.yaml": (3, "", "invalid YAML"),
    "missing_area.yaml": (9, "events[0].area", "no area with id 'straight'"),
    "missing_situation.yaml": (1, "situation", "required key 'situation' is missing"),
    "non_utf8.yaml": (1, "", "not readable as YAML text"),
    "nul_bytes.yaml": (1, "", "binary file"),
    "tab_indent.yaml": (3, "", "YAML indentation uses spaces, not tabs"),
    "top_level_list.yaml": (1, "", "must be a mapping"),
    "two_documents.yaml": (3, "", "another document"),
    "unknown_keys.yaml": (4, "situation.important_influense", "unknown key"),
    "unsafe_tag.yaml": (1, "scenario", "is not allowed"),
    "unsafe_tag_new.yaml": (2, "situation", "is not allowed"),
    "wrong_types.yaml": (1, "scenario", "expected text"),
    "wrong_values.yaml": (3, "situation.important_influence", "expected true or false"),
    "yes_no_off.yaml": (3, "situation.important_influence", "not booleans"),
}


MEMORY_LIMIT = 1 << 30  # address space a run may use: far above need, far below what a bomb would take
CPU_LIMIT = 30  # processor seconds a run may use: a bomb or a loop is killed, a loaded machine's wait is not counted


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT))


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m engine` in its own process, its memory and processor time bounded."""
    return subprocess.run(
        [sys.executable, "-m", "engine", *args],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_bounded,
        env=dict(os.environ, GUIDELINES_NO_CACHE="1"),
    )


def test_the_corpus_is_complete():
    assert sorted(p.name for p in CORPUS.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_is_a_clear_error(name):
    """Each bad file exits 1 within bounded processor time and memory, naming file, line and field, without a traceback."""
    path = CORPUS / name
    result = run_cli("evaluate", "--format", "json", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    (line,) = result.stdout.splitlines()
    error = json.loads(line)
    assert error["source"] == str(path)
    line_no, field, fragment = EXPECTED[name]
    assert fragment in error["error"]["message"]
    assert error["error"]["line"] == line_no
    if field is not None:
        assert error["error"]["field"] == field
    assert error["error"]["kind"] == "input"


def test_no_code_runs_from_a_file(tmp_path):
    marker = Path("/tmp/guidelines-pwned")
    marker.unlink(missing_ok=True)
    run_cli("evaluate", str(CORPUS / "unsafe_tag.yaml"))
    assert not marker.exists()


def test_limits_give_their_own_messages(tmp_path):
    """The size, area and event limits each name themselves; nothing big is read whole."""
    huge = tmp_path / "huge.yaml"
    huge.write_text('scenario: huge\ndescription: "' + "x" * 1_100_000 + '"\nsituation: {important_influence: true}\n')
    many_areas = tmp_path / "many_areas.yaml"
    many_areas.write_text(
        "scenario: many\nsituation: {important_influence: true}\nareas:\n"
        + "".join(f"  - {{id: a{i}, kind: high_seas}}\n" for i in range(5000))
    )
    many_events = tmp_path / "many_events.yaml"
    many_events.write_text(
        "scenario: many\nsituation: {important_influence: true}\nevents:\n" + "  - {type: evacuation}\n" * 1500
    )
    result = run_cli("evaluate", str(huge), str(many_areas), str(many_events))
    assert result.returncode == 1
    assert f"error: {huge}: file is larger than the limit of 1,000,000 bytes" in result.stderr
    assert f"error: {many_areas}:4:3: areas: 5000 entries; the limit is 200" in result.stderr
    assert f"error: {many_events}:4:3: events: 1500 entries; the limit is 1000" in result.stderr
    assert "Traceback" not in result.stderr


LONG = "1" * 4301  # one digit past what Python reads into an integer
HEX = "0x" + "f" * 4000  # read, but printing it back would pass 4,300 digits


def _no_long_number(text: str) -> bool:
    return re.search(r"[0-9a-f]{20}", text) is None


@pytest.mark.parametrize(
    ("value", "said"),
    [(LONG, "4,301 digits (11111111...)"), (HEX, "4,000 digits (0xffffffff...)")],
    ids=["4301-digits", "0x-4000-fs"],
)
def test_a_number_longer_than_any_field_takes_is_a_located_error_and_the_batch_goes_on(tmp_path, value, said):
    """Python refuses an integer of more than 4,300 digits with a bare ValueError, and a hex one of 4,000 digits
    breaks printing it later: such a number is refused where it stands, named by its first digits, and the
    next file in the batch is still evaluated."""
    bad = tmp_path / "long_number.yaml"
    bad.write_text(f"scenario: x\nsituation: {{important_influence: true}}\nareas:\n  - {{id: a, kind: {value}}}\n")
    result = run_cli("evaluate", str(bad), str(SCENARIOS / "korea.yaml"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.splitlines()[0] == f"error: {bad}:4:19: areas[0].kind: a number of {said}; the limit is 18"
    assert "2 files: 1 evaluated, 1 failed" in result.stderr and "\nRulebook " in result.stdout
    assert _no_long_number(result.stderr)
    as_json = run_cli("evaluate", "--format", "json", str(bad), str(SCENARIOS / "korea.yaml"))
    error, report = (json.loads(line) for line in as_json.stdout.splitlines())
    assert (error["error"]["line"], error["error"]["field"]) == (4, "areas[0].kind") and "roles" in report


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        (f"situation.important_influence={LONG}", "situation.important_influence=11111111...': the value is"),
        (f"situation.important_influence={HEX}", "situation.important_influence=0xffffffff...': the value is"),
        (f"events[{LONG}].status=past", "events[11111111...].status=past': the index is"),
    ],
    ids=["value", "0x-value", "index"],
)
def test_a_number_too_long_in_a_set_is_a_usage_error_naming_it(given, shown):
    """A --set applies to every file, so a number too long in it is the command line's error (exit 2), said
    before any file is read, with the number cut to its first digits."""
    result = run_cli("evaluate", str(SCENARIOS / "korea.yaml"), str(SCENARIOS / "strait.yaml"), "--set", given)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert f"error: --set: '{shown} a number of" in unwrapped(result.stderr)
    assert _no_long_number(result.stderr)


def test_a_number_too_long_in_a_rule_file_is_a_located_error(rules_copy):
    """Each rule file with such a number gets its located error (the rulebook's other files are still read);
    a rulebook that does not load evaluates nothing, and says so."""
    minesweeping = rules_copy / "roles" / "minesweeping.yaml"
    surveillance = rules_copy / "roles" / "surveillance.yaml"
    lines = {}
    for path, value in ((minesweeping, HEX), (surveillance, LONG)):
        lines[path] = edit(path, "{date: {before: 2007-01-09}}", f"{{date: {{before: {value}}}}}")
    result = run_cli("evaluate", "--rules", str(rules_copy), str(SCENARIOS / "korea.yaml"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert (
        f"error: {minesweeping}:{lines[minesweeping]}:31: grounds[0].procedure[0].when.date.before: a number of 4,000 digits"
        in result.stderr
    )
    assert (
        f"error: {surveillance}:{lines[surveillance]}:31: grounds[1].procedure[0].when.date.before: a number of 4,301 digits"
        in result.stderr
    )
    assert unwrapped(result.stderr).splitlines()[-1] == f"error: the rulebook in {rules_copy} does not load"
    assert _no_long_number(result.stderr)


def test_largest_allowed_scenario_is_evaluated(runner, tmp_path):
    """200 areas and 1,000 events, the limits, are evaluated whole (its time is a row of benchmarks/big_phased.py)."""
    areas = "".join(f"  - {{id: a{i}, kind: high_seas, combat: none}}\n" for i in range(200))
    events = "".join(f"  - {{type: mines, area: a{i % 200}, status: abandoned, conflict: past}}\n" for i in range(1000))
    path = tmp_path / "largest.yaml"
    path.write_text(f"scenario: largest\nsituation: {{important_influence: true}}\nareas:\n{areas}events:\n{events}")
    result = runner.invoke(main, ["evaluate", "--format", "json", str(path)])
    assert result.exit_code == 0
    assert json.loads(result.output)["roles"]["minesweeping"]["status"] == "applies"


def test_good_and_bad_files_mixed_lose_nothing(tmp_path):
    """Every good file's report and every bad file's error come out, in order, and the exit says something failed."""
    good = sorted(SCENARIOS.glob("*.yaml"))
    bad = sorted(CORPUS.glob("*.yaml"))
    mixed = [str(p) for pair in zip(good, bad, strict=False) for p in pair]
    result = run_cli("evaluate", "--format", "json", *mixed)
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["source"] for line in lines] == mixed
    assert all(("error" in line) == (Path(line["source"]).parent == CORPUS) for line in lines)
    text = run_cli("evaluate", *mixed)
    assert text.returncode == 1
    assert text.stdout.count("\nRulebook ") == len(mixed) // 2
    assert text.stderr.count("error: ") >= len(mixed) // 2
    assert f"{len(mixed)} files: {len(mixed) // 2} evaluated, {len(mixed) // 2} failed" in text.stderr


# -- engine faults --------------------------------------------------------------


@pytest.fixture
def fresh_engine(monkeypatch):
    """No cached evaluator or stored outcomes: every file runs on durable_rules."""
    monkeypatch.setattr(evaluators, "_evaluators", {})
    monkeypatch.setenv("GUIDELINES_NO_CACHE", "1")


def test_an_action_that_raises_is_an_engine_error(runner, monkeypatch, fresh_engine):
    from engine.rete.runtime import Evaluator

    def broken(self, ruleset, action):
        def boom(c):
            raise RuntimeError("boom")

        return boom

    monkeypatch.setattr(Evaluator, "_action", broken)
    result = runner.invoke(main, ["evaluate", str(SCENARIOS / "strait.yaml"), str(SCENARIOS / "korea.yaml")])
    assert result.exit_code == EngineError.exit_code == 3
    assert f"error: {SCENARIOS / 'strait.yaml'}: a rule action failed: RuntimeError: boom" in result.output
    assert result.output.count("a rule action failed") == 2  # the second file is still tried


def test_a_durable_rules_error_code_is_explained(runner, monkeypatch, fresh_engine):
    import durable_rules_engine

    from engine.rete import host

    def fail(self, name, facts, complete=None):
        raise durable_rules_engine.error("Could not assert facts, error code: 303")

    monkeypatch.setattr(host.QuietHost, "assert_facts", fail)
    result = runner.invoke(main, ["evaluate", "--format", "json", str(SCENARIOS / "strait.yaml")])
    assert result.exit_code == 3
    error = json.loads(result.output)["error"]
    assert error["kind"] == "engine"
    assert "one fact matched more rule branches at once than durable_rules allows (64)" in error["message"]


def test_nothing_runs_after_a_memory_error(runner, monkeypatch, fresh_engine):
    """After durable_rules runs out of memory no file is evaluated, and none goes missing from the output."""
    from engine.rete import host

    calls = []

    def exhausted(self, name, facts, complete=None):
        calls.append(name)
        raise MemoryError("too many sessions")

    monkeypatch.setattr(host.QuietHost, "assert_facts", exhausted)
    files = [str(SCENARIOS / name) for name in ("strait.yaml", "korea.yaml", "hormuz.yaml")]
    result = runner.invoke(main, ["evaluate", "--format", "json", *files])
    assert result.exit_code == 3
    errors = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["source"] for e in errors] == files
    assert result.stderr.splitlines()[-1] == "3 files: 0 evaluated, 0 failed, 3 not evaluated"
    assert "durable_rules ran out of memory" in errors[0]["error"]["message"]
    assert all("not evaluated: the rule engine failed on an earlier file" in e["error"]["message"] for e in errors[1:])
    assert len(calls) == 1


def _phased(phases: int, areas: int, events: int) -> str:
    """A phased file of that size, each phase changing the combat of one area."""
    return (
        "scenario: big\ndate: 2017-01-01\nsituation: {important_influence: true}\nareas:\n"
        + "".join(f"  - {{id: a{i}, kind: high_seas}}\n" for i in range(areas))
        + "events:\n"
        + "".join(
            f"  - {{type: mines, area: a{i % areas}, status: abandoned, conflict: past}}\n" for i in range(events)
        )
        + "phases:\n"
        + "".join(f"  - {{id: p{p}, areas: [{{id: a{p % areas}, combat: expected}}]}}\n" for p in range(phases))
    )


def test_a_phased_file_over_the_size_limit_is_refused_with_the_limit(runner, tmp_path):
    """Phases x areas x events has a limit (README, "Limits and guarantees"), which the error gives, located at
    the file's phases; a file at the limit is valid. The per-field limits alone allow 100 x 200 x 1,000."""
    at_limit, over = tmp_path / "at_limit.yaml", tmp_path / "over.yaml"
    at_limit.write_text(_phased(10, 200, 1000))  # 2,000,000
    over.write_text(_phased(100, 200, 1000))
    result = runner.invoke(main, ["validate", str(at_limit), str(over)])
    assert result.exit_code == 1
    line = 4 + 200 + 1 + 1000 + 2  # the first phase, after the areas, `events:`, the events and `phases:`
    assert result.output.count("error:") == 1
    assert (
        f"error: {over}:{line}:3: phases: 100 phases x 200 areas x 1,000 events make 20,000,000, over the "
        "limit of 2,000,000 (phases x areas x events): split the crisis across files, each starting where one ends"
    ) in result.output
    result = runner.invoke(main, ["evaluate", "--format", "json", "--phase", "p50", str(over)])
    assert result.exit_code == 1 and "over the limit of 2,000,000" in result.output
