"""`guidelines evaluate`: each role's status, where, why, and on what basis."""

from __future__ import annotations

import json
import sys

import click

from ..errors import EngineError
from .common import discover_or_exit, evaluator_or_exit, format_option, rules_option


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@format_option("text", "json")
@rules_option
def evaluate(paths: tuple[str, ...], fmt: str, rules_dir: str | None) -> None:
    """Evaluate scenario files: each role's status, where, why, and on what basis.

    PATHS are scenario files or directories (searched for *.yaml and *.yml).
    Reports come out in the order the files were given. A file that does not
    load is reported, and the others are still evaluated. --format json prints
    one JSON report per file, one per line (JSON Lines).

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
    from ..batch import evaluate_files
    from ..render import render_problems, render_report

    files = discover_or_exit(paths)
    evaluator = evaluator_or_exit(rules_dir)
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
        click.echo(f"{len(files)} files: {len(files) - failed} evaluated, {failed} failed", err=True)
    if engine_failed:
        sys.exit(EngineError.exit_code)
    if failed:
        sys.exit(1)
