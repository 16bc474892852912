"""The package's build step: every shipped rulebook compiled, so that a first start need not compile it.

Hatch runs this hook when it builds a wheel or an editable install (see
`[tool.hatch.build.hooks.custom]` in pyproject.toml, whose runtime
dependencies it installs first). The compiled rulebooks go where
`engine/rete/prebuilt.py` looks for them. A build that cannot compile them
says so and goes on: the package then compiles each rulebook on its first use,
as before.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

BUILD = "import sys\nfrom engine.rete.cache import build_shipped\nprint('\\n'.join(build_shipped(sys.argv[1])))"
TARGET = "engine/rete/compiled"


class CompiledRulebooks(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        editable = version == "editable"
        folder = os.path.join(self.root, *TARGET.split("/")) if editable else tempfile.mkdtemp(prefix="rulebooks-")
        self.built = None if editable else folder  # removed once the wheel holds its files
        env = dict(os.environ, PYTHONPATH=self.root, GUIDELINES_NO_CACHE="1")
        done = subprocess.run(
            [sys.executable, "-c", BUILD, folder], cwd=self.root, env=env, capture_output=True, text=True
        )
        if done.returncode != 0:
            self.app.display_warning(f"shipped rulebooks not compiled in advance:\n{done.stderr[-2000:]}")
            return
        if not editable:  # a wheel takes them from the temporary folder
            for path in done.stdout.split():
                build_data["force_include"][path] = f"{TARGET}/{os.path.basename(path)}"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        folder = getattr(self, "built", None)  # not set when initialize failed early
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
