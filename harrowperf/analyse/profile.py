"""One measure in full: its history quarter by quarter with each RAG checked, its revised figures, what the service
said, linked actions, its position among comparators on a linked public measure (and the measures of its
theme, to compare).

The explorer notebook (``notebooks/explore.ipynb``) answers "show me everything about this measure"
with these functions; each takes the frames the notebook loaded and returns the rows of one measure.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from harrowperf.analyse.actions import linked_measures
from harrowperf.analyse.benchmark import rank, summary
from harrowperf.analyse.rag import assess
from harrowperf.foundation.conventions import settings

HISTORY_COLUMNS = ["period", "period_label", "target", "target_text", "actual", "actual_text", "unit", "polarity",
                   "rag", "rag_computed", "rag_agrees", "source", "cell_actual"]


def history(frame: pd.DataFrame, measure_id: str) -> pd.DataFrame:
    """Every quarter of one measure, oldest first, with the reported RAG and the RAG its figures give.

    Columns :data:`HISTORY_COLUMNS`; ``source`` and ``cell_actual`` say where each figure was read.
    """
    rows = frame.loc[frame["measure_id"] == measure_id]
    return assess(rows).sort_values("period", kind="stable")[HISTORY_COLUMNS].reset_index(drop=True)


def commentary(frame: pd.DataFrame, measure_id: str) -> pd.DataFrame:
    """The service's commentary on one measure (rows of the commentary frame), oldest report first."""
    rows = frame.loc[frame["measure_id"] == measure_id]
    return rows.sort_values("quarter", kind="stable").reset_index(drop=True)


def revisions(frame: pd.DataFrame, measure_id: str) -> pd.DataFrame:
    """The revisions of one measure's figures (rows of ``revisions.csv``, in the order clean listed them)."""
    return frame.loc[frame["measure_id"] == measure_id].reset_index(drop=True)


def actions(actions_frame: pd.DataFrame, scorecard: pd.DataFrame, quarter: str | pd.Period,
            measure_id: str) -> pd.DataFrame:
    """The plan actions linked to one measure in the ``quarter`` report (columns
    :data:`harrowperf.analyse.actions.LINK_COLUMNS`); none when that quarter has no actions report."""
    links = linked_measures(actions_frame, scorecard, quarter)
    return links.loc[links["measure_id"] == measure_id].reset_index(drop=True)


def benchmark_position(comparative: pd.DataFrame, measure_id: str, council: str,
                       data_dir: str | Path) -> pd.DataFrame:
    """Where ``council`` stands among its comparators on the public measure linked to a scorecard measure
    (``conventions/benchmark.toml`` ``[scorecard_links]``), in its latest period: the row of
    :func:`harrowperf.analyse.benchmark.summary`, with ``link_match`` ("same" or "related") and ``link_note``
    (how a related measure differs). ``comparative`` is the linked dataset
    (:func:`harrowperf.pipeline.notebook.load_linked_benchmark`); empty when no measure is linked."""
    link = settings().benchmark.scorecard_links.get(measure_id)
    if link is None or comparative.empty:
        return pd.DataFrame()
    ranked = rank(comparative, link.group, data_dir=data_dir)
    return summary(ranked, council, measures=[link.measure]).assign(link_match=link.match, link_note=link.note)


def same_theme(frame: pd.DataFrame, measure_id: str) -> pd.DataFrame:
    """Every row of the measures that share a theme with one measure (the measure's own rows included)."""
    themes = frame.loc[frame["measure_id"] == measure_id, "theme"].unique()
    return frame.loc[frame["theme"].isin(themes)].reset_index(drop=True)
