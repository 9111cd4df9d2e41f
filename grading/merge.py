"""The one writer: put a worker's results into the workspace's gradebook, one at a time.

Workers run nbgrader's whole ``Autograde`` (including ``SaveAutoGrades`` and
``AssignLatePenalties``) against private gradebook copies and carry the resulting scores
back (``worker.NotebookScores``). Only the parent process calls ``merge``, with one
gradebook session kept open for the whole run, so the workspace gradebook never sees two
writers and SQLAlchemy compiles each statement once. Through nbgrader's ``Gradebook`` API it

- creates or updates the student and the submission (with its ``timestamp.txt``);
- copies each grade's ``auto_score``, each comment's ``auto_comment`` and each notebook's
  ``late_submission_penalty``, and sets ``needs_manual_grade`` by ``SaveAutoGrades``'s own
  rule (a manual score already given is kept, and keeps the answer flagged for review);
- scores a missing or unreadable notebook 0, exactly as ``Autograde.init_assignment`` does.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from nbgrader.coursedir import CourseDirectory

from shegong.grading.config import CoursePaths
from shegong.grading.worker import NotebookScores, Outcome

if TYPE_CHECKING:
    from nbgrader.api import Gradebook


def _timestamp(folder: Path) -> object:
    return CourseDirectory().get_existing_timestamp(str(folder))


def _place_output(outcome: Outcome, paths: CoursePaths) -> None:
    job = outcome.job
    target = paths.step("autograded") / job.student / job.assignment
    if target.exists():
        shutil.rmtree(target)
    if outcome.output is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(outcome.output, target)
        shutil.rmtree(outcome.output, ignore_errors=True)


def _copy_scores(gb: Gradebook, outcome: Outcome, scores: NotebookScores) -> None:
    job = outcome.job
    notebook = gb.find_submission_notebook(scores.notebook, job.assignment, job.student)
    auto = dict(scores.auto_scores)
    for grade in notebook.grades:
        grade.auto_score = auto.get(grade.name)
        grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
    comments = dict(scores.auto_comments)
    for comment in notebook.comments:
        comment.auto_comment = comments.get(comment.name)
    notebook.late_submission_penalty = scores.late_penalty


def _zero(gb: Gradebook, outcome: Outcome, notebook_name: str) -> None:
    job = outcome.job
    notebook = gb.find_submission_notebook(notebook_name, job.assignment, job.student)
    for grade in notebook.grades:
        grade.auto_score = 0
        grade.needs_manual_grade = False


def merge(outcome: Outcome, paths: CoursePaths, gb: Gradebook) -> tuple[float, float]:
    """Write one outcome into the open gradebook ``gb``; returns (score, max score)."""
    job = outcome.job
    _place_output(outcome, paths)
    timestamp = _timestamp(job.submitted)
    gb.update_or_create_student(job.student)
    if timestamp is not None:
        gb.update_or_create_submission(job.assignment, job.student, timestamp=timestamp)
    else:
        gb.update_or_create_submission(job.assignment, job.student)
    scored = {s.notebook: s for s in outcome.scores}
    for notebook in job.notebooks:
        if notebook in scored:
            _copy_scores(gb, outcome, scored[notebook])
        else:
            _zero(gb, outcome, notebook)
    gb.db.commit()
    submission = gb.find_submission(job.assignment, job.student)
    totals = float(submission.score), float(submission.max_score)
    gb.db.commit()  # end the read transaction: hold no lock while workers run
    return totals
