"""Autograde the same cohort twice: plain serial ``nbgrader autograde`` and ``shegong grade
autograde`` (parallel worker processes, sandboxed kernels), and report the speed-up.

One workspace is prepared (world, roster, the data-basics release, N answered submissions),
then copied, so both graders get identical gradebooks and identical files. Each grader runs
as its own process, timed from outside (process start to exit, both including their
imports). Both must agree on every score, or the run fails. Results go to
``benchmarks/results/grading.json``.

    python -m benchmarks.grading [--submissions 40] [--assignment data-basics]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

RESULTS = Path(__file__).resolve().parent / "results"
TIMESTAMP = "2025-03-01 08:00:00.000000 UTC"


def prepare(home: Path, assignment: str, submissions: int) -> list[str]:
    """Build the world, enrol trainees, release ``assignment`` and write the submissions."""
    from shegong.grading import masters, roster, simulate
    from shegong.grading.config import load_options
    from shegong.grading.context import GradingContext
    from shegong.grading.release import release_assignment
    from shegong.settings import load

    settings = load({"home": home}, environ={}, cwd=home)
    ctx = GradingContext.open(settings, load_options(environ={}))
    paths = ctx.paths
    table = roster.trainees(settings)
    roster.enroll(ctx)
    release_assignment(masters.find(assignment), ctx, exchange=False)
    release = nbformat.read(paths.step("release") / assignment / f"{assignment}.ipynb", 4)
    source = nbformat.read(paths.step("source") / assignment / f"{assignment}.ipynb", 4)
    answered = simulate.answered(release, source)
    ids = [str(w) for w in table["worker_id"]][:submissions]
    ids += [f"X{k:05d}" for k in range(submissions - len(ids))]  # more than the roster
    for trainee in ids:
        folder = paths.step("submitted") / trainee / assignment
        simulate.write_submission(answered, folder, assignment, TIMESTAMP)
    return ids


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["SHEGONG_HOME"] = str(home)
    return env


def timed(command: list[str], cwd: Path, home: Path) -> float:
    """Seconds from starting ``command`` to its exit (it must succeed)."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=_env(home), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{command[:4]} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return seconds


def scores(home: Path, assignment: str) -> dict[str, float]:
    """Every student's score for ``assignment`` in the gradebook at ``home``."""
    from shegong.grading.gradebook import open_gradebook

    with open_gradebook(f"sqlite:///{home / 'gradebook.db'}", "shegong") as gb:
        return {str(s.student.id): float(s.score) for s in gb.assignment_submissions(assignment)}


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description="评分基准 / grading benchmark")
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--assignment", default="data-basics")
    parser.add_argument("--workers", type=int, default=0, help="0: one per CPU core")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="shegong-bench-") as tmp:
        base, plain, ours = Path(tmp) / "base", Path(tmp) / "plain", Path(tmp) / "shegong"
        prepare(base, args.assignment, args.submissions)
        shutil.copytree(base, plain, symlinks=True)
        shutil.copytree(base, ours, symlinks=True)
        from shegong.grading.config import load_options
        from shegong.grading.context import GradingContext
        from shegong.grading.nbconfig import write_nbgrader_config
        from shegong.settings import load

        for home in (plain, ours):
            settings = load({"home": home}, environ={}, cwd=home)
            write_nbgrader_config(
                GradingContext.open(settings, load_options(environ={}), ensure=False)
            )
        plain_seconds = timed(
            [sys.executable, "-m", "nbgrader", "autograde", args.assignment],
            cwd=plain / "course",
            home=plain,
        )
        command = [
            sys.executable,
            "-m",
            "shegong",
            "grade",
            "autograde",
            args.assignment,
            "--home",
            str(ours),
        ]
        if args.workers:
            command += ["--workers", str(args.workers)]
        ours_seconds = timed(command, cwd=ours, home=ours)
        plain_scores, our_scores = scores(plain, args.assignment), scores(ours, args.assignment)
    if plain_scores != our_scores or len(our_scores) != args.submissions:
        raise SystemExit(f"the graders disagree: {plain_scores} vs {our_scores}")
    from shegong.grading.config import load_options as options_now
    from shegong.grading.sandbox import isolation, kernel_interpreter

    summary: dict[str, object] = {
        "assignment": args.assignment,
        "submissions": args.submissions,
        "cpu_cores": os.cpu_count(),
        "workers": args.workers or options_now(environ={}).worker_count,
        "isolation": isolation(kernel_interpreter()),
        "plain_nbgrader_serial_seconds": round(plain_seconds, 1),
        "shegong_grade_seconds": round(ours_seconds, 1),
        "speedup": round(plain_seconds / ours_seconds, 2),
        "plain_seconds_per_submission": round(plain_seconds / args.submissions, 2),
        "shegong_seconds_per_submission": round(ours_seconds / args.submissions, 2),
        "same_scores": True,
        "target_speedup": 2.0,
    }
    print(
        f"评分基准 / grading benchmark: {args.submissions} submissions of {args.assignment}: "
        f"plain serial nbgrader {plain_seconds:.1f} s, shegong grade {ours_seconds:.1f} s "
        f"({summary['workers']} workers, isolation {summary['isolation']}): "
        f"speed-up {summary['speedup']}x (target >= 2x)"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "grading.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return summary


if __name__ == "__main__":
    main()
