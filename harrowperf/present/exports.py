"""Safe, reproducible exports: CSV files whose text Excel never runs as a formula; workbooks saved byte-stable."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import pandas as pd

# Text that Excel or LibreOffice would evaluate when the file is opened (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]\s*[\d,]*\.?\d+\s*%?$|^-+$")


def neutralise_formula(text: object) -> object:
    """Prefix formula-like text with an apostrophe so spreadsheets show it instead of running it.

    "=1+1" -> "'=1+1"; "@SUM(A1)" -> "'@SUM(A1)"; plain signed numbers ("-10%") and dashes stay.
    Non-text values are returned unchanged.
    """
    if not isinstance(text, str) or not text.startswith(_FORMULA_START):
        return text
    if _PLAIN_NUMBER.match(text.strip()):
        return text
    return "'" + text


def safe_text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell neutralised (see :func:`neutralise_formula`)."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_formula)
    return safe


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a CSV (UTF-8 with BOM so Excel reads accents) with formula-like text neutralised."""
    safe_text_frame(frame).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")


def save_workbook_reproducibly(workbook, path: str | Path, moment: dt.datetime) -> None:
    """Save an openpyxl workbook so that the same content always gives the same bytes.

    openpyxl stamps docProps/core.xml with the time of saving and each zip entry with the local
    time; both are replaced by ``moment``. The file is written in one step.
    """
    from openpyxl.xml.functions import tostring

    buffer = io.BytesIO()
    workbook.save(buffer)
    workbook.properties.modified = moment
    core = tostring(workbook.properties.to_tree())
    out = io.BytesIO()
    with ZipFile(buffer) as saved, ZipFile(out, "w", ZIP_DEFLATED) as fixed:
        for info in saved.infolist():
            data = core if info.filename == "docProps/core.xml" else saved.read(info)
            entry = ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            entry.compress_type = ZIP_DEFLATED
            entry.external_attr = info.external_attr
            fixed.writestr(entry, data)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())
