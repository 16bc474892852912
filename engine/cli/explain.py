"""`guidelines explain`: every condition and limit checked, whether it held, and the value it saw."""

from __future__ import annotations

import json
import sys

import click

from .common import RoleChoice, evaluator_or_exit, format_option, rules_option
from .output import echo, show_error


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--role", "roles", multiple=True, type=RoleChoice(), help="Explain only this role (repeatable).")
@format_option("text", "json")
@rules_option
def explain(file: str, roles: tuple[str, ...], fmt: str, rules_dir: str | None) -> None:
    """Explain each role's verdict: every trigger, ground, condition and limit, and the values they saw.

    For each case (an event, an area, a request) it shows whether each item
    held, the scenario values it compared and its basis: the ground a case
    applies on, and the procedure variant and constraints that follow; for
    `blocked`, the limits that name why; for `not triggered`, what would have
    triggered it. A check of `adjacent:` names the area it looked at, one of
    `some_event:` the events that satisfied it. The explanation is read from
    the same evaluation as the verdict.

    \b
    Example:
        guidelines explain scenarios/strait.yaml --role minesweeping
        guidelines explain --format json scenarios/gulf.yaml

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
    from ..scenario.load import load_scenario, source_name
    from ..util.text import escape_controls, escape_data, terminal_width

    try:
        scenario = load_scenario(file)
    except ScenarioError as exc:
        show_error(exc)
        sys.exit(1)
    evaluator = evaluator_or_exit(rules_dir)
    data, source = scenario.model_dump(mode="json"), source_name(file)
    if fmt == "text":  # a terminal: the scenario's own text must not drive it
        data, source = escape_data(data), escape_controls(source, newlines=True)
    try:
        report = evaluate_data(data, evaluator, source=source)
    except EngineError as exc:
        show_error(exc, source_name(file))
        sys.exit(EngineError.exit_code)
    explanation = explain_report(report, evaluator.compiled.roles, evaluator.rulebook)
    if roles:
        explanation.roles = {r: e for r, e in explanation.roles.items() if r in roles}
    if fmt == "json":
        echo(json.dumps(explanation.as_dict(), ensure_ascii=False))
    else:
        echo(render_explanation(explanation, width=terminal_width(), style=click.style))
