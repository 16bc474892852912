"""Evaluating one validated scenario: its rulebook chosen, facts in, the durable_rules outcomes, a `Report` out.

A file with phases is evaluated phase by phase, each phase as the scenario it
makes and under the rulebook chosen for its date, so a crisis that runs across
the day a new rulebook comes into force switches rulebook in mid-course. Its
report is the last phase's, with every phase's report and what changed from
each phase to the next; the report of one phase needs that phase alone.
"""

from __future__ import annotations

from typing import Any

from ..errors import EngineError, Problem
from ..rete.runtime import Evaluator, facts_from_data
from ..scenario.phases import PhaseState, has_phases, merge_phases, phase_state
from .build import build_report
from .changes import changes
from .model import PhaseReport, Report
from .record import attach_record


def evaluate_data(
    data: dict[str, Any],
    evaluator: Evaluator,
    *,
    source: str,
    warnings: list[Problem] | None = None,
    rulebook_reason: str | None = None,
) -> Report:
    """Evaluate a scenario already validated into plain data (the form `Scenario.model_dump()` gives).

    `warnings` are the scenario's validation warnings, located in its file; by
    default they are worked out from the data, naming the field but no line.
    `rulebook_reason` says why the evaluator's rulebook is the one used; by
    default it is worked out from where the rulebook lives.
    """
    if rulebook_reason is None:
        # start path: the command line gives the reason; only a library call works it out
        from ..rulebook.choice import reason_for

        rulebook_reason = reason_for(evaluator.rulebook.directory, data.get("date"))
    if warnings is None:
        # start path: the command line gives the located warnings; only a library call works them out
        from ..scenario.warnings import scenario_warnings

        warnings = scenario_warnings(data, path=source)
    return Report.of(_phase_report(data, evaluator, source=source, warnings=warnings, rulebook_reason=rulebook_reason))


def _phase_report(
    data: dict[str, Any], evaluator: Evaluator, *, source: str, warnings: list[Problem], rulebook_reason: str
) -> PhaseReport:
    """The report of one scenario (or the scenario a phase makes) under `evaluator`'s rulebook."""
    facts = facts_from_data(data)
    results = evaluator.judge(facts)
    compiled = evaluator.compiled
    names = {area["id"]: area.get("name") or area["id"] for area in data.get("areas") or ()}
    date = data.get("date")
    pending = [law for law, day in evaluator.rulebook.laws() if date and str(date) < day]
    if pending:
        # The rulebook is the framework once complete; the header says what was missing on that date.
        missing = " and ".join(pending) + " not yet in force"
        rulebook_reason = f"{rulebook_reason}; {missing}" if rulebook_reason else missing
    return build_report(
        evaluator.rulebook,
        compiled.roles,
        list(evaluator.rulebook.notices),
        facts,
        results,
        scenario=data["scenario"],
        source=source,
        description=data.get("description"),
        date=str(date) if date else None,
        area_names=names,
        warnings=warnings,
        rulebook_reason=rulebook_reason,
    )


def evaluate_scenario(
    data: dict[str, Any],
    *,
    source: str,
    rulebook: str | None = None,
    rules_dir: str | None = None,
    warnings: list[Problem] | None = None,
    phase_warnings: list[list[Problem]] | None = None,
    evaluator: Evaluator | None = None,
    rulebook_reason: str | None = None,
    phase: str | None = None,
) -> Report:
    """Evaluate validated scenario data under the rulebook chosen for it, saying why in the report.

    That is the rulebook in force on the scenario's date (each phase's, in a
    phased file), unless `rulebook` (a shipped id, `--rulebook`) or
    `rules_dir` (any directory, `--rules`) says otherwise; see
    `engine.rulebook.choice`. An `evaluator` given evaluates every phase.
    `rulebook_reason` says why the rulebook is the one used, for an `evaluator`
    or a forced `rulebook`/`rules_dir` (by default: the option's wording, or
    for an evaluator the date's reason if it is the rulebook in force then).
    `warnings` (and, in a phased file, `phase_warnings`) are the file's,
    located; by default they are worked out from the data.

    With `phase` (`--phase ID`), the report is that phase's alone, the very
    one the whole file's report holds: the phases before it are merged into
    its state, not evaluated, and the later ones not even merged. An id that
    names no phase of the file raises `UnknownPhaseError`.
    """
    if phase is not None:
        state = phase_state(data, phase)
        if phase_warnings is None:
            # start path: the command line gives the located warnings; only a library call works them out
            from ..scenario.warnings import phase_warnings as worked_out

            phase_warnings = worked_out(data, path=source)
        shown = evaluate_phase(state, source=source, rulebook=rulebook, rules_dir=rules_dir,
                               warnings=phase_warnings[state.index], evaluator=evaluator,
                               rulebook_reason=rulebook_reason)  # fmt: skip
        attach_record(shown, data, state.index)
        return Report.of(shown)
    if not has_phases(data):
        evaluator, reason = choose_evaluator(data.get("date"), rulebook, rules_dir, evaluator, rulebook_reason)
        report = evaluate_data(data, evaluator, source=source, warnings=warnings, rulebook_reason=reason)
        attach_record(report.last, data, None)
        return report
    if warnings is None or phase_warnings is None:
        # start path: the command line gives the located warnings; only a library call works them out
        from ..scenario.warnings import phase_warnings as worked_out
        from ..scenario.warnings import scenario_warnings

        warnings, phase_warnings = scenario_warnings(data, path=source), worked_out(data, path=source)
    reports = [
        evaluate_phase(state, source=source, rulebook=rulebook, rules_dir=rules_dir, warnings=found,
                       evaluator=evaluator, rulebook_reason=rulebook_reason)
        for state, found in zip(merge_phases(data), phase_warnings, strict=True)
    ]  # fmt: skip
    for index, report in enumerate(reports):
        attach_record(report, data, index)
    return phased_report(data, reports, source=source, warnings=warnings)


def evaluate_phase(
    state: PhaseState,
    *,
    source: str,
    rulebook: str | None = None,
    rules_dir: str | None = None,
    warnings: list[Problem] | None = None,
    evaluator: Evaluator | None = None,
    rulebook_reason: str | None = None,
) -> PhaseReport:
    """The report of one phase: the scenario it makes, under the rulebook chosen for its date."""
    evaluator, reason = choose_evaluator(state.date, rulebook, rules_dir, evaluator, rulebook_reason)
    report = evaluate_data(state.data, evaluator, source=source, warnings=warnings or [], rulebook_reason=reason).last
    report.phase, report.phase_name = state.id, state.name
    return report


def phased_report(data: dict[str, Any], reports: list[PhaseReport], *, source: str, warnings: list[Problem]) -> Report:
    """A phased file's report: each phase's report, and the changes from each phase to the next."""
    timeline = [
        change
        for before, after in zip(reports, reports[1:], strict=False)
        for change in changes(before, after, phase=after.phase)
    ]
    return Report(reports, timeline, True, data["scenario"], source, data.get("description"), warnings)


def with_overrides(report: Report, overrides: Any, undone: dict[str, str]) -> Report:
    """The report, listing the `--set` in force (`overrides`), each with the phase that sets it again (`undone`:
    the `--set` text -> that phase's id), as its header shows them."""
    report.overrides = [(o.text, undone.get(o.text)) for o in overrides]
    return report


def choose_evaluator(
    date: Any, rulebook: str | None, rules_dir: str | None, evaluator: Evaluator | None, reason: str | None
) -> tuple[Evaluator, str | None]:
    """The evaluator for a scenario (or phase) of `date`, and why it is the one."""
    if evaluator is None:
        # start path: the command line gives the evaluator; only a library call chooses one
        from ..rete.evaluators import evaluator_for
        from ..rulebook.choice import choose

        chosen = choose(date, rulebook=rulebook, rules_dir=rules_dir)
        evaluator, reason = evaluator_for(chosen.directory), reason or chosen.reason
    if evaluator.broken:  # nothing runs on a broken engine
        raise EngineError("not evaluated: the rule engine failed on an earlier file")
    return evaluator, reason
