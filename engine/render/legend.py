"""The words every format shares: status names and symbols, and the legend of the sources a report cites.

A provision is cited by its source tag and article (`Law60/1999 Art. 3(1)(iii)`).
A report ends with the full title of each tag it cited, taken from the
rulebook's `sources`; or, asked for, it gives the full title after each
provision instead. `Citations` records what a renderer cites as it goes, so the
legend lists exactly the tags the reader saw, in the rulebook's order.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..util.text import cite, source_tag

STATUSES = ("applies", "blocked", "not_triggered")
STATUS_WORDS = {"applies": "applies", "blocked": "blocked", "not_triggered": "not triggered"}
SYMBOLS = {"applies": "✓", "blocked": "✗", "not_triggered": "·"}
ASCII_SYMBOLS = {"applies": "+", "blocked": "x", "not_triggered": "."}
COLOURS = {"applies": "green", "blocked": "red", "not_triggered": None}


def symbols(unicode: bool = True) -> dict[str, str]:
    """The one-character status marks: ✓ ✗ ·, or + x . where the output cannot take them."""
    return SYMBOLS if unicode else ASCII_SYMBOLS


def legend_line(unicode: bool = True) -> str:
    """`✓ applies  ✗ blocked  · not triggered`."""
    marks = symbols(unicode)
    return "  ".join(f"{marks[s]} {STATUS_WORDS[s]}" for s in STATUSES)


class Citations:
    """Cites provisions for one report and remembers which sources were cited.

    `full`: each provision is followed by its source's full title, and no legend
    is needed.
    """

    def __init__(self, sources: dict[str, str], full: bool = False) -> None:
        self.sources = sources
        self.full = full
        self.seen: set[str] = set()

    def note(self, basis: Iterable[str]) -> list[str]:
        """Record the sources of `basis`; the provisions, as given."""
        out = list(basis)
        for item in out:
            tag = source_tag(item, self.sources)
            if tag is not None:
                self.seen.add(tag)
        return out

    def text(self, basis: Iterable[str]) -> str:
        """`  [G97 V.2(3), Gov-1987]` for a text report (with full titles when asked), recorded."""
        return cite(self.note(basis), self.sources if self.full else None)

    def title(self, provision: str) -> str | None:
        """The full title of the source a provision cites, if the rulebook names it."""
        tag = source_tag(provision, self.sources)
        return self.sources.get(tag) if tag is not None else None

    def legend(self) -> list[tuple[str, str]]:
        """(tag, full title) of every source cited so far, in the rulebook's order."""
        return [(tag, title) for tag, title in self.sources.items() if tag in self.seen]
