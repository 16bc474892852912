"""`guidelines examples`: copy the shipped example scenarios into a folder to start from."""

from __future__ import annotations

import click


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Replace files of the same names in DIRECTORY.")
def examples(directory: str, force: bool) -> None:
    """Copy the example scenarios shipped with guidelines into DIRECTORY (created if missing).

    Each file is a scenario the guide describes, with its `expect:` block, and
    the scenario schema comes beside them for editors. Files already there are
    left alone unless --force is given; nothing is written through a link.

    \b
    Example:
        guidelines examples my-scenarios
        guidelines evaluate my-scenarios/strait.yaml

    \b
    Exit codes:
        0  copied
        1  DIRECTORY holds files of those names (use --force), or is not writable
        2  usage error
    """
    import os

    from ..errors import GuidelinesError
    from ..rulebook.choice import shipped_roles
    from ..scenario.examples import copy_examples
    from ..scenario.schema import schema_text
    from .common import fail

    try:
        written = copy_examples(directory, schema_text(shipped_roles()), force=force)
    except GuidelinesError as exc:
        fail(exc.message)
    except OSError as exc:
        fail(f"{exc.filename or directory}: cannot write: {exc.strerror or exc}")
    scenarios = [p for p in written if p.endswith((".yaml", ".yml"))]
    click.echo(f"copied {len(scenarios)} example scenarios to {directory}")
    click.echo("next:")
    for line in (
        f"guidelines evaluate {os.path.join(directory, 'strait.yaml')}",
        f"guidelines explain {os.path.join(directory, 'strait.yaml')} --role minesweeping",
        f"guidelines evaluate --format html -o report.html {directory}",
        f"guidelines test {directory}",
    ):
        click.echo(f"  {line}")
