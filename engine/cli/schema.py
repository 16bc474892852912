"""`guidelines schema`: the JSON Schema of the scenario format, or with --rules of rule files."""

from __future__ import annotations

import click

from .output import echo


@click.command()
@click.option("--rules", "rules", is_flag=True, help="The schema of rule files instead of scenario files.")
def schema(rules: bool) -> None:
    """Print the JSON Schema (draft-07) of scenario files, for editor hover help and checking.

    Every field carries a description. The shipped scenarios point at the copy
    in schema/scenario.schema.json with a first line that YAML editors read:

    \b
        # yaml-language-server: $schema=../schema/scenario.schema.json

    With --rules, the schema of rule files (rulebook.yaml, roles/<id>.yaml,
    concepts.yaml, notices.yaml, invariants.yaml), conditions spelled out field
    by field; every shipped rule file points at schema/rules.schema.json.

    \b
    Example:
        guidelines schema > scenario.schema.json
        guidelines schema --rules > rules.schema.json

    \b
    Exit codes:
        0  printed
        2  usage error
    """
    if rules:
        from ..rulebook.schema import schema_text as rules_text
        from ..verify.invariants import InvariantsFile

        echo(rules_text(InvariantsFile), nl=False)
        return
    from ..rulebook.choice import shipped_roles
    from ..scenario.schema import schema_text

    echo(schema_text(shipped_roles()), nl=False)
