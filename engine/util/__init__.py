"""The ground floor beside `engine.errors`: small helpers every layer may use, importing only `engine.errors`.

files     reading without blocking on FIFOs, writing whole or not at all, cache files with a checksum
signals   holding SIGINT and SIGTERM back while something must not be cut short
text      wrapping text for the terminal, citing provisions, messages, escaping control characters
markdown  text made safe to put in Markdown: it shows as written and adds no markup
"""
