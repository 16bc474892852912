"""The library API: load a rulebook and scenarios, evaluate, get a `Report`. No click here.

`evaluate` takes the path the way `guidelines evaluate` does: the file is read
by the same loader (its warnings located in it) and evaluated by the same
function, `report.evaluate.evaluate_scenario`, which chooses the rulebook by
date (`rulebook.choice.choose`), so the two give the same report. `explain`
goes the way of `guidelines explain`, through `report.evaluate.explain_phase`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .report.evaluate import evaluate_scenario
from .report.model import Report
from .rete.evaluators import evaluator_for
from .rete.runtime import Evaluator
from .rulebook.model import Rulebook

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from .explanation.explanations import Explanation
    from .report.flips import FlipReport
    from .scenario.models import Scenario


def load_scenario(source: str | bytes | os.PathLike[str] | dict[str, Any]) -> Scenario:
    """A scenario (a path, YAML text or data) as the pydantic `Scenario` model: `scenario.load(source).scenario`.

    An alias kept for library users; `engine.scenario.load` gives the warnings
    too, and takes `--set` overrides. Raises `ScenarioError` listing every
    problem with its line and field.
    """
    from .scenario.loader import load  # scenarios load pydantic models: `import engine` stays light

    return load(source).scenario


def evaluate(
    scenario: Scenario | str | os.PathLike[str],
    *,
    rulebook: Rulebook | str | os.PathLike[str] | None = None,
    evaluator: Evaluator | None = None,
    source: str | None = None,
) -> Report:
    """Evaluate one scenario (a model, or the path of a scenario file) and return its report.

    The rulebook is chosen as `guidelines evaluate` chooses it: the one in
    force on the scenario's date (each phase's, in a phased file), and the
    report's `rulebook_reason` says so ("in force on 2026-06-01", "no date").
    `rulebook` overrides the date for every phase: a shipped id ("1997",
    "2015"), as `--rulebook` does, or a rulebook directory, as `--rules` does
    (`rulebook_reason`: 'chosen with rulebook="2015"'); a loaded `Rulebook`,
    like an `evaluator`, is used for every phase too (`rulebook_reason`: the
    date's reason when it is the rulebook in force then, else "chosen by the
    caller"). Give `rulebook` or `evaluator`, not both.

    A phased scenario is evaluated phase by phase: its report is the last phase's, with `phases` (each
    phase's report) and `changes` (what changed from one phase to the next).

    Raises `ScenarioError` for a file that does not load, `RulebookError` for
    a rulebook that does not, and `UnknownRulebookError` for an id that names
    no shipped rulebook.
    """
    # scenarios load pydantic models: `import engine` stays light until a scenario is read
    from .scenario.loader import load, source_name
    from .scenario.models import Scenario

    evaluator, shipped, rules_dir, reason = _rulebook_argument("evaluate", rulebook, evaluator)
    if isinstance(scenario, Scenario):
        data, warnings, phase_warnings = scenario.model_dump(mode="json"), None, None
    else:
        loaded = load(scenario)
        source = source or source_name(scenario)
        data, warnings, phase_warnings = loaded.data, loaded.warnings, loaded.phase_warnings
    return evaluate_scenario(
        data,
        source=source or "<scenario>",
        rulebook=shipped,
        rules_dir=rules_dir,
        warnings=warnings,
        phase_warnings=phase_warnings,
        evaluator=evaluator,
        rulebook_reason=reason,
    )


def explain(
    scenario: Scenario | str | os.PathLike[str],
    *,
    phase: str | None = None,
    rulebook: Rulebook | str | os.PathLike[str] | None = None,
    evaluator: Evaluator | None = None,
    source: str | None = None,
) -> Explanation:
    """Explain every role's verdict in one scenario (a model, or the path of a scenario file), as `guidelines
    explain` does: each trigger, ground, condition and limit checked, whether it held and the value it saw.

    A phased scenario is explained at one phase, its last unless `phase` names another (`UnknownPhaseError`
    when it names none). The rulebook is chosen as for `evaluate`: the one in force on the phase's date, unless
    `rulebook` (a shipped id, a directory or a loaded `Rulebook`) or `evaluator` gives it.
    `explanation.as_dict()` is the JSON of `guidelines explain --format json`; `explanation.roles["minesweeping"]`
    one role's.
    """
    # scenarios load pydantic models: `import engine` stays light until a scenario is explained
    from .explanation.explanations import explain_phase
    from .scenario.loader import load, source_name
    from .scenario.models import Scenario
    from .scenario.phases import phase_index, phase_states

    evaluator, shipped, rules_dir, reason = _rulebook_argument("explain", rulebook, evaluator)
    if not isinstance(scenario, Scenario):
        source = source or source_name(scenario)
        scenario = load(scenario).scenario
    states = phase_states(scenario.model_dump(mode="json"))
    state = states[phase_index([s.id for s in states if s.id], phase)] if phase else states[-1]
    return explain_phase(
        state,
        source=source or "<scenario>",
        rulebook=shipped,
        rules_dir=rules_dir,
        evaluator=evaluator,
        rulebook_reason=reason,
    )


def flip(
    path: str | os.PathLike[str],
    *,
    roles: tuple[str, ...] = (),
    areas: tuple[str, ...] = (),
    phase: str | None = None,
    rulebook: str | None = None,
    overrides: tuple[str, ...] = (),
) -> FlipReport:
    """What would change each verdict of a scenario file, as `guidelines flip` finds it: for each case (role ×
    area or request), the smallest changes of the file's facts that change its status, each verified by
    evaluating the changed file. `roles`, `areas` and `phase` narrow the cases as `--role`, `--area` and `--phase`
    do; `rulebook` (a shipped id) forces the rulebook as `--rulebook` does; `overrides` are `--set` texts
    (`"situation.ceasefire=formal"`). `report.as_dict()` is the JSON of `guidelines flip --format json`.
    """
    # the search loads the scenario models and the evaluators: only a caller of flip pays for them
    from .scenario.loader import source_name
    from .scenario.overrides import parse_override
    from .verify.flip import Options, flips_of_file

    options = Options(tuple(roles), tuple(areas), phase, rulebook, None)
    parsed = tuple(parse_override(text) for text in overrides)
    return flips_of_file(os.fspath(path), parsed, source=source_name(path), options=options)


def _rulebook_argument(
    verb: str, rulebook: Rulebook | str | os.PathLike[str] | None, evaluator: Evaluator | None
) -> tuple[Evaluator | None, str | None, str | None, str | None]:
    """`rulebook=` and `evaluator=` as (evaluator, shipped id, directory, reason): a loaded `Rulebook` becomes
    its evaluator; the two together are refused."""
    if rulebook is not None and evaluator is not None:
        raise TypeError(f"{verb}() takes a rulebook or an evaluator, not both")
    if isinstance(rulebook, Rulebook):
        evaluator, rulebook = evaluator_for(rulebook), None
    return (evaluator, *_forced(rulebook))


def _forced(rulebook: str | os.PathLike[str] | None) -> tuple[str | None, str | None, str | None]:
    """A `rulebook=` argument as (shipped id, directory, reason): a string naming a shipped rulebook is its id;
    any other string or path is a directory, unless it cannot be one (no such folder, no separator), which makes
    it an id that `choose` rejects with a suggestion."""
    # only a `rulebook=` argument needs the shipped rulebooks' list
    from .rulebook.choice import chosen_with, shipped_rulebooks

    if rulebook is None:
        return None, None, None
    name = os.fspath(rulebook)
    if isinstance(rulebook, str) and (
        name in {book.id for book in shipped_rulebooks()} or not (os.path.isdir(name) or "/" in name or os.sep in name)
    ):
        return name, None, chosen_with(name)
    return None, name, chosen_with(name)


def shipped_scenarios() -> list[Path]:
    """The example scenario files of the source tree, if this is one."""
    root = Path(__file__).resolve().parent.parent / "scenarios"
    return sorted(root.glob("*.yaml")) if root.is_dir() else []
