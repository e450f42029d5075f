"""Read: files -> tidy frames. Cells (value, number format, displayed text, fill), the value grammar,
scorecard, budget, history, catalogue and comparative datasets. Every value keeps the cell it came from.

Imports only the foundation.
"""
