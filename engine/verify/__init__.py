"""Verification: the rulebook's invariants as data, `guidelines check`, and scenario generators.

invariants   the hard limits of invariants.yaml, and checking outcomes against them
check        generated and enumerated scenarios run against the invariants; counterexamples
space        the bounded space of scenarios `check --exhaustive` enumerates, and its size
strategies   hypothesis strategies for valid scenarios (also importable as engine.strategies)
coverage     which rule items the scenarios exercise: each item true and false, each ground applied
flip         for each case, the smallest changes of the facts that change its status, verified with --set
"""
