"""The ground floor beside `engine.errors`: small helpers every layer may use, importing no other engine code.

files   writing a file whole or not at all
text    wrapping text for the terminal, citing provisions
"""
