"""Which rule items a set of scenarios exercises, read from the same outcomes the reports come from.

For each role: each trigger, ground, limit and condition, each procedure
variant and constraint with a `when`, and each notice with a condition, and
how often its node came out true and false over the scenarios' cases. Two
figures lead, as in the README's promise: the grounds that *applied* somewhere
(a case applied with the ground holding) and the limits that *blocked*
somewhere (a blocked case with the limit holding). Variants and constraints
are counted over the cases that apply on their ground, where they matter.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from ..rete.compiler import CompiledRole, Trace
from ..rete.outcome import Outcome
from ..rete.runtime import Evaluator, facts_from_data
from ..rulebook.model import Named
from ..util.text import ljust, shorten, width_of, wrap

ROLE_LEVEL = "notices"  # the pseudo-role the conditional notices are counted under


@dataclass(slots=True)
class Item:
    """One rule item and how the scenarios exercised it."""

    kind: str  # trigger | ground | limit | condition | variant | constraint | notice
    id: str
    file: str
    line: int | None
    true: int = 0
    false: int = 0
    decided: int = 0  # a ground: cases that applied on it; a limit: blocked cases it named

    @property
    def both(self) -> bool:
        return self.true > 0 and self.false > 0

    def missing(self) -> str | None:
        """What the scenarios never showed of it, in words; None when it came out both ways."""
        if self.kind == "ground" and not self.decided:
            return "never applied" + ("" if self.true else ", never held")
        if self.kind == "limit" and not self.decided:
            return "never blocked" + ("" if self.true else ", never held")
        if not self.true and not self.false:
            return "never evaluated"
        if not self.true:
            return "never true"
        if not self.false:
            return "never false"
        return None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "id": self.id, "file": self.file, "line": self.line}
        out |= {"true": self.true, "false": self.false}
        if self.kind == "ground":
            out["applied"] = self.decided
        if self.kind == "limit":
            out["blocked"] = self.decided
        out["missing"] = self.missing()
        return out


@dataclass(slots=True)
class RoleCoverage:
    role: str
    title: str
    items: list[Item] = field(default_factory=list)

    def count(self, kind: str) -> tuple[int, int]:
        """(grounds that applied | limits that blocked, how many there are)."""
        chosen = [i for i in self.items if i.kind == kind]
        return sum(1 for i in chosen if i.decided), len(chosen)

    def both(self) -> tuple[int, int]:
        """(items seen true and false, items)."""
        return sum(1 for i in self.items if i.both), len(self.items)

    def as_dict(self) -> dict[str, Any]:
        grounds, limits, both = self.count("ground"), self.count("limit"), self.both()
        return {
            "title": self.title,
            "grounds": {"applied": grounds[0], "total": grounds[1], "percent": percent(*grounds)},
            "limits": {"blocked": limits[0], "total": limits[1], "percent": percent(*limits)},
            "items": {"true_and_false": both[0], "total": both[1], "percent": percent(*both)},
            "rule_items": [i.as_dict() for i in self.items],
        }


def percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 100.0


@dataclass(slots=True)
class Coverage:
    """The coverage of one rulebook by the scenarios evaluated under it."""

    rulebook: str
    roles: dict[str, RoleCoverage]
    scenarios: list[str] = field(default_factory=list)

    def total(self, kind: str) -> tuple[int, int]:
        pairs = [r.count(kind) for r in self.roles.values()]
        return sum(p[0] for p in pairs), sum(p[1] for p in pairs)

    def both(self) -> tuple[int, int]:
        pairs = [r.both() for r in self.roles.values()]
        return sum(p[0] for p in pairs), sum(p[1] for p in pairs)

    def as_dict(self) -> dict[str, Any]:
        grounds, limits, both = self.total("ground"), self.total("limit"), self.both()
        return {
            "rulebook": self.rulebook,
            "scenarios": len(self.scenarios),
            "grounds": {"applied": grounds[0], "total": grounds[1], "percent": percent(*grounds)},
            "limits": {"blocked": limits[0], "total": limits[1], "percent": percent(*limits)},
            "items": {"true_and_false": both[0], "total": both[1], "percent": percent(*both)},
            "roles": {role_id: role.as_dict() for role_id, role in self.roles.items()},
        }


def _where(named: Named | None, fallback: str, line: int | None = None) -> tuple[str, int | None]:
    if named is not None and named.file:
        return _shown(named.file), named.line
    return _shown(fallback), line


def _shown(path: str) -> str:
    """A rule file's path as a reader finds it: relative to here when it is below here."""
    if not path:
        return path
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


class _Role:
    """The items of one compiled role, each with the node to read and how to count it."""

    def __init__(self, compiled: CompiledRole) -> None:
        role = compiled.role
        self.compiled = compiled
        self.coverage = RoleCoverage(role.id, role.title)
        self.plain: list[tuple[Item, Trace]] = []
        for kind, nameds, traces in (
            ("trigger", role.triggers, compiled.triggers),
            ("limit", role.limits, compiled.limits),
        ):
            for named, trace in zip(nameds, traces, strict=True):
                item = Item(kind, named.id, *_where(named, role.file))
                self.plain.append((item, trace))
                self.coverage.items.append(item)
        self.grounds: list[tuple[Item, Any, list[tuple[Item, Trace]]]] = []
        for ground, traced in zip(role.grounds, compiled.grounds, strict=True):
            item = Item("ground", ground.id, _shown(ground.file or role.file), ground.line)
            self.coverage.items.append(item)
            parts: list[tuple[Item, Trace]] = []
            for i, (variant, trace) in enumerate(zip(ground.variants, traced.variants, strict=True)):
                if trace is not None:
                    part = Item("variant", f"{ground.id} variant {i + 1}", *_where(variant.when, role.file))
                    parts.append((part, trace))
            for i, (constraint, trace) in enumerate(zip(ground.constraints, traced.constraints, strict=True)):
                if trace is not None:
                    part = Item("constraint", f"{ground.id} constraint {i + 1}", *_where(constraint.when, role.file))
                    parts.append((part, trace))
            self.coverage.items.extend(p for p, _ in parts)
            self.grounds.append((item, traced, parts))
        self.constraints: list[tuple[Item, Trace]] = []
        for i, (constraint, trace) in enumerate(zip(role.constraints, compiled.constraints, strict=True)):
            if trace is not None:
                item = Item("constraint", f"constraint {i + 1}", *_where(constraint.when, role.file))
                self.constraints.append((item, trace))
                self.coverage.items.append(item)

    def add(self, outcome: Outcome) -> None:
        applies, blocked = outcome.status == "applies", outcome.status == "blocked"
        for item, trace in self.plain:
            held = outcome.value(trace.ref)
            _tally(item, held)
            if item.kind == "limit" and blocked and held:
                item.decided += 1
        triggered = outcome.value(self.compiled.triggered)
        for item, traced, parts in self.grounds:
            held = outcome.value(traced.ref) if traced.ref is not None else triggered
            _tally(item, held)
            if applies and held:
                item.decided += 1
                for part, trace in parts:
                    _tally(part, outcome.value(trace.ref))
        if applies:
            for item, trace in self.constraints:
                _tally(item, outcome.value(trace.ref))


def _tally(item: Item, held: bool) -> None:
    if held:
        item.true += 1
    else:
        item.false += 1


class Collector:
    """Coverage of one evaluator's rulebook, fed one scenario at a time."""

    def __init__(self, evaluator: Evaluator) -> None:
        self.evaluator = evaluator
        compiled = evaluator.compiled
        self.roles = {role_id: _Role(c) for role_id, c in compiled.roles.items()}
        self.notices: list[tuple[Item, str]] = []
        notice_coverage = RoleCoverage(ROLE_LEVEL, "Notices")
        for notice in evaluator.rulebook.notices:
            if notice.named is not None:
                item = Item("notice", notice.id, *_where(notice.named, ""))
                self.notices.append((item, notice.id))
                notice_coverage.items.append(item)
        self.notice_coverage = notice_coverage
        self.coverage = Coverage(
            evaluator.rulebook.id,
            {r: x.coverage for r, x in self.roles.items()} | ({ROLE_LEVEL: notice_coverage} if self.notices else {}),
        )

    def add(self, data: dict[str, Any], source: str) -> None:
        """Count the items one validated scenario exercises."""
        results = self.evaluator.judge(facts_from_data(data))
        for role_id, role in self.roles.items():
            for _, outcome in results.get(role_id, ()):
                role.add(outcome)
        for item, notice_id in self.notices:
            for _, outcome in results.get(f"notice:{notice_id}", ()):
                _tally(item, outcome.status == "shown")
        if self.coverage.scenarios[-1:] != [source]:  # the phases of one file are one scenario
            self.coverage.scenarios.append(source)


# ----------------------------------------------------------------------------
# Text


def render_coverage(coverage: Coverage, *, width: int = 80, source: str = "") -> str:
    """A table per role (grounds applied, limits blocked, items seen both ways), then the items not exercised."""
    count = len(coverage.scenarios)
    lines = wrap(f"Rulebook {coverage.rulebook}: coverage by {count} scenario{'s' * (count != 1)}{source}", width)
    rows = [("role", "grounds applied", "limits blocked", "true and false")]
    for role in coverage.roles.values():
        grounds, limits, both = role.count("ground"), role.count("limit"), role.both()
        rows.append((role.title, _figure(*grounds), _figure(*limits), _figure(*both)))
    rows.append(
        ("all", _figure(*coverage.total("ground")), _figure(*coverage.total("limit")), _figure(*coverage.both()))
    )
    lines.append("")
    lines += _table(rows, width) if width >= 12 + 3 * 17 else _listed(rows, width)
    grounds, limits = coverage.total("ground"), coverage.total("limit")
    lines.append("")
    lines.extend(
        wrap(
            f"Grounds applied somewhere: {grounds[0]} of {grounds[1]} ({percent(*grounds):g}%). "
            f"Limits blocked somewhere: {limits[0]} of {limits[1]} ({percent(*limits):g}%).",
            width,
        )
    )
    missing = [(role, item, item.missing()) for role in coverage.roles.values() for item in role.items]
    missing = [m for m in missing if m[2]]
    if missing:
        lines += ["", f"Not exercised ({len(missing)}):"]
        for role, item, what in missing:
            where = f"{item.file}:{item.line}" if item.line else item.file
            text = f"{where}: {role.role} {item.kind} {item.id}: {what}"
            body = wrap(text, width - 2)
            lines.append("  " + body[0])
            lines.extend("      " + line for line in wrap(" ".join(body[1:]), width - 6) if body[1:])
    else:
        lines += ["", "Every item came out both true and false."]
    return "\n".join(lines)


def _table(rows: list[tuple[str, ...]], width: int) -> list[str]:
    """The figures as a table, a role per line, its name shortened to leave room for three columns of 17."""
    name_width = min(max(width_of(r[0]) for r in rows), max(12, width - 3 * 17))
    lines = []
    for i, row in enumerate(rows):
        name = ljust(shorten(row[0], name_width), name_width)
        lines.append((name + "".join(f"  {cell:>15}" for cell in row[1:])).rstrip())
        if i == len(rows) - 2:
            lines.append("-" * min(width, name_width + 51))
    return lines


def _listed(rows: list[tuple[str, ...]], width: int) -> list[str]:
    """The figures where a table does not fit: each role's name, then a line per figure under it."""
    heads, *roles = rows
    lines: list[str] = []
    for i, row in enumerate(roles):
        if i == len(roles) - 1:
            lines.append("")  # `all` set apart, as the table's rule does
        lines += wrap(row[0], width)
        lines += [f"  {head:<15}  {cell:>15}".rstrip() for head, cell in zip(heads[1:], row[1:], strict=True)]
    return lines


def _figure(part: int, whole: int) -> str:
    return f"{part}/{whole} {percent(part, whole):5.1f}%" if whole else "-"
