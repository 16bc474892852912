"""`guidelines diff`: the verdicts that differ between two scenarios, or a scenario and a what-if."""

from __future__ import annotations

import sys

import click

from .common import format_option, phase_option, rules_option, set_option


@click.command()
@click.argument("first", type=click.Path(exists=True, dir_okay=False))
@click.argument("second", required=False, type=click.Path(exists=True, dir_okay=False))
@set_option
@phase_option("Compare this phase of both files (by default, the last phase of a phased file).")
@format_option("text", "json")
@rules_option
def diff(first: str, second: str | None, overrides: tuple, phase: str | None, fmt: str, rules_dir: str | None) -> None:
    """Show the verdicts that differ between two scenarios, with the reason on each side.

    Give two files, or one file and --set PATH=VALUE (repeatable): the file
    as it is against the file with those fields set. Every verdict that
    differs is listed (each role's, each area's, each request's), and nothing
    else. Phased files are compared at their last phases unless --phase names
    one; each phase is evaluated under the rulebook of its date. --format json
    prints one line: {"source", "reports": {"a", "b"}, "changes"}.

    \b
    Example:
        guidelines diff scenarios/ceasefire_mines.yaml scenarios/sea_lanes_ceasefire.yaml
        guidelines diff scenarios/strait.yaml --set phases.ceasefire.situation.ceasefire=de_facto

    \b
    Exit codes:
        0  compared, whatever differs
        1  a file (or the rulebook) did not load
        2  usage error (neither a second file nor --set, or both; a --phase a file lacks)
        3  the rule engine failed
    """
    from ..batch.work import evaluate_file
    from ..errors import InputError
    from ..report.changes import caption, changes, render_comparison
    from ..scenario.phases import UnknownPhaseError
    from ..util.text import terminal_width

    if (second is None) == (not overrides):
        raise click.UsageError("give a second file, or --set PATH=VALUE to compare the file with, not both")
    results = [
        evaluate_file(first, rules_dir=rules_dir),
        evaluate_file(second or first, rules_dir=rules_dir, overrides=overrides),
    ]
    for result in results:
        if result.error is not None:
            error = result.error
            text = str(error) if isinstance(error, InputError) else error.message
            click.echo("\n".join(f"error: {line}" for line in text.splitlines()), err=True)
            sys.exit(error.exit_code)
    reports = [r.report for r in results if r.report is not None]
    try:
        a, b = (report.phase_report(phase) for report in reports)
    except UnknownPhaseError as exc:
        raise click.UsageError(exc.message) from None
    found = changes(a, b)
    if fmt == "json":
        import orjson

        body = {
            "source": first,
            "reports": {"a": a.as_dict(), "b": b.as_dict()},
            "changes": [c.as_dict() for c in found],
        }
        if second is not None:
            body["sources"] = {"a": first, "b": second}
        if overrides:
            body["set"] = [o.text for o in overrides]
        sys.stdout.buffer.write(orjson.dumps(body) + b"\n")
        return
    what = "".join(f" --set {o.text}" for o in overrides)
    title = a.scenario if a.scenario == b.scenario else f"{a.scenario} -> {b.scenario}"
    last = " (the last)" if phase is None else ""  # a phase chosen by default: the last
    sides = (("a", caption(a) + (last if a.phase else "")), ("b", caption(b, what) + (last if b.phase else "")))
    text = render_comparison(found, a, b, title=title, sides=sides, width=terminal_width(), style=click.style)
    click.echo(text)
    for report in reports:
        for warning in report.warnings:
            click.echo(f"warning: {warning.text()}", err=True)
