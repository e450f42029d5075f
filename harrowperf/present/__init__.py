"""Present: numbers -> what people read. Charts, figures (chart -> offline HTML), Excel and CSV exports.

Imports analyses, readers and the foundation; never reads raw files.
"""
