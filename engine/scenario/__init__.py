"""The scenario format: its words, models and limits, safe YAML loading with positions, the JSON Schema.

vocab        the words of the contract: every enum, role id and status
fields       the scenario fields a rule may read, and the facts they become
models       the scenario file as pydantic models
yamlload     safe YAML loading that keeps every position
located      pydantic errors as located problems (scenario and rule files alike)
crosscheck   checks across fields: unique area ids, events naming real areas (in every phase)
phases       a crisis as it unfolds: each phase merged into the state before it
overrides    what-if changes (`--set PATH=VALUE`) applied before validation
load         load_scenario, parse_scenario, and the fast path the command line takes
fastschema   the fast path's validator (its schema is generated into _scenario_schema.py)
schema       the JSON Schema, for editors
skeleton     the commented skeleton `guidelines new` writes
warnings     what a valid scenario says that is likely a mistake, or means less than it seems
examples     the example scenarios shipped with the package, and copying them out
"""
