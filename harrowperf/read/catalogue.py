"""The measure catalogue (data/measures.csv): one stable measure_id per measure across workbooks and years.

The catalogue is kept by analysts. Each row names a measure as the scorecard prints it, with
older or shortened names as ``aliases`` ("|"-separated), its theme, the corporate-plan priority
it evidences, its polarity, unit and reporting frequency. :func:`apply` joins a scorecard frame
to it by the measure's *normalised* name (see :func:`normalise_name`), so "% of 3rd party
contract spend" and "Percentage of 3rd party contract spend" are the same measure while its
printed number (which restarts in every theme table) plays no part. A measure the catalogue
does not know is kept, with an id made from its name, and :func:`findings` lists it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from harrowperf.foundation.errors import ParameterError, ScorecardError
from harrowperf.foundation.findings import findings_table
from harrowperf.foundation.ids import measure_slug
from harrowperf.foundation.project import project_file
from harrowperf.foundation.reads import record_read

CATALOGUE_FILE = "data/measures.csv"  # in the project folder (foundation.project)
CATALOGUE_COLUMNS = ["measure_id", "name", "aliases", "theme", "priority", "polarity", "unit",
                     "frequency", "plan_match", "plan_source", "notes"]
FREQUENCIES = ["quarterly", "annual", "reported in arrears", "monthly"]
PLAN_MATCHES = ["exact", "wording", "related", ""]
ALIAS_SEPARATOR = "|"

# Words that change nothing about which measure a name means.
_SYNONYMS = {"pct": "percentage", "no": "number"}
_FILLER = {"the", "a", "an"}
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def normalise_name(name: str) -> str:
    """The key the names of one measure share: "% of Calls", "Percentage of calls" -> "percentage-of-calls".

    Case, punctuation, "%" vs "percentage", "No" vs "Number" and the articles "the", "a", "an"
    do not count.
    """
    words = [_SYNONYMS.get(word, word) for word in measure_slug(name).split("-") if word]
    return "-".join(word for word in words if word not in _FILLER)


def load(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check the catalogue (default ``data/measures.csv`` in the project folder); one row per measure.

    Raises :class:`ScorecardError` naming the file and row when a measure_id is repeated or badly
    formed, a polarity/unit/frequency is not one the frame allows, or two measures of one theme
    share a name or alias (so a name could not say which measure it is).
    """
    from harrowperf.foundation.schema import POLARITIES, UNITS

    path = Path(path) if path is not None else project_file(CATALOGUE_FILE)
    if not path.exists():
        raise ScorecardError("the measure catalogue does not exist; pass its path or restore "
                             "data/measures.csv", file=str(path))
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    record_read(path)
    missing = [c for c in CATALOGUE_COLUMNS if c not in table.columns]
    if missing:
        raise ScorecardError(f"the catalogue has no column(s) {', '.join(missing)}; expected "
                             f"{', '.join(CATALOGUE_COLUMNS)}", file=path.name)
    table = table[CATALOGUE_COLUMNS].apply(lambda column: column.str.strip())
    allowed = {"polarity": POLARITIES, "unit": UNITS, "frequency": FREQUENCIES, "plan_match": PLAN_MATCHES}
    for number, row in enumerate(table.itertuples(index=False), start=2):  # row 1 is the header
        if not _ID.match(row.measure_id):
            raise ScorecardError(f"measure_id {row.measure_id!r} must be lower-case words joined by '-'",
                                 file=path.name, row=number)
        if not row.name:
            raise ScorecardError(f"measure {row.measure_id!r} has no name", file=path.name, row=number)
        for column, values in allowed.items():
            if getattr(row, column) not in values:
                raise ScorecardError(f"{column} {getattr(row, column)!r} of {row.measure_id!r} is not one "
                                     f"of {', '.join(repr(v) for v in values)}", file=path.name, row=number)
    repeated = table["measure_id"].duplicated(keep="first")
    if repeated.any():
        number = int(repeated.to_numpy().nonzero()[0][0]) + 2
        raise ScorecardError(f"measure_id {table['measure_id'][repeated].iloc[0]!r} is used twice",
                             file=path.name, row=number)
    keys = _keys(table)
    repeated_key = keys.duplicated(["theme", "key"], keep="first")
    if repeated_key.any():
        first = keys[repeated_key].iloc[0]  # the later row that repeats a name: the one to fix
        ids = sorted(set(keys.loc[(keys["theme"] == first["theme"]) & (keys["key"] == first["key"]), "measure_id"]))
        raise ScorecardError(f"the name or alias {first['key']!r} belongs to more than one measure of theme "
                             f"{first['theme']!r} ({', '.join(ids)}); a name must say which measure it is",
                             file=path.name, row=int(first["row"]))
    return table


def _keys(table: pd.DataFrame) -> pd.DataFrame:
    """One row per (measure, normalised name or alias), with the catalogue row it comes from."""
    names = table.assign(row=range(2, len(table) + 2),
                         names=table["name"] + ALIAS_SEPARATOR + table["aliases"])
    names["names"] = names["names"].str.split(ALIAS_SEPARATOR, regex=False)
    keys = names.explode("names")
    keys = keys[keys["names"].str.strip() != ""]
    keys = keys.assign(key=keys["names"].map(normalise_name))
    return keys.drop_duplicates(["measure_id", "key"])[["measure_id", "theme", "key", "row"]]


def apply(frame: pd.DataFrame, catalogue: pd.DataFrame | str | Path | None = None) -> pd.DataFrame:
    """Give each observation its catalogue measure_id; return a new frame.

    Matching is by normalised name or alias (:func:`normalise_name`); when a name belongs to
    measures of several themes the frame's ``theme`` decides. Sets ``measure_id`` and adds
    ``priority``, ``catalogue_frequency`` (the catalogue's ``frequency``: "quarterly", "annual", ...;
    the frame's own ``frequency`` is each observation's period) and ``in_catalogue`` (bool). The
    catalogue's ``unit`` replaces the unit the reader inferred where the catalogue gives one. A
    measure not in the catalogue keeps an id made from its name (made unique against the
    catalogue's ids) and ``in_catalogue`` False; :func:`findings` lists those measures. No row is ever dropped.
    """
    table = catalogue if isinstance(catalogue, pd.DataFrame) else load(catalogue)
    result = frame.copy()
    matched = match(result, table)

    info = table.set_index("measure_id")
    found = matched.notna().to_numpy()
    ids = matched.to_numpy(copy=True)
    ids[~found] = _new_ids(result.loc[~found], set(table["measure_id"])).to_numpy()
    result["measure_id"] = pd.array(ids.astype(str), dtype=result["measure_id"].dtype)
    result["in_catalogue"] = found
    result["priority"] = matched.map(info["priority"]).where(found, "").astype(str)
    result["catalogue_frequency"] = matched.map(info["frequency"]).where(found, "").astype(str)
    catalogue_unit = matched.map(info["unit"])
    result["unit"] = catalogue_unit.where(catalogue_unit.notna() & (catalogue_unit != ""), result["unit"])
    return result


def match(frame: pd.DataFrame, catalogue: pd.DataFrame | str | Path | None = None) -> pd.Series:
    """The catalogue measure_id of each row's ``measure`` (within its ``theme`` first), or None when unknown."""
    table = catalogue if isinstance(catalogue, pd.DataFrame) else load(catalogue)
    keys = _keys(table)
    by_theme = dict(zip(zip(keys["theme"], keys["key"], strict=True), keys["measure_id"], strict=True))
    unique = keys[~keys.duplicated("key", keep=False)]
    by_name = dict(zip(unique["key"], unique["measure_id"], strict=True))
    names = frame["measure"].map(normalise_name)
    # positional throughout: the frame's index may repeat labels (frames concatenated by hand)
    return pd.Series([by_theme.get((theme, name), by_name.get(name))
                      for theme, name in zip(frame["theme"], names, strict=True)], index=frame.index, dtype=object)


def _new_ids(rows: pd.DataFrame, taken: set[str]) -> pd.Series:
    """Ids for measures not in the catalogue: their slug, with the theme added when the slug is
    taken by the catalogue or shared by new measures of different themes."""
    ids = rows["measure"].map(measure_slug)
    themes_per_id = rows.groupby(ids)["theme"].transform("nunique")
    clash = ids.isin(taken) | (themes_per_id > 1)
    themed = ids + "-" + rows["theme"].map(measure_slug)
    return ids.where(~clash, themed)


def findings(frame: pd.DataFrame) -> pd.DataFrame:
    """A ``new_measure`` finding for each measure :func:`apply` did not find in the catalogue.

    One per measure, however many workbooks and quarters show it, at the cell of its name where it
    first appears (the earliest workbook, by ``vintage`` when the frame has it). When its name closely
    resembles that of a measure that stopped before it started, the message suggests it ("did you
    mean: Staff turnover"): a renamed measure, whose new name should be added to the catalogue as an
    alias. Raises :class:`ParameterError` when ``frame`` has not been through :func:`apply`.
    """
    if "in_catalogue" not in frame.columns:
        raise ParameterError("the frame has no in_catalogue column; apply the catalogue first "
                             "(harrowperf.catalogue.apply)")
    if frame.empty:
        return findings_table()
    when = _when(frame)
    ordered = frame.assign(_when=when).sort_values(["_when", "source", "sheet"], kind="stable")
    new = ordered[~ordered["in_catalogue"].astype(bool)].drop_duplicates("measure_id")
    spans = ordered.groupby("measure_id")["_when"].agg(["min", "max"])
    names = ordered.drop_duplicates("measure_id", keep="last").set_index("measure_id")["measure"]
    rows = []
    for row in new.itertuples(index=False):
        stopped = spans.index[(spans["max"] < spans.at[row.measure_id, "min"])]
        suggestion = _closest(row.measure, [names[m] for m in stopped])
        cells = [getattr(row, "cell_measure", None), getattr(row, "cell_actual", None)]
        cell = next((c for c in cells if isinstance(c, str) and c), "")
        address = str(cell).rpartition("!")[2]
        hint = (f"; did you mean: {suggestion}? If it was renamed, add {row.measure!r} to the aliases of "
                f"{suggestion!r}" if suggestion else ". Add it, or add this name as an alias of the measure it renames")
        rows.append({"source": row.source, "sheet": row.sheet, "cell": address, "severity": "info",
                     "issue": "new_measure", "text": row.measure,
                     "message": f"measure {row.measure!r} is not in the measure catalogue (data/measures.csv); it is "
                                f"kept as {row.measure_id!r}" + hint})
    return findings_table(rows)


SUGGESTION_CUTOFF = 0.75  # how alike two names must be (difflib ratio of their normalised forms)


def _closest(name: str, candidates: list[str]) -> str | None:
    """The candidate whose normalised name is most like ``name``'s, if alike enough."""
    import difflib

    keyed = {normalise_name(c): c for c in candidates}
    match = difflib.get_close_matches(normalise_name(name), list(keyed), n=1, cutoff=SUGGESTION_CUTOFF)
    return keyed[match[0]] if match else None


def _when(frame: pd.DataFrame) -> pd.Series:
    """When each row was published, as a number to compare: its workbook's vintage, else its quarter."""
    periods = frame["period"]
    if "vintage" in frame.columns:
        periods = frame["vintage"].where(frame["vintage"].notna(), frame["period"])
    return pd.Series([p.ordinal if not pd.isna(p) else -10**9 for p in periods], index=frame.index)


__all__ = ["CATALOGUE_COLUMNS", "CATALOGUE_FILE", "FREQUENCIES", "apply", "findings", "load", "match",
           "normalise_name"]
