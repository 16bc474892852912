"""`guidelines flip`: for each case, the smallest changes of the scenario's facts that change its status."""

from __future__ import annotations

import sys

import click

from .common import (
    RoleChoice,
    format_option,
    phase_option,
    rulebook_option,
    rulebook_or_exit,
    rules_option,
    set_option,
)
from .output import echo, show_error, warn_undone, write


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--role", "roles", multiple=True, type=RoleChoice(), metavar="ROLE", help="Only this role (repeatable).")
@click.option("--area", "areas", multiple=True, metavar="AREA", help="Only this area's cases (repeatable).")
@phase_option("Only this phase of a phased file (by default every phase).")
@set_option
@format_option("text", "json", "markdown")
@rulebook_option(
    "Evaluate under the shipped rulebook ID (1997 or 2015) instead of the one in force on the"
    " scenario's (each phase's) date; the date then changes no rulebook."
)
@rules_option
def flip(
    file: str,
    roles: tuple[str, ...],
    areas: tuple[str, ...],
    phase: str | None,
    overrides: tuple,
    fmt: str,
    rulebook: str | None,
    rules_dir: str | None,
) -> None:
    """Show what would change each verdict: the smallest changes of the facts that flip it.

    For each case (a role in an area, on a request, or as a whole), the
    changes of one field, then of two, that change its status, found by
    evaluating the changed scenario: the situation, the forces, the date, an
    area's kind, combat, consent or neighbour, an event's fields; only the
    fields the role's rules read; a change that makes a warning fire comes
    only with the change that resolves it. Each is minimal (no part of it
    flips the case alone), says what the case becomes and on what ground or
    by which limits, and is verified by reading the file again with the
    changes as --set arguments, as `guidelines evaluate` reads them. At most
    three per case, single changes first. A phased file is searched phase by
    phase, unless --phase names one; --set PATH=VALUE searches the file so
    changed. --format json prints one line: {"scenario", "source", "cases":
    [{"phase", "role", "where", "status", "flips": [{"set", "to", "ground" or
    "limits"}]}]}.

    \b
    Example:
        guidelines flip scenarios/strait.yaml --phase fighting --role minesweeping
        guidelines flip scenarios/korea.yaml --area yellow_sea
        guidelines flip --format json scenarios/hormuz.yaml

    \b
    Exit codes:
        0  searched, whatever was found
        1  the file (or the rulebook) did not load
        2  usage error (a --phase or --area the file lacks, an unknown --role,
           a --set that is not PATH=VALUE)
        3  the rule engine failed
    """
    from ..errors import EngineError, ScenarioError
    from ..render.flips import flip_markdown, flip_text
    from ..scenario.loader import load, source_name
    from ..scenario.phases import UnknownPhaseError
    from ..util.text import terminal_width
    from ..verify.flip import Options, flip_report

    rulebook_or_exit(rulebook, rules_dir)
    source = source_name(file)
    try:
        loaded = load(file, overrides)
        raw = loaded.document.data
    except ScenarioError as exc:
        show_error(exc)
        sys.exit(1)
    warn_undone(loaded.warnings)
    _check_areas(areas, loaded.data, source)
    options = Options(roles, areas, phase, rulebook, rules_dir)
    try:
        report = flip_report(raw, loaded.data, source=source, options=options)
    except UnknownPhaseError as exc:
        raise click.UsageError(f"{source}: {exc.message}") from None
    except EngineError as exc:
        show_error(exc, source)
        sys.exit(EngineError.exit_code)
    if fmt == "json":
        import orjson  # only --format json pays for importing it

        write(orjson.dumps(report.as_dict()) + b"\n")
    elif fmt == "markdown":
        write(flip_markdown(report).encode())
    else:
        echo(flip_text(report, width=terminal_width(), style=click.style))


def _check_areas(areas: tuple[str, ...], data: dict, source: str) -> None:
    """Refuse an --area no phase of the file has, naming those it has."""
    from ..errors import suggest
    from ..scenario.phases import phase_states

    known = list(dict.fromkeys(area["id"] for state in phase_states(data) for area in state.data.get("areas") or ()))
    for area in areas:
        if area not in known:
            hint = suggest(area, known)
            raise click.UsageError(
                f"{source}: no area {area!r}; the areas are {', '.join(known) or 'none'}"
                + (f" (did you mean {hint!r}?)" if hint else "")
            )
