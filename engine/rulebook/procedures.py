"""A ground's procedure as the loader reads it (one, or variants each chosen by a `when`), and the laws in force a
ground rests on: its `when` holds only from the day its law came into force, and a limit says why before then.
"""

from __future__ import annotations

import re
from typing import Any

from ..scenario.fields import FIELDS
from . import conditions as cond
from .extend import RuleDocument
from .model import Named, Procedure, Variant
from .reader import Reader, Unnamed, named_item, problem, validated
from .rulefiles import InForceSpec, ProcedureSpec, VariantSpec


def before(in_force: InForceSpec, line: int | None) -> cond.Formula:
    """`date: {before: <in force>}`: false for an undated scenario, so an undated one is read as in force."""
    return cond.Compare(FIELDS["date"], "before", (int(in_force.date.strftime("%Y%m%d")),), line)


def in_force_from(in_force: InForceSpec, formula: cond.Formula, line: int | None) -> cond.Formula:
    """`formula`, holding only from the day the law came into force."""
    return cond.AllOf((cond.Not(before(in_force, line), line), formula), line)


def in_force_when(
    document: RuleDocument, loc: tuple[Any, ...], ground: Any, when: Named | None, in_force: InForceSpec
) -> Named:
    """A ground's `when`, holding only once its law is in force (the ground's own `when` may be None)."""
    path, position = document.where(loc)
    line = position[0] if position else None
    if when is None:
        formula: cond.Formula = cond.Not(before(in_force, line), line)
        return Named(ground.id, ground.text, formula, tuple(ground.basis), ground.unmet, file=path, line=line)
    return when._replace(formula=in_force_from(in_force, when.formula, line))


def not_in_force_limits(
    document: RuleDocument, laws: list[tuple[InForceSpec, tuple[Any, ...]]], taken: set[str]
) -> tuple[Named, ...]:
    """One limit per law a role's grounds rest on: before that law came into force, it says why nothing holds.

    It is placed where the first `in_force` naming the law is written, so reports and coverage can point at it.
    """
    out: dict[str, Named] = {}
    for law, loc in laws:
        limit_id = "not_in_force_" + "_".join(re.findall(r"[a-z0-9]+", law.law.lower()))
        if limit_id in out or limit_id in taken:
            continue
        day = law.date.isoformat() + (f"; {law.date_note}" if law.date_note else "")
        path, position = document.where(loc)
        out[limit_id] = Named(
            limit_id,
            f"{law.law} was not yet in force on the scenario's date (in force from {day}).",
            before(law, None),
            tuple(law.basis),
            file=path,
            line=position[0] if position else None,
        )
    return tuple(out.values())


def procedure(reader: Reader, document: RuleDocument, loc: tuple[Any, ...], data: Any) -> Procedure | None:
    spec = validated(reader, document, loc, ProcedureSpec, data)
    return None if spec is None else procedure_of(reader, document, loc, spec)


def procedure_of(reader: Reader, document: RuleDocument, loc: tuple[Any, ...], spec: ProcedureSpec) -> Procedure:
    basis = reader.basis(document, loc + ("basis",), spec.basis)
    return Procedure(spec.decision, spec.diet_approval, tuple(spec.steps), basis)


def variants(
    reader: Reader, parser: cond.Parser, document: RuleDocument, loc: tuple[Any, ...], data: Any, scope: cond.Scope
) -> tuple[Variant, ...]:
    """A ground's procedure: one mapping, or a list of variants each with a `when` but the last."""
    if data is None:
        return ()
    if isinstance(data, dict):
        if "when" in data:
            problem(
                reader,
                document,
                loc + ("when",),
                "a single procedure has no `when`; list variants to choose between",
                key=True,
            )
        found = procedure(reader, document, loc, data)
        return (Variant(found),) if found else ()
    if not isinstance(data, list) or not data:
        problem(reader, document, loc, "`procedure` is a mapping, or a non-empty list of variants")
        return ()
    out = []
    for i, item in enumerate(data):
        spec = validated(reader, document, loc + (i,), VariantSpec, item)
        if spec is None:
            continue
        last = i == len(data) - 1
        if last and spec.when is not None:
            problem(
                reader,
                document,
                loc + (i, "when"),
                "the last variant has no `when`: it is the one used otherwise",
                key=True,
            )
        if not last and spec.when is None:
            problem(reader, document, loc + (i,), "every variant but the last says `when` it is used")
        chosen = procedure_of(reader, document, loc + (i,), spec)
        when = None
        if spec.when is not None:
            when = named_item(
                reader, parser, document, loc + (i,), Unnamed(f"variant {i + 1}", spec.when, []), scope,
                text=spec.decision,
            )  # fmt: skip
        out.append(Variant(chosen, when))
    return tuple(out)
