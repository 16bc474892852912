"""The rulebook: its rule files, the condition language, loading and checking it, and describing it.

rulefiles    the rule files' structure as pydantic models
conditions   the condition language: all / any / not over scenario fields and concepts
model        the loaded rulebook as plain frozen data (Rulebook, Role, Named, ...)
load         load_rulebook: rule files to a checked Rulebook, every problem located
reader       the loader's reading: rule files merged and validated, problems kept at file and line, named items
procedures   a ground's procedure and its variants, and the laws in force a ground rests on
shipped      where the shipped rulebooks live
choice       which rulebook evaluates a scenario (the one in force on its date), and why; the shipped
             rulebooks and their roles
extend       a rulebook that extends another: the directories it draws on, rule files merged by id
inherited    what an extending rulebook inherits, fingerprinted, and what it acknowledged
export       copying the shipped rulebooks out, for --rules
describe     the rulebook as text, Markdown and JSON
schema       the JSON Schema of rule files, for editors
beyond       measures beyond the roles (beyond.yaml): other laws, shown when the facts make them relevant
"""
