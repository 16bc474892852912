"""Rulebooks compiled when the package is built: read on a first start instead of compiling, never when they
could differ from what compiling gives."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from engine.rete import cache, prebuilt
from engine.rete.compiler import compile_rulebook
from engine.rulebook.choice import shipped_rulebooks
from engine.rulebook.load import load_rulebook
from engine.rulebook.shipped import default_rules_dir


@pytest.fixture
def built(tmp_path, monkeypatch) -> Path:
    """The shipped rulebooks built into a folder of this test's own, where `prebuilt` looks."""
    folder = tmp_path / "built"
    monkeypatch.setattr(prebuilt, "FOLDER", str(folder))
    written = cache.build_shipped(str(folder))
    assert len(written) == len(shipped_rulebooks()) >= 2
    return folder


def _no_compiling(monkeypatch) -> list[str]:
    compiled: list[str] = []

    def refuse(root, files):
        compiled.append(root)
        return compile_rulebook(load_rulebook(root, files)), None

    monkeypatch.setattr(cache, "_compiled", refuse)
    return compiled


@pytest.mark.parametrize("book", [book.id for book in shipped_rulebooks()])
def test_a_built_rulebook_is_byte_for_byte_what_compiling_gives(built, book):
    """What the build wrote, read back at the rulebooks' folder, is the JSON of compiling the same files here: the
    cache keeps the same bytes, and the memo store keys the same outcomes, either way."""
    root = default_rules_dir(book)
    files = cache.read_rules(root)
    assert prebuilt.find(root, files, cache._engine_digest()) == cache.dumps(
        compile_rulebook(load_rulebook(root, files))
    ).encode("utf-8")


def test_the_built_file_names_no_folder_of_the_machine_it_was_built_on(built):
    """The shipped rulebooks' folder is written as a mark, so one built file serves wherever it is installed."""
    here = os.path.dirname(default_rules_dir()).encode()
    for path in built.iterdir():
        assert here not in path.read_bytes()
        assert prebuilt.MARK.encode() in path.read_bytes()


def test_an_empty_cache_reads_the_built_rulebook_and_keeps_it(built, cache_dir, monkeypatch):
    """A first start reads the built rulebook instead of compiling, and the cache then holds it as if compiled
    here: the next start finds it there."""
    compiled = _no_compiling(monkeypatch)
    got, store = cache.open_rulebook(default_rules_dir())
    assert compiled == [] and store is not None
    assert got.rulebook.directory == default_rules_dir()
    assert len(list(cache_dir.glob("compiled-*.json"))) == 1
    monkeypatch.setattr(prebuilt, "FOLDER", str(built.parent / "gone"))
    again, _ = cache.open_rulebook(default_rules_dir())
    assert compiled == [] and cache.dumps(again) == cache.dumps(got)


def test_without_a_cache_the_built_rulebook_is_read_too(built, monkeypatch):
    monkeypatch.setenv("GUIDELINES_NO_CACHE", "1")
    compiled = _no_compiling(monkeypatch)
    got, store = cache.open_rulebook(default_rules_dir())
    assert compiled == [] and store is None and got.rulebook.id == "1997"


def test_a_tampered_built_file_is_refused(built, cache_dir, monkeypatch):
    """A built file whose payload no longer matches its seal is not used: the rulebook is compiled."""
    for path in built.iterdir():
        data = path.read_bytes()
        path.write_bytes(data.replace(b'"1997"', b'"1998"', 1))
    compiled = _no_compiling(monkeypatch)
    got, _ = cache.open_rulebook(default_rules_dir())
    assert compiled == [default_rules_dir()] and got.rulebook.id == "1997"


def test_edited_rules_or_another_engine_find_no_built_file(built, monkeypatch):
    """The built file's key covers the rule files' bytes and the engine's source, as the cache's key does."""
    root = default_rules_dir()
    files = cache.read_rules(root)
    engine = cache._engine_digest()
    assert prebuilt.find(root, files, engine) is not None
    name = next(name for name in files if name.endswith(".yaml"))
    edited = {**files, name: files[name] + b"\n"}
    assert prebuilt.find(root, edited, engine) is None
    assert prebuilt.find(root, files, b"another engine") is None


def test_a_rulebook_outside_the_shipped_folder_is_compiled(built, tmp_path):
    """Only the shipped rulebooks, named as the package names them, are built: a copy elsewhere compiles."""
    copy = tmp_path / "1997"
    shutil.copytree(default_rules_dir(), copy)
    assert prebuilt.find(str(copy), cache.read_rules(copy), cache._engine_digest()) is None
