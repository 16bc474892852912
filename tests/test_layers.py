"""The import contracts of pyproject.toml hold on engine/, and a wrong import breaks them.

The README's picture of the layers stays true only while `lint-imports` keeps
it; these tests show that it would notice. Skipped without import-linter.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytest.importorskip("importlinter")

LINT_IMPORTS = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on the `engine` package and pyproject.toml found in `where`."""
    return subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "pyproject.toml", "--no-cache"],
        cwd=where,
        capture_output=True,
        text=True,
    )


def test_the_package_keeps_its_contracts():
    """Layers, the durable_rules and click boundaries, and no cycles: every contract is kept."""
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


LAYERS = "Layers: each part of engine imports only the parts below it"


@pytest.mark.parametrize(
    "module, code, contract",
    [
        ("scenario/vocab.py", "from ..report import model", LAYERS),
        ("scenario/vocab.py", "def later():\n    from ..report import model", LAYERS),
        ("render/text.py", "import click", "Only engine.cli imports click"),
        ("rulebook/describe.py", "import durable_rules_engine", "Only engine.rete imports durable_rules"),
        ("rete/outcome.py", "from . import runtime", "No import cycles, within any package of engine or between them"),
    ],
    ids=[
        "upward import",
        "upward import inside a function",
        "click outside cli",
        "durable_rules outside rete",
        "cycle",
    ],
)
def test_a_wrong_import_breaks_a_contract(tmp_path, module, code, contract):
    """A copy of the package with one wrong import added fails `lint-imports`, naming the contract."""
    shutil.copytree(ROOT / "engine", tmp_path / "engine", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    path = tmp_path / "engine" / module
    path.write_text(path.read_text() + f"\n\n{code}  # noqa\n")
    done = lint_imports(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{contract} BROKEN" in done.stdout
