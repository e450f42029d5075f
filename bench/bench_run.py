"""How long the quarterly run takes, against the unavoidable cost of starting a kernel per notebook.

Measures in one session, on the ``harrowperf`` kernel:

- the full run of every notebook for one quarter (``run_quarter`` with ``--jobs``), cold (data/raw
  cleaned into an empty folder first) and warm (clean data already up to date, every notebook run),
  and the same run again when nothing has changed (no notebook is re-run);
- papermill executing the same number of empty notebooks, one after the other and ``--jobs`` at a
  time (the kernel start cost no run can avoid);
- ``import harrowperf`` in a fresh interpreter, the size of each report page, and the slowest cells.

Prints the ratios. Run from the repository root: ``.venv/bin/python bench/bench_run.py [--jobs 2]``.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
QUARTER = "Q2 2016/17"


def empty_notebook(path: Path) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "harrowperf", "display_name": "harrowperf", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell("pass")]
    nbformat.write(notebook, path)
    return path


def run_empty(paths: list[Path], jobs: int) -> float:
    import papermill

    def one(path: Path) -> None:
        papermill.execute_notebook(str(path), str(path.with_suffix(".out.ipynb")), kernel_name="harrowperf",
                                   progress_bar=False, cwd=str(ROOT))

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, paths))
    return time.perf_counter() - start


def run_full(out: Path, clean: Path, jobs: int) -> tuple[float, int]:
    from harrowperf.pipeline.run import run_quarter

    start = time.perf_counter()
    code = run_quarter(QUARTER, out_dir=out, raw_dir=ROOT / "data" / "raw", clean_dir=clean, jobs=jobs,
                       stream=io.StringIO())
    return time.perf_counter() - start, code


def import_seconds(repeats: int = 7) -> float:
    """Median time of `import harrowperf` in a fresh interpreter, timed inside it."""
    code = "import time; t = time.perf_counter(); import harrowperf; print(time.perf_counter() - t)"
    times = [float(subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True,
                                  text=True).stdout) for _ in range(repeats)]
    return statistics.median(times)


def slowest_cells(folder: Path, count: int = 8) -> list[tuple[float, str, str]]:
    """The slowest cells of the executed notebooks in ``folder`` (papermill's durations): (seconds, notebook,
    first line)."""
    cells = []
    for path in sorted(folder.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            took = cell.metadata.get("papermill", {}).get("duration")
            if cell.cell_type == "code" and took:
                cells.append((took, path.stem, cell.source.splitlines()[0][:60] if cell.source else ""))
    return sorted(cells, reverse=True)[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import _ensure_kernel

    from harrowperf.pipeline.run import quarter_slug, select_notebooks

    _ensure_kernel()
    notebooks = select_notebooks(None, "notebooks")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start; "
          f"{len(notebooks)} notebooks, --jobs {args.jobs}")
    with tempfile.TemporaryDirectory(prefix="bench-run-") as scratch:
        scratch_path = Path(scratch)
        empties = [empty_notebook(scratch_path / f"empty{i}.ipynb") for i in range(len(notebooks))]
        run_empty(empties[:1], 1)  # the first kernel start also warms the disk cache
        # Best of two for every figure: other work on the machine only ever adds time.
        empty_sequential = min(run_empty(empties, 1), run_empty(empties, 1))
        empty_parallel = min(run_empty(empties, args.jobs), run_empty(empties, args.jobs))
        cold, code_cold = run_full(scratch_path / "reports", scratch_path / "clean", args.jobs)
        # warm: the clean data is up to date, every notebook runs (a new reports folder each time: in
        # the same folder a notebook whose inputs have not changed is not run again)
        warm, code_warm = min(run_full(scratch_path / f"reports-warm{i}", scratch_path / "clean", args.jobs)
                              for i in range(2))
        unchanged, code_unchanged = run_full(scratch_path / "reports", scratch_path / "clean", args.jobs)
        folder = scratch_path / "reports" / quarter_slug(QUARTER)
        pages = sorted(folder.glob("*.html"))
        print(f"\nempty notebooks, one at a time:     {empty_sequential:6.1f} s")
        print(f"empty notebooks, {args.jobs} at a time:       {empty_parallel:6.1f} s")
        for label, took, code in (("cold (cleans data/raw first)", cold, code_cold),
                                  ("warm (clean data up to date)", warm, code_warm)):
            print(f"full run, {label}: {took:6.1f} s  exit {code}  ratio {took / empty_sequential:.1f}x "
                  f"empty one at a time, {took / empty_parallel:.1f}x empty {args.jobs} at a time")
        print(f"run again, nothing changed (no notebook re-run): {unchanged:6.1f} s  exit {code_unchanged}")
        print("\nreport pages:")
        for page in pages:
            print(f"  {page.name:<24} {page.stat().st_size / 1024:8.0f} KB")
        print(f"  {'all pages':<24} {sum(p.stat().st_size for p in pages) / 1024:8.0f} KB")
        print("\nslowest cells (seconds, notebook, first line):")
        for took, name, line in slowest_cells(folder):
            print(f"  {took:6.2f}  {name:<12} {line}")
    print(f"\nimport harrowperf: {import_seconds() * 1000:.0f} ms (fresh interpreter, median of 7)")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
