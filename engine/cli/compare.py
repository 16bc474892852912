"""`guidelines compare`: one scenario under two rulebooks, side by side, and what changed between them."""

from __future__ import annotations

import functools
import os
import sys
from typing import Any

import click

from ..errors import EngineError
from .common import (
    compared_rulebooks_or_exit,
    csv_raw_option,
    discover_or_exit,
    format_option,
    jobs_option,
    output_option,
    text_view,
    view_options,
    write_output,
)
from .console import quiet_option, verbose_option
from .evaluate import deliver, emit
from .output import echo


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option(
    "--rulebook",
    "rulebooks",
    multiple=True,
    metavar="ID",
    help="A rulebook to compare; give two (by default 1997, then 2015).",
)
@format_option("text", "json", "table", "markdown", "csv", "html")
@output_option
@csv_raw_option
@view_options
@jobs_option
@quiet_option
@verbose_option
def compare(
    paths: tuple[str, ...],
    rulebooks: tuple[str, ...],
    fmt: str,
    output: str | None,
    csv_raw: bool,
    ids: bool,
    cite: str,
    jobs: int | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Compare scenario files under two rulebooks: each role's verdicts side by side, and what changed.

    For each role, every area or request whose verdict changed is marked, with
    the reasons and basis on each side (the limit that disappeared, the ground
    that appeared); what stayed the same is one compact line. A directory gives
    one line per file and a table of the verdicts changed per role. `-` reads
    one scenario from standard input; a file that does not load is reported,
    and the others are still compared. Warnings go to stderr, those alike
    once (-v: all, -q: none); a batch ends with a summary line there.

    \b
    Formats:
      text      each role's verdicts under both rulebooks, changes with reasons
      table     the matrix with both rulebooks' marks in each cell (✗→✓ changed)
      markdown  the paired matrix and what changed, with reasons and basis
      csv       both reports' rows, one per rulebook, role and case
      html      one page: the paired matrix, what changed with reasons on
                both sides, then the two full reports
      json      one object per file (JSON Lines): {"source", "reports":
                {"1997": ..., "2015": ...}, "changes": [...]}, the changes
                being every verdict that differs, role roll-ups included

    \b
    Example:
        guidelines compare scenarios/strait.yaml
        guidelines compare scenarios/
        guidelines compare --format table scenarios/korea.yaml
        guidelines compare --format html -o compare.html scenarios/

    \b
    Exit codes:
        0  every file was evaluated under both rulebooks, whatever changed
        1  a file did not load
        2  usage error
        3  the rule engine failed
    """
    from ..batch.compare import CompareWork
    from ..util.text import message_width, plain
    from .console import Warnings, is_batch, summary

    if fmt == "html" and output is None and sys.stdout.isatty():
        raise click.UsageError("--format html writes a page: give -o FILE (or redirect the output)")
    pair = compared_rulebooks_or_exit(rulebooks)
    warnings = Warnings(quiet, verbose, width=message_width())
    files = discover_or_exit(paths, warnings)
    directory = any(os.path.isdir(path) for path in paths)
    table = fmt in ("text", "table") and directory  # one line per file, then a table of the changes
    view = text_view(ids, cite, output, csv_raw)
    style = click.style if output is None else plain  # a file gets no escape codes
    setup = functools.partial(CompareWork, pair, bool(rulebooks), fmt, table, view.width, style, view)
    kept: list[str | bytes] = []  # what goes to -o FILE, or into the one html page
    if fmt == "csv":
        from ..render.csv import csv_header

        emit(csv_header(), kept, output, nl=False)
    failed, engine_failed, counted = _compare_files(files, setup, jobs, fmt, table, kept, output, warnings)
    _close(fmt, table, directory, counted, pair, files, kept, output)
    warnings.close()
    if is_batch(paths, files):
        counts = [(len(files) - failed, "compared"), (failed - engine_failed, "failed")]
        summary(len(files), [*counts, (engine_failed, "not compared")], warnings)
    if engine_failed:
        sys.exit(EngineError.exit_code)
    if failed:
        sys.exit(1)


def _compare_files(
    files: list[str],
    setup: Any,
    jobs: int | None,
    fmt: str,
    table: bool,
    kept: list[str | bytes],
    output: str | None,
    warnings: Any,
) -> tuple[int, int, list[Any]]:
    """Each file compared and delivered as it comes, in order: (failed, not compared, verdicts changed per file)."""
    from ..batch.parallel import default_jobs, run
    from ..report.compare import Counted
    from .console import Progress

    counted: list[Counted] = []
    failed = engine_failed = shown = 0
    with Progress(len(files), "comparing") as bar:
        for i, printed in enumerate(run(files, setup, jobs or default_jobs(len(files)))):
            failed += printed.failed
            engine_failed += printed.engine_failed
            counted.append(Counted(files[i], printed.counts))
            warnings.add(printed.warnings)  # before the report, as a file's errors are
            shown = deliver(printed, fmt, kept, output, shown, between=not table)
            bar.update()
    return failed, engine_failed, counted


def _close(
    fmt: str,
    table: bool,
    directory: bool,
    counted: list[Any],
    pair: tuple[str, str],
    files: list[str],
    kept: list[str | bytes],
    output: str | None,
) -> None:
    """What follows the files: a directory's table of the verdicts changed, the one HTML page, the -o FILE."""
    from ..render.compare_text import render_summary
    from ..rulebook.choice import shipped_roles

    roles_of = shipped_roles()
    role_ids = list(dict.fromkeys(roles_of.get(pair[0], []) + roles_of.get(pair[1], [])))

    if table:
        emit("\n" + render_summary(counted, role_ids, *pair, style=click.style if output is None else None),
              kept, output)  # fmt: skip
    elif fmt == "markdown" and directory:
        from ..render.compare import summary_markdown

        emit("\n" + summary_markdown(counted, role_ids, *pair), kept, output, nl=False)
    if fmt == "html":
        from ..render.html import html_page

        title = f"{pair[0]} and {pair[1]} compared" + (f": {os.path.basename(files[0])}" if len(files) == 1 else "")
        page = html_page([s for s in kept if isinstance(s, str)], title=title)
        kept = [page]
        if output is None:
            echo(page, nl=False)
    if output is not None:
        write_output(output, kept)
