"""Batches: finding scenario files, evaluating, validating and testing each, over several processes, in order.

discover   the scenario files that paths name
work       what is done with each file, in whichever process takes it
compare    each file compared under two rulebooks, in whichever process takes it
parallel   spreading a batch over processes, results in input order
workers    a batch's chunks shared between a pool of workers and this process; broken pools replaced
pool       the worker processes: what each runs, and the pool the parent watches
"""
