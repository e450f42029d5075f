"""Foundation: what every layer shares. Errors, periods, council conventions, frame contracts and ids.

Imports nothing else from harrowperf.
"""
