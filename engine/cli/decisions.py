"""`guidelines decisions`: the decisions each phase of a scenario needs, in the order the procedure runs."""

from __future__ import annotations

import sys

import click

from .common import (
    csv_raw_option,
    format_option,
    output_option,
    phase_option,
    rulebook_option,
    rulebook_or_exit,
    rules_option,
    set_option,
    write_output,
)
from .output import echo, show_error, write


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@format_option("text", "json", "markdown", "csv")
@output_option
@csv_raw_option
@phase_option("Show this phase's decisions alone (with what changed from the phase before).")
@set_option
@rulebook_option(
    "Evaluate under the shipped rulebook ID (1997 or 2015) instead of the one in force on the file's (each"
    " phase's) date."
)
@rules_option
def decisions(
    file: str,
    fmt: str,
    output: str | None,
    csv_raw: bool,
    phase: str | None,
    overrides: tuple,
    rulebook: str | None,
    rules_dir: str | None,
) -> None:
    """List the decisions each phase of a scenario needs, with their provisions: for an exercise plan.

    For each phase (a file without phases has one), the decisions that the
    roles which apply there require, merged and in the order the procedure
    runs: the Cabinet's basic plan (or basic response plan, with its
    determination), the Diet's approval (prior, or after the fact if urgent),
    the Prime Minister's approval or order, the Minister's orders, requests to
    local governments and operators, and reports to the Diet. Each names the
    roles (with the grounds they apply on) and the places it covers, and the
    provisions it rests on; then what changed from the phase before (a decision
    new, no longer needed, or covering more roles or fewer). They are read off
    the procedures of the grounds that apply, as `evaluate` reports them.
    --format csv gives a row per decision, to paste into a spreadsheet.

    \b
    Example:
        guidelines decisions scenarios/strait.yaml
        guidelines decisions scenarios/strait.yaml --phase fighting
        guidelines decisions --format csv -o plan.csv scenarios/strait.yaml
        guidelines decisions --format markdown scenarios/korea_crisis.yaml

    \b
    Exit codes:
        0  listed
        1  the file (or the rulebook) did not load
        2  usage error (a --phase the file lacks, a --set that is not PATH=VALUE)
        3  the rule engine failed
    """
    from ..batch.work import evaluate_file, warning_lines
    from ..render.decisions import decisions_csv, decisions_markdown, render_decisions
    from ..report.decisions import decisions_json
    from ..scenario.phases import UnknownPhaseError
    from ..util.text import message_width, terminal_width

    rulebook_or_exit(rulebook, rules_dir)
    result = evaluate_file(file, for_text=fmt == "text", rulebook=rulebook, rules_dir=rules_dir, overrides=overrides)
    if result.error is not None:
        show_error(result.error, result.source)
        sys.exit(result.error.exit_code)
    report = result.report
    if phase is not None:
        try:
            report.phase_report(phase)  # only to say so when the file lacks it
        except UnknownPhaseError as exc:
            raise click.UsageError(f"{result.source}: {exc.message}") from None
    if fmt == "json":
        import json

        body = decisions_json(report)
        body["phases"] = [p for p in body["phases"] if phase is None or p["id"] == phase]
        text = json.dumps(body, ensure_ascii=False) + "\n"
    elif fmt == "csv":
        text = decisions_csv(report, raw=csv_raw, phase=phase)
    elif fmt == "markdown":
        text = "\n".join(decisions_markdown(report, level=2, phase=phase)) + "\n"
    else:
        width = 80 if output else terminal_width()
        text = render_decisions(report, width, click.style if not output else None, phase=phase) + "\n"
    if output:
        write_output(output, [text])
    elif fmt == "text":
        echo(text.rstrip("\n"))
    else:
        write(text.encode())
    warned = warning_lines(report.warnings, message_width())
    if warned:
        echo(warned, err=True)
