"""Compiling rules into durable_rules rulesets, and keeping them inside the engine's limits."""

from __future__ import annotations

import json

import pytest
import yaml

from engine.rete.compiler import STACK_LIMIT, CompiledRuleset, check_limits, compile_rulebook
from engine.rete.host import QuietHost
from engine.rete.runtime import Evaluator, facts_from_data
from engine.rulebook.conditions import Scope
from engine.rulebook.load import load_rulebook
from engine.scenario import load

from ..conftest import ROOT, RULES, RULES_V2, SCENARIOS


def test_every_rule_is_json_with_a_named_action(evaluator):
    """Definitions are plain JSON (durable_rules' Host form) whose actions are resolved by name."""
    for name, ruleset in evaluator.compiled.rulesets.items():
        json.dumps(ruleset.definition)
        for rule_name, rule in ruleset.definition.items():
            assert rule["run"].startswith(f"{name}:"), rule_name
            assert set(rule) == {"all", "run"}


def test_every_fact_kind_has_a_sink(evaluator):
    """A fact no rule takes fails a whole batch in durable_rules, so every kind has a sink rule."""
    for ruleset in evaluator.compiled.rulesets.values():
        for kind in ("scenario", "area", "event", "request", "node"):
            assert f"sink_{kind}" in ruleset.definition


def test_leaves_compile_to_exact_complements(rulebook):
    """Each leaf is a pair of rules whose tests are complements, so every fact gets exactly one value (compiled
    plain, as every leaf is; fused gates test the same pairs)."""
    ruleset = compile_rulebook(rulebook, plain=True).rulesets["minesweeping"]
    by_node: dict[str, list] = {}
    for rule_name, action in ruleset.actions.items():
        if action.kind == "node" and ruleset.nodes[action.node].kind == "leaf":
            by_node.setdefault(action.node, []).append((action.value, ruleset.definition[rule_name]["all"]))
    kind_leaves = [node for node in by_node if node.endswith("area.kind")]
    assert kind_leaves
    for node in kind_leaves:
        tests = {value: patterns[0]["x"]["$and"][1] for value, patterns in by_node[node]}
        kinds = [item["kind"] for item in tests[True]["$or"]] if "$or" in tests[True] else [tests[True]["kind"]]
        negated = tests[False]["$and"] if "$and" in tests[False] else [tests[False]]
        assert negated == [{"$neq": {"kind": kind}} for kind in kinds], node
    seas = {"$or": [{"kind": "japan"}, {"kind": "high_seas"}, {"kind": "distant_high_seas"}]}
    assert any(
        patterns[0]["x"]["$and"][1] == seas for node in kind_leaves for value, patterns in by_node[node] if value
    )


def _many_neq(count: int) -> CompiledRuleset:
    definition = {
        f"r{i}": {"all": [{"x": {"$and": [{"t": "area"}, {"$neq": {"kind": f"v{i}"}}]}}], "run": "t:never"}
        for i in range(count)
    }
    return CompiledRuleset("wide", definition, {}, {}, Scope("area"))


@pytest.mark.parametrize("count", [STACK_LIMIT, STACK_LIMIT + 1])
def test_stack_limit_check_matches_durable_rules(rulebook, count):
    """The check flags exactly the rulesets on which durable_rules fails with error 303."""
    ruleset = _many_neq(count)
    flagged = bool(check_limits(ruleset, rulebook))
    host = QuietHost({"t:never": lambda c: None})
    host.register_rulesets({"wide": json.loads(json.dumps(ruleset.definition))})
    try:
        host.assert_facts("wide", [{"id": "a", "t": "area", "kind": "zzz", "sid": "1"}])
        failed = False
        host.delete_state("wide", "1")
    except Exception as exc:  # durable_rules_engine.error
        assert "303" in str(exc)
        failed = True
    assert flagged == failed == (count > STACK_LIMIT)


def test_shipped_rulebook_is_far_from_the_limits(evaluator, rulebook):
    for ruleset in evaluator.compiled.rulesets.values():
        assert check_limits(ruleset, rulebook) == []


def test_wide_gates_are_split_and_still_exact(rules_copy):
    """A role with more grounds than one gate joins is compiled into nested gates, with the same verdicts."""
    from engine.report.evaluate import evaluate_data
    from engine.rete.runtime import Evaluator
    from engine.rulebook.load import load_rulebook
    from engine.scenario import load

    from ..conftest import SCENARIOS
    from ..reference import reference_report

    path = rules_copy / "roles" / "surveillance.yaml"
    extra_grounds = "".join(
        f"  - id: extra_ground_{i}\n    title: padding\n    text: Never holds.\n"
        f"    when: {{all: [area.kind: japan, area.consent: true, area.combat: {c}]}}\n"
        '    basis: ["G97 V"]\n'
        '    procedure: {decision: Padding., diet_approval: none, basis: ["G97 V"]}\n'
        for i, c in enumerate(["none", "expected", "ongoing"] * 2)
    )
    text = path.read_text()
    path.write_text(text.replace("\nlimits:\n", "\n" + extra_grounds + "\nlimits:\n", 1))
    evaluator = Evaluator(load_rulebook(rules_copy), memo=False)
    gates = [n for n in evaluator.compiled.rulesets["surveillance"].nodes.values() if "#" in n.id]
    assert gates, "the wide gates were split"
    for scenario_path in sorted(SCENARIOS.glob("*.yaml")):
        report = evaluate_data(load(scenario_path).data, evaluator, source="x").as_dict()
        expected = reference_report(yaml.safe_load(scenario_path.read_text()), rules_copy)["roles"]["surveillance"]
        assert [c["status"] for c in report["roles"]["surveillance"]["cases"]] == [
            j["status"] for j in expected["cases"]
        ]
        assert [c["ground"] for c in report["roles"]["surveillance"]["cases"]] == [
            j["ground"] for j in expected["cases"]
        ]


def test_the_version_2_fixture_is_far_from_the_limits(rulebook_v2):
    """Grounds, folds and adjacency add rules; the rulesets of a rulebook using them all stay inside the limits."""
    from engine.rete.compiler import compile_rulebook

    compiled = compile_rulebook(rulebook_v2)
    assert len(compiled.rulesets) == len(rulebook_v2.roles) + 1  # each role, and the notices
    for ruleset in compiled.rulesets.values():
        assert check_limits(ruleset, rulebook_v2) == []


def test_date_leaves_are_exact_complements():
    """`before` is true only for a dated scenario before the day; its complement takes undated ones too."""
    from engine.rete.builder import _predicate

    assert _predicate("date", "before", (20070109,), True) == {
        "$and": [{"$gt": {"date": 0}}, {"$lt": {"date": 20070109}}]
    }
    assert _predicate("date", "before", (20070109,), False) == {"$or": [{"date": 0}, {"$gte": {"date": 20070109}}]}
    assert _predicate("date", "on_or_after", (20070109,), True) == {"$gte": {"date": 20070109}}
    assert _predicate("date", "on_or_after", (20070109,), False) == {"$lt": {"date": 20070109}}


def _dates(count: int) -> str:
    """`count` comparisons of the scenario's date with different days: as many leaves, none shared."""
    import datetime

    first = datetime.date(2001, 1, 1)
    return ", ".join(f"date: {{before: {first + datetime.timedelta(days=i)}}}" for i in range(count))


@pytest.mark.parametrize("where", ["ground", "concept"])
def test_a_limit_names_the_rule_file_and_the_item_that_reaches_it(rules_copy, where):
    """A rulebook that would reach a durable_rules limit is refused at its source: each problem names the rule
    file, the line and the id of the item whose rules reach the limit, not only the ruleset."""
    from engine.errors import RulebookError
    from engine.rete.compiler import compile_rulebook
    from engine.rulebook.load import load_rulebook

    wide = f"{{any: [{_dates(140)}]}}"
    role = rules_copy / "roles" / "minesweeping.yaml"
    concepts = rules_copy / "concepts.yaml"
    when = "{concept: wide_dates}" if where == "concept" else wide
    ground = (
        f"  - id: padding\n    title: padding\n    text: Never holds.\n    when: {when}\n"
        '    basis: ["G97 V"]\n    procedure: {decision: Padding., diet_approval: none, basis: ["G97 V"]}\n'
    )
    text = role.read_text()
    role.write_text(text.replace("\ngrounds:\n", "\ngrounds:\n" + ground, 1))
    path, line, item = role, text[: text.index("\ngrounds:\n")].count("\n") + 3, "ground padding"
    if where == "concept":
        text = concepts.read_text()
        concept = f"  - id: wide_dates\n    scope: scenario\n    title: t\n    text: t\n    when: {wide}\n    basis: [G97 V]\n"
        concepts.write_text(text.replace("\nconcepts:\n", "\nconcepts:\n" + concept, 1))
        path, line, item = concepts, text[: text.index("\nconcepts:\n")].count("\n") + 3, "concept wide_dates"
    with pytest.raises(RulebookError) as raised:
        compile_rulebook(load_rulebook(rules_copy))
    problems = raised.value.problems
    assert {(p.path, p.line, p.field) for p in problems} == {(str(path), line, item)}
    messages = [p.message for p in problems]
    assert any(m.startswith("ruleset 'minesweeping' has too many rules sharing one pattern") for m in messages)
    assert any("rules join up to 21 facts; durable_rules joins at most 16" in m for m in messages)


def _firings(evaluator: Evaluator, facts: list) -> tuple[list, int]:
    """Each scenario's outcomes, and the firings it took to reach them all."""
    fired = [0]
    make = evaluator._action

    def counted(ruleset, action):
        run = make(ruleset, action)

        def count(c):
            fired[0] += 1
            run(c)

        return count

    evaluator._action = counted
    return [evaluator.judge(f) for f in facts], fired[0]


@pytest.mark.parametrize("directory", [RULES, ROOT / "rules" / "2015", RULES_V2], ids=["1997", "2015", "v2-fixture"])
def test_fused_rules_reach_the_plain_rules_outcomes_in_half_the_firings(directory):
    """Fusing gates over comparisons and reading one-child gates as aliases changes no verdict and no node value
    an explanation reads, for every shipped scenario, and takes far fewer firings than one per node (on the
    benchmark's corpus under the 1997 rulebook, less than half: `benchmarks/engine_profile.py`)."""
    rulebook = load_rulebook(directory)
    facts = [facts_from_data(load(p).scenario.model_dump(mode="json")) for p in sorted(SCENARIOS.glob("*.yaml"))]
    plain, plain_fired = _firings(Evaluator(compile_rulebook(rulebook, plain=True), memo=False), facts)
    fused, fused_fired = _firings(Evaluator(compile_rulebook(rulebook), memo=False), facts)
    assert fused == plain
    assert fused_fired <= 0.6 * plain_fired


def test_a_gate_of_one_child_has_no_rules_and_its_childs_value(rulebook):
    """A concept that is one formula is an alias: no rule of its own, and the value its child has."""
    compiled = compile_rulebook(rulebook)
    aliases = {
        (name, node.id) for name, ruleset in compiled.rulesets.items() for node in ruleset.nodes.values() if node.alias
    }
    assert aliases
    for name, node_id in aliases:
        assert all(action.node != node_id for action in compiled.rulesets[name].actions.values())


def test_a_ruleset_that_fusing_would_take_past_a_limit_is_compiled_plain(rulebook, monkeypatch):
    """Fusing adds alpha branches: where that would pass durable_rules' stack limit, the role's ruleset is compiled
    plain (one node, one firing) and the others stay fused, with the same outcomes."""
    from engine.rete import compiler

    monkeypatch.setattr(compiler, "STACK_LIMIT", 15)  # search_and_rescue fused needs 21 places, plain 14
    compiled = compile_rulebook(rulebook)
    fused = {
        name for name, ruleset in compiled.rulesets.items() if any(a.kind == "fused" for a in ruleset.actions.values())
    }
    assert "search_and_rescue" not in fused and "minesweeping" in fused
    facts = [facts_from_data(load(p).scenario.model_dump(mode="json")) for p in sorted(SCENARIOS.glob("*.yaml"))]
    plain = Evaluator(compile_rulebook(rulebook, plain=True), memo=False)
    mixed = Evaluator(compiled, memo=False)
    assert [mixed.judge(f) for f in facts] == [plain.judge(f) for f in facts]
