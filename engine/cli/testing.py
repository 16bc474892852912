"""`guidelines test`: run every scenario's `expect:` block like a test runner."""

from __future__ import annotations

import sys

import click

from .common import (
    default_paths,
    discover_or_exit,
    evaluator_or_exit,
    jobs_option,
    rulebook_option,
    rulebook_or_exit,
    rules_option,
)
from .console import quiet_option
from .output import echo


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@rulebook_option(
    "Check only the expectations for the shipped rulebook ID (1997 or 2015), not those of every rulebook a file names."
)
@rules_option
@click.option("-v", "--verbose", is_flag=True, help="Also list the scenarios that pass, and print every warning.")
@quiet_option
@jobs_option
def test(
    paths: tuple[str, ...], rulebook: str | None, rules_dir: str | None, verbose: bool, quiet: bool, jobs: int | None
) -> None:
    """Check every scenario's `expect:` block against its evaluation.

    Each pinned status (a role, or a role in one area or request) is one check.
    `expect:` keyed by rulebook ({"1997": ..., "2015": ...}) is checked under
    each rulebook it names; the plain form under the rulebook the file evaluates
    under by default. --rulebook ID checks the expectations for ID only. A
    failure reads file, then scenario title, then `role[@area]: expected X, got
    Y` (with `under 2015` for a block keyed by rulebook), and the reason behind
    the actual verdict. The last line is `N passed, M failed`. PATHS default
    to scenarios/ (`-` reads standard input).

    \b
    Example:
        guidelines test
        guidelines test --rulebook 2015
        guidelines test scenarios/strait.yaml --rules my-rules/

    \b
    Exit codes:
        0  every expectation holds
        1  an expectation failed, or a file did not load
        2  usage error
        3  the rule engine failed, or a worker process died
    """
    import contextlib
    import functools

    from ..batch.parallel import default_jobs, run
    from ..batch.work import TestWork
    from ..errors import EngineError
    from ..util.text import message_width
    from .console import Progress, Warnings

    chosen = rulebook_or_exit(rulebook, rules_dir)
    warnings = Warnings(quiet, verbose, width=message_width())
    files = discover_or_exit(default_paths(paths), warnings)
    evaluator_or_exit(chosen)  # a rulebook that does not load stops here, once
    passed = failed = without = 0
    engine_failed = False
    setup = functools.partial(TestWork, rules_dir, verbose, click.style, message_width(), rulebook)
    jobs = jobs or default_jobs(len(files))
    with Progress(len(files), "testing") as bar, contextlib.closing(run(files, setup, jobs)) as results:
        for checked in results:
            bar.update()
            if checked.text:
                echo(checked.text)
            passed += checked.passed
            failed += checked.failed
            without += checked.without_expect
            engine_failed = engine_failed or checked.engine_failed
    if without:
        what = f" for rulebook {rulebook}" if rulebook else ""
        echo(f"({without} file{'s' if without != 1 else ''} without expect{what}: skipped)")
    colour = "red" if failed else "green"
    warnings.close()
    echo(click.style(f"{passed} passed, {failed} failed", fg=colour, bold=True) + warnings.tally())
    if engine_failed:
        sys.exit(EngineError.exit_code)
    if failed:
        sys.exit(1)
