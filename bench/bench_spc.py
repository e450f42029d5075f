"""Benchmark: direction of travel + XmR SPC + icons for 10,000 measures x 40 quarters (synthetic).

Times ``trend.direction`` + ``spc.xmr`` + ``spc.summary`` over one synthetic scorecard frame
(400,000 rows, made up by harrowperf.read.synthetic) and, in the same run and on the same frame, a
plain pandas pass: ``frame.groupby(["measure_id", "area_code"])["actual"].rolling(4).mean()``.
Prints both times (best of several repeats, since shared machines are noisy) and their ratio.
Targets: under 3 s, and at most 5x the plain pass.

    .venv/bin/python bench/bench_spc.py
"""

from __future__ import annotations

import time

from harrowperf import spc, synthetic, trend

MEASURES, QUARTERS, AREAS = 10_000, 40, 1
REPEATS = 5


def best_time(job, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    frame = synthetic.scorecard_frame(MEASURES, QUARTERS, n_areas=AREAS, seed=11)
    keys = ["measure_id", "area_code"]

    def analysis() -> None:
        trend.direction(frame)
        spc.xmr(frame)
        spc.summary(frame)

    def plain_pass() -> None:
        frame.groupby(keys, sort=True)["actual"].rolling(4).mean()

    analysis()  # warm up imports and caches for both before timing
    plain_pass()
    ours = best_time(analysis)
    plain = best_time(plain_pass)
    ratio = ours / plain
    print(
        f"{MEASURES:,} measures x {QUARTERS} quarters ({len(frame):,} rows, synthetic)\n"
        f"direction + xmr + summary: {ours:.3f} s (target < 3 s)\n"
        f"plain groupby(...).rolling(4).mean(): {plain:.3f} s\n"
        f"ratio: {ratio:.2f}x (target <= 5x)"
    )


if __name__ == "__main__":
    main()
