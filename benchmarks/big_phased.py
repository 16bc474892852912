"""Write one big phased scenario file, for profiling how evaluation grows with the number of phases.

    python benchmarks/big_phased.py 100 -o /tmp/big100.yaml             # 100 phases, 200 areas, 1,000 events
    python benchmarks/big_phased.py 20 --areas 50 --events 300 -o x.yaml
    python benchmarks/big_phased.py 10 20 50 100 --measure              # time and peak memory of each

The starting state holds every area and every event; each phase moves the
date on a day and changes the combat of one area (and, every tenth phase, a
field of the situation), so every phase is a whole scenario of that size to
evaluate. The file is deterministic for its arguments. With `--measure`, each
size is written to a temporary folder and evaluated by `guidelines evaluate`
in a fresh process, with an empty cache folder (nothing compiled or
remembered from an earlier run), printing the seconds, the CPU seconds and the
peak resident memory of that process; `--phase` is passed on to it, and `--source DIR` runs
the engine of another version (`git archive REV | tar -x -C DIR`) to compare.
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
import time

KINDS = ("high_seas", "foreign", "japan", "high_seas", "high_seas")
COMBATS = ("expected", "ongoing", "none")


def _event(i: int, areas: int) -> str:
    area = f"a{(i * 7) % areas:03d}"
    kind = i % 5
    if kind == 0:
        return f"{{type: mines, area: {area}, status: {'active' if i % 2 else 'abandoned'}, conflict: current}}"
    if kind == 1:
        return f"{{type: persons_in_distress, area: {area}, who: {'combatants' if i % 3 else 'noncombatants'}}}"
    if kind == 2:
        return f"{{type: sanctions_shipping, area: {area}, flag_state_consent: {'true' if i % 2 else 'false'}}}"
    if kind == 3:
        return "{type: refugee_flow, toward: japan}"
    return "{type: evacuation}"


def big_phased(phases: int, areas: int = 200, events: int = 1000) -> str:
    """The text of a phased scenario file with `phases` phases, `areas` areas and `events` events."""
    start = datetime.date(2017, 1, 1)
    lines = [
        f"scenario: Big phased scenario ({phases} phases, {areas} areas, {events} events)",
        f"date: {start}",
        "situation: {important_influence: true, armed_attack_on_japan: false}",
        "us_forces: {operating: true, requests: [civilian_ports, hospitals, supplies, {item: transport, area: a001}]}",
        "areas:",
        *(f"  - {{id: a{i:03d}, kind: {KINDS[i % len(KINDS)]}"
          + (f", consent: {'true' if i % 3 else 'false'}}}" if KINDS[i % len(KINDS)] == "foreign" else "}")
          for i in range(areas)),
        "events:",
        *(f"  - {_event(i, max(areas, 1))}" for i in range(events)),
        "phases:",
    ]  # fmt: skip
    for p in range(phases):
        day = start + datetime.timedelta(days=p + 1)
        lines.append(f"  - id: p{p + 1}")
        lines.append(f"    date: {day}")
        abroad = [i for i in range(areas) if KINDS[i % len(KINDS)] != "japan"]  # combat in Japan would be an attack
        if abroad:
            area = abroad[p % len(abroad)]
            lines.append(f"    areas: [{{id: a{area:03d}, combat: {COMBATS[p % len(COMBATS)]}}}]")
        if p % 10 == 9:
            lines.append(f"    situation: {{armed_attack_on_japan: {'true' if p % 20 == 19 else 'false'}}}")
    return "\n".join(lines) + "\n"


def measure(path: str, phase: str | None, source: str | None = None) -> tuple[float, float, float, int]:
    """Seconds, CPU seconds (what a busy machine changes least), peak resident MiB and exit code of
    `guidelines evaluate --format json` on `path`, uncached; with `source`, of the engine in that folder."""
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, GUIDELINES_CACHE_DIR=cache)
        command = [sys.executable, "-m", "engine", "evaluate", "--format", "json", path]
        if phase is not None:
            command += ["--phase", phase]
        began = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=source)
        assert child.stderr is not None
        err = child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)  # this child's own peak, not the largest so far
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - began
    if child.returncode != 0:
        sys.stderr.write(err.decode(errors="replace")[-2000:])
    peak = usage.ru_maxrss / 1024
    return seconds, usage.ru_utime + usage.ru_stime, peak, child.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("phases", type=int, nargs="+")
    parser.add_argument("--areas", type=int, default=200)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("-o", "--output", help="the file to write (one size only)")
    parser.add_argument("--measure", action="store_true", help="evaluate each size and print time and memory")
    parser.add_argument("--phase", help="with --measure: evaluate only this phase (e.g. p50)")
    parser.add_argument("--source", help="with --measure: run the engine of this folder (`git archive` of a version)")
    args = parser.parse_args()
    if not args.measure:
        text = big_phased(args.phases[0], args.areas, args.events)
        if args.output:
            with open(args.output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            sys.stdout.write(text)
        return
    print("| phases | areas | events | bytes | seconds | CPU seconds | peak RSS MiB | exit |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as folder:
        for phases in args.phases:
            path = os.path.join(folder, f"big{phases}.yaml")
            text = big_phased(phases, args.areas, args.events)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            seconds, cpu, peak, code = measure(path, args.phase, args.source)
            size = len(text.encode())
            row = (phases, args.areas, args.events, size, f"{seconds:.1f}", f"{cpu:.1f}", f"{peak:.0f}", code)
            print("| " + " | ".join(str(cell) for cell in row) + " |", flush=True)


if __name__ == "__main__":
    main()
