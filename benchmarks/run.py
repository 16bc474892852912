"""The performance benchmark: start time, batch throughput, memory and scale, side by side with baselines.

    python benchmarks/run.py            # everything, about six minutes
    python benchmarks/run.py --quick    # skip the 100,000-scenario scale run

Prints a Markdown table with each measurement, its baseline, the ratio and the
target; the README's performance section holds the latest table. Run it in the
environment `guidelines` is installed in (the README's set-up), from the
repository root.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import scenario, write_corpus  # noqa: E402

BASELINE_IMPORT = [sys.executable, "-c", "import durable.engine, pydantic, click, yaml"]
PARSE_ONLY = """
import sys, yaml
for path in sorted(p for p in __import__('os').listdir(sys.argv[1]) if p.endswith('.yaml')):
    with open(sys.argv[1] + '/' + path, 'rb') as handle:
        yaml.load(handle, Loader=yaml.CSafeLoader)
"""


def guidelines(*args: str) -> list[str]:
    """The `guidelines` command installed beside this Python (as users run it)."""
    script = Path(sys.executable).parent / "guidelines"
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "engine", *args]


def run(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall time in seconds and peak RSS in KiB of one command, its output discarded."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"benchmark command failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss


def side_by_side(a: list[str], b: list[str], times: int, env_b: dict[str, str]) -> tuple[float, float]:
    """Medians of `times` alternating runs of two commands."""
    first, second = [], []
    for _ in range(times):
        first.append(run(a)[0])
        second.append(run(b, env_b)[0])
    return statistics.median(first), statistics.median(second)


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def row(name: str, value: str, baseline: str, ratio: float | None, target: str, ok: bool | None) -> str:
    shown = f"{ratio:.2f}" if ratio is not None else ""
    mark = "" if ok is None else ("yes" if ok else "NO")
    return f"| {name} | {value} | {baseline} | {shown} | {target} | {mark} |"


def scale(count: int) -> list[str]:
    """Evaluate `count` generated scenarios in this one process, every one on durable_rules (no memo)."""
    import random

    from engine.report.evaluate import evaluate_data
    from engine.rete.cache import compiled_rulebook
    from engine.rete.runtime import Evaluator
    from engine.scenario.fastschema import validate

    evaluator = Evaluator(compiled_rulebook(ROOT / "rules" / "1997"), memo=False)
    rng = random.Random(2015)
    checkpoints = {count // 10, count // 2, count}
    peaks = []
    started = time.perf_counter()
    for n in range(1, count + 1):
        report = evaluate_data(validate(scenario(rng, n)), evaluator, source="<generated>")
        assert len(report.roles) == 6
        if n in checkpoints:
            peaks.append((n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
    elapsed = time.perf_counter() - started
    assert evaluator.evaluations == count and not evaluator.broken
    lines = [f"{n:,}: {kib / 1024:.1f} MiB" for n, kib in peaks]
    growth = peaks[-1][1] / peaks[0][1]
    return [
        row(
            f"scale: {count:,} scenarios in one process, each on durable_rules (memo off)",
            f"{elapsed:.0f} s; peak RSS after " + ", ".join(lines),
            "",
            growth,
            "no growth",
            growth <= 1.2,
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the scale run")
    parser.add_argument("--scale", type=int, default=100_000, help="scenarios in the scale run")
    parser.add_argument("--runs", type=int, default=10, help="side-by-side runs for start time")
    args = parser.parse_args()

    # Installed packages carry compiled bytecode (pip writes it); a source checkout gets it here,
    # even under PYTHONDONTWRITEBYTECODE, so both sides of each comparison start alike.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "engine")], check=True)
    work = Path(tempfile.mkdtemp(prefix="guidelines-bench-"))
    cache = work / "cache"
    warm_env = dict(os.environ, GUIDELINES_CACHE_DIR=str(cache))
    cold_env = dict(os.environ, GUIDELINES_NO_CACHE="1")
    rows = [
        "| measurement | value | baseline | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]

    # -- start ---------------------------------------------------------------
    strait = guidelines("evaluate", "scenarios/strait.yaml")
    run(strait, warm_env)  # fills the cache: compiled rulebook and outcomes
    base, warm = side_by_side(BASELINE_IMPORT, strait, args.runs, warm_env)
    rows.append(
        row(
            f"start: `guidelines evaluate scenarios/strait.yaml`, median of {args.runs}",
            f"{warm * 1000:.0f} ms",
            f"{base * 1000:.0f} ms (import durable.engine, pydantic, click, yaml)",
            warm / base,
            "<= 1.5",
            warm / base <= 1.5,
        )
    )
    base, cold = side_by_side(BASELINE_IMPORT, strait, args.runs, cold_env)
    rows.append(
        row(
            "start, without the cache (GUIDELINES_NO_CACHE=1)",
            f"{cold * 1000:.0f} ms",
            f"{base * 1000:.0f} ms",
            cold / base,
            "for information",
            None,
        )
    )

    # -- batch ---------------------------------------------------------------
    small, large = work / "corpus1k", work / "corpus10k"
    write_corpus(small, 1_000)
    write_corpus(large, 10_000)
    parse = [run([sys.executable, "-c", PARSE_ONLY, str(large)])[0] for _ in range(3)]
    parse_rate = 10_000 / statistics.median(parse)

    def batch(jobs: int, fresh: bool, corpus: Path = large) -> tuple[float, int]:
        times, peaks = [], []
        for _ in range(3):
            if fresh:
                shutil.rmtree(cache, ignore_errors=True)
            elapsed, peak = run(guidelines("evaluate", "--format", "json", "--jobs", str(jobs), str(corpus)), warm_env)
            times.append(elapsed)
            peaks.append(peak)
        return statistics.median(times), max(peaks)

    for jobs, target in ((1, 0.4), (2, 0.7)):
        for fresh in (True, False):
            elapsed, _ = batch(jobs, fresh)
            rate = 10_000 / elapsed
            label = "empty cache" if fresh else "warm cache"
            rows.append(
                row(
                    f"batch: 10,000 files, `--format json --jobs {jobs}`, {label}",
                    f"{rate:,.0f} files/s",
                    f"{parse_rate:,.0f} files/s (PyYAML CSafeLoader, parse only)",
                    rate / parse_rate,
                    f">= {target}" if fresh else "for information",
                    rate / parse_rate >= target if fresh else None,
                )
            )
    _, peak_small = batch(1, True, small)
    _, peak_large = batch(1, True, large)
    rows.append(
        row(
            "memory: peak RSS, `--jobs 1`, 10,000 vs 1,000 files",
            f"{peak_large / 1024:.1f} MiB vs {peak_small / 1024:.1f} MiB",
            "",
            peak_large / peak_small,
            "<= 1.2",
            peak_large / peak_small <= 1.2,
        )
    )

    # -- scale ---------------------------------------------------------------
    if not args.quick:
        rows += scale(args.scale)

    shutil.rmtree(work, ignore_errors=True)
    print(f"Machine: {machine()}\n")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
