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

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem, RulebookError, suggest
from ..scenario.yamlload import MAX_BYTES, problem_at
from . import conditions as cond
from .beyond import load_beyond
from .extend import ChainError, RuleDocument, chain, extends_of, read_chain, split_chain
from .model import Concept, Constraint, Ground, Named, Notice, Procedure, Role, Rulebook, Subject, Variant
from .procedures import in_force_from, in_force_when, not_in_force_limits, procedure_of, variants
from .reader import Reader, Unnamed, named_item, problem, unique
from .rulefiles import (
    ConceptsFile,
    ConceptSpec,
    ConstraintSpec,
    GroundSpec,
    InForceSpec,
    LimitSpec,
    NoticesFile,
    RoleFile,
    SourcesFile,
    SubjectSpec,
)
from .shipped import default_rules_dir


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
    loader = Reader(root)
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


def _check_extends(loader: Reader, document: RuleDocument, head: SourcesFile) -> None:
    """`extends:` as the YAML reads it must be what `chain` followed, and an extending rulebook names itself."""
    found = extends_of(loader.directory)
    if head.extends != (found[0] if found else None):
        message = 'write `extends: "<id>"` on a line of its own, at the top level of the file'
        loader.problems.append(problem_at(document, ("extends",), message, key=True))
    own = str(loader.directory / "rulebook.yaml")
    if len(loader.directories) > 1 and os.path.abspath(document.where(("rulebook",))[0]) != os.path.abspath(own):
        message = "a rulebook that extends another names itself: add `rulebook:` with its own id"
        loader.problems.append(problem_at(document, (), message))


def _load_concepts(loader: Reader) -> dict[str, Concept]:
    read = loader.read("concepts.yaml", ConceptsFile)
    if read is None:
        return {}
    document, concepts_file = read
    specs = concepts_file.concepts
    unique(loader, document, ("concepts",), [c.id for c in specs], "concept")
    scopes = {c.id: c.scope for c in specs}
    parser = cond.Parser(document, scopes)
    concepts: dict[str, Concept] = {}
    for i, spec in enumerate(specs):
        named = named_item(
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
    loader: Reader, document: RuleDocument, specs: list[ConceptSpec], concepts: dict[str, Concept]
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
    loader: Reader,
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


@dataclass
class _RoleFile:
    """One role file as it is read: where its problems go, how its conditions are parsed, and for which subjects."""

    loader: Reader
    document: RuleDocument
    parser: cond.Parser
    scope: cond.Scope

    def problem(self, loc: tuple[Any, ...], message: str) -> None:
        problem(self.loader, self.document, loc, message)

    def basis(self, loc: tuple[Any, ...], entries: list[str]) -> tuple[str, ...]:
        return self.loader.basis(self.document, loc, entries)

    def named(
        self, loc: tuple[Any, ...], item: Any, *, text: str, unmet: str | None = None, **extra: Any
    ) -> Named | None:
        return named_item(
            self.loader, self.parser, self.document, loc, item, self.scope, text=text, unmet=unmet, **extra
        )

    def named_list(self, section: str, specs: list[Any]) -> tuple[Named, ...]:
        unique(self.loader, self.document, (section,), [s.id for s in specs], section.rstrip("s"))
        out = []
        for i, item in enumerate(specs):
            if isinstance(item, LimitSpec):
                found = self.named((section, i), item, text=item.reason, interpretation=item.interpretation)
                if found is not None and item.in_force is not None:
                    self.basis((section, i, "in_force", "basis"), item.in_force.basis)
                    found = found._replace(formula=in_force_from(item.in_force, found.formula, found.line))
            else:
                found = self.named((section, i), item, text=item.text, unmet=item.unmet)
            if found is not None:
                out.append(found)
        return tuple(out)

    def constraints(self, loc: tuple[Any, ...], specs: list[ConstraintSpec]) -> tuple[Constraint, ...]:
        out = []
        for i, item in enumerate(specs):
            basis = self.basis(loc + (i, "basis"), item.basis)
            when = None
            if item.when is not None:
                when = self.named(loc + (i,), Unnamed(f"constraint {i + 1}", item.when, []), text=item.text)
            out.append(Constraint(item.text, basis, when))
        return tuple(out)


def _load_role(
    loader: Reader, relative: str, role_id: str, concept_scopes: dict[str, str], concepts: dict[str, Concept]
) -> Role | None:
    read = loader.read(relative, RoleFile)
    if read is None:
        return None
    document, spec = read
    if spec.role != role_id:
        problem(loader, document, ("role",), f"file {relative} must define role {role_id!r}, not {spec.role!r}")
    subject = _subject(loader, document, spec.subject)
    role = _RoleFile(loader, document, cond.Parser(document, concept_scopes), subject.scope)
    triggers = role.named_list("triggers", spec.triggers)
    limits = role.named_list("limits", spec.limits)
    laws: list[tuple[InForceSpec, tuple[Any, ...]]] = []  # and where each is written
    grounds = _grounds(role, spec, laws)
    limits += not_in_force_limits(document, laws, {n.id for n in limits})
    all_ids = [n.id for n in (*spec.triggers, *spec.grounds, *spec.limits)]
    if len(set(all_ids)) != len(all_ids):
        dupes = sorted({i for i in all_ids if all_ids.count(i) > 1})
        role.problem((), f"triggers, grounds and limits share ids: {', '.join(dupes)}")
    basis = role.basis(("basis",), spec.basis)
    notes = tuple((n.text, role.basis(("notes", i, "basis"), n.basis)) for i, n in enumerate(spec.notes))
    role_constraints = role.constraints(("constraints",), spec.constraints)
    role.parser.check_nesting({cid: c.named.formula for cid, c in concepts.items()})
    loader.problems.extend(role.parser.problems)
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


def _subject(loader: Reader, document: RuleDocument, spec: SubjectSpec) -> Subject:
    """A role's subjects: every area, the events of some types, the requests for some items, or the scenario."""
    if spec.kind == "events" and not spec.types:
        problem(loader, document, ("subject", "kind"), "a role about events lists their `types`")
    if spec.kind != "events" and spec.types:
        problem(loader, document, ("subject", "types"), "`types` is only for `kind: events`")
    if spec.kind != "requests" and spec.items:
        problem(loader, document, ("subject", "items"), "`items` is only for `kind: requests`")
    items = tuple(spec.items)
    if spec.kind == "requests" and not items:
        message = "a role about requests lists its `items` (the requests it is about)"
        problem(loader, document, ("subject", "kind"), message)
    return Subject(spec.kind, tuple(spec.types), spec.missing, items)


def _grounds(role: _RoleFile, spec: RoleFile, laws: list[tuple[InForceSpec, tuple[Any, ...]]]) -> tuple[Ground, ...]:
    """A role's grounds, each with its procedure (or the role's) and its law in force (added to `laws`)."""
    role_procedure = None
    if spec.procedure is not None:
        role_procedure = procedure_of(role.loader, role.document, ("procedure",), spec.procedure)
    unique(role.loader, role.document, ("grounds",), [g.id for g in spec.grounds], "ground")
    return tuple(_ground(role, spec, i, ground, role_procedure, laws) for i, ground in enumerate(spec.grounds))


def _ground(
    role: _RoleFile,
    spec: RoleFile,
    i: int,
    ground: GroundSpec,
    role_procedure: Procedure | None,
    laws: list[tuple[InForceSpec, tuple[Any, ...]]],
) -> Ground:
    loc = ("grounds", i)
    document = role.document
    when = role.named(loc, ground, text=ground.text, unmet=ground.unmet) if ground.when is not None else None
    in_force = ground.in_force if "in_force" in ground.model_fields_set else spec.in_force
    if in_force is not None:
        at = loc if "in_force" in ground.model_fields_set else ()
        role.basis(at + ("in_force", "basis"), in_force.basis)
        when = in_force_when(document, loc, ground, when, in_force)
        laws.append((in_force, at + ("in_force",)))
    basis = role.basis(loc + ("basis",), ground.basis)
    chosen = variants(role.loader, role.parser, document, loc + ("procedure",), ground.procedure, role.scope)
    if ground.procedure is None:
        if role_procedure is None:
            role.problem(loc, f"ground {ground.id!r} has no `procedure`, and the role has none to fall back on")
        else:
            chosen = (Variant(role_procedure),)
    path, position = document.where(loc)
    return Ground(
        ground.id,
        ground.title,
        ground.text,
        basis,
        when,
        chosen,
        role.constraints(loc + ("constraints",), ground.constraints),
        ground.unmet,
        ground.interpretation,
        path,
        position[0] if position else None,
        in_force=(in_force.law, in_force.date.isoformat()) if in_force else None,
    )


def _load_notices(loader: Reader, concept_scopes: dict[str, str], concepts: dict[str, Concept]) -> list[Notice]:
    if not loader.has("notices.yaml"):
        return []
    read = loader.read("notices.yaml", NoticesFile)
    if read is None:
        return []
    document, notices_file = read
    unique(loader, document, ("notices",), [n.id for n in notices_file.notices], "notice")
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
