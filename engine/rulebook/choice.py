"""Which rulebook evaluates a scenario, and why: the reason a report gives for the rulebook it used.

For now one rulebook ships, and it is used unless `--rules` names another
directory. Choosing by the scenario's date (the rulebook in force on that day)
grows here: `choose` already takes the date.
"""

from __future__ import annotations

import datetime
import os

from .shipped import default_rules_dir

SHIPPED_DEFAULT = "the shipped default"
CHOSEN_WITH_RULES = "chosen with --rules"


def choose(date: datetime.date | str | None, explicit: str | os.PathLike[str] | None) -> tuple[str, str]:
    """(rulebook directory, why it is the one) for a scenario of `date`, given the directory named by `--rules`."""
    if explicit is not None:
        return os.fspath(explicit), CHOSEN_WITH_RULES
    return default_rules_dir(), SHIPPED_DEFAULT


def reason_for(directory: str | os.PathLike[str]) -> str:
    """Why a rulebook was used, knowing only its directory: the shipped one, or another chosen with --rules."""
    shipped = default_rules_dir()
    try:
        same = os.path.samefile(directory, shipped)
    except OSError:
        same = os.path.abspath(directory) == os.path.abspath(shipped)
    return SHIPPED_DEFAULT if same else CHOSEN_WITH_RULES
