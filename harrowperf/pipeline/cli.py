"""The `harrowperf` command: `harrowperf clean` and `harrowperf run`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from harrowperf.foundation.errors import HarrowperfError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="harrowperf", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    clean = commands.add_parser("clean", help="read data/raw workbooks into tidy frames in data/clean")
    clean.add_argument("raw_dir", nargs="?", default="data/raw", help="folder of raw inputs (default data/raw)")
    clean.add_argument("--out", default="data/clean", help="output folder (default data/clean)")
    clean.add_argument("--if-changed", action="store_true", help="do nothing if data/raw has not changed")

    run = commands.add_parser("run", help="the quarterly run: clean, execute notebooks, render reports")
    run.add_argument("--quarter", required=True,
                     help='the quarter to report, e.g. "Q2 2016/17"; "latest" (the newest quarter a scorecard '
                          'reports) or "previous" (the last quarter that has ended, if a scorecard reports it: '
                          'for schedulers)')
    run.add_argument("--notebooks", nargs="*", default=None, help="notebooks to run (default: every report notebook)")
    run.add_argument("--out", default="reports", help="reports folder (default reports/)")
    run.add_argument("--raw", default="data/raw", help="raw data folder (default data/raw)")
    run.add_argument("--clean", dest="clean_dir", default="data/clean", help="clean data folder")
    run.add_argument("--jobs", type=int, default=1, help="notebooks to run at once (default 1; 0 = one per CPU)")
    run.add_argument("--force", action="store_true",
                     help="clean and re-run every notebook even if nothing changed since the last report")
    run.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                     help="override a notebook parameter (repeatable); the value takes the type of the "
                          "notebook's default, and a name no notebook declares is refused")
    run.add_argument("--pdf", action="store_true",
                     help="also print each page of the quarter to a PDF beside it (A4, for committee papers; "
                          "needs Chromium)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "clean":
            from harrowperf.pipeline.clean import clean

            result = clean(args.raw_dir, args.out, force=not args.if_changed, stream=sys.stderr)
            return 1 if result.errors else 0
        from harrowperf.pipeline.run import run_quarter

        code = run_quarter(quarter=args.quarter, notebooks=args.notebooks, out_dir=args.out,
                           raw_dir=args.raw, clean_dir=args.clean_dir, jobs=args.jobs,
                           parameters=dict(args.parameter), force=args.force)
        if args.pdf:
            _print_pdfs(args.out, args.quarter)
        return code
    except HarrowperfError as exc:
        print(f"harrowperf: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("harrowperf: interrupted; previous outputs were left as they were", file=sys.stderr)
        return 130


def _print_pdfs(out_dir: str, quarter: str) -> None:
    """PDFs of the quarter's published pages (the good reports stay in place when a run fails)."""
    from pathlib import Path

    from harrowperf.pipeline.pdf import quarter_pages, write_pdfs
    from harrowperf.pipeline.run import QUARTER_WORDS, quarter_slug

    if quarter.strip().lower() in QUARTER_WORDS:
        # "latest" or "previous": the quarter this run published is the one whose record is newest
        records = sorted(Path(out_dir).glob("*/run.json"), key=lambda p: p.stat().st_mtime)
        slug = records[-1].parent.name if records else ""
    else:
        slug = quarter_slug(quarter)
    write_pdfs(quarter_pages(out_dir, slug), stream=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
