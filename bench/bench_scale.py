"""Benchmark: the quarterly run at scale, 500 measures x 10 years of quarters (SYNTHETIC), against the seed-size run.

Makes up in code (:func:`harrowperf.synthetic.write_scorecard_workbooks`, every file, theme and
measure named "synthetic") ten years of quarterly scorecard workbooks for 500 measures, in a
temporary project whose other inputs (budget, actions, benchmark files) are those of ``data/raw``;
the cited history is left out, since it belongs to the real measures. Then, in the same session:

- ``clean`` of the scale raw folder and of the real ``data/raw`` (seed size);
- the full run of every notebook for the quarter (``run_quarter`` into a new reports folder, clean
  data up to date) at both sizes, and the ratio of the scale run's time to the seed-size run's;
- the size of each report page at scale, against the 5 MB page limit.

Beside the workbooks, 100 SYNTHETIC monthly series of 10 years (``history/synthetic_monthly_series.csv``,
one row per series per month, read through its ``.mapping.toml`` by :func:`harrowperf.read_long`) sit
in the same frame as the quarterly measures, as a council's performance-system export would.

The two runs take turns ``--repeats`` times (seed, scale, seed, scale, ...) and the ratio is of
the best time of each: on a shared machine one unlucky run says more about the neighbours than
about the code.

Prints figures only; nothing is asserted. Targets (issue 14): clean < 15 s, the full run at most
2x the seed-size run, every page < 5 MB.

    .venv/bin/python bench/bench_scale.py [--measures 500] [--years 10] [--jobs 2] [--repeats 2]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUARTER = "Q2 2016/17"
PAGE_LIMIT_MB = 5.0


MONTHLY_MAPPING = """# SYNTHETIC monthly series made up by bench/bench_scale.py
[columns]
measure = "series"
theme = "theme"
period = "month"
actual = "value"
polarity = "better"
[periods]
frequency = "month"
[polarity]
higher = "higher"
lower = "lower"
"""


def write_monthly_series(history: Path, series: int, years: int, seed: int = 14) -> Path:
    """``series`` SYNTHETIC monthly series of ``years`` years ending at the quarter's last month, as a long CSV
    with its mapping (a random walk around 100 each, every name saying "synthetic")."""
    import numpy as np
    import pandas as pd

    from harrowperf.foundation.periods import to_quarter

    last = to_quarter(QUARTER).asfreq("M", "end")
    months = pd.period_range(end=last, periods=12 * years, freq="M")
    rng = np.random.default_rng(seed)
    walks = 100 + rng.normal(0, 2, size=(series, len(months))).cumsum(axis=1)
    frame = pd.DataFrame({
        "series": np.repeat([f"Synthetic monthly series {number:03d}" for number in range(1, series + 1)],
                            len(months)),
        "theme": "Synthetic monthly measures",
        "month": np.tile([month.strftime("%b %Y") for month in months], series),
        "value": walks.round(1).ravel(),
        "better": np.repeat(rng.choice(["higher", "lower"], size=series), len(months)),
    })
    history.mkdir(parents=True, exist_ok=True)
    path = history / "synthetic_monthly_series.csv"
    frame.to_csv(path, index=False)
    path.with_name(path.name + ".mapping.toml").write_text(MONTHLY_MAPPING, "utf-8")
    return path


def make_raw(folder: Path, measures: int, years: int, monthly: int) -> Path:
    """A raw folder: SYNTHETIC scorecard workbooks and monthly series, plus the real budget, actions and
    benchmark inputs."""
    from harrowperf import synthetic

    raw = folder / "raw"
    for kind in ("budget", "actions", "benchmark"):
        if (ROOT / "data" / "raw" / kind).is_dir():
            shutil.copytree(ROOT / "data" / "raw" / kind, raw / kind)
    frame = synthetic.scorecard_frame(measures, 4 * years, end=QUARTER, seed=14, themes=6)
    synthetic.write_scorecard_workbooks(raw / "scorecards", frame)
    if monthly:
        write_monthly_series(raw / "history", monthly, years)
    return raw


def timed_clean(raw: Path, clean_dir: Path) -> tuple[float, int, int]:
    from harrowperf.pipeline.clean import clean

    start = time.perf_counter()
    result = clean(raw, clean_dir, stream=None)
    took = time.perf_counter() - start
    if result.errors:
        raise SystemExit(f"clean of {raw} failed: {result.errors[:3]}")
    return took, len(result.scorecard), int(result.scorecard["measure_id"].nunique())


def timed_run(raw: Path, clean_dir: Path, out: Path, jobs: int) -> tuple[float, int, Path]:
    from harrowperf.pipeline.run import run_quarter

    start = time.perf_counter()
    code = run_quarter(QUARTER, out_dir=out, raw_dir=raw, clean_dir=clean_dir, jobs=jobs, force=False,
                       stream=io.StringIO())
    return time.perf_counter() - start, code, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=500)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--monthly", type=int, default=100, help="monthly series beside the quarterly measures")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2, help="runs of each size, taking turns; the best counts")
    args = parser.parse_args()
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT / "tests"))
    from bench_run import slowest_cells  # the same table of slowest cells as the seed-size bench
    from conftest import _ensure_kernel

    from harrowperf.pipeline.run import quarter_slug

    _ensure_kernel()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start; --jobs {args.jobs}")
    print(f"scale: {args.measures} measures x {args.years} years of quarters and {args.monthly} monthly series "
          f"of {args.years} years (SYNTHETIC)")
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch:
        scratch_path = Path(scratch)
        start = time.perf_counter()
        raw = make_raw(scratch_path / "scale", args.measures, args.years, args.monthly)
        made = time.perf_counter() - start
        seed_raw = ROOT / "data" / "raw"
        scale_clean, rows, measures = timed_clean(raw, scratch_path / "scale" / "clean")
        seed_clean, seed_rows, seed_measures = timed_clean(seed_raw, scratch_path / "seed" / "clean")
        seed_runs, scale_runs = [], []
        for turn in range(max(args.repeats, 1)):  # a new reports folder each turn, so each run does it all
            seed_runs.append(timed_run(seed_raw, scratch_path / "seed" / "clean",
                                       scratch_path / "seed" / f"reports-{turn}", args.jobs))
            scale_runs.append(timed_run(raw, scratch_path / "scale" / "clean",
                                        scratch_path / "scale" / f"reports-{turn}", args.jobs))
        (seed_run, seed_code, seed_reports), (scale_run, scale_code, scale_reports) = min(seed_runs), min(scale_runs)
        print(f"\nsynthetic workbooks written in {made:.1f} s")
        print(f"clean, scale:      {scale_clean:6.1f} s  {rows:,} rows, {measures} measures (target < 15 s)")
        print(f"clean, seed size:  {seed_clean:6.1f} s  {seed_rows:,} rows, {seed_measures} measures")
        def times(runs: list) -> str:
            return "; ".join(f"{took:.1f}" for took, _, _ in runs)

        print(f"full run, seed size: {seed_run:6.1f} s  exit {seed_code}  (best of {times(seed_runs)})")
        print(f"full run, scale:     {scale_run:6.1f} s  exit {scale_code}  (best of {times(scale_runs)})")
        print(f"ratio scale run / seed-size run: {scale_run / seed_run:.2f}x, best against best (target <= 2x)")
        for label, reports in (("scale", scale_reports), ("seed size", seed_reports)):
            pages = sorted((reports / quarter_slug(QUARTER)).glob("*.html"))
            print(f"\nreport pages, {label}:")
            for page in pages:
                size = page.stat().st_size / 1e6
                print(f"  {page.name:<24} {size:7.2f} MB" + ("  OVER 5 MB" if size >= PAGE_LIMIT_MB else ""))
            print(f"slowest cells, {label} (seconds, notebook, first line):")
            for took, name, line in slowest_cells(reports / quarter_slug(QUARTER)):
                print(f"  {took:6.2f}  {name:<12} {line}")
    print(f"\nload average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
