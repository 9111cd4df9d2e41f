"""Checking before handing in (``shegong.grading.trainee_check``): nbgrader's validator said in
plain words, per question, in both languages: unanswered, a check's own message, an error by
name only, a changed check cell."""

from __future__ import annotations

from collections.abc import Callable

import nbformat
import pytest
from grading_support import release_nb, source_nb

from shegong.grading import simulate
from shegong.grading.context import GradingContext
from shegong.grading.roster import trainees
from shegong.grading.trainee import Desk, TraineeError, fetch, open_desk
from shegong.grading.trainee_check import check, plain_error

ASSIGNMENT = "groupwork"
QUESTIONS = 6  # groupwork's questions: five answered in code or by a choice, one written


@pytest.fixture(scope="module")
def course(clone: Callable[..., GradingContext]) -> GradingContext:
    return clone("trainee-check")


@pytest.fixture(scope="module")
def people(course: GradingContext) -> list[str]:
    return [str(w) for w in trainees(course.settings)["worker_id"]]


def _desk_with(
    course: GradingContext, trainee: str, edit: Callable[[nbformat.NotebookNode], None]
) -> Desk:
    desk = open_desk(course, trainee)
    path = fetch(desk, ASSIGNMENT) / "groupwork.ipynb"
    nb = simulate.answered(release_nb(course, ASSIGNMENT), source_nb(course, ASSIGNMENT))
    edit(nb)
    nbformat.write(nb, path)
    return desk


def _cell(nb: nbformat.NotebookNode, text: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if text in c.source)


def test_a_check_message_is_kept_in_both_languages() -> None:
    """Does a failed check's two-line message reach the trainee, without the traceback?"""
    raw = (
        "\x1b[0;31m---------\x1b[0m\n"
        "\x1b[0;31mAssertionError\x1b[0m: 人数不对。\nThe count is wrong.\n"
    )
    verdict, message = plain_error("Traceback (most recent call last):\n  File x\n" + raw)
    assert verdict == "failed"
    assert message.zh == "检查没有通过：人数不对。"
    assert message.en == "A check did not pass: The count is wrong."


def test_any_other_error_is_named_only() -> None:
    """Is an exception shown by its name, never its text (which can quote hidden data)?"""
    verdict, message = plain_error("Traceback\n  File y\nKeyError: 'secret_column'\n")
    assert verdict == "error" and "KeyError" in message.zh and "KeyError" in message.en
    assert "secret_column" not in message.zh + message.en


def test_checking_before_fetching_says_what_to_press(
    course: GradingContext, people: list[str]
) -> None:
    with pytest.raises(TraineeError) as caught:
        check(open_desk(course, people[0]), ASSIGNMENT)
    assert "领取" in str(caught.value)


@pytest.mark.slow
def test_a_blank_notebook_lists_every_question_as_unanswered(
    course: GradingContext, people: list[str]
) -> None:
    """Is each untouched answer named by its question, once, and nothing else said?"""
    desk = open_desk(course, people[1])
    fetch(desk, ASSIGNMENT)
    report = check(desk, ASSIGNMENT)
    assert [line.verdict for line in report.lines] == ["unanswered"] * QUESTIONS
    assert report.lines[0].question.startswith("第1题")
    assert report.lines[-1].question.startswith("第6题")
    assert "还没有作答" in report.lines[0].message.zh and report.passed == 0


@pytest.mark.slow
def test_the_masters_answers_pass(course: GradingContext, people: list[str]) -> None:
    """Does a complete, right notebook check clean, with its visible checks counted?"""
    report = check(_desk_with(course, people[2], lambda nb: None), ASSIGNMENT)
    assert report.ok and report.passed == 5


@pytest.mark.slow
def test_a_wrong_answer_and_a_changed_check_are_said_per_question(
    course: GradingContext, people: list[str]
) -> None:
    """A missing answer: the check's own words under 第2题. An edited check cell: said so."""

    def wrong(nb: nbformat.NotebookNode) -> None:
        _cell(nb, "completers = int(").source = "n = 3  # 答案写错了变量名"

    report = check(_desk_with(course, people[3], wrong), ASSIGNMENT)
    assert [(line.question[:3], line.verdict) for line in report.lines] == [("第2题", "failed")]
    assert report.lines[0].message.zh.startswith("检查没有通过：")
    assert "completers" in report.lines[0].message.en and report.passed == 4

    def tampered(nb: nbformat.NotebookNode) -> None:
        test = _cell(nb, 'expect_defined("completers")')
        test.source = test.source + "\n# 改一下"

    report = check(_desk_with(course, people[4], tampered), ASSIGNMENT)
    assert [line.verdict for line in report.lines] == ["changed"]
    assert report.lines[0].question.startswith("第2题")
    assert "检查单元格被改动过" in report.lines[0].message.zh
