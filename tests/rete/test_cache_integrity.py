"""The cache cannot lie: damaged, forged-by-accident or raced cache files never change a report."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

from engine.rete import cache
from engine.rete.compiler import compile_rulebook
from engine.rete.memo import row_seal, status_from_values
from engine.rete.reading import units as _units
from engine.rete.runtime import Evaluator, facts_from_data
from engine.rulebook.load import load_rulebook
from engine.scenario import load
from engine.util.files import seal, unseal, write_atomically

from ..conftest import RULES, SCENARIOS
from .test_cache import reports

GUIDELINES = [sys.executable, "-m", "engine"]
ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def truth() -> list[dict]:
    """Every shipped scenario's report, compiled afresh and run on durable_rules without any memo."""
    return reports(Evaluator(compile_rulebook(load_rulebook(RULES)), memo=False))


def _fill(cache_dir: Path) -> None:
    """Compile into the cache and store the outcomes of every shipped scenario."""
    compiled, store = cache.open_rulebook(RULES)
    evaluator = Evaluator(compiled, store=store)
    reports(evaluator)
    evaluator.save_memo()
    assert list(cache_dir.glob("compiled-*.json")) and (cache_dir / "memo.sqlite").is_file()


def _cached_reports() -> list[dict]:
    compiled, store = cache.open_rulebook(RULES)
    return reports(Evaluator(compiled, store=store))


def _flip(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert old in data, f"{old!r} not in {path}"
    path.write_bytes(data.replace(old, new))


def _edit_outcomes(cache_dir: Path, old: str, new: str, *, reseal: bool) -> None:
    """Edit the stored outcomes in place; with `reseal`, give each edited row a matching seal, as a bug in the
    writer could."""
    key = cache.open_rulebook(RULES)[1].key
    with closing(sqlite3.connect(cache_dir / "memo.sqlite")) as db, db:
        rows = db.execute("SELECT book, situation, body FROM outcome").fetchall()
        edited = [(book, situation, body.replace(old, new)) for book, situation, body in rows if old in body]
        assert edited, f"{old!r} in no stored outcome"
        for book, situation, body in edited:
            sealed = row_seal(key, situation, body) if reseal else b"unchanged"
            db.execute(
                "UPDATE outcome SET body = ?, seal = CASE WHEN ? THEN ? ELSE seal END WHERE book = ? AND situation = ?",
                (body, reseal, sealed, book, situation),
            )


def _reseal(path: Path, old: bytes, new: bytes) -> None:
    """Edit a cache file's payload and give it a matching checksum, as a bug in the writer could."""
    head = path.read_bytes().split(b"\n", 1)[0].split(b" ")
    kind, key = head[1].decode(), head[2].decode()
    payload, _ = unseal(path.read_bytes(), kind, key)
    assert old in payload
    path.write_bytes(seal(kind, key, payload.replace(old, new)))


def test_a_flipped_stored_verdict_is_not_served(cache_dir, truth):
    """Every stored `blocked` edited to `applies`: the reports are those of a run without any cache."""
    _fill(cache_dir)
    _edit_outcomes(cache_dir, '"blocked"', '"applies"', reseal=False)
    compiled, store = cache.open_rulebook(RULES)
    assert reports(Evaluator(compiled, store=store)) == truth
    assert store.refused > 0


def test_a_flipped_verdict_with_a_matching_checksum_is_caught_by_its_node_values(cache_dir, truth):
    """A stored status that its own node values contradict is not served, whatever the checksum says."""
    _fill(cache_dir)
    _edit_outcomes(cache_dir, '"blocked"', '"applies"', reseal=True)
    compiled, store = cache.open_rulebook(RULES)
    evaluator = Evaluator(compiled, store=store)
    assert reports(evaluator) == truth
    assert evaluator.evaluations > 0 and store.refused > 0  # the edited rows were refused, and the engine ran again


def test_an_edited_compiled_rule_is_not_used(cache_dir, truth):
    """A compiled verdict rule edited in the cache (blocked recorded as applies) is compiled again."""
    _fill(cache_dir)
    for path in cache_dir.glob("memo.sqlite*"):
        path.unlink()  # so every verdict comes from the compiled rules
    for path in cache_dir.glob("compiled-*.json"):
        _flip(path, b'"value": "blocked"', b'"value": "applies"')
    assert _cached_reports() == truth


@pytest.mark.parametrize(
    "content",
    [b"null", b"[]", b"{}", b'"text"', b'{"entries": null}', b'{"entries": [[1, 2]]}', b"", b"\xff\xfe"],
    ids=["null", "list", "empty-object", "string", "entries-null", "entry-short", "empty-file", "bytes"],
)
@pytest.mark.parametrize("sealed", [False, True], ids=["raw", "sealed"])
def test_a_cache_file_of_the_wrong_shape_means_no_cache(cache_dir, truth, content, sealed):
    """Any content at all in the cache files gives the right reports, never an exception."""
    _fill(cache_dir)
    for path in cache_dir.glob("memo.sqlite-*"):
        path.unlink()
    for path in [*cache_dir.glob("compiled-*.json"), cache_dir / "memo.sqlite"]:
        if sealed and path.suffix == ".json":
            head = path.read_bytes().split(b"\n", 1)[0].split(b" ")
            path.write_bytes(seal(head[1].decode(), head[2].decode(), content))
        else:
            path.write_bytes(content)
    assert _cached_reports() == truth
    assert _cached_reports() == truth  # and the rewritten cache serves


def test_a_fifo_or_folder_as_a_cache_file_neither_blocks_nor_breaks(cache_dir, tmp_path):
    """A FIFO where a cache file belongs is not opened for reading (which would wait forever); a run succeeds."""
    env = {**os.environ, "GUIDELINES_CACHE_DIR": str(cache_dir)}
    scenario = str(SCENARIOS / "strait.yaml")
    first = subprocess.run(
        [*GUIDELINES, "evaluate", "--format", "json", scenario], env=env, capture_output=True, cwd=ROOT
    )
    assert first.returncode == 0
    for path in cache_dir.glob("memo.sqlite-*"):
        path.unlink()
    names = [*cache_dir.glob("*.json"), cache_dir / "memo.sqlite"]
    for path in names:
        path.unlink()
        os.mkfifo(path)
    again = subprocess.run(
        [*GUIDELINES, "evaluate", "--format", "json", scenario], env=env, capture_output=True, timeout=60, cwd=ROOT
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout
    for path in names:
        path.unlink()
        path.mkdir()
    third = subprocess.run(
        [*GUIDELINES, "evaluate", "--format", "json", scenario], env=env, capture_output=True, timeout=60, cwd=ROOT
    )
    assert third.returncode == 0 and third.stdout == first.stdout and not third.stderr


def test_a_failed_cache_write_leaves_no_temporary_file(tmp_path):
    """A cache file that cannot be put in place (a folder holds its name) leaves nothing behind."""
    (tmp_path / "compiled.json").mkdir()
    write_atomically(str(tmp_path / "compiled.json"), "{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compiled.json"]


def test_a_stored_outcome_serves_only_the_compiled_rulebook_it_came_from(cache_dir, rules_copy):
    """Outcomes stored for one version of the rules are not used for another, even under the same directory."""
    compiled, store = cache.open_rulebook(rules_copy)
    reports(Evaluator(compiled, store=store))
    store.save()
    role = rules_copy / "roles" / "minesweeping.yaml"
    role.write_text(role.read_text().replace("area.combat: ongoing\n", "area.combat: {in: [ongoing, expected]}\n"))
    edited, other = cache.open_rulebook(rules_copy)
    assert other is not None and other.key != store.key
    fresh = Evaluator(compile_rulebook(load_rulebook(rules_copy)), memo=False)
    assert reports(Evaluator(edited, store=other)) == reports(fresh)


def _swap_mine_statuses(text: str) -> str:
    """Minesweeping for active mines instead of abandoned ones: a rule edit that changes verdicts."""
    return (
        text.replace("event.status: abandoned", "event.status: ACTIVE")
        .replace("event.status: active", "event.status: abandoned")
        .replace("event.status: ACTIVE", "event.status: active")
    )


def _run(rules: Path, scenario: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [*GUIDELINES, "evaluate", "--format", "json", "--rules", str(rules), str(scenario)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_rule_edits_racing_runs_leave_no_wrong_verdict(rules_copy, tmp_path):
    """Runs while a rule file flips between two versions: each report is one version's, and the cache stays true.

    A run reads the rule files once and compiles what it read, so no compiled
    rulebook or stored outcome can be filed under the other version's key.
    """
    role = rules_copy / "roles" / "minesweeping.yaml"
    versions = [role.read_text(), _swap_mine_statuses(role.read_text())]
    scenario = SCENARIOS / "sea_lanes_war.yaml"
    cached = {**os.environ, "GUIDELINES_CACHE_DIR": str(tmp_path / "cache")}
    cached.pop("GUIDELINES_NO_CACHE", None)
    uncached = {**cached, "GUIDELINES_NO_CACHE": "1"}
    truths = []
    for text in versions:
        role.write_text(text)
        truths.append(_run(rules_copy, scenario, uncached))
    assert truths[0] != truths[1]

    stop = threading.Event()

    def edit() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            write_atomically(str(role), versions[n % 2])
            time.sleep(0.003 * (n % 7))

    editor = threading.Thread(target=edit)
    editor.start()
    try:
        seen = [_run(rules_copy, scenario, cached) for _ in range(15)]
    finally:
        stop.set()
        editor.join()
    assert all(report in truths for report in seen)
    for text, truth in zip(versions, truths, strict=True):
        role.write_text(text)
        assert _run(rules_copy, scenario, cached) == truth
        assert _run(rules_copy, scenario, cached) == truth


def test_the_store_check_knows_every_unit():
    """Every unit the runtime judges has a status its node values determine (so no stored outcome is unchecked)."""
    compiled = compile_rulebook(load_rulebook(RULES))
    evaluator = Evaluator(compiled, memo=False)
    seen = set()
    for path in sorted(SCENARIOS.glob("*.yaml")):
        for name, pairs in evaluator.judge(facts_from_data(load(path).data)).items():
            for _, outcome in pairs:
                assert status_from_values(compiled, name, outcome) == outcome.status
                seen.add(name)
    assert seen == {unit.name for unit in _units(compiled)}
