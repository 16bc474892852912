"""What the commands share: options, rulebook loading, and turning library errors into exits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ..errors import EngineError, GuidelinesError, RulebookError
from .output import echo, fail, show_error, write


def rules_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--rules DIR`: work with your own copy of the rulebook."""
    return click.option(
        "--rules",
        "rules_dir",
        type=click.Path(exists=True, file_okay=False),
        default=None,
        metavar="DIR",
        is_eager=True,  # before --role, whose roles are those of this rulebook
        help="Use the rulebook in DIR instead of the shipped rulebooks.",
    )(function)


def rulebook_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--rulebook ID`: one shipped rulebook. What it replaces differs by command (the rulebook in force on each
    scenario's date, every rulebook a file's `expect:` names, the 1997 one), so each command says it."""
    return click.option("--rulebook", "rulebook", default=None, metavar="ID", help=help_text)


def rulebook_or_exit(rulebook: str | None, rules_dir: str | None) -> str | None:
    """The directory `--rulebook`/`--rules` name (None: each scenario's date decides); exit 2 for an unknown id or
    both options at once."""
    from ..rulebook.choice import UnknownRulebookError, choose

    if rulebook is not None and rules_dir is not None:
        fail("--rules and --rulebook cannot be used together; --rules names a rulebook of your own", 2)
    if rules_dir is not None:
        return rules_dir
    if rulebook is None:
        return None
    try:
        return choose(None, rulebook=rulebook).directory
    except UnknownRulebookError as exc:
        fail(exc.message, exc.exit_code)


def compared_rulebooks_or_exit(rulebooks: tuple[str, ...]) -> tuple[str, str]:
    """The two rulebooks `--rulebook A --rulebook B` name (1997 and 2015 by default); exit 2 for an unknown id,
    or for other than two distinct ones."""
    from ..rulebook.choice import UnknownRulebookError, choose, shipped_rulebooks

    if not rulebooks:
        books = [book.id for book in shipped_rulebooks()]
        return books[0], books[-1]
    if len(rulebooks) != 2 or rulebooks[0] == rulebooks[1]:
        fail("give --rulebook twice, with two different rulebooks (or not at all: 1997 and 2015)", 2)
    for rulebook in rulebooks:
        try:
            choose(None, rulebook=rulebook)
        except UnknownRulebookError as exc:
            fail(exc.message, exc.exit_code)
    return rulebooks[0], rulebooks[1]


def jobs_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--jobs N`: processes to spread a batch over."""
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(1, 64),
        default=None,
        help="Processes to use; by default all available cores for batches of 200 files or more.",
    )(function)


def _overrides(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[Any, ...]:
    if not value:  # without --set, its parser is not even imported
        return ()
    from ..scenario.overrides import OverrideSyntaxError, parse_override

    try:
        return tuple(parse_override(text) for text in value)
    except OverrideSyntaxError as exc:
        raise click.BadParameter(exc.message.removeprefix("--set "), ctx, param) from None


def set_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--set PATH=VALUE`: what if a field of the scenario were otherwise (repeatable)."""
    return click.option(
        "--set",
        "overrides",
        multiple=True,
        metavar="PATH=VALUE",
        callback=_overrides,
        help=(
            "What if: set a field before evaluating, as the file would write it (repeatable): "
            "situation.ceasefire=formal, areas.strait.combat=none, events[0].status=active, "
            "phases.p2.situation.ceasefire=formal."
        ),
    )(function)


def phase_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--phase ID`: one phase of a phased file."""
    return click.option("--phase", "phase", default=None, metavar="ID", help=help_text)


class RoleChoice(click.Choice):
    """A role id of the shipped rulebooks (or of the rulebook `--rules DIR` gives), with "did you mean" and the
    list of roles when it is not one, and completion, as a Choice. The roles are read from the rulebooks' files
    when first needed, not at start."""

    def __init__(self) -> None:
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        from ..rulebook.choice import shipped_roles

        return tuple(dict.fromkeys(role for roles in shipped_roles().values() for role in roles))

    @choices.setter
    def choices(self, value: Any) -> None:
        pass  # always the shipped rulebooks' roles

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        rules_dir = ctx.params.get("rules_dir") if ctx is not None else None
        if rules_dir is not None:
            from ..rulebook.choice import role_ids

            roles: tuple[str, ...] = tuple(role_ids(rules_dir))
        else:
            roles = self.choices
        if value in roles:
            return value
        from ..errors import suggest

        close = suggest(str(value), list(roles))
        mean = f"did you mean {close!r}? " if close else ""
        self.fail(f"{value!r} is not a role; {mean}The roles are: {', '.join(roles)}.", param, ctx)


def format_option(*choices: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help="Output format.",
    )


def load_rulebook_or_exit(rules_dir: str | None):  # type: ignore[no-untyped-def]
    """The rulebook in `rules_dir` (or the shipped one); exit 1 listing its problems if it does not load."""
    from ..rulebook.load import load_rulebook
    from ..rulebook.shipped import default_rules_dir

    try:
        return load_rulebook(rules_dir if rules_dir is not None else default_rules_dir())
    except RulebookError as exc:
        show_error(exc)
        fail(f"the rulebook in {exc.path} does not load")


def evaluator_or_exit(rules_dir: str | None, date: Any = None):  # type: ignore[no-untyped-def]
    """The compiled evaluator of a rulebook (`--rules DIR`, else the one in force on `date`); exit 1 (rulebook) or 3
    (engine) if it cannot be built."""
    from ..rete.evaluators import evaluator_for
    from ..rulebook.choice import choose

    try:
        return evaluator_for(choose(date, rules_dir=rules_dir).directory)
    except RulebookError as exc:
        show_error(exc)
        fail(f"the rulebook in {exc.path} does not load")
    except EngineError as exc:
        fail(exc.message, EngineError.exit_code)


def discover_or_exit(paths: tuple[str, ...], warnings: Any = None) -> list[str]:
    """The files of a batch, warning of what the search skipped on purpose (through `warnings`, a
    `console.Warnings`, when given); an empty folder alone is a usage error."""
    from ..batch.discover import discover
    from ..errors import Problem

    try:
        found = discover(paths)
    except GuidelinesError as exc:
        raise click.UsageError(exc.message) from None
    skipped = [Problem(reason, path, severity="warning") for path, reason in found.skipped]
    if warnings is not None:
        warnings.add(skipped)
    else:
        for problem in skipped:
            echo(f"warning: {problem.text()}", err=True)
    return found.files


def default_paths(paths: tuple[str, ...]) -> tuple[str, ...]:
    """The paths given, or `scenarios/` when none are and it exists; a usage error (2) when neither: the command
    was run where there is nothing to check, as after a plain install."""
    if paths:
        return paths
    from pathlib import Path

    if Path("scenarios").is_dir():
        return ("scenarios",)
    raise click.UsageError(
        "nothing to check: there is no scenarios/ folder here, and no files were given. Copy the examples to start "
        "from: guidelines examples my-scenarios"
    )


def output_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """`-o FILE`: write the output to a file (whole, or not at all) instead of standard output."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, writable=True),
        default=None,
        metavar="FILE",
        help="Write the output to FILE instead of standard output (needed for html on a terminal).",
    )(function)


def view_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--ids` and `--cite`: how a person sees roles and sources."""
    function = click.option(
        "--cite",
        type=click.Choice(["short", "full"]),
        default="short",
        show_default=True,
        help="short: source tags, with a legend of their full titles at the end; full: each title after its tag.",
    )(function)
    return click.option("--ids", is_flag=True, help="Show role ids beside role titles.")(function)


def text_view(ids: bool = False, cite: str = "short", output: str | None = None, csv_raw: bool = False) -> Any:
    """How text is shown: the width (80 for a file or a pipe), ids, full titles, symbols the output can take; CSV
    cells guarded against formulas or not."""
    from ..render.text import TextOptions
    from ..util.text import terminal_width, unicode_ok

    width = terminal_width() if output is None else 80
    return TextOptions(width, ids, cite == "full", unicode_ok() or output is not None, csv_raw)


def csv_raw_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--csv-raw`: CSV cells as they are, for programs (pandas) rather than spreadsheets."""
    return click.option(
        "--csv-raw",
        is_flag=True,
        help="With --format csv: leave cells that start with =, +, -, @ as they are (by default they get a "
        "leading ' so that a spreadsheet shows them as text, never runs them as formulas).",
    )(function)


def write_output(path: str, chunks: list[str | bytes]) -> None:
    """Write -o FILE, or exit 1 saying why it could not be written.

    A file is written whole or not at all (into an existing folder: none is
    made). A FIFO or a character device (a terminal, /dev/null) is written
    through, as a shell's `>` would, never replaced; standard output or error
    (`-o /dev/stdout`) is written as the command's own output.
    """
    import os
    import stat

    from ..util.files import kind_of, write_atomically, write_through

    def joined(styled: bool) -> bytes:  # text is styled for a terminal only, as click.echo does
        return b"".join((c if styled else click.unstyle(c)).encode("utf-8") if isinstance(c, str) else c
                        for c in chunks)  # fmt: skip

    try:
        try:
            status: os.stat_result | None = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            status = None
        if status is not None:
            for fd, err in ((1, False), (2, True)):
                if _same_file(status, fd):
                    write(joined(os.isatty(fd)), err=err)
                    return
            if stat.S_ISFIFO(status.st_mode) or stat.S_ISCHR(status.st_mode):
                write_through(path, joined(False))
                return
            if not stat.S_ISREG(status.st_mode):
                fail(f"{path}: cannot write: it is {kind_of(status.st_mode)}")
        folder = os.path.dirname(path) or "."
        if not os.path.isdir(folder):
            what = "is not a folder" if os.path.lexists(folder) else "does not exist"
            fail(f"{path}: cannot write: the folder {folder} {what}")
        mode = status.st_mode & 0o777 if status is not None else None
        write_atomically(path, joined(False), quiet=False, make_folders=False)
        if mode is None:  # a new file gets the usual permissions, not the temporary file's 0600
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(path, mode)
    except OSError as exc:
        fail(f"{path}: cannot write: {exc.strerror or exc}")


def _same_file(status: Any, fd: int) -> bool:
    import os

    try:
        return os.path.samestat(status, os.fstat(fd))
    except OSError:
        return False
