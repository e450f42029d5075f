"""Helpers for the first cells of every analysis notebook: check parameters, load clean data, set up charts."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd

from harrowperf.foundation.errors import ParameterError
from harrowperf.foundation.periods import quarter_label, require_quarter, to_quarter


def setup(notebook: str, **parameters: Any) -> SimpleNamespace:
    """Check a notebook's parameters and return them as attributes (``params.quarter`` ...).

    Known parameters are checked here so that a mistake fails in the first cell with a plain
    message: ``quarter`` must read like "Q2 2016/17" (``params.period`` holds it as a Period),
    ``*_dir`` and ``*_path`` parameters must exist. Also switches charts to the report renderer.

    Paths are relative to the repository root (papermill runs notebooks there). JupyterLab
    starts a notebook's kernel in ``notebooks/`` instead, so when a relative path does not exist
    here but does from the repository root, the kernel moves to the root: the same notebook
    then works unchanged interactively and under papermill.
    """
    _move_to_project_root(parameters)
    checked = dict(parameters)
    if parameters.get("quarter") is not None:
        try:
            checked["period"] = to_quarter(parameters["quarter"])
        except ValueError as exc:
            raise ParameterError(f"{notebook}: quarter {parameters['quarter']!r} is not a financial "
                                 "quarter; write it like 'Q2 2016/17'") from exc
        checked["quarter"] = quarter_label(checked["period"])
    for name, value in parameters.items():
        if (name.endswith("_dir") or name.endswith("_path")) and value is not None:
            if not Path(value).exists():
                raise ParameterError(f"{notebook}: {name} {str(value)!r} does not exist; run "
                                     "`harrowperf clean` first or correct the path")
    _enable_report_charts()
    pd.set_option("display.max_colwidth", 80)
    return SimpleNamespace(**checked)


def project_root(start: str | Path | None = None) -> Path | None:
    """The nearest folder at or above ``start`` (default: the current one) holding ``pyproject.toml``
    and ``notebooks/``: the repository root. None when there is none."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "notebooks").is_dir():
            return folder
    return None


def _move_to_project_root(parameters: dict[str, Any]) -> None:
    paths = [Path(str(value)) for name, value in parameters.items()
             if (name.endswith("_dir") or name.endswith("_path")) and value is not None
             and not Path(str(value)).is_absolute()]
    if not paths or all(path.exists() for path in paths):
        return
    root = project_root()
    if root is not None and root != Path.cwd().resolve() and all((root / p).exists() for p in paths):
        os.chdir(root)


def _enable_report_charts() -> None:
    from harrowperf.present import figures as render

    render.enable()


def load_scorecard(clean_dir: str | Path, quarter: str | pd.Period | None = None) -> pd.DataFrame:
    """Read ``<clean_dir>/scorecard.parquet``; if ``quarter`` is given it must be in the data.

    The data-quality findings of the clean (``quality.csv``) come with it: ``hp.quality(frame)``.

    Raises :class:`ParameterError` listing the quarters present when it is not.
    """
    path = Path(clean_dir) / "scorecard.parquet"
    if not path.exists():
        raise ParameterError(f"{path} does not exist; run `harrowperf clean` first")
    frame = pd.read_parquet(path)
    findings = path.with_name("quality.csv")
    if findings.exists():  # the reader's findings travel with the frame: hp.quality(frame)
        frame.attrs["quality"] = pd.read_csv(findings, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    if quarter is not None:
        require_quarter(quarter, [quarter_label(p) for p in sorted(frame["period"].dropna().unique())])
    return frame
