"""`guidelines schema`: the JSON Schema of the scenario format."""

from __future__ import annotations

import click

from .output import echo


@click.command()
def schema() -> None:
    """Print the JSON Schema (draft-07) of scenario files, for editor hover help and checking.

    Every field carries a description. The shipped scenarios point at the copy
    in schema/scenario.schema.json with a first line that YAML editors read:

    \b
        # yaml-language-server: $schema=../schema/scenario.schema.json

    \b
    Example:
        guidelines schema > scenario.schema.json

    \b
    Exit codes:
        0  printed
        2  usage error
    """
    from ..rulebook.choice import shipped_roles
    from ..scenario.schema import schema_text

    echo(schema_text(shipped_roles()), nl=False)
