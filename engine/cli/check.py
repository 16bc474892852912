"""`guidelines check`: test the rulebook's invariants on generated and enumerated scenarios."""

from __future__ import annotations

import contextlib
import os
import random
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import click

from ..util.signals import held_signals, signal_pending
from ..util.text import hanging, width_of, wrap
from .common import evaluator_or_exit, rulebook_option, rulebook_or_exit, rules_option
from .output import echo, fail, show_error

if TYPE_CHECKING:  # pragma: no cover
    from ..rulebook.model import Rulebook


@click.command()
@rulebook_option("Check only the shipped rulebook ID (1997 or 2015), not every shipped rulebook.")
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
    default=None,
    metavar="DIR",
    help="Where to write counterexample scenario files (default: a new folder under the system's temp folder).",
)
def check(
    rulebook: str | None,
    rules_dir: str | None,
    examples: int,
    exhaustive: bool,
    max_areas: int,
    seed: int | None,
    out_dir: str | None,
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
    counterexample as a scenario file that `guidelines explain` can explain: into --out DIR, or else a new
    folder under the system's temp folder, named in the output. It never
    overwrites a file (a taken name gets a number) and never writes through a
    link. Hypothesis keeps its files in the cache folder
    ($GUIDELINES_CACHE_DIR), or in a temporary folder removed afterwards when
    caching is off: nothing is written to the current folder.

    \b
    Example:
        guidelines check
        guidelines check --rulebook 2015 --exhaustive
        guidelines check --rules my-rules/ --examples 2000 --seed 7

    \b
    Exit codes:
        0  every invariant held in every scenario checked
        1  an invariant failed (counterexamples written), or a rulebook did
           not load
        2  usage error
        3  the rule engine failed
    """
    from ..rulebook.choice import shipped_rulebooks

    chosen = rulebook_or_exit(rulebook, rules_dir)
    directories = [chosen] if chosen is not None else [book.directory for book in shipped_rulebooks()]
    seed = seed if seed is not None else random.randrange(2**31)
    held = True
    for directory in directories:
        named = rulebook if rulebook is not None else (None if rules_dir or len(directories) == 1 else directory)
        held &= _check_one(directory, rules_dir, named, examples, exhaustive, max_areas, seed, out_dir)
    if not held:
        sys.exit(1)


def _show_violation(
    violation: Any, evaluator: Any, invariants: list[Any], folder: str, option: str, width: int
) -> None:
    """A failed invariant: what it says, where it failed, the rules behind it, and its counterexample, written
    into `folder` (with the command that explains it)."""
    from ..util.files import create_numbered
    from ..verify.check import counterexample_yaml, culprits

    try:
        path = create_numbered(folder, f"counterexample-{violation.invariant}", ".yaml", counterexample_yaml(violation))
    except OSError as exc:
        fail(f"cannot write a counterexample into {folder}: {exc.strerror or exc}")
    head = f"FAIL {violation.invariant}"
    first, *rest = hanging(head + ":", violation.text, width, indent=5)
    echo("\n".join([click.style(head, fg="red", bold=True) + first[len(head) :], *rest]))
    _item("basis:", ", ".join(violation.basis), width)
    _item(violation.where, f"came out {violation.status} in the counterexample", width)
    invariant = next((i for i in invariants if i.id == violation.invariant), None)
    for line in culprits(evaluator, violation, invariant):
        where, _, what = line.partition(": ")
        _item(f"rule: {_near(where)}:", what, width)
    _command("counterexample:", [path], width)
    _command("explain it:", ["guidelines", "explain", path, "--role", violation.role, *option.split()], width)


def _check_one(
    directory: str,
    rules_dir: str | None,
    named: str | None,
    examples: int,
    exhaustive: bool,
    max_areas: int,
    seed: int,
    out_dir: str | None,
) -> bool:
    """Check one rulebook and print what came of it; whether every invariant held. `named`: the rulebook was
    one of several checked, or chosen with --rulebook (the explain line then names it)."""
    from ..errors import EngineError, RulebookError
    from ..util.text import message_width, terminal_width
    from ..verify.check import check_exhaustive, check_generated
    from ..verify.invariants import load_invariants
    from ..verify.space import space_size
    from .console import Progress

    evaluator = evaluator_or_exit(directory)
    rulebook = evaluator.rulebook
    try:
        invariants = load_invariants(rulebook)
    except RulebookError as exc:
        show_error(exc)
        sys.exit(1)
    started = time.perf_counter()
    width, told = terminal_width(), message_width()
    _warn_inherited(rulebook, f"--rules {rules_dir}" if rules_dir else f"--rulebook {rulebook.id}", told)
    try:
        if exhaustive:
            total = space_size(max_areas)
            _say(
                f"rulebook {rulebook.id}: checking {len(invariants) + 2} invariants on every scenario of the bounded "
                f"space ({_whole(f'{total:,} scenarios)...')}",
                told,
                err=True,
            )
            with Progress(total, "checking") as bar:
                result = check_exhaustive(
                    evaluator, invariants, max_areas=max_areas, progress=lambda n: bar.update(done=n)
                )
        else:
            _say(
                f"rulebook {rulebook.id}: checking {len(invariants) + 2} invariants on {examples} generated "
                f"scenarios ({_whole(f'seed {seed})...')}",
                told,
                err=True,
            )
            # Hypothesis would take Ctrl-C's exception, raised while it draws a scenario, for a failure: the
            # signal is held back and the run asked to stop between scenarios; leaving the block delivers it.
            with _hypothesis_home(), held_signals(), Progress(examples, "checking") as bar:
                result = check_generated(
                    evaluator,
                    invariants,
                    examples=examples,
                    seed=seed,
                    progress=lambda n: bar.update(done=n),
                    stop=signal_pending,
                )
    except EngineError as exc:
        fail(exc.message, EngineError.exit_code)
    seconds = time.perf_counter() - started
    if result.ok:
        _say(
            f"ok: {result.checked} scenarios checked ({result.mode}), "
            f"{result.invariants} invariants held, rulebook {rulebook.id}, {seconds:.1f}s",
            width,
        )
        return True
    folder = _out_folder(out_dir)
    option = _rules_arg(rules_dir) or (f" --rulebook {rulebook.id}" if named is not None else "")
    for violation in result.violations:
        _show_violation(violation, evaluator, invariants, folder, option, width)
    _say(
        f"{result.checked} scenarios checked ({result.mode}); {len(result.violations)} invariants failed, "
        f"rulebook {rulebook.id}",
        width,
    )
    return False


def _warn_inherited(rulebook: Rulebook, option: str, width: int) -> None:
    """A warning for each item the rulebook inherits that changed in its base since it acknowledged it: a base's
    edit must not slip into the rulebook that extends it unseen (see rulebook/inherited.py)."""
    if not rulebook.bases:
        return
    from ..rulebook.inherited import inherited_items
    from ..util.text import problem_text

    for item in inherited_items(rulebook.directory):
        if item.changed:
            echo(problem_text(item.problem(rulebook.id, option), width, "warning"), err=True)


def _out_folder(out_dir: str | None) -> str:
    """The folder counterexamples go to: --out (made if missing), else a new one under the temp folder."""
    import tempfile

    try:
        if out_dir is None:
            return tempfile.mkdtemp(prefix="guidelines-check-")
        os.makedirs(out_dir, exist_ok=True)
    except OSError as exc:
        fail(f"cannot make a folder for counterexamples: {exc.strerror or exc}")
    return out_dir


@contextlib.contextmanager
def _hypothesis_home() -> Iterator[None]:
    """Hypothesis writes its files (caches of constants and characters) under the cache folder, or nowhere lasting.

    It would write a `.hypothesis/` folder into the current one otherwise.
    """
    import shutil
    import tempfile

    from hypothesis import configuration

    from ..rete.cache import cache_dir

    where = cache_dir()
    temporary = None
    if where is None:
        where = temporary = tempfile.mkdtemp(prefix="guidelines-hypothesis-")
    previous = getattr(configuration, "__hypothesis_home_directory", None)
    configuration.set_hypothesis_home_dir(os.path.join(where, "hypothesis"))
    try:
        yield
    finally:
        configuration.set_hypothesis_home_dir(previous)
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


def _rules_arg(rules_dir: str | None) -> str:
    return f" --rules {rules_dir}" if rules_dir else ""


def _near(location: str) -> str:
    """`FILE:LINE` with FILE relative to the current folder when it is inside it: shorter, and as clickable."""
    path, colon, line = location.rpartition(":")
    if not colon or not os.path.isabs(path):
        return location
    relative = os.path.relpath(path)
    return f"{relative}:{line}" if not relative.startswith("..") else location


def _whole(text: str) -> str:
    """Text that `wrap` keeps on one line (a number and its unit)."""
    return text.replace(" ", "\u00a0")


def _say(text: str, width: int, *, err: bool = False) -> None:
    """A line of prose, wrapped to `width` under a hanging indent of two."""
    first, *rest = wrap(text, width)
    echo("\n".join([first, *("  " + line for line in wrap(" ".join(rest), width - 2) if rest)]), err=err)


def _item(label: str, body: str, width: int) -> None:
    """`  label body`, wrapped under the body; the label (with a file's location) is kept whole."""
    echo("\n".join("  " + line for line in hanging(label, body, width - 2, indent=4)))


def _command(label: str, words: list[str], width: int) -> None:
    """`  label` and a path or a command to copy: on one line when it fits, else on lines of their own, a
    command's continued with a backslash, so that it can still be pasted; a path is never broken."""
    line = f"  {label} {' '.join(words)}"
    if width_of(line) <= width:
        echo(line)
        return
    lines, current = [f"  {label}"], "    "
    for word in words:
        if current.strip() and width_of(current) + 1 + width_of(word) + 2 > width:
            lines.append(current + " \\")
            current = "      "
        current += (" " if current.strip() else "") + word
    echo("\n".join([*lines, current]))
