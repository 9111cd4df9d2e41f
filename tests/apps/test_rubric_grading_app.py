"""Can a supervisor grade trainees' written answers on the shipped rubric grading page?

A real course is made in a prepared apps workspace: the trainees enrolled, the group work
assignment released, three simulated submissions (one with raw HTML and a javascript: link
in its written answer) autograded, and one casework submission collected but never
autograded. The page is checked as a widget (assignments listed, the panel, English, the
grader, who may use it, the empty states), then once in Chromium through the apps server.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import ipywidgets as w
import nbformat
import pytest
from records_fixtures import MEMBERS, open_store
from voila_servers import AppServer, prepared_settings

from shegong.errors import ShegongError
from shegong.grading import manual, masters, roster, simulate
from shegong.grading.autograde import autograde
from shegong.grading.config import CoursePaths, GradingOptions, load_options
from shegong.grading.context import GradingContext
from shegong.grading.gradebook import open_gradebook
from shegong.grading.release import release_assignment
from shegong.records import Role
from shegong.records.roster import Member
from shegong.settings import Settings
from shegong.voila_config import ServeOptions
from shegong.widgets.apps.grading_app import RubricGrading, course_state, load_assignments, open_app
from shegong.widgets.apps.rubric_panel import RubricPanel, answer_html
from shegong.widgets.forms.shell import AppContext, open_context

ASSIGNMENT = "groupwork"
CELL = "session_record"
TIMESTAMP = "2025-03-01 08:00:00.000000 UTC"
HAN = re.compile(r"[\u4e00-\u9fff]")
WAIT_MS = 120_000  # a bound on waiting for the page, not a speed check
HOSTILE = (
    "**每节记录 / Session record:**\n\n"
    "第 7 节，7 人出席。<img src=x onerror=alert(1)>\n"
    "组员商定继续聚会。[详情](javascript:alert(2))"
)


class Course:
    """The prepared workspace with a graded course, and who is who in it."""

    def __init__(
        self,
        settings: Settings,
        options: GradingOptions,
        trainees: list[str],
        supervisor: str,
        other: str,
    ) -> None:
        self.settings = settings
        self.options = options
        self.paths = CoursePaths.of(settings)
        self.trainees = trainees  # the three who handed in the group work, by id
        self.context = open_context(settings.home)
        by_id = {m.person_id: m for m in self.context.members}
        self.supervisor = by_id[supervisor]  # of the trainees' own agency
        self.other_supervisor = by_id[other]  # of another agency
        table = roster.trainees(settings)
        self.names = dict(zip(table["worker_id"], table["name_zh"], strict=True))


def first(members: list[Member], role: str) -> Member:
    return next(m for m in members if m.role == role)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    settings = prepared_settings(tmp_path_factory.mktemp("gradinghome"))
    options = load_options(environ={})
    grading = GradingContext.open(settings, options)
    paths = grading.paths
    roster.enroll(grading)
    for assignment in (ASSIGNMENT, "casework"):
        release_assignment(masters.find(assignment), grading)

    def notebooks(assignment: str) -> tuple[Any, Any]:
        return tuple(  # type: ignore[return-value]
            nbformat.read(paths.step(step) / assignment / f"{assignment}.ipynb", as_version=4)
            for step in ("release", "source")
        )

    release, source = notebooks(ASSIGNMENT)
    # a supervisor with four of their own agency's trainees enrolled, and one of another
    store = open_context(settings.home).store
    enrolled = {str(i) for i in roster.trainees(settings)["worker_id"]}
    supervisors = [p.person_id for p in store.people(Role.SUPERVISOR)]
    mine = {
        s: [p.person_id for p in store.trainees_for(s) if p.person_id in enrolled]
        for s in supervisors
    }
    supervisor = next(s for s in supervisors if len(mine[s]) >= 4)
    other = next(s for s in supervisors if not set(mine[s]) & set(mine[supervisor]))
    ids = mine[supervisor][:4]
    solved = simulate.answered(release, source)
    hostile = simulate.with_answers(solved, {CELL: HOSTILE})
    for trainee, nb in zip(ids[:3], (solved, solved, hostile), strict=True):
        folder = paths.step("submitted") / trainee / ASSIGNMENT
        simulate.write_submission(nb, folder, ASSIGNMENT, TIMESTAMP)
    autograde(grading, ASSIGNMENT)
    # collected, never autograded: the page points it out instead of listing it
    case_release, case_source = notebooks("casework")
    folder = paths.step("submitted") / ids[3] / "casework"
    simulate.write_submission(
        simulate.answered(case_release, case_source), folder, "casework", TIMESTAMP
    )
    return Course(settings, options, ids[:3], supervisor, other)


def page(context: AppContext | Course, user: str, lang: str = "zh", **query: str) -> Any:
    ctx = context.context if isinstance(context, Course) else context
    app = open_app(lang, ctx)  # type: ignore[arg-type]
    return app.start(query={"user": user, **query}, environ={})


def texts(widget: Any, skip: tuple[Any, ...] = ()) -> list[str]:
    """Every text a person reads in a widget tree (HTML, descriptions, option labels)."""
    if widget in skip:
        return []
    found = [str(getattr(widget, "value", "")) if isinstance(widget, w.HTML) else ""]
    for name in ("description", "placeholder", "tooltip"):
        found.append(str(getattr(widget, name, "") or ""))
    found += [str(label) for label in getattr(widget, "_options_labels", ())]
    for child in getattr(widget, "children", ()):
        found += texts(child, skip)
    return [t for t in found if t]


# --- without a browser ----------------------------------------------------------------------


@pytest.mark.slow
def test_a_supervisor_sees_the_assignments_to_grade_and_the_panel(course: Course) -> None:
    """Is the autograded assignment listed with its counts, opened in the panel, graded as
    the supervisor, and the collected but never autograded one pointed out?"""
    app = page(course, course.supervisor.person_id)
    assert app.notice.value == "" and app.empty.value == ""
    rubric = masters.load_assignment_rubric(masters.find(ASSIGNMENT))
    waiting = len(manual.to_grade(course.paths, course.options, ASSIGNMENT, rubric))
    title = masters.find(ASSIGNMENT).title("zh")
    assert app.assignment.options == (
        (f"{title}（3 份提交，{waiting} 份书面作答待评分）", ASSIGNMENT),
    )
    assert "casework" not in app.assignment.options[0][0]
    assert "shegong grade autograde casework" in app.pending.value
    assert "1 份已收取的提交还没有自动评分" in app.pending.value
    panel = app.panel
    assert panel is not None and panel.assignment.id == ASSIGNMENT
    assert app.panel_slot.children == (panel,)
    assert panel.grader.value == course.supervisor.person_id and panel.grader.disabled
    assert course.supervisor.display_name in app.grader_note.value
    named = dict((v, k) for k, v in panel.trainee_box.options)
    assert list(named) == sorted(course.trainees)
    trainee = course.trainees[0]
    assert named[trainee] == f"{course.names[trainee]}（编号 {trainee}）"


@pytest.mark.slow
def test_a_grade_saved_on_the_page_reaches_the_gradebook_and_the_list(course: Course) -> None:
    """Does saving record the score in nbgrader and the supervisor as grader, show who graded
    by name, and does the list of assignments count one answer fewer?"""
    app = page(course, course.supervisor.person_id, assignment=ASSIGNMENT)
    before = app.assignment.options[0][0]
    panel = app.panel
    trainee = course.trainees[1]
    panel.trainee_box.value = trainee
    for criterion in panel.rubric.for_cell(CELL):
        panel.choose(criterion.id, criterion.levels[-1].points)
    assert panel.save() == 6
    with open_gradebook(course.paths.db_url, course.options.course_id) as gb:
        grade = gb.find_grade(CELL, ASSIGNMENT, ASSIGNMENT, trainee)
        assert grade.manual_score == 6 and not grade.needs_manual_grade
    saved = manual.recorded(course.paths, ASSIGNMENT, trainee, CELL)
    assert saved is not None and saved.grader == course.supervisor.person_id
    # who graded, by name and id, at China's time (not an id and a UTC timestamp)
    who = f"{course.supervisor.display_name}（编号 {course.supervisor.person_id}）"
    china = dt.datetime.fromisoformat(saved.graded_at) + dt.timedelta(hours=8)
    assert panel.graded_by.value == f"评分人：{who}，时间：{china:%Y-%m-%d %H:%M}"
    after = app.assignment.options[0][0]
    count = re.compile(r"(\d+) 份书面作答待评分")
    assert int(count.search(after)[1]) == int(count.search(before)[1]) - 1  # type: ignore[index]
    assert app.assignment.value == ASSIGNMENT and app.panel is panel  # still on the same page


def test_next_ungraded_keeps_the_open_trainee_shown_in_the_list(course: Course) -> None:
    """After 下一份未评, does the 学员 list show whose answer is open (not a blank)?"""
    app = page(course, course.supervisor.person_id, assignment=ASSIGNMENT)
    panel = app.panel
    assert panel.next_ungraded()
    assert panel.student in course.trainees
    assert panel.trainee_box.value == panel.student
    shown = dict((v, k) for k, v in panel.trainee_box.options)[panel.trainee_box.value]
    assert shown == f"{course.names[panel.student]}（编号 {panel.student}）"


@pytest.mark.slow
def test_a_supervisor_of_another_agency_sees_and_grades_none_of_these_answers(
    course: Course,
) -> None:
    """Is the page of a supervisor of another agency empty of these trainees (no names, no
    counts), and are opening and saving one of their answers refused by the panel itself?"""
    app = page(course, course.other_supervisor.person_id)
    names = [course.names[t] for t in course.trainees]
    readable = " ".join(texts(app))
    assert not any(name in readable for name in names)
    assert not any(t in readable for t in course.trainees)
    assert app.panel is None  # nothing of theirs to grade: the panel is not even built
    mine = page(course, course.supervisor.person_id)
    panel = RubricPanel(
        course.settings,
        ASSIGNMENT,
        grader=course.other_supervisor.person_id,
        options=course.options,
        trainees=app.trainees,
        grader_fixed=True,
    )
    assert panel.trainee_box.options == ()
    with pytest.raises(ShegongError) as refused:
        panel.show_answer(course.trainees[0], CELL)
    assert "不属于你所在的督导机构" in refused.value.message("zh")
    panel.student, panel.cell = course.trainees[0], CELL  # set as a page visitor could
    with pytest.raises(ShegongError):
        panel.save()
    assert manual.recorded(course.paths, ASSIGNMENT, course.trainees[0], CELL) is None or (
        manual.recorded(course.paths, ASSIGNMENT, course.trainees[0], CELL).grader  # type: ignore[union-attr]
        != course.other_supervisor.person_id
    )
    assert mine.panel is not None


@pytest.mark.slow
def test_the_grader_box_set_through_the_widget_protocol_is_ignored(course: Course) -> None:
    """A visitor can set a disabled Text's value over the websocket: is the grade still
    recorded under the signed-in supervisor?"""
    app = page(course, course.supervisor.person_id, assignment=ASSIGNMENT)
    panel = app.panel
    trainee = course.trainees[2]
    panel.show_answer(trainee, CELL)
    panel.grader.set_state({"value": course.other_supervisor.person_id})
    for criterion in panel.rubric.for_cell(CELL):
        panel.choose(criterion.id, criterion.levels[0].points)
    panel.save()
    saved = manual.recorded(course.paths, ASSIGNMENT, trainee, CELL)
    assert saved is not None and saved.grader == course.supervisor.person_id


@pytest.mark.slow
def test_a_written_answer_is_shown_as_safe_html(course: Course) -> None:
    """Is the trainee's Markdown rendered, and their raw HTML and script link made harmless?"""
    app = page(course, course.supervisor.person_id)
    app.panel.show_answer(course.trainees[2], CELL)
    shown = app.panel.answer.value
    assert "<strong>每节记录 / Session record:</strong>" in shown
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown and "<img" not in shown
    assert "[详情](javascript:alert(2))" in shown and "<a" not in shown  # text, not a link


@pytest.mark.slow
def test_the_english_page_is_english(course: Course) -> None:
    """Are the title, the list, the panel's controls, rubric and comments all in English?"""
    app = page(course, course.supervisor.person_id, "en")
    panel = app.panel
    panel.show_answer(course.trainees[0], CELL)
    assert "Grading written answers" in app.header.value
    assert not HAN.search(app.header.value.replace(">中文<", ""))  # the switch names Chinese
    assert app.assignment.options[0][0].startswith(masters.find(ASSIGNMENT).title("en"))
    assert panel.next_button.description == "Next ungraded"
    # people's names and the trainee's own answer are as written; everything else is English
    skip = (app.header, app.user_slot, app.grader_note, panel.answer, panel.trainee_box)
    readable = texts(app, skip)
    chinese = [t for t in readable if HAN.search(t)]
    assert chinese == []
    assert any("Facts recorded" in t for t in readable)


@pytest.mark.slow
def test_an_unknown_assignment_is_refused_in_both_languages(course: Course) -> None:
    """Does opening an assignment that is not on the list say which ones are?"""
    app = page(course, course.supervisor.person_id, assignment="nosuch")
    assert app.assignment.value == ASSIGNMENT  # a bad link falls back to the list
    with pytest.raises(ShegongError) as error:
        app.open_assignment("nosuch")
    zh, en = str(error.value).split("\n")
    assert "nosuch" in zh and ASSIGNMENT in zh and HAN.search(zh)
    assert en.startswith("There is no assignment nosuch")


def test_a_trainee_is_refused_with_the_identity_message(tmp_path: Path) -> None:
    """Does a signed-in trainee get the bilingual "this page is for supervisors", and no data?"""
    for lang, expected in (("zh", "本页面供督导使用"), ("en", "this page is for: supervisor")):
        app = RubricGrading(Settings(home=tmp_path), MEMBERS, {}, lang)  # type: ignore[arg-type]
        app.start(query={}, environ={"JUPYTERHUB_USER": "W01"})
        assert "W01" in app.notice.value and expected in app.notice.value
        assert app.body.children == () and app.panel is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_empty_workspace_says_what_to_run(tmp_path: Path, lang: str) -> None:
    """Without a course: no list, no panel, no traceback, but the commands to run?"""
    app = RubricGrading(Settings(home=tmp_path), MEMBERS, {}, lang)  # type: ignore[arg-type]
    app.start(query={"user": "U01"}, environ={})
    assert app.notice.value == "" and app.panel is None
    assert app.chooser.layout.display == "none"
    opening = {"zh": "这个工作区还没有评分课程", "en": "This workspace has no grading course yet"}
    assert opening[lang] in app.empty.value and str(tmp_path) in app.empty.value
    for step in ("shegong grade release", "shegong grade collect", "shegong grade autograde"):
        assert step in app.empty.value
    assert not (tmp_path / "gradebook.db").exists()  # looking made nothing


def test_a_course_with_nothing_autograded_says_so(tmp_path: Path) -> None:
    """A gradebook but no autograded submission: the "nothing to grade yet" message, and the
    collected submission pointed out with its autograde command?"""
    settings = Settings(home=tmp_path)
    paths = CoursePaths.of(settings)
    with open_gradebook(paths.db_url, "shegong"):
        pass  # an empty gradebook, as `shegong grade roster` leaves it
    (paths.step("submitted") / "W01" / ASSIGNMENT).mkdir(parents=True)
    state = course_state(paths, load_options(environ={}), load_assignments())
    assert state.course and state.ready == []
    assert [(info.id, n) for info, n in state.not_autograded] == [(ASSIGNMENT, 1)]
    store = open_store(tmp_path / "records.db")
    app = RubricGrading(settings, MEMBERS, {}, store=store)
    app.start(query={"user": "U02"}, environ={})  # W01 is of U02's agency
    assert "还没有可以评分的书面作答" in app.empty.value
    assert f"shegong grade autograde {ASSIGNMENT}" in app.pending.value
    assert app.panel is None
    store.save_person("system", "W01", "李红", "trainee", station_id="S1", agency_id="A2")
    app.start(query={"user": "U02"}, environ={})  # now of another agency: not pointed out
    assert app.pending.value == ""


def test_the_workspace_grading_options_are_used_and_a_bad_one_is_explained(
    tmp_path: Path,
) -> None:
    """Are the options of the workspace's settings file read (not the notebook folder's), and
    does an unknown one show as a bilingual message on the page instead of a traceback?"""
    (tmp_path / "shegong.toml").write_text("[grade]\nsandbox = true\n", encoding="utf-8")
    for lang in ("zh", "en"):
        app = RubricGrading(Settings(home=tmp_path), MEMBERS, {}, lang)  # type: ignore[arg-type]
        app.start(query={"user": "U01"}, environ={})
        assert "sandbox" in app.notice.value and "sg-banner-error" in app.notice.value
        assert bool(HAN.search(app.notice.value)) is (lang == "zh")
        assert app.panel is None and app.empty.value == ""


def test_answer_html_renders_markdown_and_escapes_html() -> None:
    """Bold, lists and line breaks render; tags, script links and images do not."""
    shown = answer_html("**重点**\n- 一\n- 二\n第一行\n第二行 <script>x()</script>")
    assert "<strong>重点</strong>" in shown and "<li>一</li>" in shown
    assert "第一行<br />" in shown
    assert "&lt;script&gt;" in shown and "<script>" not in shown
    assert "<a" not in answer_html("[x](javascript:alert(1))")
    assert "<img" not in answer_html("![x](http://example.org/t.png)")
    link = answer_html("[资料](https://example.org/a)")
    assert 'href="https://example.org/a"' in link and 'target="_blank"' in link


# --- in Chromium, through the apps server --------------------------------------------------


@pytest.fixture(scope="module")
def server(course: Course) -> Iterator[AppServer]:
    """The apps server on the course workspace, the grading page preheated as it is served."""
    options = ServeOptions(pool_size=0, pool_sizes=(("zh/rubric_grading.ipynb", 1),))
    running = AppServer(course.settings, options, course.settings.home / "voila.log").start()
    try:
        yield running
    finally:
        running.stop()


@pytest.mark.slow
def test_a_supervisor_grades_on_the_served_page(
    course: Course, server: AppServer, browser: Any
) -> None:
    """Open the page as the supervisor, choose the assignment and a trainee, click levels,
    save: is the score in nbgrader's gradebook with the supervisor as grader?"""
    from playwright.sync_api import expect

    rubric = masters.load_assignment_rubric(masters.find(ASSIGNMENT))
    trainee = course.trainees[0]
    context = browser.new_context(viewport={"width": 1200, "height": 1400}, locale="zh-CN")
    external: list[str] = []

    def only_local(route: Any) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    tab = context.new_page()
    tab.set_default_navigation_timeout(WAIT_MS)
    tab.set_default_timeout(WAIT_MS)
    try:
        tab.goto(server.url("zh", "rubric_grading", user=course.supervisor.person_id))
        choose = tab.locator(".sg-assignment select")
        label = choose.locator("option").first.get_attribute("value")
        assert label is not None and label.startswith(masters.find(ASSIGNMENT).title("zh"))
        choose.select_option(label)
        panel = tab.locator(".sg-rubric-panel")
        panel.get_by_text("评语库", exact=True).wait_for()
        panel.locator("select").first.select_option(f"{course.names[trainee]}（编号 {trainee}）")
        tab.locator(".sg-answer").get_by_text("每节记录 / Session record").wait_for()
        chosen = {}
        for criterion, level in zip(rubric.for_cell(CELL), (2, 1, 2), strict=True):
            picked = criterion.level(level)
            name = f"{picked.label.zh} ({picked.points:g})"
            tab.locator(f".sg-criterion-{criterion.id}").get_by_role("button", name=name).click()
            chosen[criterion.id] = float(level)
        panel.get_by_role("button", name="保存评分").click()
        panel.get_by_text("已保存：5 分").wait_for()
        # the list now counts one answer fewer waiting, and still shows this assignment
        count = re.compile(r"(\d+) 份书面作答待评分")
        left = int(count.search(label)[1]) - 1  # type: ignore[index]
        title = re.escape(masters.find(ASSIGNMENT).title("zh"))
        now = re.compile(f"^{title}.*，{left} 份书面作答待评分")
        expect(choose).to_have_value(now, timeout=WAIT_MS)
        # 下一份未评 opens the next answer, and the trainee list shows whose it is
        people = panel.locator("select").first
        panel.get_by_role("button", name="下一份未评").click()
        shown = [f"{course.names[t]}（编号 {t}）" for t in course.trainees]
        expect(people).to_have_value(re.compile("|".join(map(re.escape, shown))))
        expect(people).not_to_have_value("")
    finally:
        context.close()
    assert external == []
    with open_gradebook(course.paths.db_url, course.options.course_id) as gb:
        grade = gb.find_grade(CELL, ASSIGNMENT, ASSIGNMENT, trainee)
        assert grade.manual_score == 5 and not grade.needs_manual_grade
    saved = manual.recorded(course.paths, ASSIGNMENT, trainee, CELL)
    assert saved is not None and saved.grader == course.supervisor.person_id
    assert saved.choices == chosen
