"""`guidelines rules`: the rulebook as a person reads it."""

from __future__ import annotations

import json

import click

from .common import format_option, load_rulebook_or_exit, rules_option
from .output import echo


@click.command()
@format_option("text", "json", "markdown")
@rules_option
def rules(fmt: str, rules_dir: str | None) -> None:
    """Show the rulebook: roles, concepts, grounds, conditions, limits, basis and procedures.

    docs/rulebook.md is this command's Markdown output for the shipped rulebook.

    \b
    Example:
        guidelines rules
        guidelines rules --format markdown > docs/rulebook.md

    \b
    Exit codes:
        0  shown
        1  the rulebook does not load
        2  usage error
    """
    from ..rulebook.describe import rulebook_json, rulebook_markdown, rulebook_text
    from ..util.text import terminal_width

    rulebook = load_rulebook_or_exit(rules_dir)
    if fmt == "json":
        echo(json.dumps(rulebook_json(rulebook), ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        echo(rulebook_markdown(rulebook), nl=False)
    else:
        echo(rulebook_text(rulebook, terminal_width()))
