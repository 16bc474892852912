"""Text is laid out by display width: a CJK character takes two columns, so Japanese names fit the width.

Every text output is run on scenarios whose areas and title are Japanese (`台湾海峡`, `尖閣諸島`) at 80 and
40 columns: each line's display width is within the width, but for a message's first line (never wrapped)
and a single word too long for any line (a path, a --set), which stands whole. The matrix's marks stand
under their columns' names.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from wcwidth import wcswidth

from engine.cli import main
from engine.util.text import center, ljust, shorten, width_of, wrap

from ..conftest import SCENARIOS

TITLE = "台湾海峡の危機と尖閣諸島"

SMALL = f"""\
scenario: {TITLE}
situation:
  important_influence: true
  ceasefire: formal
areas:
  - {{id: strait, name: 台湾海峡, kind: high_seas}}
  - {{id: senkaku, name: 尖閣諸島, kind: japan}}
events:
  - {{type: mines, area: strait, status: abandoned, conflict: current}}
  - {{type: mines, area: senkaku, status: abandoned, conflict: current}}
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, str]:
    """The Taiwan Strait crisis (phased) with Japanese names, and a small file of two Japanese areas."""
    folder = tmp_path_factory.mktemp("japanese")
    phased = (SCENARIOS / "strait.yaml").read_text()
    for english, japanese in [
        ("scenario: Taiwan Strait crisis", f"scenario: {TITLE}"),
        ("name: Taiwan Strait,", "name: 台湾海峡,"),
        ("name: Sakishima Islands,", "name: 尖閣諸島,"),
    ]:
        assert english in phased
        phased = phased.replace(english, japanese)
    (folder / "strait_ja.yaml").write_text(phased)
    (folder / "small_ja.yaml").write_text(SMALL)
    return {"phased": str(folder / "strait_ja.yaml"), "small": str(folder / "small_ja.yaml")}


COMMANDS = [
    ["evaluate", "{phased}"],  # the timeline, then the last phase
    ["evaluate", "--format", "table", "{phased}"],
    ["decisions", "{phased}"],  # each phase's decisions, with the places they cover
    ["evaluate", "--phase", "fighting", "{phased}"],
    ["evaluate", "--format", "table", "--phase", "fighting", "{phased}"],
    ["evaluate", "{small}"],
    ["evaluate", "--format", "table", "{small}"],
    ["explain", "--phase", "fighting", "{phased}"],
    ["explain", "--trace", "{small}"],
    ["compare", "{phased}"],
    ["compare", "--format", "table", "{phased}"],
    ["compare", "--format", "table", "{small}"],
    ["diff", "{phased}", "--set", "phases.ceasefire.situation.ceasefire=de_facto"],
    ["diff", "{small}", "--set", "situation.ceasefire=de_facto"],
]


def _too_wide(output: str, width: int) -> list[str]:
    """Lines wider than `width` on a terminal, but a message's first line and a word too long for any line (a
    path, a --set), standing alone or after its one-word label (`a  /tmp/...`)."""
    return [
        line
        for line in output.split("\n")
        if wcswidth(line) > width
        and not line.startswith(("error: ", "warning: "))
        and not (len(line.split()) <= 2 and wcswidth(line.split()[-1]) > width // 2)
    ]


@pytest.mark.parametrize("columns", [80, 40])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_japanese_names_fit_the_width(files, args, columns):
    argv = [arg.format(**files) for arg in args]
    result = CliRunner(env={"COLUMNS": str(columns)}).invoke(main, argv)
    assert result.exit_code == 0, result.output
    assert "台湾海峡" in result.stdout or args[0] == "diff"
    assert _too_wide(result.stdout, columns) == []
    assert _too_wide(result.stderr, columns) == []


def _spans(line: str, names: list[str]) -> list[tuple[int, int]]:
    """The display columns each name takes in `line`."""
    out = []
    for name in names:
        start = width_of(line[: line.index(name)])
        out.append((start, start + width_of(name)))
    return out


def _marks(line: str, after: int) -> list[int]:
    """The display columns of the marks in `line` past column `after`."""
    out, column = [], 0
    for char in line:
        if column >= after and not char.isspace():
            out.append(column)
        column += width_of(char)
    return out


@pytest.mark.parametrize("command", ["evaluate", "compare"])
def test_the_matrix_marks_stand_under_japanese_column_names(files, command):
    """Each cell's mark is under its column's name (counted by `len()`, a CJK name pushed them left)."""
    result = CliRunner(env={"COLUMNS": "80"}).invoke(main, [command, "--format", "table", files["small"]])
    assert result.exit_code == 0, result.output
    lines = result.stdout.split("\n")
    header = next(line for line in lines if line.startswith("role ") and "台湾海峡" in line)
    spans = _spans(header, ["台湾海峡", "尖閣諸島"])
    row = next(line for line in lines if line.startswith("Minesweeping"))
    marks = _marks(row, after=spans[0][0] - 1)
    assert len(marks) == 2
    assert all(start <= mark < end for mark, (start, end) in zip(marks, spans, strict=True)), (header, row)


def test_display_width_counts_wide_characters_twice():
    assert width_of("台湾海峡") == 8 and width_of("Okinawa") == 7 and width_of("e\u0301") == 1
    assert width_of("\x1b[1m台湾\x1b[0m") == 4  # a colour code takes no column
    assert ljust("台湾", 6) == "台湾  " and center("尖閣", 8) == "  尖閣  "
    assert shorten("台湾海峡", 8) == "台湾海峡" and shorten("台湾海峡", 7) == "台湾海…"


def test_wrap_fits_by_display_width_and_keeps_words_whole():
    text = "台湾海峡 尖閣諸島 " * 6 + "https://example.org/a-very-long-address-that-fits-no-line-at-all"
    lines = wrap(text, 30)
    assert all(width_of(line) <= 30 for line in lines[:-1]) and len(lines) > 2
    assert lines[-1] == "https://example.org/a-very-long-address-that-fits-no-line-at-all"
    assert " ".join(lines).split() == text.split()
    assert wrap("well-known hyphenated-words stay-whole " * 3, 20) == [
        "well-known",
        "hyphenated-words",
        "stay-whole",
        "well-known",
        "hyphenated-words",
        "stay-whole",
        "well-known",
        "hyphenated-words",
        "stay-whole",
    ]
    assert wrap("text  [G97\u00a0V.2(3)]", 40) == ["text  [G97 V.2(3)]"]  # kept spaces, and a citation whole
