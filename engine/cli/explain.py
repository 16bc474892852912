"""`guidelines explain`: every condition and limit checked, whether it held, and the value it saw."""

from __future__ import annotations

import json
import sys

import click

from .common import (
    RoleChoice,
    evaluator_or_exit,
    format_option,
    phase_option,
    rulebook_option,
    rulebook_or_exit,
    rules_option,
    set_option,
)
from .output import echo, show_error, warn_undone


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=RoleChoice(),
    metavar="ROLE",
    help="Explain only this role (repeatable).",
)
@phase_option("Explain this phase of a phased file (by default its last).")
@set_option
@format_option("text", "json")
@click.option("--trace", is_flag=True, help="Show the technical trace: every rule item by id, field paths and values.")
@click.option(
    "--flip", is_flag=True, help="Then show what would change each verdict of the phase (see `guidelines flip`)."
)
@click.option(
    "--cite",
    type=click.Choice(["short", "full"]),
    default="short",
    show_default=True,
    help="short: source tags, with a legend at the end; full: each source's title after its tag.",
)
@rulebook_option(
    "Explain under the shipped rulebook ID (1997 or 2015) instead of the one in force on the"
    " scenario's (the phase's) date."
)
@rules_option
def explain(
    file: str,
    roles: tuple[str, ...],
    phase: str | None,
    overrides: tuple,
    fmt: str,
    trace: bool,
    flip: bool,
    cite: str,
    rulebook: str | None,
    rules_dir: str | None,
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
    date, or the one --rulebook names. In a phased file it explains one phase,
    the last unless --phase names another; --set PATH=VALUE explains what
    would be if a field were otherwise.

    \b
    Example:
        guidelines explain scenarios/strait.yaml --phase fighting
        guidelines explain scenarios/korea.yaml --role search_and_rescue --trace
        guidelines explain --rulebook 2015 scenarios/korea.yaml
        guidelines explain scenarios/korea.yaml --set areas.yellow_sea.combat=none
        guidelines explain --format json scenarios/korea.yaml

    \b
    Exit codes:
        0  explained
        1  the file (or the rulebook) did not load
        2  usage error (a --set that is not PATH=VALUE, a --phase the file lacks)
        3  the rule engine failed
    """
    from ..errors import EngineError, ScenarioError
    from ..explanation.explanations import explain_phase
    from ..rulebook.choice import choose
    from ..scenario.loader import load, source_name
    from ..scenario.phases import UnknownPhaseError, phase_state, phase_states
    from ..util.text import escape_controls, escape_data

    rulebook_or_exit(rulebook, rules_dir)
    try:
        loaded = load(file, overrides)
        scenario = loaded.scenario
    except ScenarioError as exc:
        show_error(exc)
        sys.exit(1)
    warn_undone(loaded.warnings)
    data, source = scenario.model_dump(mode="json"), source_name(file)
    if fmt == "text":  # a terminal: the scenario's own text must not drive it
        data, source = escape_data(data), escape_controls(source, newlines=True)
    try:  # the phase asked for is merged from those before it, none of them evaluated
        state = phase_state(data, phase) if phase else phase_states(data)[-1]
    except UnknownPhaseError as exc:
        raise click.UsageError(f"{source}: {exc.message}") from None
    chosen = choose(state.date, rulebook=rulebook, rules_dir=rules_dir)
    evaluator = evaluator_or_exit(chosen.directory)
    try:
        explanation = explain_phase(state, source=source, evaluator=evaluator, rulebook_reason=chosen.reason)
    except EngineError as exc:
        show_error(exc, source_name(file))
        sys.exit(EngineError.exit_code)
    if roles:
        explanation.roles = {r: e for r, e in explanation.roles.items() if r in roles}
    flips = _flips(file, overrides, roles, state.id, rulebook, rules_dir) if flip else None
    _show(explanation, flips, fmt, trace, cite)


def _show(explanation, flips, fmt: str, trace: bool, cite: str) -> None:  # type: ignore[no-untyped-def]
    """The explanation (and with --flip, what would change each verdict) in the format asked for."""
    from ..util.text import terminal_width

    if fmt == "json":
        body = explanation.as_dict()
        if flips is not None:
            body["flips"] = flips.as_dict()["cases"]
        echo(json.dumps(body, ensure_ascii=False))
        return
    if trace:
        from ..explanation.explanations import render_explanation

        echo(render_explanation(explanation, width=terminal_width(), style=click.style))
    else:
        from ..explanation.sentences import render_sentences

        echo(render_sentences(explanation, width=terminal_width(), style=click.style, cite_full=cite == "full"))
    if flips is not None:
        from ..render.flips import flip_text

        echo("\n" + flip_text(flips, width=terminal_width(), style=click.style))


def _flips(file, overrides, roles, phase, rulebook, rules_dir):  # type: ignore[no-untyped-def]
    """What would change each verdict of the phase explained (`--flip`); exits as `explain` does on an engine
    failure."""
    from ..errors import EngineError
    from ..scenario.loader import source_name
    from ..verify.flip import Options, flips_of_file

    try:
        return flips_of_file(file, overrides, source=source_name(file), options=Options(roles, (), phase, rulebook,
                                                                                        rules_dir))  # fmt: skip
    except EngineError as exc:
        show_error(exc, source_name(file))
        sys.exit(EngineError.exit_code)
