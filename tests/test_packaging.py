"""The package declares what it imports: a plain `pip install .` runs every command."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_module_the_engine_imports_comes_with_a_plain_install():
    """Each third-party module imported anywhere in engine/ (inside functions too) is a runtime dependency's.

    `guidelines check` imports hypothesis: a test extra would leave it out of
    a plain install, and the command would die with ModuleNotFoundError.
    """
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r) for r in project["dependencies"]}
    provided = set(declared)
    for name in declared:  # and what those bring along
        provided |= {_name(r) for r in metadata.requires(name) or () if "extra ==" not in r}
    owners = metadata.packages_distributions()
    missing = set()
    for path in (ROOT / "engine").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top in ("engine", "__future__"):
                    continue
                if not {_name(d) for d in owners.get(top, [top])} & provided:
                    missing.add(f"{top} ({path.relative_to(ROOT)})")
    assert not missing, sorted(missing)
    assert "hypothesis" in declared
