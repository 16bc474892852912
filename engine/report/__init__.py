"""The report: evaluating a scenario into one, its text form, explanations, and checking `expect:`.

model      the report of one evaluation, built from the engine's outcomes only
evaluate   evaluate_data: a validated scenario to its report
render     the text report, for a person at a terminal
explain    every trigger, condition and limit behind each verdict, and the values they saw
expect     what a scenario's `expect:` pins, and how a report measures up to it
changes    what changed between two reports, and why (compare, diff, a crisis timeline)
"""
