"""`guidelines validate`: check scenario files (and a rulebook) without evaluating them."""

from __future__ import annotations

import sys

import click

from .common import default_paths, discover_or_exit, rules_option


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@rules_option
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
def validate(paths: tuple[str, ...], rules_dir: str | None, quiet: bool) -> None:
    """Check scenario files, and with --rules a rulebook, without evaluating them.

    Prints `file:line:col: field: message` for each problem, with a "did you
    mean" when a key or value is close to a valid one, and a one-line summary
    on success. PATHS default to scenarios/. `expect:` blocks are checked
    against the rulebook too.

    \b
    Example:
        guidelines validate scenarios/strait.yaml
        guidelines validate --rules my-rules/ scenarios/

    \b
    Exit codes:
        0  everything is valid
        1  a scenario file or the rulebook is invalid
        2  usage error
    """
    from ..errors import RulebookError, ScenarioError
    from ..expect import expectation_problems
    from ..rulebook import default_rules_dir, load_rulebook
    from ..runtime import compile_rulebook
    from ..scenario import load_scenario_document

    rulebook = None
    bad = 0
    try:
        rulebook = load_rulebook(rules_dir if rules_dir is not None else default_rules_dir())
        compile_rulebook(rulebook)  # the engine's limits are checked on the compiled rules
    except RulebookError as exc:
        click.echo(str(exc))
        bad += 1
    if not paths and rules_dir is not None:
        files: list[str] = []
    else:
        files = discover_or_exit(default_paths(paths))
    for path in files:
        try:
            scenario, document = load_scenario_document(path)
        except ScenarioError as exc:
            click.echo(str(exc))
            bad += 1
            continue
        if rulebook is not None:
            problems = expectation_problems(scenario, document, rulebook)
            for problem in problems:
                click.echo(problem.text())
            bad += bool(problems)
    if bad:
        click.echo(f"{bad} invalid ({len(files)} scenario file{'s' if len(files) != 1 else ''} checked)", err=True)
        sys.exit(1)
    if not quiet:
        what = f"{len(files)} scenario file{'s' if len(files) != 1 else ''}"
        if rules_dir is not None:
            what = f"rulebook {rulebook.id if rulebook else ''} and " + what
        click.echo(f"ok: {what} valid")
