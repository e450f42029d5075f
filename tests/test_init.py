"""The top-level API: every exported name resolves, and importing the package stays light."""

import subprocess
import sys
import types

import harrowperf as hp


def test_every_exported_name_resolves():
    for name in hp.__all__:
        value = getattr(hp, name)
        assert value is not None, name
    assert callable(hp.read_scorecard) and callable(hp.preview) and callable(hp.assess)
    assert isinstance(hp.gaps, types.ModuleType) and hp.gaps.target_gaps is hp.target_gaps


def test_import_does_not_load_heavy_libraries():
    heavy = ("altair", "statsmodels", "papermill", "openpyxl")
    code = f"import sys, harrowperf; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
