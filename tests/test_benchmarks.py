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


def _bench_run():
    """benchmarks/run.py as a module (it is a script, not part of the package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_markdown_table_replaces_the_one_between_the_markers(tmp_path):
    """`run.py --markdown FILE` puts the new table, dated, with its machine and commit, where the old one was, and
    leaves the prose around it as it was; a file without the markers becomes the table alone."""
    bench = _bench_run()
    rows = ["| measurement | value |", "|---|---|", "| start | 90 ms |"]
    text = bench.markdown(rows, "python benchmarks/run.py --quick", "2026-12-07 16:00 UTC", "2 cores", "abc1234")
    page = tmp_path / "performance.md"
    page.write_text(f"# Performance\n\nBefore.\n\n{bench.START}\n| old |\n{bench.END}\n\nAfter.\n", encoding="utf-8")
    bench.write_markdown(page, text)
    written = page.read_text(encoding="utf-8")
    assert written.startswith("# Performance\n\nBefore.\n\n" + bench.START)
    assert written.endswith(bench.END + "\n\nAfter.\n")
    assert "| old |" not in written and "| start | 90 ms |" in written
    assert "Measured 2026-12-07 16:00 UTC at commit abc1234, with `python benchmarks/run.py --quick`." in written
    assert "Machine: 2 cores." in written
    fresh = tmp_path / "table.md"
    bench.write_markdown(fresh, text)
    assert fresh.read_text(encoding="utf-8") == text


def test_the_commit_measured_is_named():
    """The table names the commit it was measured at (a git checkout here)."""
    named = _bench_run().commit()
    assert named.split()[0].isalnum() and not named.startswith("unknown")
