"""Pipeline: the jobs. Clean data/raw into data/clean, set up a notebook, run every notebook for a
quarter, render report pages, publish them, and the ``harrowperf`` command line.
"""
