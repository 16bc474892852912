"""The safe YAML loader: plain values only, positions kept, nothing silently coerced."""

from __future__ import annotations

import pytest

from engine.scenario.yamlload import MAX_BYTES, YamlProblem, elide_number, load_yaml


def test_core_schema_scalars():
    """true/false are booleans; yes/no/on/off stay text; quoted values stay text."""
    doc = load_yaml(b"a: true\nb: yes\nc: off\nd: '1'\ne: 1\nf: ~\ng: 2.5\nh: !!str 12\n", "x.yaml")
    assert doc.data == {"a": True, "b": "yes", "c": "off", "d": "1", "e": 1, "f": None, "g": 2.5, "h": "12"}


def test_positions_of_values_and_keys():
    """Every value and key keeps its 1-based line and column."""
    doc = load_yaml(b"top:\n  - id: x\n    kind: japan\n", "x.yaml")
    assert doc.positions[("top", 0, "kind")] == (3, 11)
    assert doc.key_positions[("top", 0, "kind")] == (3, 5)
    assert doc.position(("top", 0, "missing")) == (2, 5)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        (b"a: 1\na: 2\n", 2, "duplicate key 'a' (first given on line 1)"),
        (b"a: &x [1]\nb: *x\n", 2, "anchors and aliases"),
        (b"a: !!python/object/apply:os.system [ls]\n", 1, "is not allowed"),
        (b"a: [1\n", 2, "invalid YAML"),
        (b"a: 1\n---\nb: 2\n", 2, "invalid YAML"),
        (b"a: \x80\n", 1, "not readable as YAML text"),
    ],
    ids=["duplicate-key", "alias", "python-tag", "unclosed-list", "two-documents", "bad-utf8"],
)
def test_refused_input_names_the_line(text, line, fragment):
    """Each kind of refused YAML raises one problem with its line."""
    with pytest.raises(YamlProblem) as caught:
        load_yaml(text, "bad.yaml")
    problem = caught.value.problem
    assert problem.path == "bad.yaml"
    assert problem.line == line
    assert fragment in problem.message


def test_billion_laughs_is_refused_at_the_first_alias():
    """Aliases are refused before any expansion, so an alias bomb costs nothing."""
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n".encode() for i in range(8)
    )
    with pytest.raises(YamlProblem, match="aliases"):
        load_yaml(bomb, "bomb.yaml")


def test_binary_and_oversized_input():
    """Binary data and files over the size limit get their own messages."""
    with pytest.raises(YamlProblem, match="binary file"):
        load_yaml(b"\x00\x01\x02garbage", "bin.yaml")
    with pytest.raises(YamlProblem, match="limit"):
        load_yaml(b"#" * (MAX_BYTES + 1), "big.yaml")


def test_empty_document_is_none():
    assert load_yaml(b"", "empty.yaml").data is None
    assert load_yaml(b"# only a comment\n", "empty.yaml").data is None


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("1" * 4301, "11111111..."),
        ("before: -" + "9" * 30, "before: -99999999..."),
        ("0x" + "f" * 4000, "0xffffffff..."),
        ("events[" + "7" * 25 + "]", "events[77777777...]"),
    ],
    ids=["decimal", "negative-in-text", "hex", "index"],
)
def test_elide_number_cuts_long_numbers(text, shown):
    """A number too long to echo (more than MAX_DIGITS digits) is named by its first eight digits."""
    assert elide_number(text) == shown


@pytest.mark.parametrize(
    "text",
    [
        "deadbeefcafebabedeadbeefcafebabe",  # hex letters with no 0x: a word, not a number
        "sha 3f786850e387550fdab836ed7e6dc881de23001b",  # a git hash, letters and digits
        "build_20261207153000123456",  # an identifier's own digits
        "id: " + "1" * 18,  # at the limit
    ],
    ids=["hex-word", "hash", "identifier", "18-digits"],
)
def test_elide_number_leaves_words_and_short_numbers_whole(text):
    """Only a number is cut: text of hex-like letters, or a name ending in digits, is echoed as it was written."""
    assert elide_number(text) == text
