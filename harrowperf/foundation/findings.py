"""The findings table: what a reader or an analysis noticed about the data, one row per cell to check.

A finding is a data-quality note for the analyst: a cell the value grammar did not understand,
totals that do not add up, a measure missing from the catalogue, a reported RAG the figures do
not support. It never changes a value; it says where to look. Every finding, whoever produces it,
has the same columns (:data:`FINDING_COLUMNS`):

=========  =====================================================================================
source     the file the finding is about (workbook or CSV name)
sheet      the sheet ("" for a CSV, or for a finding about the whole workbook)
cell       the cell address within the sheet, e.g. "C6" ("" when the finding is about a sheet)
severity   "warning" (look at it: something may be wrong or was not read) or "info" (for the
           record: nothing is wrong, e.g. a sheet with no table was skipped)
issue      a short code saying what kind of finding it is: unparsed_value, total_mismatch,
           new_measure, rag_disagrees ... (each reader's docstring lists its own)
text       the text of the cell as Excel shows it, or the name it is about
message    the finding in plain words
=========  =====================================================================================

Findings are returned beside frames, never hidden inside them: a reader returns a :class:`Read`
(``read.frame`` and ``read.findings``), and a step that turns a frame into a frame and can find
something (the measure catalogue, the RAG check) has a ``findings(frame)`` function beside it that
lists them from the frame's own columns. ``harrowperf clean`` writes every finding of every input
to ``data/clean/quality.csv``; ``harrowperf.quality(clean_dir)`` reads them back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

FINDING_COLUMNS = ("source", "sheet", "cell", "severity", "issue", "text", "message")
SEVERITIES = ("info", "warning")


@dataclass(frozen=True)
class Read:
    """What a reader returns: the tidy frame and, beside it, the findings (:data:`FINDING_COLUMNS`)."""

    frame: pd.DataFrame
    findings: pd.DataFrame


def findings_table(rows: Iterable[Mapping[str, object]] = ()) -> pd.DataFrame:
    """A findings table from finding records (dicts with the keys of :data:`FINDING_COLUMNS`); empty if none.

    Raises ValueError for a severity that is not one of :data:`SEVERITIES` (a harrowperf bug).

    >>> findings_table([{"source": "q2.xlsx", "sheet": "Business", "cell": "C6", "severity": "warning",
    ...                  "issue": "unparsed_value", "text": "tbc", "message": "not a number"}])["cell"].tolist()
    ['C6']
    """
    table = pd.DataFrame(list(rows), columns=list(FINDING_COLUMNS))
    unknown = set(table["severity"]) - set(SEVERITIES)
    if unknown:
        raise ValueError(f"finding severity {sorted(map(str, unknown))} is not one of {', '.join(SEVERITIES)}")
    return table


def concat_findings(tables: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Several findings tables as one, in the order given (an empty table when there are none)."""
    present = [table.reindex(columns=list(FINDING_COLUMNS)) for table in tables if len(table)]
    return pd.concat(present, ignore_index=True) if present else findings_table()


__all__ = ["FINDING_COLUMNS", "SEVERITIES", "Read", "concat_findings", "findings_table"]
