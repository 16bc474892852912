"""`guidelines explain`: every condition and limit checked, whether it held, and the value it saw."""

from __future__ import annotations

import json
import sys

import click

from ..scenario.vocab import ROLE_IDS
from .common import evaluator_or_exit, format_option, rulebook_option, rulebook_or_exit, rules_option


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--role", "roles", multiple=True, type=click.Choice(ROLE_IDS), help="Explain only this role (repeatable)."
)
@format_option("text", "json")
@rulebook_option
@rules_option
def explain(file: str, roles: tuple[str, ...], fmt: str, rulebook: str | None, rules_dir: str | None) -> None:
    """Explain each role's verdict: every trigger, ground, condition and limit, and the values they saw.

    For each case (an event, an area, a request) it shows whether each item
    held, the scenario values it compared and its basis: the ground a case
    applies on, and the procedure variant and constraints that follow; for
    `blocked`, the limits that name why; for `not triggered`, what would have
    triggered it. A check of `adjacent:` names the area it looked at, one of
    `some_event:` the events that satisfied it. The explanation is read from
    the same evaluation as the verdict, under the rulebook in force on the
    scenario's date, or the one --rulebook names.

    \b
    Example:
        guidelines explain scenarios/strait.yaml --role minesweeping
        guidelines explain --rulebook 2015 scenarios/korea.yaml --role logistic_support

    \b
    Exit codes:
        0  explained
        1  the file (or the rulebook) did not load
        2  usage error
        3  the rule engine failed
    """
    from ..errors import EngineError, ScenarioError
    from ..report.evaluate import evaluate_data
    from ..report.explain import explain_report, render_explanation
    from ..rulebook.choice import choose
    from ..scenario.load import load_scenario
    from ..util.text import terminal_width

    rulebook_or_exit(rulebook, rules_dir)
    try:
        scenario = load_scenario(file)
    except ScenarioError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    data = scenario.model_dump(mode="json")
    chosen = choose(data.get("date"), rulebook=rulebook, rules_dir=rules_dir)
    evaluator = evaluator_or_exit(chosen.directory)
    try:
        report = evaluate_data(data, evaluator, source=file, rulebook_reason=chosen.reason)
    except EngineError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(EngineError.exit_code)
    explanation = explain_report(report, evaluator.compiled.roles, evaluator.rulebook)
    if roles:
        explanation.roles = {r: e for r, e in explanation.roles.items() if r in roles}
    if fmt == "json":
        click.echo(json.dumps(explanation.as_dict(), ensure_ascii=False))
    else:
        click.echo(render_explanation(explanation, width=terminal_width(), style=click.style))
