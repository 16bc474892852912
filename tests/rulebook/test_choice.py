"""Which rulebook a scenario is evaluated under, and the reason the report gives."""

from __future__ import annotations

import datetime

import pytest

from engine.rulebook.choice import (
    CHOSEN_BY_CALLER,
    CHOSEN_WITH_RULEBOOK,
    CHOSEN_WITH_RULES,
    UnknownRulebookError,
    choose,
    reason_for,
    shipped_rulebooks,
)


def test_each_shipped_rulebook_is_dated_by_its_rulebook_yaml():
    books = {b.id: b for b in shipped_rulebooks()}
    assert books["1997"].in_force == datetime.date(1997, 9, 23)
    assert list(books) == sorted(books, key=lambda i: books[i].in_force)


def test_an_undated_scenario_takes_the_earliest_rulebook():
    chosen = choose(None)
    assert (chosen.id, chosen.reason) == ("1997", "no date")


def test_a_dated_scenario_takes_the_rulebook_in_force_that_day():
    chosen = choose("2009-04-10")
    assert (chosen.id, chosen.reason) == ("1997", "in force on 2009-04-10")


def test_a_date_before_every_rulebook_takes_the_earliest_and_says_so():
    chosen = choose(datetime.date(1996, 3, 8))
    assert chosen.id == "1997"
    assert chosen.reason == "the earliest rulebook: none was in force on 1996-03-08"


def test_rulebook_and_rules_options_win_over_the_date(tmp_path):
    assert choose("2009-04-10", rulebook="1997").reason == CHOSEN_WITH_RULEBOOK
    assert choose("2009-04-10", rules_dir=tmp_path) == (str(tmp_path), CHOSEN_WITH_RULES, None)


def test_an_unknown_rulebook_id_is_a_usage_error_with_a_suggestion():
    with pytest.raises(UnknownRulebookError, match=r"no rulebook '1979'.*did you mean '1997'") as caught:
        choose(None, rulebook="1979")
    assert caught.value.exit_code == 2


def test_a_library_call_with_an_evaluator_gets_the_reason_its_date_gives(tmp_path):
    """A library call gave its own evaluator: the date's reason if its rulebook is the one in force, else that the
    caller chose it; never an option (--rulebook, --rules) the caller did not give."""
    shipped = choose(None).directory
    assert reason_for(shipped, "2009-04-10") == "in force on 2009-04-10"
    assert reason_for(shipped, "2026-06-01") == CHOSEN_BY_CALLER
    assert reason_for(tmp_path) == CHOSEN_BY_CALLER
