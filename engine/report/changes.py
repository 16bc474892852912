"""What changed between two reports, and why: one notion behind `compare`, `diff` and a crisis timeline.

Two reports of the same scenario under two rulebooks (`compare`), of two
scenarios (`diff`), or of two consecutive phases of one crisis are set side by
side verdict by verdict: each role's roll-up, each area of an area role, each
request of a request role (matched by force, item and place). A change is a
verdict whose status differs, with the reasons and basis on each side; a case
present on one side only has the other side's status None. Nothing else is a
change: a role that applies on another ground with the same status is not one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from .model import Reason, Report, RoleReport

RequestKey = tuple[str, str, "str | None"]  # force, item, area (None: inside Japan)


class Side(NamedTuple):
    """One side of a compared verdict: its status, the reasons and basis behind it, and its ground."""

    status: str
    reasons: tuple[str, ...]
    basis: tuple[str, ...]
    ground: str | None


class Change(NamedTuple):
    """One verdict that differs between two reports."""

    role: str
    area: str | None  # the area of an area role's entry; None for a roll-up or a request
    request: RequestKey | None  # the request of a request role's entry; None otherwise
    before: Side | None  # None: the case is not there on this side
    after: Side | None
    phase: str | None = None  # the phase it happened in, in a crisis timeline

    @property
    def is_roll_up(self) -> bool:
        return self.area is None and self.request is None

    def as_dict(self) -> dict[str, Any]:
        """The change entry of the report contract, plus each side's basis and ground."""
        out: dict[str, Any] = {}
        if self.phase is not None:
            out["phase"] = self.phase
        out |= {
            "role": self.role,
            "area": self.area,
            "request": (
                None
                if self.request is None
                else {"force": self.request[0], "item": self.request[1], "area": self.request[2]}
            ),
            "from": self.before.status if self.before else None,
            "to": self.after.status if self.after else None,
            "because": list(self.after.reasons) if self.after else [],
            "was": list(self.before.reasons) if self.before else [],
            "basis": list(self.after.basis) if self.after else [],
            "was_basis": list(self.before.basis) if self.before else [],
            "ground": self.after.ground if self.after else None,
            "was_ground": self.before.ground if self.before else None,
        }
        return out


def _side(status: str, reasons: list[Reason], ground: Any) -> Side:
    basis: dict[str, None] = {}
    for reason in reasons:
        basis.update(dict.fromkeys(reason.basis))
    return Side(status, tuple(r.text for r in reasons), tuple(basis), ground.id if ground is not None else None)


def verdicts(role: RoleReport) -> Iterator[tuple[str | None, RequestKey | None, Side]]:
    """A role's verdicts as `changes` compares them: the roll-up, then each area or request."""
    yield None, None, _side(role.status, role.reasons, role.ground if role.status == "applies" else None)
    for area_id, verdict in (role.areas or {}).items():
        yield area_id, None, _side(verdict.status, verdict.reasons, verdict.ground)
    for entry in role.requests or ():
        case = entry.case
        yield None, (entry.force, entry.item, entry.area), _side(case.status, case.reasons, case.ground)


def changes(before: Report, after: Report, *, phase: str | None = None) -> list[Change]:
    """Every verdict that differs from `before` to `after`, roll-ups included, and nothing else.

    Roles come in the order of `after` (then any only `before` has); within a
    role, the roll-up first, then the areas and requests of `before` in order,
    then those only `after` has.
    """
    out: list[Change] = []
    role_ids = list(after.roles) + [r for r in before.roles if r not in after.roles]
    for role_id in role_ids:
        old = {(area, request): side for area, request, side in _maybe(before.roles.get(role_id))}
        new = {(area, request): side for area, request, side in _maybe(after.roles.get(role_id))}
        for key in list(old) + [k for k in new if k not in old]:
            a, b = old.get(key), new.get(key)
            if (a.status if a else None) != (b.status if b else None):
                out.append(Change(role_id, key[0], key[1], a, b, phase))
    return out


def _maybe(role: RoleReport | None) -> Iterator[tuple[str | None, RequestKey | None, Side]]:
    return verdicts(role) if role is not None else iter(())


# ----------------------------------------------------------------------------
# Words


def place(change: Change, area_names: dict[str, str] | None = None) -> str:
    """Where a change is, in words: `Taiwan Strait`, `transport in East Sea (other forces)`, or `overall`."""
    names = area_names or {}
    if change.area is not None:
        return names.get(change.area, change.area)
    if change.request is not None:
        force, item, area = change.request
        words = item.replace("_", " ")
        if area is not None:
            words += f" in {names.get(area, area)}"
        return words + (" (other forces)" if force != "us" else "")
    return "overall"


def status_words(status: str | None) -> str:
    """A status as people read it; a case missing on one side reads `(none)`."""
    return "(none)" if status is None else status.replace("_", " ")


_SENTENCE_END = re.compile(r"\.\s+(?=[A-Z(])")


def lead(text: str) -> str:
    """The gist of a reason: its first sentence, up to the colon that starts the explanation, if any.

    "Combat is going on in the area: minesweeping where fighting continues is
    not envisaged." reads "Combat is going on in the area".
    """
    end = _SENTENCE_END.search(text)
    sentence = text[: end.start()] if end else text.rstrip().rstrip(".")
    return sentence.split(": ", 1)[0]
