"""The `guidelines` command line. The only part of the package that imports click.

Each command lives in its own module; library errors become exits here, at the
boundary. Exit codes: 0 success, 1 invalid input or a failed check, 2 usage
error, 3 rule engine failure.
"""

from __future__ import annotations

import click

from .check import check
from .evaluate import evaluate
from .explain import explain
from .new import new
from .rules import rules
from .schema import schema
from .testing import test
from .validate import validate


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="guidelines", prog_name="guidelines")
def main() -> None:
    """Which roles the 1997 U.S.-Japan Defense Guidelines give Japan come into play, where, and what holds them back.

    Write a scenario file (`guidelines new`), check it (`guidelines validate`),
    evaluate it, and ask why a role came out as it did:

    \b
        guidelines evaluate scenarios/strait.yaml
        guidelines explain scenarios/strait.yaml --role minesweeping

    Shell completion: see the README, or `_GUIDELINES_COMPLETE=bash_source guidelines`.
    """


for command in (evaluate, validate, test, explain, schema, new, rules, check):
    main.add_command(command)

__all__ = ["main"]
