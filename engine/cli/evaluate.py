"""`guidelines evaluate`: each role's status, where, why, and on what basis."""

from __future__ import annotations

import contextlib
import functools
import sys

import click

from ..errors import EngineError
from .common import (
    discover_or_exit,
    evaluator_or_exit,
    format_option,
    jobs_option,
    phase_option,
    progress,
    rules_option,
    set_option,
)
from .output import echo, write


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@format_option("text", "json")
@phase_option("Show this phase of a phased file in full, instead of the timeline.")
@set_option
@rules_option
@jobs_option
def evaluate(
    paths: tuple[str, ...], fmt: str, phase: str | None, overrides: tuple, rules_dir: str | None, jobs: int | None
) -> None:
    """Evaluate scenario files: each role's status, where, why, and on what basis.

    PATHS are scenario files or directories (searched for *.yaml and *.yml);
    `-` reads one scenario from standard input. Reports come out in the order
    the files were given, as each is ready. A file that does not load (or a path
    that is missing or unreadable) is reported, and the others are still
    evaluated.
    --format json prints one JSON report per file, one per line (JSON Lines).
    A file with phases is evaluated phase by phase, each under the rulebook of
    its date: its report opens with the timeline of what changed, and why;
    --phase ID shows one phase in full. --set PATH=VALUE asks what if a field
    were otherwise.

    \b
    Example:
        guidelines evaluate scenarios/strait.yaml
        guidelines evaluate scenarios/strait.yaml --phase fighting
        guidelines evaluate scenarios/strait.yaml --set situation.armed_attack_on_japan=true
        guidelines evaluate --format json --jobs 2 scenarios/ > reports.jsonl

    \b
    Exit codes:
        0  every file loaded and was evaluated
        1  a file (or the rulebook) did not load
        2  usage error (a --set that is not PATH=VALUE, a --phase a file lacks)
        3  the rule engine failed, or a worker process died (its files say so)
    """
    from ..batch.parallel import default_jobs, run
    from ..batch.work import EvaluateWork
    from ..util.text import message_width

    files = discover_or_exit(paths)
    evaluator_or_exit(rules_dir)  # a rulebook that does not load stops here, once
    jobs = jobs or default_jobs(len(files))
    failed = engine_failed = usage_failed = 0
    setup = functools.partial(
        EvaluateWork, rules_dir, fmt, click.style, message_width(), overrides=overrides, phase=phase
    )
    with progress(len(files)) as bar, contextlib.closing(run(files, setup, jobs)) as results:
        for i, printed in enumerate(results):
            failed += printed.failed
            engine_failed += printed.engine_failed
            usage_failed += printed.usage_failed
            if printed.err:
                echo(printed.err, err=True)
            if isinstance(printed.out, bytes):
                write(printed.out)
            elif printed.out is not None:
                echo(("\n" + "-" * 40 + "\n\n" if i else "") + printed.out)
            bar.update(1)
    if len(files) > 1 and fmt == "text":
        echo(f"{len(files)} files: {len(files) - failed} evaluated, {failed} failed", err=True)
    if engine_failed:
        sys.exit(EngineError.exit_code)
    if usage_failed:
        sys.exit(2)
    if failed:
        sys.exit(1)
