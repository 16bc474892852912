"""Loading a scenario: `load` takes a path, YAML text or data and gives a `Loaded`, or a `ScenarioError`
carrying every problem, each naming file, line and field.

There is one way in, by the fast path: YAML is parsed without positions and
validated with pydantic-core alone, which is much quicker to start and run;
the moment anything is wrong it takes the model path, which locates every
problem. The pydantic `Scenario` model and the document with every position
are built only when a caller asks for them (`Loaded.scenario`, `.document`).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from ..errors import Problem, ScenarioError
from ..util.files import read_regular
from .crosscheck import reference_problems
from .hints import with_hints
from .overrides import Applied, Override, apply_overrides, attribute, shadowed, shadowed_problem
from .phases import has_phases, name_phase
from .vocab import EVENT_TYPES
from .warnings import phase_warnings, scenario_warnings, warning_findings
from .yamlload import MAX_BYTES, Document, YamlProblem, dotted, load_tree, load_yaml, locate, problem_at

if TYPE_CHECKING:  # pragma: no cover
    from pydantic import BaseModel

    from .models import Scenario


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


class Loaded:
    """A scenario loaded and validated: its plain data, its warnings (located, per phase too), and on demand the
    pydantic model and the YAML document with every position (to locate later findings, as `expect:` does)."""

    __slots__ = (
        "path", "data", "warnings", "phase_warnings", "overridden", "_source", "_overrides", "_scenario", "_document",
    )  # fmt: skip

    def __init__(
        self,
        path: str,
        data: dict[str, Any],
        warnings: list[Problem],
        phase_warnings: list[list[Problem]] | None,
        source: bytes | str | None,
        overrides: tuple[Override, ...],
    ) -> None:
        self.path = path
        self.data = data  # what `Scenario.model_dump()` gives
        self.warnings = warnings
        self.phase_warnings = phase_warnings  # a phased file's warnings, phase by phase; None without phases
        self.overridden: dict[str, str] = {}  # a --set PATH=VALUE that a phase sets again -> that phase's id
        self._source = source  # None: loaded from data, which has no positions
        self._overrides = overrides
        self._scenario: Scenario | None = None
        self._document: Document | None = None

    @property
    def document(self) -> Document:
        """The YAML document with the position of every key and value (the overrides applied to its data)."""
        if self._document is None:
            if self._source is None:
                self._document = Document(self.path, self.data, {}, {})
            else:
                self._document = _document(self._source, self.path, self._overrides)[0]
        return self._document

    @property
    def scenario(self) -> Scenario:
        """The scenario as the pydantic model, for library users."""
        if self._scenario is None:
            from .models import Scenario  # pydantic's model: built only for a caller that asks

            self._scenario = Scenario.model_validate(self.document.data)
        return self._scenario


def load(
    source: str | bytes | os.PathLike[str] | dict[str, Any],
    overrides: list[Override] | tuple[Override, ...] = (),
    *,
    name: str | None = None,
) -> Loaded:
    """Load and validate one scenario: the one way in, for the command line and library users alike.

    `source` is a file's path (a path-like, or a `str` without a line break or
    naming a file; `-` reads standard input), YAML text (`bytes`, or a `str` with a line
    break) or data (a mapping, as YAML would read it). `overrides` are the
    `--set` changes, applied before validation. `name` names text or data in
    messages (`<scenario>` by default). Raises one `ScenarioError` listing every
    problem, each with its line and field.
    """
    overrides = tuple(overrides)
    if isinstance(source, dict):
        return _load_data(source, name or "<scenario>", overrides)
    if isinstance(source, bytes) or (isinstance(source, str) and _is_text(source)):
        path, text = name or "<scenario>", source
    else:
        path, text = _read(source)
    return _load_text(text, path, overrides)


def _is_text(source: str) -> bool:
    """Whether a `str` is YAML text rather than a path: it breaks a line, and names no file (a file's name may
    hold a line break too)."""
    return ("\n" in source or "\r" in source) and not os.path.lexists(source)


def _load_text(source: bytes | str, path: str, overrides: tuple[Override, ...]) -> Loaded:
    """Text by the fast path: parsed without positions and validated by pydantic-core alone, which is much
    quicker to start and run; the moment anything is wrong, the model path locates every problem."""
    try:
        data, root = load_tree(source, path)
    except YamlProblem as exc:
        raise ScenarioError(path, [_yaml_problem(exc, source, path)]) from None
    applied: list[Applied] = []
    if overrides and data is not None:
        data, applied = apply_overrides(data, overrides, path)
    valid = _fast(data)
    if valid is None:
        _model(*_document(source, path, overrides))  # raises with every problem located
        raise AssertionError("the fast path refused what the model accepts")  # pragma: no cover
    findings = warning_findings(valid)
    undone, overridden = _shadowed(data, applied, path, root)
    if not findings:
        phased = [[] for _ in valid["phases"]] if has_phases(valid) else None
        return _with(Loaded(path, valid, undone, phased, source, overrides), overridden)
    if root is None or applied:  # the node tree does not hold what the overrides set
        where: dict[str, Any] = {"document": load_yaml(source, path)}
    else:
        where = {"path": path, "positions": locate(root, [loc for loc, _ in findings])}
    warnings = undone + _attribute(scenario_warnings(valid, **where), applied, valid)
    phased = None
    if has_phases(valid):
        phased = [_attribute(found, applied, valid) for found in phase_warnings(valid, **where)]
    return _with(Loaded(path, valid, warnings, phased, source, overrides), overridden)


def _with(loaded: Loaded, overridden: dict[str, str]) -> Loaded:
    loaded.overridden = overridden
    return loaded


def _shadowed(data: Any, applied: list[Applied], path: str, root: Any) -> tuple[list[Problem], dict[str, str]]:
    """A warning for each `--set` of the starting state that a phase sets again, naming the phase and its line
    (`root`: the file's node tree; None, for data, which has no lines); and each such `--set` with that phase."""
    if not applied:
        return [], {}
    found = shadowed(data, applied)
    positions = locate(root, [f.loc for f in found]) if found and root is not None else {}
    problems = [shadowed_problem(path, f, positions[f.loc][0] if f.loc in positions else None) for f in found]
    return problems, {f.override.text: f.phase for f in found}


def _load_data(data: dict[str, Any], path: str, overrides: tuple[Override, ...]) -> Loaded:
    """Data validated as text would be, its problems and warnings named by field alone (data has no lines)."""

    applied: list[Applied] = []
    if overrides:
        data, applied = apply_overrides(data, overrides, path)
    document = Document(path, data, {}, {})
    valid = _fast(data)
    if valid is None:
        _model(document, [])
        raise AssertionError("the fast path refused what the model accepts")  # pragma: no cover
    undone, overridden = _shadowed(data, applied, path, None)
    warnings = undone + _attribute(scenario_warnings(valid, document), applied, valid)
    phased = None
    if has_phases(valid):
        phased = [_attribute(found, applied, valid) for found in phase_warnings(valid, document)]
    loaded = _with(Loaded(path, valid, warnings, phased, None, overrides), overridden)
    loaded._document = document
    return loaded


def _fast(data: Any) -> dict[str, Any] | None:
    """Data validated by pydantic-core alone, or None when anything is wrong (the model path then says what)."""
    if data is None or reference_problems(data):
        return None
    from pydantic_core import ValidationError  # pydantic-core loads only when a scenario is validated

    from .fastschema import validate

    try:
        return validate(data)
    except ValidationError:
        return None


def _document(source: bytes | str, path: str, overrides: tuple[Override, ...]) -> tuple[Document, list[Applied]]:
    """The YAML with every position, refusing what is not a scenario document at all; the overrides applied."""
    try:
        document = load_yaml(source, path)
    except YamlProblem as exc:
        raise ScenarioError(path, [_yaml_problem(exc, source, path)]) from None
    data = document.data
    if data is None:
        raise ScenarioError(
            path, [Problem("the file is empty; a scenario needs at least `scenario:` and `situation:`", path, 1, 1)]
        )
    if isinstance(data, (str, int, float, bool)) or (
        isinstance(data, dict) and not {"scenario", "situation"} & set(data)
    ):
        found = f" (its keys: {', '.join(map(str, list(data)[:8]))})" if isinstance(data, dict) and data else ""
        raise ScenarioError(path, [_not_a_scenario(source, path, found, always=True)])  # type: ignore[list-item]
    applied: list[Applied] = []
    if overrides:
        data, applied = apply_overrides(data, overrides, path)
        document = document._replace(data=data)
    return document, applied


def _model(document: Document, applied: list[Applied]) -> Scenario:
    """The pydantic model of a document, or the `ScenarioError` locating every problem."""
    from pydantic import ValidationError  # pydantic loads only when the model path is taken

    from .located import validation_problems
    from .models import Scenario

    path = document.path
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
        problems = with_hints(problems, document.data)
        raise ScenarioError(path, _attribute(_name_phases(problems, document.data), applied, document.data)) from None
    if problems:  # pragma: no cover - the model validator raises on these first
        raise ScenarioError(path, _attribute(_name_phases(problems, document.data), applied, document.data))
    return scenario


def _name_phases(problems: list[Problem], data: Any) -> list[Problem]:
    """Problems in a phase name it by its id too: `phases[2] (ceasefire).areas[0].kind`."""

    return [p._replace(field=name_phase(p.field, data)) for p in problems]


def _attribute(problems: list[Problem], applied: list[Applied], data: Any) -> list[Problem]:
    """Problems at a field an override set name the `--set`, not a line of the file."""
    if not applied:
        return problems

    return attribute(problems, applied, lambda loc: name_phase(dotted(loc), data))


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
    from . import models  # pydantic's models: only when a problem is located
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
