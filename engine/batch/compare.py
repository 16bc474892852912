"""Comparing each file under two rulebooks, in whichever process takes it: what `guidelines compare` runs."""

from __future__ import annotations

import contextlib
from typing import Any

from ..errors import EngineError, GuidelinesError, RulebookError, ScenarioError
from ..render.text import TextOptions
from ..report.evaluate import evaluate_scenario
from ..scenario.loader import load, source_name
from ..util.text import Style, error_text, escape_controls, escape_data, plain
from .work import Printed, Result, folder_error, not_evaluated, one_reading, rule_directories


def compare_file(
    source: str, rulebooks: tuple[str, str], explicit: bool = False, *, for_text: bool = False
) -> tuple[Any, GuidelinesError | None]:
    """One file evaluated under two shipped rulebooks and compared (`report.compare.Comparison`), or the error that
    stopped it. Each report says why its rulebook was used: chosen with --rulebook (`explicit`), else in force on
    the file's date, or compared with the other. `for_text`: as for `evaluate_file`."""
    # only `compare` needs these; `evaluate` starts without them
    from ..report.compare import compare
    from ..rete.evaluators import engine_broken, evaluator_for
    from ..rulebook.choice import CHOSEN_WITH_RULEBOOK, choose

    shown = source_name(source)
    try:
        folder = folder_error(source)
        if folder is not None:
            raise folder
        loaded = load(source)
        data = loaded.data
        if for_text:
            data, shown = escape_data(data), escape_controls(shown, newlines=True)
        reports = []
        for rulebook, other in (rulebooks, tuple(reversed(rulebooks))):
            evaluator = evaluator_for(choose(None, rulebook=rulebook).directory)
            if evaluator.broken or engine_broken():
                return None, not_evaluated(shown).error
            report = evaluate_scenario(
                data,
                source=shown,
                warnings=loaded.warnings,
                phase_warnings=loaded.phase_warnings,
                evaluator=evaluator,
                rulebook_reason=CHOSEN_WITH_RULEBOOK,
            )
            if not explicit:  # each phase says whether its date chose this rulebook, or the comparison did
                for one in report.phases:
                    by_date = choose(one.date)
                    one.rulebook_reason = by_date.reason if by_date.id == rulebook else f"compared with {other}"
            reports.append(report)
    except (ScenarioError, EngineError, RulebookError) as exc:
        return None, exc
    except MemoryError:
        return None, EngineError("not evaluated: out of memory")
    return compare(reports[0], reports[1]), None


class CompareWork:
    """Compare one file under two rulebooks and render it; one per process (see `parallel.run`).

    `fmt` is one of the formats of `evaluate`; for csv the rows come without
    the header, and for html as a section of the page: the command writes those
    once. `summary`: a directory was given, and text or table shows one line per
    file (the command closes it with the summary table).
    """

    def __init__(
        self,
        rulebooks: tuple[str, str],
        explicit: bool,
        fmt: str,
        summary: bool,
        width: int = 80,
        style: Style = plain,
        view: TextOptions | None = None,
    ) -> None:
        self.rulebooks = rulebooks
        self.explicit = explicit
        self.fmt = fmt
        self.summary = summary
        self.width = width
        self.style = style
        self.view = view or TextOptions(width)

    def __call__(self, source: str) -> Printed:
        for_text = self.fmt in ("text", "table")  # what a terminal shows must not drive it
        comparison, error = compare_file(source, self.rulebooks, self.explicit, for_text=for_text)
        return self.render(source_name(source), comparison, error)

    def session(self, now: bool) -> contextlib.AbstractContextManager[None]:
        """For the whole batch: its two rulebooks read once (see `one_reading`)."""
        return one_reading([d for rulebook in self.rulebooks for d in rule_directories(None, rulebook)], now)

    def lost(self, source: str, reason: str) -> Printed:
        """The line of a file that was given to a worker that could not deliver it."""
        return self.render(source_name(source), None, EngineError(f"not compared: {reason}"))

    def render(self, source: str, comparison: Any, error: GuidelinesError | None) -> Printed:
        engine_failed = isinstance(error, EngineError)
        if self.fmt == "json":
            # orjson only for --format json
            import orjson

            body = Result(source, error=error).error_dict() if error is not None else comparison.as_dict()
            counts = comparison.counts() if comparison is not None else None
            return Printed(orjson.dumps(body) + b"\n", None, error is not None, engine_failed, counts)
        if error is not None:
            return Printed(None, error_text(error, source, self.width), True, engine_failed)
        # only the compare format asked for is imported
        from ..render import compare as compare_formats
        from ..render.compare_text import render_comparison, summary_line
        from ..report.compare import Counted

        warned = tuple(comparison.second.warnings)
        counts = comparison.counts()
        view = self.view
        if self.summary and self.fmt in ("text", "table"):
            text = summary_line(Counted(source, counts), view.width)
        elif self.fmt == "table":
            text = compare_formats.render_compare_table(
                comparison, width=view.width, style=self.style, unicode=view.unicode, ids=view.ids
            )
        elif self.fmt == "markdown":
            text = compare_formats.render_compare_markdown(
                comparison, ids=view.ids, unicode=view.unicode, cite_full=view.cite_full
            )
        elif self.fmt == "csv":
            text = compare_formats.compare_csv(comparison, raw=view.csv_raw)
        elif self.fmt == "html":
            text = compare_formats.compare_html_section(comparison, ids=view.ids)
        else:
            text = render_comparison(comparison, width=view.width, style=self.style, cite_full=view.cite_full)
        return Printed(text, None, False, False, counts, warnings=warned)

    def save(self) -> None:
        # start path: the engine is loaded only if a file was evaluated
        from ..rete.evaluators import save_memos

        save_memos()
