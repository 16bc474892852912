"""Explanations: every trigger, ground, condition and limit behind each verdict, in sentences or as a trace.

explanations   what the engine checked for each case, and the values it saw (`guidelines explain`)
sentences      an explanation in sentences for a person, or as the technical trace
phrases        the words for subjects, comparisons and values that the sentences are made of

(Not `engine/explain/`: a subpackage of that name would take the place of `engine.explain()`, the API.)
"""
