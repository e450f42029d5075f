"""The pandera schema of the tidy scorecard frame: the contract notebooks, tests and users rely on."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from harrowperf.foundation.periods import QUARTER_FREQ

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
    "period_label", "target", "target_low", "target_high", "target_kind", "actual", "numerator",
    "denominator", "rank", "secondary", "unit", "rag", "rag_source", "status_note", "period_covered",
    "target_text", "actual_text", "rag_text", "cell_target", "cell_actual", "cell_rag",
]


# Text columns that are always present ("" when a source has nothing to say).
TEXT_COLUMNS = ["source", "sheet", "theme", "measure_ref", "target_text", "actual_text", "rag_text",
                "cell_target", "cell_actual", "cell_rag"]


def _text(nullable: bool = False, **checks) -> pa.Column:
    return pa.Column(str, nullable=nullable, coerce=True, **checks)


def _number() -> pa.Column:
    return pa.Column(float, nullable=True, coerce=True)


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
    },
    checks=[
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
