"""The fixture the cache tests share."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    """A cache folder of this test's own, caching on."""
    where = tmp_path / "cache"
    monkeypatch.setenv("GUIDELINES_CACHE_DIR", str(where))
    monkeypatch.delenv("GUIDELINES_NO_CACHE", raising=False)
    return where
