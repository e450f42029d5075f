"""``python -m harrowperf ...`` is the ``harrowperf`` command (for schedulers that know only a Python)."""

from harrowperf.pipeline.cli import main

raise SystemExit(main())
