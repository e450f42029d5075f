"""Analyse: numbers only. RAG, target gaps, trend, SPC, forecasts, budget and benchmark analyses.

Each function takes a frame and returns a new frame. Imports the foundation and the readers' frame
contracts; never reads files, formats numbers or writes sentences.
"""
