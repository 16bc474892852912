"""The import contracts of pyproject.toml hold on engine/, and a wrong import breaks them.

The README's picture of the layers stays true only while `lint-imports` keeps
it; these tests show that it would notice. Skipped without import-linter.
"""

from __future__ import annotations

import ast
import io
import re
import shutil
import subprocess
import sys
import tokenize
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


# ----------------------------------------------------------------------------
# Read from the source (ast): sizes, private names, late imports, package lists

ENGINE = ROOT / "engine"
GENERATED = {"scenario/_scenario_schema.py"}  # written by `python -m engine.scenario.fastschema`
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80

# What is still too big, module by module, function by function. Each entry must still be over its limit (the
# test fails on an entry that is no longer needed, so the list only shrinks); no new entry may be added.
TOO_BIG_MODULES: set[str] = set()
TOO_LONG_FUNCTIONS: set[str] = set()
# Private names of another module, still imported: none.
PRIVATE_IMPORTS: set[str] = set()


def modules() -> dict[str, ast.Module]:
    """Every module of engine/ but the generated ones, by path relative to engine/, parsed."""
    out = {}
    for path in sorted(ENGINE.rglob("*.py")):
        name = path.relative_to(ENGINE).as_posix()
        if name not in GENERATED:
            out[name] = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return out


def functions(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]


def test_no_module_is_over_500_lines():
    """A module is read in one sitting: at most 500 lines (the generated schema aside)."""
    sizes = {name: len((ENGINE / name).read_text(encoding="utf-8").splitlines()) for name in modules()}
    over = {name for name, size in sizes.items() if size > MAX_MODULE_LINES}
    assert over - TOO_BIG_MODULES == set(), {name: sizes[name] for name in over - TOO_BIG_MODULES}
    assert TOO_BIG_MODULES - over == set(), "no longer too big: take these off TOO_BIG_MODULES"


def test_no_function_is_over_80_lines():
    """A function fits on a screen or two: at most 80 lines from its `def`, docstring included."""
    found = {
        f"{name}:{fn.name}": fn.end_lineno - fn.lineno + 1  # type: ignore[operator]
        for name, tree in modules().items()
        for fn in functions(tree)
    }
    over = {key for key, size in found.items() if size > MAX_FUNCTION_LINES}
    assert over - TOO_LONG_FUNCTIONS == set(), {key: found[key] for key in over - TOO_LONG_FUNCTIONS}
    assert TOO_LONG_FUNCTIONS - over == set(), "no longer too long: take these off TOO_LONG_FUNCTIONS"


def private_imports(name: str, tree: ast.Module) -> set[str]:
    """`name: module._private` for each private name (one leading underscore) imported from another module."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    out.add(f"{name}: {'.' * node.level}{node.module or ''}.{alias.name}".replace(": .", ": ", 1))
        elif isinstance(node, ast.Import):
            out.update(f"{name}: {a.name}" for a in node.names if any(p.startswith("_") for p in a.name.split(".")))
    return {entry.replace(": ..", ": ", 1) if ": .." in entry else entry for entry in out}


def test_no_module_imports_another_modules_private_names():
    """A leading underscore means "this module's own": no module imports such a name from another."""
    found = set().union(*(private_imports(name, tree) for name, tree in modules().items()))
    assert found - PRIVATE_IMPORTS == set()
    assert PRIVATE_IMPORTS - found == set(), "no longer imported: take these off PRIVATE_IMPORTS"


def test_a_private_import_is_caught():
    """The check above would see `from .table import _mark`, and a private module's name."""
    tree = ast.parse("from .table import _mark, matrix\nfrom . import _scenario_schema\n")
    assert private_imports("render/x.py", tree) == {"render/x.py: table._mark", "render/x.py: ._scenario_schema"}


def late_imports_without_a_reason(name: str, source: str) -> list[int]:
    """The lines of function-level imports in `source` that no comment explains.

    A run of imports in a function is explained by a comment on the line above its first import, or at the end
    of one of its lines.
    """
    lines = source.splitlines()
    out = []
    for fn in functions(ast.parse(source)):
        bodies = [fn.body] + [
            getattr(node, field)
            for node in ast.walk(fn)
            if node is not fn
            for field in ("body", "orelse", "finalbody")
            if isinstance(getattr(node, field, None), list)
        ]
        for body in bodies:
            run: list[ast.stmt] = []
            for stmt in [*body, None]:
                if isinstance(stmt, ast.Import | ast.ImportFrom):
                    run.append(stmt)
                    continue
                if run:
                    above = lines[run[0].lineno - 2].strip() if run[0].lineno > 1 else ""
                    trailing = any("#" in lines[s.end_lineno - 1] for s in run)  # type: ignore[operator]
                    if not above.startswith("#") and not trailing:
                        out.append(run[0].lineno)
                run = []
    return sorted(set(out))


def test_every_late_import_says_why():
    """A function-level import costs a reader a question; outside the command line (whose verbs load late by
    design) each says why it is late, in a comment."""
    missing = {
        f"{name}:{line}"
        for name in modules()
        if not name.startswith("cli/")
        for line in late_imports_without_a_reason(name, (ENGINE / name).read_text(encoding="utf-8"))
    }
    assert missing == set()


def test_a_late_import_without_a_reason_is_caught():
    source = "def f():\n    import json\n\n    return json\n\n\ndef g():\n    import os  # only g needs it\n"
    assert late_imports_without_a_reason("x.py", source) == [2]


TIMING = re.compile(r"\b\d+(\.\d+)?\s?(ms|µs|ns|milliseconds|seconds)\b")


def test_no_timings_in_comments_or_docstrings():
    """Timings go stale in the code: they live in benchmarks/ (import_costs.md) and the performance docs."""
    found = []
    for name in modules():
        source = (ENGINE / name).read_text(encoding="utf-8")
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type in (tokenize.COMMENT, tokenize.STRING) and TIMING.search(token.string):
                found.append(f"{name}:{token.start[0]}: {TIMING.search(token.string)[0]}")  # type: ignore[index]
    assert found == []


def listed_modules(docstring: str) -> set[str]:
    """The module names a package's docstring lists: lines that open with a name, then two spaces or more."""
    return {m[1] for m in re.finditer(r"^\s*([a-z_][a-z0-9_]*)\s{2,}\S", docstring, re.MULTILINE)}


LISTING_PACKAGES = sorted(
    path.parent.relative_to(ENGINE).as_posix()
    for path in ENGINE.glob("*/__init__.py")
    if path.parent.name != "cli"  # its modules are its commands, listed by `guidelines --help`
)


@pytest.mark.parametrize("package", LISTING_PACKAGES)
def test_each_package_lists_its_modules(package):
    """A package's docstring says what each of its modules does: every module listed, every listed one there."""
    folder = ENGINE / package
    docstring = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8"))) or ""
    present = {p.stem for p in folder.glob("*.py") if p.stem != "__init__" and not p.stem.startswith("_")}
    present |= {p.name for p in folder.iterdir() if (p / "__init__.py").exists()}
    assert listed_modules(docstring) == present


def test_the_report_layer_is_split_by_job():
    """report, render and explanation are layers of their own, in that order from the bottom, below verify."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    layers = re.search(r"layers = \[(.*?)\]", text, re.DOTALL)[1]  # type: ignore[index]
    order = [line.strip().strip('",') for line in layers.splitlines() if line.strip()]
    assert order.index("verify") < order.index("explanation") < order.index("render") < order.index("report")
