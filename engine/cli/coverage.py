"""`guidelines coverage`: which rule items the scenarios exercise, true and false."""

from __future__ import annotations

import json
import sys

import click

from .common import default_paths, discover_or_exit, format_option, rulebook_option, rulebook_or_exit, rules_option
from .console import quiet_option, verbose_option
from .output import echo, show_error


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@format_option("text", "json")
@rulebook_option(
    "Measure only the shipped rulebook ID (1997 or 2015), evaluating every scenario under it, instead of"
    " measuring each shipped rulebook in turn."
)
@rules_option
@quiet_option
@verbose_option
def coverage(
    paths: tuple[str, ...], fmt: str, rulebook: str | None, rules_dir: str | None, quiet: bool, verbose: bool
) -> None:
    """Show which rule items the scenarios exercise: each trigger, ground, limit, variant, constraint and notice.

    For each role: how many grounds applied somewhere, how many limits blocked
    somewhere, and how many items came out both true and false across the
    scenarios; then every item never exercised, with its file and line. Each
    scenario (each phase of a phased one) is evaluated under every shipped
    rulebook, whatever its date, and each rulebook gets its own summary;
    --rulebook or --rules names the one rulebook to measure instead.
    PATHS default to scenarios/.

    \b
    Example:
        guidelines coverage
        guidelines coverage --format json scenarios/ my-scenarios/

    \b
    Exit codes:
        0  coverage shown, whatever it is
        1  a file or the rulebook did not load
        2  usage error
    """
    from ..errors import ScenarioError
    from ..rete.evaluators import evaluator_for
    from ..rulebook.choice import choose, shipped_rulebooks
    from ..scenario.loader import load
    from ..scenario.phases import phase_states
    from ..util.text import message_width, terminal_width
    from ..verify.coverage import Collector, render_coverage
    from .common import evaluator_or_exit
    from .console import Progress, Warnings, is_batch, summary

    rulebook_or_exit(rulebook, rules_dir)
    given = default_paths(paths)
    warnings = Warnings(quiet, verbose, width=message_width())
    files = discover_or_exit(given, warnings)
    if rules_dir is not None:
        evaluator_or_exit(rules_dir)
    # Each rulebook measured over every scenario, not only those of its years, so that its figures say how well
    # the scenarios exercise it: by date alone, the 2015 rulebook would be measured by the few dated after 2016.
    if rulebook is None and rules_dir is None:
        directories = [book.directory for book in shipped_rulebooks()]
    else:
        directories = [choose(None, rulebook=rulebook, rules_dir=rules_dir).directory]
    collectors: dict[str, Collector] = {}
    failed = 0
    with Progress(len(files), "covering") as bar:
        for path in files:
            try:
                data = load(path).data
            except ScenarioError as exc:
                show_error(exc)
                failed += 1
            else:
                for state in phase_states(data):  # each phase of a phased file, under each rulebook measured
                    for directory in directories:
                        if directory not in collectors:
                            collectors[directory] = Collector(evaluator_or_exit(directory) or evaluator_for(None))
                        collectors[directory].add(state.data, path)
            bar.update()  # after the file: the bar counts files done, as evaluate's does
    results = [c.coverage for c in collectors.values()]
    if fmt == "json":
        for result in results:
            echo(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        source = f" ({', '.join(given)})"
        echo("\n\n".join(render_coverage(r, width=terminal_width(), source=source) for r in results))
    warnings.close()
    if is_batch(given, files):
        summary(len(files), [(len(files) - failed, "covered"), (failed, "failed")], warnings)
    if failed:
        sys.exit(1)
