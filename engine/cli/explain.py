"""`guidelines explain`: every condition and limit checked, whether it held, and the value it saw."""

from __future__ import annotations

import json
import sys

import click

from ..scenario.vocab import ROLE_IDS
from .common import RoleChoice, evaluator_or_exit, format_option, rulebook_option, rulebook_or_exit, rules_option
from .output import echo, show_error


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=RoleChoice(),
    metavar="ROLE",
    help=f"Explain only this role (repeatable): {', '.join(ROLE_IDS)}.",
)
@format_option("text", "json")
@click.option("--trace", is_flag=True, help="Show the technical trace: every rule item by id, field paths and values.")
@click.option(
    "--cite",
    type=click.Choice(["short", "full"]),
    default="short",
    show_default=True,
    help="short: source tags, with a legend at the end; full: each source's title after its tag.",
)
@rulebook_option
@rules_option
def explain(
    file: str, roles: tuple[str, ...], fmt: str, trace: bool, cite: str, rulebook: str | None, rules_dir: str | None
) -> None:
    """Explain each role's verdict in sentences: why it arises, which ground holds, what blocks it.

    For each case (an event, an area, a request) it says whether the role
    arises there, the legal ground it applies on (with how it is decided and
    the constraints that follow) or, when it is blocked, why no ground holds and
    which limits block it; each condition is a sentence with what the scenario
    held ("Met: the area is Japanese territory or the high seas around Japan
    (here: the high seas around Japan)"). --trace shows the technical trace
    instead: every trigger, ground, condition and limit by id, with the field
    paths and values compared. The explanation is read from the same
    evaluation as the verdict, under the rulebook in force on the scenario's
    date, or the one --rulebook names.

    \b
    Example:
        guidelines explain scenarios/strait.yaml --role minesweeping
        guidelines explain scenarios/strait.yaml --role minesweeping --trace
        guidelines explain --rulebook 2015 scenarios/korea.yaml
        guidelines explain --format json scenarios/korea.yaml

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
    from ..scenario.load import load_scenario, source_name
    from ..util.text import escape_controls, escape_data, terminal_width

    rulebook_or_exit(rulebook, rules_dir)
    try:
        scenario = load_scenario(file)
    except ScenarioError as exc:
        show_error(exc)
        sys.exit(1)
    chosen = choose(scenario.date, rulebook=rulebook, rules_dir=rules_dir)
    evaluator = evaluator_or_exit(chosen.directory)
    data, source = scenario.model_dump(mode="json"), source_name(file)
    if fmt == "text":  # a terminal: the scenario's own text must not drive it
        data, source = escape_data(data), escape_controls(source, newlines=True)
    try:
        report = evaluate_data(data, evaluator, source=source, rulebook_reason=chosen.reason)
    except EngineError as exc:
        show_error(exc, source_name(file))
        sys.exit(EngineError.exit_code)
    explanation = explain_report(report, evaluator.compiled.roles, evaluator.rulebook)
    if roles:
        explanation.roles = {r: e for r, e in explanation.roles.items() if r in roles}
    if fmt == "json":
        echo(json.dumps(explanation.as_dict(), ensure_ascii=False))
    elif trace:
        echo(render_explanation(explanation, width=terminal_width(), style=click.style))
    else:
        from ..report.sentences import render_sentences

        echo(render_sentences(explanation, width=terminal_width(), style=click.style, cite_full=cite == "full"))
