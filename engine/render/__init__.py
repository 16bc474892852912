"""Reports written for people and tools: text, the matrix, Markdown, CSV, HTML, the timeline, compare.

text           the text report, for a person at a terminal (header, matrix, each role's details)
table          the matrix of roles and areas or requests, as text within the width
grid           the column layout shared by the matrix and the compare matrix: blocks, headers, key
legend         the marks, words and colours of the statuses, and the sources cited
timeline       a phased file's header and timeline: what changed from each phase to the next
changes        what changed between two reports, as lines with why
changes_csv    what changed between two reports, as CSV rows (`diff --format csv`)
markdown       the report as a Markdown document
csv            one row per role and area or request
html           one self-contained HTML page (templates/ holds its Jinja2 templates)
compare        a comparison as the paired matrix, Markdown, CSV and HTML
compare_text   a comparison as text, and the summary of a compared directory
flips          what would change each verdict, as text, Markdown and JSON
decisions      the decisions by phase as text, Markdown, CSV and HTML data
phase_matrix   every phase at a glance (roles × phases) as text within the width, Markdown and HTML data
beyond         the "Beyond these roles" section: measures other laws govern, in text, Markdown and HTML
record         the record beside the verdicts, the scenario's sources, a batch's record summary
"""
