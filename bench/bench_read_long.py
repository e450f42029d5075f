"""Benchmark: read_long on real long files, against a bare pandas.read_csv of the same file.

Prints, measured in the same run (best of 7 interleaved rounds, since these machines are noisy):
  * the LGBF annual download (data/raw/benchmark/lgbf, 35,467 rows; one council kept by [keep]);
  * New York City's CPR file (11,118 rows, every row read), when ../shared/data/nyc_cpr is present;
each as a ratio to a bare ``pandas.read_csv`` (which only splits the text: no period placed, no value
parsed, nothing checked). read_long works row by row in Python so that every row is in the frame or
a finding with its cell; what matters is seconds, not minutes, for a council's whole history (the
clean of 500 measures x 10 years has 15 s in all: issue 14).

    .venv/bin/python bench/bench_read_long.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from timing import interleaved

from harrowperf.read.long import read_long

ROOT = Path(__file__).resolve().parents[1]
LGBF = ROOT / "data" / "raw" / "benchmark" / "lgbf" / "LGBF_ScotDataReal_ISSpatialHub.csv"
LGBF_MAPPING = """
[columns]
measure = "Code"
period = "Year"
actual = "LA_IndicatorReal"
[periods]
frequency = "year"
[keep]
column = "LocalAuthority"
values = ["Aberdeen City"]
"""
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parents[1] / "shared") if p.is_dir()), ROOT.parent / "shared")
NYC = SHARED / "data" / "nyc_cpr" / "cpr_w_anomolies.csv"
NYC_MAPPING = ROOT / "tests" / "fixtures" / "long" / "nyc_cpr_extract.csv.mapping.toml"
REPEATS = 7


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        lgbf_mapping = Path(folder) / "lgbf.mapping.toml"
        lgbf_mapping.write_text(LGBF_MAPPING, "utf-8")
        files = {"LGBF annual": (LGBF, lgbf_mapping)}
        if NYC.exists():
            files["NYC CPR"] = (NYC, NYC_MAPPING)
        for name, (path, mapping) in files.items():
            best, results = interleaved({"bare": lambda p=path: pd.read_csv(p),
                                         "read_long": lambda p=path, m=mapping: read_long(p, m)}, REPEATS)
            read = results["read_long"]
            print(f"{name}: {len(results['bare']):,} rows, {path.stat().st_size / 1e6:.1f} MB -> "
                  f"{len(read.frame):,} observations, {len(read.findings):,} findings (best of {REPEATS}, interleaved)")
            print(f"  pandas.read_csv (bare)  {best['bare'] * 1000:8.1f} ms   1.0x")
            print(f"  read_long               {best['read_long'] * 1000:8.1f} ms  "
                  f"{best['read_long'] / best['bare']:5.1f}x   "
                  f"({best['read_long'] / len(results['bare']) * 1e6:.0f} microseconds a row)")


if __name__ == "__main__":
    main()
