"""The cache folder stays under its size limit: stale files go, then the least recently used, never others' files."""

from __future__ import annotations

import os
import time

import pytest

from engine.report.evaluate import evaluate_data
from engine.rete import cache, cachedir
from engine.rete.runtime import Evaluator

from ..conftest import RULES
from .test_cache import reports
from .test_memo_size import generated

DAY = 86400


@pytest.mark.parametrize(
    ("text", "size"),
    [("123", 123), ("64M", 64 << 20), ("64MiB", 64 << 20), ("1.5g", 3 << 29), ("512 KB", 512 << 10), ("2k", 2048)],
)
def test_sizes_read_as_people_write_them(text, size):
    assert cachedir.parse_size(text) == size


@pytest.mark.parametrize("text", ["", "abc", "-1M", "12X", "1e6"])
def test_a_size_that_is_not_one_is_refused_and_the_default_applies(text, monkeypatch):
    with pytest.raises(ValueError, match="is not a size"):
        cachedir.parse_size(text)
    monkeypatch.setenv("GUIDELINES_CACHE_SIZE", text)
    assert cachedir.size_limit() == cachedir.DEFAULT_LIMIT


def _file(folder, name: str, size: int, age_days: float = 0) -> None:
    path = folder / name
    path.write_bytes(b"x" * size)
    when = time.time() - age_days * DAY
    os.utime(path, (when, when))


def test_stale_files_are_pruned_and_files_not_the_caches_are_left_alone(tmp_path):
    """Compiled rulebooks unused for a month, memo files of the older format and leftover temporary files go;
    a recent compiled rulebook and any file the cache did not write stay."""
    _file(tmp_path, "compiled-old.json", 10, age_days=40)
    _file(tmp_path, "compiled-new.json", 10, age_days=2)
    _file(tmp_path, "memo-0123.json", 10)
    _file(tmp_path, ".tmp-abc.json", 10, age_days=1)
    _file(tmp_path, ".tmp-writing.json", 10)  # a write under way
    _file(tmp_path, "notes.txt", 10, age_days=400)
    left = cachedir.prune(str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tmp-writing.json", "compiled-new.json", "notes.txt"]
    assert sorted(item.name for item in left) == sorted(p.name for p in tmp_path.iterdir())


def test_over_the_limit_the_least_recently_used_compiled_rulebooks_go_first(tmp_path, monkeypatch):
    """With a 1 MiB limit, compiled rulebooks may take half: the oldest go until they fit; one in use stays."""
    monkeypatch.setenv("GUIDELINES_CACHE_SIZE", "1M")
    for n in range(6):
        _file(tmp_path, f"compiled-{n}.json", 200_000, age_days=6 - n)  # compiled-5 the most recent
    _file(tmp_path, "compiled-now.json", 200_000)  # read a moment ago: in use
    cachedir.prune(str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compiled-5.json", "compiled-now.json"]
    assert cachedir.memo_budget(str(tmp_path)) == (1 << 20) - 400_000 - cachedir.journal_allowance(1 << 20)


def test_reading_a_compiled_rulebook_marks_it_used(cache_dir):
    """A compiled rulebook read from the cache counts as used, so pruning by age keeps the ones in use."""
    cache.open_rulebook(RULES)
    (path,) = cache_dir.glob("compiled-*.json")
    when = time.time() - 40 * DAY
    os.utime(path, (when, when))
    cache.open_rulebook(RULES)
    assert path.stat().st_mtime > time.time() - 60
    cachedir.prune(str(cache_dir))
    assert path.exists()


def test_the_whole_folder_stays_within_a_small_limit(cache_dir, monkeypatch):
    """Under a limit smaller than what a batch would store, the memo store evicts to fit: the folder ends within
    the limit, and reports are those of runs without a memo."""
    cache.open_rulebook(RULES)
    (compiled_file,) = cache_dir.glob("compiled-*.json")
    limit = compiled_file.stat().st_size + (80 << 10)  # the compiled rulebook, and a small memo store
    monkeypatch.setenv("GUIDELINES_CACHE_SIZE", str(limit))
    scenarios = generated(200)
    fresh = Evaluator(cache.compiled_rulebook(RULES), memo=False)
    truth = [evaluate_data(data, fresh, source="<generated>").as_dict() for data in scenarios]
    for _ in range(2):
        compiled, store = cache.open_rulebook(RULES)
        evaluator = Evaluator(compiled, store=store)
        assert [evaluate_data(data, evaluator, source="<generated>").as_dict() for data in scenarios] == truth
        evaluator.save_memo()
        store.close()
    assert sum(item.size for item in cachedir.contents(str(cache_dir))) <= limit
    assert 0 < store.count() < len(evaluator._memo)  # the run met more outcomes than the store kept


def test_clearing_removes_only_what_the_cache_wrote(cache_dir):
    compiled, store = cache.open_rulebook(RULES)
    evaluator = Evaluator(compiled, store=store)
    reports(evaluator)
    evaluator.save_memo()
    store.close()
    (cache_dir / "hypothesis").mkdir()
    (cache_dir / "hypothesis" / "examples").write_text("x")
    (cache_dir / "notes.txt").write_text("mine")
    removed, freed, failed = cachedir.clear(str(cache_dir))
    assert removed == 3 and freed > 0 and failed == []
    assert [p.name for p in cache_dir.iterdir()] == ["notes.txt"]
