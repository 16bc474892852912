"""Render every shipped scenario in every form that reads the engine's firings, into one folder, for a byte diff.

    PYTHONPATH=TREE python benchmarks/snapshots.py OUT_DIR

Each scenario is rendered under the rulebook of its date and under each
shipped rulebook: `evaluate` as JSON and text, `explain` as JSON, text and
`--trace` (every phase of a phased file). Every render runs on durable_rules
(the memo is off and so is the cache), so comparing the folders written from
two trees, with `diff -r`, compares what their compiled rules derive. Used to
check that a change in how the rules are compiled changes no report.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ["GUIDELINES_NO_CACHE"] = "1"


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    from click.testing import CliRunner

    from engine.cli import main as cli
    from engine.rete import runtime

    plain = runtime.Evaluator.__init__

    def memo_off(self, rulebook, *, memo=True, store=None):  # type: ignore[no-untyped-def]
        plain(self, rulebook, memo=False, store=None)

    runtime.Evaluator.__init__ = memo_off  # type: ignore[method-assign]
    out = out.resolve()
    os.chdir(Path(__file__).resolve().parent.parent)  # paths as printed are relative: the same from either tree
    runner = CliRunner()
    scenarios = sorted(Path("scenarios").glob("*.yaml"))
    for path in scenarios:
        text = path.read_text(encoding="utf-8")
        phases = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("  - id:")]
        phases = phases if "\nphases:" in text else []
        for rulebook in ([], ["--rulebook", "1997"], ["--rulebook", "2015"]):
            tag = f"{path.stem}.{rulebook[-1] if rulebook else 'dated'}"
            renders = {
                "evaluate.json": ["evaluate", "--format", "json", *rulebook, str(path)],
                "evaluate.txt": ["evaluate", *rulebook, str(path)],
            }
            for phase in phases or [None]:
                at = ["--phase", phase] if phase else []
                name = f".{phase}" if phase else ""
                renders[f"explain{name}.json"] = ["explain", "--format", "json", *rulebook, *at, str(path)]
                renders[f"explain{name}.txt"] = ["explain", *rulebook, *at, str(path)]
                renders[f"trace{name}.txt"] = ["explain", "--trace", *rulebook, *at, str(path)]
            for suffix, args in renders.items():
                result = runner.invoke(cli, args, env={"COLUMNS": "80", "NO_COLOR": "1"})
                body = f"exit {result.exit_code}\n{result.output}"
                (out / f"{tag}.{suffix}").write_text(body, encoding="utf-8")
    print(f"{len(list(out.iterdir()))} renders of {len(scenarios)} scenarios in {out}")


if __name__ == "__main__":
    main()
