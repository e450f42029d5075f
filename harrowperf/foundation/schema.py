"""The pandera schema of the tidy scorecard frame: the contract notebooks, tests and users rely on."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from harrowperf.foundation.conventions import ACTION_STATUS_NAMES
from harrowperf.foundation.periods import FREQUENCIES, QUARTER_FREQ

POLARITIES = ("higher", "lower", "in_range")  # which way is better: the one list every module uses
TARGET_KINDS = ["point", "range", "annual", "yoy_reduction", "rank_range", "baseline", "none"]
UNITS = ["%", "count", "s", "rank", "ratio", "£", ""]
# The RAG codes in the council's order, best first: the one order of every table, chart and count.
RAG_ORDER = ("HG", "LG", "G", "A", "LR", "HR", "R")
RAG_CODES = list(RAG_ORDER)
# The council's five-point scale, worst first (G and R are the three-level codes some reports use).
FIVE_POINT_SCALE = ("HR", "LR", "A", "LG", "HG")

# The columns of the tidy scorecard frame, in order (README "The tidy scorecard frame").
SCORECARD_COLUMNS = [
    "source", "sheet", "theme", "measure_ref", "measure", "measure_id", "polarity", "period",
    "period_label", "frequency", "period_start", "period_end", "target", "target_low", "target_high", "target_kind",
    "actual", "numerator", "denominator", "rank", "secondary", "unit", "rag", "rag_source", "status_note",
    "period_covered", "target_text", "actual_text", "rag_text", "cell_target", "cell_actual", "cell_rag",
    "cell_measure",
]


# Text columns that are always present ("" when a source has nothing to say).
TEXT_COLUMNS = ["source", "sheet", "theme", "measure_ref", "target_text", "actual_text", "rag_text",
                "cell_target", "cell_actual", "cell_rag", "cell_measure"]


def _text(nullable: bool = False, **checks) -> pa.Column:
    return pa.Column(str, nullable=nullable, coerce=True, **checks)


def _number() -> pa.Column:
    return pa.Column(float, nullable=True, coerce=True)


_MONTHS = {"month": 1, "quarter": 3, "financial year": 12, "calendar year": 12, "fiscal year": 12}
_FIRST_MONTH = {"quarter": (1, 4, 7, 10), "financial year": (4,), "calendar year": (1,)}


def _span_has_its_length(frame: pd.DataFrame) -> pd.Series:
    """Each row's period_start..period_end is whole months, as many as its frequency, starting where it starts."""
    start, end = pd.to_datetime(frame["period_start"]), pd.to_datetime(frame["period_end"])
    months = (end.dt.year - start.dt.year) * 12 + end.dt.month - start.dt.month + 1
    whole = (start.dt.day == 1) & end.dt.is_month_end
    length = months == frame["frequency"].map(_MONTHS)
    first = pd.Series([month in _FIRST_MONTH.get(freq, range(1, 13)) for month, freq
                       in zip(start.dt.month, frame["frequency"], strict=True)], index=frame.index, dtype=bool)
    return whole & length & first


SCORECARD_SCHEMA = pa.DataFrameSchema(
    {
        "source": _text(),
        "sheet": _text(),
        "theme": _text(),
        "measure_ref": _text(),
        "measure": _text(checks=pa.Check.str_length(min_value=1)),
        "measure_id": _text(checks=pa.Check.str_matches(r"^[a-z0-9]+(-[a-z0-9]+)*$")),
        "polarity": pa.Column(str, pa.Check.isin(list(POLARITIES)), nullable=True),
        "period": pa.Column(pd.PeriodDtype(QUARTER_FREQ), nullable=False),
        "period_label": _text(),
        "frequency": pa.Column(str, pa.Check.isin(list(FREQUENCIES)), nullable=False),
        "period_start": pa.Column("datetime64[ns]", nullable=False, coerce=True),
        "period_end": pa.Column("datetime64[ns]", nullable=False, coerce=True),
        "target": _number(),
        "target_low": _number(),
        "target_high": _number(),
        "target_kind": pa.Column(str, pa.Check.isin(TARGET_KINDS)),
        "actual": _number(),
        "numerator": _number(),
        "denominator": _number(),
        "rank": _number(),
        "secondary": _number(),
        "unit": pa.Column(str, pa.Check.isin(UNITS)),
        "rag": pa.Column(str, pa.Check.isin(RAG_CODES), nullable=True),
        "rag_source": pa.Column(str, pa.Check.isin(["text", "fill"]), nullable=True),
        "status_note": pa.Column(str, nullable=True),
        "period_covered": pa.Column(str, nullable=True),
        "target_text": _text(),
        "actual_text": _text(),
        "rag_text": _text(),
        "cell_target": _text(),
        "cell_actual": _text(),
        "cell_rag": _text(),
        "cell_measure": _text(),
        # Added by clean (harrowperf.read.collate): the quarter of the workbook the value was taken from.
        "vintage": pa.Column(pd.PeriodDtype(QUARTER_FREQ), nullable=True, required=False),
    },
    checks=[
        pa.Check(lambda f: f["period_start"] <= f["period_end"], error="period_start must not be after period_end"),
        pa.Check(_span_has_its_length, error="period_start to period_end is whole months, as many as the "
                 "frequency says (1 for a month, 3 for a quarter, 12 for a year)"),
        pa.Check(lambda f: pd.to_datetime(f["period_end"]).dt.to_period(QUARTER_FREQ) == f["period"],
                 error="period is the financial quarter the period ends in (period_end)"),
        pa.Check(lambda f: (f["target_low"] <= f["target_high"]) | f["target_low"].isna()
                 | f["target_high"].isna(), error="target_low must not exceed target_high"),
        pa.Check(lambda f: f["rag"].isna() == f["rag_source"].isna(),
                 error="rag and rag_source are given together"),
    ],
    strict=False,
    ordered=False,
)


def validate_scorecard(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate (and lightly coerce) a scorecard frame; raise ``pandera.errors.SchemaErrors`` listing all failures."""
    return SCORECARD_SCHEMA.validate(frame, lazy=True)


# ---------------------------------------------------------------------------------------------
# Plan actions and commentary (read/actions.py; README "Plan actions and commentary")
# ---------------------------------------------------------------------------------------------
ACTION_STATUSES = list(ACTION_STATUS_NAMES)  # the scale, best first (conventions/actions.toml [status] scale)
ACTION_COLUMNS = [
    "source", "sheet", "row", "theme", "objective", "action", "action_id", "lead", "due_text", "due_start",
    "due_end", "due_kind", "status", "status_text", "status_source", "status_read_from", "progress", "quarter",
    "quarter_label", "cell_action", "cell_due", "cell_status", "cell_progress",
]
COMMENTARY_COLUMNS = ["source", "sheet", "row", "theme", "measure", "heading", "commentary", "quarter",
                      "quarter_label", "cell_measure", "cell_commentary"]
DUE_KINDS = ["day", "month", "season", "quarter", "financial year", "year", ""]

_ACTION_CHECKS = {
    **{name: _text() for name in ("source", "sheet", "theme", "objective", "action", "lead", "due_text",
                                   "status_text", "progress", "quarter_label", "cell_action", "cell_due",
                                   "cell_status", "cell_progress")},
    "row": pa.Column(int, pa.Check.ge(1)),
    "action_id": _text(checks=pa.Check.str_matches(r"^[a-z0-9]+(-[a-z0-9]+)*$")),
    "due_start": pa.Column("datetime64[ns]", nullable=True, coerce=True),
    "due_end": pa.Column("datetime64[ns]", nullable=True, coerce=True),
    "due_kind": pa.Column(str, pa.Check.isin(DUE_KINDS), coerce=True),
    "status": pa.Column(str, pa.Check.isin(ACTION_STATUSES), coerce=True),
    "status_source": pa.Column(str, pa.Check.isin(["given", "inferred", ""]), coerce=True),
    "status_read_from": pa.Column(str, pa.Check.isin(["words", "code", "fill", "progress", ""]), coerce=True),
    "quarter": pa.Column(pd.PeriodDtype(QUARTER_FREQ), nullable=True),
}
ACTIONS_SCHEMA = pa.DataFrameSchema(
    {name: _ACTION_CHECKS[name] for name in ACTION_COLUMNS},
    checks=[
        pa.Check(lambda f: f["due_start"].isna() == f["due_end"].isna(), error="due_start and due_end go together"),
        pa.Check(lambda f: (f["due_start"] <= f["due_end"]) | f["due_start"].isna(),
                 error="due_start must not be after due_end"),
        pa.Check(lambda f: (f["status"] == "no status") == (f["status_source"] == ""),
                 error="a status other than 'no status' says where it came from (given or inferred)"),
    ],
    strict=True,
    ordered=True,
)

_COMMENTARY_CHECKS = {
    **{name: _text() for name in ("source", "sheet", "theme", "measure", "heading", "commentary",
                                   "quarter_label", "cell_measure", "cell_commentary")},
    "row": pa.Column(int, pa.Check.ge(1)),
    "quarter": pa.Column(pd.PeriodDtype(QUARTER_FREQ), nullable=True),
}
COMMENTARY_SCHEMA = pa.DataFrameSchema(
    {name: _COMMENTARY_CHECKS[name] for name in COMMENTARY_COLUMNS},
    strict=True,
    ordered=True,
)


def validate_actions(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate an actions frame (:data:`ACTION_COLUMNS`); raise ``pandera.errors.SchemaErrors`` listing failures."""
    return ACTIONS_SCHEMA.validate(frame, lazy=True)


def validate_commentary(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate a commentary frame (:data:`COMMENTARY_COLUMNS`)."""
    return COMMENTARY_SCHEMA.validate(frame, lazy=True)
