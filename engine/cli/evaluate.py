"""`guidelines evaluate`: each role's status, where, why, and on what basis."""

from __future__ import annotations

import contextlib
import functools
import sys
from typing import TYPE_CHECKING, Any

import click

from ..errors import EngineError
from .common import (
    csv_raw_option,
    discover_or_exit,
    evaluator_or_exit,
    format_option,
    jobs_option,
    output_option,
    phase_option,
    rulebook_option,
    rulebook_or_exit,
    rules_option,
    set_option,
    view_options,
    write_output,
)
from .console import quiet_option, verbose_option
from .output import echo, write

if TYPE_CHECKING:
    from ..batch.work import Printed

# What separates the reports of several files, by format (csv and html make one table and one page).
BETWEEN = {"text": "\n" + "-" * 40 + "\n\n", "table": "\n" + "-" * 40 + "\n\n", "markdown": "\n---\n\n"}


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@format_option("text", "json", "table", "markdown", "csv", "html")
@output_option
@csv_raw_option
@phase_option("Show this phase of a phased file in full, instead of the timeline.")
@set_option
@click.option(
    "--flip",
    is_flag=True,
    help="Follow each report with what would change each verdict (see `guidelines flip`): text, Markdown, HTML,"
    " JSON (under `flips`).",
)
@view_options
@rulebook_option(
    "Evaluate under the shipped rulebook ID (1997 or 2015) instead of the one in force on each"
    " file's (each phase's) date."
)
@rules_option
@jobs_option
@quiet_option
@verbose_option
def evaluate(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    csv_raw: bool,
    phase: str | None,
    overrides: tuple,
    flip: bool,
    ids: bool,
    cite: str,
    rulebook: str | None,
    rules_dir: str | None,
    jobs: int | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Evaluate scenario files: each role's status, where, why, and on what basis.

    PATHS are scenario files or directories (searched for *.yaml and *.yml);
    `-` reads one scenario from standard input. Reports come out in the order
    the files were given, as each is ready. A file that does not load (or a path
    that is missing or unreadable) is reported, and the others are still
    evaluated. Each file is evaluated under the rulebook in force on its date
    (2015 from 29 March 2016, else 1997; 1997 when undated), or the one
    --rulebook names. A file with phases is evaluated phase by phase, each
    under the rulebook of its date: its text report opens with the timeline of
    what changed, and why, and its JSON carries every phase and the changes;
    --phase ID shows one phase in full. --set PATH=VALUE asks what if a field
    were otherwise. Warnings go to stderr, those alike once (-v: all, -q:
    none); a batch ends with a summary line there, and shows a progress bar
    when stderr is a terminal. In text, table and markdown, a batch ends with
    how each file's verdicts meet its `record:` (agree, differ, silent).

    \b
    Formats:
        text      the report for a person: the matrix, then each role's details
        table     the matrix alone: roles down, areas and requests across
        markdown  the matrix as a Markdown table, each role's reasons, the sources
        html      one self-contained page (use -o FILE), for a browser or print
        csv       one row per role and area or request, one table for many files
        json      one JSON report per file, one per line (JSON Lines)

    \b
    Example:
        guidelines evaluate scenarios/strait.yaml
        guidelines evaluate --rulebook 2015 scenarios/strait.yaml
        guidelines evaluate scenarios/strait.yaml --phase fighting
        guidelines evaluate scenarios/korea.yaml --set situation.ceasefire=formal
        guidelines evaluate --format html -o report.html scenarios/
        guidelines evaluate --format csv scenarios/ > verdicts.csv

    \b
    Exit codes:
        0  every file loaded and was evaluated
        1  a file (or the rulebook) did not load, or lacks the --phase asked for
        2  usage error (a --set that is not PATH=VALUE, a --phase no file has)
        3  the rule engine failed, or a worker process died
        130, 143  stopped by Ctrl-C or SIGTERM
    """
    from ..batch.work import EvaluateWork
    from ..util.text import message_width, plain
    from .common import text_view
    from .console import Warnings

    if flip and fmt in ("table", "csv"):
        raise click.UsageError(f"--flip shows in text, Markdown, HTML and JSON, not in --format {fmt}")
    if fmt == "html" and output is None and sys.stdout.isatty():
        raise click.UsageError("--format html writes a page: give -o FILE (or redirect the output)")
    chosen = rulebook_or_exit(rulebook, rules_dir)
    warnings = Warnings(quiet, verbose, width=message_width())
    files = discover_or_exit(paths, warnings)
    evaluator_or_exit(chosen)  # a rulebook that does not load stops here, once
    kept: list[str | bytes] = []  # what goes to -o FILE, or into the one html page
    style = click.style if output is None else plain  # a file gets no escape codes
    view = text_view(ids, cite, output, csv_raw)
    setup = functools.partial(EvaluateWork, rules_dir, fmt, style, message_width(), view=view, rulebook=rulebook,
                              overrides=overrides, phase=phase, flip=flip)  # fmt: skip
    failed, engine_failed, usage_failed = _evaluate_files(files, setup, jobs, fmt, kept, output, warnings, paths, style)
    _close(fmt, files, kept, output)
    _end(paths, files, warnings, failed, engine_failed, usage_failed)


def _evaluate_files(
    files: list[str],
    setup: Any,
    jobs: int | None,
    fmt: str,
    kept: list[str | bytes],
    output: str | None,
    warnings: Any,
    paths: tuple[str, ...],
    style: Any,
) -> tuple[int, int, int]:
    """Each file evaluated and delivered as it comes, in order: how many failed, were not evaluated, and lacked
    the --phase asked for. A batch of `paths` ends with how each file's verdicts meet its record."""
    from ..batch.parallel import default_jobs, run
    from .console import Progress, is_batch

    if fmt == "csv":
        from ..render.csv import csv_header

        emit(csv_header(), kept, output, nl=False)
    failed = engine_failed = usage_failed = shown = 0
    records: list[tuple[str, str]] = []  # (file, how its verdicts meet its record)
    jobs = jobs or default_jobs(len(files))
    with Progress(len(files)) as bar, contextlib.closing(run(files, setup, jobs)) as results:
        for printed in results:
            failed += printed.failed
            engine_failed += printed.engine_failed
            usage_failed += printed.usage_failed
            warnings.add(printed.warnings)  # before the report, as a file's errors are
            shown = deliver(printed, fmt, kept, output, shown)
            records += [printed.counts] if printed.counts is not None else []
            bar.update()
    _record_summary(records, is_batch(paths, files), fmt, kept, output, style)
    return failed, engine_failed, usage_failed


def _record_summary(records: list[tuple[str, str]], batch: bool, fmt: str, kept: list[str | bytes],
                    output: str | None, style: Any) -> None:  # fmt: skip
    """A batch's last lines in text, table and Markdown: each file with a `record:`, how its verdicts meet it."""
    if records and batch and fmt in BETWEEN:
        from ..render.record import summary_lines  # only a batch of files with a record needs it
        from ..util.text import message_width

        emit("\n".join([BETWEEN[fmt].rstrip("\n"), *summary_lines(records, fmt, message_width(), style)]), kept, output)


def _end(
    paths: tuple[str, ...], files: list[str], warnings: Any, failed: int, engine_failed: int, usage_failed: int
) -> None:
    """The warnings, a batch's summary line, and the exit code."""
    from .console import is_batch, summary

    warnings.close()
    if is_batch(paths, files):
        counts = [(len(files) - failed, "evaluated"), (failed - engine_failed, "failed")]
        summary(len(files), [*counts, (engine_failed, "not evaluated")], warnings)
    if engine_failed:
        sys.exit(EngineError.exit_code)
    if usage_failed and usage_failed == len(files):  # --phase names a phase of no file given: a usage error
        sys.exit(2)
    if failed:
        sys.exit(1)


def _close(fmt: str, files: list[str], kept: list[str | bytes], output: str | None) -> None:
    """The one HTML page of every file's section, and what -o FILE gets."""
    if fmt == "html":
        from ..render.html import html_page  # only --format html loads jinja2

        title = "Scenario reports" if len(files) > 1 else None
        page = html_page([s for s in kept if isinstance(s, str)], title=title or _title(files[0]))
        kept = [page]
        if output is None:
            echo(page, nl=False)
    if output is not None:
        write_output(output, kept)


def deliver(
    printed: Printed, fmt: str, kept: list[str | bytes], output: str | None, shown: int, between: bool = True
) -> int:
    """Print one file's output (or keep it for -o FILE, or for the one html page), its messages to stderr; how many
    files have shown output since, for the line `between` them (`evaluate` and `compare`)."""
    if printed.err:
        echo(printed.err, err=True)
    if isinstance(printed.out, bytes):  # JSON lines, written as they come
        if output is None:
            write(printed.out)
        else:
            kept.append(printed.out)
    elif printed.out is not None:
        if fmt == "html":
            kept.append(printed.out)
        else:
            gap = BETWEEN.get(fmt, "") if shown and between else ""
            emit(gap + printed.out, kept, output, nl=fmt != "csv")
        shown += 1
    return shown


def emit(text: str, kept: list[str | bytes], output: str | None, *, nl: bool = True) -> None:
    """Print now, or keep for -o FILE (`evaluate` and `compare`)."""
    if output is None:
        echo(text, nl=nl)
    else:
        kept.append(text + ("\n" if nl else ""))


def _title(path: str) -> str:
    import os

    return os.path.basename(path)
