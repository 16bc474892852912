"""The rulebook as a person reads it: roles, concepts, grounds, conditions, limits, basis, procedures.

Three forms of the same content: plain text for the terminal, Markdown for
documents (docs/rulebook.md is generated from it), and JSON for programs.
"""

from __future__ import annotations

from typing import Any

from ..util.markdown import code
from ..util.markdown import escape as _escape
from ..util.text import cite, wrap
from . import conditions as cond
from .model import BEYOND_SEED, DIET_TEXT, Constraint, Ground, Named, Procedure, Role, Rulebook, Variant


def words(formula: cond.Formula, top: bool = True) -> str:
    """A condition in words: `area.kind is one of japan, high_seas; and area.combat is none`."""
    if isinstance(formula, cond.Compare):
        return formula.describe()
    if isinstance(formula, cond.ConceptRef):
        return f"concept {formula.concept}"
    if isinstance(formula, cond.Not):
        return f"not ({words(formula.item, False)})"
    if isinstance(formula, cond.Adjacent):
        return f"in the adjacent area: ({words(formula.item, False)})"
    if isinstance(formula, cond.SomeEvent):
        return f"some event in the area: ({words(formula.item, False)})"
    parts = [words(item, False) for item in formula.items]
    joiner = "and" if isinstance(formula, cond.AllOf) else "or"
    if len(parts) == 1:
        return parts[0]
    if top:
        return "; ".join(parts[:-1]) + f"; {joiner} " + parts[-1]
    return f"{'all' if joiner == 'and' else 'any'} of ({'; '.join(parts)})"


def formula_json(formula: cond.Formula) -> dict[str, Any]:
    """A condition as JSON: the tree, with each comparison spelled out (dates as YYYY-MM-DD)."""
    if isinstance(formula, cond.Compare):
        values = [cond.date_text(v) for v in formula.values] if formula.field.is_date else list(formula.values)
        return {"field": formula.field.path, "op": formula.op, "values": values}
    if isinstance(formula, cond.ConceptRef):
        return {"concept": formula.concept}
    if isinstance(formula, cond.Not):
        return {"not": formula_json(formula.item)}
    if isinstance(formula, cond.Adjacent):
        return {"adjacent": formula_json(formula.item)}
    if isinstance(formula, cond.SomeEvent):
        return {"some_event": formula_json(formula.item)}
    key = "all" if isinstance(formula, cond.AllOf) else "any"
    return {key: [formula_json(item) for item in formula.items]}


def subject_words(role: Role) -> str:
    subject = role.subject
    if subject.kind == "events":
        where = ", in its area" if subject.per_area else ""
        return f"each {' or '.join(subject.event_types)} event{where}"
    if subject.kind == "requests":
        return f"each request of operating forces for {', '.join(subject.items)}, where it is given"
    return {"areas": "each area of the scenario"}.get(subject.kind, "the scenario")


def _named_json(named: Named) -> dict[str, Any]:
    out: dict[str, Any] = {"id": named.id, "text": named.text, "when": formula_json(named.formula)}
    out["when_text"] = words(named.formula)
    if named.unmet:
        out["unmet"] = named.unmet
    out["basis"] = list(named.basis)
    if named.interpretation:
        out["interpretation"] = named.interpretation
    return out


def _when_json(when: Named | None) -> dict[str, Any]:
    if when is None:
        return {"when": None}
    return {"when": formula_json(when.formula), "when_text": words(when.formula)}


def _procedure_json(procedure: Procedure) -> dict[str, Any]:
    return {
        "decision": procedure.decision,
        "diet_approval": procedure.diet_approval,
        "diet_approval_text": DIET_TEXT[procedure.diet_approval],
        "steps": list(procedure.steps),
        "basis": list(procedure.basis),
    }


def _constraint_json(constraint: Constraint) -> dict[str, Any]:
    return {"text": constraint.text, "basis": list(constraint.basis), **_when_json(constraint.when)}


def _ground_json(ground: Ground) -> dict[str, Any]:
    out: dict[str, Any] = {"id": ground.id, "title": ground.title, "text": ground.text}
    if ground.when is None:
        out["when"] = None
        out["when_text"] = "whenever the role is triggered"
    else:
        out["when"] = formula_json(ground.when.formula)
        out["when_text"] = words(ground.when.formula)
    if ground.unmet:
        out["unmet"] = ground.unmet
    out["basis"] = list(ground.basis)
    if ground.interpretation:
        out["interpretation"] = ground.interpretation
    out["procedure"] = [{**_when_json(v.when), **_procedure_json(v.procedure)} for v in ground.variants]
    out["constraints"] = [_constraint_json(c) for c in ground.constraints]
    return out


def lineage(rulebook: Rulebook) -> str:
    """When a rulebook is in force, and which rulebook it extends: `In force from 2016-03-29. Extends ...`."""
    parts = []
    if rulebook.in_force:
        parts.append(f"In force from {rulebook.in_force}.")
    if rulebook.extends:
        parts.append(
            f"Extends rulebook {rulebook.extends}: the files it does not have are rulebook {rulebook.extends}'s, "
            "and those it has are merged into them by id."
        )
    return " ".join(parts)


def rulebook_json(rulebook: Rulebook) -> dict[str, Any]:
    """The whole rulebook as JSON."""
    return {
        "rulebook": rulebook.id,
        "title": rulebook.title,
        "description": rulebook.description,
        "in_force": rulebook.in_force,
        "extends": rulebook.extends,
        "sources": rulebook.sources,
        "concepts": [
            {"scope": c.scope, "title": c.title, **_named_json(c.named), "note": c.note}
            for c in rulebook.concepts.values()
        ],
        "roles": [
            {
                "id": role.id,
                "title": role.title,
                "seed": role.seed,
                "beyond_seed": role.beyond_seed,
                "summary": role.summary,
                "basis": list(role.basis),
                "subject": {
                    "kind": role.subject.kind,
                    "types": list(role.subject.event_types),
                    "items": list(role.subject.items),
                    "per_area": role.subject.per_area,
                    "text": subject_words(role),
                },
                "triggers": [_named_json(n) for n in role.triggers],
                "grounds": [_ground_json(g) for g in role.grounds],
                "limits": [_named_json(n) for n in role.limits],
                "constraints": [_constraint_json(c) for c in role.constraints],
                "notes": [{"text": t, "basis": list(b)} for t, b in role.notes],
            }
            for role in rulebook.roles
        ],
        "notices": [
            {
                "id": n.id,
                "subject": n.subject,
                "text": n.text,
                "when": formula_json(n.named.formula) if n.named else None,
                "basis": list(n.basis),
            }
            for n in rulebook.notices
        ],
    }


def _basis(basis: tuple[str, ...] | list[str]) -> str:
    return f" [{', '.join(basis)}]" if basis else ""


def _procedure_text(procedure: Procedure) -> str:
    return " ".join([procedure.decision, DIET_TEXT[procedure.diet_approval], *procedure.steps])


def escape(text: str) -> str:
    """A rule file's text in Markdown: escaped, its own code spans kept."""
    return _escape(text, keep_code=True)


def _basis_markdown(basis: tuple[str, ...] | list[str]) -> str:
    return f" \\[{escape(', '.join(basis))}\\]" if basis else ""


def _variants_markdown(variants: tuple[Variant, ...], indent: str) -> list[str]:
    if len(variants) == 1 and variants[0].when is None:
        p = variants[0].procedure
        return [f"{indent}- **Procedure:** {escape(_procedure_text(p))}{_basis_markdown(p.basis)}"]
    out = [f"{indent}- **Procedure** (the first that holds):"]
    for v in variants:
        when = f"when {escape(words(v.when.formula))}" if v.when is not None else "otherwise"
        procedure = escape(_procedure_text(v.procedure))
        out.append(f"{indent}  - *{when}:* {procedure}{_basis_markdown(v.procedure.basis)}")
    return out


def _constraint_markdown(c: Constraint) -> str:
    when = f" *(when {escape(words(c.when.formula))})*" if c.when is not None else ""
    return f"{escape(c.text)}{when}{_basis_markdown(c.basis)}"


def _constraint_words(c: Constraint) -> str:
    when = f" (when {words(c.when.formula)})" if c.when is not None else ""
    return f"{c.text}{when}{_basis(c.basis)}"


def _named_markdown(n: Named, mark: str = "") -> str:
    """`- id: text *(formula)* [basis]`, a trigger, condition or limit, escaped."""
    return f"  - {code(n.id)}: {escape(n.text)} *({escape(words(n.formula))})*{_basis_markdown(n.basis)}{mark}"


def _interpretation(text: str | None) -> str:
    return " *Interpretation:* " + escape(text) if text else ""


def rulebook_markdown(rulebook: Rulebook) -> str:
    """The rulebook as a Markdown document; every text the rule files give is escaped (`engine.util.markdown`)."""
    out = [f"# Rulebook {escape(rulebook.id)}: {escape(rulebook.title)}", ""]
    if rulebook.description:
        out += [escape(rulebook.description), ""]
    if lineage(rulebook):
        out += [escape(lineage(rulebook)), ""]
    option = f" --rulebook {rulebook.id}" if rulebook.extends else ""
    out += [
        f"Generated by {code(f'guidelines rules{option} --format markdown')} from the rule files; edit those, "
        "not this page.",
        "",
        "## Sources",
        "",
        "| tag | instrument |",
        "|---|---|",
    ]
    out += [f"| {code(tag, cell=True)} | {escape(text)} |" for tag, text in rulebook.sources.items()]
    out += ["", "## Concepts", ""]
    for concept in rulebook.concepts.values():
        named = concept.named
        out += [f"### {code(concept.id)}: {escape(concept.title)}", "", escape(named.text), ""]
        out.append(f"- **About:** {'the scenario' if concept.scope == 'scenario' else 'each area'}")
        out.append(f"- **Holds when:** {escape(words(named.formula))}")
        out.append(f"- **Basis:** {escape(', '.join(named.basis))}")
        if concept.note:
            out.append(f"- **Note:** {escape(concept.note)}")
        out.append("")
    out += ["## Roles", ""]
    for role in rulebook.roles:
        seed = f'*Seed: "{escape(role.seed)}"*' + (f" ({BEYOND_SEED})" if role.beyond_seed else "")
        out += [f"### {escape(role.title)} ({code(role.id)})", "", seed, ""]
        if role.summary:
            out += [escape(role.summary), ""]
        out.append(f"- **Basis:** {escape(', '.join(role.basis))}")
        out.append(f"- **Evaluated for:** {escape(subject_words(role))}")
        out.append("- **Triggered when** (all):")
        out += [_named_markdown(n) for n in role.triggers]
        out.append("- **Applies on any of these grounds** (the first that holds is named):")
        for g in role.grounds:
            when = f" *(when {escape(words(g.when.formula))})*" if g.when is not None else " *(whenever triggered)*"
            head = f"{code(g.id)} **{escape(g.title)}**: {escape(g.text)}"
            out.append(f"  - {head}{when}{_basis_markdown(g.basis)}{_interpretation(g.interpretation)}")
            out += _variants_markdown(g.variants, "    ")
            out += [f"    - **Constraint:** {_constraint_markdown(c)}" for c in g.constraints]
        if role.limits:
            out.append("- **Limits named when it is blocked** (any):")
            out += [_named_markdown(n, _interpretation(n.interpretation)) for n in role.limits]
        if role.constraints:
            out.append("- **Constraints when it applies:**")
            out += [f"  - {_constraint_markdown(c)}" for c in role.constraints]
        if role.notes:
            out.append("- **Notes:**")
            out += [f"  - {escape(t)}{_basis_markdown(b)}" for t, b in role.notes]
        out.append("")
    out += ["## Notices", ""]
    for notice in rulebook.notices:
        when = f" *(when {escape(words(notice.named.formula))})*" if notice.named else " *(always)*"
        out.append(f"- {code(notice.id)}: {escape(notice.text)}{when}{_basis_markdown(notice.basis)}")
    return "\n".join(out) + "\n"


NARROW = 60  # columns under which the text of `rules` is a list, each label above its text, not beside it


def rulebook_text(rulebook: Rulebook, width: int = 100) -> str:
    """The rulebook as plain text for the terminal."""
    out: list[str] = wrap(f"RULEBOOK {rulebook.id}: {rulebook.title}", width)
    if lineage(rulebook):
        out += wrap(lineage(rulebook), width)
    out.append("")

    def row(label: str, text: str, indent: int = 2, hang: int = 15) -> None:
        if width < NARROW:  # a list: each label on a line of its own, its text under it
            hang = indent + 4
        if len(label) >= hang - indent - 1:  # a label as wide as its column stands on its own line
            out.append(" " * indent + label)
            label = ""
        lead = " " * indent + f"{label:<{hang - indent - 1}} "
        body = wrap(text, width - len(lead))
        out.append(lead + body[0])
        out.extend(" " * len(lead) + line for line in body[1:])

    def procedures(variants: tuple[Variant, ...], label: str = "procedure", lead: str = "") -> None:
        for i, v in enumerate(variants):
            when = "" if v.when is None and len(variants) == 1 else "otherwise: "
            if v.when is not None:
                when = f"when {words(v.when.formula)}: "
            text = f"{lead}{when}{v.procedure.decision} {DIET_TEXT[v.procedure.diet_approval]}"
            row(label if i == 0 else "", text)

    out.append("CONCEPTS")
    for concept in rulebook.concepts.values():
        row(concept.id, concept.named.text, hang=22)
        row("", f"holds when {words(concept.named.formula)}{cite(concept.named.basis)}", hang=22)
    for role in rulebook.roles:
        beyond = f"  ({BEYOND_SEED})" if role.beyond_seed else ""
        out += [""] + wrap(f'{role.title.upper()}  ({role.id})  "{role.seed}"{beyond}', width)
        row("basis", ", ".join(role.basis))
        row("for", subject_words(role))
        for i, n in enumerate(role.triggers):
            row("triggered" if i == 0 else "", f"{n.id}: {n.text}")
            row("", f"  when {words(n.formula)}{cite(n.basis)}")
        for i, g in enumerate(role.grounds):
            row("grounds" if i == 0 else "", f"{g.id} ({g.title}): {g.text}")
            when = words(g.when.formula) if g.when is not None else "whenever triggered"
            row("", f"  when {when}{cite(g.basis)}")
            procedures(g.variants, "", "  procedure ")
            for c in g.constraints:
                row("", "  constraint: " + _constraint_words(c))
        for i, n in enumerate(role.limits):
            row("limits" if i == 0 else "", f"{n.id}: {n.text}")
            row("", f"  when {words(n.formula)}{cite(n.basis)}")
        for i, c in enumerate(role.constraints):
            row("constraints" if i == 0 else "", _constraint_words(c))
    out += ["", "NOTICES"]
    for notice in rulebook.notices:
        when = f"when {words(notice.named.formula)}" if notice.named else "always"
        row(notice.id, f"({when}) {notice.text}", hang=22)
    return "\n".join(out)


# -- what each rule rests on (`guidelines rules --sources`) ----------------------------------

KIND_WORDS = {
    "statute": "statute",
    "statute_outside_pack": "statute not in the source pack",
    "guidelines": "Guidelines",
    "government_answer": "government answer",
    "cabinet_decision": "Cabinet decision",
    "white_paper": "white paper",
}
SECONDARY = ("statute_outside_pack", "government_answer", "cabinet_decision", "white_paper")


def rule_sources(rulebook: Rulebook) -> list[dict[str, Any]]:
    """Per ground and limit of every role: the kinds of source its basis cites, statute first."""
    order = list(KIND_WORDS)
    out = []
    for role in rulebook.roles:
        items: list[tuple[str, Any]] = [("ground", g) for g in role.grounds] + [("limit", n) for n in role.limits]
        for kind, item in items:
            kinds = sorted({source_kind(rulebook, b) for b in item.basis}, key=_kind_rank(order))
            out.append(
                {
                    "role": role.id,
                    "kind": kind,
                    "id": item.id,
                    "sources": kinds,
                    "secondary": any(k in SECONDARY for k in kinds),
                    "interpretation": bool(item.interpretation),
                    "basis": list(item.basis),
                }
            )
    return out


def source_kind(rulebook: Rulebook, provision: str) -> str:
    """What a provision is: the kind its longest prefix in `source_kinds` gives (a tag, or a tag and article)."""
    found = [k for k in rulebook.source_kinds if provision == k or provision.startswith(k + " ")]
    return rulebook.source_kinds[max(found, key=len)] if found else "unclassified"


def _kind_rank(order: list[str]) -> Any:
    return lambda kind: order.index(kind) if kind in order else len(order)


def rule_sources_text(rulebook: Rulebook, width: int) -> str:
    """`rules --sources` as text: one line per ground and limit, the kinds of source it rests on."""
    lines = [
        *wrap(f"Rulebook {rulebook.id}: what each ground and limit rests on", width),
        *wrap(
            "statute: a statute text in the source pack; * marks a rule that rests (also) on a "
            "secondary source, (i) one the rulebook marks as its interpretation.",
            width,
        ),
    ]
    current = None
    for entry in rule_sources(rulebook):
        if entry["role"] != current:
            current = entry["role"]
            lines += ["", current]
        prefix = "  " + ("*" if entry["secondary"] else " ") + ("(i)" if entry["interpretation"] else "   ") + " "
        kinds = ", ".join(KIND_WORDS.get(k, k) for k in entry["sources"])
        first, *rest = wrap(f"{entry['kind']} {entry['id']}: {kinds}", width - len(prefix))
        lines.append(prefix + first)
        if rest:
            hang = len(prefix) + 2 if width >= NARROW else 4  # a long id keeps to the width when narrow
            lines += [" " * hang + line for line in wrap(" ".join(rest), width - hang)]
    return "\n".join(lines) + "\n"


def rule_sources_markdown(rulebook: Rulebook) -> str:
    """`rules --sources` as a Markdown table."""
    lines = [
        f"# Rulebook {_escape(rulebook.id)}: what each ground and limit rests on",
        "",
        "| role | rule | rests on | secondary | interpretation |",
        "|---|---|---|---|---|",
    ]
    for e in rule_sources(rulebook):
        kinds = ", ".join(KIND_WORDS.get(k, k) for k in e["sources"])
        lines.append(
            f"| {code(e['role'])} | {e['kind']} {code(e['id'])} | {_escape(kinds)} | {'yes' if e['secondary'] else ''} "
            f"| {'yes' if e['interpretation'] else ''} |"
        )
    return "\n".join(lines) + "\n"
