"""The `guidelines` command line. The only module that imports click.

Exit codes: 0 success, 1 invalid input (a scenario or rulebook that does not
load), 2 usage error, 3 rule engine failure.
"""

from __future__ import annotations

import json
import sys

import click

from .errors import EngineError, GuidelinesError, RulebookError

FORMATS = ("text", "json")


def _rules_option(function):  # type: ignore[no-untyped-def]
    return click.option(
        "--rules",
        "rules_dir",
        type=click.Path(exists=True, file_okay=False),
        default=None,
        metavar="DIR",
        help="Use the rulebook in DIR instead of the shipped 1997 rulebook.",
    )(function)


def _evaluator(rules_dir: str | None):  # type: ignore[no-untyped-def]
    from .api import evaluator_for

    try:
        return evaluator_for(rules_dir)
    except RulebookError as exc:
        click.echo(str(exc), err=True)
        click.echo(f"error: the rulebook in {exc.path} does not load", err=True)
        sys.exit(1)
    except EngineError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(EngineError.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="guidelines", prog_name="guidelines")
def main() -> None:
    """Which of the roles the 1997 U.S.-Japan Defense Guidelines give Japan come into play, where, and what holds them back.

    Write a scenario file, then evaluate it:

    \b
        guidelines evaluate scenarios/strait.yaml
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
    help="text for people; json for one JSON report per file, one per line (JSON Lines).",
)  # fmt: skip
@_rules_option
def evaluate(paths: tuple[str, ...], fmt: str, rules_dir: str | None) -> None:
    """Evaluate scenario files: each role's status, where, why, and on what basis.

    PATHS are scenario files or directories (searched for *.yaml and *.yml).
    Reports come out in the order the files were given. A file that does not
    load is reported, and the others are still evaluated.

    \b
    Example:
        guidelines evaluate scenarios/strait.yaml
        guidelines evaluate --format json scenarios/ > reports.jsonl

    \b
    Exit codes:
        0  every file loaded and was evaluated
        1  a file (or the rulebook) did not load
        2  usage error
        3  the rule engine failed
    """
    from .batch import discover, evaluate_files
    from .render import render_problems, render_report

    try:
        files = discover(paths)
    except GuidelinesError as exc:
        raise click.UsageError(exc.message) from None
    evaluator = _evaluator(rules_dir)
    failed = engine_failed = 0
    first = True
    for result in evaluate_files(files, evaluator):
        if result.error is not None:
            failed += 1
            engine_failed += isinstance(result.error, EngineError)
            if fmt == "json":
                click.echo(json.dumps(result.error_dict(), ensure_ascii=False))
            else:
                text = render_problems(result.error) if hasattr(result.error, "problems") else result.error.message
                for line in text.splitlines():
                    click.echo(f"error: {line}", err=True)
            continue
        assert result.report is not None
        if fmt == "json":
            click.echo(json.dumps(result.report.as_dict(), ensure_ascii=False))
        else:
            if not first:
                click.echo("\n" + "-" * 40 + "\n")
            click.echo(render_report(result.report, style=click.style))
        first = False
    if len(files) > 1 and fmt == "text":
        done = len(files) - failed
        click.echo(f"{len(files)} files: {done} evaluated, {failed} failed", err=True)
    if engine_failed:
        sys.exit(EngineError.exit_code)
    if failed:
        sys.exit(1)
