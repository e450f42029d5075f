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


def test_function_names_are_not_shadowed_by_submodules():
    """Importing a submodule sets it as an attribute of the package: no module may share a function's name."""
    import importlib
    import pkgutil

    modules = {info.name for info in pkgutil.iter_modules(hp.__path__)}
    for name in hp._LAZY:
        assert name not in modules, f"harrowperf.{name} is both a function and a module"
        importlib.import_module(f"harrowperf.{hp._LAZY[name]}")
    assert callable(hp.preview)
