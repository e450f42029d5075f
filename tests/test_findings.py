"""The findings table: one shape for every reader and analysis, returned beside frames, never inside them."""

import ast
from pathlib import Path

import pandas as pd
import pytest
from conftest import RAW

import harrowperf as hp
from harrowperf.foundation.findings import FINDING_COLUMNS, Read, concat_findings, findings_table

PACKAGE = Path(hp.__file__).resolve().parent


def finding(cell: str, issue: str = "unparsed_value", severity: str = "warning") -> dict:
    return {"source": "q2.xlsx", "sheet": "Business", "cell": cell, "severity": severity, "issue": issue,
            "text": "tbc", "message": "not a number"}


def test_a_table_from_records_has_the_columns_in_order():
    table = findings_table([finding("C6"), {**finding("D7", "cell_not_read"), "text": "note"}])
    assert list(table.columns) == list(FINDING_COLUMNS)
    assert table[["cell", "issue", "text"]].values.tolist() == [["C6", "unparsed_value", "tbc"],
                                                                ["D7", "cell_not_read", "note"]]


def test_no_findings_is_an_empty_table_with_the_columns():
    assert findings_table().empty and list(findings_table().columns) == list(FINDING_COLUMNS)


def test_an_unknown_severity_is_refused():
    with pytest.raises(ValueError, match=r"\['error'\] is not one of info, warning"):
        findings_table([finding("C6", severity="error")])


def test_concat_keeps_the_order_and_skips_empty_tables():
    first, second = findings_table([finding("C6")]), findings_table([finding("A1", "sheet_skipped", "info")])
    combined = concat_findings([first, findings_table(), second])
    assert combined["cell"].tolist() == ["C6", "A1"] and list(combined.index) == [0, 1]
    assert list(combined.columns) == list(FINDING_COLUMNS)
    shuffled = second[list(reversed(FINDING_COLUMNS))]  # e.g. read back from a file
    assert list(concat_findings([shuffled]).columns) == list(FINDING_COLUMNS)
    assert concat_findings([]).empty and list(concat_findings([]).columns) == list(FINDING_COLUMNS)


@pytest.mark.parametrize(("reader", "path"), [
    (hp.read_scorecard, RAW / "scorecards" / "corporate_scorecard_2016-17_q2.xlsx"),
    (hp.read_budget, RAW / "budget" / "harrow_budget_gaps_by_round.xlsx"),
    (hp.read_history, RAW / "history" / "harrow_measure_history.csv"),
])
def test_every_reader_returns_its_frame_and_findings_side_by_side(reader, path):
    result = reader(path)
    assert isinstance(result, Read)
    assert type(result.frame) is pd.DataFrame and len(result.frame) > 0
    assert list(result.findings.columns) == list(FINDING_COLUMNS)
    assert result.frame.attrs == {} and result.findings.attrs == {}
    with pytest.raises(AttributeError):
        result.frame = pd.DataFrame()  # frozen: a result is what the reader saw


def _python_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_uses_dataframe_attrs():
    """pandas' attrs are experimental and deep-copied by every operation; findings are returned instead."""
    used = [f"{path.relative_to(PACKAGE)}:{node.lineno}"
            for path in _python_files()
            for node in ast.walk(ast.parse(path.read_text("utf-8")))
            if isinstance(node, ast.Attribute) and node.attr == "attrs"]
    assert used == []


def test_no_module_subclasses_dataframe():
    subclasses = [f"{path.relative_to(PACKAGE)}:{node.name}"
                  for path in _python_files()
                  for node in ast.walk(ast.parse(path.read_text("utf-8")))
                  if isinstance(node, ast.ClassDef)
                  and any(ast.unparse(base).split(".")[-1] in ("DataFrame", "Series") for base in node.bases)]
    assert subclasses == []
