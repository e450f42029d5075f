"""Benchmark: read all of LGBF and rank every council on every indicator and year.

Prints, measured in the same run (best of 11 interleaved rounds, since these machines are noisy):
  * a bare ``pandas.read_csv`` of LGBF_ScotDataReal_ISSpatialHub.csv (3.5 MB, 35,467 records);
  * ``comparative.read_lgbf`` of the same file (with its indicator metadata): the reader;
  * the reader plus ``benchmark.rank`` of all 32 councils on all 108 indicators and every year;
and each as a ratio to the bare read. Target: the reader at most 3x the bare read; read and rank
in seconds, not minutes.

    .venv/bin/python bench/bench_benchmark.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from timing import interleaved

from harrowperf import benchmark, comparative

DATA = Path(__file__).resolve().parents[1] / "data" / "raw" / "benchmark"
ANNUAL = DATA / "lgbf" / "LGBF_ScotDataReal_ISSpatialHub.csv"
INDICATORS = DATA / "lgbf" / "Indicator_Information.csv"
REPEATS = 11


def read_and_rank() -> pd.DataFrame:
    frame = comparative.read_lgbf(ANNUAL, INDICATORS)
    ideals = comparative.ideals(comparative.read_lgbf_indicators(INDICATORS))
    return benchmark.rank(frame, "scottish_councils", ideal=ideals, data_dir=DATA)


def main() -> None:
    best, results = interleaved({
        "bare": lambda: pd.read_csv(ANNUAL),
        "reader": lambda: comparative.read_lgbf(ANNUAL, INDICATORS),
        "ranking": read_and_rank,
    }, REPEATS)
    raw, frame, ranked = results["bare"], results["reader"], results["ranking"]
    bare, reader, ranking = best["bare"], best["reader"], best["ranking"]
    print(f"LGBF annual: {len(raw):,} records, {ANNUAL.stat().st_size / 1e6:.1f} MB; "
          f"{ranked['measure_id'].nunique()} indicators, {ranked['rank'].notna().sum():,} ranks "
          f"(best of {REPEATS}, interleaved)")
    print(f"pandas.read_csv (bare)          {bare * 1000:8.1f} ms   1.0x")
    print(f"comparative.read_lgbf           {reader * 1000:8.1f} ms  {reader / bare:4.1f}x   (target <= 3x)")
    print(f"read_lgbf + benchmark.rank all  {ranking * 1000:8.1f} ms  {ranking / bare:4.1f}x")
    assert len(frame) == len(raw)  # nothing dropped


if __name__ == "__main__":
    main()
