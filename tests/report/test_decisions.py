"""Each shipped procedure read as the decisions it requires: every one recognised, in the statutes' order, and a
procedure in words no kind knows kept as written (a rulebook of one's own)."""

from __future__ import annotations

import pytest

from engine.report.decisions import procedure_decisions
from engine.rulebook.load import load
from engine.rulebook.model import Procedure

from ..conftest import ROOT


def _procedures(rulebook: str) -> list[tuple[str, Procedure]]:
    book = load(ROOT / "rules" / rulebook)
    return [
        (f"{r.id}/{g.id}[{i}]", v.procedure) for r in book.roles for g in r.grounds for i, v in enumerate(g.variants)
    ]


@pytest.mark.parametrize("rulebook", ["1997", "2015"])
def test_every_shipped_procedure_is_read_as_decisions_in_order(rulebook):
    for name, procedure in _procedures(rulebook):
        found = procedure_decisions(procedure)
        assert found and all(f.kind.id != "other" for f in found), name
        steps = [f.kind.step for f in found]
        assert steps == sorted(steps), name
        diet = [f for f in found if f.kind.diet is not None]
        assert [f.kind.diet for f in diet] == ([] if procedure.diet_approval == "none" else [procedure.diet_approval])
        assert all(f.provisions for f in found if f.kind.id != "cabinet_response_plan" or rulebook == "2015"), name


def test_a_rear_area_measure_runs_as_law60_1999_orders_it():
    """Art. 4 (the Cabinet's basic plan), Art. 5 (the Diet, before, or after if urgent), Art. 7(1)-(2) (the Prime
    Minister approves the implementation guideline, the Minister orders), Art. 10 (reports to the Diet)."""
    (procedure,) = [p for name, p in _procedures("1997") if name == "search_and_rescue/rear_area_sar[1]"]
    assert [(f.kind.id, f.provisions) for f in procedure_decisions(procedure)] == [
        ("cabinet_basic_plan", ("Law60/1999 Art. 4",)),
        ("diet_prior_or_after", ("Law60/1999 Art. 5",)),
        ("pm_approval", ("Law60/1999 Art. 7(1)-(2)",)),
        ("minister_order", ("Law60/1999 Art. 7(1)",)),
        ("diet_report", ("Law60/1999 Art. 10",)),
    ]
    (before_2007,) = [p for name, p in _procedures("1997") if name == "minesweeping/abandoned_mines[0]"]
    assert [f.text for f in procedure_decisions(before_2007)] == ["Director General of the Defense Agency's order"]


def test_words_no_kind_knows_are_kept_as_written():
    procedure = Procedure("The Governor decides by decree. Nothing else.", "none", (), ("X Art. 1",))
    (found,) = procedure_decisions(procedure)
    assert (found.kind.id, found.text, found.provisions) == ("other", "The Governor decides by decree", ("X Art. 1",))
