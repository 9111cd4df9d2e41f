"""Casework's safety minimums, graded for real: item 9's self-harm flag and the same-day
step decide the pass before the total does, in the export and on the feedback page.

One sandboxed autograde of four casework submissions (the solution, two realistic mistakes
and the blank release); the written answers then get the rubric's top levels.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from grading_support import TIMESTAMP, release_nb, source_nb, submitted

from shegong.grading import feedback, feedback_page, manual, masters, simulate
from shegong.grading.autograde import autograde
from shegong.grading.config import GradingError
from shegong.grading.context import GradingContext
from shegong.grading.export import assignment_scores, readable

ASSIGNMENT = "casework"
MISTAKES = {
    # went on with the plan instead of starting the safety protocol: a safety minimum
    "skipped_protocol": {"next_step": 'next_step = "c" if phq9_total >= 10 else "b"'},
    # one risk band too low, but item 9 seen and the protocol started: not a minimum
    "underestimated_risk": {"risk_level": 'risk_level = "medium"'},
}


def _written_at_top(course: GradingContext, student: str) -> None:
    rubric = masters.load_assignment_rubric(masters.find(ASSIGNMENT))
    for cell in rubric.cells:
        top = {c.id: c.max_points for c in rubric.for_cell(cell)}
        manual.apply(
            course, rubric, manual.RubricGrade(ASSIGNMENT, student, cell, top, grader="test")
        )


@pytest.fixture(scope="module")
def course(clone: Callable[..., GradingContext]) -> GradingContext:
    course = clone("gates")
    release, source = release_nb(course, ASSIGNMENT), source_nb(course, ASSIGNMENT)
    solved = simulate.answered(release, source)
    subs = {"solution": solved, "blank": release}
    subs |= {name: simulate.with_answers(solved, cells) for name, cells in MISTAKES.items()}
    for name, nb in subs.items():
        simulate.write_submission(nb, submitted(course, name, ASSIGNMENT), ASSIGNMENT, TIMESTAMP)
    autograde(course, ASSIGNMENT)
    for student in ("solution", *MISTAKES):
        _written_at_top(course, student)
    return course


def test_a_missed_safety_minimum_fails_the_assignment_whatever_the_total(
    course: GradingContext,
) -> None:
    """Skipping the protocol loses 3 points (17 of 20) and fails; a band too low passes."""
    table = assignment_scores(course).set_index("worker_id")
    skipped, misjudged = table.loc["skipped_protocol"], table.loc["underestimated_risk"]
    assert skipped["score"] == 17 and skipped["passed"] == "failed"
    assert skipped["safety"] == "missed" and "第5题" in skipped["missed_questions"]
    assert misjudged["passed"] == "passed" and misjudged["safety"] == "met"
    assert table.loc["solution", "passed"] == "passed"
    assert table.loc["blank", "passed"] == "failed"  # the blank misses both minimums at once
    people = readable(assignment_scores(course)).set_index("学员编号 / trainee id")
    assert people.loc["skipped_protocol", "结果 / result"] == "未通过"
    assert people.loc["skipped_protocol", "安全底线 / safety minimums"] == "未达到"
    assert people.loc["solution", "安全底线 / safety minimums"] == "达到"


def test_the_feedback_page_names_the_missed_minimum_first(course: GradingContext) -> None:
    page = feedback_page.render(feedback.collect(course, ASSIGNMENT, "skipped_protocol"), "zh")
    assert "未达到安全底线" in page and "第5题" in page and "不能通过" in page
    assert page.index("未达到安全底线") < page.index("<table>")
    good = feedback_page.render(feedback.collect(course, ASSIGNMENT, "underestimated_risk"), "en")
    assert "Result: passed" in good and "Safety minimum not met" not in good


def test_a_gate_that_is_not_a_test_cell_of_the_master_is_refused() -> None:
    """A typo in ``safety_gates`` must stop the release, not silently gate nothing."""
    info = dataclasses.replace(masters.find(ASSIGNMENT), safety_gates=("self_harm_flg_test",))
    with pytest.raises(GradingError) as caught:
        masters.validate(info)
    assert caught.value.msg_id == "grading.error.master_gate"
    assert "self_harm_flg_test" in caught.value.message("zh")
