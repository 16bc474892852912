"""What a batch does with each file, in whichever process takes it: evaluate, validate or test it.

Whatever goes wrong with a file becomes part of its result, so every report
and every error comes out. Text is styled by the `style` the caller passes
(click.style from the command line), as this layer does not import click.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from ..errors import EngineError, GuidelinesError, InputError, Problem, ScenarioError
from ..report.evaluate import evaluate_scenario
from ..report.model import Report
from ..rete.runtime import Evaluator
from ..scenario.load import read_scenario_file
from ..scenario.overrides import Override
from ..scenario.phases import UnknownPhaseError
from ..util.text import Style, plain


class Result(NamedTuple):
    """What became of one file: its report, or the error that stopped it."""

    source: str
    report: Report | None = None
    error: GuidelinesError | None = None

    def error_dict(self) -> dict[str, object]:
        """The JSON error object of the contract: source plus error (message, line, field)."""
        error = self.error
        assert error is not None
        if isinstance(error, InputError) and error.problems:
            first = error.problems[0]
            body = first.as_dict()
            body["text"] = first.text()
            body["problems"] = [p.as_dict() for p in error.problems]
        else:
            body = Problem(error.message, self.source).as_dict()
            body["text"] = error.message
        body["kind"] = "engine" if isinstance(error, EngineError) else "input"
        return {"source": self.source, "error": body}


def evaluate_file(
    source: str,
    evaluator: Evaluator | None = None,
    rulebook_reason: str | None = None,
    *,
    rulebook: str | None = None,
    rules_dir: str | None = None,
    overrides: tuple[Override, ...] = (),
) -> Result:
    """Evaluate one file (with `--set` overrides applied); whatever goes wrong becomes the result's error.

    Without an `evaluator`, the file (each phase of it) is evaluated under the
    rulebook chosen for its date (or by `rulebook` / `rules_dir`, see
    `engine.rulebook.choice`). An engine failure that leaves the engine
    unusable is reported, and every file after it is reported as not
    evaluated: nothing runs on a broken engine, and no file goes missing from
    the output.
    """
    if evaluator is not None and evaluator.broken:
        return _not_evaluated(source)
    try:
        loaded = read_scenario_file(source, overrides)
    except ScenarioError as exc:
        return Result(source, error=exc)
    try:
        report = evaluate_scenario(
            loaded.data,
            source=source,
            rulebook=rulebook,
            rules_dir=rules_dir,
            warnings=loaded.warnings,
            phase_warnings=loaded.phase_warnings,
            evaluator=evaluator,
            rulebook_reason=rulebook_reason,
        )
        return Result(source, report=report)
    except EngineError as exc:
        return Result(source, error=exc)


def _not_evaluated(source: str) -> Result:
    return Result(source, error=EngineError("not evaluated: the rule engine failed on an earlier file"))


def evaluate_files(files: Iterable[str], evaluator: Evaluator) -> Iterator[Result]:
    """Evaluate each file in turn; a file that fails does not stop the others."""
    for source in files:
        yield evaluate_file(source, evaluator)


class Printed(NamedTuple):
    """One file's evaluation, ready to print: what goes to stdout and to stderr."""

    out: bytes | str | None
    err: str | None
    failed: bool
    engine_failed: bool
    usage_failed: bool = False  # --phase named no phase of the file


class EvaluateWork:
    """Evaluate and render one file; one per process (see `parallel.run`).

    With `overrides`, each file is evaluated with those fields set; with
    `phase`, the report is that phase's, in full.
    """

    def __init__(
        self,
        rules_dir: str | None,
        fmt: str,
        style: Style = plain,
        rulebook: str | None = None,
        overrides: tuple[Override, ...] = (),
        phase: str | None = None,
    ) -> None:
        self.rules_dir = rules_dir
        self.rulebook = rulebook
        self.fmt = fmt
        self.style = style
        self.overrides = overrides
        self.phase = phase

    def __call__(self, source: str) -> Printed:
        result = evaluate_file(source, rulebook=self.rulebook, rules_dir=self.rules_dir, overrides=self.overrides)
        if self.phase is not None and result.report is not None:
            try:
                result = result._replace(report=result.report.phase_report(self.phase))
            except UnknownPhaseError as exc:
                return Printed(None, f"error: {exc.message}", True, False, True)
        engine_failed = isinstance(result.error, EngineError)
        warned = "\n".join(warning_lines(result.report.warnings)) if result.report is not None else ""
        if self.fmt == "json":
            import orjson  # 2 ms to import: only --format json pays for it

            body = result.error_dict() if result.error is not None else result.report.as_dict()  # type: ignore[union-attr]
            return Printed(orjson.dumps(body) + b"\n", warned or None, result.error is not None, engine_failed)
        if result.error is not None:
            error = result.error
            text = str(error) if isinstance(error, InputError) else error.message
            return Printed(None, "\n".join(f"error: {line}" for line in text.splitlines()), True, engine_failed)
        from ..report.render import render_report

        assert result.report is not None
        return Printed(render_report(result.report, style=self.style), warned or None, False, False)

    def save(self) -> None:
        from ..rete.evaluators import save_memos

        save_memos()


class Checked(NamedTuple):
    """One file's validation or test run, ready to print."""

    text: str | None
    invalid: bool = False
    passed: int = 0
    failed: int = 0
    without_expect: bool = False
    engine_failed: bool = False
    warnings: str | None = None


class ValidateWork:
    """Validate one scenario file, `expect:` included, against a rulebook; one per process."""

    def __init__(self, rules_dir: str | None) -> None:
        from ..errors import RulebookError
        from ..rete.cache import compiled_rulebook

        try:
            self.rulebook = compiled_rulebook(rules_dir).rulebook
        except RulebookError:
            self.rulebook = None  # the command reports the rulebook itself

    def __call__(self, path: str) -> Checked:
        from ..report.expect import expectation_problems
        from ..scenario.load import load_scenario_document
        from ..scenario.warnings import scenario_warnings

        try:
            scenario, document = load_scenario_document(path)
        except ScenarioError as exc:
            return Checked(str(exc), invalid=True)
        problems = expectation_problems(scenario, document, self.rulebook) if self.rulebook else []
        warned = warning_lines(scenario_warnings(scenario.model_dump(mode="python"), document))
        text = "\n".join(p.text() for p in problems) or None
        return Checked(text, invalid=bool(problems), warnings="\n".join(warned) or None)


class TestWork:
    """Run one scenario file's `expect:` block; one per process."""

    __test__ = False  # not a pytest test class, whatever its name

    def __init__(self, rules_dir: str | None, verbose: bool, style: Style = plain) -> None:
        from ..rete.evaluators import evaluator_for

        self.rules_dir = rules_dir
        self.evaluator = evaluator_for(rules_dir)  # the rulebook `expect:` is checked against
        self.verbose = verbose
        self.style = style

    def __call__(self, path: str) -> Checked:
        from ..report.expect import compare, expectation_problems, expectations
        from ..scenario.load import load_scenario_document
        from ..util.text import cite, wrap

        def heading(word: str) -> str:
            return self.style(f"{word} {path}", fg="red", bold=True)

        try:
            scenario, document = load_scenario_document(path)
        except ScenarioError as exc:
            return Checked(heading("ERROR") + "\n" + _indent(str(exc)), failed=1)
        pinned = expectations(scenario, document)
        if not pinned:
            return Checked(None, without_expect=True)
        problems = expectation_problems(scenario, document, self.evaluator.rulebook)
        if problems:
            return Checked(heading("ERROR") + "\n" + _indent("\n".join(p.text() for p in problems)), failed=1)
        try:
            # Each phase under the rulebook of its date, as `evaluate` does (or the one --rules names).
            report = evaluate_scenario(scenario.model_dump(mode="json"), source=path, rules_dir=self.rules_dir)
        except EngineError as exc:
            return Checked(heading("ERROR") + f"\n  {exc.message}", failed=1, engine_failed=True)
        mismatches = compare(report, pinned)
        passed = len(pinned) - len(mismatches)
        if not mismatches:
            text = f"ok   {path} ({len(pinned)} checks)" if self.verbose else None
            return Checked(text, passed=passed)
        lines = [heading("FAIL"), f"  {scenario.scenario}"]
        for mismatch in mismatches:
            expected = mismatch.expectation
            where = f" (line {expected.line})" if expected.line else ""
            lines.append(f"    {expected.name}: expected {expected.status}, got {mismatch.got}{where}")
            for reason in mismatch.reasons:
                body = wrap(reason.text + cite(reason.basis), 90)
                lines.append("      because: " + body[0])
                lines.extend("               " + line for line in body[1:])
        return Checked("\n".join(lines), passed=passed, failed=len(mismatches))

    def save(self) -> None:
        from ..rete.evaluators import save_memos

        save_memos()


def warning_lines(warnings: list[Problem]) -> list[str]:
    """Warnings as printed: `warning: file:line:col: field: message`."""
    return [f"warning: {w.text()}" for w in warnings]


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
