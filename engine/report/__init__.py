"""The report: evaluating a scenario into one, the report itself, what changed, and checking `expect:`.

model      a report: each phase's report (one for a file without phases), read as its last; its JSON
procedures  how a verdict is decided: each used ground's procedure once, the strictest Diet approval
build      a phase's report assembled from the engine's outcomes: each case's reasons, rolled up
evaluate   a validated scenario (phase by phase) to its report, under the rulebook chosen for it
changes    which verdicts differ between two reports (compare, diff, a crisis timeline)
compare    one scenario under two rulebooks: the two reports and what changed
expect     what a scenario's `expect:` pins, and how a report measures up to it
flips      what would change a verdict, as data: each case of a report and the changes that flip it
decisions  the decisions each phase needs, in the order the procedure runs, read off the grounds' procedures
phase_matrix  every phase at a glance: each role's status in each phase, and its ground where it changed
beyond     measures beyond the roles that the scenario's facts make relevant, read from the same facts
record     the record beside the verdicts: agrees, differs or silent, per role and phase
"""
