"""Resuming: after an interruption, does running autograde again finish only what is left,
and does a changed submission get graded again?"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from grading_support import TIMESTAMP, release_nb, source_nb, submitted

from shegong.grading import autograde as autograde_module
from shegong.grading import simulate, status
from shegong.grading.autograde import autograde
from shegong.grading.context import GradingContext
from shegong.grading.model import Status
from shegong.progress import RecordingReporter

ASSIGNMENT = "community"
TRAINEES = ("w000031", "w000032", "w000033")


@pytest.fixture(scope="module")
def course(clone: Callable[..., GradingContext]) -> GradingContext:
    course = clone("resume")
    solved = simulate.answered(release_nb(course, ASSIGNMENT), source_nb(course, ASSIGNMENT))
    for trainee in TRAINEES:
        simulate.write_submission(
            solved, submitted(course, trainee, ASSIGNMENT), ASSIGNMENT, TIMESTAMP
        )
    return course


def test_an_interrupted_run_resumes_where_it_stopped(
    course: GradingContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Interrupt after the first merged result; does the next run grade only the rest?"""
    real_finish = autograde_module._Writer.finish
    calls: list[str] = []

    def interrupt_after_one(writer: object, outcome: object) -> object:
        if calls:
            raise KeyboardInterrupt
        result = real_finish(writer, outcome)  # type: ignore[arg-type]
        calls.append(result.student)
        return result

    monkeypatch.setattr(autograde_module._Writer, "finish", interrupt_after_one)
    with pytest.raises(KeyboardInterrupt):
        autograde(course, ASSIGNMENT)
    monkeypatch.undo()
    assert [r.student for r in status.rows(course.paths, ASSIGNMENT)] == calls
    reporter = RecordingReporter()
    report = autograde(course, ASSIGNMENT, reporter=reporter)
    assert sorted(r.student for r in report.results) == sorted(set(TRAINEES) - set(calls))
    assert report.skipped == 1 and len(reporter.labels) == 2
    assert all(r.status is Status.GRADED and r.auto_score == 14 for r in report.results)


def test_a_changed_submission_is_graded_again(course: GradingContext) -> None:
    """After a trainee sends a new version, is only that one regraded (and --force all)?"""
    folder = submitted(course, TRAINEES[0], ASSIGNMENT)
    blank = release_nb(course, ASSIGNMENT)
    simulate.write_submission(blank, folder, ASSIGNMENT, TIMESTAMP)
    report = autograde(course, ASSIGNMENT)
    assert [(r.student, r.auto_score) for r in report.results] == [(TRAINEES[0], 0.0)]
    forced = autograde(course, ASSIGNMENT, force=True)
    assert len(forced.results) == len(TRAINEES) and forced.skipped == 0
