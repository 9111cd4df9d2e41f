"""Province-scale data build: wall time and peak memory (target <= 30 s, <= 2 GB, >= 1 M
ledger rows on 2 cores). Each run is a fresh process (`shegong data build`), measured from
outside: wall clock around the process, the child's own peak RSS from wait4.

    python -m benchmarks.data_build [--runs 3] [--scale province]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def one_run(scale: str, seed: int) -> dict[str, float]:
    """Build once in a fresh process and a fresh workspace; return seconds, MiB and rows."""
    with tempfile.TemporaryDirectory() as home:
        start = time.perf_counter()
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "shegong",
                "data",
                "build",
                "--scale",
                scale,
                "--seed",
                str(seed),
                "--home",
                home,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # wait4 gives this child's own resource usage (peak RSS in KiB on Linux).
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"data build failed with exit code {child.returncode}")
        peak_kib = usage.ru_maxrss
        meta = json.loads(
            (Path(home) / "data" / f"{scale}-seed{seed}" / "meta.json").read_text(encoding="utf-8")
        )
    return {
        "seconds": seconds,
        "peak_mib": peak_kib / 1024,
        "ledger_rows": meta["row_counts"]["ledger"],
        "total_rows": sum(meta["row_counts"].values()),
    }


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description="数据生成基准 / data build benchmark")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", default="province")
    args = parser.parse_args(argv)
    runs = [one_run(args.scale, 2022 + k) for k in range(args.runs)]
    for k, run in enumerate(runs, 1):
        print(
            f"run {k}: {run['seconds']:.1f} s, peak {run['peak_mib']:.0f} MiB, "
            f"ledger {run['ledger_rows']:,} rows, all tables {run['total_rows']:,} rows"
        )
    summary = {
        "scale": args.scale,
        "runs": runs,
        "median_seconds": statistics.median(r["seconds"] for r in runs),
        "max_peak_mib": max(r["peak_mib"] for r in runs),
        "targets": {"seconds": 30, "peak_mib": 2048, "ledger_rows": 1_000_000},
    }
    print(
        f"数据生成 / data build ({args.scale}): median {summary['median_seconds']:.1f} s "
        f"(target <= 30 s), peak {summary['max_peak_mib']:.0f} MiB (target <= 2048 MiB)"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "data_build.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return summary


if __name__ == "__main__":
    main()
