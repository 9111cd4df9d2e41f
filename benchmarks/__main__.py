"""Run every benchmark in one go; results go to benchmarks/results/ (git-ignored)."""

from __future__ import annotations

import sys

from benchmarks import data_build


def main() -> int:
    data_build.main(sys.argv[1:])
    return 0


raise SystemExit(main())
