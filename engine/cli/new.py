"""`guidelines new`: write a commented scenario skeleton."""

from __future__ import annotations

import os
import sys

import click


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@click.option("--phases", is_flag=True, help="Add two phases: a crisis that unfolds.")
def new(path: str, force: bool, phases: bool) -> None:
    """Write a commented scenario skeleton to PATH: every field, its allowed values, the schema line.

    The skeleton is a valid scenario as written; edit it, check it with
    `guidelines validate`, and evaluate it. With --phases it also has two
    phases, each stating what changes from the one before.

    \b
    Example:
        guidelines new scenarios/my_crisis.yaml
        guidelines new --phases scenarios/my_crisis.yaml

    \b
    Exit codes:
        0  written
        1  PATH exists (use --force) or cannot be written
        2  usage error
    """
    from ..scenario.skeleton import skeleton

    if os.path.exists(path) and not force:
        click.echo(f"error: {path} exists; use --force to overwrite it", err=True)
        sys.exit(1)
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(skeleton(path, phases=phases))
    except OSError as exc:
        click.echo(f"error: cannot write {path}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    click.echo(f"wrote {path}; next: guidelines validate {path}")
