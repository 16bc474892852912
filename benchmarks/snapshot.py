"""Every report of every shipped scenario, in every format, written to a folder: to compare two versions.

Run it from a tree that holds `engine/` and `rules/` (a checkout, or `git archive REV engine rules` unpacked),
with that tree first on the path, so that file paths in the output (coverage names rule files) are alike:

    git archive BASE engine rules | tar -x -C /tmp/old
    (cd /tmp/old && PYTHONPATH=. python ~/src/guidelines/benchmarks/snapshot.py /tmp/snap-old)
    (cd ~/src/guidelines && python benchmarks/snapshot.py /tmp/snap-new)
    diff -r /tmp/snap-old /tmp/snap-new          # silent when nothing changed

A refactoring of the report layer must leave every file byte-identical:
evaluate in each format (under the rulebook of each file's date and under
each shipped rulebook), each phase of a phased file, explain (sentences,
trace, JSON), compare in each format, diff between neighbouring files, and
coverage. Each command's exit code and standard error are kept beside its
output. The memo and the cache are off, so every report is derived on
durable_rules: a change in how rules are compiled shows here too. The
commands run in one process (click's test runner), so the whole set takes
seconds rather than one start per command. The scenarios are those
beside this script.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from click.testing import CliRunner

os.environ["GUIDELINES_NO_CACHE"] = "1"  # before the engine is imported: every report from durable_rules

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ["text", "table", "json", "markdown", "csv", "html"]


def phases_of(path: Path) -> list[str]:
    import yaml

    data = yaml.safe_load(path.read_text())
    return [phase["id"] for phase in data.get("phases") or []]


def commands(scenarios: list[Path]) -> dict[str, list[str]]:
    """Each output's file name and the `guidelines` arguments that make it."""
    out: dict[str, list[str]] = {}
    for path in scenarios:
        name, file = path.stem, str(path)
        for fmt in FORMATS:
            out[f"{name}.evaluate.{fmt}"] = ["evaluate", "--format", fmt, file]
            out[f"{name}.compare.{fmt}"] = ["compare", "--format", fmt, file]
            for rulebook in ("1997", "2015"):
                out[f"{name}.evaluate.{rulebook}.{fmt}"] = ["evaluate", "--rulebook", rulebook, "--format", fmt, file]
        out[f"{name}.evaluate.ids-full.text"] = ["evaluate", "--ids", "--cite", "full", file]
        out[f"{name}.evaluate.ids-full.markdown"] = [
            "evaluate",
            "--ids",
            "--cite",
            "full",
            "--format",
            "markdown",
            file,
        ]
        out[f"{name}.explain.text"] = ["explain", file]
        out[f"{name}.explain.full.text"] = ["explain", "--cite", "full", file]
        out[f"{name}.explain.trace"] = ["explain", "--trace", file]
        out[f"{name}.explain.json"] = ["explain", "--format", "json", file]
        out[f"{name}.explain.2015.text"] = ["explain", "--rulebook", "2015", file]
        for phase in phases_of(path):
            for fmt in FORMATS:
                out[f"{name}.phase-{phase}.evaluate.{fmt}"] = ["evaluate", "--phase", phase, "--format", fmt, file]
            out[f"{name}.phase-{phase}.explain.text"] = ["explain", "--phase", phase, file]
            out[f"{name}.phase-{phase}.explain.json"] = ["explain", "--phase", phase, "--format", "json", file]
    for one, other in zip(scenarios, scenarios[1:], strict=False):
        for fmt in ("text", "json", "markdown"):
            out[f"{one.stem}--{other.stem}.diff.{fmt}"] = ["diff", "--format", fmt, str(one), str(other)]
            out[f"{one.stem}--{other.stem}.diff.2015.{fmt}"] = [
                "diff", "--rulebook", "2015", "--format", fmt, str(one), str(other),
            ]  # fmt: skip
    folder = str(ROOT / "scenarios")
    for fmt in FORMATS:
        out[f"all.evaluate.{fmt}"] = ["evaluate", "--format", fmt, folder]
        out[f"all.compare.{fmt}"] = ["compare", "--format", fmt, folder]
    for fmt in ("text", "json"):
        out[f"all.coverage.{fmt}"] = ["coverage", "--format", fmt, folder]
    out["korea.diff.set.text"] = ["diff", str(ROOT / "scenarios/korea.yaml"), "--set", "areas.yellow_sea.combat=none"]
    return out


def main(argv: list[str]) -> int:
    if argv and argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    if len(argv) != 1 or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    target = Path(argv[0])
    target.mkdir(parents=True, exist_ok=True)
    from engine.cli import main as cli

    runner = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1"})
    scenarios = sorted((ROOT / "scenarios").glob("*.yaml"))
    for name, args in commands(scenarios).items():
        done = runner.invoke(cli, args, prog_name="guidelines")
        text = done.stdout_bytes.replace(str(ROOT).encode(), b"ROOT")
        (target / name).write_bytes(text)
        err = done.stderr_bytes.replace(str(ROOT).encode(), b"ROOT")
        (target / f"{name}.exit").write_bytes(f"{done.exit_code}\n".encode() + err)
        if done.exception is not None and not isinstance(done.exception, SystemExit):
            print(f"{name}: {done.exception!r}", file=sys.stderr)
    print(f"{len(list(target.iterdir()))} files in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
