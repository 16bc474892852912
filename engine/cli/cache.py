"""`guidelines cache`: where the cache folder is, what it holds and its size; `guidelines cache clear` empties it."""

from __future__ import annotations

import click

from .output import echo, fail


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    return f"{n / (1 << 20):.1f} MiB" if n >= 1 << 20 else f"{n / 1024:.0f} KiB"


@click.command()
@click.argument("action", required=False, type=click.Choice(["clear"]))
def cache(action: str | None) -> None:
    """Show where the cache is, what it holds and its size; `guidelines cache clear` empties it.

    The cache keeps compiled rulebooks and the outcomes of past evaluations,
    so a command starts without compiling the rules and does not evaluate
    twice what it has evaluated before. It lives in $GUIDELINES_CACHE_DIR, else
    $XDG_CACHE_HOME/guidelines, else ~/.cache/guidelines, and is kept under
    $GUIDELINES_CACHE_SIZE (default 64M): what has not been used for a while
    goes first. GUIDELINES_NO_CACHE=1 turns it off. Clearing removes only what
    the cache put in the folder; reports are the same with or without it.

    \b
    Example:
        guidelines cache
        guidelines cache clear

    \b
    Exit codes:
        0  shown, or cleared
        1  a file of the cache could not be removed
        2  usage error
    """
    import os

    from ..rete import cachedir
    from ..rete.cache import cache_location
    from ..util.files import untrusted_folder
    from ..util.text import hanging, ljust, say, terminal_width, wrap

    where, width = cache_location(), terminal_width()
    if action == "clear":
        removed, freed, failed = cachedir.clear(where)
        for name, why in failed:
            echo(f"error: {os.path.join(where, name)}: cannot remove: {why}", err=True)
        if failed:
            fail(f"{where}: {len(failed)} cache file(s) not removed")
        echo(f"cleared {where}: {removed} removed, {_size(freed)} freed")
        return
    echo("\n".join(hanging("cache folder:", where, width, 2)))
    if os.environ.get("GUIDELINES_NO_CACHE"):
        echo("not used: GUIDELINES_NO_CACHE is set")
    elif (reason := untrusted_folder(where)) is not None:
        echo("\n".join(hanging("not used:", reason, width, 2)))
    items = cachedir.contents(where)
    if not items:
        echo("empty")
    for kind, label in cachedir.KINDS.items():
        found = [item for item in items if item.kind == kind]
        if not found:
            continue
        size = sum(item.size for item in found)
        if kind == "memo":
            from ..rete.memo import stored_outcomes

            counted = stored_outcomes(os.path.join(where, cachedir.MEMO_NAME))
            if counted is not None:
                rows, books = counted
                label = f"{label}: {rows:,} ({books} rulebook version{'s' if books != 1 else ''})"
        elif kind != "examples":
            label = f"{label}: {len(found)}"
        *lines, last = wrap(label, min(60, width - 13))  # 60 columns for the label, as at 80, fewer when narrow
        echo("\n".join([*("  " + line for line in lines), f"  {ljust(last, min(60, width - 13))} {_size(size):>10}"]))
    total = sum(item.size for item in items if item.kind != "other")
    text = os.environ.get(cachedir.SIZE_VARIABLE, "").strip()
    limit = cachedir.size_limit()
    source = f"{cachedir.SIZE_VARIABLE}={text}" if text else "the default"
    if text:
        try:
            cachedir.parse_size(text)
        except ValueError as exc:
            echo(say("warning", "", f"{cachedir.SIZE_VARIABLE}: {exc}; the default applies", width), err=True)
            source = "the default"
    echo("\n".join(hanging("total:", f"{_size(total)} of a {_size(limit)} limit ({source})", width, 2)))
