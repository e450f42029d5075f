"""The README's Python examples run as written: on data/raw, and on a clean of it for "data/clean"."""

import re

import pytest
from conftest import RAW, ROOT

from harrowperf.foundation.findings import FINDING_COLUMNS

pytestmark = pytest.mark.xdist_group("clean_real_raw")  # shares the one clean of data/raw

EXAMPLES = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S)


def test_the_readme_has_its_examples():
    assert len(EXAMPLES) >= 2 and "import harrowperf as hp" in EXAMPLES[0]


@pytest.mark.parametrize("number", range(len(EXAMPLES)))
def test_each_readme_example_runs(number, real_clean_dir):
    """Example n runs after the examples before it, as a reader would run them in one session."""
    names: dict = {}
    for earlier, code in enumerate(EXAMPLES[:number + 1], start=1):
        code = code.replace('"data/clean"', repr(str(real_clean_dir))).replace('"data/raw/', f'"{RAW}/')
        exec(compile(code, f"README.md example {earlier}", "exec"), names)
    assert list(names["scorecard"].findings.columns) == list(FINDING_COLUMNS)  # beside the frame, not in it
    assert names["frame"].attrs == {}
