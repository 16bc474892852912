"""The import cost of the report model at the start of a warm `guidelines evaluate`, two source trees side by side.

    python benchmarks/import_costs.py RUNS OLD_TREE NEW_TREE   # each tree holds engine/ and rules/

Prints, for each tree, the minimum and median over RUNS of: engine.report.model's own import time, the
cumulative import time of `dataclasses` (0 when the start does not import it), and the sum of every module's own
import time (`python -X importtime`). The runs alternate between the trees. See import_costs.md.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)")


def measure(tree: str, scenario: str) -> dict[str, int]:
    """One warm start's import times in microseconds."""
    err = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "engine", "evaluate", scenario],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": tree},
        capture_output=True,
        text=True,
    ).stderr
    out = {"model_self": 0, "dataclasses_cum": 0, "total": 0}
    for line in err.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        own, cumulative, name = int(m[1]), int(m[2]), m[3]
        out["dataclasses_cum"] = cumulative if name == "dataclasses" else out["dataclasses_cum"]
        out["model_self"] = own if name == "engine.report.model" else out["model_self"]
        out["total"] += own
    return out


def main(argv: list[str]) -> int:
    runs, trees = int(argv[0]), {"old": argv[1], "new": argv[2]}
    scenario = os.path.join(ROOT, "scenarios", "strait.yaml")
    for tree in trees.values():  # warm: the compiled rulebook and the memo cached
        measure(tree, scenario)
    found: dict[str, list[dict[str, int]]] = {name: [] for name in trees}
    for _ in range(runs):
        for name, tree in trees.items():
            found[name].append(measure(tree, scenario))
    for name, rows in found.items():
        figures = {key: (min(r[key] for r in rows), statistics.median(r[key] for r in rows)) for key in rows[0]}
        print(name, figures, "(min, median µs)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
