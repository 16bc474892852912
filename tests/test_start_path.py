"""What a warm start of `guidelines evaluate` imports: the command's start stays light as features are added.

A report of a valid file on a warm cache needs neither the rule files' loader nor pydantic's model classes
(the scenario is checked by pydantic-core with a prebuilt schema): importing either costs a start tens of
milliseconds, which `benchmarks/run.py` measures. This test names the modules, not the time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import ROOT

PROBE = """
import io, json, sys
sys.argv = ["guidelines", "evaluate", sys.argv[1]]
sys.stdout = io.StringIO()
from engine.cli import main
try:
    main()
except SystemExit:
    pass
sys.__stdout__.write(json.dumps(sorted(sys.modules)))
"""
HEAVY = ["pydantic.main", "engine.rulebook.load", "engine.scenario.located", "engine.scenario.models"]


def _modules(tmp_path, path: str) -> set[str]:
    env = {**os.environ, "GUIDELINES_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # the first run fills the cache; the second is the warm start
        done = subprocess.run([sys.executable, "-c", PROBE, path], capture_output=True, text=True, env=env, cwd=ROOT)
        assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout))


def test_a_warm_start_imports_neither_the_rule_loader_nor_pydantic_models(tmp_path):
    loaded = _modules(tmp_path, "scenarios/strait.yaml")
    assert "engine.report.model" in loaded  # the probe did evaluate
    assert [name for name in HEAVY if name in loaded] == []


def test_a_history_file_with_its_record_and_sources_keeps_the_start_light(tmp_path):
    loaded = _modules(tmp_path, "scenarios/history/korea_2017.yaml")
    assert "engine.report.record" in loaded
    assert [name for name in HEAVY if name in loaded] == []
