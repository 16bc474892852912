"""What changed between two reports, and why: one notion behind `compare`, `diff` and a crisis timeline.

Two reports of the same scenario under two rulebooks (`compare`), of two
scenarios (`diff`), or of two consecutive phases of one crisis are set side by
side verdict by verdict: each role's roll-up, each area of an area role, each
request of a request role (matched by force, item and place). A change is a
verdict that differs, with the reasons and basis on each side; a case present
on one side only has the other side's status None. Its kind is the first of
these that holds: `status` (the status differs), `ground` (the same status,
but it applies on another ground, or another set of limits blocks it) or
`procedure` (the same status and ground, but who decides it or whether and
when the Diet must approve it differs). A change of status says too which of
the others changed with it. Nothing else is a change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from ..rulebook.model import Procedure
from .model import Case, Reason, Report, RoleReport
from .procedures import strictest

RequestKey = tuple[str, str, "str | None"]  # force, item, area (None: inside Japan)


class Decided(NamedTuple):
    """How an applying verdict is decided: its procedures' decisions, each once, and the strictest Diet approval."""

    decisions: tuple[str, ...]
    diet_approval: str  # none | prior_or_after | prior

    def as_dict(self) -> dict[str, Any]:
        return {"decisions": list(self.decisions), "diet_approval": self.diet_approval}


class Side(NamedTuple):
    """One side of a compared verdict: its status, the reasons and basis behind it, its ground, the limits that
    block it, and how it is decided where it applies."""

    status: str
    reasons: tuple[str, ...]
    basis: tuple[str, ...]
    ground: str | None
    limits: tuple[str, ...] = ()  # the ids of the limits that hold, where it is blocked
    procedure: Decided | None = None  # None: it does not apply


def _aspects(side: Side | None) -> dict[str, Any]:
    """What a change compares of one side, by the key of the `changed` entry."""
    if side is None:
        return {"status": None, "ground": None, "limits": None, "procedure": None}
    return {"status": side.status, "ground": side.ground, "limits": side.limits or None, "procedure": side.procedure}


def differences(before: Side | None, after: Side | None, *, wording: bool = True) -> dict[str, tuple[Any, Any]]:
    """What differs between two sides of a verdict, `{aspect: (from, to)}`: status, ground, limits, procedure.

    Without `wording` (two rulebooks, each wording its procedures its own way), a procedure differs only where
    the Diet's approval does.
    """
    old, new = _aspects(before), _aspects(after)
    out = {key: (old[key], new[key]) for key in old if old[key] != new[key]}
    if not wording and "procedure" in out and old["procedure"] and new["procedure"]:
        if old["procedure"].diet_approval == new["procedure"].diet_approval:
            del out["procedure"]
    return out


def kind_of(differs: dict[str, Any]) -> str | None:
    """The kind of a change: `status`, else `ground` (the ground or the limits), else `procedure`; None: none."""
    if "status" in differs:
        return "status"
    if "ground" in differs or "limits" in differs:
        return "ground"
    return "procedure" if "procedure" in differs else None


class Change(NamedTuple):
    """One verdict that differs between two reports."""

    role: str
    area: str | None  # the area of an area role's entry; None for a roll-up or a request
    request: RequestKey | None  # the request of a request role's entry; None otherwise
    before: Side | None  # None: the case is not there on this side
    after: Side | None
    phase: str | None = None  # the phase it happened in, in a crisis timeline
    same_rulebook: bool = True  # False: each side under its own rulebook, whose procedures are worded its own way

    @property
    def is_roll_up(self) -> bool:
        return self.area is None and self.request is None

    @property
    def differs(self) -> dict[str, tuple[Any, Any]]:
        """What differs, `{aspect: (from, to)}`: status, ground, limits, procedure (see `differences`)."""
        return differences(self.before, self.after, wording=self.same_rulebook)

    @property
    def kind(self) -> str:
        """`status`, `ground` or `procedure`: what changed first (a change of status may carry the others)."""
        return kind_of(self.differs) or "status"

    def as_dict(self) -> dict[str, Any]:
        """The change entry of the report contract, plus each side's basis and ground, the change's `kind`, and
        what `changed` besides the status, each `{"from", "to"}`: ground, limits, procedure."""
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
        differs = self.differs
        out["kind"] = kind_of(differs) or "status"
        out["changed"] = {
            key: {"from": _json(old), "to": _json(new)} for key, (old, new) in differs.items() if key != "status"
        }
        return out


def _json(value: Any) -> Any:
    if isinstance(value, Decided):
        return value.as_dict()
    return list(value) if isinstance(value, tuple) else value


def _side(status: str, reasons: list[Reason], ground: Any, procedures: list[Procedure]) -> Side:
    basis: dict[str, None] = {}
    for reason in reasons:
        basis.update(dict.fromkeys(reason.basis))
    limits = tuple(dict.fromkeys(r.id for r in reasons if r.kind == "limit")) if status == "blocked" else ()
    decided = None
    if status == "applies" and procedures:
        decisions = tuple(dict.fromkeys(p.decision for p in procedures))
        decided = Decided(decisions, strictest(p.diet_approval for p in procedures))
    ground_id = ground.id if ground is not None else None
    return Side(status, tuple(r.text for r in reasons), tuple(basis), ground_id, limits, decided)


def _procedures(cases: list[Case]) -> list[Procedure]:
    """The procedures the applying cases are decided by (the variant that holds for each)."""
    return [c.applied.procedure[2] for c in cases if c.status == "applies" and c.applied and c.applied.procedure]


def verdicts(role: RoleReport) -> Iterator[tuple[str | None, RequestKey | None, Side]]:
    """A role's verdicts as `changes` compares them: the roll-up, then each area or request."""
    applies = role.status == "applies"
    rolled = [p for _, p in role.procedures()] if applies else []
    yield None, None, _side(role.status, role.reasons, role.ground if applies else None, rolled)
    for area_id, verdict in (role.areas or {}).items():
        yield area_id, None, _side(verdict.status, verdict.reasons, verdict.ground, _procedures(verdict.cases))
    for entry in role.requests or ():
        case = entry.case
        side = _side(case.status, case.reasons, case.ground, _procedures([case]))
        yield None, (entry.force, entry.item, entry.area), side


def changes(before: Report, after: Report, *, phase: str | None = None) -> list[Change]:
    """Every verdict that differs from `before` to `after` (its status, ground, limits or procedure), roll-ups
    included, and nothing else.

    Roles come in the order of `after` (then any only `before` has); within a
    role, the roll-up first, then the areas and requests of `before` in order,
    then those only `after` has.
    """
    out: list[Change] = []
    same = before.rulebook == after.rulebook
    role_ids = list(after.roles) + [r for r in before.roles if r not in after.roles]
    for role_id in role_ids:
        old = {(area, request): side for area, request, side in _maybe(before.roles.get(role_id))}
        new = {(area, request): side for area, request, side in _maybe(after.roles.get(role_id))}
        for key in list(old) + [k for k in new if k not in old]:
            a, b = old.get(key), new.get(key)
            if differences(a, b, wording=same):
                out.append(Change(role_id, key[0], key[1], a, b, phase, same))
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
