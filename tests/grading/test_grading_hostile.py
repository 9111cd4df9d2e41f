"""Do hostile and broken submissions each get their status, while the batch finishes and
nothing else is harmed?

One batch of data-basics submissions, graded by ``shegong.grading.autograde`` with short
limits: an endless loop, a memory hog, deleted and edited test cells, broken JSON, a wrong
file name, ``sys.exit``, a kernel that kills itself, megabytes of output, code that tries to
write the gradebook and code that tries to read another trainee's notebook; plus a normal
solution and a "victim" whose notebook holds a secret the reader must not see.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

import nbformat
import pytest
from grading_support import TIMESTAMP, release_nb, source_nb, submitted

from shegong.grading import cells, masters, simulate, status
from shegong.grading.autograde import Report, autograde
from shegong.grading.config import GradingOptions
from shegong.grading.context import GradingContext
from shegong.grading.model import Status

ASSIGNMENT = "data-basics"
AUTO_MAX = 16.0
SECRET = "VICTIM-SECRET-8d1f2c"


def _masters_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(masters.assignments_root().rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Batch:
    course: GradingContext
    report: Report
    results: dict[str, tuple[Status, float, tuple[str, ...]]]
    masters_before: str
    masters_after: str


def _with(solved: nbformat.NotebookNode, grade_id: str, source: str) -> nbformat.NotebookNode:
    return simulate.with_answers(solved, {grade_id: source})


def _submissions(course: GradingContext) -> dict[str, object]:
    """Trainee id -> a notebook, or raw bytes for files that are not notebooks."""
    release = release_nb(course, ASSIGNMENT)
    solved = simulate.answered(release, source_nb(course, ASSIGNMENT))
    top = cells.nbgrader_cells(solved)["top_station"].source
    gradebook = course.paths.gradebook
    victim = submitted(course, "victim", ASSIGNMENT) / f"{ASSIGNMENT}.ipynb"
    deleted = simulate.with_answers(solved, {})
    deleted.cells = [c for c in deleted.cells if cells.grade_id(c) != "by_service_test"]
    edited = simulate.with_answers(solved, {"station_table_shape": "pass"})
    hog = "_hog = bytearray(6 * 1024**3)\n" + top
    gradebook_writer = (
        "import sqlite3\n"
        f"_db = sqlite3.connect({str(gradebook)!r})\n"
        '_db.execute("UPDATE grade SET manual_score = 99")\n'
        '_db.execute("CREATE TABLE hacked (x)")\n'
        "_db.commit()\n" + top
    )
    reader = (
        "import glob, os\n"
        f"_seen = open({str(victim)!r}, encoding='utf-8').read()\n"
        "print(_seen)\n" + top
    )
    box_reader = (
        "import glob\n"
        "for _p in glob.glob('/tmp/shegong-grade-*/**/*.ipynb', recursive=True)"
        " + glob.glob('/var/lib/shegong/grade-runs/**/*.ipynb', recursive=True):\n"
        "    try:\n        print(open(_p, encoding='utf-8').read())\n"
        "    except OSError as _e:\n        print(type(_e).__name__)\n" + top
    )
    return {
        "normal": solved,
        "victim": _with(solved, "top_station", top + f"\n# {SECRET}"),
        "loop": _with(solved, "top_station", "while True:\n    pass\n" + top),
        "memory": _with(solved, "top_station", hog),
        "deleted_test": deleted,
        "edited_test": edited,
        "corrupt": b'{"cells": [ {"cell_type": "code", "sourc',
        "wrong_name": ("Untitled (1).ipynb", solved),
        "sys_exit": _with(solved, "top_station", "import sys\nsys.exit(3)\n" + top),
        "killed": _with(
            solved, "top_station", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"
        ),
        "flood": _with(solved, "top_station", "print('x' * 5_000_000)\n" + top),
        "gradebook_writer": _with(solved, "top_station", gradebook_writer),
        "reader": _with(solved, "top_station", reader),
        "box_reader": _with(solved, "top_station", box_reader),
    }


def _write(course: GradingContext, trainee: str, item: object) -> None:
    folder = submitted(course, trainee, ASSIGNMENT)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "timestamp.txt").write_text(TIMESTAMP, encoding="utf-8")
    if isinstance(item, bytes):
        (folder / f"{ASSIGNMENT}.ipynb").write_bytes(item)
    elif isinstance(item, tuple):
        name, nb = item
        nbformat.write(nb, folder / name)
    else:
        nbformat.write(item, folder / f"{ASSIGNMENT}.ipynb")


@pytest.fixture(scope="module")
def batch(clone: Callable[..., GradingContext]) -> Batch:
    options = GradingOptions(cell_timeout=8, notebook_timeout=240, memory_mb=2048, max_output_kb=64)
    course = clone("hostile", options)
    for trainee, item in _submissions(course).items():
        _write(course, trainee, item)
    before = _masters_digest()
    report = autograde(course, ASSIGNMENT)
    results = {
        r.student: (r.status, r.auto_score, tuple(n.code for n in r.notes)) for r in report.results
    }
    return Batch(course, report, results, before, _masters_digest())


def test_the_batch_finishes_with_a_status_for_everyone(batch: Batch) -> None:
    """Is every submission graded and recorded, in the table and in status.csv?"""
    assert set(batch.results) == set(_submissions(batch.course))
    recorded = {r.student for r in status.rows(batch.course.paths, ASSIGNMENT)}
    assert recorded == set(batch.results)
    csv = batch.course.paths.status_csv.read_text(encoding="utf-8-sig")
    assert "kernel_died" in csv and "内核崩溃" in csv and "kernel crashed" in csv


def test_the_normal_solution_is_untouched_by_its_neighbours(batch: Batch) -> None:
    """Does the ordinary solution score full autograded marks with no notes?"""
    assert batch.results["normal"] == (Status.GRADED, AUTO_MAX, ())


@pytest.mark.parametrize(
    ("trainee", "expected", "note", "score"),
    [
        ("loop", Status.TIMED_OUT, "cell_timeout", AUTO_MAX - 2),
        ("memory", Status.GRADED, "memory_error", AUTO_MAX - 2),
        ("deleted_test", Status.CELLS_RESTORED, "test_deleted", AUTO_MAX),
        ("edited_test", Status.CELLS_RESTORED, "test_edited", AUTO_MAX),
        ("corrupt", Status.CORRUPT, "corrupt", 0.0),
        ("wrong_name", Status.GRADED, "renamed", AUTO_MAX),
        ("sys_exit", Status.GRADED, "", AUTO_MAX - 2),
        ("flood", Status.GRADED, "output_truncated", AUTO_MAX),
    ],
)
def test_each_hostile_submission_gets_its_status(
    batch: Batch, trainee: str, expected: Status, note: str, score: float
) -> None:
    """Does each kind of trouble end in its own status and note, with a fair score?"""
    state, got, notes = batch.results[trainee]
    assert state is expected
    if note:
        assert note in notes
    assert got == score


def test_a_killed_kernel_scores_later_cells_zero_with_a_reason(batch: Batch) -> None:
    """After the kernel dies, do the cells that never ran score 0 and say why?"""
    state, score, notes = batch.results["killed"]
    assert state is Status.KERNEL_DIED and "stopped_kernel_died" in notes
    assert score == 3 + 2 + 3  # the three tests before the crash
    path = batch.course.paths.step("autograded") / "killed" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    last = cells.nbgrader_cells(nb)["chart_bars"]
    assert any("内核" in o.get("evalue", "") for o in last.outputs)


def test_megabytes_of_output_are_cut(batch: Batch) -> None:
    """Is the flood of output cut to the per-cell limit in the autograded notebook?"""
    path = batch.course.paths.step("autograded") / "flood" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert path.stat().st_size < 1_000_000


def test_student_code_cannot_write_the_gradebook(batch: Batch) -> None:
    """Did the attempt to rewrite the workspace gradebook change nothing?"""
    if batch.report.isolation == "same_user":
        pytest.skip("kernels run as the grader's own user here (not root): see sandbox docs")
    connection = sqlite3.connect(batch.course.paths.gradebook)
    try:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        forged = connection.execute("SELECT count(*) FROM grade WHERE manual_score = 99").fetchone()
    finally:
        connection.close()
    assert "hacked" not in tables and forged == (0,)
    assert batch.results["gradebook_writer"][0] is Status.GRADED


def test_student_code_cannot_read_another_trainees_work(batch: Batch) -> None:
    """Does neither reader see the victim's notebook, in the workspace or in a sandbox?"""
    if batch.report.isolation == "same_user":
        pytest.skip("kernels run as the grader's own user here (not root): see sandbox docs")
    for trainee in ("reader", "box_reader"):
        path = batch.course.paths.step("autograded") / trainee / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        assert SECRET not in path.read_text(encoding="utf-8")
    victim = batch.course.paths.step("autograded") / "victim" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert SECRET in victim.read_text(encoding="utf-8")


def test_the_masters_are_unchanged(batch: Batch) -> None:
    """Are the assignment masters byte for byte what they were before the batch?"""
    assert batch.masters_before == batch.masters_after


def test_regrading_an_unchanged_batch_does_nothing(batch: Batch) -> None:
    """Run again: is every unchanged submission skipped (resume after an interruption)?"""
    again = autograde(batch.course, ASSIGNMENT)
    assert again.results == () and again.skipped == len(batch.results)
