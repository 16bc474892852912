"""The performance benchmark: start time, batch throughput, the engine without memo, memory, side by side.

    python benchmarks/run.py            # everything, about fifteen minutes on two cores
    python benchmarks/run.py --quick    # skip the 100,000-scenario memory run
    python benchmarks/run.py --markdown docs/performance.md   # and put the table in the docs

Prints the machine, then a Markdown table with each measurement, its baseline
(measured in the same run), the ratio and the target. `--markdown FILE`
writes the table too, with the date, the machine and the commit measured:
in place of the one between the markers `docs/performance.md` holds. Run it in the environment
`guidelines` is installed in (the README's set-up), from the repository root
of a git checkout.

The corpus (`corpus.py`) uses every field of version 2 of the scenario format,
with phases in some files when the installed loader accepts them. Rows for
commands this version lacks (`compare`) say "not available".

Start times depend on compiled bytecode: an installed package has it, but with
PYTHONDONTWRITEBYTECODE set a source checkout would compile every module on
every start, so the benchmark compiles the package first (`compileall`). For
the same reason it compiles the shipped rulebooks where an installed package
holds them (`engine/rete/prebuilt.py`, done by `hatch_build.py` when a wheel or
an editable install is built), so an empty cache folder is measured as users
meet it.

The memo-off rows measure the engine itself (every scenario on durable_rules)
against the engine as it was at `--baseline-rev` (default: the commit before
the engine's throughput work), exported with `git archive` and run on the
same generated scenarios in the same run.
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

from corpus import phases_supported, write_corpus  # noqa: E402

BASELINE_REV = "2074a95"  # the engine before the memo-off throughput work
BASELINE_IMPORT = [sys.executable, "-c", "import durable.engine, pydantic, click, yaml"]
PREBUILD = "import sys\nfrom engine.rete.cache import build_shipped\nbuild_shipped(sys.argv[1])"
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
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{model}, {cores} cores, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def row(name: str, value: str, baseline: str, ratio: float | None, target: str, ok: bool | None) -> str:
    shown = f"{ratio:.2f}" if ratio is not None else ""
    mark = "" if ok is None else ("yes" if ok else "NO")
    return f"| {name} | {value} | {baseline} | {shown} | {target} | {mark} |"


MEMO_OFF = """
import random, sys, time
sys.path.insert(0, sys.argv[1])
from corpus import scenario
from engine.report.evaluate import evaluate_data
from engine.rete.cache import compiled_rulebook
from engine.rete.runtime import Evaluator
from engine.scenario.fastschema import validate
count, seed = int(sys.argv[2]), int(sys.argv[3])
evaluator = Evaluator(compiled_rulebook(sys.argv[4]), memo=False)
rng = random.Random(seed)
data = [validate(scenario(rng, n)) for n in range(count)]
evaluate_data(data[0], evaluator, source="<generated>")
started = time.perf_counter()
for item in data:
    evaluate_data(item, evaluator, source="<generated>")
print(time.perf_counter() - started)
"""


def memo_off(count: int, jobs: int, tree: Path) -> float:
    """Scenarios per second with every one on durable_rules, in `jobs` processes at once, on the engine in `tree`.

    The scenarios are generated and validated before the clock starts: this is the engine and the report alone.
    """
    env = dict(os.environ, PYTHONPATH=str(tree))
    share = count // jobs
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", MEMO_OFF, str(HERE), str(share), str(2015 + j), str(tree / "rules" / "1997")],
            stdout=subprocess.PIPE,
            env=env,
            cwd=tree,
        )
        for j in range(jobs)
    ]
    times = []
    for process in processes:
        out, _ = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"memo-off run failed in {tree}")
        times.append(float(out))
    return share * jobs / max(times)


def export(rev: str, into: Path) -> Path | None:
    """The engine and rules of a past commit, or None outside a git checkout."""
    into.mkdir(parents=True)
    try:
        archive = subprocess.run(
            ["git", "archive", rev, "engine", "rules"], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(into / "engine")], check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return into


def memory(count: int) -> list[str]:
    """Evaluate `count` generated scenarios in this one process with the memo on; peak RSS at 10,000 and at the end."""
    import random

    from corpus import scenario

    from engine.report.evaluate import evaluate_data
    from engine.rete.cache import compiled_rulebook
    from engine.rete.runtime import Evaluator
    from engine.scenario.fastschema import validate

    evaluator = Evaluator(compiled_rulebook(ROOT / "rules" / "1997"), memo=True)
    rng = random.Random(2015)
    checkpoints = {min(10_000, count), count}
    peaks = []
    started = time.perf_counter()
    for n in range(1, count + 1):
        report = evaluate_data(validate(scenario(rng, n)), evaluator, source="<generated>")
        assert len(report.roles) == len(evaluator.rulebook.roles)
        if n in checkpoints:
            peaks.append((n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
    elapsed = time.perf_counter() - started
    assert not evaluator.broken
    growth = peaks[-1][1] / peaks[0][1]
    return [
        row(
            f"memory: {count:,} scenarios in one process, memo on ({evaluator.evaluations:,} ran on durable_rules)",
            f"{peaks[-1][1] / 1024:.1f} MiB peak RSS after {count:,} ({elapsed:.0f} s)",
            f"{peaks[0][1] / 1024:.1f} MiB after {peaks[0][0]:,}",
            growth,
            "<= 1.2",
            growth <= 1.2,
        )
    ]


STORE = """
import random, sys
sys.path.insert(0, sys.argv[1])
from corpus import scenario
from engine.report.evaluate import evaluate_data
from engine.rete.evaluators import evaluator_for, save_memos
from engine.rulebook.choice import choose
from engine.scenario.fastschema import validate
count, seed = int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
for n in range(count):
    data = validate(scenario(rng, n))
    evaluate_data(data, evaluator_for(choose(data.get("date")).directory), source="<generated>")
save_memos()
"""


def store_outcomes(count: int, seed: int, env: dict[str, str]) -> float:
    """Evaluate `count` generated scenarios in one process, each under the rulebook in force on its date, with
    the cache of `env`: its memo store keeps their outcomes. Seconds taken."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", STORE, str(HERE), str(count), str(seed)], env=env, cwd=ROOT, check=True)
    return time.perf_counter() - started


def stored(folder: Path) -> int:
    """Outcomes in the memo store of a cache folder (0 for none)."""
    from engine.rete.memo import stored_outcomes

    found = stored_outcomes(str(folder / "memo.sqlite"))
    return found[0] if found else 0


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def memo_store_rows(work: Path, runs: int, least: int) -> list[str]:
    """Start of `guidelines evaluate scenarios/strait.yaml` with a full memo store (at least `least` outcomes),
    with an empty one (only strait.yaml's own outcomes) and with an empty cache folder, against the import floor,
    all measured alternately in this run."""
    strait = guidelines("evaluate", "scenarios/strait.yaml")
    empty, full, cold = work / "memo-empty", work / "memo-full", work / "memo-cold"
    envs = {folder: dict(os.environ, GUIDELINES_CACHE_DIR=str(folder)) for folder in (empty, full, cold)}
    for env in envs.values():
        env.pop("GUIDELINES_NO_CACHE", None)
    seed = 1
    while stored(full) < least:
        store_outcomes(max(1000, (least - stored(full)) // 4), seed, envs[full])
        seed += 1
    run(strait, envs[empty])  # the compiled rulebook and strait.yaml's outcomes: all either holds for this file
    run(strait, envs[full])
    floor, with_empty, with_full, from_cold = [], [], [], []
    for _ in range(runs):
        floor.append(run(BASELINE_IMPORT)[0])
        with_empty.append(run(strait, envs[empty])[0])
        with_full.append(run(strait, envs[full])[0])
        shutil.rmtree(cold, ignore_errors=True)
        from_cold.append(run(strait, envs[cold])[0])
    base, warm, loaded, first = (statistics.median(times) for times in (floor, with_empty, with_full, from_cold))
    count = stored(full)
    floor_label = f"{base * 1000:.0f} ms (import durable.engine, pydantic, click, yaml)"
    return [
        row(
            f"start: `guidelines evaluate scenarios/strait.yaml`, memo store of its outcomes only, median of {runs}",
            f"{warm * 1000:.0f} ms",
            floor_label,
            warm / base,
            "for information",
            None,
        ),
        row(
            f"start: the same, memo store full ({count:,} outcomes), median of {runs}",
            f"{loaded * 1000:.0f} ms",
            floor_label,
            loaded / base,
            "<= 1.2",
            loaded / base <= 1.2,
        ),
        row(
            "start: full memo store against one holding only the file's outcomes",
            f"{loaded * 1000:.0f} ms",
            f"{warm * 1000:.0f} ms",
            loaded / warm,
            "<= 1.2",
            loaded / warm <= 1.2,
        ),
        row(
            f"start: empty cache folder (the rulebook as the package built it, the store made), median of {runs}",
            f"{first * 1000:.0f} ms",
            floor_label,
            first / base,
            "<= 3",
            first / base <= 3,
        ),
    ]


MEMO_OFF_COMPILED = """
import sys, time
sys.path.insert(0, sys.argv[1])
from engine_profile import make_evaluator, scenarios
from engine.report.evaluate import evaluate_data
data = scenarios(int(sys.argv[2]))
engine = make_evaluator(plain=sys.argv[3] == "plain")
evaluate_data(data[0], engine, source="<generated>")
started = time.perf_counter()
for item in data:
    evaluate_data(item, engine, source="<generated>")
print(time.perf_counter() - started)
"""


def memo_off_compiled(count: int, plain: bool) -> float:
    """Scenarios per second with every one on durable_rules, the rules fused or compiled plain, in a process of
    its own."""
    done = subprocess.run(
        [sys.executable, "-c", MEMO_OFF_COMPILED, str(HERE), str(count), "plain" if plain else "fused"],
        capture_output=True,
        cwd=ROOT,
        check=True,
    )
    return count / float(done.stdout)


def firings_rows(count: int) -> list[str]:
    """Firings per scenario and memo-off throughput, the rules fused against the same rules compiled plain (one
    firing per node, as before fusing): measured in this run, on the same generated scenarios."""
    from engine_profile import firings_per_scenario, scenarios

    data = scenarios(count)
    after, kinds = firings_per_scenario(data, plain=False)
    before, _ = firings_per_scenario(data, plain=True)
    shown = ", ".join(f"{kind} {n:.0f}" for kind, n in kinds.items())
    rates = {True: 0.0, False: 0.0}
    for _ in range(2):  # alternating, the best of each: other work on the machine slows one run or another
        for plain in (True, False):
            rates[plain] = max(rates[plain], memo_off_compiled(count, plain))
    ratio = rates[False] / rates[True]
    return [
        row(
            f"firings per scenario, memo off, {count:,} generated scenarios",
            f"{after:.0f} ({shown})",
            f"{before:.0f} (the same rules compiled plain: one firing per node)",
            after / before,
            "<= 0.5",
            after / before <= 0.5,
        ),
        row(
            "memo off: every scenario on durable_rules, one process, rules fused",
            f"{rates[False]:,.0f} scenarios/s",
            f"{rates[True]:,.0f} scenarios/s (compiled plain)",
            ratio,
            ">= 2.0",
            ratio >= 2,
        ),
    ]


def cache_size_rows(work: Path, count: int) -> list[str]:
    """The cache folder's size after `count` generated scenarios evaluated with the memo store on, against its
    limit (the default, unless GUIDELINES_CACHE_SIZE is set)."""
    from engine.rete.cachedir import size_limit

    folder = work / "cache-scale"
    env = dict(os.environ, GUIDELINES_CACHE_DIR=str(folder))
    env.pop("GUIDELINES_NO_CACHE", None)
    took = store_outcomes(count, 2015, env)
    size, limit = folder_size(folder), size_limit()
    return [
        row(
            f"cache folder after {count:,} scenarios with the memo store on ({stored(folder):,} outcomes kept, "
            f"{took:.0f} s)",
            f"{size / 2**20:.1f} MiB",
            f"{limit / 2**20:.1f} MiB (its limit)",
            size / limit,
            "<= 1.0",
            size <= limit,
        )
    ]


def parallel_rows(rates: dict[tuple[int, bool], float], files: int) -> list[str]:
    """`--jobs 2` against `--jobs 1` on the same corpus, with an empty memo and with a warm one."""
    rows = []
    for fresh in (True, False):
        one, two = rates.get((1, fresh)), rates.get((2, fresh))
        if not one or not two:
            continue
        label = "empty cache" if fresh else "warm cache"
        rows.append(
            row(
                f"batch: `--jobs 2` against `--jobs 1`, {files:,} files, {label}",
                f"{two:,.0f} files/s",
                f"{one:,.0f} files/s (`--jobs 1`)",
                two / one,
                ">= 1.6",
                two / one >= 1.6,
            )
        )
    return rows


START, END = "<!-- benchmarks/run.py: start -->", "<!-- benchmarks/run.py: end -->"


def commit() -> str:
    """The commit measured, `+ changes` when the checkout differs from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, cwd=ROOT)
    except OSError:
        return "unknown (no git)"
    if head.returncode != 0:
        return "unknown (not a git checkout)"
    return head.stdout.strip() + (" + uncommitted changes" if dirty.stdout.strip() else "")


def markdown(rows: list[str], command: str, when: str, where: str, at: str) -> str:
    """The table as `docs/performance.md` holds it: when, where and at which commit it was measured, and how."""
    return (
        f"{START}\n"
        f"Measured {when} at commit {at}, with `{command}`.\n"
        f"Machine: {where}.\n\n" + "\n".join(rows) + f"\n{END}\n"
    )


def write_markdown(path: Path, text: str) -> None:
    """Put the table in `path`: in place of the one between the markers when the file has them, else as the whole
    file."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    start, end = old.find(START), old.find(END)
    if 0 <= start < end:
        text = old[:start] + text.rstrip("\n") + old[end + len(END) :]
    path.write_text(text, encoding="utf-8")


def finish(rows: list[str], markdown_file: Path | None) -> None:
    """Print the machine and the table; with `--markdown`, write them too."""
    print(f"Machine: {machine()}\n")
    print("\n".join(rows))
    if markdown_file is not None:
        command = " ".join(["python benchmarks/run.py", *sys.argv[1:]])
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        write_markdown(markdown_file, markdown(rows, command, when, machine(), commit()))
        print(f"\nwritten to {markdown_file}")


def has_command(name: str) -> bool:
    return subprocess.run(guidelines(name, "--help"), capture_output=True, cwd=ROOT).returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the 100,000-scenario memory run")
    parser.add_argument("--scale", type=int, default=100_000, help="scenarios in the memory run")
    parser.add_argument("--runs", type=int, default=10, help="side-by-side runs for start time")
    parser.add_argument("--files", type=int, default=10_000, help="files in the batch corpus")
    parser.add_argument("--memo-off", type=int, default=2_000, help="scenarios in each memo-off run")
    parser.add_argument("--baseline-rev", default=BASELINE_REV, help="the engine the memo-off rows compare with")
    parser.add_argument("--full-memo", type=int, default=20_000, help="outcomes in the full memo store")
    parser.add_argument("--skip-store", action="store_true", help="skip the memo store and cache folder rows")
    parser.add_argument("--only-store", action="store_true", help="only the memo store and cache folder rows")
    parser.add_argument(
        "--markdown",
        type=Path,
        metavar="FILE",
        help="also write the table, with the date, machine and commit, to FILE (between its markers if it has them)",
    )
    args = parser.parse_args()

    # Installed packages carry compiled bytecode (pip writes it); a source checkout gets it here,
    # even under PYTHONDONTWRITEBYTECODE, so both sides of each comparison start alike.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "engine")], check=True)
    # Likewise an installed package holds its shipped rulebooks compiled (hatch_build.py); a checkout, from here on.
    subprocess.run([sys.executable, "-c", PREBUILD, str(ROOT / "engine" / "rete" / "compiled")], cwd=ROOT, check=True)
    work = Path(tempfile.mkdtemp(prefix="guidelines-bench-"))
    cache = work / "cache"
    warm_env = dict(os.environ, GUIDELINES_CACHE_DIR=str(cache))
    cold_env = dict(os.environ, GUIDELINES_NO_CACHE="1")
    rows = [
        "| measurement | value | baseline | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    if args.only_store:
        rows += memo_store_rows(work, args.runs, args.full_memo)
        rows += cache_size_rows(work, args.scale if not args.quick else args.scale // 10)
        shutil.rmtree(work, ignore_errors=True)
        finish(rows, args.markdown)
        return

    # -- start ---------------------------------------------------------------
    strait_file = ROOT / "scenarios" / "strait.yaml"
    phased = "\nphases:" in strait_file.read_text(encoding="utf-8")
    strait = guidelines("evaluate", "scenarios/strait.yaml")
    run(strait, warm_env)  # fills the cache: compiled rulebook and outcomes
    base, warm = side_by_side(BASELINE_IMPORT, strait, args.runs, warm_env)
    rows.append(
        row(
            f"start: `guidelines evaluate scenarios/strait.yaml` ({'phased' if phased else 'one phase'}), "
            f"warm cache, median of {args.runs}",
            f"{warm * 1000:.0f} ms",
            f"{base * 1000:.0f} ms (import durable.engine, pydantic, click, yaml)",
            warm / base,
            "<= 1.2 (stretch 1.0)",
            warm / base <= 1.2,
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
    files = args.files
    small, large = work / "corpus1k", work / "corpus"
    write_corpus(small, files // 10)
    write_corpus(large, files)
    with_phases = "with phases in some files" if phases_supported() else "no phases: the loader has none"
    parse = [run([sys.executable, "-c", PARSE_ONLY, str(large)])[0] for _ in range(3)]
    parse_rate = files / statistics.median(parse)
    parse_label = f"{parse_rate:,.0f} files/s (PyYAML CSafeLoader, parse only)"

    def batch(command: list[str], fresh: bool, times: int = 3) -> tuple[float, int]:
        elapsed, peaks = [], []
        for _ in range(times):
            if fresh:
                shutil.rmtree(cache, ignore_errors=True)
            took, peak = run(command, warm_env)
            elapsed.append(took)
            peaks.append(peak)
        return statistics.median(elapsed), max(peaks)

    rates: dict[tuple[int, bool], float] = {}
    for jobs, target in ((1, 0.5), (2, 1.0)):
        for fresh in (True, False):
            took, _ = batch(guidelines("evaluate", "--format", "json", "--jobs", str(jobs), str(large)), fresh)
            rate = rates[(jobs, fresh)] = files / took
            label = "empty cache" if fresh else "warm cache"
            rows.append(
                row(
                    f"batch: {files:,} files of the v2 corpus ({with_phases}), `--format json --jobs {jobs}`, {label}",
                    f"{rate:,.0f} files/s",
                    parse_label,
                    rate / parse_rate,
                    f">= {target}" if fresh else "for information",
                    rate / parse_rate >= target if fresh else None,
                )
            )
    rows += parallel_rows(rates, files)
    compare_name = f"compare: {files:,} files of the v2 corpus, `--format json --jobs 2`, empty cache"
    compare = guidelines("compare", "--format", "json", "--jobs", "2", str(large))
    try:
        took = batch(compare, True)[0] if has_command("compare") else None
    except SystemExit:  # a `compare` that takes other arguments than this benchmark knows
        rows.append(row(compare_name, f"failed: `{' '.join(compare[1:])}`", parse_label, None, ">= 0.5", False))
        took = 0.0
    if took:
        rate = files / took
        rows.append(
            row(
                compare_name, f"{rate:,.0f} files/s", parse_label, rate / parse_rate, ">= 0.5", rate / parse_rate >= 0.5
            )
        )
    elif took is None:
        rows.append(row(compare_name, "not available (no `guidelines compare`)", parse_label, None, ">= 0.5", None))
    _, peak_small = batch(guidelines("evaluate", "--format", "json", "--jobs", "1", str(small)), True, 1)
    _, peak_large = batch(guidelines("evaluate", "--format", "json", "--jobs", "1", str(large)), True, 1)
    rows.append(
        row(
            f"memory: peak RSS, `--jobs 1`, {files:,} vs {files // 10:,} files",
            f"{peak_large / 1024:.1f} MiB vs {peak_small / 1024:.1f} MiB",
            "",
            peak_large / peak_small,
            "<= 1.2",
            peak_large / peak_small <= 1.2,
        )
    )

    # -- check ---------------------------------------------------------------
    from engine.rulebook.choice import shipped_rulebooks

    for shipped in shipped_rulebooks():
        took, _ = run(guidelines("check", "--exhaustive", "--rules", shipped.directory), cold_env)
        rows.append(
            row(f"`check --exhaustive`, rulebook {shipped.id}", f"{took:.1f} s", "", None, "for information", None)
        )

    # -- the engine without the memo -----------------------------------------
    baseline = export(args.baseline_rev, work / "baseline")
    count = args.memo_off
    before = memo_off(count, 1, baseline) if baseline else None
    for jobs in (1, 2):
        rate = memo_off(count * jobs, jobs, ROOT)
        ratio = rate / jobs / before if before else None
        rows.append(
            row(
                f"memo off: every scenario on durable_rules, {jobs} process{'es' if jobs > 1 else ''}, per core",
                f"{rate / jobs:,.0f} scenarios/s per core ({rate:,.0f} in all)",
                f"{before:,.0f} scenarios/s (the engine at {args.baseline_rev}, one process)" if before else "none",
                ratio,
                ">= 2.0",
                ratio >= 2 if ratio else None,
            )
        )

    rows += firings_rows(count)

    # -- memory at scale -----------------------------------------------------
    if not args.quick:
        rows += memory(args.scale)

    # -- memo store and cache folder ------------------------------------------
    if not args.skip_store:
        rows += memo_store_rows(work, args.runs, args.full_memo)
        rows += cache_size_rows(work, args.scale if not args.quick else args.scale // 10)

    shutil.rmtree(work, ignore_errors=True)
    finish(rows, args.markdown)


if __name__ == "__main__":
    main()
