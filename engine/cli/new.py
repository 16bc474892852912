"""`guidelines new`: write a commented scenario skeleton."""

from __future__ import annotations

import os

import click

from .output import echo, fail


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@click.option("--phases", is_flag=True, help="Add two phases: a crisis that unfolds.")
def new(path: str, force: bool, phases: bool) -> None:
    """Write a commented scenario skeleton to PATH: every field, its allowed values, the schema line.

    The skeleton is a valid scenario as written; edit it, check it with
    `guidelines validate`, and evaluate it. With --phases it also has two
    phases, each stating what changes from the one before. Its schema line
    points at scenario.schema.json beside it, for editors, which is written
    there too if missing (in a folder beside a schema/ folder, as the
    repository's scenarios/ is, at ../schema/ instead). Missing folders on the
    way are created; PATH is never a link (even with --force), and no file is
    ever overwritten but PATH with --force.

    \b
    Example:
        guidelines new scenarios/my_crisis.yaml
        guidelines new --phases scenarios/my_crisis.yaml

    \b
    Exit codes:
        0  written
        1  PATH exists (use --force), is a link or a folder, or cannot be written
        2  usage error
    """
    from ..rulebook.choice import shipped_roles
    from ..scenario.schema import SCHEMA_NAME, schema_reference, schema_text
    from ..scenario.skeleton import skeleton
    from ..util.files import create_new, write_atomically
    from ..util.text import terminal_width, width_of

    if os.path.islink(path):  # dangling or not: writing would land wherever the link points
        fail(f"{path} is a link; give the path of the file itself")
    if os.path.lexists(path) and not force:
        fail(f"{path} exists; use --force to overwrite it")
    parent = os.path.dirname(path)
    reference, write_schema = schema_reference(parent or ".")
    try:
        if parent:
            os.makedirs(parent, exist_ok=True)
        if write_schema:
            schema = os.path.join(parent, SCHEMA_NAME)
            try:
                create_new(schema, schema_text(shipped_roles()))
            except FileExistsError:  # written meanwhile: it serves as well
                pass
        text = skeleton(reference, phases=phases)
        if force and os.path.lexists(path):
            write_atomically(path, text, quiet=False)
        else:
            create_new(path, text)
    except FileExistsError:
        fail(f"{path} exists; use --force to overwrite it")
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")
    also = f" and {os.path.join(parent, SCHEMA_NAME)}" if write_schema else ""
    said = f"wrote {path}{also}; next: guidelines validate {path}"
    if width_of(said) > terminal_width():  # the command on a line of its own, to copy whole, as `examples` does
        said = f"wrote {path}{also}\nnext:\n  guidelines validate {path}"
    echo(said)
