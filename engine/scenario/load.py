"""Loading scenario files: YAML to a validated `Scenario`, or a `ScenarioError` naming file, line and field.

Two paths give the same result. `load_scenario` builds the pydantic `Scenario`
model, for library users. `read_scenario_data` returns the same scenario as
plain data and is what the command line uses: it parses without positions and
validates with pydantic-core alone, which is much quicker to start and run; the
moment anything is wrong it takes the model path, which locates every problem.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import Problem, ScenarioError
from ..util.files import read_regular
from .crosscheck import reference_problems
from .vocab import EVENT_TYPES
from .yamlload import MAX_BYTES, Document, YamlProblem, load_tree, load_yaml

if TYPE_CHECKING:  # pragma: no cover
    from pydantic import BaseModel

    from .models import Scenario
    from .overrides import Applied, Override


STDIN = "-"  # as a path: read one scenario from standard input
STDIN_NAME = "<stdin>"  # how standard input is named in reports and messages


def source_name(path: str | os.PathLike[str]) -> str:
    """How a path is named in reports and messages: as given, and standard input as `<stdin>`."""
    path = os.fspath(path)
    return STDIN_NAME if path == STDIN else path


def _read(path: str | os.PathLike[str]) -> tuple[str, bytes]:
    """A file's bytes, reading no more than the size limit (so a huge file or a device cannot exhaust memory).

    Only a regular file is read (or standard input, for `-`): a FIFO, socket,
    device or folder is refused without waiting on it.
    """
    path = os.fspath(path)
    if path == STDIN:
        path, source = STDIN_NAME, _read_stdin()
    else:
        try:
            source = read_regular(path, MAX_BYTES + 1)
        except OSError as exc:
            raise ScenarioError(path, [Problem(f"cannot read file: {_why(path, exc)}", path)]) from None
    if len(source) > MAX_BYTES:
        raise ScenarioError(path, [Problem(f"file is larger than the limit of {MAX_BYTES:,} bytes", path)])
    return path, source


_stdin_read: tuple[Any, bytes] | None = None  # (the stream, what it held): standard input is read once


def _read_stdin() -> bytes:
    """What standard input holds, read once: `diff - --set ...` reads `-` twice and means the same text."""
    global _stdin_read
    stream = sys.stdin
    if _stdin_read is not None and _stdin_read[0] is stream:
        return _stdin_read[1]
    if stream is None:  # started with it closed (`<&-`)
        raise ScenarioError(STDIN_NAME, [Problem("cannot read standard input: it is closed", STDIN_NAME)])
    try:
        source = stream.buffer.read(MAX_BYTES + 1)
    except (OSError, ValueError, AttributeError) as exc:
        if isinstance(exc, OSError) and exc.strerror:
            reason = exc.strerror
        else:  # a stream closed meanwhile, or one of bytes
            reason = "it is closed" if isinstance(exc, ValueError) else "it cannot be read"
        raise ScenarioError(STDIN_NAME, [Problem(f"cannot read standard input: {reason}", STDIN_NAME)]) from None
    _stdin_read = (stream, source)
    return source


def _why(path: str, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError) and os.path.islink(path):
        return f"a link to {os.readlink(path)}, which does not exist"
    return exc.strerror or str(exc)


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read and validate one scenario file.

    Raises `ScenarioError` listing every problem with its line and field.
    """
    return load_scenario_document(path)[0]


def load_scenario_document(
    path: str | os.PathLike[str], overrides: list[Override] | tuple[Override, ...] = ()
) -> tuple[Scenario, Document]:
    """Read and validate one scenario file (with `--set` overrides applied); also return its document, to
    locate later findings."""
    return parse_scenario_document(*reversed(_read(path)), overrides=overrides)


def parse_scenario(source: bytes | str, path: str = "<scenario>") -> Scenario:
    """Validate scenario YAML text; `path` is only used in error messages."""
    return parse_scenario_document(source, path)[0]


def read_scenario_data(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A scenario file as validated plain data (what `Scenario.model_dump()` gives), by the fast path."""
    path, source = _read(path)
    return parse_scenario_data(source, path)


class Loaded(NamedTuple):
    """A scenario file read by the fast path: its validated data and its warnings, located (per phase too)."""

    data: dict[str, Any]
    warnings: list[Problem]
    phase_warnings: list[list[Problem]] | None = None  # a phased file's warnings, phase by phase


def read_scenario_checked(path: str | os.PathLike[str]) -> tuple[dict[str, Any], list[Problem]]:
    """A scenario file as validated plain data, by the fast path, and its validation warnings, located."""
    loaded = read_scenario_file(path)
    return loaded.data, loaded.warnings


def read_scenario_file(path: str | os.PathLike[str], overrides: list[Override] | tuple[Override, ...] = ()) -> Loaded:
    """A scenario file (with `--set` overrides applied) as validated plain data, by the fast path, and its
    warnings, located: those of the file and, for a phased file, those of each phase."""
    from .phases import has_phases
    from .warnings import phase_warnings, scenario_warnings, warning_findings
    from .yamlload import locate

    path, source = _read(path)
    data, root, applied = _parse_data(source, path, overrides)
    findings = warning_findings(data)
    if not findings:
        return Loaded(data, [], [[] for _ in data["phases"]] if has_phases(data) else None)
    if root is None or applied:  # the node tree does not hold what the overrides set
        where: dict[str, Any] = {"document": load_yaml(source, path)}
    else:
        where = {"path": path, "positions": locate(root, [loc for loc, _ in findings])}
    warnings = _attribute(scenario_warnings(data, **where), applied, data)
    if not has_phases(data):
        return Loaded(data, warnings)
    return Loaded(data, warnings, [_attribute(found, applied, data) for found in phase_warnings(data, **where)])


def parse_scenario_data(source: bytes | str, path: str = "<scenario>") -> dict[str, Any]:
    """Scenario YAML text as validated plain data; any problem raises the located `ScenarioError`."""
    return _parse_data(source, path)[0]


def _parse_data(
    source: bytes | str, path: str, overrides: list[Override] | tuple[Override, ...] = ()
) -> tuple[dict[str, Any], Any, list[Applied]]:
    """Validated plain data, the YAML node tree it was read from (None when it took the model path), and the
    overrides applied."""
    try:
        data, root = load_tree(source, path)
    except YamlProblem as exc:
        raise ScenarioError(path, [_yaml_problem(exc, source, path)]) from None
    applied: list[Applied] = []
    if overrides and data is not None:
        from .overrides import apply_overrides

        data, applied = apply_overrides(data, overrides, path)
    if data is not None and not reference_problems(data):
        from pydantic_core import ValidationError

        from .fastschema import validate

        try:
            return validate(data), root, applied
        except ValidationError:
            pass
    scenario, _ = parse_scenario_document(source, path, overrides)  # raises with every problem located
    return scenario.model_dump(mode="python"), None, applied  # pragma: no cover - the fast path accepts the same


def parse_scenario_document(
    source: bytes | str, path: str = "<scenario>", overrides: list[Override] | tuple[Override, ...] = ()
) -> tuple[Scenario, Document]:
    """Validate scenario YAML text (with `--set` overrides applied); return the scenario and its document."""
    from pydantic import ValidationError

    from .located import validation_problems
    from .models import Scenario

    document = read_document(source, path)
    data = document.data
    if isinstance(data, (str, int, float, bool)) or (
        isinstance(data, dict) and not {"scenario", "situation"} & set(data)
    ):
        found = f" (its keys: {', '.join(map(str, list(data)[:8]))})" if isinstance(data, dict) and data else ""
        raise ScenarioError(path, [_not_a_scenario(source, path, found, always=True)])  # type: ignore[list-item]
    applied: list[Applied] = []
    if overrides:
        from .overrides import apply_overrides

        data, applied = apply_overrides(data, overrides, path)
        document = document._replace(data=data)
    problems = reference_problems_in(document)
    try:
        scenario = Scenario.model_validate(document.data)
    except ValidationError as exc:
        # The model's own cross-reference check repeats `reference_problems`, without positions.
        located = validation_problems(exc, document, lambda loc: _model_at(loc, document.data), _strip_tags)
        # Where the cross-check already said what is wrong (an expect block of the wrong shape), its words stand.
        said = [p.field for p in problems if p.field.startswith("expect") or ".expect" in p.field]
        problems += [
            p for p in located if (p.field or not problems) and not any(p.field.startswith(f) for f in said if f)
        ]
        raise ScenarioError(path, _attribute(_name_phases(problems, document.data), applied, document.data)) from None
    if problems:  # pragma: no cover - the model validator raises on these first
        raise ScenarioError(path, _attribute(_name_phases(problems, document.data), applied, document.data))
    return scenario, document


def _name_phases(problems: list[Problem], data: Any) -> list[Problem]:
    """Problems in a phase name it by its id too: `phases[2] (ceasefire).areas[0].kind`."""
    from .phases import name_phase

    return [p._replace(field=name_phase(p.field, data)) for p in problems]


def _attribute(problems: list[Problem], applied: list[Applied], data: Any) -> list[Problem]:
    """Problems at a field an override set name the `--set`, not a line of the file."""
    if not applied:
        return problems
    from .overrides import attribute
    from .phases import name_phase
    from .yamlload import dotted

    return attribute(problems, applied, lambda loc: name_phase(dotted(loc), data))


def read_document(source: bytes | str, path: str) -> Document:
    """Parse the YAML, refusing what is not a scenario document at all."""
    try:
        document = load_yaml(source, path)
    except YamlProblem as exc:
        raise ScenarioError(path, [_yaml_problem(exc, source, path)]) from None
    if document.data is None:
        raise ScenarioError(
            path, [Problem("the file is empty; a scenario needs at least `scenario:` and `situation:`", path, 1, 1)]
        )
    return document


_SCENARIO_KEY = r"^(?:scenario|situation)[ \t]*:"
_FIRST_LINE = r"^(?![ \t]*(?:#|$))(.*)$"  # the first line that is not blank or a comment
_KEY_LINE = r"^[A-Za-z_][\w-]*[ \t]*:(?:[ \t]|$)"
_DOCUMENTS = (".md", ".markdown", ".txt", ".rst", ".html", ".htm")


def _yaml_problem(exc: YamlProblem, source: bytes | str, path: str) -> Problem:
    """What YAML could not read, or, when it is YAML's own jargon about a file that is no scenario, say that."""
    jargon = exc.problem.message.startswith(("invalid YAML", "anchors and aliases", "YAML tag"))
    return (_not_a_scenario(source, path) if jargon else None) or exc.problem


def _not_a_scenario(source: bytes | str, path: str, found: str = "", *, always: bool = False) -> Problem | None:
    """ "this does not look like a scenario file", for text that YAML cannot read and that is no scenario at all.

    A README or a Markdown file given by mistake would otherwise get YAML's own
    wording ("found undefined alias"), which says nothing useful: so does a
    file that does not open with a `key:` line, or has no `scenario:` or
    `situation:` key anywhere.
    """
    import re  # only a file with a problem pays for these patterns

    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    first = re.search(_FIRST_LINE, text, re.MULTILINE)
    looks = (
        re.search(_SCENARIO_KEY, text, re.MULTILINE) is not None
        and first is not None
        and re.match(_KEY_LINE, first.group(1)) is not None
        and not path.lower().endswith(_DOCUMENTS)
    )
    if looks and not always:
        return None
    return Problem(
        "this does not look like a scenario file: a scenario is YAML with `scenario: <title>` and `situation:` "
        f"at the top{found}",
        path,
    )


def reference_problems_in(document: Document) -> list[Problem]:
    """The cross-reference problems of a document (duplicate ids, unknown areas), located."""
    from .located import problem_at

    return [
        problem_at(document, loc, message, suggestion) for loc, message, suggestion in reference_problems(document.data)
    ]


def _strip_tags(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop the discriminators pydantic inserts into locations (`events.0.mines.status`), in a phase too."""
    if len(loc) > 2 and loc[0] == "phases" and isinstance(loc[1], int):
        return loc[:2] + _strip_tags(loc[2:])
    out: list[Any] = []
    for i, part in enumerate(loc):
        if i == 2 and loc[0] == "events" and isinstance(loc[1], int) and part in EVENT_TYPES:
            continue
        if loc[0] == "expect" and (
            (i == 2 and part in ("status", "detail", "rulebook"))
            or (i == 4 and loc[2] == "rulebook" and part in ("status", "detail"))
        ):
            continue  # the branch names of `role: status | {status, areas}` and `rulebook: {role: ...}`
        if i == 3 and part in ("item", "place") and loc[1] == "requests" and isinstance(loc[2], int):
            continue  # the branch names of `request: item | {item, area}`
        out.append(part)
    return tuple(out)


def _model_at(loc: tuple[Any, ...], data: Any) -> type[BaseModel] | None:
    """The model class whose keys live at `loc`, to suggest the nearest valid key."""
    from . import models
    from .located import walk_model

    if len(loc) == 4 and loc[0] == "phases" and isinstance(loc[1], int) and loc[2] == "events":
        try:
            return _model_at(loc[2:], data["phases"][loc[1]])
        except (KeyError, IndexError, TypeError):
            return None
    if len(loc) == 2 and loc[0] == "events" and isinstance(loc[1], int):
        by_type = {
            "mines": models.MinesEvent,
            "persons_in_distress": models.PersonsInDistressEvent,
            "sanctions_shipping": models.SanctionsShippingEvent,
            "refugee_flow": models.RefugeeFlowEvent,
            "evacuation": models.EvacuationEvent,
        }
        try:
            return by_type.get(data["events"][loc[1]].get("type"))
        except (KeyError, IndexError, TypeError, AttributeError):
            return None
    return walk_model(models.Scenario, loc)
