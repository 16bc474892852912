"""What a batch does with each file, in whichever process takes it: evaluate, validate or test it.

Whatever goes wrong with a file becomes part of its result, so every report
and every error comes out. Text is styled by the `style` the caller passes
(click.style from the command line), as this layer does not import click.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from ..errors import EngineError, GuidelinesError, InputError, Problem, RulebookError, ScenarioError
from ..render.record import record_counts
from ..render.text import TextOptions
from ..report.evaluate import evaluate_scenario, with_overrides
from ..report.model import Report
from ..rete.runtime import Evaluator
from ..scenario.loader import STDIN, load, source_name
from ..scenario.overrides import Override
from ..scenario.phases import UnknownPhaseError
from ..util.text import Style, error_text, escape_controls, escape_data, plain, problem_text
from .discover import folder_problem


@contextlib.contextmanager
def one_reading(directories: Iterable[str], now: bool) -> Iterator[None]:
    """The rulebooks of a batch, each read once however its files change meanwhile (`rete.evaluators.read_once`).

    `now`: workers are about to be forked, so each rulebook the batch may use is
    read at once, for them to inherit instead of reading the files themselves.
    Whatever goes wrong is left for the files that need the rulebook to say.
    """
    # start path: the engine is loaded once a file needs it (a cached report needs none)
    from ..rete.evaluators import evaluator_for, read_once

    with read_once():
        for directory in directories if now else ():
            try:
                evaluator_for(directory)
            except (GuidelinesError, OSError):
                pass
        yield


def rule_directories(rules_dir: str | None, rulebook: str | None = None) -> list[str]:
    """The rulebook directories files may be evaluated under: --rules DIR's, --rulebook ID's, else every shipped one."""
    # start path: the shipped rulebooks are listed only for a batch that uses them
    from ..rulebook.choice import choose, shipped_rulebooks

    if rules_dir is not None:
        return [rules_dir]
    if rulebook is None:
        return [book.directory for book in shipped_rulebooks()]
    try:
        return [choose(None, rulebook=rulebook).directory]
    except GuidelinesError:  # an unknown id: the command says so
        return []


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
    *,
    for_text: bool = False,
    rulebook: str | None = None,
    rules_dir: str | None = None,
    overrides: tuple[Override, ...] = (),
    phase: str | None = None,
) -> Result:
    """Evaluate one file (with `--set` overrides applied); whatever goes wrong becomes the result's error.

    Without an `evaluator`, the file (each phase of it) is evaluated under the
    rulebook chosen for its date (or by `rulebook` / `rules_dir`, see
    `engine.rulebook.choice`). An engine failure that leaves the engine
    unusable is reported, and every file after it is reported as not
    evaluated: nothing runs on a broken engine, and no file goes missing from
    the output. `for_text`: the report is for a terminal, so the scenario's
    text (titles, names, descriptions) and its path have their control
    characters escaped. With `phase`, the report is that phase's, and only
    that phase is evaluated; a file without it is an `UnknownPhaseError`.
    """
    shown = source_name(source)
    if evaluator is not None and evaluator.broken:
        return not_evaluated(shown)
    try:
        folder = folder_error(source)
        if folder is not None:
            raise folder
        loaded = load(source, overrides)
        data = loaded.data
        if evaluator is None:
            # start path: the engine is loaded once a file needs it
            from ..rete.evaluators import engine_broken

            if engine_broken():
                return not_evaluated(shown)
        if for_text:
            data, shown = escape_data(data), escape_controls(shown, newlines=True)
        report = evaluate_scenario(
            data,
            source=shown,
            rulebook=rulebook,
            rules_dir=rules_dir,
            warnings=loaded.warnings,
            phase_warnings=loaded.phase_warnings,
            evaluator=evaluator,
            phase=phase,
        )
        return Result(shown, report=with_overrides(report, overrides, loaded.overridden))
    # RulebookError: a rulebook chosen by date; UnknownPhaseError: a --phase the file lacks
    except (ScenarioError, EngineError, RulebookError, UnknownPhaseError) as exc:
        return Result(shown, error=exc)
    except MemoryError:  # this file, in this process: the next one may fit
        return Result(shown, error=EngineError("not evaluated: out of memory"))


def not_evaluated(shown: str) -> Result:
    return Result(shown, error=EngineError("not evaluated: the rule engine failed on an earlier file"))


def folder_error(source: str) -> ScenarioError | None:
    """A folder in a batch is one that could not be searched, or that holds no scenario file: say which."""
    if source != STDIN and os.path.isdir(source):
        return ScenarioError(source, [Problem(folder_problem(source), source)])
    return None


FORMATS = ("text", "json", "table", "markdown", "csv", "html")


def render(report: Report, fmt: str, view: TextOptions, style: Style = plain, flips: Any = None) -> str:
    """One report in a format for people (text, table, markdown) or for other tools (csv rows, an html section);
    `flips` (a `FlipReport`, --flip) follows it in text and Markdown, and is a section of the HTML."""
    if flips is not None and fmt in ("text", "markdown"):
        from ..render.flips import after_report  # start path: only --flip draws them

        return render(report, fmt, view, style) + after_report(flips, fmt, view.width, style)
    if fmt == "table":
        # start path: only the renderer of the format asked for is imported
        from ..render.text import render_table

        return render_table(report, style=style, options=view)
    if fmt == "markdown":
        # start path: only the renderer of the format asked for is imported
        from ..render.markdown import render_markdown

        return render_markdown(report, ids=view.ids, cite_full=view.cite_full, unicode=view.unicode)
    if fmt == "csv":
        # start path: only the renderer of the format asked for is imported
        from ..render.csv import csv_rows, csv_text

        return csv_text(csv_rows(report), header=False, raw=view.csv_raw)
    if fmt == "html":
        # start path: only the renderer of the format asked for is imported
        from ..render.html import html_section

        return html_section(report, ids=view.ids, flips=flips)
    # start path: only the renderer of the format asked for is imported
    from ..render.text import render_report

    return render_report(report, style=style, options=view)


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
    counts: Any = None  # compare: the verdicts changed per role; evaluate: (file, its verdicts against its record)
    usage_failed: bool = False  # --phase named no phase of the file
    warnings: tuple[Problem, ...] = ()  # printed by the command, which collapses those alike across the batch


class EvaluateWork:
    """Evaluate and render one file; one per process (see `parallel.run`).

    Text errors are wrapped to `width` (computed once, by the command). `fmt` is
    one of FORMATS; `view` says how a person asked to see text (width, ids, full
    source titles, symbols). For csv the rows come without the header, and for
    html as a section of the page: the command writes those once. With
    `overrides`, each file is evaluated with those fields set; with `phase`,
    the report is that phase's, in full.
    """

    def __init__(
        self,
        rules_dir: str | None,
        fmt: str,
        style: Style = plain,
        width: int = 80,
        rulebook: str | None = None,
        view: TextOptions | None = None,
        overrides: tuple[Override, ...] = (),
        phase: str | None = None,
        flip: bool = False,
    ) -> None:
        self.flip = flip  # --flip: what would change each verdict follows the report
        self.rules_dir = rules_dir
        self.rulebook = rulebook
        self.fmt = fmt
        self.style = style
        self.width = width
        self.view = view or TextOptions()
        self.overrides = overrides
        self.phase = phase

    def __call__(self, source: str) -> Printed:
        for_text = self.fmt in ("text", "table")  # what a terminal shows must not drive it
        result = evaluate_file(
            source,
            for_text=for_text,
            rulebook=self.rulebook,
            rules_dir=self.rules_dir,
            overrides=self.overrides,
            phase=self.phase,
        )
        if isinstance(result.error, UnknownPhaseError):  # the file's own error, in every format
            return self.render(result)._replace(usage_failed=True)
        if self.flip and result.error is None:
            return self.with_flips(source, result)
        return self.render(result)

    def with_flips(self, source: str, result: Result) -> Printed:
        """The file's report followed by what would change each verdict (of the phase shown, or every phase)."""
        from ..verify.flip import Options, flips_of_file  # only --flip searches

        options = Options((), (), self.phase, self.rulebook, self.rules_dir)
        try:
            return self.render(result, flips_of_file(source, self.overrides, source=result.source, options=options))
        except EngineError as exc:
            return self.render(Result(result.source, error=exc))

    def session(self, now: bool) -> contextlib.AbstractContextManager[None]:
        """For the whole batch: its rulebooks read once (see `one_reading`)."""
        return one_reading(rule_directories(self.rules_dir, self.rulebook), now)

    def lost(self, source: str, reason: str) -> Printed:
        """The line of a file that was given to a worker that could not deliver it."""
        return self.render(Result(source_name(source), error=EngineError(f"not evaluated: {reason}")))

    def render(self, result: Result, flips: Any = None) -> Printed:  # flips: a FlipReport (--flip), or None
        engine_failed = isinstance(result.error, EngineError)
        warned = tuple(result.report.warnings) if result.report is not None else ()
        if self.fmt == "json":
            import orjson  # only --format json pays for importing it

            body = result.error_dict() if result.error is not None else result.report.as_dict()  # type: ignore[union-attr]
            body |= {"flips": flips.as_dict()["cases"]} if flips is not None else {}
            return Printed(orjson.dumps(body) + b"\n", None, result.error is not None, engine_failed, warnings=warned)
        if result.error is not None:
            return Printed(None, error_text(result.error, result.source, self.width), True, engine_failed)
        assert result.report is not None
        out = render(result.report, self.fmt, self.view, self.style, flips)
        return Printed(out, None, False, False, warnings=warned, counts=record_counts(result.source, result.report))

    def save(self) -> None:
        # start path: the engine is loaded only if a file was evaluated
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
    warnings: tuple[Problem, ...] = ()  # printed by the command, which collapses those alike across the batch


class _Blocks:
    """Which blocks of a file's `expect:` a command checks, and the evaluator of each: every rulebook named, the
    one --rulebook names, or the rulebook in --rules DIR (its plain block, and the block keyed by its id)."""

    def __init__(self, rules_dir: str | None, rulebook: str | None) -> None:
        self.rules_dir = rules_dir
        self.rulebook = rulebook

    def evaluator(self, rulebook_id: str | None):  # type: ignore[no-untyped-def]
        # start path: the engine is loaded once a file needs it
        from ..rete.evaluators import evaluator_for
        from ..rulebook.choice import choose

        return evaluator_for(choose(None, rulebook=rulebook_id, rules_dir=self.rules_dir).directory)

    def unknown(self, scenario: Any, document: Any) -> list[Problem]:
        """The blocks keyed by a rulebook that is not shipped, when no --rules DIR gives the rulebook."""
        if self.rules_dir is not None:
            return []  # only the blocks of the rulebook in DIR are checked
        # only `validate` and `test` read `expect:` blocks
        from ..report.expect import unknown_rulebooks
        from ..rulebook.choice import shipped_rulebooks

        return unknown_rulebooks(scenario, document, [book.id for book in shipped_rulebooks()])

    def chosen(self, scenario: Any) -> list[tuple[str | None, str]]:
        """(block key, rulebook id) of each block to check, in file order (a block keyed by no shipped rulebook
        is left out: `unknown` names it)."""
        # only `test` reads `expect:` blocks
        from ..report.expect import expect_blocks, rulebook_of_block
        from ..rulebook.choice import shipped_rulebooks

        shipped = {book.id for book in shipped_rulebooks()}

        out = []
        for key in expect_blocks(scenario):
            if self.rules_dir is not None:
                own = self.evaluator(None).rulebook.id
                if key is None or key == own:
                    out.append((key, own))
                continue
            rulebook_id = rulebook_of_block(key, scenario)
            if rulebook_id not in shipped:
                continue
            # The plain form of a phased file spans the rulebooks of its phases' dates: it is filtered per phase.
            if self.rulebook is None or rulebook_id == self.rulebook or (key is None and scenario.phases):
                out.append((key, rulebook_id))
        return out


class ValidateWork:
    """Validate one scenario file, `expect:` included, against the rulebooks it names; one per process."""

    def __init__(self, rules_dir: str | None, width: int = 80, rulebook: str | None = None) -> None:
        self.blocks = _Blocks(rules_dir, rulebook)
        self.width = width

    def __call__(self, path: str) -> Checked:
        # only `test` and `validate` need these; `evaluate` starts without them
        from ..report.expect import expectation_problems
        from ..report.record import record_role_problems

        try:
            folder = folder_error(path)
            if folder is not None:
                raise folder
            loaded = load(path)
            scenario, document = loaded.scenario, loaded.document
        except ScenarioError as exc:
            return Checked(error_text(exc, source_name(path), self.width), invalid=True)
        problems = self.blocks.unknown(scenario, document)
        try:
            for key, rulebook_id in self.blocks.chosen(scenario):
                rulebook = self.blocks.evaluator(rulebook_id).rulebook
                problems += expectation_problems(scenario, document, rulebook, key)
            problems += record_role_problems(loaded.data, document, lambda: self.blocks.evaluator(None).rulebook)
        except (RulebookError, EngineError):
            pass  # the command reports the rulebook itself
        warned = tuple(loaded.warnings)
        text = "\n".join(problem_text(p, self.width) for p in problems) or None
        return Checked(text, invalid=bool(problems), warnings=warned)

    def session(self, now: bool) -> contextlib.AbstractContextManager[None]:
        """For the whole batch: its rulebooks read once (see `one_reading`)."""
        return one_reading(rule_directories(self.blocks.rules_dir), now)

    def lost(self, path: str, reason: str) -> Checked:
        text = problem_text(Problem(f"not checked: {reason}", source_name(path)), self.width)
        return Checked(text, invalid=True, engine_failed=True)


class TestWork:
    """Run one scenario file's `expect:` block, under each rulebook it names; one per process."""

    __test__ = False  # not a pytest test class, whatever its name

    def __init__(
        self, rules_dir: str | None, verbose: bool, style: Style = plain, width: int = 80, rulebook: str | None = None
    ) -> None:
        self.blocks = _Blocks(rules_dir, rulebook)
        self.verbose = verbose
        self.style = style
        self.width = width

    def __call__(self, path: str) -> Checked:
        # only `test` needs these; `evaluate` starts without them
        from ..report.expect import compare, expectation_problems, expectations, judged_report
        from ..util.text import cite, hanging, width_of, wrap

        shown = escape_controls(source_name(path), newlines=True)
        try:
            folder = folder_error(path)
            if folder is not None:
                raise folder
            loaded = load(path)
            scenario, document = loaded.scenario, loaded.document
        except ScenarioError as exc:
            return Checked(self._error(error_text(exc, source_name(path), self.width)), failed=1)
        unknown = self.blocks.unknown(scenario, document)
        if unknown:
            return Checked(self._error("\n".join(problem_text(p, self.width) for p in unknown)), failed=1)
        chosen = self.blocks.chosen(scenario)
        if not chosen:
            return Checked(None, without_expect=True)
        data = scenario.model_dump(mode="json")
        passed = failed = 0
        failures: list[str] = []
        for key, rulebook_id in chosen:
            pinned = expectations(scenario, document, key)
            evaluator = self.blocks.evaluator(rulebook_id)
            problems = expectation_problems(scenario, document, evaluator.rulebook, key)
            if problems:
                return Checked(self._error("\n".join(problem_text(p, self.width) for p in problems)), failed=1)
            try:
                # A block keyed by rulebook is checked under that rulebook, every phase of it; the plain form
                # under the rulebook each phase is evaluated under by default, as `evaluate` does.
                forced = None if self.blocks.rules_dir is not None else key
                report = evaluate_scenario(
                    data, source=source_name(path), rulebook=forced, rules_dir=self.blocks.rules_dir
                )
            except EngineError as exc:
                text = error_text(exc, source_name(path), self.width)
                return Checked(self._error(text), failed=1, engine_failed=True)
            if key is None and self.blocks.rulebook is not None and self.blocks.rules_dir is None:
                pinned = [e for e in pinned if judged_report(report, e).rulebook == self.blocks.rulebook]
            mismatches = compare(report, pinned)
            passed += len(pinned) - len(mismatches)
            failed += len(mismatches)
            for mismatch in mismatches:
                expected = mismatch.expectation
                where = f" (line {expected.line})" if expected.line else ""
                said = f"{expected.name}: expected {expected.status}, got {mismatch.got}{where}"
                failures += hanging("   ", said, self.width, 6)
                for reason_ in mismatch.reasons:
                    body = wrap(reason_.text + cite(reason_.basis), self.width - 15)
                    failures.append("      because: " + body[0])
                    failures.extend("               " + line for line in body[1:])
        if not failures:
            count = f"({passed} check{'s' if passed != 1 else ''})"
            gap = " " if width_of(f"ok   {shown} {count}") <= self.width else "\n     "  # a long path: count below
            return Checked(f"ok   {shown}{gap}{count}" if self.verbose else None, passed=passed)
        title = hanging(" ", escape_controls(scenario.scenario, newlines=True), self.width, 2)
        lines = [self.style(f"FAIL {shown}", fg="red", bold=True), *title, *failures]
        return Checked("\n".join(lines), passed=passed, failed=failed)

    def _error(self, text: str) -> str:
        return self.style(text, fg="red")

    def session(self, now: bool) -> contextlib.AbstractContextManager[None]:
        """For the whole batch: its rulebooks read once (see `one_reading`)."""
        return one_reading(rule_directories(self.blocks.rules_dir), now)

    def lost(self, path: str, reason: str) -> Checked:
        text = problem_text(Problem(f"not run: {reason}", source_name(path)), self.width)
        return Checked(self._error(text), failed=1, engine_failed=True)

    def save(self) -> None:
        # start path: the engine is loaded only if a file was evaluated
        from ..rete.evaluators import save_memos

        save_memos()


def warning_lines(warnings: list[Problem], width: int = 80) -> str | None:
    """Warnings as printed, `warning: FILE:LINE:COL: FIELD: message`, wrapped like errors; None when there are none."""
    return "\n".join(problem_text(w, width, "warning") for w in warnings) or None
