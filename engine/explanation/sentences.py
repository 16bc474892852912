"""An explanation in sentences, for a reader who does not read rule files (`guidelines explain`).

For each case it says whether the role arises there, which legal ground holds
or why none does, and what blocks it, each condition as a sentence with what
the scenario held: "Met: the area is Japanese territory or the high seas around
Japan (here: the high seas around Japan)". Field paths, concept ids and event
indexes stay in the technical trace (`--trace`) and the JSON.
"""

from __future__ import annotations

from typing import Any

from ..render.legend import STATUS_WORDS, Citations
from ..render.text import header_lines, sources_lines, status_heading
from ..rulebook import conditions as cond
from ..util.text import Style, beside, plain, wrap
from .explanations import CaseExplanation, Check, Explanation, Item, RoleExplanation
from .phrases import compare_words, subject_words, value_words


def render_sentences(
    explanation: Explanation, *, width: int = 80, style: Style | None = None, cite_full: bool = False
) -> str:
    """The explanation in plain words, wrapped to `width`."""
    paint = style or plain
    report = explanation.report
    writer = _Lines(width, Citations(report.sources, cite_full), explanation.concepts)
    writer.lines.extend(header_lines(report, width, paint))
    for role_id, role in explanation.roles.items():
        writer.lines.append("")
        heading = status_heading(report.roles[role_id]) if role_id in report.roles else STATUS_WORDS[role.status]
        writer.lines.extend(beside(paint(role.role.title.upper(), bold=True), paint(heading, bold=True), width))
        if not role.cases:
            writer.say(2, role.role.subject.missing.replace("this area", "any area"))
            writer.say(2, role.would_trigger.replace("Triggered by", "It would arise with"))
        if role.empty_areas:
            names = [report.area_names.get(a, a) for a in role.empty_areas]
            writer.say(2, f"{', '.join(names)}: {role.role.subject.missing}")
        for case in role.cases:
            writer.lines.append("")
            _case(writer, case, role, report.area_names, paint)
    writer.lines.extend(sources_lines(writer.cites, width, paint))
    return "\n".join(writer.lines)


class _Lines:
    def __init__(self, width: int, cites: Citations, concepts: dict[str, Any]) -> None:
        self.width = width
        self.cites = cites
        self.concepts = concepts
        self.lines: list[str] = []

    def say(self, indent: int, text: str, hang: int = 2) -> None:
        """`text` at `indent`, its further lines `hang` columns further in."""
        indent = max(0, min(indent, self.width - hang - 20))  # a narrow terminal: deep lines come out
        body = wrap(text, self.width - indent - hang)
        first = wrap(text, self.width - indent)[0]
        rest = wrap(text[len(first) :].strip(), self.width - indent - hang) if len(body) > 1 else []
        self.lines.append(" " * indent + first)
        self.lines.extend(" " * (indent + hang) + line for line in rest if line)


def _case(out: _Lines, case: CaseExplanation, role: RoleExplanation, names: dict[str, str], paint: Style) -> None:
    subject = case.case.subject
    kind = subject.get("t", "scenario")
    area = names.get(case.case.area, case.case.area) if case.case.area else None
    who = subject_words(case.case.label, kind, area)
    status = case.case.status
    verdict = STATUS_WORDS[status]
    ground = next((i for i in case.grounds if i.held), None)
    if status == "applies" and ground is not None:
        title = _ground_title(role, ground.id)
        verdict += f", on the ground of {title}" if title else ""
    out.say(2, f"{who}: {paint(verdict, bold=True)}" if paint is plain else f"{who}: {verdict}")
    if status == "not_triggered":
        for item in case.triggers:
            if not item.held:
                out.say(4, f"It does not arise: {item.text}{out.cites.text(item.basis)}", 4)
                _check_lines(out, item.check, 8, top=True)
        return
    arises = [i for i in case.triggers if i.held]
    if arises:
        out.say(4, "It arises: " + " ".join(i.text for i in arises) + out.cites.text(_basis(arises)), 4)
    if status == "applies" and ground is not None:
        _ground(out, role, ground, "Applies on")
        others = [i for i in case.grounds if i.held and i is not ground]
        if others:
            out.say(4, "Other grounds that hold too: " + ", ".join(_ground_title(role, i.id) for i in others) + ".")
        used = next((i for i in case.procedure if i.held), None)
        if used is not None:
            out.say(4, f"How it is decided: {used.text.removesuffix(' (used)')}{out.cites.text(used.basis)}", 4)
        for item in case.constraints:
            if item.held:
                out.say(4, f"Constraint: {item.text}{out.cites.text(item.basis)}", 4)
        return
    grounds = case.grounds or []
    if grounds:
        out.say(4, "No legal ground holds:" if len(grounds) > 1 else "Its ground does not hold:")
        for item in grounds:
            _ground(out, role, item, "", indent=6)
    blocking = [i for i in case.limits if i.held]
    if blocking:
        out.say(4, "What blocks it:")
        for item in blocking:
            out.say(6, f"- {item.text}{out.cites.text(item.basis)}", 2)
    else:
        out.say(4, "No limit of the rulebook names why: a gap `guidelines check` reports.")


def _ground(out: _Lines, role: RoleExplanation, item: Item, label: str, indent: int = 4) -> None:
    title = _ground_title(role, item.id) or item.id
    if label:
        head = f"{label} {title}: "
    else:
        head = f"{_capital(title)} ({'holds' if item.held else 'does not hold'}): "
    out.say(indent, f"{head}{item.text}{out.cites.text(item.basis)}", 4)
    _check_lines(out, item.check, indent + 4, top=True)


def _ground_title(role: RoleExplanation, ground_id: str) -> str:
    for ground in role.role.grounds:
        if ground.id == ground_id:
            title = ground.title or ""
            return title[0].lower() + title[1:] if len(title) > 1 and title[1].islower() else title
    return ""


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower(text: str) -> str:
    """A sentence made a clause: its first letter in lower case, unless it starts a name."""
    return text[:1].lower() + text[1:] if len(text) > 1 and (text[1].islower() or text[1] == " ") else text


def _basis(items: list[Item]) -> list[str]:
    return list(dict.fromkeys(b for i in items for b in i.basis))


def _mark(held: bool) -> str:
    return "Met" if held else "Not met"


def _check_lines(out: _Lines, check: Check | None, indent: int, top: bool = False) -> None:
    """A condition's parts, one sentence each, nested as the condition is."""
    if check is None or check.formula is None:
        if check is not None:
            out.say(indent, f"{_mark(check.held)}: {check.text}", 4)
        return
    formula = check.formula
    if top and isinstance(formula, cond.AllOf):
        for child in check.children:  # a ground or limit holds when all its parts do: each part on its own line
            _check_lines(out, child, indent)
        return
    if isinstance(formula, cond.Compare):
        out.say(indent, f"{_mark(check.held)}: {compare_words(formula)}{_here(check)}", 4)
    elif isinstance(formula, cond.Not) and check.children and isinstance(check.children[0].formula, cond.Compare):
        inner = check.children[0]
        out.say(indent, f"{_mark(check.held)}: {compare_words(inner.formula, negate=True)}{_here(inner)}", 4)
    elif isinstance(formula, cond.Not):
        out.say(indent, f"{_mark(check.held)}: it is not so that:")
        for child in check.children:
            _check_lines(out, child, indent + 4)
    elif isinstance(formula, (cond.AllOf, cond.AnyOf)):
        if isinstance(formula, cond.AllOf):
            words = "All of these hold:" if check.held else "Not all of these hold:"
        else:
            words = "One of these holds:" if check.held else "None of these holds:"
        out.say(indent, words)
        for child in check.children:
            _check_lines(out, child, indent + 4)
    elif isinstance(formula, cond.ConceptRef):
        concept = out.concepts.get(formula.concept)
        text = concept.named.text if concept else ""  # Met / Not met says whether it holds
        limb = _limb(check) if concept and check.held else None
        if limb:  # a concept met on one limb of its `any`: name that limb, not the whole definition
            out.say(indent, f"{_mark(True)}: {concept.title.lower()}: {limb}", 4)
        else:
            out.say(indent, f"{_mark(check.held)}: {_lower(text) or formula.concept}", 4)
    elif isinstance(formula, cond.Adjacent):
        out.say(indent, f"{_mark(check.held)}: {check.text}" + (":" if check.children else ""))
        for child in check.children:
            _check_lines(out, child, indent + 4, top=True)
    elif isinstance(formula, cond.SomeEvent):
        found = check.event_words or []
        here = f" (here: {'; '.join(found)})" if found else " (here: no such event)"
        out.say(indent, f"{_mark(check.held)}: an event in the area where {_formula_words(formula.item, out)}{here}", 4)
    else:
        out.say(indent, f"{_mark(check.held)}: {check.text}", 4)


def _limb(check: Check) -> str | None:
    """The limb of a met concept's `any` that held, in words ("the area is Japanese territory"), if it has one."""
    inner = check.children[0] if len(check.children) == 1 else None
    if inner is None or not isinstance(inner.formula, cond.AnyOf):
        return None
    held = next((child for child in inner.children if child.held), None)
    parts = held.children if held is not None and isinstance(held.formula, cond.AllOf) else [held]
    if held is None or not all(p is not None and isinstance(p.formula, cond.Compare) for p in parts):
        return None
    return " and ".join(compare_words(p.formula) for p in parts if p is not None)


def _here(check: Check) -> str:
    shown = value_words(check.field or "", check.value) if check.field else None
    return f" (here: {shown})" if shown else ""


def _formula_words(formula: Any, out: _Lines) -> str:
    """A whole condition as one phrase, for what `some_event:` looks for."""
    if isinstance(formula, cond.Compare):
        return compare_words(formula)
    if isinstance(formula, cond.Not):
        if isinstance(formula.item, cond.Compare):
            return compare_words(formula.item, negate=True)
        return f"not ({_formula_words(formula.item, out)})"
    if isinstance(formula, cond.ConceptRef):
        concept = out.concepts.get(formula.concept)
        return concept.title.lower() if concept else formula.concept
    if isinstance(formula, (cond.AllOf, cond.AnyOf)):
        joiner = " and " if isinstance(formula, cond.AllOf) else " or "
        return joiner.join(_formula_words(item, out) for item in formula.items)
    return formula.describe()
