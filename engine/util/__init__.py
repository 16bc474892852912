"""The ground floor beside `engine.errors`: small helpers every layer may use, importing no other engine code.

files   reading without blocking on FIFOs, writing whole or not at all, cache files with a checksum
text    wrapping text for the terminal, citing provisions
"""
