"""The compiled-rulebook cache and the stored outcomes: same results, invalidated by any change."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from engine.report.evaluate import evaluate_data
from engine.rete import cache, memo
from engine.rete.compiler import compile_rulebook
from engine.rete.memo import MemoStore
from engine.rete.runtime import Evaluator
from engine.rulebook.load import load_rulebook
from engine.scenario import load

from ..conftest import RULES, SCENARIOS


def reports(evaluator: Evaluator) -> list[dict]:
    return [evaluate_data(load(p).data, evaluator, source=str(p)).as_dict() for p in sorted(SCENARIOS.glob("*.yaml"))]


def test_cached_rulebook_is_the_compiled_rulebook(cache_dir):
    """A compiled rulebook read back from the cache evaluates every shipped scenario identically."""
    fresh = compile_rulebook(load_rulebook(RULES))
    first, _ = cache.open_rulebook(RULES)  # compiles and writes
    again, _ = cache.open_rulebook(RULES)  # reads
    assert len(list(cache_dir.glob("compiled-*.json"))) == 1
    assert cache.dumps(again) == cache.dumps(fresh) == cache.dumps(first)
    assert reports(Evaluator(again, memo=False)) == reports(Evaluator(fresh, memo=False))


def test_any_change_to_the_rules_changes_the_key(tmp_path):
    copy = tmp_path / "rules"
    shutil.copytree(RULES, copy)
    before = cache.key(copy)
    path = copy / "roles" / "surveillance.yaml"
    path.write_text(path.read_text() + "\n")
    assert cache.key(copy) != before


def test_a_damaged_cache_is_not_used(cache_dir):
    cache.open_rulebook(RULES)
    for path in cache_dir.glob("compiled-*.json"):
        path.write_text("{not json")
    compiled, _ = cache.open_rulebook(RULES)
    assert compiled.rulebook.id == "1997"


def test_no_cache_when_turned_off(cache_dir, monkeypatch):
    monkeypatch.setenv("GUIDELINES_NO_CACHE", "1")
    compiled, store = cache.open_rulebook(RULES)
    assert store is None and not cache_dir.exists()


def test_stored_outcomes_answer_without_durable_rules(cache_dir):
    """Outcomes saved by one evaluator answer another without any engine run, with identical reports."""
    compiled, store = cache.open_rulebook(RULES)
    first = Evaluator(compiled, store=store)
    expected = reports(first)
    first.save_memo()
    assert (cache_dir / "memo.sqlite").is_file()
    _, reopened = cache.open_rulebook(RULES)
    second = Evaluator(compiled, store=reopened)
    assert reports(second) == expected
    assert second.evaluations == 0 and second._host is None


def test_a_damaged_memo_store_is_not_used(tmp_path, rulebook):
    """Stored outcomes that do not fit the rules (or a file that is not a database) are recomputed, not trusted."""
    path = str(tmp_path / "memo.sqlite")
    compiled = compile_rulebook(rulebook)
    first = Evaluator(compiled, store=MemoStore(path, compiled, "k"))
    expected = reports(first)
    first.save_memo()
    with closing(sqlite3.connect(path)) as db, db:
        for situation, body in db.execute("SELECT situation, body FROM outcome").fetchall():
            raw = json.loads(body)
            raw[1] = raw[1][:-1]  # one node value short, sealed as if written so
            short = json.dumps(raw)
            db.execute(
                "UPDATE outcome SET body = ?, seal = ? WHERE situation = ?",
                (short, memo.row_seal("k", situation, short), situation),
            )
    second = Evaluator(compiled, store=MemoStore(path, compiled, "k"))
    assert reports(second) == expected and second.evaluations > 0 and second.store.refused > 0
    for name in ("memo.sqlite-wal", "memo.sqlite-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    Path(path).write_text("{not json")
    third = Evaluator(compiled, store=MemoStore(path, compiled, "k"))
    assert reports(third) == expected
    third.save_memo()  # the file that was not a database is now the store
    fourth = Evaluator(compiled, store=MemoStore(path, compiled, "k"))
    assert reports(fourth) == expected and fourth.evaluations == 0
