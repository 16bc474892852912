"""Loading a rulebook directory: YAML files to a checked `Rulebook`, or a `RulebookError` with file and line.

A rulebook directory holds:

    rulebook.yaml      id, title, the source tags its provisions cite
    concepts.yaml      shared concepts the roles build on (Section V engaged, rear area)
    notices.yaml       notices the report carries (Section IV, no legal obligation)
    invariants.yaml    the hard limits `guidelines check` tests (read by engine.verify)
    roles/<id>.yaml    one file per role

A rulebook may extend another (`extends:` in rulebook.yaml, see extend.py):
the files it lacks come from its base, and those it has are merged into the
base's by id, each item keeping the file and line it was written at.

Everything is checked when it loads: unknown keys, fields, operators, values and
concepts, concept cycles, provisions citing an unknown source, a role without
basis. The result is a `Rulebook` (model.py): plain frozen data that the
compiler turns into durable_rules rulesets.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from ..errors import Problem, RulebookError, suggest
from ..scenario.fields import FIELDS
from ..scenario.located import problem_at, validation_problems, walk_model
from ..scenario.yamlload import MAX_BYTES
from . import conditions as cond
from .beyond import load_beyond
from .extend import ChainError, Files, RuleDocument, chain, extends_of, lists_of, read_chain, read_merged, split_chain
from .model import (
    Concept,
    Constraint,
    Ground,
    Named,
    Notice,
    Procedure,
    Role,
    Rulebook,
    Subject,
    Variant,
)
from .rulefiles import (
    ConceptsFile,
    ConceptSpec,
    ConstraintSpec,
    InForceSpec,
    LimitSpec,
    NoticesFile,
    ProcedureSpec,
    RoleFile,
    SourcesFile,
    VariantSpec,
    _File,
)
from .shipped import default_rules_dir


@dataclass
class _Loader:
    directory: Path
    problems: list[Problem] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    digest: Any = field(default_factory=hashlib.sha256)
    # every file of the directory (and of the rulebooks it extends), read once: what is checked and compiled is
    # exactly what was read; per directory of the chain, the furthest base first (see extend.py)
    chain_files: list[tuple[str, Files]] = field(default_factory=list)

    def read(self, relative: str, model: type[_File]) -> tuple[RuleDocument, Any] | None:
        """A rule file (merged with its bases' when the rulebook extends another), validated by `model`."""
        before = len(self.problems)
        document = read_merged(self.chain_files, relative, lists_of(relative), self.problems, self.digest)
        if document is None:
            if len(self.problems) == before:
                shown = str(self.directory / relative)
                self.problems.append(Problem("cannot read rule file: No such file or directory", shown))
            return None
        try:
            return document, model.model_validate(document.data)
        except ValidationError as exc:
            self.problems.extend(validation_problems(exc, document, lambda loc: walk_model(model, loc)))
            return None

    def has(self, relative: str) -> bool:
        """Whether the rulebook, or a base it extends, has the file at `relative`."""
        return any(relative in files for _, files in self.chain_files)

    @property
    def directories(self) -> list[str]:
        return [directory for directory, _ in self.chain_files]

    def basis(self, document: RuleDocument, loc: tuple[Any, ...], entries: list[str]) -> tuple[str, ...]:
        for i, entry in enumerate(entries):
            tag = entry.split(" ", 1)[0]
            if tag not in self.sources:
                self.problems.append(
                    problem_at(
                        document,
                        loc + (i,),
                        f"provision {entry!r} cites unknown source {tag!r}; rulebook.yaml lists: "
                        + ", ".join(self.sources),
                        suggest(tag, self.sources),
                    )
                )
        return tuple(entries)


def load_rulebook(
    directory: str | os.PathLike[str] | None = None, files: dict[str, bytes | OSError] | None = None
) -> Rulebook:
    """Load and check a rulebook directory (the shipped 1997 rulebook by default).

    `files` is the directory as `util.files.read_tree` read it, when the caller
    has read it already (to fingerprint exactly what is compiled). Raises
    `RulebookError` listing every problem found, with file and line.
    """
    return load(Path(directory) if directory is not None else Path(default_rules_dir()), files)


def load(root: Path, files: dict[str, bytes | OSError] | None = None) -> Rulebook:
    """Load and check the rulebook in `root` (whose files `files` holds, when already read: see
    `extend.read_chain`), merged with the rulebooks it extends, if it extends one."""
    if files is None:
        files = read_chain(root, MAX_BYTES + 1) if root.is_dir() else {}  # load_yaml refuses anything longer
    loader = _Loader(root)
    if "rulebook.yaml" not in files:
        raise RulebookError(str(root), [Problem("not a rulebook directory: rulebook.yaml is missing", str(root))])
    try:
        loader.chain_files = split_chain(chain(root), files, MAX_BYTES + 1)
    except ChainError as exc:
        raise RulebookError(str(root), [exc.problem]) from None

    head = loader.read("rulebook.yaml", SourcesFile)
    if head is None:
        raise RulebookError(str(root), loader.problems)
    head_doc, head_file = head
    _check_extends(loader, head_doc, head_file)
    loader.sources = dict(head_file.sources)
    for key in head_file.source_kinds:  # a tag, or a tag and an article ("SDFLaw Art. 83")
        tag = key.split(" ", 1)[0]
        if tag not in loader.sources:
            message = f"source_kinds names {tag!r}, which is not among the sources"
            loader.problems.append(problem_at(head_doc, ("source_kinds", key), message, suggest(tag, loader.sources)))

    concepts = _load_concepts(loader)
    concept_scopes = {c.id: c.scope for c in concepts.values()} if concepts else {}
    roles = _load_roles(loader, head_doc, head_file.roles, concepts, concept_scopes)
    notices = _load_notices(loader, concept_scopes, concepts)
    beyond = load_beyond(loader, concept_scopes, concepts)
    if loader.problems:
        raise RulebookError(str(root), loader.problems)
    return Rulebook(
        id=head_file.rulebook,
        in_force=head_file.in_force.isoformat() if head_file.in_force else None,
        title=head_file.title,
        description=head_file.description,
        sources=dict(head_file.sources),
        concepts=concepts,
        roles=tuple(roles),
        notices=tuple(notices),
        directory=str(root),
        digest=loader.digest.hexdigest(),
        extends=head_file.extends,
        bases=tuple(loader.directories[:-1]),
        source_kinds=dict(head_file.source_kinds),
        beyond=beyond,
    )


def _check_extends(loader: _Loader, document: RuleDocument, head: SourcesFile) -> None:
    """`extends:` as the YAML reads it must be what `chain` followed, and an extending rulebook names itself."""
    from ..scenario.located import problem_at

    found = extends_of(loader.directory)
    if head.extends != (found[0] if found else None):
        message = 'write `extends: "<id>"` on a line of its own, at the top level of the file'
        loader.problems.append(problem_at(document, ("extends",), message, key=True))
    own = str(loader.directory / "rulebook.yaml")
    if len(loader.directories) > 1 and os.path.abspath(document.where(("rulebook",))[0]) != os.path.abspath(own):
        message = "a rulebook that extends another names itself: add `rulebook:` with its own id"
        loader.problems.append(problem_at(document, (), message))


def _named(
    loader: _Loader,
    parser: cond.Parser,
    document: RuleDocument,
    loc: tuple[Any, ...],
    spec: Any,
    scope: cond.Scope,
    *,
    text: str,
    unmet: str | None = None,
    interpretation: str | None = None,
) -> Named | None:
    formula = parser.parse(spec.when, loc + ("when",), scope)
    basis = loader.basis(document, loc + ("basis",), spec.basis)
    path, position = document.where(loc)
    if formula is None:
        return None
    return Named(
        id=spec.id,
        text=text,
        formula=formula,
        basis=basis,
        unmet=unmet,
        interpretation=interpretation,
        file=path,
        line=position[0] if position else None,
    )


def _unique(loader: _Loader, document: RuleDocument, loc: tuple[Any, ...], ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for i, item_id in enumerate(ids):
        if item_id in seen:
            loader.problems.append(problem_at(document, loc + (i, "id"), f"duplicate {what} id {item_id!r}"))
        seen.add(item_id)


def _load_concepts(loader: _Loader) -> dict[str, Concept]:
    read = loader.read("concepts.yaml", ConceptsFile)
    if read is None:
        return {}
    document, concepts_file = read
    specs = concepts_file.concepts
    _unique(loader, document, ("concepts",), [c.id for c in specs], "concept")
    scopes = {c.id: c.scope for c in specs}
    parser = cond.Parser(document, scopes)
    concepts: dict[str, Concept] = {}
    for i, spec in enumerate(specs):
        named = _named(
            loader, parser, document, ("concepts", i), spec, cond.Scope(spec.scope), text=spec.text, unmet=spec.unmet
        )
        if named is not None:
            concepts[spec.id] = Concept(spec.id, spec.scope, spec.title, named, spec.note)
    _check_cycles(loader, document, specs, concepts)
    if not any("cycle" in p.message for p in loader.problems):
        parser.check_nesting({cid: c.named.formula for cid, c in concepts.items()})
    loader.problems.extend(parser.problems)
    return concepts


def _check_cycles(
    loader: _Loader, document: RuleDocument, specs: list[ConceptSpec], concepts: dict[str, Concept]
) -> None:
    index = {spec.id: i for i, spec in enumerate(specs)}
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(concept_id: str, trail: list[str]) -> None:
        if state.get(concept_id) == 2 or concept_id not in concepts:
            return
        if state.get(concept_id) == 1:
            cycle = trail[trail.index(concept_id) :] + [concept_id]
            loader.problems.append(
                problem_at(
                    document,
                    ("concepts", index[concept_id], "when"),
                    "concepts refer to each other in a cycle: " + " -> ".join(cycle),
                )
            )
            return
        state[concept_id] = 1
        for ref in cond.concept_refs(concepts[concept_id].named.formula):
            visit(ref.concept, trail + [concept_id])
        state[concept_id] = 2

    for concept_id in concepts:
        visit(concept_id, [])


_ROLE_ID = re.compile(r"^[a-z0-9_]{1,64}$")


def _load_roles(
    loader: _Loader,
    head: RuleDocument,
    order: list[str],
    concepts: dict[str, Concept],
    concept_scopes: dict[str, str],
) -> list[Role]:
    """Every role of the rulebook and the rulebooks it extends: one per file `roles/<id>.yaml`, in the order
    `roles:` of rulebook.yaml gives, then any other by name. A new role is a new file, nothing more."""
    present: set[str] = set()
    for directory, files in loader.chain_files:
        for name in sorted(files):
            if not (name.startswith("roles/") and name.endswith(".yaml") and name.count("/") == 1):
                continue
            stem = name[len("roles/") : -len(".yaml")]
            if _ROLE_ID.match(stem):
                present.add(stem)
            else:
                message = "a role file is named by its role id: lower-case letters, digits and _, then .yaml"
                loader.problems.append(Problem(message, str(Path(directory) / name)))
    for i, role_id in enumerate(order):
        if role_id not in present:
            message = f"`roles` lists {role_id!r}, which has no file roles/{role_id}.yaml"
            loader.problems.append(problem_at(head, ("roles", i), message, suggest(role_id, sorted(present))))
    if not present and not loader.problems:
        loader.problems.append(Problem("a rulebook has at least one role: roles/<id>.yaml", str(loader.directory)))
    roles: list[Role] = []
    for role_id in [r for r in dict.fromkeys(order) if r in present] + sorted(present - set(order)):
        role = _load_role(loader, f"roles/{role_id}.yaml", role_id, concept_scopes, concepts)
        if role is not None:
            roles.append(role)
    return roles


def _load_role(
    loader: _Loader, relative: str, role_id: str, concept_scopes: dict[str, str], concepts: dict[str, Concept]
) -> Role | None:
    read = loader.read(relative, RoleFile)
    if read is None:
        return None
    document, spec = read
    problem = functools.partial(_problem, loader, document)
    if spec.role != role_id:
        problem(("role",), f"file {relative} must define role {role_id!r}, not {spec.role!r}")
    subject_spec = spec.subject
    if subject_spec.kind == "events" and not subject_spec.types:
        problem(("subject", "kind"), "a role about events lists their `types`")
    if subject_spec.kind != "events" and subject_spec.types:
        problem(("subject", "types"), "`types` is only for `kind: events`")
    if subject_spec.kind != "requests" and subject_spec.items:
        problem(("subject", "items"), "`items` is only for `kind: requests`")
    items = tuple(subject_spec.items)
    if subject_spec.kind == "requests" and not items:
        problem(("subject", "kind"), "a role about requests lists its `items` (the requests it is about)")
    subject = Subject(subject_spec.kind, tuple(subject_spec.types), subject_spec.missing, items)
    scope = subject.scope
    parser = cond.Parser(document, concept_scopes)

    def named(loc: tuple[Any, ...], item: Any, *, text: str, unmet: str | None = None, **extra: Any) -> Named | None:
        return _named(loader, parser, document, loc, item, scope, text=text, unmet=unmet, **extra)

    def named_list(section: str, specs: list[Any]) -> tuple[Named, ...]:
        _unique(loader, document, (section,), [s.id for s in specs], section.rstrip("s"))
        out = []
        for i, item in enumerate(specs):
            if isinstance(item, LimitSpec):
                found = named((section, i), item, text=item.reason, interpretation=item.interpretation)
                if found is not None and item.in_force is not None:
                    loader.basis(document, (section, i, "in_force", "basis"), item.in_force.basis)
                    found = found._replace(formula=_from(item.in_force, found.formula, found.line))
            else:
                found = named((section, i), item, text=item.text, unmet=item.unmet)
            if found is not None:
                out.append(found)
        return tuple(out)

    def constraints(loc: tuple[Any, ...], specs: list[ConstraintSpec]) -> tuple[Constraint, ...]:
        out = []
        for i, item in enumerate(specs):
            basis = loader.basis(document, loc + (i, "basis"), item.basis)
            when = None
            if item.when is not None:
                when = named(loc + (i,), _When(f"constraint {i + 1}", item.when, []), text=item.text)
            out.append(Constraint(item.text, basis, when))
        return tuple(out)

    triggers = named_list("triggers", spec.triggers)
    limits = named_list("limits", spec.limits)
    laws: list[tuple[InForceSpec, tuple[Any, ...]]] = []  # and where each is written
    role_procedure = None
    if spec.procedure is not None:
        role_procedure = _procedure_of(loader, document, ("procedure",), spec.procedure)
    _unique(loader, document, ("grounds",), [g.id for g in spec.grounds], "ground")
    found_grounds = []
    for i, ground in enumerate(spec.grounds):
        loc = ("grounds", i)
        when = named(loc, ground, text=ground.text, unmet=ground.unmet) if ground.when is not None else None
        in_force = ground.in_force if "in_force" in ground.model_fields_set else spec.in_force
        if in_force is not None:
            at = loc if "in_force" in ground.model_fields_set else ()
            loader.basis(document, at + ("in_force", "basis"), in_force.basis)
            when = _in_force_when(document, loc, ground, when, in_force)
            laws.append((in_force, at + ("in_force",)))
        basis = loader.basis(document, loc + ("basis",), ground.basis)
        variants = _variants(loader, parser, document, loc + ("procedure",), ground.procedure, scope)
        if ground.procedure is None:
            if role_procedure is None:
                problem(loc, f"ground {ground.id!r} has no `procedure`, and the role has none to fall back on")
            else:
                variants = (Variant(role_procedure),)
        path, position = document.where(loc)
        found_grounds.append(
            Ground(
                ground.id,
                ground.title,
                ground.text,
                basis,
                when,
                variants,
                constraints(loc + ("constraints",), ground.constraints),
                ground.unmet,
                ground.interpretation,
                path,
                position[0] if position else None,
                in_force=(in_force.law, in_force.date.isoformat()) if in_force else None,
            )
        )
    grounds = tuple(found_grounds)
    limits += _not_in_force_limits(document, laws, {n.id for n in limits})
    all_ids = [n.id for n in (*spec.triggers, *spec.grounds, *spec.limits)]
    if len(set(all_ids)) != len(all_ids):
        dupes = sorted({i for i in all_ids if all_ids.count(i) > 1})
        problem((), f"triggers, grounds and limits share ids: {', '.join(dupes)}")
    basis = loader.basis(document, ("basis",), spec.basis)
    notes = tuple((n.text, loader.basis(document, ("notes", i, "basis"), n.basis)) for i, n in enumerate(spec.notes))
    role_constraints = constraints(("constraints",), spec.constraints)
    parser.check_nesting({cid: c.named.formula for cid, c in concepts.items()})
    loader.problems.extend(parser.problems)
    return Role(
        id=spec.role,
        title=spec.title,
        seed=spec.seed,
        summary=spec.summary,
        basis=basis,
        subject=subject,
        triggers=triggers,
        limits=limits,
        constraints=role_constraints,
        grounds=grounds,
        notes=notes,
        file=document.where(())[0],
        beyond_seed=spec.beyond_seed,
    )


def _before(in_force: InForceSpec, line: int | None) -> cond.Formula:
    """`date: {before: <in force>}`: false for an undated scenario, so an undated one is read as in force."""
    return cond.Compare(FIELDS["date"], "before", (int(in_force.date.strftime("%Y%m%d")),), line)


def _from(in_force: InForceSpec, formula: cond.Formula, line: int | None) -> cond.Formula:
    """`formula`, holding only from the day the law came into force."""
    return cond.AllOf((cond.Not(_before(in_force, line), line), formula), line)


def _in_force_when(
    document: RuleDocument, loc: tuple[Any, ...], ground: Any, when: Named | None, in_force: InForceSpec
) -> Named:
    """A ground's `when`, holding only once its law is in force (the ground's own `when` may be None)."""
    path, position = document.where(loc)
    line = position[0] if position else None
    if when is None:
        formula: cond.Formula = cond.Not(_before(in_force, line), line)
        return Named(ground.id, ground.text, formula, tuple(ground.basis), ground.unmet, file=path, line=line)
    return when._replace(formula=_from(in_force, when.formula, line))


def _not_in_force_limits(
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
            _before(law, None),
            tuple(law.basis),
            file=path,
            line=position[0] if position else None,
        )
    return tuple(out.values())


class _When(NamedTuple):
    """A `when` that belongs to no named item (a procedure variant, a constraint), named for explanations."""

    id: str
    when: Any
    basis: list[str]


def _problem(loader: _Loader, document: RuleDocument, loc: tuple[Any, ...], message: str, *, key: bool = False) -> None:
    loader.problems.append(problem_at(document, loc, message, key=key))


def _validated(loader: _Loader, document: RuleDocument, loc: tuple[Any, ...], model: type[_File], data: Any) -> Any:
    """`data` (found at `loc`) validated by `model`, or None after recording each problem at its place."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        size = len(loc)
        loader.problems.extend(
            validation_problems(exc, document, lambda at: walk_model(model, at[size:]), lambda at: loc + at)
        )
        return None


def _procedure(loader: _Loader, document: RuleDocument, loc: tuple[Any, ...], data: Any) -> Procedure | None:
    spec = _validated(loader, document, loc, ProcedureSpec, data)
    return None if spec is None else _procedure_of(loader, document, loc, spec)


def _procedure_of(loader: _Loader, document: RuleDocument, loc: tuple[Any, ...], spec: ProcedureSpec) -> Procedure:
    basis = loader.basis(document, loc + ("basis",), spec.basis)
    return Procedure(spec.decision, spec.diet_approval, tuple(spec.steps), basis)


def _variants(
    loader: _Loader, parser: cond.Parser, document: RuleDocument, loc: tuple[Any, ...], data: Any, scope: cond.Scope
) -> tuple[Variant, ...]:
    """A ground's procedure: one mapping, or a list of variants each with a `when` but the last."""
    if data is None:
        return ()
    if isinstance(data, dict):
        if "when" in data:
            _problem(
                loader,
                document,
                loc + ("when",),
                "a single procedure has no `when`; list variants to choose between",
                key=True,
            )
        procedure = _procedure(loader, document, loc, data)
        return (Variant(procedure),) if procedure else ()
    if not isinstance(data, list) or not data:
        _problem(loader, document, loc, "`procedure` is a mapping, or a non-empty list of variants")
        return ()
    out = []
    for i, item in enumerate(data):
        spec = _validated(loader, document, loc + (i,), VariantSpec, item)
        if spec is None:
            continue
        last = i == len(data) - 1
        if last and spec.when is not None:
            _problem(
                loader,
                document,
                loc + (i, "when"),
                "the last variant has no `when`: it is the one used otherwise",
                key=True,
            )
        if not last and spec.when is None:
            _problem(loader, document, loc + (i,), "every variant but the last says `when` it is used")
        procedure = _procedure_of(loader, document, loc + (i,), spec)
        when = None
        if spec.when is not None:
            when = _named(
                loader, parser, document, loc + (i,), _When(f"variant {i + 1}", spec.when, []), scope,
                text=spec.decision,
            )  # fmt: skip
        out.append(Variant(procedure, when))
    return tuple(out)


def _load_notices(loader: _Loader, concept_scopes: dict[str, str], concepts: dict[str, Concept]) -> list[Notice]:
    if not loader.has("notices.yaml"):
        return []
    read = loader.read("notices.yaml", NoticesFile)
    if read is None:
        return []
    document, notices_file = read
    _unique(loader, document, ("notices",), [n.id for n in notices_file.notices], "notice")
    parser = cond.Parser(document, concept_scopes)
    notices = []
    for i, spec in enumerate(notices_file.notices):
        scope = cond.Scope("area" if spec.subject == "areas" else "scenario")
        basis = loader.basis(document, ("notices", i, "basis"), spec.basis)
        named = None
        if spec.when is not None:
            formula = parser.parse(spec.when, ("notices", i, "when"), scope)
            if formula is None:
                continue
            path, position = document.where(("notices", i))
            named = Named(spec.id, spec.text, formula, basis, file=path, line=position[0] if position else None)
        notices.append(Notice(spec.id, spec.subject, named, spec.text, basis))
    parser.check_nesting({cid: c.named.formula for cid, c in concepts.items()})
    loader.problems.extend(parser.problems)
    return notices
