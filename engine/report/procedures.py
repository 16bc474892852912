"""How a role's verdict is decided: the procedures of the grounds used, once each, and the strictest Diet approval."""

from __future__ import annotations

from typing import Any

from ..rulebook.model import DIET_RANK, Ground, Procedure, Role


def procedures_of(role: Role, used: frozenset[tuple[str, int]]) -> list[tuple[Ground, Procedure]]:
    """The (ground, procedure) pairs of the variants the evaluation used (all of them when none is named)."""
    return [
        (ground, variant.procedure)
        for ground in role.grounds
        for i, variant in enumerate(ground.variants)
        if not used or (ground.id, i) in used
    ]


# The procedure keys of a role's report depend only on which procedures were used: worked out once for each.
_PROCEDURES: dict[tuple[int, frozenset[tuple[str, int]]], tuple[Role, dict[str, Any]]] = {}


def procedures_json(role: Role, used: frozenset[tuple[str, int]]) -> dict[str, Any]:
    """A role's procedure keys of the JSON report: its steps, each ground's procedure, the strictest approval."""
    cached = _PROCEDURES.get((id(role), used))
    if cached is not None and cached[0] is role:
        return cached[1]
    procedures = procedures_of(role, used)
    out = {
        "procedure": [line for procedure in distinct(procedures) for line in procedure.lines()],
        "procedures": [
            {
                "ground": g.id,
                "decision": p.decision,
                "diet_approval": p.diet_approval,
                "steps": list(p.steps),
                "basis": list(p.basis),
            }
            for g, p in procedures
        ],
        "diet_approval": strictest(p.diet_approval for _, p in procedures),
    }
    if len(_PROCEDURES) > 10_000:
        _PROCEDURES.clear()
    _PROCEDURES[(id(role), used)] = (role, out)
    return out


def distinct(procedures: list[tuple[Ground, Procedure]]) -> list[Procedure]:
    """The procedures, each once (grounds without their own share the role's)."""
    return list(dict.fromkeys(procedure for _, procedure in procedures))


def strictest(approvals: Any) -> str:
    """The strictest Diet approval among several: prior, then prior_or_after, then none."""
    return max(approvals, key=DIET_RANK.__getitem__, default="none")
