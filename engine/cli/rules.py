"""`guidelines rules`: the rulebook as a person reads it."""

from __future__ import annotations

import json

import click

from .common import format_option, load_rulebook_or_exit, rulebook_option, rulebook_or_exit, rules_option
from .output import echo


@click.command()
@format_option("text", "json", "markdown")
@rulebook_option
@rules_option
@click.option(
    "--sources",
    is_flag=True,
    help="Show, per ground and limit, what it rests on: a statute, the Guidelines, a government answer...",
)
def rules(fmt: str, rulebook: str | None, rules_dir: str | None, sources: bool) -> None:
    """Show the rulebook: roles, concepts, grounds, conditions, limits, basis and procedures.

    The 1997 rulebook by default; --rulebook 2015 shows the 2015 one as it
    reads once merged with the 1997 files it extends. docs/rulebook.md and
    docs/rulebook-2015.md are this command's Markdown output for the two.
    --sources shows instead, for every ground and limit, the kinds of source
    its basis cites (a statute text in the source pack, one outside it, the
    Guidelines, a government answer, a Cabinet decision, a white paper), and
    marks those resting on a secondary source or on the rulebook's
    interpretation.

    \b
    Example:
        guidelines rules
        guidelines rules --rulebook 2015 --format markdown
        guidelines rules --sources --rulebook 2015

    \b
    Exit codes:
        0  shown
        1  the rulebook does not load
        2  usage error
    """
    from ..rulebook.describe import rulebook_json, rulebook_markdown, rulebook_text
    from ..util.text import terminal_width

    loaded = load_rulebook_or_exit(rulebook_or_exit(rulebook, rules_dir))
    if sources:
        from ..rulebook.describe import rule_sources, rule_sources_markdown, rule_sources_text

        if fmt == "json":
            echo(json.dumps(rule_sources(loaded), ensure_ascii=False, indent=2))
        elif fmt == "markdown":
            echo(rule_sources_markdown(loaded), nl=False)
        else:
            echo(rule_sources_text(loaded, terminal_width()), nl=False)
        return
    if fmt == "json":
        echo(json.dumps(rulebook_json(loaded), ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        echo(rulebook_markdown(loaded), nl=False)
    else:
        echo(rulebook_text(loaded, terminal_width()))
