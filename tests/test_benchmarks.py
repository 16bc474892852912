"""The benchmarks' corpus is what its docstring says: valid scenario files, every one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from engine.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_the_generated_corpus_is_all_valid(tmp_path):
    """A drawn request is never repeated in one force's list (the loader refuses an item listed twice at one
    place), so no file of a benchmark's corpus fails to load and every row measures evaluations."""
    folder = tmp_path / "corpus"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "corpus.py"), "--count", "400", "--seed", "7", str(folder)],
        check=True,
        capture_output=True,
    )
    result = CliRunner().invoke(main, ["validate", "-q", str(folder)])
    assert len(list(folder.glob("*.yaml"))) == 400
    assert result.exit_code == 0, result.output
