"""The README's Python examples run as written: on data/raw, and on a clean of it for "data/clean"."""

import re

import pytest
from conftest import RAW, ROOT

from harrowperf.foundation.findings import FINDING_COLUMNS

pytestmark = pytest.mark.xdist_group("clean_real_raw")  # shares the one clean of data/raw

EXAMPLES = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S)


def test_the_readme_has_its_examples():
    assert len(EXAMPLES) >= 2 and all("import harrowperf as hp" in code for code in EXAMPLES)


@pytest.mark.parametrize("number", range(len(EXAMPLES)))
def test_each_readme_example_runs(number, real_clean_dir):
    code = EXAMPLES[number].replace('"data/clean"', repr(str(real_clean_dir))).replace('"data/raw/', f'"{RAW}/')
    names: dict = {}
    exec(compile(code, f"README.md example {number + 1}", "exec"), names)
    if "scorecard" in names:  # the first example: the reader's findings are beside its frame
        assert list(names["scorecard"].findings.columns) == list(FINDING_COLUMNS)
        assert len(names["frame"]) == 249
