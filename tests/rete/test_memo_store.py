"""The memo store: read by key, shared by processes at once, never failing an evaluation, bounded in size."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from engine.report.evaluate import evaluate_data
from engine.rete import cache, memo
from engine.rete.compiler import compile_rulebook
from engine.rete.memo import MemoStore, stored_outcomes
from engine.rete.runtime import Evaluator
from engine.scenario import load
from engine.strategies import to_yaml

from ..conftest import RULES, SCENARIOS
from .test_cache import reports
from .test_memo_size import generated

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def truth() -> list[dict]:
    """Every shipped scenario's report, without any memo."""
    return reports(Evaluator(cache.compiled_rulebook(RULES), memo=False))


def _rows(path: Path) -> list[tuple[int, bytes, int]]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT book, situation, used FROM outcome").fetchall()


def test_a_run_reads_only_the_situations_it_meets(cache_dir, truth):
    """A second run is served from the store, one query per scenario rather than a read of the whole store."""
    compiled, store = cache.open_rulebook(RULES)
    first = Evaluator(compiled, store=store)
    reports(first)
    first.save_memo()
    _, reopened = cache.open_rulebook(RULES)
    second = Evaluator(compiled, store=reopened)
    asked: list[str] = []
    reopened._connect(create=False).set_trace_callback(asked.append)
    assert reports(second) == truth and second.evaluations == 0
    lookups = [q for q in asked if q.startswith("SELECT situation")]
    assert 0 < len(lookups) <= len(list(SCENARIOS.glob("*.yaml"))) * 8  # a few per scenario: one per phase


def test_a_foreign_database_is_replaced_by_the_store(cache_dir, truth):
    """Another program's database where the store belongs is no memo: reports are right, and it becomes the store."""
    cache_dir.mkdir()
    with closing(sqlite3.connect(cache_dir / "memo.sqlite")) as db, db:
        db.execute("CREATE TABLE outcome (x)")
        db.execute("INSERT INTO outcome VALUES ('not ours')")
    compiled, store = cache.open_rulebook(RULES)
    evaluator = Evaluator(compiled, store=store)
    assert reports(evaluator) == truth
    evaluator.save_memo()
    assert stored_outcomes(str(cache_dir / "memo.sqlite")) == (store.count(), 1) and store.count() > 0


def test_a_locked_store_never_fails_an_evaluation(cache_dir, truth, monkeypatch):
    """While another process holds the store locked, a run evaluates everything itself and saves nothing."""
    monkeypatch.setattr(memo, "BUSY_SECONDS", 0.05)
    compiled, store = cache.open_rulebook(RULES)
    first = Evaluator(compiled, store=store)
    reports(first)
    first.save_memo()
    store.close()
    holder = sqlite3.connect(cache_dir / "memo.sqlite", isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("DELETE FROM outcome WHERE 0")  # takes the lock without changing anything
        _, locked = cache.open_rulebook(RULES)
        evaluator = Evaluator(compiled, store=locked)
        assert reports(evaluator) == truth
        assert evaluator.evaluations > 0  # the store could not be read: the engine ran
        evaluator.save_memo()  # and cannot be written: quietly nothing
    finally:
        holder.close()
    _, free = cache.open_rulebook(RULES)
    again = Evaluator(compiled, store=free)
    assert reports(again) == truth and again.evaluations == 0


def test_the_store_keeps_within_its_budget_evicting_the_least_recently_used(tmp_path, rulebook):
    """Past its budget, the store drops its least recently used rows first, and its file shrinks to fit."""
    path = tmp_path / "memo.sqlite"
    compiled = compile_rulebook(rulebook)
    old = Evaluator(compiled, store=MemoStore(str(path), compiled, "old"))
    reports(old)
    old.save_memo()
    old.store.close()  # its journal checkpointed into the file: the file's size is the rows'
    now = int(time.time())
    before = {situation: now - 1000 + n for n, (_, situation, _) in enumerate(_rows(path))}
    with closing(sqlite3.connect(path)) as db, db:  # each row last used at its own time: an order to evict by
        db.executemany("UPDATE outcome SET used = ? WHERE situation = ?", [(u, s) for s, u in before.items()])
    budget = path.stat().st_size * 3 // 2  # the new rows as many as the old: some must go
    new = Evaluator(compiled, store=MemoStore(str(path), compiled, "new", budget=budget))
    reports(new)
    new.save_memo()
    new.store.close()
    assert path.stat().st_size <= budget
    kept = {situation: used for book, situation, used in _rows(path) if book == memo.book_number("old")}
    gone = [before[situation] for situation in before if situation not in kept]
    assert gone  # some old rows were evicted
    assert not kept or min(kept.values()) > max(gone)  # the least recently used first
    assert any(book == memo.book_number("new") for book, _, _ in _rows(path))


def test_the_stored_outcome_serves_whatever_subject_asks_for_it(tmp_path, rulebook):
    """Two evaluators on one store file: what one saved, the other reads, keyed by situation, not by process."""
    path = str(tmp_path / "memo.sqlite")
    compiled = compile_rulebook(rulebook)
    writer = Evaluator(compiled, store=MemoStore(path, compiled, "k"))
    reader_store = MemoStore(path, compiled, "k")
    reader = Evaluator(compiled, store=reader_store)
    expected = reports(writer)
    assert reader_store.count() == 0
    writer.save_memo()
    assert reader_store.count() > 0
    assert reports(reader) == expected and reader.evaluations == 0


def _evaluate(paths: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "engine", "evaluate", "--format", "json", "--jobs", "2", *paths],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def test_two_processes_on_one_cache_give_the_reports_of_runs_without_it(tmp_path):
    """Two batches of different scenarios evaluated at once against one cache folder, empty then filled by
    them, report exactly what runs without any cache report."""
    scenarios = generated(60)
    batches: list[list[str]] = [[], []]
    for n, data in enumerate(scenarios):
        path = tmp_path / f"s{n:03}.yaml"
        path.write_text(to_yaml(data))
        batches[n % 2].append(str(path))
    shipped = sorted(str(p) for p in SCENARIOS.glob("*.yaml"))
    batches[0] += shipped[::2]
    batches[1] += shipped[1::2]
    uncached = {"GUIDELINES_NO_CACHE": "1"}
    truths = [_evaluate(batch, uncached).communicate()[0] for batch in batches]
    shared = {"GUIDELINES_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # an empty cache, then the one both filled
        running = [_evaluate(batch, shared) for batch in batches]
        done = [(process.communicate(), process.returncode) for process in running]
        for ((out, err), code), truth in zip(done, truths, strict=True):
            assert code in (0, 1), err
            assert "Traceback" not in err
            assert out == truth
    assert stored_outcomes(str(tmp_path / "cache" / "memo.sqlite"))[0] > 0


def test_a_forked_process_opens_the_store_afresh(tmp_path, rulebook):
    """A worker forked from a process with the store open uses a connection of its own (one must not cross a
    fork), leaves the parent's unsaved outcomes to the parent, and what both save is there for the next run."""
    path = str(tmp_path / "memo.sqlite")
    compiled = compile_rulebook(rulebook)
    shipped = sorted(SCENARIOS.glob("*.yaml"))
    store = MemoStore(path, compiled, "k")
    parent = Evaluator(compiled, store=store)
    for scenario in shipped[::2]:
        evaluate_data(load(scenario).data, parent, source=str(scenario))
    parent.save_memo()
    inherited = store._db
    assert inherited is not None
    evaluate_data(load(shipped[1]).data, parent, source="unsaved")  # pending in the parent at the fork
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through its exit status
        ok = False
        try:
            assert store._new  # the parent's, not yet saved
            store._forked()
            ok = not store._new  # left to the parent
            for scenario in shipped[1::2]:
                evaluate_data(load(scenario).data, parent, source=str(scenario))
            parent.save_memo()
            ok = ok and store._db is not None and store._db is not inherited
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    parent.save_memo()
    fresh = Evaluator(compiled, store=MemoStore(path, compiled, "k"))
    assert reports(fresh) == reports(Evaluator(compiled, memo=False)) and fresh.evaluations == 0


def test_the_outcomes_of_a_rulebook_version_unused_for_a_month_are_deleted(tmp_path, rulebook):
    """Rows of a compiled rulebook no run has used for `UNUSED_SECONDS` go at the next save of another."""
    path = str(tmp_path / "memo.sqlite")
    compiled = compile_rulebook(rulebook)
    for key in ("stale", "recent"):
        evaluator = Evaluator(compiled, store=MemoStore(path, compiled, key))
        reports(evaluator)
        evaluator.save_memo()
        evaluator.store.close()
    long_ago = int(time.time()) - memo.UNUSED_SECONDS - 60
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("UPDATE version SET used = ? WHERE book = ?", (long_ago, memo.book_number("stale")))
    current = Evaluator(compiled, store=MemoStore(path, compiled, "current"))
    reports(current)
    current.save_memo()
    books = {book for book, _, _ in _rows(Path(path))}
    assert books == {memo.book_number("recent"), memo.book_number("current")}


def test_a_torn_store_is_no_memo(cache_dir, truth):
    """A store cut short (a crash of the disk, a copy interrupted) gives the reports of a run without a memo."""
    compiled, store = cache.open_rulebook(RULES)
    first = Evaluator(compiled, store=store)
    reports(first)
    first.save_memo()
    store.close()
    path = cache_dir / "memo.sqlite"
    data = path.read_bytes()
    assert len(data) > 3 * 4096
    path.write_bytes(data[: len(data) // 2])
    for _ in range(3):  # torn, then what the runs after it left
        _, torn = cache.open_rulebook(RULES)
        evaluator = Evaluator(compiled, store=torn)
        assert reports(evaluator) == truth
        evaluator.save_memo()
        torn.close()
    assert evaluator.evaluations == 0  # the store serves again
