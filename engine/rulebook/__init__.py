"""The rulebook: its rule files, the condition language, loading and checking it, and describing it.

rulefiles    the rule files' structure as pydantic models
conditions   the condition language: all / any / not over scenario fields and concepts
model        the loaded rulebook as plain frozen data (Rulebook, Role, Named, ...)
load         load_rulebook: rule files to a checked Rulebook, every problem located
extend       a rulebook that extends another: its chain of folders, files merged by id
inherited    what an extending rulebook inherits, fingerprinted, and what it acknowledged
choice       which rulebook evaluates a scenario; the shipped rulebooks and their roles
shipped      where the shipped rulebooks live
export       copying the shipped rulebooks out, for --rules
describe     the rulebook as text, Markdown and JSON
schema       the JSON Schema of rule files, for editors
"""
