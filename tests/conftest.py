"""Shared fixtures: one CLI runner, the shipped rulebook and its evaluator, hypothesis profiles."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from engine.rete.evaluators import evaluator_for
from engine.rulebook.choice import role_ids, shipped_rulebooks
from engine.rulebook.load import load_rulebook


def _test_cache() -> None:
    """Compiled rulebooks and stored outcomes go to a folder of this test run, not the user's cache; the folder
    goes when the run ends. The subprocesses tests start inherit it, and so do pytest-xdist's workers, started
    after this ran in the main process: a rulebook compiled by one worker is read by the others (the cache
    writes each file whole, by renaming it into place), and only the main process removes the folder."""
    if "GUIDELINES_CACHE_DIR" in os.environ:
        return
    folder = tempfile.mkdtemp(prefix="guidelines-test-cache-")
    os.environ["GUIDELINES_CACHE_DIR"] = folder
    parent = os.getpid()

    def remove() -> None:
        if os.getpid() == parent:  # not in a forked worker, which would pull the cache from under the run
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)


_test_cache()

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
RULES = ROOT / "rules" / "1997"
# A rulebook in the version 2 rule language using every construct (not the law: tests only).
RULES_V2 = Path(__file__).resolve().parent / "rulebook" / "fixtures" / "v2"
# The shipped roles (in report order) and rulebooks, as their files say: tests count from these, not literals.
ROLE_IDS = tuple(role_ids(str(RULES)))
RULEBOOK_IDS = tuple(book.id for book in shipped_rulebooks())

# Bounded in CI; `HYPOTHESIS_PROFILE=deep pytest` (or --hypothesis-profile=deep) explores far more.
settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in the checkout, so a test can name `scenarios/...` as a user does: a report's header and its
    width then do not depend on how deep the checkout lies (a CI runner's folder may be long)."""
    monkeypatch.chdir(ROOT)
    return ROOT


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "100"})


@pytest.fixture(scope="session")
def rulebook():
    return load_rulebook(RULES)


@pytest.fixture(scope="session")
def evaluator(rulebook):
    return evaluator_for(rulebook)


@pytest.fixture(scope="session")
def fresh(rulebook):
    """An evaluator without the memo: every evaluation runs on durable_rules."""
    from engine.rete.runtime import Evaluator

    return Evaluator(rulebook, memo=False)


@pytest.fixture(scope="session")
def rulebook_v2():
    return load_rulebook(RULES_V2)


@pytest.fixture(scope="session")
def fresh_v2(rulebook_v2):
    """An evaluator of the version 2 fixture rulebook without the memo."""
    from engine.rete.runtime import Evaluator

    return Evaluator(rulebook_v2, memo=False)


@pytest.fixture
def v2_copy(tmp_path: Path) -> Path:
    """A copy of the version 2 fixture rulebook to edit."""
    target = tmp_path / "rules_v2"
    shutil.copytree(RULES_V2, target)
    return target


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A copy of the shipped rulebook to edit."""
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    return target
