"""The boundary with durable_rules: compiling a rulebook into rulesets, running them, and caching both ends.

The only part of the package that imports durable_rules (in host.py).

    compiler     a rulebook as durable_rules rulesets, checked against the engine's limits
    network      the compiled rulebook's parts: nodes, links, rule actions, rulesets, roles
    builder      one ruleset built: the nodes of its conditions and the rules giving each its value
    host         the quiet durable_rules Host, and durable_rules' errors in words
    runtime      the Evaluator: scenario facts in, one outcome per role and subject out
    facts        a validated scenario as engine facts
    reading      what a role or notice reads (its memo key), and its outcome read off the firings
    outcome      what the engine decided for one subject, and what is judged per subject
    memo         outcomes kept between runs
    cache        compiled rulebooks kept between runs, under a SHA-256 of the rule files and the engine
    prebuilt     the shipped rulebooks compiled when the package is built, read on a first start
    cachedir     the cache folder: where it is, its size limit, pruning and clearing
    evaluators   one shared evaluator per rulebook and process
"""
