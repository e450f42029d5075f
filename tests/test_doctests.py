"""The examples in the library's docstrings run and print what they show (doctest, module by module)."""

from __future__ import annotations

import doctest
import importlib

import pytest
from conftest import ROOT

PACKAGE = ROOT / "harrowperf"
WITH_EXAMPLES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for path in PACKAGE.rglob("*.py") if ">>>" in path.read_text("utf-8"))


def test_the_library_has_docstring_examples():
    assert len(WITH_EXAMPLES) >= 8


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples_run(name, monkeypatch):
    monkeypatch.chdir(ROOT)          # examples name files as the README does, from the project folder
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    for test in doctest.DocTestFinder().find(module, name):
        runner.run(test, out=report.append)
    outcome = runner.summarize(verbose=False)
    assert outcome.failed == 0, "".join(report)
