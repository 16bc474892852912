"""`guidelines diff`: the verdicts that differ between two scenarios, or a scenario and a what-if."""

from __future__ import annotations

import sys
from typing import Any

import click

from .common import format_option, phase_option, rulebook_option, rulebook_or_exit, rules_option, set_option
from .output import echo, show_error, write


@click.command()
@click.argument("first", type=click.Path(dir_okay=False, allow_dash=True))
@click.argument("second", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@set_option
@phase_option("Compare this phase of both files (by default, the last phase of a phased file).")
@format_option("text", "json", "markdown", "csv")
@rulebook_option(
    "Evaluate both sides under the shipped rulebook ID (1997 or 2015) instead of the one in force on each side's"
    " (each phase's) date."
)
@rules_option
def diff(
    first: str,
    second: str | None,
    overrides: tuple,
    phase: str | None,
    fmt: str,
    rulebook: str | None,
    rules_dir: str | None,
) -> None:
    """Show the verdicts that differ between two scenarios, with the reason on each side.

    Give two files, or one file and --set PATH=VALUE (repeatable): the file
    as it is against the file with those fields set. Every verdict that
    differs is listed (each role's, each area's, each request's), and nothing
    else. Phased files are compared at their last phases unless --phase names
    one; each phase is evaluated under the rulebook of its date, or both sides
    under the one --rulebook names. A verdict differs in its status, or in
    its ground (or the limits that block it), or in its procedure (who
    decides, the Diet's approval). --format json prints one line: {"source",
    "reports": {"a", "b"}, "changes"}; --format markdown, a table of what
    differs with why on each side; --format csv, a row per change.

    \b
    Example:
        guidelines diff scenarios/korea.yaml scenarios/korea_crisis.yaml
        guidelines diff scenarios/korea.yaml --set areas.yellow_sea.combat=none
        guidelines diff --rulebook 2015 scenarios/korea.yaml scenarios/hormuz.yaml

    \b
    Exit codes:
        0  compared, whatever differs
        1  a file (or the rulebook) did not load
        2  usage error (neither a second file nor --set, or both; a --phase
           a file lacks; an unknown --rulebook, or --rulebook with --rules)
        3  the rule engine failed
    """
    from ..batch.work import evaluate_file
    from ..render.changes import caption, render_comparison
    from ..report.changes import changes
    from ..util.text import terminal_width

    if (second is None) == (not overrides):
        raise click.UsageError("give a second file, or --set PATH=VALUE to compare the file with, not both")
    rulebook_or_exit(rulebook, rules_dir)
    text_output = fmt == "text"
    results = [
        evaluate_file(first, for_text=text_output, rulebook=rulebook, rules_dir=rules_dir),
        evaluate_file(
            second or first, for_text=text_output, rulebook=rulebook, rules_dir=rules_dir, overrides=overrides
        ),
    ]
    a, b = (_phase_of(result, phase) for result in results)
    found = changes(a, b)
    if fmt == "json":
        write(_json(results, a, b, found, second is not None, overrides))
        _warn(results)
        return
    what = "".join(f" --set {o.text}" for o in overrides)
    title = a.scenario if a.scenario == b.scenario else f"{a.scenario} -> {b.scenario}"
    last = " (the last)" if phase is None else ""  # a phase chosen by default: the last
    sides = (("a", caption(a) + (last if a.phase else "")), ("b", caption(b, what) + (last if b.phase else "")))
    if fmt == "csv":
        from ..render.changes_csv import changes_csv

        write(changes_csv(found, a, b).encode())
    elif fmt == "markdown":
        from ..render.markdown import comparison_markdown

        write(comparison_markdown(found, a, b, title=title, sides=sides).encode())
    else:
        echo(render_comparison(found, a, b, title=title, sides=sides, width=terminal_width(), style=click.style))
    _warn(results)


def _json(results: list[Any], a: Any, b: Any, found: list[Any], two_files: bool, overrides: tuple) -> bytes:
    """The JSON line of `diff`: {"source", "reports": {"a", "b"}, "changes"} (and the files, or the --set)."""
    import orjson  # only --format json pays for importing it

    body: dict[str, Any] = {
        "source": results[0].source,
        "reports": {"a": a.as_dict(), "b": b.as_dict()},
        "changes": [c.as_dict() for c in found],
    }
    if two_files:
        body["sources"] = {"a": results[0].source, "b": results[1].source}
    if overrides:
        body["set"] = [o.text for o in overrides]
    return orjson.dumps(body) + b"\n"


def _warn(results: list[Any]) -> None:
    """Each side's warnings on stderr (a --set that a phase sets again among them)."""
    from ..batch.work import warning_lines
    from ..util.text import message_width

    for text in (warning_lines(r.report.warnings, message_width()) for r in results if r.report is not None):
        if text:
            echo(text, err=True)


def _phase_of(result: Any, phase: str | None) -> Any:
    """The report compared of one side: its phase `phase` (by default, its last); exits on a file that did not
    load, or lacks the phase."""
    from ..scenario.phases import UnknownPhaseError

    if result.error is not None:
        show_error(result.error, result.source)
        sys.exit(result.error.exit_code)
    try:
        return result.report.phase_report(phase)
    except UnknownPhaseError as exc:
        raise click.UsageError(f"{result.source}: {exc.message}") from None
