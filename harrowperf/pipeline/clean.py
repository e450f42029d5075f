"""The clean job: read every workbook in data/raw and write tidy, validated frames to data/clean, atomically.

Layout of data/raw (never modified by the code; :func:`survey` says what is read and what is not):

- ``scorecards/*.xlsx``  quarterly corporate scorecards -> ``scorecard.parquet`` / ``.csv``
- ``history/*.csv``      cited earlier figures of scorecard measures -> appended to the scorecard frame
- ``history/<file>`` + ``history/<file>.mapping.toml``  a long history file (CSV or XLSX, one row per
  indicator per period, e.g. a Pentana export) read through its mapping (:mod:`harrowperf.read.long`)
  -> appended to the scorecard frame like the cited history

The scorecard rows of all workbooks and the history are collated (:mod:`harrowperf.read.collate`):
one row per measure x period, the newest workbook's value wins, every changed value is a row of
``revisions.csv`` and a ``revised`` finding, and two different values of one quarter stop the clean.
- ``budget/*.xlsx``      budget workbooks -> ``budget.parquet`` / ``.csv``
- ``actions/*.xlsx``     action plans and commentary -> ``actions``, ``commentary`` (``.parquet`` / ``.csv``)

Alongside: ``quality.csv`` (every finding of every reader, with its cell, in the findings table of
:mod:`harrowperf.foundation.findings`; :func:`quality` reads it back), ``notes.csv`` (footnotes
under the tables) and ``manifest.json`` (input files and their SHA-256, and those of the settings files
clean reads: ``data/measures.csv``, ``data/groups.csv``, ``harrowperf/conventions/*.toml``; so a run
can tell whether anything clean reads changed). Outputs are written to a temporary folder and moved
into place only when all of them are complete, so a failed or interrupted clean leaves the previous
outputs intact, and so does a raw folder with no scorecard workbook in it (an error).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import pandas as pd

from harrowperf import __version__
from harrowperf.foundation.errors import HarrowperfError, ParameterError
from harrowperf.foundation.findings import concat_findings, findings_table
from harrowperf.foundation.periods import QUARTER_FREQ
from harrowperf.foundation.reads import record_read

OUTPUTS = ("scorecard.parquet", "scorecard.csv", "revisions.csv", "quality.csv", "notes.csv", "manifest.json")


@dataclass
class CleanResult:
    """What a clean read and wrote."""

    scorecard: pd.DataFrame
    findings: pd.DataFrame
    notes: pd.DataFrame = field(default_factory=pd.DataFrame)
    budget: pd.DataFrame | None = None
    actions: pd.DataFrame | None = None
    commentary: pd.DataFrame | None = None
    revisions: pd.DataFrame | None = None
    inputs: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    skipped: bool = False


# The kinds of input, by the folder of data/raw they are in, and the file names each reads.
KINDS = {"scorecards": (".xlsx", ".xlsm"), "history": (".csv", ".xlsx", ".xlsm"), "budget": (".xlsx", ".xlsm"),
         "actions": (".xlsx", ".xlsm")}
MAPPING_SUFFIX = ".mapping.toml"  # history/<file>.mapping.toml: the mapping of history/<file>, a long file
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class RawFiles:
    """What is in the raw folder: the files clean reads (with their kind) and every other file, with why not."""

    # (file, kind), in reading order; kind is a folder of KINDS, or "long" for a history file with a mapping
    inputs: list[tuple[Path, str]] = field(default_factory=list)
    mappings: list[Path] = field(default_factory=list)  # the mapping files of the long files (read with them)
    not_read: list[tuple[Path, str]] = field(default_factory=list)  # (file, why it is not read)
    lock_files: list[Path] = field(default_factory=list)  # Excel lock files ("~$...") and "._..." files


def survey(raw_dir: str | Path) -> RawFiles:
    """Every file under ``raw_dir``: those clean reads and those it does not, with the reason.

    ``raw_dir`` is the raw root (with ``scorecards/``, ``history/``, ``budget/``, ``actions/``) or a folder
    of scorecard workbooks (such as ``data/raw/scorecards``). Workbooks in subfolders are read, extensions
    match whatever their case, and ``.xlsm`` workbooks are read like ``.xlsx``. Excel lock files
    (``~$...``) and ``._...`` files (copies made by macOS) are never read.
    """
    raw = Path(raw_dir)
    found = RawFiles()
    rooted = any((raw / kind).is_dir() for kind in KINDS)
    by_kind: dict[str, list[Path]] = {kind: [] for kind in KINDS}
    files = sorted(p for p in raw.rglob("*") if p.is_file())
    present = set(files)
    for path in files:
        relative = path.relative_to(raw)
        kind = relative.parts[0] if rooted and len(relative.parts) > 1 else (None if rooted else "scorecards")
        if path.name.startswith(("~$", "._")):
            found.lock_files.append(path)
            found.not_read.append((path, "an Excel lock file (the workbook is open in Excel)" if path.name.startswith(
                "~$") else "a '._' file (left by macOS beside a copied file), not a workbook"))
        elif kind not in KINDS:
            found.not_read.append((path, "not in scorecards/, history/, budget/ or actions/: clean does not read it"))
        elif kind == "history" and path.name.lower().endswith(MAPPING_SUFFIX):
            data = path.with_name(path.name[: -len(MAPPING_SUFFIX)])
            if data in present:
                found.mappings.append(path)
            else:
                found.not_read.append((path, f"a mapping of {data.name}, which is not in {data.parent.name}/"))
        elif kind == "history" and path.with_name(path.name + MAPPING_SUFFIX) in present:
            by_kind[kind].append(path)  # a long file, read through its mapping
        elif kind == "history" and path.suffix.lower() in WORKBOOK_SUFFIXES:
            found.not_read.append((path, f"a workbook in history/ is read through a mapping file beside it "
                                         f"({path.name}{MAPPING_SUFFIX}); there is none"))
        elif path.suffix.lower() in KINDS[kind]:
            by_kind[kind].append(path)
        elif path.suffix.lower() == ".xls":
            found.not_read.append((path, "an old-style .xls workbook: open it in Excel and save it as .xlsx"))
        else:
            wanted = " or ".join(KINDS[kind])
            found.not_read.append((path, f"not a {wanted} file"))
    long_files = {path.with_name(path.name[: -len(MAPPING_SUFFIX)]) for path in found.mappings}
    found.inputs = [(path, "long" if path in long_files else kind) for kind in KINDS for path in by_kind[kind]]
    return found


def input_files(raw_dir: str | Path) -> list[Path]:
    """Every input file clean reads, in a stable order (see :func:`survey`), with the long files' mappings."""
    found = survey(raw_dir)
    return [path for path, _ in found.inputs] + found.mappings


def settings_files() -> list[Path]:
    """The project's files clean also reads: the measure catalogue, the comparator groups and the settings."""
    from harrowperf.foundation.project import project_file
    from harrowperf.read.catalogue import CATALOGUE_FILE

    conventions = Path(__file__).resolve().parents[1] / "conventions"
    files = [project_file(CATALOGUE_FILE), project_file("data/groups.csv"), *sorted(conventions.glob("*.toml")),
             *sorted((conventions / "long_mappings").glob("*.toml"))]
    return [f for f in files if f.is_file()]


def checksums(raw_dir: str | Path) -> dict[str, str]:
    """{path relative to raw_dir: sha256} of every input file."""
    raw = Path(raw_dir)
    return {f.relative_to(raw).as_posix(): _sha256(f) for f in input_files(raw)}


def settings_checksums() -> dict[str, str]:
    """{file name: sha256} of :func:`settings_files` (``data/measures.csv``, ``conventions/rag.toml`` ...)."""
    named = {}
    for f in settings_files():
        if f.suffix == ".toml":
            name = "conventions/" + (f"long_mappings/{f.name}" if f.parent.name == "long_mappings" else f.name)
        else:
            name = f"data/{f.name}"
        named[name] = _sha256(f)
    return named


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_up_to_date(raw_dir: str | Path, out_dir: str | Path) -> bool:
    """True when out_dir holds outputs of exactly the current inputs, settings files and package version."""
    manifest = Path(out_dir) / "manifest.json"
    if not manifest.exists() or not all((Path(out_dir) / name).exists() for name in OUTPUTS):
        return False
    try:
        recorded = json.loads(manifest.read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return (recorded.get("inputs") == checksums(raw_dir) and recorded.get("settings") == settings_checksums()
            and recorded.get("version") == __version__)


def _say(stream: TextIO | None, message: str) -> None:
    if stream is not None:
        print(message, file=stream, flush=True)


SHOWN_FINDINGS = 20


def _list_findings(stream: TextIO | None, findings: pd.DataFrame,
                   severities: tuple[str, ...] = ("warning",)) -> None:
    """Print the warnings of one file (the first few; all of them are in quality.csv)."""
    warnings = findings[findings["severity"].isin(severities)]
    for row in warnings.head(SHOWN_FINDINGS).itertuples():
        where = f"{row.sheet}!{row.cell}" if row.cell and row.sheet else (row.cell or row.sheet or row.source)
        _say(stream, f"    {where} {row.text!r}: {row.message}")
    if len(warnings) > SHOWN_FINDINGS:
        _say(stream, f"    ... and {len(warnings) - SHOWN_FINDINGS} more (see quality.csv)")


def _read_all(raw: Path, stream: TextIO | None, found: RawFiles | None = None) -> CleanResult:
    frames, findings, notes, budgets, errors = [], [], [], [], []
    hidden: list[tuple[str, str]] = []
    actions, commentary = [], []
    found = survey(raw) if found is None else found
    findings.append(_lock_file_findings(raw, found))
    files = found.inputs
    for number, (path, kind) in enumerate(files, start=1):
        prefix = f"[{number}/{len(files)}] {path.relative_to(raw).as_posix()}"
        try:
            if kind == "scorecards":
                from harrowperf.read.scorecard import read_scorecard

                scorecard_read = read_scorecard(path)
                from harrowperf.read.collate import vintage

                frames.append(scorecard_read.frame.assign(vintage=pd.Series(
                    vintage(scorecard_read.frame, scorecard_read.hidden_sheets), index=scorecard_read.frame.index,
                    dtype=f"period[{QUARTER_FREQ}]")))
                hidden += [(path.name, sheet) for sheet in scorecard_read.hidden_sheets]
                findings.append(scorecard_read.findings)
                notes.append(scorecard_read.notes)
                unparsed = int((scorecard_read.findings["issue"] == "unparsed_value").sum())
                _say(stream, f"{prefix}: {len(scorecard_read.frame)} observations of "
                             f"{scorecard_read.frame['measure_id'].nunique()} measures; "
                             f"{unparsed} cells not understood, {_count(len(scorecard_read.findings), 'finding')}")
                _list_findings(stream, scorecard_read.findings)
            elif kind == "history":
                from harrowperf.read.history import read_history

                history = read_history(path)
                frames.append(history.frame.assign(vintage=pd.Series(pd.NaT, index=history.frame.index,
                                                                     dtype=f"period[{QUARTER_FREQ}]")))
                findings.append(history.findings)
                _say(stream, f"{prefix}: {len(history.frame)} earlier observations")
            elif kind == "long":
                from harrowperf.read.long import read_long

                long = read_long(path)
                frames.append(long.frame.assign(vintage=pd.Series(pd.NaT, index=long.frame.index,
                                                                  dtype=f"period[{QUARTER_FREQ}]")))
                # a measure at several frequencies is found by collation, over every file: not twice
                found = long.findings[long.findings["issue"] != "mixed_frequencies"]
                findings.append(found)
                if len(long.commentary):
                    commentary.append(long.commentary)
                counts = long.frame["frequency"].value_counts()
                by_frequency = ", ".join(f"{count} {frequency}" for frequency, count in counts.items())
                measures = long.frame["measure_id"].nunique()
                _say(stream, f"{prefix}: {len(long.frame)} earlier observations of {measures} "
                             f"measures ({by_frequency or 'none'}), read through {long.mapping.path}; "
                             f"{_count(len(found), 'finding')}")
                _list_findings(stream, found)
            elif kind == "actions":
                from harrowperf.read.actions import read_actions

                read = read_actions(path)
                actions.append(read.frame)
                commentary.append(read.commentary)
                findings.append(read.findings)
                _say(stream, f"{prefix}: {len(read.frame)} actions, {len(read.commentary)} commentary rows; "
                             f"{_count(len(read.findings), 'finding')}")
                _list_findings(stream, read.findings)
            else:
                from harrowperf.read.budget import read_budget

                budget = read_budget(path)
                budgets.append(budget.frame)
                findings.append(budget.findings)
                _say(stream, f"{prefix}: {len(budget.frame)} budget lines; {_count(len(budget.findings), 'finding')}")
                _list_findings(stream, budget.findings)
        except HarrowperfError as exc:
            errors.append(str(exc))
            _say(stream, f"{prefix}: ERROR {exc}")
    scorecard = _concat(frames)
    revisions = None
    if len(scorecard):
        from harrowperf.read import catalogue
        from harrowperf.read.collate import collate

        scorecard = catalogue.apply(scorecard)
        try:
            collated = collate(scorecard, hidden)
        except HarrowperfError as exc:
            errors.append(str(exc))
            _say(stream, f"collating the scorecards: ERROR {exc}")
        else:
            repeats = len(scorecard) - len(collated.frame)
            scorecard, revisions = collated.frame, collated.revisions
            findings.append(collated.findings)
            _say(stream, f"collated: {len(scorecard)} measure x period values ({repeats} repeated in later "
                         f"workbooks), {_count(len(revisions), 'revision')} "
                         f"({_count(len(collated.findings), 'finding')}; newest workbook wins, see revisions.csv)")
            _list_findings(stream, collated.findings, severities=("warning", "info"))
        measures = catalogue.findings(scorecard)
        findings.append(measures)
        if len(measures):
            _say(stream, f"new or renamed measures, not in the measure catalogue ({_count(len(measures), 'finding')}):")
            for row in measures.itertuples():
                where = f"{row.sheet}!{row.cell}" if row.sheet else row.cell
                _say(stream, f"    {row.source} {where} {row.text!r}: {row.message}")
    commentary_frame = None
    if actions or commentary:
        from harrowperf.read.actions import link_commentary

        linked = link_commentary(_concat(commentary), scorecard)
        commentary_frame = linked.frame
        findings.append(linked.findings)
    return CleanResult(
        scorecard=scorecard, findings=concat_findings(findings),
        notes=pd.concat(notes, ignore_index=True) if notes else pd.DataFrame(
            columns=["source", "sheet", "cell", "text"]),
        budget=_concat(budgets) if budgets else None, errors=errors,
        actions=_concat(actions) if actions else None, commentary=commentary_frame, revisions=revisions)


def _count(number: int, noun: str) -> str:
    """ "1 finding", "2 findings", "0 findings"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _lock_file_findings(raw: Path, found: RawFiles) -> pd.DataFrame:
    return findings_table(
        {"source": path.name, "sheet": "", "cell": "", "severity": "info", "issue": "file_skipped",
         "text": path.relative_to(raw).as_posix(),
         "message": f"{reason}; skipped" if path.name.startswith("._") else
                    f"{reason}; skipped: the workbook beside it was read as last saved"}
        for path, reason in found.not_read if path in found.lock_files)


def _list_not_read(raw: Path, found: RawFiles, stream: TextIO | None) -> None:
    """Say which files were not read and why (files of one other folder, such as benchmark/, as one line)."""
    if not found.not_read:
        return
    folders: dict[str, int] = {}
    lines = []
    for path, reason in found.not_read:
        relative = path.relative_to(raw)
        if reason.startswith("not in scorecards/") and len(relative.parts) > 1:
            folders[relative.parts[0]] = folders.get(relative.parts[0], 0) + 1
        else:
            lines.append(f"    {relative.as_posix()}: {reason}")
    lines += [f"    {folder}/ ({_count(count, 'file')}): not an input of clean (notebooks may read it)"
              for folder, count in folders.items()]
    _say(stream, f"not read ({_count(len(found.not_read), 'file')}):")
    for line in lines:
        _say(stream, line)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The frames read from several files as one (an empty frame when there are none)."""
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _validate(result: CleanResult) -> None:
    """Check the combined frame against the schema; a failure is our bug, reported plainly."""
    import pandera.errors

    from harrowperf.foundation.schema import TEXT_COLUMNS, validate_scorecard

    if not len(result.scorecard):
        return
    # Rows from CSV history have no sheet or cell text: those columns are "" rather than missing.
    scorecard = result.scorecard.assign(**{c: result.scorecard[c].fillna("") for c in TEXT_COLUMNS
                                           if c in result.scorecard})
    try:
        result.scorecard = validate_scorecard(scorecard)
    except pandera.errors.SchemaErrors as exc:
        failures = exc.failure_cases[["column", "check", "failure_case"]].head(10).to_string(index=False)
        raise HarrowperfError(f"the cleaned scorecard frame breaks its contract (a harrowperf bug; please "
                              f"report it with these lines):\n{failures}") from exc


def _write(result: CleanResult, out: Path, inputs: dict[str, str]) -> None:
    from harrowperf.present.exports import write_csv

    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".clean-", dir=out))
    try:
        sort_keys = ["source", "sheet", "measure_id", "period"]
        scorecard = result.scorecard
        if len(scorecard):
            scorecard = scorecard.sort_values(sort_keys, kind="stable").reset_index(drop=True)
        scorecard.to_parquet(staging / "scorecard.parquet", index=False)
        write_csv(scorecard.assign(period=scorecard["period"].astype(str),
                                   vintage=scorecard["vintage"].astype(str).replace("NaT", ""))
                  if len(scorecard) else scorecard, staging / "scorecard.csv")
        write_csv(result.findings, staging / "quality.csv")
        from harrowperf.read.collate import REVISION_COLUMNS

        write_csv(result.revisions if result.revisions is not None else pd.DataFrame(columns=REVISION_COLUMNS),
                  staging / "revisions.csv")
        write_csv(result.notes, staging / "notes.csv")
        written = list(OUTPUTS)
        if result.budget is not None:
            result.budget.to_parquet(staging / "budget.parquet", index=False)
            write_csv(result.budget.assign(**{c: result.budget[c].astype(str) for c in result.budget.columns
                                               if isinstance(result.budget[c].dtype, pd.PeriodDtype)}),
                      staging / "budget.csv")
            written += ["budget.parquet", "budget.csv"]
        for name, frame in (("actions", result.actions), ("commentary", result.commentary)):
            if frame is not None:
                frame.to_parquet(staging / f"{name}.parquet", index=False)
                write_csv(frame.assign(quarter=frame["quarter"].astype(str)), staging / f"{name}.csv")
                written += [f"{name}.parquet", f"{name}.csv"]
        manifest = {"version": __version__, "inputs": inputs, "settings": settings_checksums(),
                    "outputs": sorted(written),
                    "observations": len(scorecard), "findings": len(result.findings)}
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8")
        # The manifest moves last: until it does, a reader sees the previous, complete set.
        for name in sorted(written, key=lambda n: n == "manifest.json"):
            os.replace(staging / name, out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def clean(raw_dir: str | Path = "data/raw", out_dir: str | Path = "data/clean", *, force: bool = True,
          stream: TextIO | None = sys.stderr) -> CleanResult:
    """Read every input under ``raw_dir`` and write the clean outputs to ``out_dir``.

    With ``force=False`` nothing is done when the outputs already match the inputs (see
    :func:`is_up_to_date`). If any workbook cannot be read, nothing is written and the errors are
    returned in ``result.errors`` (each names the file, sheet and cell).
    """
    raw, out = Path(raw_dir), Path(out_dir)
    if not raw.is_dir():
        raise HarrowperfError(f"the raw data folder {raw} does not exist")
    found = survey(raw)
    inputs = {path.relative_to(raw).as_posix(): _sha256(path)
              for path in [*(path for path, _ in found.inputs), *found.mappings]}
    if not any(kind == "scorecards" for _, kind in found.inputs):
        message = (f"there is no scorecard workbook (.xlsx or .xlsm) in {raw} (looked in "
                   f"{'scorecards/ and its subfolders' if (raw / 'scorecards').is_dir() else 'it and its subfolders'})"
                   f"; nothing was cleaned and {out} was left as it was")
        _say(stream, f"ERROR: {message}")
        _list_not_read(raw, found, stream)
        return CleanResult(scorecard=pd.DataFrame(), findings=findings_table(), inputs=inputs, errors=[message])
    if not force and is_up_to_date(raw, out):
        _say(stream, f"{out} is up to date with {raw} ({_count(len(inputs), 'input file')}) and the settings files; "
                     "nothing to clean")
        return CleanResult(scorecard=pd.DataFrame(), findings=findings_table(), inputs=inputs, skipped=True)
    result = _read_all(raw, stream, found)
    _list_not_read(raw, found, stream)
    result.inputs = inputs
    if result.errors:
        _say(stream, f"{len(result.errors)} file(s) could not be read; {out} was left as it was")
        return result
    _validate(result)
    _write(result, out, inputs)
    _say(stream, f"wrote {out}: {_count(len(result.scorecard), 'scorecard observation')}, "
                 f"{_count(len(result.findings), 'data-quality finding')} (see quality.csv)")
    return result


def quality(clean_dir: str | Path, sources: Iterable[str] | None = None) -> pd.DataFrame:
    """The findings of the last clean, read from ``<clean_dir>/quality.csv`` (columns
    :data:`~harrowperf.foundation.findings.FINDING_COLUMNS`); only those about the files named in
    ``sources`` when it is given (e.g. ``frame["source"]`` for the findings behind a frame).

    Raises :class:`ParameterError` when there is no quality.csv (run ``harrowperf clean`` first).

    >>> quality("data/clean", sources=["corporate_scorecard_2016-17_q2.xlsx"])  # doctest: +SKIP
    """
    if isinstance(clean_dir, pd.DataFrame):
        raise ParameterError("harrowperf.quality takes the clean data folder (e.g. 'data/clean'); the findings of "
                             "one read are beside its frame: harrowperf.read_scorecard(path).findings")
    path = Path(clean_dir) / "quality.csv"
    if not path.exists():
        raise ParameterError(f"{path} does not exist; run `harrowperf clean` first")
    found = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    record_read(path)
    if sources is not None:
        found = found[found["source"].isin(set(sources))]
    return concat_findings([found])
