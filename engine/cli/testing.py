"""`guidelines test`: run every scenario's `expect:` block like a test runner."""

from __future__ import annotations

import sys
import textwrap

import click

from .common import default_paths, discover_or_exit, evaluator_or_exit, rules_option


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@rules_option
@click.option("-v", "--verbose", is_flag=True, help="Also list the scenarios that pass.")
def test(paths: tuple[str, ...], rules_dir: str | None, verbose: bool) -> None:
    """Check every scenario's `expect:` block against its evaluation.

    Each pinned status (a role, or a role in one area) is one check. A failure
    reads file, then scenario title, then `role[@area]: expected X, got Y`, and
    the reason behind the actual verdict. The last line is `N passed, M failed`.
    PATHS default to scenarios/.

    \b
    Example:
        guidelines test
        guidelines test scenarios/strait.yaml --rules my-rules/

    \b
    Exit codes:
        0  every expectation holds
        1  an expectation failed, or a file did not load
        2  usage error
        3  the rule engine failed
    """
    from ..api import evaluate_data
    from ..errors import EngineError, ScenarioError
    from ..expect import compare, expectation_problems, expectations
    from ..render import cite, wrap
    from ..scenario import load_scenario_document

    files = discover_or_exit(default_paths(paths))
    evaluator = evaluator_or_exit(rules_dir)
    passed = failed = without = 0
    engine_failed = False
    for path in files:
        try:
            scenario, document = load_scenario_document(path)
        except ScenarioError as exc:
            failed += 1
            click.echo(click.style(f"ERROR {path}", fg="red", bold=True))
            click.echo(textwrap.indent(str(exc), "  "))
            continue
        pinned = expectations(scenario, document)
        if not pinned:
            without += 1
            continue
        problems = expectation_problems(scenario, document, evaluator.rulebook)
        if problems:
            failed += 1
            click.echo(click.style(f"ERROR {path}", fg="red", bold=True))
            click.echo(textwrap.indent("\n".join(p.text() for p in problems), "  "))
            continue
        try:
            report = evaluate_data(scenario.model_dump(mode="json"), evaluator, source=path)
        except EngineError as exc:
            failed += 1
            engine_failed = True
            click.echo(click.style(f"ERROR {path}", fg="red", bold=True) + f"\n  {exc.message}")
            continue
        mismatches = compare(report, pinned)
        passed += len(pinned) - len(mismatches)
        failed += len(mismatches)
        if mismatches:
            click.echo(click.style(f"FAIL {path}", fg="red", bold=True))
            click.echo(f"  {scenario.scenario}")
            for mismatch in mismatches:
                expected = mismatch.expectation
                where = f" (line {expected.line})" if expected.line else ""
                click.echo(f"    {expected.name}: expected {expected.status}, got {mismatch.got}{where}")
                for reason in mismatch.reasons:
                    body = wrap(reason.text + cite(reason.basis), 90)
                    click.echo("      because: " + body[0])
                    for line in body[1:]:
                        click.echo("               " + line)
        elif verbose:
            click.echo(f"ok   {path} ({len(pinned)} checks)")
    if without:
        click.echo(f"({without} file{'s' if without != 1 else ''} without expect: skipped)")
    colour = "red" if failed else "green"
    click.echo(click.style(f"{passed} passed, {failed} failed", fg=colour, bold=True))
    if engine_failed:
        sys.exit(EngineError.exit_code)
    if failed:
        sys.exit(1)
