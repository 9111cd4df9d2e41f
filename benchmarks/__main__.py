"""Run every benchmark in one go; results go to benchmarks/results/ (git-ignored).

python -m benchmarks            # data build, grading (plain nbgrader vs shegong), Voila
"""

from __future__ import annotations

from benchmarks import data_build, grading, voila


def main() -> int:
    for bench in (data_build, grading, voila):
        bench.main([])
    return 0


raise SystemExit(main())
