"""`guidelines validate`: check scenario files (and a rulebook) without evaluating them."""

from __future__ import annotations

import sys

import click

from .common import default_paths, discover_or_exit, jobs_option, rulebook_option, rulebook_or_exit, rules_option
from .console import verbose_option
from .output import echo, show_error


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@rulebook_option(
    "Check only the expect: blocks for the shipped rulebook ID (1997 or 2015), not those of every"
    " rulebook a file names."
)
@rules_option
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success, not even warnings.")
@verbose_option
@jobs_option
def validate(
    paths: tuple[str, ...], rulebook: str | None, rules_dir: str | None, quiet: bool, verbose: bool, jobs: int | None
) -> None:
    """Check scenario files, and with --rules a rulebook, without evaluating them.

    Prints `error: file:line:col: field: message` for each problem, with a "did you
    mean" when a key or value is close to a valid one, and a one-line summary
    on success. A valid file may still get warnings, printed as `warning:
    file:line:col: field: message` (combat in Japan without an armed attack,
    consent or adjacent_to outside foreign areas, a date before the 1997
    Guidelines, a facility request naming an area); they do not make it
    invalid; warnings alike are printed once, then counted (-v prints them
    all). PATHS default to scenarios/ (`-` reads standard input). `expect:`
    blocks are checked against the rulebooks they name too (--rulebook ID: the
    block for ID only).

    \b
    Example:
        guidelines validate scenarios/strait.yaml
        guidelines validate --rules my-rules/ scenarios/

    \b
    Exit codes:
        0  everything is valid (warnings or not)
        1  a scenario file or the rulebook is invalid
        2  usage error
        3  a worker process died (its files say so)
    """
    import contextlib
    import functools

    from ..batch.parallel import default_jobs, run
    from ..batch.work import ValidateWork
    from ..errors import RulebookError
    from ..rete.cache import compiled_rulebook
    from ..util.text import hanging, message_width, terminal_width
    from .console import Progress, Warnings

    chosen = rulebook_or_exit(rulebook, rules_dir)
    warnings = Warnings(quiet, verbose, width=message_width(), err=False)  # a valid file's warnings are its report
    loaded = None
    bad = 0
    try:  # compiling also checks the rulebook against the engine's limits
        loaded = compiled_rulebook(chosen).rulebook
    except RulebookError as exc:
        show_error(exc, err=False)
        bad += 1
    if not paths and rules_dir is not None:
        files: list[str] = []
    else:
        files = discover_or_exit(default_paths(paths), warnings)
    lost = False
    work = functools.partial(ValidateWork, rules_dir, message_width(), rulebook)
    with (
        Progress(len(files), "validating") as bar,
        contextlib.closing(run(files, work, jobs or default_jobs(len(files)))) as results,
    ):
        for checked in results:
            if checked.text:
                echo(checked.text)
            warnings.add(checked.warnings)
            bad += checked.invalid
            lost = lost or checked.engine_failed
            bar.update()
    warnings.close()
    if bad:
        checked_files = f"{len(files)} scenario file{'s' if len(files) != 1 else ''} checked"
        echo("\n".join(hanging(f"{bad} invalid", f"({checked_files}){warnings.tally()}", message_width(), 4)), err=True)
        sys.exit(3 if lost else 1)
    if not quiet:
        what = f"{len(files)} scenario file{'s' if len(files) != 1 else ''}"
        if rules_dir is not None:
            what = f"rulebook {loaded.id if loaded else ''} and " + what
        echo("\n".join(hanging("ok:", f"{what} valid{warnings.tally()}", terminal_width(), 4)))
