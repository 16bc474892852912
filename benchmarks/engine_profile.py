"""Where the time of an evaluation on durable_rules goes: shares of a profile, and firings per scenario.

    python benchmarks/engine_profile.py            # 1,000 generated scenarios, memo off
    python benchmarks/engine_profile.py --count 300
    python benchmarks/engine_profile.py --plain    # the rules compiled plain: no gate fused or aliased

Every scenario runs on durable_rules (memo off), as in the memo-off rows of
`run.py`. The profile (cProfile) is grouped into: durable_rules' C core, the
JSON that carries every fact into it and every firing out of it, durable_rules'
own Python layer, and ours (the action loop, the actions, building facts and
outcomes, the report). cProfile inflates Python's share against C's a little:
compare shares between runs, not with wall-clock figures. Firings per scenario
are counted by kind of node (`fused`: a gate fused over comparisons, which
settles them too), beside those of the same rules compiled plain, one node
one firing, as they were before fusing and aliasing.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import pstats
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import scenario  # noqa: E402

GROUPS = (  # (what a function's file or name contains, the group), first match wins
    ("durable_rules_engine", "durable_rules' C core"),
    ("json", "JSON to and from the C core"),
    ("durable/engine.py", "durable_rules' Python layer"),
    ("engine/rete/host.py", "our action loop (rete/host.py)"),
    ("engine/rete/", "our facts, actions and outcomes (rete/)"),
    ("engine/report/", "the report and its explanations"),
    ("engine/", "the rest of guidelines"),
)


def group(filename: str, name: str) -> str:
    for needle, label in GROUPS:
        if needle in name or needle in filename:
            return label
    return "Python itself (builtins, standard library)"


def make_evaluator(plain: bool = False):  # type: ignore[no-untyped-def]
    """An evaluator of the shipped 1997 rulebook with the memo off; `plain`: its rules compiled plain."""
    from engine.rete.compiler import compile_rulebook
    from engine.rete.runtime import Evaluator
    from engine.rulebook.load import load_rulebook

    return Evaluator(compile_rulebook(load_rulebook(ROOT / "rules" / "1997"), plain=plain), memo=False)


def scenarios(count: int) -> list:  # type: ignore[type-arg]
    from engine.scenario.fastschema import validate

    rng = random.Random(2015)
    return [validate(scenario(rng, n)) for n in range(count)]


def counting(evaluator) -> collections.Counter[str]:  # type: ignore[no-untyped-def]
    """Count the evaluator's firings from now on, by kind of node (or of action: verdict, notice)."""
    firings: collections.Counter[str] = collections.Counter()
    make_action = evaluator._action

    def counted(ruleset, action):  # type: ignore[no-untyped-def]
        run = make_action(ruleset, action)
        node = evaluator.compiled.rulesets[ruleset].nodes.get(action.node)
        kind = "fused" if action.kind == "fused" else node.kind if node is not None else action.kind

        def count(c):  # type: ignore[no-untyped-def]
            firings[kind] += 1
            run(c)

        return count

    evaluator._action = counted
    evaluator._host = None  # the host is made again, with counting actions
    return firings


def firings_per_scenario(data: list, plain: bool) -> tuple[float, dict[str, float]]:  # type: ignore[type-arg]
    """Firings per scenario over `data`, in all and by kind."""
    from engine.report.evaluate import evaluate_data

    counted = make_evaluator(plain)
    firings = counting(counted)
    for item in data:
        evaluate_data(item, counted, source="<generated>")
    per = {kind: n / len(data) for kind, n in firings.most_common()}
    return sum(per.values()), per


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1_000, help="scenarios to evaluate")
    parser.add_argument("--plain", action="store_true", help="profile the rules compiled plain")
    args = parser.parse_args()

    from engine.report.evaluate import evaluate_data

    profiled = make_evaluator(args.plain)
    data = scenarios(args.count)
    evaluate_data(data[0], profiled, source="<generated>")  # start durable_rules outside the profile
    firings = counting(profiled)

    profile = cProfile.Profile()
    profile.enable()
    for item in data:
        evaluate_data(item, profiled, source="<generated>")
    profile.disable()

    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in stats.values())
    shares: collections.Counter[str] = collections.Counter()
    for (filename, _, name), entry in stats.items():
        shares[group(filename, name)] += entry[2]
    compiled = "compiled plain" if args.plain else "fused and aliased"
    print(f"{args.count:,} scenarios, memo off, rules {compiled}, {total:.1f} s under the profiler\n")
    for label, seconds in shares.most_common():
        print(f"{seconds / total * 100:5.1f}%  {label}")
    per = {kind: n / args.count for kind, n in firings.most_common()}
    kinds = ", ".join(f"{kind} {n:.0f}" for kind, n in per.items())
    print(f"\nfirings per scenario: {sum(per.values()):.0f} ({kinds})")
    other, _ = firings_per_scenario(data, not args.plain)
    print(f"the same scenarios with the rules {'fused and aliased' if args.plain else 'compiled plain'}: {other:.0f}")


if __name__ == "__main__":
    main()
