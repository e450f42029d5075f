"""The project folder: where the notebooks, data/ and the measure catalogue live, however harrowperf is installed.

A project folder holds ``pyproject.toml`` and ``notebooks/`` (the repository root). Files the
library reads by default (``data/measures.csv``, ``data/groups.csv``) are looked up there, never
beside the installed package: an ordinary (non-editable) install puts the package in
site-packages, far from the data.
"""

from __future__ import annotations

from pathlib import Path

MARKERS = ("pyproject.toml", "notebooks")


def project_root(start: str | Path | None = None) -> Path | None:
    """The nearest folder at or above ``start`` (default: the current one) holding ``pyproject.toml``
    and ``notebooks/``; None when there is none.

    JupyterLab starts a notebook's kernel in ``notebooks/``, the quarterly run in the project folder:
    both find the same root.
    """
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKERS[0]).is_file() and (folder / MARKERS[1]).is_dir():
            return folder
    return None


def project_file(relative: str | Path, start: str | Path | None = None) -> Path:
    """``relative`` inside the project folder found from ``start`` (default: the current folder).

    When no project folder is found there, the one holding the package's own source is tried (an
    editable install); failing both, the path is taken from the current folder as given, so a
    message about a missing file names it as the analyst wrote it.
    """
    root = project_root(start) or project_root(Path(__file__).parent)
    return root / relative if root is not None else Path(relative)
