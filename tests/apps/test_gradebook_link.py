"""Do the competency assessment and the programme overview show the gradebook's results,
without ever creating or changing a gradebook, and say so when one cannot be read?"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from records_fixtures import COUNTIES, MEMBERS, STATIONS, open_store

from shegong.evaluation import load_competency_rubric, load_station_rubric
from shegong.grading import status
from shegong.grading.config import CoursePaths
from shegong.grading.gradebook import open_gradebook
from shegong.grading.model import Status
from shegong.messages import Lang
from shegong.records import RecordsStore
from shegong.settings import Settings
from shegong.widgets.apps.competency_form import CompetencyForm
from shegong.widgets.apps.gradebook_link import assignment_results, roster_places
from shegong.widgets.apps.programme_overview import ProgrammeOverview

RUBRIC = load_competency_rubric()
COURSE = "shegong"
# (trainee, assignment): {cell: (score, needs a manual grade)}. W01: 9/10 and 5/10;
# W02: 4/10 with the essay not yet graded; W03 enrolled, nothing submitted; W99 is graded
# but not in the apps' roster.
GRADES = {
    ("W01", "data-basics"): {"q1": (6.0, False), "essay": (3.0, False)},
    ("W01", "casework"): {"plan": (5.0, False)},
    ("W02", "data-basics"): {"q1": (4.0, False), "essay": (None, True)},
    ("W99", "data-basics"): {"q1": (6.0, False), "essay": (4.0, False)},
}
CELLS = {
    "data-basics": (("q1", 6.0, "code"), ("essay", 4.0, "markdown")),
    "casework": (("plan", 10.0, "code"),),
}


def write_gradebook(home: Path) -> Path:
    """A small gradebook made through nbgrader's own API, plus one recorded status."""
    paths = CoursePaths.of(Settings(home=home))
    paths.workspace.ensure()
    with open_gradebook(paths.db_url, COURSE) as gb:
        for assignment, cells in CELLS.items():
            gb.add_assignment(assignment)
            gb.add_notebook(assignment, assignment)
            for name, points, kind in cells:
                gb.add_grade_cell(name, assignment, assignment, max_score=points, cell_type=kind)
        for trainee in ("W01", "W02", "W03", "W99"):
            gb.add_student(trainee, last_name=trainee, first_name="")
        for (trainee, assignment), scores in GRADES.items():
            gb.add_submission(assignment, trainee)
            for cell, (score, manual) in scores.items():
                grade = gb.find_grade(cell, assignment, assignment, trainee)
                kind = dict((n, k) for n, _p, k in CELLS[assignment])[cell]
                if kind == "markdown":
                    grade.manual_score = score
                else:
                    grade.auto_score = score
                grade.needs_manual_grade = manual
            gb.db.commit()
    status.record(paths, "casework", "W01", Status.TIMED_OUT)
    return paths.gradebook


@pytest.fixture(scope="module")
def graded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("graded")
    write_gradebook(home)
    return home


@pytest.fixture
def graded(graded_template: Path, tmp_path: Path) -> Path:
    """A workspace of this test with the gradebook above."""
    home = tmp_path / "graded"
    shutil.copytree(graded_template, home)
    return home


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RecordsStore]:
    with open_store(tmp_path / "records.db") as records:
        yield records


def assessment(store: RecordsStore, home: Path, lang: Lang, trainee: str) -> CompetencyForm:
    app = CompetencyForm(
        store,
        RUBRIC,
        STATIONS,
        MEMBERS,  # type: ignore[arg-type]
        lang,
        settings=Settings(home=home),
    )
    app.start(query={"user": "U01", "trainee": trainee}, environ={})
    return app


def overview(store: RecordsStore, home: Path, lang: Lang) -> ProgrammeOverview:
    app = ProgrammeOverview(
        store,
        load_station_rubric(),
        RUBRIC,
        STATIONS,
        COUNTIES,
        MEMBERS,  # type: ignore[arg-type]
        home,
        lang,
    )
    app.start(query={"user": "m01"}, environ={})
    return app


def shown(widget: object) -> str:
    """The HTML of a section's children, joined."""
    return "".join(getattr(c, "value", "") for c in widget.children)  # type: ignore[attr-defined]


# What W01's section says in each language: its title, and pieces of the table and note.
W01_SCORES = {
    "zh": (
        "作业成绩（已评分 2 项）",
        ["作业一 县级服务汇总表与图表", "得分率", "已评分（有单元格超时）", "能力评级的依据"],
    ),
    "en": (
        "Assignment scores (2 graded)",
        [
            "Assignment 1: A county summary table",
            "Percent",
            "graded (a cell timed out)",
            "evidence for the competency rating",
        ],
    ),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_opened_trainee_shows_their_assignment_scores(
    store: RecordsStore, graded: Path, lang: Lang
) -> None:
    """Does opening W01 list both graded assignments with score / max, percent and status?"""
    title, expected = W01_SCORES[lang]
    app = assessment(store, graded, lang, "W01")
    section = app.scores
    assert section is not None and section.layout.display is None
    assert section.get_title(0) == title
    page = shown(section.content)
    for piece in ["9 / 10", "90.0%", "5 / 10", "50.0%", *expected]:
        assert piece in page, piece
    assert page.index("9 / 10") < page.index("5 / 10")  # course order: data-basics first


def test_answers_waiting_for_rubric_grading_are_counted(store: RecordsStore, graded: Path) -> None:
    """Does an essay not yet graded show as waiting, with the percent of what is graded?"""
    app = assessment(store, graded, "zh", "W02")
    assert app.scores is not None
    row = app.scores.results.iloc[0]
    assert (row["score"], row["max_score"], row["percent"], row["waiting"]) == (4, 10, 40.0, 1)
    assert "自动评分完成，书面作答待评" in shown(app.scores.content)


@pytest.mark.parametrize(
    ("lang", "empty"),
    [("zh", "该学员还没有已评分的作业。"), ("en", "This trainee has no graded assignment yet.")],
)
def test_a_trainee_without_graded_work_sees_the_empty_state(
    store: RecordsStore, graded: Path, lang: Lang, empty: str
) -> None:
    """Does W03 (enrolled, nothing submitted) get the empty-state line and no table?"""
    app = assessment(store, graded, lang, "W03")
    assert app.scores is not None
    page = shown(app.scores.content)
    assert page == empty
    assert "<table" not in page


def test_choosing_another_trainee_replaces_the_scores(store: RecordsStore, graded: Path) -> None:
    """After W01, does picking W03 drop W01's scores, and no trainee hide the section?"""
    app = assessment(store, graded, "zh", "W01")
    assert app.scores is not None
    app.trainee.value = "W03"
    assert "9 / 10" not in shown(app.scores.content)
    app.trainee.value = ""
    assert app.scores.layout.display == "none"


def test_the_overview_shows_and_exports_results_by_station(
    store: RecordsStore, graded: Path
) -> None:
    """Does the station row hold its trainees' mean and median percent, also in Excel?"""
    app = overview(store, graded, "zh")
    table = app.tables()["作业成绩"]
    station = table.set_index("站点").loc["新井乡社会工作服务站"]
    # W01: 90 % (graded) and 50 % (timed out: not a trustworthy score), W02: 40 % with its
    # essay waiting -> only W01's 90 % is fully graded: mean 90, median 90; one essay waits.
    assert station["县（市、区）"] == "白台县"
    assert (station["已评分学员"], station["平均得分率（%）"], station["得分率中位数（%）"]) == (
        2,
        90.0,
        90.0,
    )
    assert station["待量规评分的书面作答"] == 1
    assert len(table) == 2  # S1, and W99 who is not in the roster (no station)
    assert "各站点作业成绩" in shown(app.content) and "新井乡社会工作服务站" in shown(app.content)

    book = load_workbook(app.export(), read_only=True)
    assert book.sheetnames[-1] == "作业成绩"
    rows = list(book["作业成绩"].iter_rows(values_only=True))
    assert rows[0][:4] == ("县（市、区）", "站点", "已评分学员", "平均得分率（%）")
    assert ("白台县", "新井乡社会工作服务站", 2, 90, 90, 1) in rows


def test_the_overview_in_english_names_its_columns_in_english(
    store: RecordsStore, graded: Path
) -> None:
    """Are the sheet and its columns English on the English page?"""
    table = overview(store, graded, "en").tables()["Assignment results"]
    assert list(table.columns) == [
        "County",
        "Station",
        "Trainees graded",
        "Mean percent",
        "Median percent",
        "Written answers awaiting rubric grading",
    ]


def test_without_a_gradebook_both_apps_say_nothing_is_graded_and_create_none(
    store: RecordsStore, tmp_path: Path
) -> None:
    """With no gradebook yet: empty states, and still no gradebook (or grading.db) after."""
    home = tmp_path / "fresh"
    paths = CoursePaths.of(Settings(home=home))
    app = assessment(store, home, "zh", "W01")
    assert app.scores is not None
    assert shown(app.scores.content) == "该学员还没有已评分的作业。"
    assert app.scores.get_title(0) == "作业成绩（已评分 0 项）"
    manager = overview(store, home, "en")
    assert manager.tables()["Assignment results"].empty
    assert "No assignment has been graded yet." in shown(manager.content)
    assert not paths.gradebook.exists() and not paths.grading_db.exists()


def test_reading_leaves_the_gradebook_unchanged(graded: Path) -> None:
    """Is the gradebook byte for byte the same after the apps read it?"""
    gradebook = CoursePaths.of(Settings(home=graded)).gradebook
    before = gradebook.read_bytes()
    places = roster_places(MEMBERS, STATIONS, {"C1": "白台县"})
    results = assignment_results(Settings(home=graded), ["W01", "W03"], places=places)
    assert list(results["assignment"]) == ["data-basics", "casework"]
    assert set(results["station_name"]) == {"新井乡社会工作服务站"}
    assert gradebook.read_bytes() == before


@pytest.mark.parametrize(
    ("lang", "message"),
    [("zh", "无法读取成绩册"), ("en", "The gradebook")],
)
def test_a_corrupt_gradebook_is_a_message_and_the_apps_go_on(
    store: RecordsStore, tmp_path: Path, lang: Lang, message: str
) -> None:
    """Does a damaged gradebook give the message on the page while the rest still works?"""
    home = tmp_path / "damaged"
    gradebook = CoursePaths.of(Settings(home=home)).gradebook
    gradebook.parent.mkdir(parents=True)
    gradebook.write_bytes(b"\x00not a database\xff" * 64)
    app = assessment(store, home, lang, "W01")
    assert app.scores is not None
    page = shown(app.scores.content)
    assert message in page and str(gradebook) in page and "sg-banner-error" in page
    assert app.details.layout.display is None  # the form can still be filled
    app.rows["c1_ethics"].level.value = 3
    assert app.autosave()

    manager = overview(store, home, lang)
    assert message in shown(manager.content)
    assert len(load_workbook(manager.export(), read_only=True).sheetnames) == 5
