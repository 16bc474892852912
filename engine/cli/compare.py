"""`guidelines compare`: one scenario under two rulebooks, side by side, and what changed between them."""

from __future__ import annotations

import functools
import os
import sys

import click

from ..errors import EngineError
from .common import compared_rulebooks_or_exit, discover_or_exit, format_option, jobs_option
from .output import echo, write


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--rulebook",
    "rulebooks",
    multiple=True,
    metavar="ID",
    help="A rulebook to compare; give two (by default 1997, then 2015).",
)
@format_option("text", "json")
@jobs_option
def compare(paths: tuple[str, ...], rulebooks: tuple[str, ...], fmt: str, jobs: int | None) -> None:
    """Compare scenario files under two rulebooks: each role's verdicts side by side, and what changed.

    For each role, every area or request whose verdict changed is marked, with
    the reasons and basis on each side (the limit that disappeared, the ground
    that appeared); what stayed the same is one compact line. A directory gives
    one line per file and a table of the verdicts changed per role. --format
    json prints one object per file (JSON Lines): {"source", "reports": {"1997":
    ..., "2015": ...}, "changes": [...]}, the changes being every verdict that
    differs, role roll-ups included.

    \b
    Example:
        guidelines compare scenarios/strait.yaml
        guidelines compare scenarios/
        guidelines compare --format json scenarios/korea.yaml

    \b
    Exit codes:
        0  every file was evaluated under both rulebooks, whatever changed
        1  a file did not load
        2  usage error
        3  the rule engine failed
    """
    from ..batch.parallel import default_jobs, run
    from ..batch.work import CompareWork
    from ..report.compare import Counted, render_summary
    from ..scenario.vocab import ROLE_IDS
    from ..util.text import terminal_width

    pair = compared_rulebooks_or_exit(rulebooks)
    files = discover_or_exit(paths)
    summary = fmt == "text" and any(os.path.isdir(path) for path in paths)
    setup = functools.partial(CompareWork, pair, bool(rulebooks), fmt, summary, terminal_width(), click.style)
    failed = engine_failed = 0
    counted: list[Counted] = []
    for i, printed in enumerate(run(files, setup, jobs or default_jobs(len(files)))):
        failed += printed.failed
        engine_failed += printed.engine_failed
        counted.append(Counted(files[i], printed.counts))
        if printed.err:
            echo(printed.err, err=True)
        if isinstance(printed.out, bytes):
            write(printed.out)
        elif printed.out is not None:
            if i and not summary:
                echo("\n" + "-" * 40 + "\n")
            echo(printed.out)
    if summary:
        echo("")
        echo(render_summary(counted, ROLE_IDS, *pair, style=click.style))
    if engine_failed:
        sys.exit(EngineError.exit_code)
    if failed:
        sys.exit(1)
