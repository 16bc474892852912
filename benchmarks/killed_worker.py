"""A `--jobs 2` batch whose worker is killed mid-way: how long it takes, and what is lost.

    python benchmarks/corpus.py --count 20000 /tmp/corpus
    python benchmarks/killed_worker.py /tmp/corpus /tmp/out.jsonl [--at 10000]

Runs `guidelines evaluate --format json --jobs 2` on the folder, sends SIGKILL to
every worker process when the given line of output comes out, and prints the
exit status, the lines written, the files "not evaluated" and the time taken.
A batch that replaces its dead worker writes one line per file and loses none
(a file is "not evaluated" only when it ends its worker twice).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("out")
    parser.add_argument("--at", type=int, default=10_000, help="the line of output at which to kill the workers")
    args = parser.parse_args()
    started = time.monotonic()
    command = ["guidelines", "evaluate", "--format", "json", "--jobs", "2", args.folder]
    with open(args.out + ".err", "wb") as err, open(args.out, "wb") as out:
        batch = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err)
        assert batch.stdout is not None
        lines, killed = 0, []
        for line in batch.stdout:
            out.write(line)
            lines += 1
            if lines == args.at and not killed:
                with open(f"/proc/{batch.pid}/task/{batch.pid}/children") as children:
                    killed = [int(pid) for pid in children.read().split()]
                for pid in killed:
                    os.kill(pid, signal.SIGKILL)
                print(f"killed {killed} at line {lines}, {time.monotonic() - started:.1f} s", flush=True)
        batch.wait()
    with open(args.out, "rb") as written:
        lost = sum("not evaluated" in json.loads(line).get("error", {}).get("message", "") for line in written)
    print(f"exit {batch.returncode}, {lines} lines, {lost} not evaluated, {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
