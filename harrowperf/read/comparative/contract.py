"""The benchmark frame every comparative reader returns, and the checks and conversions the readers share."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from harrowperf.foundation.conventions import settings
from harrowperf.foundation.errors import BenchmarkError
from harrowperf.foundation.periods import QUARTER_FREQ, YEAR_FREQ, financial_year_label, parse_financial_year
from harrowperf.foundation.reads import record_read
from harrowperf.foundation.schema import POLARITIES

#: Columns of the benchmark frame, in order. Shared names mean what they mean in the scorecard frame.
COLUMNS = [
    "area_code",     # GSS code ("E09000015"); LGBF rows carry the LGBF council name (LGBF has no codes)
    "area_name",     # the name as the source prints it
    "measure_id",    # stable key of the measure within its source ("neet_16_17", "ASC5", "CORP09")
    "measure",       # the measure's name in words
    "polarity",      # "higher" / "lower" / "in_range", or missing when the source does not rank it
    "unit",          # "%" (percentage points), "£", "score", "days", "rate", ...
    "period",        # pandas Period: financial years Y-MAR, quarters Q-MAR, calendar Y-DEC, academic Y-AUG
    "period_label",  # "2022/23", "Q1 2018/19", "2021", "2012/13 to 2014/15" (an aggregate of years)
    "actual",        # the value; NaN when the source suppressed or left it blank (see note)
    "numerator",     # as the source gives it (NaN when it does not)
    "denominator",   # as the source gives it (NaN when it does not)
    "source",        # file name the row came from
    "row",           # CSV record number in that file, header = 1 (the line number in a spreadsheet)
    "note",          # "" or what the reader noticed: suppression marker, placeholder row, empty record
]

#: Period frequency for each kind of year a source may state.
PERIOD_FREQ = {
    "financial": YEAR_FREQ,    # April-March, named by the year it ends: 2022/23 -> Period("2023", "Y-MAR")
    "calendar": "Y-DEC",       # January-December: 2021 -> Period("2021", "Y-DEC")
    "academic": "Y-AUG",       # September-August: 2020/21 -> Period("2021", "Y-AUG")
    "quarter": QUARTER_FREQ,   # financial quarters: "2018-19;Q1" -> Period("2018Q1"... "Q-MAR")
}

_GSS_CODE = re.compile(r"^[EWSNK]\d{8}$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_DFE_SPAN = re.compile(r"^\s*(\d{4})(\d{2})\s*$")  # DfE's "202021" for academic/financial years


def read_csv(path: Path, required: Iterable[str], *, format_name: str,
             encoding: str | None = None) -> pd.DataFrame:
    """Read only the ``required`` columns of a CSV after checking they are all in its header.

    Blank cells become NaN; any other text (suppression markers such as "c") stays as text so the
    caller can keep it in the note. Raises :class:`BenchmarkError` naming the file when it is
    missing, empty, not CSV, or lacks a column the format needs.
    """
    path = Path(path)
    required = list(dict.fromkeys(required))
    wanted = set(required)
    if not path.is_file():
        raise BenchmarkError(f"no such file; expected a {format_name} CSV here", file=str(path))
    try:
        # a callable usecols reads only the wanted columns and never fails on absent ones, so the
        # header is checked after one pass instead of reading the file twice
        frame = pd.read_csv(path, usecols=lambda name: name in wanted, keep_default_na=False,
                            na_values=[""], encoding=encoding, low_memory=False)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise BenchmarkError(f"cannot be read as a {format_name} CSV ({exc})", file=path.name) from exc
    missing = [name for name in required if name not in frame.columns]
    if missing:
        header = pd.read_csv(path, nrows=0, encoding=encoding).columns
        found = ", ".join(map(str, header[:12])) + (" ..." if len(header) > 12 else "")
        raise BenchmarkError(
            f"this is not a {format_name} file: it lacks the column(s) {', '.join(missing)} "
            f"(columns found: {found})", file=path.name, row=1)
    record_read(path)
    return frame[required]


def record_numbers(frame: pd.DataFrame) -> np.ndarray:
    """CSV record number of each row of a frame read with :func:`read_csv` (header = 1)."""
    return np.arange(2, len(frame) + 2, dtype="int64")


def numbers(raw: pd.Series, *, file: str, rows: np.ndarray, column: str) -> tuple[pd.Series, np.ndarray]:
    """Turn a source column into floats, keeping every suppression marker.

    Returns ``(values, notes)``: ``values`` is float with NaN where the source printed a marker or
    left the cell blank; ``notes`` says which ("'c' in the source: confidential ...") and is "" elsewhere.
    Text that is neither a number nor a known marker raises :class:`BenchmarkError` with file and row.
    """
    markers = settings().benchmark.suppression.markers
    notes = np.full(len(raw), "", dtype=object)
    if pd.api.types.is_numeric_dtype(raw.dtype):
        values = raw.astype("float64")
        notes[values.isna().to_numpy()] = _marker_note("", markers)
        return values, notes
    text = raw.astype("string").str.strip()
    values = pd.to_numeric(text, errors="coerce").astype("float64")
    blank = (text.isna() | (text == "")).to_numpy(dtype=bool, na_value=True)
    marked = values.isna().to_numpy() & ~blank
    if marked.any():
        found = text[marked]
        unknown = ~found.isin(list(markers)).to_numpy(dtype=bool, na_value=False)
        if unknown.any():
            first = int(np.flatnonzero(marked)[unknown.argmax()])
            raise BenchmarkError(
                f"column {column!r} holds {found.iloc[int(unknown.argmax())]!r}, which is neither a "
                f"number nor a suppression marker ({', '.join(repr(m) for m in markers if m)})",
                file=file, row=int(rows[first]))
        notes[marked] = [_marker_note(marker, markers) for marker in found]
    notes[blank] = _marker_note("", markers)
    return values, notes


def _marker_note(marker: str, markers: Mapping[str, str]) -> str:
    if marker == "":
        return markers.get("", "blank in the source")
    return f"'{marker}' in the source: {markers[marker]}"


def texts(values) -> pd.Series:
    """Wrap an object array so pandas keeps it as objects until :func:`finish` converts each
    distinct value once (pandas 3 would otherwise convert every row to its string type)."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object)


class Keys:
    """A column factorised once, so several lookups on it cost one pass over the rows."""

    def __init__(self, keys: pd.Series) -> None:
        self.series = keys
        self.index, self.uniques = pd.factorize(keys)

    def map(self, table: Mapping, default=None, *, text: bool = False):
        """``table[key]`` per row (missing keys -> ``default``): object array, or "string" Series."""
        found = [table.get(key, default) for key in self.uniques] + [default]
        if text:
            return take_text(found, self.index, self.series.index)
        values = np.empty(len(found), dtype=object)
        values[:] = found
        return values[self.index]


def constant_text(value: str, like: pd.Index) -> pd.Series:
    """A "string" Series repeating one value (e.g. the source file name) without a per-row loop."""
    return take_text([value], np.zeros(len(like), dtype=np.intp), like)


def lookup(keys: pd.Series, table: Mapping, default=None, *, text: bool = False):
    """``table[key]`` for every key, computed once per distinct key (missing keys -> ``default``).

    Returns an object array, or with ``text=True`` a "string" Series built by taking from the few
    distinct results (fast: no per-row conversion).
    """
    index, uniques = pd.factorize(keys)
    found = [table.get(key, default) for key in uniques] + [default]
    if text:
        return take_text(found, index, keys.index)
    values = np.empty(len(found), dtype=object)
    values[:] = found
    return values[index]


def take_text(table: list, index: np.ndarray, like: pd.Index) -> pd.Series:
    """A "string" Series of ``table[index]`` (index -1 -> the table's last entry)."""
    strings = pd.array([None if v is None or v is pd.NA else str(v) for v in table], dtype="string")
    positions = np.where(index < 0, len(table) - 1, index)
    return pd.Series(strings.take(positions), index=like)


def join_notes(*parts) -> np.ndarray:
    """Join note columns (arrays or Series of str, "" for none) with "; ", skipping empty parts.

    A part may be the scalar "" (nothing to add for any row).
    """
    arrays = [np.asarray(part, dtype=object) for part in parts if not (isinstance(part, str) and not part)]
    result = arrays[0].copy()
    for part in arrays[1:]:
        has = part != ""
        both = has & (result != "")
        result[both] = result[both] + "; " + part[both]
        only = has & ~both
        result[only] = part[only]
    return result


def year_period(label: str, kind: str) -> pd.Period | None:
    """One year label read as the kind of year the source states; ``None`` when it is not one.

    ``kind`` is "financial", "academic" or "calendar". Financial and academic years accept
    "2016/17", "2016-17" and DfE's "201617"; calendar years accept "2021".
    """
    if not isinstance(label, str):
        label = "" if label is None or (isinstance(label, float) and np.isnan(label)) else str(label)
    freq = PERIOD_FREQ[kind]
    if kind == "calendar":
        match = _YEAR.match(label)
        return pd.Period(year=int(match.group(1)), freq=freq) if match else None
    span = _DFE_SPAN.match(label)
    fiscal = parse_financial_year(f"{span.group(1)}/{span.group(2)}" if span else label)
    return None if fiscal is None else pd.Period(year=fiscal.year, freq=freq)


def year_label(period: pd.Period, kind: str) -> str:
    """How a year period is printed: financial/academic "2022/23", calendar "2021"."""
    return str(period.year) if kind == "calendar" else financial_year_label(pd.Period(year=period.year,
                                                                                     freq=YEAR_FREQ))


def parse_periods(labels: pd.Series, parse, *, file: str, rows: np.ndarray,
                  what: str) -> tuple[pd.Series, pd.Series]:
    """Parse every distinct label once with ``parse(label) -> (Period, printed label) | None``.

    ``labels`` may hold (label, kind of year) tuples when the kind varies by row.

    Returns the Period column (one frequency where possible) and the printed labels as a "string"
    Series ("" where the source label is blank). A label that does not parse raises :class:`BenchmarkError` naming the
    first row that carries it.
    """
    index, uniques = pd.factorize(labels)
    parsed = []
    for position, label in enumerate(uniques):
        result = parse(label)
        if result is None:
            first = int(np.flatnonzero(index == position)[0])
            text = label[0] if isinstance(label, tuple) else label  # (label, kind of year) pairs
            raise BenchmarkError(f"period {text!r} cannot be read as {what}", file=file,
                                 row=int(rows[first]))
        parsed.append(result)
    printed = take_text([text for _, text in parsed] + [""], index, labels.index)
    periods = [period for period, _ in parsed]
    freqs = {period.freqstr for period in periods}
    if len(freqs) == 1:
        table = pd.PeriodIndex(periods + [pd.NaT], freq=freqs.pop())
        column = pd.Series(table.take(np.where(index < 0, len(periods), index)), index=labels.index)
    else:
        values = np.array(periods + [pd.NaT], dtype=object)
        column = pd.Series(values[index], index=labels.index, dtype=object)
    return column, printed


def as_period_column(values: pd.Series) -> pd.Series:
    """A Period column with one frequency where possible (else object dtype holding Periods)."""
    if isinstance(values.dtype, pd.PeriodDtype):
        return values
    present = values.dropna()
    freqs = {p.freqstr for p in pd.unique(present)} if len(present) else set()
    if len(freqs) == 1:
        return values.astype(f"period[{freqs.pop()}]")
    return values.astype(object)


def check_area_codes(codes: pd.Series, *, file: str, rows: np.ndarray,
                     allowed: pd.Series | None = None) -> None:
    """Raise :class:`BenchmarkError` for the first row whose area code is not a GSS code.

    ``allowed`` marks rows exempt from the check (placeholder rows the reader has already noted).
    """
    text = codes.fillna("").astype(str)
    bad = ~text.str.match(_GSS_CODE)
    if allowed is not None:
        bad &= ~allowed
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise BenchmarkError(f"unknown area code {text.iloc[position]!r}: expected a GSS code such as "
                             "'E09000015'", file=file, row=int(rows[position]))


def percentage_points(values: pd.Series, is_fraction: pd.Series) -> pd.Series:
    """Fractions (0.0749) become percentage points (7.49) where ``is_fraction``; others unchanged."""
    return values.where(~is_fraction, values * 100.0)


def _strings(values: pd.Series, missing: str | None = "") -> pd.Series:
    """A column as pandas "string" dtype; object columns go through their distinct values only
    (factorize, convert the few uniques, take), which is much faster than converting every row."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.na_value is pd.NA:
        result = values
    elif values.dtype == object:
        index, uniques = pd.factorize(values, use_na_sentinel=True)
        table = pd.array(list(uniques), dtype="string")
        result = pd.Series(table.take(index, allow_fill=True), index=values.index)
    else:
        result = values.astype("string")
    if missing is None:
        return result.replace("", pd.NA) if (result == "").any() else result
    if not result.isna().any():
        return result
    if hasattr(result.array, "__arrow_array__"):  # fill in Arrow: pandas' fillna copies row by row
        import pyarrow.compute as pc

        filled = pc.fill_null(result.array.__arrow_array__(), missing)
        return pd.Series(pd.array(filled, dtype="string"), index=result.index)
    return result.fillna(missing)


def finish(frame: pd.DataFrame) -> pd.DataFrame:
    """Order and type the contract columns (strings as pandas string dtype, numbers as float)."""
    out = frame.reindex(columns=COLUMNS)
    for name in ("area_code", "area_name", "measure_id", "measure", "unit", "period_label", "source", "note"):
        out[name] = _strings(out[name])
    out["polarity"] = _strings(out["polarity"], missing=None)
    for name in ("actual", "numerator", "denominator"):
        out[name] = out[name].astype("float64")
    out["row"] = out["row"].astype("int64")
    out["period"] = as_period_column(out["period"])
    return out.reset_index(drop=True)


def schema():
    """The pandera schema of the benchmark frame (used by :func:`validate` and the tests)."""
    import pandera.pandas as pa

    text = pa.Column("string", nullable=False)
    columns = {name: text for name in COLUMNS}
    columns.update({
        "polarity": pa.Column("string", pa.Check.isin(list(POLARITIES)), nullable=True),
        "period": pa.Column(nullable=True),
        "actual": pa.Column(float, nullable=True),
        "numerator": pa.Column(float, nullable=True),
        "denominator": pa.Column(float, nullable=True),
        "row": pa.Column("int64", pa.Check.ge(1)),
    })
    return pa.DataFrameSchema(
        columns,
        strict=True, ordered=True,
    )


def validate(frame: pd.DataFrame) -> pd.DataFrame:
    """Check a frame against the benchmark contract; raise :class:`BenchmarkError` listing the failures."""
    import pandera.errors

    try:
        return schema().validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases.head(5).to_dict("records")
        raise BenchmarkError(f"frame does not follow the benchmark contract: {cases}") from exc
