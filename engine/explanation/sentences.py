"""An explanation in sentences, for a reader who does not read rule files (`guidelines explain`).

For each case it says whether the role arises there, which legal ground holds
or why none does, and what blocks it, with what the scenario held: "Met: the
area is the high seas around Japan or distant high seas (here: the high seas
around Japan)". It reads as prose, not as the condition tree: cases whose
reasons read alike are explained once under all their names ("Taiwan Strait
and East China Sea: applies ..."), what all the cases of a role share (why it
arises, how it is decided) is said once for the role, a ground told already is
"as above". Of a failed `all` only the parts that failed are named, a failed
comparison as what holds instead ("Instead: the mines are still active"), and
a failed `any` lists its options once ("None of these holds: a; b"). Field
paths, concept ids, event indexes and every part of every condition stay in
the technical trace (`--trace`) and the JSON.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from ..render.legend import STATUS_WORDS, Citations
from ..render.text import header_lines, sources_lines, status_heading
from ..rulebook import conditions as cond
from ..util.text import Style, beside, plain, wrap
from .explanations import CaseExplanation, Check, Explanation, Item, RoleExplanation
from .phrases import compare_words, holding_values, subject_words, value_words


def render_sentences(
    explanation: Explanation, *, width: int = 80, style: Style | None = None, cite_full: bool = False
) -> str:
    """The explanation in plain words, wrapped to `width`: cases whose reasons read the same are explained once,
    under all their names ("Taiwan Strait and East China Sea: applies ..."), and what every case of a role shares
    (why it arises, how it is decided) is said once for the role."""
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
        elif role.empty_areas:
            names = [report.area_names.get(a, a) for a in role.empty_areas]
            writer.say(2, f"{_join(names)}: {role.role.subject.missing}")
        _role_cases(writer, role, report.area_names, paint)
    writer.lines.extend(sources_lines(writer.cites, width, paint))
    return "\n".join(writer.lines)


def _role_cases(out: _Lines, role: RoleExplanation, names: dict[str, str], paint: Style) -> None:
    """A role's cases, those whose reasons read alike told once; what all of them share said first, once."""
    trial = _Lines(out.width, Citations(out.cites.sources, out.cites.full), out.concepts)  # cites nothing shown
    groups: dict[tuple[str, ...], list[CaseExplanation]] = {}
    for case in role.cases:  # cases alike in every word of their reasons
        trial.lines = []
        _case(trial, case, role, _Shared(False, False), set())
        groups.setdefault((case.case.status, case.case.subject.get("t", "scenario"), *trial.lines), []).append(case)
    arising = {_arises(trial, case) if case.case.status != "not_triggered" else None for case in role.cases}
    applying = [case for case in role.cases if case.case.status == "applies"]
    deciding = {_decided(trial, case) for case in applying}
    several = len(groups) > 1
    several_apply = sum(1 for cases in groups.values() if cases[0].case.status == "applies") > 1
    shared = _Shared(
        several and len(arising) == 1 and None not in arising,
        several_apply and len(deciding) == 1 and None not in deciding,
    )
    if shared.arises:
        out.say(2, _arises(out, role.cases[0]) or "", 2)
    if shared.decided:
        out.say(2, "Wherever it applies, how" + (_decided(out, applying[0]) or "").removeprefix("How"), 2)
    described: set[str] = set()
    for index, cases in enumerate(groups.values()):
        if index or shared.arises or shared.decided or role.empty_areas:  # a role's one case follows its heading
            out.lines.append("")
        _heading(out, cases, role, names, paint)
        _case(out, cases[0], role, shared, described)


class _Shared(NamedTuple):
    """What the role's lines say once for all its cases, and so each case leaves out."""

    arises: bool
    decided: bool


def _arises(out: _Lines, case: CaseExplanation) -> str | None:
    arises = [i for i in case.triggers if i.held]
    if not arises:
        return None
    return "It arises: " + " ".join(i.text for i in arises) + out.cites.text(_basis(arises))


def _decided(out: _Lines, case: CaseExplanation) -> str | None:
    used = next((i for i in case.procedure if i.held), None)
    if used is None:
        return None
    return f"How it is decided: {used.text.removesuffix(' (used)')}{out.cites.text(used.basis)}"


def _heading(
    out: _Lines, cases: list[CaseExplanation], role: RoleExplanation, names: dict[str, str], paint: Style
) -> None:
    """The cases' names and their verdict: "Taiwan Strait and East China Sea: applies, on the ground of ..."."""
    case = cases[0]
    status = case.case.status
    verdict = STATUS_WORDS[status]
    ground = next((i for i in case.grounds if i.held), None)
    if status == "applies" and ground is not None:
        title = _ground_title(role, ground.id)
        verdict += f", on the ground of {title}" if title else ""
    who = _who(cases, names)
    out.say(2, f"{who}: {paint(verdict, bold=True)}" if paint is plain else f"{who}: {verdict}")


def _who(cases: list[CaseExplanation], names: dict[str, str]) -> str:
    """Cases as a reader names them together: `Sakishima Islands and Okinawa`, `The requests for civilian
    airports and civilian ports`, `The abandoned mines in Taiwan Strait and East China Sea`."""
    subjects = [c.case for c in cases]
    kind = subjects[0].subject.get("t", "scenario")
    areas = [names.get(c.area, c.area) if c.area else None for c in subjects]
    if len(subjects) == 1:
        return subject_words(subjects[0].label, kind, areas[0])
    if kind == "request":
        return "The requests for " + _join([c.label for c in subjects])
    if kind == "area":
        return _join([c.label for c in subjects])
    if kind not in ("scenario",) and len({c.label for c in subjects}) == 1 and all(areas):
        return f"The {subjects[0].label} in {_join([a for a in areas if a])}"
    words = [subject_words(c.label, kind, a) for c, a in zip(subjects, areas, strict=True)]
    return _join([words[0]] + [_lower(w) for w in words[1:]])


def _join(words: list[str]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


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


def _case(out: _Lines, case: CaseExplanation, role: RoleExplanation, shared: _Shared, described: set[str]) -> None:
    """Why one case came out as it did, under its heading (see `_heading`), leaving out what `shared` says the
    role's lines already say; a ground that holds whose text is in `described` is named, not told again."""
    status = case.case.status
    ground = next((i for i in case.grounds if i.held), None)
    if status == "not_triggered":
        for item in case.triggers:
            if not item.held:
                out.say(4, f"It does not arise: {item.text}{out.cites.text(item.basis)}", 2)
                _check_lines(out, item.check, 6)
        return
    arises = _arises(out, case)
    if arises and not shared.arises:
        out.say(4, arises, 2)
    if status == "applies" and ground is not None:
        _ground(out, role, ground, "The ground", described=described)
        others = [i for i in case.grounds if i.held and i is not ground]
        if others:
            out.say(4, "Other grounds that hold too: " + ", ".join(_ground_title(role, i.id) for i in others) + ".")
        decided = _decided(out, case)
        if decided and not shared.decided:
            out.say(4, decided, 2)
        for item in case.constraints:
            if item.held:
                out.say(4, f"Constraint: {item.text}{out.cites.text(item.basis)}", 2)
        return
    grounds = case.grounds or []
    if grounds:
        out.say(4, "No legal ground holds:" if len(grounds) > 1 else "Its ground does not hold:")
        for item in grounds:
            _ground(out, role, item, "", indent=6)
    blocking = [i for i in case.limits if i.held]
    if len(blocking) == 1:
        out.say(4, f"What blocks it: {blocking[0].text}{out.cites.text(blocking[0].basis)}", 2)
    elif blocking:
        out.say(4, "What blocks it:")
        for item in blocking:
            out.say(6, f"- {item.text}{out.cites.text(item.basis)}", 2)
    else:
        out.say(4, "No limit of the rulebook names why: a gap `guidelines check` reports.")


def _ground(
    out: _Lines, role: RoleExplanation, item: Item, label: str, indent: int = 4, described: set[str] | None = None
) -> None:
    """A ground, its text and basis (or, if `described` holds it, its name and "as above"), then what decided it."""
    title = _ground_title(role, item.id) or item.id
    if label and described is not None and item.id in described:
        _check_lines(out, item.check, indent, lead=f"{label} as above. ")
        return
    if label:  # the case's heading has named the ground
        out.say(indent, f"{label}: {item.text}{out.cites.text(item.basis)}", 2)
    else:
        head = f"{_capital(title)} ({'holds' if item.held else 'does not hold'}): "
        out.say(indent, f"{head}{item.text}{out.cites.text(item.basis)}", 2)
    if described is not None:
        described.add(item.id)
    _check_lines(out, item.check, indent + 2)


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


def _check_lines(out: _Lines, check: Check | None, indent: int, lead: str = "") -> None:
    """What decided a condition, as prose: the parts that held in one sentence ("Met: a; b."), those that failed
    in another; of a failed `all`, only the parts that failed; of an `any` that held, the option that did; of a
    failed `any`, its options once ("None of these holds: a; b."). `lead` opens the first sentence."""
    facts = _facts(out, check)
    run: list[str] = []
    for index, (mark, phrase) in enumerate(facts):
        run.append(phrase)
        if index + 1 == len(facts) or facts[index + 1][0] != mark or mark == "None of these holds":
            out.say(indent, f"{lead}{mark}: {_once('; '.join(run))}", 2)
            run, lead = [], ""


def _once(sentence: str) -> str:
    """A sentence with each "(here: ...)" said once: the same value is not repeated for a second condition on it."""
    seen: set[str] = set()

    def first(match: re.Match[str]) -> str:
        if match.group(0) in seen:
            return ""
        seen.add(match.group(0))
        return match.group(0)

    return _HERE.sub(first, sentence)


_HERE = re.compile(r" \(here: [^()]*\)")


def _facts(out: _Lines, check: Check | None) -> list[tuple[str, str]]:
    """The parts of a condition that decided it, each with its mark: Met; Instead (a comparison that failed, said
    as what holds); Not met; None of these holds."""
    if check is None:
        return []
    formula = check.formula
    if isinstance(formula, cond.AllOf):
        return [f for child in check.children if check.held or not child.held for f in _facts(out, child)]
    if isinstance(formula, cond.AnyOf):
        if check.held:
            return _facts(out, next(child for child in check.children if child.held))
        return [("None of these holds", "; ".join(_option(out, child) for child in check.children))]
    if isinstance(formula, cond.Not) and not (check.children and isinstance(check.children[0].formula, cond.Compare)):
        return [(_mark(check.held), f"it is not so that {_formula_words(formula.item, out)}")]
    if isinstance(formula, cond.Adjacent):  # "in the adjacent area, Sea off Oki, <what it asks there>"
        asked = " and ".join(_option(out, child) for child in check.children)
        return [(_mark(check.held), f"{check.text}, {asked}" if asked else check.text)]
    if not check.held and _compares(check):  # what holds instead, not "Not met: X is not so"
        return [("Instead", _phrase(out, check, opposite=True))]
    return [(_mark(check.held), _phrase(out, check))]


def _compares(check: Check) -> bool:
    """Whether a check is a comparison, or the negation of one: a sentence whose opposite can be said."""
    formula = check.formula
    if isinstance(formula, cond.Not):
        return bool(check.children) and isinstance(check.children[0].formula, cond.Compare)
    return isinstance(formula, cond.Compare)


def _option(out: _Lines, check: Check) -> str:
    """An option of a failed `any`, as one phrase ("the area is another state's territorial sea and the state
    has consented")."""
    formula = check.formula
    if isinstance(formula, (cond.AllOf, cond.AnyOf)) and check.children:
        joiner = " and " if isinstance(formula, cond.AllOf) else " or "
        return joiner.join(_option(out, child) for child in check.children)
    return _phrase(out, check)


def _phrase(out: _Lines, check: Check, opposite: bool = False) -> str:
    """One condition that is not a combination, in words, with what the scenario held where it adds something;
    `opposite`: a comparison's opposite (what holds when it fails)."""
    formula = check.formula
    if formula is None:
        return check.text
    if _compares(check):
        negate = isinstance(formula, cond.Not) != opposite
        compare, seen = (
            (check.children[0].formula, check.children[0]) if isinstance(formula, cond.Not) else (formula, check)
        )
        holding = holding_values(compare)
        if negate:
            holding = [v for v in compare.field.values if v not in holding]
        return _here(compare_words(compare, negate=negate), seen, said=holding == [seen.value])
    if isinstance(formula, cond.ConceptRef):
        concept = out.concepts.get(formula.concept)
        limb = _limb(check) if concept and check.held else None
        if limb:  # a concept met on one limb of its `any`: name that limb, not the whole definition
            return f"{concept.title.lower()}: {limb}"
        return _lower(concept.named.text if concept else "") or formula.concept
    if isinstance(formula, cond.SomeEvent):
        found = check.event_words or []
        here = f" (here: {'; '.join(found)})" if found else " (here: no such event)"
        return f"an event in the area where {_formula_words(formula.item, out)}{here}"
    if isinstance(formula, (cond.AllOf, cond.AnyOf, cond.Not)):
        return _formula_words(formula, out)
    return check.text


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


def _here(phrase: str, check: Check, said: bool = False) -> str:
    """The phrase with what the scenario held, unless `said`: the phrase names that one value ("there is a formal
    ceasefire", not "... (here: a formal ceasefire)")."""
    shown = value_words(check.field or "", check.value) if check.field else None
    return f"{phrase} (here: {shown})" if shown and not said else phrase


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
