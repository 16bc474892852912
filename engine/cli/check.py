"""`guidelines check`: test the rulebook's invariants on generated and enumerated scenarios."""

from __future__ import annotations

import os
import random
import sys
import time

import click

from .common import evaluator_or_exit, rulebook_option, rulebook_or_exit, rules_option


@click.command()
@rulebook_option
@rules_option
@click.option("--examples", default=500, show_default=True, type=click.IntRange(1), help="Scenarios to generate.")
@click.option("--exhaustive", is_flag=True, help="Enumerate a bounded space of scenarios instead of generating them.")
@click.option(
    "--max-areas", default=2, show_default=True, type=click.IntRange(1, 3), help="Areas per enumerated scenario."
)
@click.option("--seed", type=int, default=None, help="Seed for generation (printed, so a run can be repeated).")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default=".",
    show_default=True,
    help="Where to write counterexample scenario files.",
)
def check(
    rulebook: str | None,
    rules_dir: str | None,
    examples: int,
    exhaustive: bool,
    max_areas: int,
    seed: int | None,
    out_dir: str,
) -> None:
    """Check that a rulebook keeps its invariants (invariants.yaml) in every scenario tried.

    By default hypothesis generates scenarios; with --exhaustive every scenario
    of a bounded space is enumerated (one area of every kind with every single
    event under every situation, every request of either force in every place,
    every refugee case, a foreign area next to every other kind of area, pairs
    of events in one area, dated cases, and up to --max-areas areas side by
    side). It prints how many scenarios it checks. Without --rulebook or
    --rules it checks every shipped rulebook (1997 and 2015), each on its own
    line. When an invariant fails, it names the invariant, its basis and the
    rules that produced the verdict (file and line), and writes the (shrunk)
    counterexample as a scenario file that `guidelines explain` can explain.

    \b
    Example:
        guidelines check
        guidelines check --rulebook 2015 --exhaustive
        guidelines check --rules my-rules/ --examples 2000 --seed 7

    \b
    Exit codes:
        0  every invariant held in every scenario checked
        1  an invariant failed (counterexamples written), or a rulebook did not load
        2  usage error
        3  the rule engine failed
    """
    from ..rulebook.choice import shipped_rulebooks

    chosen = rulebook_or_exit(rulebook, rules_dir)
    directories = [chosen] if chosen is not None else [book.directory for book in shipped_rulebooks()]
    seed = seed if seed is not None else random.randrange(2**31)
    failed = False
    for directory in directories:
        option = _rules_arg(rules_dir) if rules_dir else ""
        failed |= not _check_one(directory, option, examples, exhaustive, max_areas, seed, out_dir)
    if failed:
        sys.exit(1)


def _check_one(
    directory: str, option: str, examples: int, exhaustive: bool, max_areas: int, seed: int, out_dir: str
) -> bool:
    """Check one rulebook and print what came of it; whether every invariant held."""
    from ..errors import EngineError, RulebookError
    from ..verify.check import check_exhaustive, check_generated, counterexample_yaml, culprits, space_size
    from ..verify.invariants import load_invariants

    evaluator = evaluator_or_exit(directory)
    rulebook = evaluator.rulebook
    try:
        invariants = load_invariants(rulebook)
    except RulebookError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    option = option or (f" --rulebook {rulebook.id}" if rulebook.directory != _default() else "")
    started = time.perf_counter()
    progress = _progress() if sys.stderr.isatty() else None
    try:
        if exhaustive:
            click.echo(
                f"rulebook {rulebook.id}: checking {len(invariants) + 1} invariants on every scenario of the bounded "
                f"space ({space_size(max_areas):,} scenarios)...",
                err=True,
            )
            result = check_exhaustive(evaluator, invariants, max_areas=max_areas, progress=progress)
        else:
            click.echo(
                f"rulebook {rulebook.id}: checking {len(invariants) + 1} invariants on {examples} generated "
                f"scenarios (seed {seed})...",
                err=True,
            )
            result = check_generated(evaluator, invariants, examples=examples, seed=seed, progress=progress)
    except EngineError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(EngineError.exit_code)
    if progress:
        click.echo("", err=True)
    seconds = time.perf_counter() - started
    if result.ok:
        click.echo(
            f"ok: {result.checked} scenarios checked ({result.mode}), "
            f"{result.invariants} invariants held, rulebook {rulebook.id}, {seconds:.1f}s"
        )
        return True
    os.makedirs(out_dir, exist_ok=True)
    for violation in result.violations:
        path = os.path.join(out_dir, f"counterexample-{violation.invariant}.yaml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(counterexample_yaml(violation))
        click.echo(click.style(f"FAIL {violation.invariant}", fg="red", bold=True) + f": {violation.text}")
        click.echo(f"  basis: {', '.join(violation.basis)}")
        click.echo(f"  {violation.where} came out {violation.status} in the counterexample")
        invariant = next((i for i in invariants if i.id == violation.invariant), None)
        for line in culprits(evaluator, violation, invariant):
            click.echo(f"  rule: {line}")
        click.echo(f"  counterexample: {path}")
        click.echo(f"  explain it: guidelines explain {path} --role {violation.role}{option}")
    click.echo(
        f"{result.checked} scenarios checked ({result.mode}); {len(result.violations)} invariants failed, "
        f"rulebook {rulebook.id}"
    )
    return False


def _default() -> str:
    from ..rulebook.shipped import default_rules_dir

    return default_rules_dir()


def _rules_arg(rules_dir: str | None) -> str:
    return f" --rules {rules_dir}" if rules_dir else ""


def _progress():  # type: ignore[no-untyped-def]
    def show(count: int) -> None:
        click.echo(f"\r  {count} scenarios", nl=False, err=True)

    return show
