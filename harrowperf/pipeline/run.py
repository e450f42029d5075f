"""The quarterly run: clean data/raw if it changed, run every notebook with papermill, publish the reports.

``harrowperf run --quarter "Q2 2016/17"`` calls :func:`run_quarter`, which

1. checks the notebooks asked for and every ``-p NAME VALUE`` against the parameters each
   notebook declares (papermill itself only warns about unknown ones);
2. cleans ``data/raw`` into ``data/clean`` when the raw files changed (nothing runs if a file
   cannot be read), then checks the quarter against the data (:func:`resolve_quarter`): only a
   quarter a scorecard workbook reports can be reported, ``latest`` is the newest of them and
   ``previous`` the last quarter that has ended, if a scorecard reports it. Otherwise the run
   stops here and nothing is written to ``reports/``;
3. executes each notebook on the ``harrowperf`` kernel, ``--jobs`` at a time, injecting only the
   parameters it declares (``quarter``, ``clean_dir``, ``raw_dir`` and the ``-p`` overrides).
   Each notebook runs in a process of its own (papermill, then its report page), and its kernel
   starts in the project folder, the folder the run was started from. Nothing changes the
   current folder: papermill's ``cwd`` option does (nteract/papermill#473), so it is not used;
4. writes ``<name>.ipynb`` and ``<name>.html`` (see :mod:`harrowperf.pipeline.pages`), ``index.html`` and
   ``run.json`` into a temporary folder beside ``reports/<quarter>/``, then swaps it into place.
   A run in which a notebook failed never replaces a good report of the same quarter: it is kept
   as ``reports/<quarter>.failed/`` instead;
5. rewrites ``reports/index.html`` (every quarter run so far) and prints a summary table.

A notebook whose inputs are unchanged since its last good report of the quarter (the notebook file,
its parameters, the files under its ``*_dir`` parameters such as the clean data, and the harrowperf
version: :func:`notebook_inputs`, recorded in ``run.json``) is not re-executed; its report is kept.
When nothing changed at all the run says so and stops. ``--force`` re-cleans and re-runs everything.

The exit code is 0 when every notebook finished, 1 when any failed or the data could not be cleaned.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import multiprocessing
import os
import platform
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from harrowperf import __version__
from harrowperf.foundation.conventions import settings
from harrowperf.foundation.errors import ParameterError, RunError
from harrowperf.foundation.periods import QUARTER_FREQ, financial_year_label, quarter_label, to_quarter
from harrowperf.foundation.reads import READS_VARIABLE
from harrowperf.pipeline.notebook import CHART_MODE_VARIABLE
from harrowperf.pipeline.progress import RunProgress
from harrowperf.pipeline.publish import (
    FAILED_SUFFIX,
    RUN_RECORD,
    QuarterLock,
    carry_over,
    folder_mode,
    publish,
    read_record,
    write_site_index,
)

# Parameters the run itself sets from its options; `-p` may not override them.
RUN_PARAMETERS = {"quarter": "--quarter", "clean_dir": "--clean", "raw_dir": "--raw"}
# Run at the start of every kernel the run starts. jsonschema (imported by altair) imports
# rfc3987_syntax if it is installed (jupyter-events installs it), which compiles ~35 Lark
# grammars: about 1 s of CPU per kernel for an "iri" format check no notebook uses
# (python-jsonschema/jsonschema#1428). Marking it absent makes jsonschema skip that checker.
KERNEL_STARTUP = "--IPKernelApp.exec_lines=import sys; sys.modules.setdefault('rfc3987_syntax', None)"
# The same in the run's own processes (this one, and each notebook's, which imports this module):
# papermill imports nbformat, which imports jsonschema. Without it a run with nothing to do takes seconds.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


@dataclass
class NotebookResult:
    """One notebook's outcome in a run (one row of the summary and of ``run.json``)."""

    name: str
    source: str
    parameters: dict[str, Any]
    status: str = "ok"
    title: str = ""
    summary: str = ""
    cells: int = 0
    started: str | None = None
    finished: str | None = None
    duration_seconds: float = 0.0
    html_bytes: int = 0
    charts: int = 0
    charts_not_drawn: int = 0
    warnings: int = 0
    failure: dict[str, Any] | None = None
    message: str = ""
    inputs: str = ""  # the fingerprint of what the notebook read (see notebook_inputs)

    def record(self) -> dict[str, Any]:
        """The ``run.json`` entry."""
        return {"name": self.name, "source": self.source, "title": self.title, "summary": self.summary,
                "status": self.status, "html": f"{self.name}.html", "ipynb": f"{self.name}.ipynb",
                "parameters": self.parameters, "cells": self.cells, "started": self.started,
                "finished": self.finished, "duration_seconds": round(self.duration_seconds, 2),
                "html_bytes": self.html_bytes, "charts": self.charts,
                "charts_not_drawn": self.charts_not_drawn, "warnings": self.warnings,
                "failure": self.failure, "inputs": self.inputs}


@dataclass
class RunPlan:
    """What a run will do, worked out (and checked) before anything is executed."""

    quarter: str
    slug: str
    notebooks: list[Path]
    parameters: dict[str, dict[str, Any]]          # notebook name -> parameters to inject
    declared: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> defaults
    # The folder the run was started from: kernels start here, and paths are shown relative to it.
    project: Path = field(default_factory=lambda: Path.cwd().resolve())
    fingerprints: dict[str, str] = field(default_factory=dict)  # notebook name -> notebook_inputs()


def run_quarter(quarter: str, notebooks: Sequence[str] | None = None, out_dir: str | Path = "reports",
                raw_dir: str | Path = "data/raw", clean_dir: str | Path = "data/clean", jobs: int = 1,
                parameters: Mapping[str, str] | None = None, *, notebooks_dir: str | Path | None = None,
                kernel: str | None = None, cell_timeout: float | None = None, force: bool = False,
                stream: TextIO | None = None) -> int:
    """Run the quarterly job (see the module docstring); return the exit code.

    ``notebooks`` are names ("trend"), file names or paths; default: every ``*.ipynb`` in
    ``notebooks_dir`` (``notebooks/``) not starting with "_". ``parameters`` maps ``-p`` names
    to text values, converted to the type of the notebook's default. ``jobs`` < 1 means one per
    CPU. A notebook whose inputs (:func:`notebook_inputs`) are those of its last good report is not
    re-executed; ``force`` re-cleans and re-runs everything. Raises :class:`ParameterError` for a bad
    quarter, notebook name or parameter, and :class:`RunError` when the kernel is missing or another
    run of the quarter is in progress.
    """
    stream = sys.stderr if stream is None else stream
    run_settings = settings().reports.run
    kernel = kernel or run_settings.kernel
    cell_timeout = cell_timeout or run_settings.cell_timeout_seconds
    folder = notebooks_dir or run_settings.notebooks_dir
    # Everything that can be checked without the data is checked before the clean.
    plan = plan_run(_provisional_quarter(quarter), notebooks, folder, parameters or {}, clean_dir=clean_dir,
                    raw_dir=raw_dir)
    data_files, clean_summary = _clean(Path(raw_dir).resolve(), Path(clean_dir).resolve(), plan.project, stream,
                                       force=force)
    if data_files is None:
        return 1
    from harrowperf.pipeline.notebook import reported_quarters

    # The quarter must be one a scorecard reports: checked before anything is written to reports/.
    label = resolve_quarter(quarter, reported_quarters(clean_dir))
    plan = plan_run(label, notebooks, folder, parameters or {}, clean_dir=clean_dir, raw_dir=raw_dir)
    # Absolute from here on: notebook processes must not depend on any current folder
    # (what is shown to people still goes through _display_path, relative to the project).
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with QuarterLock(out, plan.slug):
        plan.fingerprints = {path.stem: notebook_inputs(path, plan) for path in plan.notebooks}
        # After a failed attempt (reports/<quarter>.failed) everything runs again: the good report is older.
        if not force and not (out / f"{plan.slug}{FAILED_SUFFIX}").exists():
            unchanged = _unchanged(plan, read_record(out / plan.slug), out / plan.slug)
            if unchanged and len(unchanged) == len(plan.notebooks):
                print(f"nothing changed since the last report of {plan.quarter}: the notebooks, their parameters, "
                      f"the clean data and harrowperf {__version__} are the same, so "
                      f"{'the notebook was' if len(unchanged) == 1 else f'none of the {len(unchanged)} notebooks were'}"
                      f" re-run (--force re-runs them)\nreports: "
                      f"{_display_path(out / plan.slug / 'index.html', plan.project)}", file=stream)
                return 0
            if unchanged:
                print(f"unchanged since the last report, not re-run: {', '.join(sorted(unchanged))}", file=stream)
                plan.notebooks = [path for path in plan.notebooks if path.stem not in unchanged]
        check_kernel(kernel)
        return _run_and_publish(plan, out, data_files, clean_summary, parameters or {},
                                jobs=_jobs(jobs, len(plan.notebooks)), kernel=kernel,
                                cell_timeout=cell_timeout, clean_dir=Path(clean_dir).resolve(), stream=stream)


QUARTER_WORDS = ("latest", "previous")


def resolve_quarter(quarter: str, reported: Sequence[str], today: Any = None) -> str:
    """The quarter a run reports, checked against ``reported``, the quarters a scorecard workbook reports.

    ``"latest"`` is the newest of them; ``"previous"`` the last quarter that has ended
    (:func:`previous_quarter`), which must be one of them; any other value must read like
    "Q2 2016/17" and be one of them. History figures never make a quarter reportable. Raises
    :class:`ParameterError` saying which quarters can be reported.
    """
    text = quarter.strip() if isinstance(quarter, str) else quarter
    if text == "" or text is None:
        raise ParameterError("--quarter is empty; write the quarter like 'Q2 2016/17', or 'latest' for the newest "
                             "quarter a scorecard reports")
    listed = ", ".join(reported)
    if not reported:
        raise ParameterError("no scorecard workbook reports any quarter, so there is nothing to report: put the "
                             "quarter's workbook in data/raw/scorecards/ and run again")
    if isinstance(text, str) and text.lower() == "latest":
        return reported[-1]
    if isinstance(text, str) and text.lower() == "previous":
        label = previous_quarter(today)
        if label not in reported:
            raise ParameterError(f"--quarter previous is {label} (the last quarter that has ended), but no scorecard "
                                 f"workbook reports it, so nothing was run. The newest quarter a scorecard reports is "
                                 f"{reported[-1]} (--quarter latest); the quarters a scorecard reports are: {listed}")
        return label
    try:
        label = quarter_label(to_quarter(text))
    except (ValueError, TypeError) as exc:
        raise ParameterError(f"--quarter {quarter!r} is not a financial quarter; write it like 'Q2 2016/17'") from exc
    if label not in reported:
        raise ParameterError(f"no scorecard workbook reports {label}, so nothing was run; the quarters a scorecard "
                             f"reports are: {listed}")
    return label


def _provisional_quarter(quarter: str) -> str:
    """A quarter to check the notebooks and parameters with before the data is known (see :func:`resolve_quarter`)."""
    if not isinstance(quarter, str) or not quarter.strip():
        raise ParameterError("--quarter is empty; write the quarter like 'Q2 2016/17', or 'latest' for the newest "
                             "quarter a scorecard reports")
    return previous_quarter() if quarter.strip().lower() in QUARTER_WORDS else quarter


def notebook_inputs(path: Path, plan: RunPlan) -> str:
    """A fingerprint (SHA-256) of everything a notebook's report depends on: the notebook file, the
    parameters it runs with, every file under its ``*_dir`` and ``*_path`` parameters (the clean data,
    and e.g. ``data/raw/benchmark``) and the harrowperf version. Equal fingerprints: the same report."""
    import hashlib

    parameters = {**{k: (v.text if isinstance(v, _Source) else v) for k, v in plan.declared.get(path.stem, {}).items()},
                  **plan.parameters.get(path.stem, {})}
    digest = hashlib.sha256()
    digest.update(json.dumps({"version": __version__, "parameters": parameters}, sort_keys=True,
                             default=str).encode())
    digest.update(path.read_bytes())
    for name, value in sorted(parameters.items()):
        if (name.endswith("_dir") or name.endswith("_path")) and isinstance(value, str):
            folder = Path(value) if Path(value).is_absolute() else plan.project / value
            files = [folder] if folder.is_file() else sorted(
                f for f in folder.rglob("*") if f.is_file() and not any(
                    part.startswith(".") for part in f.relative_to(folder).parts)) if folder.is_dir() else []
            for file in files:
                digest.update(f"{name}:{file.relative_to(folder).as_posix() if file != folder else ''}".encode())
                digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def _unchanged(plan: RunPlan, previous: dict[str, Any] | None, folder: Path) -> set[str]:
    """The notebooks of this run whose last good report was made from exactly the same inputs."""
    if previous is None:
        return set()
    same = set()
    for entry in previous.get("notebooks", []):
        name = entry.get("name")
        if (entry.get("status") == "ok" and entry.get("inputs") and entry.get("inputs") == plan.fingerprints.get(name)
                and (folder / entry.get("html", "")).is_file() and (folder / entry.get("ipynb", "")).is_file()):
            same.add(name)
    return same


def previous_quarter(today: Any = None) -> str:
    """The last financial quarter that had ended by ``today`` (default: now).

    ``--quarter previous`` uses it, so a scheduled run reports the quarter just closed:
    on 15 November 2016 it is "Q2 2016/17" (July to September 2016).
    """
    import pandas as pd

    moment = pd.Timestamp(today) if today is not None else pd.Timestamp.now()
    if moment.tzinfo is not None:
        moment = moment.tz_localize(None)
    return quarter_label(moment.to_period(QUARTER_FREQ) - 1)


def publish_executed(quarter: str, executed_dir: str | Path, out_dir: str | Path = "reports",
                     raw_dir: str | Path = "data/raw", clean_dir: str | Path = "data/clean", *,
                     notebooks_dir: str | Path | None = None, stream: TextIO | None = None) -> int:
    """Publish notebooks executed elsewhere (e.g. by Airflow's PapermillOperator) as a quarter's reports.

    Every ``*.ipynb`` in ``executed_dir`` gets the same treatment as in :func:`run_quarter`:
    provenance recorded, a report page, ``index.html``, ``run.json``, swap-in publishing (a
    failed notebook never replaces a good report) and ``reports/index.html``. A page lists the files its
    notebook read when they were recorded while it ran (``HARROWPERF_READS`` set to :func:`reads_file`,
    as the Airflow DAG in ``deploy/airflow`` does), else the files in ``raw_dir`` now. Returns 0, or 1
    when any notebook had failed.
    """
    import nbformat

    from harrowperf.pipeline.clean import checksums
    from harrowperf.pipeline.notebook import reported_quarters

    stream = sys.stderr if stream is None else stream
    label = resolve_quarter(quarter, reported_quarters(clean_dir))
    folder = Path(notebooks_dir or settings().reports.run.notebooks_dir)
    executed = sorted(Path(executed_dir).glob("*.ipynb"))
    if not executed:
        raise RunError(f"there are no executed notebooks in {executed_dir}")
    sources = [folder / path.name for path in executed]
    notebooks = {path.stem: nbformat.read(path, as_version=4) for path in executed}
    plan = RunPlan(
        quarter=label, slug=quarter_slug(label), notebooks=sources,
        parameters={name: dict(nb.metadata.get("papermill", {}).get("parameters") or {})
                    for name, nb in notebooks.items()},
        declared={source.stem: declared_parameters(source) for source in sources if source.exists()})
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    prefix = _display_path(raw_dir, plan.project)
    data_files = {f"{prefix}/{name}": digest for name, digest in sorted(checksums(raw_dir).items())}
    kernel = settings().reports.run.kernel
    with QuarterLock(out, plan.slug):
        return _publish_run(plan, out, data_files, _clean_summary(Path(clean_dir)), {}, kernel=kernel,
                            clean_dir=Path(clean_dir), stream=stream, produce=lambda staging, context: [
                                _collect(notebooks[source.stem], source, staging, plan, context,
                                         reads=_recorded(reads_file(executed_dir, source.stem)))
                                for source in sources])


def reads_file(executed_dir: str | Path, name: str) -> Path:
    """Where a notebook executed outside the run lists the files it reads: set ``HARROWPERF_READS`` to this
    path (and create the file, empty) while it runs, and :func:`publish_executed` lists them on its page."""
    return Path(executed_dir) / f".{name}.reads.jsonl"


def _recorded(path: Path) -> Path | None:
    return path if path.is_file() else None


def quarter_slug(quarter: str) -> str:
    """The folder name of a quarter's reports, sorting in time order: "Q2 2016/17" -> "2016-17-Q2"."""
    period = to_quarter(quarter)
    return f"{financial_year_label(period).replace('/', '-')}-Q{period.quarter}"


def plan_run(quarter: str, notebooks: Sequence[str] | None, notebooks_dir: str | Path,
             overrides: Mapping[str, str], *, clean_dir: str | Path = "data/clean",
             raw_dir: str | Path = "data/raw", project: str | Path | None = None) -> RunPlan:
    """Check everything that can be checked before running and say what each notebook gets.

    ``project`` is the project folder (default: the current one): kernels start there and the
    paths given to notebooks are relative to it.

    Raises :class:`ParameterError` naming the problem: a quarter that is not a financial
    quarter, a notebook that does not exist (listing those that do), a ``-p`` name no selected
    notebook declares (listing those declared) or a value that does not fit the default's type.
    """
    root = Path(project or Path.cwd()).resolve()
    if isinstance(quarter, str) and quarter.strip().lower() == "previous":
        quarter = previous_quarter()
    try:
        label = quarter_label(to_quarter(quarter))
    except (ValueError, TypeError) as exc:
        raise ParameterError(f"--quarter {quarter!r} is not a financial quarter; "
                             "write it like 'Q2 2016/17'") from exc
    for name, option in RUN_PARAMETERS.items():
        if name in overrides:
            raise ParameterError(f"-p {name} is set by the run; use {option} instead")
    paths = select_notebooks(notebooks, notebooks_dir)
    declared = {path.stem: declared_parameters(path) for path in paths}
    known = sorted({name for names in declared.values() for name in names})
    unknown = sorted(set(overrides) - set(known))
    if unknown:
        raise ParameterError(
            f"-p {', '.join(unknown)}: no notebook in this run declares "
            f"{'this parameter' if len(unknown) == 1 else 'these parameters'}; "
            f"the parameters they declare are: {', '.join(known) or '(none)'}")
    run_values: dict[str, Any] = {"quarter": label, "clean_dir": _display_path(clean_dir, root),
                                  "raw_dir": _display_path(raw_dir, root)}
    injected = {}
    for path in paths:
        defaults = declared[path.stem]
        values = {name: value for name, value in run_values.items() if name in defaults}
        for name, text in overrides.items():
            if name in defaults:
                values[name] = convert_parameter(text, defaults[name], name=name, notebook=path.name)
        injected[path.stem] = values
    return RunPlan(quarter=label, slug=quarter_slug(label), notebooks=paths, parameters=injected,
                   declared=declared, project=root)


def select_notebooks(names: Sequence[str] | None, notebooks_dir: str | Path) -> list[Path]:
    """The notebooks to run: ``names`` ("trend", "trend.ipynb" or a path), or all the report notebooks
    in the folder (not drafts starting with "_", not the ``explore_only`` ones of reports.toml)."""
    folder = Path(notebooks_dir)
    available = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith(("_", ".")))
    if not names:
        reports = [p for p in available if p.stem not in settings().reports.run.explore_only]
        if not reports:
            raise ParameterError(f"there are no notebooks in {folder}/")
        return reports
    chosen: list[Path] = []
    for name in names:
        candidate = Path(name)
        if candidate.suffix != ".ipynb":
            candidate = candidate.with_name(candidate.name + ".ipynb")
        if not candidate.is_file():
            candidate = folder / candidate.name
        if not candidate.is_file():
            listing = ", ".join(p.stem for p in available) or "(none)"
            raise ParameterError(f"notebook {name!r} was not found in {folder}/; "
                                 f"the notebooks there are: {listing}")
        if candidate.stem in {p.stem for p in chosen}:
            continue
        chosen.append(candidate)
    return chosen


def declared_parameters(path: Path) -> dict[str, Any]:
    """{name: default value} of a notebook's ``parameters`` cell (default as Python value or source text).

    The cell is the one tagged ``parameters`` (as papermill finds it); each top-level assignment in it
    is a parameter. Read with the standard library, so checking a run needs no papermill import.
    """
    try:
        cells = json.loads(Path(path).read_text("utf-8"))["cells"]
        cell = next((c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
        if cell is None:
            return {}
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        tree = ast.parse(source)
    except Exception as exc:  # noqa: BLE001 - unreadable JSON, a cell that is not Python...: one clear message
        raise RunError(f"cannot read the parameters of {path}: {type(exc).__name__}: {exc}", file=str(path)) from exc
    found: dict[str, Any] = {}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) and node.value is not None else []
        for target in targets:
            if isinstance(target, ast.Name):
                found[target.id] = _literal(ast.get_source_segment(source, node.value))
    return found


def convert_parameter(text: str, default: Any, *, name: str = "", notebook: str = "") -> Any:
    """A ``-p`` value (text) as the type of the notebook's default: "3" -> 3 when the default is 5.

    Text defaults take the text as it is; booleans accept true/false/yes/no/1/0; a default of
    None (or an expression) accepts any Python literal, else the text.
    """
    where = f"-p {name} (in {notebook})" if notebook else f"-p {name}"
    if isinstance(default, _Source) or default is None:
        try:
            return ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return text
    if isinstance(default, str):
        return text
    if isinstance(default, bool):
        lowered = text.strip().lower()
        if lowered in {"true", "yes", "1"}:
            return True
        if lowered in {"false", "no", "0"}:
            return False
        raise ParameterError(f"{where} must be true or false, not {text!r}")
    try:
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError) as exc:
        raise ParameterError(f"{where} must be {_type_words(default)}, not {text!r}") from exc
    if not isinstance(value, type(default)):
        raise ParameterError(f"{where} must be {_type_words(default)}, not {text!r}")
    return value


def check_kernel(kernel: str) -> None:
    """Raise :class:`RunError` unless the Jupyter kernel ``kernel`` is installed."""
    from jupyter_client.kernelspec import KernelSpecManager

    if kernel not in KernelSpecManager().find_kernel_specs():
        raise RunError(f"the Jupyter kernel {kernel!r} is not installed; run `make setup` or "
                       f"`python -m ipykernel install --sys-prefix --name {kernel}`")


# --- cleaning -----------------------------------------------------------------------------------


def _clean(raw: Path, clean_dir: Path, project: Path, stream: TextIO, *,
           force: bool = False) -> tuple[dict[str, str] | None, str]:
    """Clean data/raw if it changed; return ({data/raw/<file>: sha256}, summary) or (None, "") on errors."""
    from harrowperf.pipeline.clean import clean

    result = clean(raw, clean_dir, force=force, stream=stream)
    if result.errors:
        print(f"harrowperf: {len(result.errors)} raw file(s) could not be read, so no notebook was run "
              "and the reports were left as they were:", file=stream)
        for error in result.errors:
            print(f"  {error}", file=stream)
        return None, ""
    prefix = _display_path(raw, project)
    files = {f"{prefix}/{name}": digest for name, digest in sorted(result.inputs.items())}
    return files, _clean_summary(clean_dir)


def _clean_summary(clean_dir: Path) -> str:
    """ "268 scorecard observations, 6 data-quality findings", from data/clean/manifest.json."""
    try:
        recorded = json.loads((clean_dir / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return ""
    return (f"{recorded.get('observations', '?')} scorecard observations, "
            f"{recorded.get('findings', '?')} data-quality findings")


# --- executing ----------------------------------------------------------------------------------


def _run_and_publish(plan: RunPlan, out: Path, data_files: dict[str, str], clean_summary: str,
                     overrides: Mapping[str, str], *, jobs: int, kernel: str, cell_timeout: float,
                     clean_dir: Path, stream: TextIO) -> int:
    def execute_all(staging: Path, context: dict[str, Any]) -> list[NotebookResult]:
        progress = RunProgress([p.stem for p in plan.notebooks], jobs, stream)
        # One fresh process per notebook, at most `jobs` at a time. The pool is driven from this
        # thread: a notebook is handed over only when a process is free, so "started" is printed
        # when it really starts.
        def new_pool() -> ProcessPoolExecutor:
            return ProcessPoolExecutor(max_workers=jobs, mp_context=_notebook_processes(), max_tasks_per_child=1)

        pool = new_pool()
        # Longest first (timed by the last run), so parallel jobs finish close together.
        waiting = _longest_first(plan.notebooks, read_record(out / plan.slug))
        running: dict[Future[NotebookResult], Path] = {}
        finished: dict[Path, NotebookResult] = {}
        broken = False  # a notebook process died: the pool takes no more work
        try:
            while waiting or running:
                if broken and not running:  # the notebooks still waiting get a new pool
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool, broken = new_pool(), False
                while waiting and len(running) < jobs and not broken:
                    path = waiting.pop(0)
                    running[pool.submit(_execute, path, staging, plan, context, kernel=kernel,
                                        cell_timeout=cell_timeout, bar=progress.start(path.stem))] = path
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    path = running.pop(future)
                    try:
                        finished[path] = future.result()
                    except BrokenProcessPool:
                        broken = True
                        finished[path] = _process_lost(path, staging, plan, context)
                    progress.finish(path.stem, finished[path])
            return [finished[path] for path in plan.notebooks]
        finally:
            # On Ctrl-C, start nothing new; notebooks already running finish on their own.
            pool.shutdown(wait=False, cancel_futures=True)
            progress.close()

    return _publish_run(plan, out, data_files, clean_summary, overrides, kernel=kernel, clean_dir=clean_dir,
                        stream=stream, produce=execute_all)


PROCESS_LOST = ("its notebook process stopped abruptly: it was killed (for example when the machine ran out "
                "of memory), or another notebook's process was and took it with it, or it could not start "
                "(a Python script that calls run_quarter must do so under `if __name__ == \"__main__\":`)")


def _process_lost(path: Path, staging: Path, plan: RunPlan, context: Mapping[str, Any]) -> NotebookResult:
    """A failed result for a notebook whose process died: its page names the cell that was running."""
    import nbformat

    output = staging / f"{path.stem}.ipynb"
    try:  # the cells executed before the process died, as saved cell by cell
        nb = nbformat.read(output, as_version=4)
    except (OSError, ValueError):
        nb = nbformat.read(path, as_version=4)
    return _collect(nb, path, staging, plan, context, error=RunError(PROCESS_LOST))


def _headlines(plan: RunPlan, clean_dir: Path, staging: Path) -> dict[str, Any]:
    """The quarter's headline figures for its index page (see :mod:`harrowperf.pipeline.headlines`)."""
    from harrowperf.pipeline.headlines import quarter_headlines

    parameters = None
    if "benchmark" in plan.declared and (staging / "benchmark.html").is_file():
        parameters = {name: value for name, value in plan.declared["benchmark"].items()
                      if not isinstance(value, _Source)}
        parameters.update(plan.parameters.get("benchmark", {}))
        if isinstance(parameters.get("data_dir"), str) and not Path(parameters["data_dir"]).is_absolute():
            parameters["data_dir"] = str(plan.project / parameters["data_dir"])
    return quarter_headlines(clean_dir, plan.quarter, staging, parameters)


def _explorer(clean_dir: Path, quarter: str, staging: Path, stream: TextIO) -> str | None:
    """Write the quarter's explore.html; a failure is reported and never stops the reports."""
    from harrowperf.pipeline.explore import user_cache_dir, write_explorer

    try:
        return write_explorer(clean_dir, quarter, staging, cache_dir=user_cache_dir()).name
    except Exception as exc:  # noqa: BLE001 - the explorer is an extra; the reports must still publish
        print(f"explore.html was not made: {type(exc).__name__}: {exc}", file=stream)
        return None


def _publish_run(plan: RunPlan, out: Path, data_files: dict[str, str], clean_summary: str,
                 overrides: Mapping[str, str], *, clean_dir: Path, kernel: str, stream: TextIO,
                 produce: Callable[[Path, dict[str, Any]], list[NotebookResult]]) -> int:
    """Make a staging folder, let ``produce`` fill it with notebooks and pages, then publish it."""
    started = _now()
    staging = Path(tempfile.mkdtemp(prefix=f".{plan.slug}.", suffix=".partial", dir=out))
    staging.chmod(folder_mode())  # mkdtemp makes it private; published reports are for sharing
    published = False
    try:
        carried = carry_over(out / plan.slug, staging, {p.stem for p in plan.notebooks})
        context = {"quarter": plan.quarter, "kernel": kernel, "data_files": data_files,
                   "version": __version__}
        results = produce(staging, context)
        record = _run_record(plan, results, carried, started, data_files, clean_summary, overrides, kernel)
        record["explorer"] = _explorer(clean_dir, plan.quarter, staging, stream)
        record["headlines"] = _headlines(plan, clean_dir, staging)
        (staging / RUN_RECORD).write_text(json.dumps(record, indent=2) + "\n", "utf-8")
        target = publish(staging, out, plan.slug, record)
        published = True
        write_site_index(out)
        _print_summary(results, target, plan.project, stream)
        return 0 if record["status"] == "ok" else 1
    finally:
        if not published:
            shutil.rmtree(staging, ignore_errors=True)


# What every notebook process needs, imported once by the fork server rather than once per notebook.
_PRELOAD = ["papermill", "nbformat", "harrowperf.pipeline.pages", "harrowperf.pipeline.run"]


def _notebook_processes() -> Any:
    """How notebook processes start: forked from a clean single-threaded server that has imported
    :data:`_PRELOAD` (POSIX), else spawned. Either way a notebook shares nothing with this process
    (no threads, no current folder, no state)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


def _execute(path: Path, staging: Path, plan: RunPlan, context: Mapping[str, Any], *, kernel: str,
             cell_timeout: float, bar: dict[str, Any] | bool) -> NotebookResult:
    """Execute one notebook and write it and its page to staging (in a notebook process of its own)."""
    import nbformat
    import papermill

    output = staging / f"{path.stem}.ipynb"
    reads = staging / f".{path.stem}.reads.jsonl"  # the files the notebook reads (foundation.reads)
    clock = time.perf_counter()
    error: BaseException | None = None
    try:
        # Absolute paths and cwd=None: papermill's cwd option changes the current folder of the
        # process. The kernel is started in the project folder by the kernel manager instead.
        papermill.execute_notebook(
            str(path.resolve()), str(output), parameters=plan.parameters[path.stem],
            kernel_name=kernel, language="python", cwd=None, progress_bar=bar, log_output=False,
            request_save_on_cell_execute=True, execution_timeout=cell_timeout,
            start_timeout=settings().reports.run.kernel_start_timeout_seconds,
            kernel_manager_class=_kernel_manager(plan.project, reads), extra_arguments=[KERNEL_STARTUP])
    except Exception as exc:  # noqa: BLE001 - every failure becomes a failed report, never a crash
        error = exc
    duration = time.perf_counter() - clock
    # papermill may stop before writing anything (e.g. the notebook is not valid JSON)
    nb = nbformat.read(output if output.exists() else path, as_version=4)
    return _collect(nb, path, staging, plan, context, error=error, cell_timeout=cell_timeout,
                    duration=duration, reads=reads)


def _collect(nb: Any, source: Path, staging: Path, plan: RunPlan, context: Mapping[str, Any], *,
             error: BaseException | None = None, cell_timeout: float | None = None,
             duration: float | None = None, reads: Path | None = None) -> NotebookResult:
    """Record provenance in an executed notebook, write it and its page to staging, say how it went.

    ``reads`` is the file the notebook's kernel listed the files it read in (see
    :mod:`harrowperf.foundation.reads`): the page lists those files, and the raw files behind them,
    rather than every file of the run. Without it (notebooks executed elsewhere) the page lists the
    run's raw files.
    """
    import nbformat

    from harrowperf.pipeline.pages import (
        default_path_replacements,
        failure_at_running_cell,
        find_failure,
        scrub_notebook_paths,
    )

    name = source.stem
    injected = plan.parameters.get(name, {})
    result = NotebookResult(name=name, source=_display_path(source, plan.project), parameters=injected,
                            inputs=plan.fingerprints.get(name, ""))
    failure = find_failure(nb)
    if isinstance(error, TimeoutError):  # nbclient interrupts the cell: its output says KeyboardInterrupt
        stopped = (f"stopped after running for {cell_timeout:g} s, the longest a cell may take "
                   "(cell_timeout_seconds in conventions/reports.toml)")
        failure = (dataclasses.replace(failure, error=stopped) if failure is not None
                   else failure_at_running_cell(nb, stopped))
        nb.metadata.setdefault("harrowperf", {})["failure"] = failure.as_dict()
    elif error is not None and failure is None:  # our own errors are plain words; others say their kind
        failure = failure_at_running_cell(nb, _first_line(error) if isinstance(error, RunError)
                                          else f"{type(error).__name__}: {_first_line(error)}")
        nb.metadata.setdefault("harrowperf", {})["failure"] = failure.as_dict()
    defaults = {k: (v.text if isinstance(v, _Source) else v) for k, v in plan.declared.get(name, {}).items()}
    nb.metadata["harrowperf"] = {
        **nb.metadata.get("harrowperf", {}), **context, "notebook": result.source,
        "parameters": {**defaults, **injected},
    }
    if reads is not None:
        from harrowperf.foundation.reads import load_reads
        from harrowperf.pipeline.headlines import page_periods

        read = load_reads(reads)
        files = page_data_files(read, context.get("data_files") or {}, plan.project)
        nb.metadata["harrowperf"]["periods"] = page_periods(plan.quarter, [entry.path for entry in read])
        nb.metadata["harrowperf"]["data_files"] = {path: entry["sha256"] for path, entry in files.items()}
        nb.metadata["harrowperf"]["data_file_roles"] = {path: entry["role"] for path, entry in files.items()}
        reads.unlink(missing_ok=True)
    output = staging / f"{name}.ipynb"
    _make_paths_relative(nb, staging.parent / plan.slug / output.name, plan.project)
    scrub_notebook_paths(nb, default_path_replacements(plan.project))
    nbformat.write(nb, output)
    _render(nb, name, staging, plan, result)
    result.cells = sum(1 for c in nb.cells if c.cell_type == "code"
                       and "injected-parameters" not in c.metadata.get("tags", []))
    papermill_meta = nb.metadata.get("papermill", {})
    result.started = papermill_meta.get("start_time")
    result.finished = papermill_meta.get("end_time") or _now()
    result.duration_seconds = duration if duration is not None else float(papermill_meta.get("duration") or 0)
    if failure is not None:
        result.status = "failed"
        result.failure = failure.as_dict()
        result.message = failure.describe(result.source)
    return result


def _render(nb: Any, name: str, staging: Path, plan: RunPlan, result: NotebookResult) -> None:
    from harrowperf.pipeline.pages import RenderedReport, default_path_replacements, render_report

    try:
        page: RenderedReport = render_report(nb, ipynb=f"{name}.ipynb", quarter=plan.quarter,
                                             path_replacements=default_path_replacements(plan.project))
    except Exception as exc:  # noqa: BLE001 - a render bug must not lose the executed notebook
        result.status = "failed"
        result.failure = {"error": f"the HTML page could not be made: {type(exc).__name__}: {exc}"}
        result.message = f"{result.source}: {result.failure['error']}"
        (staging / f"{name}.html").write_text(
            f"<!DOCTYPE html><title>{name}</title><p>This report could not be rendered; "
            f"see {name}.ipynb.</p>", "utf-8")
        return
    data = page.html.encode("utf-8")
    (staging / f"{name}.html").write_bytes(data)
    result.title, result.summary = page.title, page.summary
    result.html_bytes, result.charts = len(data), page.charts
    result.charts_not_drawn, result.warnings = page.charts_not_drawn, page.warnings


def page_data_files(reads: Sequence[Any], run_files: Mapping[str, str], project: Path) -> dict[str, dict[str, str]]:
    """{path as shown: {"sha256", "role"}} of the files one page read, and of the raw files behind them.

    ``reads`` are :class:`harrowperf.foundation.reads.Read` entries (in the order read); ``run_files``
    the run's raw files ({"data/raw/scorecards/q2.xlsx": sha256}). A clean frame is followed by the raw
    files named in its ``source`` column, and the scorecard frame by the measure catalogue it was
    matched with (from the clean folder's ``manifest.json``); their role says which clean file they
    are behind. Paths are relative to the project folder.
    """
    files: dict[str, dict[str, str]] = {}
    by_name: dict[str, list[str]] = {}
    for path in run_files:
        by_name.setdefault(path.rsplit("/", 1)[-1], []).append(path)
    for read in reads:
        shown = _display_path(read.path, project)
        files[shown] = {"sha256": read.sha256, "role": "read"}  # read directly: that says more than "behind"
        behind = f"behind {Path(read.path).name}"
        for source in read.sources:
            for path in by_name.get(source, []):
                files.setdefault(path, {"sha256": run_files[path], "role": behind})
        if Path(read.path).name == "scorecard.parquet":
            try:
                recorded = json.loads((Path(read.path).parent / "manifest.json").read_text("utf-8"))
            except (OSError, ValueError):
                recorded = {}
            catalogue = (recorded.get("settings") or {}).get("data/measures.csv")
            if catalogue:
                files.setdefault("data/measures.csv", {"sha256": catalogue, "role": behind})
    return files


def _kernel_manager(cwd: Path, reads: Path | None = None) -> type:
    """A kernel manager that starts kernels in ``cwd`` with static report charts and, where the OS
    allows, talks to them over local sockets rather than unencrypted TCP. The kernel lists the files
    it reads in ``reads`` (see :mod:`harrowperf.foundation.reads`)."""
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.paths import jupyter_runtime_dir

    class RunKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            if os.name == "posix":
                self.transport = "ipc"
                # One socket name per kernel: kernels running side by side must not share sockets.
                runtime = Path(jupyter_runtime_dir())
                runtime.mkdir(parents=True, exist_ok=True)
                self.ip = str(runtime / f"harrowperf-{uuid.uuid4().hex[:12]}")

        async def start_kernel(self, **kwargs: Any) -> None:
            kwargs.setdefault("cwd", str(cwd))
            # Reports show charts as static figures, whatever the environment the run started in.
            kwargs["env"] = {**(kwargs.get("env") or os.environ), CHART_MODE_VARIABLE: "static"}
            if reads is not None:
                kwargs["env"][READS_VARIABLE] = str(reads)
            await super().start_kernel(**kwargs)

        async def _async_interrupt_kernel(self) -> None:
            # jupyter_client interrupts every kernel before shutting it down. After the last cell there
            # is nothing to interrupt, and ipykernel writes "ERROR | KeyboardInterrupt caught in kernel"
            # into the run's log. A cell that runs too long is still interrupted (not shutting down).
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

    return RunKernelManager


def _make_paths_relative(nb: Any, final_path: Path, project: Path) -> None:
    """Executed notebooks name their input and output as people see them, not the temporary folder."""
    meta = nb.metadata.get("papermill")
    if meta:
        meta["input_path"] = nb.metadata["harrowperf"]["notebook"]
        meta["output_path"] = _display_path(final_path, project)


def _run_record(plan: RunPlan, results: list[NotebookResult], carried: list[dict[str, Any]],
                started: str, data_files: dict[str, str], clean_summary: str,
                overrides: Mapping[str, str], kernel: str) -> dict[str, Any]:
    import papermill

    entries = sorted([*carried, *(r.record() for r in results)], key=lambda e: e["name"])
    return {
        "quarter": plan.quarter, "slug": plan.slug,
        "status": "ok" if all(e["status"] == "ok" for e in entries) else "failed",
        "started": started, "finished": _now(), "version": __version__,
        "papermill_version": papermill.__version__, "kernel": kernel,
        "python": platform.python_version(), "parameters": dict(overrides),
        "data_files": data_files, "clean_summary": clean_summary, "notebooks": entries,
    }


def _print_summary(results: list[NotebookResult], target: Path, project: Path, stream: TextIO) -> None:
    rows = [("Notebook", "Status", "Cells", "Time", "Charts", "Page size")]
    for r in results:
        charts = f"{r.charts}" + (f" ({r.charts_not_drawn} not drawn)" if r.charts_not_drawn else "")
        rows.append((r.name, "ok" if r.status == "ok" else "FAILED", str(r.cells),
                     f"{r.duration_seconds:.1f} s", charts, f"{r.html_bytes / 1024:.0f} KB"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print("", file=stream)
    for number, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip(),
              file=stream)
        if number == 0:
            print("  ".join("-" * width for width in widths), file=stream)
    limit = settings().reports.reports.max_page_megabytes * 1024 * 1024
    for r in results:
        if r.html_bytes > limit:
            print(f"note: {r.name}.html is {r.html_bytes / 1024 / 1024:.1f} MB, too big to email "
                  f"comfortably (aim for under {limit / 1024 / 1024:.0f} MB)", file=stream)
        if r.warnings:
            print(f"note: {r.name} printed {r.warnings} warning(s); they are in {r.name}.ipynb, "
                  "not in the report", file=stream)
    failed = [r for r in results if r.status != "ok"]
    print(f"\nreports: {_display_path(target / 'index.html', project)}", file=stream)
    for r in failed:
        print(f"error: {r.message}", file=stream)
    if failed:
        print(f"harrowperf: {len(failed)} of {len(results)} notebook(s) failed", file=stream)


# --- small helpers ------------------------------------------------------------------------------


class _Source:
    """A parameter default that is an expression, not a literal (kept as its source text)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _literal(source: Any) -> Any:
    if not isinstance(source, str):
        return source
    try:
        return ast.literal_eval(source)
    except (ValueError, SyntaxError):
        return _Source(source)


def _type_words(default: Any) -> str:
    return {int: "a whole number", float: "a number", list: "a list like [1, 2]",
            dict: "a dict like {'a': 1}", tuple: "a tuple"}.get(type(default), type(default).__name__)


def _longest_first(paths: list[Path], previous: dict[str, Any] | None) -> list[Path]:
    took = {e["name"]: e.get("duration_seconds") or 0.0 for e in (previous or {}).get("notebooks", [])}
    return sorted(paths, key=lambda path: -took.get(path.stem, 0.0))


def _jobs(jobs: int, notebooks: int) -> int:
    wanted = jobs if jobs >= 1 else (os.cpu_count() or 1)
    return max(1, min(wanted, notebooks))


def _display_path(path: str | Path, project: Path) -> str:
    """A path relative to the project folder when inside it, else absolute.

    Notebooks receive paths in this form, so the parameters recorded in a report do not show
    where the repository lives on the machine that ran it.
    """
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(project).as_posix() or "."
    except ValueError:
        return resolved.as_posix()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _now() -> str:
    return datetime.now(UTC).isoformat()
