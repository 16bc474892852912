"""Hostile output: where `-o` points, what the streams can take, and what a file's text could do to a reader.

Each test here reproduces a way the output once went wrong: `-o /dev/null`
replaced the device with a file, a Japanese name under a Latin-1 terminal
raised UnicodeEncodeError, a closed stdout raised AttributeError, a file name
with a newline became HTML in Markdown, a title like `=HYPERLINK(...)` became a
spreadsheet formula. None may print a traceback.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.cli import main

from ..conftest import SCENARIOS

KOREA = str(SCENARIOS / "korea.yaml")
HOSTILE = "<img src=x onerror=alert(1)>"


def _cli(*args: str, shell_redirect: str = "", **kwargs) -> subprocess.CompletedProcess[str]:
    """`python -m engine ARGS` in its own process; `shell_redirect` (`>&-`, `<&-`) is applied by bash."""
    command = [sys.executable, "-m", "engine", *args]
    if shell_redirect:
        quoted = " ".join("'" + part.replace("'", "'\\''") + "'" for part in command)
        command = ["bash", "-c", f"exec {quoted} {shell_redirect}"]
    env = {**os.environ, "GUIDELINES_NO_CACHE": "1", **kwargs.pop("env", {})}
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, **kwargs)


def _japanese(tmp_path: Path) -> Path:
    """The Korea scenario with a Japanese title and area name."""
    text = KOREA_TEXT.replace("Korean peninsula contingency", "朝鮮半島有事", 1)
    path = tmp_path / "日本.yaml"
    path.write_text(text.replace("name: Yellow Sea", "name: 黄海", 1), encoding="utf-8")
    return path


KOREA_TEXT = Path(KOREA).read_text(encoding="utf-8")


# ----------------------------------------------------------------------------
# -o FILE: a file is replaced whole; a FIFO or a device is written through; no folder is made


def test_output_to_a_fifo_writes_through_to_its_reader(runner, tmp_path):
    """`-o FIFO` writes the report into the FIFO (a reader gets it all) and leaves the FIFO a FIFO."""
    fifo = tmp_path / "reports"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = runner.invoke(main, ["evaluate", "-o", str(fifo), KOREA])
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received and received[0].startswith(b"Korean peninsula contingency\n")
    assert b"\x1b[" not in received[0]  # styles are for a terminal only


def _restore_dev_null() -> None:
    """Put /dev/null back if a regression replaced it (only root could): the rest of the machine needs it."""
    if not stat.S_ISCHR(os.stat("/dev/null").st_mode) and os.geteuid() == 0:
        os.unlink("/dev/null")
        os.mknod("/dev/null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        os.chmod("/dev/null", 0o666)


def test_output_to_dev_null_leaves_it_a_device(runner, tmp_path):
    """`-o /dev/null` (or a link to it) exits 0 and /dev/null is still the character device it was."""
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    try:
        for target in ("/dev/null", str(link)):
            result = runner.invoke(main, ["evaluate", "-o", target, KOREA])
            assert result.exit_code == 0, result.output
            assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
        assert link.is_symlink()
    finally:
        _restore_dev_null()


def test_output_to_dev_stdout_is_the_command_output(tmp_path):
    """`-o /dev/stdout` with standard output sent to a file: the report lands in that file, /dev/stdout stays a
    link."""
    out = tmp_path / "out.txt"
    try:
        with out.open("w") as stdout:
            done = subprocess.run(
                [sys.executable, "-m", "engine", "evaluate", "-o", "/dev/stdout", KOREA],
                stdout=stdout,
                stderr=subprocess.PIPE,
                text=True,
                timeout=120,
                env={**os.environ, "GUIDELINES_NO_CACHE": "1"},
            )
        assert done.returncode == 0, done.stderr
        assert os.path.islink("/dev/stdout")
    finally:
        if not os.path.islink("/dev/stdout") and os.geteuid() == 0:  # a regression replaced it: put it back
            os.unlink("/dev/stdout")
            os.symlink("/proc/self/fd/1", "/dev/stdout")
    assert out.read_text().startswith("Korean peninsula contingency\n")


def test_output_into_a_missing_folder_is_an_error_naming_it(runner, tmp_path):
    """`-o missing/folder/x.md` makes no folder: exit 1, naming the folder that is not there."""
    target = tmp_path / "missing" / "folder" / "report.md"
    result = runner.invoke(main, ["evaluate", "--format", "markdown", "-o", str(target), KOREA])
    assert result.exit_code == 1
    folder = target.parent
    expected = f"error: {target}: cannot write: the folder {folder} does not exist"
    assert result.output.split() == expected.split()  # however a long path wraps
    assert not (tmp_path / "missing").exists()
    (tmp_path / "file").write_text("")
    result = runner.invoke(main, ["evaluate", "-o", str(tmp_path / "file" / "report.txt"), KOREA])
    assert result.exit_code == 1
    assert f"the folder {tmp_path / 'file'} is not a folder" in " ".join(result.output.split())


def test_output_replaces_a_regular_file_whole_keeping_its_mode(runner, tmp_path):
    """A file at `-o` is still replaced by the new report, its permissions kept, and no temporary file is left."""
    target = tmp_path / "report.txt"
    target.write_text("old\n")
    target.chmod(0o640)
    result = runner.invoke(main, ["evaluate", "-o", str(target), KOREA])
    assert result.exit_code == 0, result.output
    assert target.read_text().startswith("Korean peninsula contingency\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


# ----------------------------------------------------------------------------
# Streams: a narrow encoding, a closed stdout or stdin


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_a_narrow_encoding_gets_escapes_not_a_traceback(tmp_path, encoding):
    """Under PYTHONIOENCODING=latin-1 (or cp1252) a Japanese title and area come out as `\\uXXXX` escapes, on
    stdout and in an error on stderr, and the command ends as it would otherwise."""
    path = _japanese(tmp_path)
    env = {"PYTHONIOENCODING": encoding}
    done = _cli("evaluate", str(path), env=env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.startswith("\\u671d\\u9bae\\u534a\\u5cf6\\u6709\\u4e8b\n")
    assert "\\u9ec4\\u6d77" in done.stdout
    bad = tmp_path / "悪い.yaml"
    bad.write_text("scenario: 朝鮮\nsituation: {important_influence: はい}\n", encoding="utf-8")
    done = _cli("validate", str(bad), env=env)
    assert done.returncode == 1
    said = done.stdout + done.stderr  # validate reports on stdout, evaluate on stderr
    assert "Traceback" not in said
    assert "\\u60aa\\u3044.yaml:2:" in said and "\\u306f\\u3044" in said
    done = _cli("evaluate", str(bad), env=env)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "\\u306f\\u3044" in done.stderr


@pytest.mark.parametrize("command", ["evaluate", "validate", "explain", "compare", "diff"])
def test_a_closed_stdout_is_a_clean_error(command):
    """`guidelines COMMAND ... >&-`: one error line, exit 1, no traceback."""
    args = [command, KOREA] + (["--set", "situation.ceasefire=formal"] if command == "diff" else [])
    done = _cli(*args, shell_redirect=">&-")
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[-1] == "error: cannot write output: standard output is closed"
    assert "Traceback" not in done.stderr


def test_a_closed_stdout_does_not_stop_output_to_a_file(tmp_path):
    """With stdout closed, `-o FILE` still writes the file (and exits 0): nothing was to go to stdout."""
    target = tmp_path / "report.txt"
    done = _cli("evaluate", "-o", str(target), KOREA, shell_redirect=">&-")
    assert done.returncode == 0, done.stderr
    assert target.read_text().startswith("Korean peninsula contingency\n")


@pytest.mark.parametrize("command", ["evaluate", "validate", "explain"])
def test_a_closed_stdin_is_a_clean_error(command):
    """`guidelines COMMAND - <&-`: the error says standard input is closed (no Python words), exit 1."""
    done = _cli(command, "-", shell_redirect="<&-")
    said = done.stdout + done.stderr  # validate reports on stdout
    assert done.returncode == 1, said
    assert "error: <stdin>: cannot read standard input: it is closed" in said
    assert "NoneType" not in said and "Traceback" not in said


def test_diff_reads_standard_input_once(runner):
    """`cat f.yaml | guidelines diff - --set ...` compares the file with its what-if; it is not read twice (the
    second read found it empty)."""
    result = runner.invoke(main, ["diff", "-", "--set", "situation.ceasefire=formal"], input=KOREA_TEXT)
    assert result.exit_code == 0, result.output
    assert "empty" not in result.output
    assert "b  <stdin> --set situation.ceasefire=formal" in result.output


# ----------------------------------------------------------------------------
# Markdown: what a file, a path or a rulebook says never becomes markup


def _html_of(markdown: str) -> tuple[str, list[str]]:
    """Markdown rendered as a CommonMark renderer with raw HTML allowed would: (the HTML, the kinds of the
    tokens that pass raw HTML through)."""
    markdown_it = pytest.importorskip("markdown_it")
    parser = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table")
    tokens = parser.parse(markdown)
    raw = [t.type for t in tokens if t.type == "html_block"]
    raw += [c.type for t in tokens for c in t.children or () if c.type == "html_inline"]
    return parser.render(markdown), raw


@pytest.fixture
def hostile_file(tmp_path: Path) -> Path:
    """The Korea scenario under a name with a line break and an HTML tag, and with such a title."""
    path = tmp_path / f"evil\n{HOSTILE}.yaml"
    path.write_text(KOREA_TEXT.replace("Korean peninsula contingency", f"Korea {HOSTILE} | *x*", 1))
    return path


@pytest.mark.parametrize("command", ["evaluate", "compare"])
def test_markdown_shows_a_hostile_file_name_as_text(runner, hostile_file, command):
    """`evaluate`/`compare --format markdown` of a file named `evil\\n<img ...>.yaml`: no raw HTML comes out,
    the name shows on one line with its line break as `\\n`, and the title's `|` does not split a table."""
    result = runner.invoke(main, [command, "--format", "markdown", str(hostile_file)])
    assert result.exit_code == 0, result.output
    html, raw = _html_of(result.stdout)
    assert raw == []
    assert "<img" not in html
    assert f"evil\\n{HOSTILE}.yaml".replace("<", "&lt;").replace(">", "&gt;") in html
    assert f"<h2>Korea {HOSTILE} | *x*</h2>".replace("<img", "&lt;img").replace(")>", ")&gt;") in html


def test_rules_markdown_escapes_the_rulebook_text(runner, rules_copy):
    """A rulebook titled with an HTML tag and a line break: `rules --format markdown` shows it as text."""
    book = rules_copy / "rulebook.yaml"
    text = book.read_text()
    title = "title: Guidelines for U.S.-Japan Defense Cooperation (1997), Section V"
    assert title in text
    book.write_text(text.replace(title, f'title: "Guidelines\\n{HOSTILE}\\n\\n<script>x</script>"'))
    result = runner.invoke(main, ["rules", "--rules", str(rules_copy), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    html, raw = _html_of(result.stdout)
    assert raw == []
    assert "<img" not in html and "<script" not in html
    assert result.stdout.splitlines()[0].startswith("# Rulebook 1997: Guidelines \\<img")


# ----------------------------------------------------------------------------
# CSV: no cell a spreadsheet would run as a formula

_FORMULAS = {"scenario": '=HYPERLINK("http://x","y")', "area": "@SUM(A1)", "other": "+1-2", "minus": "-3"}


@pytest.fixture
def formula_file(tmp_path: Path) -> Path:
    path = tmp_path / "formulas.yaml"
    path.write_text(
        f"scenario: '{_FORMULAS['scenario']}'\n"
        "situation: {important_influence: true}\n"
        "areas:\n"
        f"  - {{id: a, name: '{_FORMULAS['area']}', kind: high_seas}}\n"
        f"  - {{id: b, name: '{_FORMULAS['other']}', kind: high_seas}}\n"
        f"  - {{id: c, name: '{_FORMULAS['minus']}', kind: high_seas}}\n"
        '  - {id: d, name: "\\tTAB", kind: high_seas}\n'
    )
    return path


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.parametrize("command", ["evaluate", "compare"])
def test_csv_guards_cells_that_start_like_a_formula(runner, formula_file, command):
    """Every CSV cell starting with =, +, -, @, a tab or a carriage return gets a leading `'` (OWASP); none is
    left to start like a formula."""
    result = runner.invoke(main, [command, "--format", "csv", str(formula_file)])
    assert result.exit_code == 0, result.output
    cells = _cells(result.stdout)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    for value in (*_FORMULAS.values(), "\tTAB"):
        assert "'" + value in cells


@pytest.mark.parametrize("command", ["evaluate", "compare"])
def test_csv_raw_leaves_cells_as_they_are(runner, formula_file, command):
    """`--csv-raw` (for pandas): the cells are the file's text exactly, formulas and all."""
    result = runner.invoke(main, [command, "--format", "csv", "--csv-raw", str(formula_file)])
    assert result.exit_code == 0, result.output
    cells = _cells(result.stdout)
    for value in (*_FORMULAS.values(), "\tTAB"):
        assert value in cells
    assert not [c for c in cells if c.startswith("'")]


@given(st.text(max_size=40))
def test_escaped_text_stays_one_table_cell_of_text(text):
    """Whatever a file says, escaped it is one line, one table cell, and no raw HTML."""
    from engine.util.markdown import code, escape

    for shown in (escape(text), code(text, cell=True)):
        assert "\n" not in shown and "\r" not in shown
        markdown_it = pytest.importorskip("markdown_it")
        parser = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table")
        tokens = parser.parse(f"| a | b |\n|---|---|\n| {shown} | x |\n")
        assert [t.type for t in tokens].count("td_open") == 2
        assert not [c for t in tokens for c in t.children or () if c.type == "html_inline"]


@given(st.text(max_size=40))
def test_escaped_text_renders_as_written(text):
    """Escaped text renders as one paragraph saying the text itself: whitespace as single spaces, controls as
    visible escapes, nothing taken as emphasis, a link, a list, a heading or an entity."""
    import html
    import re

    from engine.util.markdown import escape

    markdown_it = pytest.importorskip("markdown_it")
    parser = markdown_it.MarkdownIt("commonmark", {"html": True})
    expected = " ".join(text.split())
    expected = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", lambda m: repr(m.group())[1:-1], expected)
    rendered = parser.render(escape(text))
    if expected:
        assert rendered.startswith("<p>") and rendered.endswith("</p>\n") and rendered.count("<p>") == 1
        assert html.unescape(rendered[3:-5]) == expected
    else:
        assert rendered == ""
