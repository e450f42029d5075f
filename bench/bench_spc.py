"""Benchmark: direction of travel + XmR SPC + icons for 10,000 and 100,000 series x 40 quarters (synthetic).

Times ``trend.direction`` + ``spc.xmr`` + ``spc.summary`` over one synthetic scorecard frame per
size (400,000 and 4,000,000 rows, made up by harrowperf.read.synthetic) and, in the same run and on
the same frame, a plain pandas pass: ``frame.groupby(["measure_id", "area_code"])["actual"].rolling(4).mean()``.
Prints the times (best of several repeats, since shared machines are noisy; fewer repeats for the
large frame), wall and CPU (on a shared machine the wall time mostly measures the other processes;
numpy here runs on one core, so CPU time is the work done), each step's CPU time and the ratio to
the plain pass. Targets (issue 14): 100,000 series
in under 3 s; at most 5x the plain pass.

    .venv/bin/python bench/bench_spc.py                  # both sizes
    .venv/bin/python bench/bench_spc.py --series 10000   # one size
"""

from __future__ import annotations

import argparse
import os
import time

from harrowperf import spc, synthetic, trend

SIZES, QUARTERS, AREAS = (10_000, 100_000), 40, 1
REPEATS = {10_000: 5, 100_000: 2}


def best_time(job, repeats: int = 2, clock=time.perf_counter) -> float:
    times = []
    for _ in range(repeats):
        start = clock()
        job()
        times.append(clock() - start)
    return min(times)


def one_size(series: int) -> None:
    frame = synthetic.scorecard_frame(series, QUARTERS, n_areas=AREAS, seed=11)
    keys = ["measure_id", "area_code"]
    repeats = REPEATS.get(series, 2)
    steps = {
        "direction": lambda: trend.direction(frame),
        "xmr": lambda: spc.xmr(frame),
        "summary": lambda: spc.summary(frame),
    }

    def analysis() -> None:
        for step in steps.values():
            step()

    def plain_pass() -> None:
        frame.groupby(keys, sort=True)["actual"].rolling(4).mean()

    analysis()  # warm up imports and caches for both before timing
    plain_pass()
    ours = best_time(analysis, repeats)
    cpu = best_time(analysis, repeats, time.process_time)
    each = {name: best_time(step, repeats, time.process_time) for name, step in steps.items()}
    plain = best_time(plain_pass, repeats)
    print(
        f"{series:,} series x {QUARTERS} quarters ({len(frame):,} rows, synthetic), best of {repeats}\n"
        f"  direction + xmr + summary: {ours:.3f} s wall, {cpu:.3f} s CPU (target < 3 s at 100,000 series)\n"
        + "".join(f"    {name:<10} {took:.3f} s CPU\n" for name, took in each.items())
        + f"  plain groupby(...).rolling(4).mean(): {plain:.3f} s wall\n"
        f"  ratio (wall): {ours / plain:.2f}x (target <= 5x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, action="append", help="series to time (repeatable); default both sizes")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    for series in args.series or SIZES:
        one_size(series)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
