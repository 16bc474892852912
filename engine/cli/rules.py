"""`guidelines rules`: the rulebook as a person reads it."""

from __future__ import annotations

import json

import click

from .common import format_option, load_rulebook_or_exit, rulebook_option, rulebook_or_exit, rules_option
from .output import echo, fail


@click.command()
@format_option("text", "json", "markdown")
@rulebook_option("Show the shipped rulebook ID (1997 or 2015) instead of 1997.")
@rules_option
@click.option(
    "--export",
    "export_dir",
    type=click.Path(file_okay=False),
    default=None,
    metavar="DIR",
    help="Copy every shipped rulebook into DIR (new or empty), to edit and use with --rules DIR/1997.",
)
@click.option(
    "--sources",
    is_flag=True,
    help="Show, per ground and limit, what it rests on: a statute, the Guidelines, a government answer...",
)
@click.option(
    "--inherited",
    is_flag=True,
    help="List the items the rulebook inherits from the one it extends, marking those changed there since it "
    "acknowledged them.",
)
@click.option(
    "--acknowledge",
    is_flag=True,
    help="With --inherited: record today's fingerprint of every inherited item in the rulebook's rulebook.yaml.",
)
def rules(
    fmt: str,
    rulebook: str | None,
    rules_dir: str | None,
    sources: bool,
    export_dir: str | None,
    inherited: bool,
    acknowledge: bool,
) -> None:
    """Show the rulebook: roles, concepts, grounds, conditions, limits, basis and procedures.

    The 1997 rulebook by default; --rulebook 2015 shows the 2015 one as it
    reads once merged with the 1997 files it extends. docs/rulebook.md and
    docs/rulebook-2015.md are this command's Markdown output for the two.
    --export DIR copies the rule files themselves, every rulebook side by side
    (DIR/1997, DIR/2015), so your copy of 2015 extends your copy of 1997.
    --sources shows instead, for every ground and limit, the kinds of source
    its basis cites (a statute text in the source pack, one outside it, the
    Guidelines, a government answer, a Cabinet decision, a white paper), and
    marks those resting on a secondary source or on the rulebook's
    interpretation.
    --inherited lists what a rulebook takes unchanged from the one it extends,
    each item with a fingerprint of its text and condition, and marks those
    changed in the base since the rulebook acknowledged them (its
    `acknowledged:`); `guidelines check` warns about these. Once reviewed,
    --acknowledge records the fingerprints of today.

    \b
    Example:
        guidelines rules
        guidelines rules --rulebook 2015 --format markdown
        guidelines rules --export my-rules
        guidelines rules --rulebook 2015 --inherited
        guidelines evaluate --rules my-rules/2015 my-scenarios/strait.yaml
        guidelines rules --sources --rulebook 2015

    \b
    Exit codes:
        0  shown, or exported
        1  the rulebook does not load, or DIR is not empty or cannot be written
        2  usage error
    """
    if export_dir is not None:
        _export(export_dir, fmt, rulebook, rules_dir, sources)
        return
    if acknowledge and not inherited:
        fail("--acknowledge records the fingerprints --inherited lists: give both", 2)
    if inherited:
        _inherited(fmt, rulebook, rules_dir, acknowledge)
        return
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


def _inherited(fmt: str, rulebook: str | None, rules_dir: str | None, acknowledge: bool) -> None:
    """`--inherited`: each inherited item, the changed ones marked; with `--acknowledge`, record them."""
    from ..rulebook.inherited import acknowledge as record
    from ..rulebook.inherited import inherited_items

    loaded = load_rulebook_or_exit(rulebook_or_exit(rulebook, rules_dir))
    if not loaded.bases:
        fail(f"rulebook {loaded.id} extends no other rulebook: it inherits nothing", 1)
    if acknowledge:
        try:
            count = record(loaded.directory)
        except OSError as exc:
            fail(f"{exc.filename or loaded.directory}: cannot write: {exc.strerror or exc}")
        echo(f"rulebook {loaded.id}: acknowledged {count} inherited items as they read today")
        return
    items = inherited_items(loaded.directory)
    if fmt == "json":
        rows = [{**item._asdict(), "changed": item.changed} for item in items]
        echo(json.dumps({"rulebook": loaded.id, "extends": loaded.extends, "inherited": rows}, ensure_ascii=False))
        return
    from ..util.text import terminal_width, wrap

    changed = [item for item in items if item.changed]
    columns = terminal_width()
    echo("\n".join(wrap(f"Rulebook {loaded.id} inherits {len(items)} items from rulebook {loaded.extends}.", columns)))
    echo("\n".join(wrap(f"Changed there since acknowledged: {len(changed)} (new: never acknowledged).", columns)))
    width = min(max((len(item.key) for item in items), default=0), 56)  # within 80 columns, as a rule
    for item in items:
        mark = "ok" if not item.changed else "changed" if item.acknowledged else "new"
        if 10 + width + 2 + len(item.fingerprint) <= columns:
            echo(f"  {mark:<8}{item.key:<{width}}  {item.fingerprint}")
        else:  # narrow: the fingerprint beside the mark, the key (one word, kept whole) under them
            echo(f"  {mark:<8}{item.fingerprint}\n    {item.key}")
        if item.changed:
            was = f"acknowledged as {item.acknowledged}" if item.acknowledged else "never acknowledged"
            echo("\n".join("          " + line for line in wrap(f"{was}; at {item.file}:{item.line}", columns - 10)))


def _export(directory: str, fmt: str, rulebook: str | None, rules_dir: str | None, sources: bool) -> None:
    """`--export DIR`: copy the shipped rulebooks, and say how to use the copy."""
    import os

    from ..errors import GuidelinesError
    from ..rulebook.export import export_rulebooks

    ctx = click.get_current_context()
    if sources or rulebook is not None or rules_dir is not None or ctx.get_parameter_source("fmt").name != "DEFAULT":
        fail(
            "--export copies the files of every shipped rulebook: give it without --rulebook, --rules, --format"
            " or --sources",
            2,
        )
    try:
        ids = export_rulebooks(directory)
    except GuidelinesError as exc:
        fail(exc.message)
    except OSError as exc:
        fail(f"{exc.filename or directory}: cannot write: {exc.strerror or exc}")
    echo(f"exported rulebooks {', '.join(ids)} to {directory}")
    echo("next:")
    for book in ids:
        echo(f"  guidelines evaluate --rules {os.path.join(directory, book)} SCENARIO")
