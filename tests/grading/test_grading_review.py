"""After autograde: does the rubric panel write nbgrader's gradebook (and who graded when),
are feedback pages slim and bilingual, and do exports carry station and county?"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable

import nbformat
import openpyxl
import pandas as pd
import pytest
from grading_support import TIMESTAMP, handout, release_nb, source_nb, submitted

from shegong.errors import ShegongError
from shegong.grading import export, feedback, manual, masters, simulate, store
from shegong.grading.autograde import autograde
from shegong.grading.context import GradingContext
from shegong.grading.gradebook import open_gradebook
from shegong.grading.roster import trainees
from shegong.widgets.apps.rubric_panel import RubricPanel

ASSIGNMENT = "casework"


@pytest.fixture(scope="module")
def course(clone: Callable[..., GradingContext]) -> GradingContext:
    """Three trainees of one station: solution, English solution, one wrong answer."""
    course = clone("review")
    table = trainees(course.settings)
    ids = list(table[table["station_id"] == table["station_id"].iloc[0]]["worker_id"][:3])
    release, source = release_nb(course, ASSIGNMENT), source_nb(course, ASSIGNMENT)
    english = simulate.answered(
        nbformat.read(handout(course, "en", ASSIGNMENT), as_version=4), source
    )
    wrong = simulate.with_answers(
        simulate.answered(release, source), {"next_step": 'next_step = "d"'}
    )
    for trainee, nb in zip(ids, (simulate.answered(release, source), english, wrong), strict=True):
        simulate.write_submission(nb, submitted(course, trainee, ASSIGNMENT), ASSIGNMENT, TIMESTAMP)
    autograde(course, ASSIGNMENT)
    return course


def _ids(course: GradingContext) -> list[str]:
    return sorted(p.parent.name for p in course.paths.step("submitted").glob(f"*/{ASSIGNMENT}"))


def test_the_panel_lists_trainees_and_waiting_answers(course: GradingContext) -> None:
    """Does the panel offer every submitting trainee and count answers waiting for a grade?"""
    panel = RubricPanel(course.settings, ASSIGNMENT, grader="S001", options=course.options)
    assert list(panel.trainee_box.options) == _ids(course)
    assert "3" in panel.waiting.value and list(panel.cell_box.options) == ["plan"]
    # each level button says what the level means before the supervisor chooses it
    panel.show_answer(_ids(course)[0], "plan")
    rubric = panel.rubric.criteria[0]
    tips = list(panel.levels[rubric.id].tooltips)
    assert tips == [level.descriptor.get("zh") for level in rubric.levels] and all(tips)


def test_grading_in_the_panel_writes_nbgraders_gradebook(course: GradingContext) -> None:
    """Do chosen levels become Grade.manual_score and Comment.manual_comment, with the
    grader and time kept in grading.db, and the descriptor shown for each choice?"""
    panel = RubricPanel(course.settings, ASSIGNMENT, grader="S001", options=course.options)
    first = _ids(course)[0]
    panel.show_answer(first, "plan")
    assert "预估" in panel.answer.value
    panel.choose("assessment_use", 2)
    panel.choose("goals_actions", 1)
    panel.choose("principles_safety", 2)
    assert "可测量" in panel.descriptors["goals_actions"].value
    panel.pick("smart_goals")
    panel.comment.value = "安全计划写得很具体。"
    assert panel.save() == 5
    with open_gradebook(course.paths.db_url, course.options.course_id) as gb:
        grade = gb.find_grade("plan", ASSIGNMENT, ASSIGNMENT, first)
        comment = gb.find_comment("plan", ASSIGNMENT, ASSIGNMENT, first)
        assert grade.manual_score == 5 and not grade.needs_manual_grade
        text = str(comment.manual_comment)
    assert "目标与行动：初步（1 分）" in text and "安全计划写得很具体" in text
    # formgrader and nbgrader's own feedback show it in Chinese first, then English
    assert text.index("目标与行动") < text.index("Goals and actions") < text.index("安全计划")
    saved = manual.recorded(course.paths, ASSIGNMENT, first, "plan")
    assert saved is not None and saved.grader == "S001" and saved.choices["goals_actions"] == 1
    assert re.match(r"\d{4}-\d\d-\d\dT", saved.graded_at)
    assert "S001" in panel.graded_by.value


def test_a_saved_grade_comes_back_when_reopened(course: GradingContext) -> None:
    """Does opening a graded answer show its levels, comments and grader again?"""
    panel = RubricPanel(course.settings, ASSIGNMENT, grader="S002", options=course.options)
    panel.show_answer(_ids(course)[0], "plan")
    assert panel.levels["goals_actions"].value == 1
    assert panel.bank_box.value == ("smart_goals",)
    assert "S001" in panel.graded_by.value


def test_an_incomplete_grade_is_refused_in_both_languages(course: GradingContext) -> None:
    """Does saving with a criterion left open say which, without writing anything?"""
    panel = RubricPanel(course.settings, ASSIGNMENT, grader="S001", options=course.options)
    panel.show_answer(_ids(course)[1], "plan")
    panel.choose("assessment_use", 2)
    with pytest.raises(ShegongError) as caught:
        panel.save()
    assert "goals_actions" in str(caught.value) and "还有评分标准" in str(caught.value)
    assert manual.recorded(course.paths, ASSIGNMENT, _ids(course)[1], "plan") is None
    panel._save_clicked()
    assert "还有评分标准" in panel.message.value


def test_the_comment_bank_grows_in_both_languages(course: GradingContext) -> None:
    """Can a supervisor add a bilingual comment, reuse it, and must give both languages?"""
    panel = RubricPanel(course.settings, ASSIGNMENT, grader="S001", options=course.options)
    new_id = panel.add_comment("请写出转介的具体机构。", "Name the service you refer to.")
    assert new_id in panel.bank_box.value
    rubric = masters.load_assignment_rubric(masters.find(ASSIGNMENT))
    assert new_id in [c.id for c in manual.bank(course.paths, rubric)]
    with pytest.raises(ShegongError):
        panel.add_comment("只有中文", " ")


def test_next_ungraded_walks_the_queue_to_the_end(course: GradingContext) -> None:
    """Does "next ungraded" open each waiting answer and finally say all are graded?"""
    panel = RubricPanel(course.settings, ASSIGNMENT, grader="S003", options=course.options)
    graded = 0
    while panel.next_ungraded():
        for criterion in panel.rubric.for_cell(panel.cell):
            panel.choose(criterion.id, criterion.max_points)
        panel.save()
        graded += 1
    assert graded == 2 and "都已评分" in panel.message.value


def test_feedback_is_slim_and_in_the_trainees_language(course: GradingContext) -> None:
    """Is each page a few KB (nbgrader's is ~133 KB), with scores, test messages and rubric
    levels, in Chinese and English, the main page in the trainee's own language?"""
    ids = _ids(course)
    written = {t: feedback.write(course, ASSIGNMENT, t, "站") for t in ids}
    for pages in written.values():
        for path in pages.values():
            assert path.stat().st_size < 20_000
    zh = written[ids[0]]["zh"].read_text(encoding="utf-8")
    en = written[ids[0]]["en"].read_text(encoding="utf-8")
    assert "目标与行动" in zh and "初步" in zh and "Goals and actions" in en
    assert "<script" not in zh and "Total:" in en
    assert written[ids[1]]["page"].read_text(encoding="utf-8") == written[ids[1]]["en"].read_text(
        encoding="utf-8"
    )
    wrong = written[ids[2]]["zh"].read_text(encoding="utf-8")
    assert "这一步不是最合适的" in wrong
    assert (course.paths.step("feedback") / ids[0] / ASSIGNMENT / "timestamp.txt").exists()


def test_feedback_is_bundled_per_station(course: GradingContext) -> None:
    """Is there one zip per station with both languages for each trainee and an index?"""
    bundles = feedback.station_bundles(course.paths, ASSIGNMENT, trainees(course.settings))
    assert len(bundles) == 1
    with zipfile.ZipFile(bundles[0]) as archive:
        names = sorted(archive.namelist())
        index = archive.read("index.html").decode("utf-8")
    assert "index.html" in names and len(names) == 1 + 2 * 3
    assert all(n.isascii() for n in names) and "中文" in index


def test_exports_carry_scores_station_and_county(course: GradingContext) -> None:
    """Are per-question and per-assignment scores exported with station and county, as
    Excel-safe CSV (BOM) and .xlsx, with a chart and a summary page?"""
    result = export.export(course)
    assert result.assignments_csv.read_bytes().startswith(b"\xef\xbb\xbf")
    scores = pd.read_csv(result.assignments_csv, encoding="utf-8-sig")
    # headers a Chinese reader understands first, English second; codes in words
    assert {"社工站 / station", "县（市、区） / county", "得分率（%） / score (%)"} <= set(
        scores.columns
    )
    assert scores["县（市、区） / county"].notna().all() and len(scores) == 3
    assert scores["得分 / score"].max() == 20
    assert set(scores["评分状态 / grading status"]) <= {
        "已评分",
        "已评分（补回了被删改的测试单元格）",
    }
    questions = pd.read_csv(result.questions_csv, encoding="utf-8-sig")
    assert set(questions["题目 / question"]) >= {"plan", "risk_level_test", "next_step_test"}
    assert set(questions["评分方式 / graded by"]) == {"自动评分", "量规评分"}
    book = openpyxl.load_workbook(result.workbook, read_only=True)
    assert book.sheetnames == ["逐题成绩", "逐份作业成绩", "站点汇总"]
    header = [cell.value for cell in next(book["站点汇总"].iter_rows(max_row=1))]
    assert "平均得分率（%，已评完） / mean score (%, fully graded)" in header
    book.close()
    assert result.chart.stat().st_size > 5_000
    assert "各站学员作业平均得分率" in result.summary_html.read_text(encoding="utf-8")


def test_rubric_choices_are_audited(course: GradingContext) -> None:
    """Is there one audit row per criterion and graded answer, with grader and time?"""
    with store.connect(course.paths.grading_db) as db:
        rows = db.execute(store.rubric_choices.select()).mappings().all()
    assert len(rows) == 3 * 3
    assert {r["grader"] for r in rows} == {"S001", "S003"}
