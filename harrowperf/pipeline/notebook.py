"""Helpers for the first cells of every analysis notebook: check parameters, load clean data, set up charts."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from harrowperf.foundation.errors import ParameterError
from harrowperf.foundation.periods import quarter_label, require_quarter, to_quarter, with_period_columns
from harrowperf.foundation.project import project_root
from harrowperf.foundation.reads import record_read


@dataclass(frozen=True)
class NotebookParameters:
    """A notebook's parameters, checked: ``params.quarter``, ``params.quarter_period``, ``params.clean_dir`` ...

    ``quarter`` is the label as the scorecard prints it ("Q2 2016/17") and ``quarter_period`` the
    same quarter as a pandas Period (both None when the notebook has no quarter). Every other parameter
    given to :func:`setup` is an attribute too, with ``*_dir`` and ``*_path`` parameters as
    :class:`~pathlib.Path` objects found from the project folder. Nothing can be changed after setup.
    """

    notebook: str
    quarter: str | None
    quarter_period: pd.Period | None
    values: Mapping[str, Any]  # every parameter by name, as checked (read-only)

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("values", {})
        if name in values:
            return values[name]
        known = ", ".join(sorted({"notebook", "quarter", "quarter_period", *values}))
        raise AttributeError(f"{self.__dict__.get('notebook', 'the notebook')} has no parameter {name!r}; "
                             f"the parameters are: {known}")


def setup(notebook: str, **parameters: Any) -> NotebookParameters:
    """Check a notebook's parameters and return them as one object (``params.quarter`` ...).

    Known parameters are checked here so that a mistake fails in the first cell with a plain
    message: ``quarter`` must read like "Q2 2016/17" (``params.quarter_period`` holds it as a Period),
    ``*_dir`` and ``*_path`` parameters must exist. Also chooses how charts show (:func:`chart_mode`).

    Relative ``*_dir`` and ``*_path`` parameters are taken from the project folder (see
    :func:`harrowperf.foundation.project.project_root`), wherever the kernel started: papermill
    starts it in the project folder, JupyterLab in ``notebooks/``, and the same notebook works in
    both. The current folder is never changed.
    """
    clashing = sorted({"notebook", "quarter_period", "values"} & set(parameters))
    if clashing:
        raise ParameterError(f"{notebook}: a parameter may not be called {', '.join(clashing)} "
                             "(setup gives that name its own meaning)")
    root = project_root()
    checked = dict(parameters)
    quarter = period = None
    if parameters.get("quarter") is not None:
        try:
            period = to_quarter(parameters["quarter"])
        except ValueError as exc:
            raise ParameterError(f"{notebook}: quarter {parameters['quarter']!r} is not a financial "
                                 "quarter; write it like 'Q2 2016/17'") from exc
        quarter = checked["quarter"] = quarter_label(period)
    for name, value in parameters.items():
        if (name.endswith("_dir") or name.endswith("_path")) and value is not None:
            path = Path(value)
            if not path.is_absolute() and root is not None:
                path = root / path
            if not path.exists():
                raise ParameterError(f"{notebook}: {name} {str(value)!r} does not exist; run "
                                     "`harrowperf clean` first or correct the path")
            checked[name] = path
    _choose_charts()
    pd.set_option("display.max_colwidth", 80)
    return NotebookParameters(notebook=notebook, quarter=quarter, quarter_period=period,
                              values=MappingProxyType(checked))


# Set to "static" or "interactive" to choose how charts show; the quarterly run sets "static".
CHART_MODE_VARIABLE = "HARROWPERF_CHARTS"


def chart_mode(environ: Mapping[str, str] = os.environ) -> str:
    """How this kernel shows charts: "static" (the report's SVG figures) or "interactive" (live Vega-Lite).

    ``HARROWPERF_CHARTS`` decides when it is set (the quarterly run sets "static"). Otherwise a
    kernel that a Jupyter server started (JupyterLab or Notebook, which set ``JPY_SESSION_NAME``)
    is interactive, and anything else (papermill, nbconvert, a scheduler) gets the report look.
    """
    mode = environ.get(CHART_MODE_VARIABLE, "").strip().lower()
    if mode in ("static", "interactive"):
        return mode
    if mode:
        raise ParameterError(f"{CHART_MODE_VARIABLE}={environ[CHART_MODE_VARIABLE]!r}: "
                             "say 'static' or 'interactive' (or leave it unset)")
    return "interactive" if environ.get("JPY_SESSION_NAME") else "static"


def _choose_charts() -> None:
    from harrowperf.present import figures

    if chart_mode() == "interactive":
        figures.interactive()
    else:
        figures.static()


def load_scorecard(clean_dir: str | Path, quarter: str | pd.Period | None = None) -> pd.DataFrame:
    """Every row of ``<clean_dir>/scorecard.parquet`` (all periods, history figures included).

    Clean data written before the ``frequency``, ``period_start`` and ``period_end`` columns existed
    gets them here (every row of such data is a quarter).

    When ``quarter`` is given it is checked first: it must be a quarter a scorecard workbook reports
    (:func:`reported_quarters`); history figures alone never make a quarter reportable. The frame
    returned is the same either way (the analyses pick the quarter's rows themselves). The findings
    of the clean are read separately: ``hp.quality(clean_dir, sources=frame["source"])``.

    Raises :class:`ParameterError` naming the quarters a scorecard reports when ``quarter`` is not one.
    """
    path = Path(clean_dir) / "scorecard.parquet"
    if not path.exists():
        raise ParameterError(f"{path} does not exist; run `harrowperf clean` first")
    frame = with_period_columns(pd.read_parquet(path))
    record_read(path, sources=_sources(frame))
    if quarter is not None:
        require_quarter(quarter, reported_quarters(frame), where="any scorecard workbook",
                        what="the quarters a scorecard reports")
    return frame


def reported_quarters(frame: pd.DataFrame | str | Path) -> list[str]:
    """The quarters a scorecard workbook reports, oldest first ("Q2 2016/17"): the quarters a report can be for.

    Takes a clean scorecard frame or the clean data folder. Rows from ``data/raw/history`` (no
    ``vintage``; no sheet) do not count.
    """
    if not isinstance(frame, pd.DataFrame):
        path = Path(frame) / "scorecard.parquet"
        if not path.exists():
            return []
        frame = pd.read_parquet(path, columns=None)
    if frame.empty:
        return []
    if "vintage" in frame.columns:
        from_workbooks = frame["vintage"].notna()
    elif "sheet" in frame.columns:  # clean data written before vintages: history rows have no sheet
        from_workbooks = frame["sheet"].fillna("").astype(str) != ""
    else:
        from_workbooks = pd.Series(True, index=frame.index)
    return [quarter_label(p) for p in sorted(frame.loc[from_workbooks, "period"].dropna().unique())]


def _load_clean(clean_dir: str | Path, name: str, columns: list[str]) -> pd.DataFrame:
    path = Path(clean_dir) / f"{name}.parquet"
    if not Path(clean_dir).exists():
        raise ParameterError(f"{clean_dir} does not exist; run `harrowperf clean` first")
    if not path.exists():  # no workbook in data/raw/actions: nothing to show, not an error
        return pd.DataFrame({column: pd.Series(dtype=object) for column in columns}).assign(
            quarter=pd.Series(dtype=pd.PeriodDtype("Q-MAR")))
    frame = pd.read_parquet(path)
    record_read(path, sources=_sources(frame))
    return frame


def _sources(frame: pd.DataFrame) -> list[str]:
    """The raw files a clean frame was made from (its ``source`` column)."""
    return [str(s) for s in frame["source"].dropna().unique()] if "source" in frame.columns else []


def load_actions(clean_dir: str | Path) -> pd.DataFrame:
    """Read ``<clean_dir>/actions.parquet`` (the actions frame of every workbook in ``data/raw/actions``);
    an empty actions frame when there is none."""
    from harrowperf.foundation.schema import ACTION_COLUMNS

    return _load_clean(clean_dir, "actions", ACTION_COLUMNS)


def load_commentary(clean_dir: str | Path) -> pd.DataFrame:
    """Read ``<clean_dir>/commentary.parquet`` (commentary on measures, linked to the scorecard's
    ``measure_id``); an empty commentary frame when there is none."""
    from harrowperf.foundation.schema import COMMENTARY_COLUMNS

    return _load_clean(clean_dir, "commentary", [*COMMENTARY_COLUMNS, "measure_id", "on_scorecard"])


def load_revisions(clean_dir: str | Path) -> pd.DataFrame:
    """Read ``<clean_dir>/revisions.csv``: each figure a newer workbook printed differently from an older one
    (columns :data:`harrowperf.read.collate.REVISION_COLUMNS`, all text as written by ``harrowperf clean``)."""
    from harrowperf.read.collate import REVISION_COLUMNS

    path = Path(clean_dir) / "revisions.csv"
    if not Path(clean_dir).exists():
        raise ParameterError(f"{clean_dir} does not exist; run `harrowperf clean` first")
    if not path.exists():  # cleaned before revisions were listed: nothing known to be revised
        return pd.DataFrame({column: pd.Series(dtype=str) for column in REVISION_COLUMNS})
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    record_read(path)
    return frame


def load_linked_benchmark(measure_id: str, data_dir: str | Path) -> pd.DataFrame:
    """The public comparative dataset that benchmarks a scorecard measure (``conventions/benchmark.toml``
    ``[scorecard_links]``), every council's rows, read from ``data_dir``; an empty frame when none is linked."""
    from harrowperf.foundation.conventions import settings
    from harrowperf.read import comparative

    link = settings().benchmark.scorecard_links.get(measure_id)
    return pd.DataFrame() if link is None else comparative.read(link.source, data_dir)

