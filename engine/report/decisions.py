"""The decisions each phase needs: read off the procedures of the grounds that apply, merged, in the order the
procedure runs, with the roles and places each covers, its provisions, and what changed from the phase before.

A ground's procedure (rules/*/roles/*.yaml) says in words who decides and
cites the provisions, and says in `diet_approval` whether and when the Diet
approves. Each `KIND` below recognises one decision in those words and takes
its provisions from the procedure's basis (or, where the basis has none for
it, from the citation in the sentence that names it): nothing about who
decides is written twice. The order is the statutes': the Cabinet's basic plan
(Law60/1999 Art. 4; for a defence operation, the basic response plan of
AAS-Law Art. 9), the Diet's approval, before the measure save in an emergency
(Law60/1999 Art. 5: 「実施前に」; SDF Law Art. 76(1)), the Prime Minister's
approval of the implementation guideline (Art. 6(3), 7(1)) or order of a
defence operation, the Minister's orders (Art. 6, 7), the requests to local
governments and operators (Art. 9), and the reports to the Diet (Art. 10).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from ..rulebook.model import Ground, Procedure
from .model import PhaseReport, Report, RoleReport


class Kind(NamedTuple):
    """One kind of decision: how a procedure's words name it, and which of its basis provisions it rests on."""

    id: str
    step: int  # where it comes as the procedure runs
    text: str
    cue: re.Pattern[str] | None  # None: a Diet approval, read off `diet_approval`
    basis: re.Pattern[str] | None  # its provisions among the procedure's basis; None: cited in its sentence
    diet: str | None = None  # a Diet approval: the `diet_approval` it stands for (the words say no more)


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


KINDS = (
    Kind("government_response", 0, "Government decision on the response", _re(r"Government of Japan decides"),
         _re(r".")),
    Kind("cabinet_response_plan", 1, "Cabinet decision on a basic response plan, with the determination of the"
         " situation", _re(r"basic response plan"), _re(r"^AAS-Law Art\. 9$")),
    Kind("cabinet_basic_plan", 1, "Cabinet decision on the measures and their basic plan",
         _re(r"Cabinet decision on the measure|basic plan decided by the Cabinet|Cabinet decision and basic plan"),
         _re(r"^Law(60|145)/\d{4} Art\. 4\b")),
    Kind("diet_prior", 2, "Diet approval (prior)", None,
         _re(r"^(Law60/\d{4} Art\. 5|AAS-Law Art\. 9|SDFLaw Art\. 76)"), "prior"),
    Kind("diet_prior_or_after", 2, "Diet approval (prior, or after the fact if urgent)", None,
         _re(r"^(Law60/\d{4} Art\. 5|AAS-Law Art\. 9|SDFLaw Art\. 76)"), "prior_or_after"),
    Kind("foreign_consent", 3, "Consent of the foreign state", _re(r"consent of the foreign state"),
         _re(r"^Law60/\d{4} Art\. (7\(4\)|2\(4\))")),
    Kind("pm_approval", 4, "Prime Minister's approval of the implementation guideline",
         _re(r"Prime Minister's approval"), None),
    Kind("pm_order", 5, "Prime Minister's order of a defence operation", _re(r"Prime Minister orders"),
         _re(r"^SDFLaw Art\. 76")),
    Kind("minister_order", 6, "Minister of Defense's order",
         _re(r"(Minister of Defense|Director General of the Defense Agency)('s order| \(.*?\))? (then )?"
             r"(orders|provides)|Ordered by the|'s order \("),
         _re(r"^(SDFLaw Art\. (84-2|99)|EstLaw|Law60/\d{4} Art\. [67]|Law145/\d{4} Art\. 5)")),
    Kind("disaster_relief", 6, "Japan Coast Guard rescue; the SDF's disaster relief dispatch at its request",
         _re(r"disaster relief dispatch"), _re(r"^SDFLaw Art\. 83")),
    Kind("facilities_provided", 6, "The agencies concerned provide their facilities",
         _re(r"provides SDF facilities|provided by the agency concerned"), _re(r"^Law60/\d{4} Art\. 8")),
    Kind("cooperation_requests", 7, "Requests for cooperation to local governments and private operators",
         _re(r"ask local government heads|ask private operators"), _re(r"^Law60/\d{4} Art\. 9(\([12]\))?$")),
    Kind("diet_report", 8, "Report to the Diet (the basic plan, and at the end the results)",
         _re(r"reports .*to the Diet"), _re(r"^Law60/\d{4} Art\. 10")),
)  # fmt: skip

OTHER = Kind("other", 6, "", None, None)

_SENTENCE = re.compile(r"(?<=;)\s+|(?<=[a-z)\]][.])\s+(?=[A-Z])")
_CITATION = re.compile(r"(?:(Law\d+/\d{4}|AAS-Law|SDF Law) )?Art\. (\d+(?:-\d+)?(?:\(\w+\))*(?:-\(\w+\))?)")
_LAW = re.compile(r"^(Law\d+/\d{4}) ")
_SINCE = re.compile(r"\b[Ff]rom (?:\d{1,2} )?[A-Z][a-z]+ \d{4}\b")


class Found(NamedTuple):
    """One decision a procedure requires: its kind, its words, its provisions."""

    kind: Kind
    text: str
    provisions: tuple[str, ...]


@lru_cache(maxsize=1024)
def procedure_decisions(procedure: Procedure) -> tuple[Found, ...]:
    """The decisions one procedure requires, in the order the procedure runs (read once per procedure)."""
    sentences = [s for part in (procedure.decision, *procedure.steps) for s in _SENTENCE.split(part)]
    law = next((m.group(1) for b in procedure.basis if (m := _LAW.match(b))), None)
    found = []
    for kind in KINDS:
        if kind.diet is not None:
            if procedure.diet_approval != kind.diet:
                continue
            sentence = ""
        else:
            sentence = next((s for s in sentences if kind.cue and kind.cue.search(s)), "")
            if not sentence:
                continue
        provisions = [b for b in procedure.basis if kind.basis.search(b)] if kind.basis else []
        if not provisions:  # cited in its sentence: `(Art. 7(1)-(2))` is of the law the basis names first
            cited = [f"{(m.group(1) or law or '').replace('SDF Law', 'SDFLaw')} Art. {m.group(2)}".lstrip()
                     for m in _CITATION.finditer(sentence)]  # fmt: skip
            provisions = [c for c in cited if kind.basis is None or kind.basis.search(c)]
        found.append(Found(kind, _words(kind, sentence), tuple(dict.fromkeys(provisions))))
    if not found:  # words no kind knows (a rulebook of one's own): the procedure's first sentence, as written
        found.append(Found(OTHER, sentences[0].rstrip(".;"), procedure.basis))
    return tuple(found)


def _words(kind: Kind, sentence: str) -> str:
    """The kind's words, with who orders where the procedure names the Director General alone (before 2007),
    and `(from June 2003)` where the sentence dates the Cabinet's decision."""
    text = kind.text
    if kind.id == "minister_order" and "Director General" in sentence and "Minister of Defense" not in sentence:
        text = "Director General of the Defense Agency's order"
    since = _SINCE.search(sentence) if kind.id.startswith("cabinet") else None  # `from June 2003 the Cabinet`
    return f"{text} ({since.group(0)[0].lower()}{since.group(0)[1:]})" if since else text


class Cover(NamedTuple):
    """A role a decision covers: the grounds it applies on that need it, and the places (areas, requests)."""

    role: str
    title: str
    grounds: tuple[str, ...]  # the grounds' titles
    places: tuple[str, ...]

    def words(self) -> str:
        """`Surveillance (defence operation)`."""
        return f"{self.title} ({', '.join(self.grounds)})" if self.grounds else self.title


class Decision(NamedTuple):
    kind: str
    step: int
    text: str
    provisions: tuple[str, ...]
    covers: tuple[Cover, ...]

    def roles(self) -> tuple[str, ...]:
        return tuple(c.role for c in self.covers)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "decision": self.text,
            "provisions": list(self.provisions),
            "covers": [
                {"role": c.role, "title": c.title, "grounds": list(c.grounds), "places": list(c.places)}
                for c in self.covers
            ],
        }


class DecisionChange(NamedTuple):
    """What changed in one decision from the phase before: `new`, `ended`, or the roles it `now_covers` more or
    `no_longer_covers`."""

    change: str  # new | ended | now_covers | no_longer_covers
    kind: str
    text: str
    roles: tuple[str, ...]  # role titles: those it covers (new, ended) or those added or dropped
    provisions: tuple[str, ...] = ()  # the decision's

    def words(self) -> str:
        """`new: Diet approval (prior) for Minesweeping`, `ended: ...`, `now also for ...`."""
        who = ", ".join(self.roles)
        return {
            "new": f"new: {self.text} for {who}",
            "ended": f"no longer needed: {self.text} (was for {who})",
            "now_covers": f"{self.text}: now also for {who}",
            "no_longer_covers": f"{self.text}: no longer for {who}",
        }[self.change]

    def as_dict(self) -> dict[str, Any]:
        return {"change": self.change, "kind": self.kind, "decision": self.text, "roles": list(self.roles)}


class PhaseDecisions(NamedTuple):
    phase: str | None
    name: str | None
    date: str | None
    rulebook: str
    decisions: tuple[Decision, ...]
    changes: tuple[DecisionChange, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.phase,
            "name": self.name,
            "date": self.date,
            "rulebook": self.rulebook,
            "decisions": [d.as_dict() for d in self.decisions],
            "changes": [c.as_dict() for c in self.changes],
        }


def phase_decisions(phase: PhaseReport) -> list[Decision]:
    """The decisions the roles that apply in `phase` require, in the order the procedure runs.

    Decisions of one kind, in the same words, under the same law, are one (the
    Cabinet decides one basic plan for every measure of Law60/1999 Art. 4; the
    Diet's approval under Art. 5 and under SDF Law Art. 76 stay two).
    """
    merged: dict[tuple[str, str, str], tuple[Found, list[str], dict[str, tuple[list[str], list[str]]]]] = {}
    roles = {}
    for role_id, role in phase.roles.items():
        if role.status != "applies":
            continue
        roles[role_id] = role.role.title
        for (ground, procedure), places in _applied(role, phase).items():
            for found in procedure_decisions(procedure):
                law = _law(found.provisions)
                _, provisions, covers = merged.setdefault((found.kind.id, found.text, law), (found, [], {}))
                provisions.extend(found.provisions)
                grounds, where = covers.setdefault(role_id, ([], []))
                grounds.extend(g for g in [ground.title or ground.id] if g not in grounds)
                where.extend(p for p in places if p not in where)
    out = [
        Decision(
            found.kind.id,
            found.kind.step,
            found.text,
            tuple(dict.fromkeys(provisions)),
            tuple(Cover(r, roles[r], tuple(g), tuple(p)) for r, (g, p) in covers.items()),
        )
        for found, provisions, covers in merged.values()
    ]
    return sorted(out, key=lambda d: d.step)  # stable: within a step, as first met in role order


def _applied(role: RoleReport, phase: PhaseReport) -> dict[tuple[Ground, Procedure], list[str]]:
    """Each procedure the role's applying cases go by (with its ground), and the places it covers."""
    out: dict[tuple[Ground, Procedure], list[str]] = {}
    for case in role.cases:
        if case.status != "applies" or case.applied is None or case.applied.procedure is None:
            continue
        ground, _, procedure = case.applied.procedure
        places = out.setdefault((ground, procedure), [])
        place = _place(case, phase, role)
        if place and place not in places:
            places.append(place)
    return out


def _place(case: Any, phase: PhaseReport, role: RoleReport) -> str:
    """Where a case is: its area's name, its request in words; nothing for the scenario as a whole."""
    if role.areas is not None and case.area is not None:
        return phase.area_names.get(case.area, case.area)
    if role.requests is not None:
        return str(case.label)
    return ""


def decisions(report: Report) -> list[PhaseDecisions]:
    """Each phase's decisions (a file without phases: its one), with what changed from the phase before."""
    out: list[PhaseDecisions] = []
    before: list[Decision] | None = None
    for phase in report.phases:
        now = phase_decisions(phase)
        changes = _changes(before, now) if before is not None else []
        out.append(
            PhaseDecisions(phase.phase, phase.phase_name, phase.date, phase.rulebook, tuple(now), tuple(changes))
        )
        before = now
    return out


def _key(decision: Decision) -> tuple[str, str, str]:
    return decision.kind, decision.text, _law(decision.provisions)


def _law(provisions: tuple[str, ...]) -> str:
    """The law the first provision is of, whatever its revision (`Law60`, `SDFLaw`): what keeps two decisions of
    a kind apart, and one across a change of rulebook."""
    return re.sub(r"/\d{4}$", "", provisions[0].split(" Art.")[0]) if provisions else ""


def _changes(before: list[Decision], now: list[Decision]) -> list[DecisionChange]:
    """New decisions, those that cover more roles or fewer, then those no longer needed."""
    was = {_key(d): d for d in before}
    out = []
    for d in now:
        old = was.get(_key(d))
        if old is None:
            out.append(DecisionChange("new", d.kind, d.text, tuple(c.words() for c in d.covers), d.provisions))
            continue
        added = [c.words() for c in d.covers if c.role not in old.roles()]
        dropped = [c.words() for c in old.covers if c.role not in d.roles()]
        if added:
            out.append(DecisionChange("now_covers", d.kind, d.text, tuple(added), d.provisions))
        if dropped:
            out.append(DecisionChange("no_longer_covers", d.kind, d.text, tuple(dropped), d.provisions))
    kept = {_key(d) for d in now}
    out += [DecisionChange("ended", d.kind, d.text, tuple(c.words() for c in d.covers), d.provisions)
            for d in before if _key(d) not in kept]  # fmt: skip
    return out


def decisions_json(report: Report) -> dict[str, Any]:
    """`guidelines decisions --format json`: the scenario, its source, and each phase's decisions."""
    return {
        "scenario": report.scenario,
        "source": report.source,
        "phases": [p.as_dict() for p in decisions(report)],
    }
