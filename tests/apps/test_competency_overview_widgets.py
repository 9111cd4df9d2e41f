"""Do the competency assessment and the programme overview show what was saved, and export it?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from records_fixtures import COUNTIES, MEMBERS, STATIONS, TODAY, open_store

from shegong.evaluation import load_competency_rubric, load_station_rubric
from shegong.records import RecordsStore
from shegong.widgets.apps.competency_form import CompetencyForm
from shegong.widgets.apps.programme_overview import ProgrammeOverview
from shegong.widgets.apps.station_evaluation import StationEvaluation

RUBRIC = load_competency_rubric()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RecordsStore]:
    with open_store(tmp_path / "records.db") as records:
        yield records


def assessment(store: RecordsStore, user: str, lang: str = "zh", **query: str) -> CompetencyForm:
    app = CompetencyForm(store, RUBRIC, STATIONS, MEMBERS, lang)  # type: ignore[arg-type]
    return app.start(query={"user": user, **query}, environ={})  # type: ignore[return-value]


def rate(app: CompetencyForm, level: int, on: dt.date) -> None:
    app.assessed.value = on
    for row in app.rows.values():
        row.level.value = level
        row.evidence.value = "督导中观察到的实务表现"


def test_only_supervisors_and_evaluators_are_offered_as_assessors(store: RecordsStore) -> None:
    """Does the demo picker list supervisors and evaluators, not trainees or managers?"""
    app = assessment(store, "U01")
    assert set(app.user_bar.candidates) == {"e01", "e02", "e03", "U01", "U02"}


def test_evidence_is_required_for_every_rating(store: RecordsStore) -> None:
    """Does submit mark each competency lacking a level or its evidence?"""
    app = assessment(store, "U01", trainee="W01")
    app.rows["c1_ethics"].level.value = 3
    assert app.submit() is None
    assert app.form.errors["comp_c1_ethics"] == "请写明评级的依据。"
    assert app.form.errors["comp_c2_justice"] == "请选择一个等级。"
    assert store.latest_assessment_draft("W01", "U01") is not None  # the level was autosaved


def test_a_draft_reopens_and_the_self_rating_is_kept(store: RecordsStore) -> None:
    """Does the assessor's draft come back with levels, evidence and self-ratings?"""
    app = assessment(store, "U01", trainee="W01")
    app.rows["c6_engage"].level.value = 2
    app.rows["c6_engage"].self_level.value = 4
    app.rows["c6_engage"].evidence.value = "入户时能建立关系"
    again = assessment(store, "U01", trainee="W01")
    row = again.rows["c6_engage"]
    assert (row.level.value, row.self_level.value, row.evidence.value) == (2, 4, "入户时能建立关系")
    other = assessment(store, "U02", trainee="W01")  # another assessor starts their own
    assert other.rows["c6_engage"].level.value is None


def test_the_profile_shows_change_over_time(store: RecordsStore) -> None:
    """After two assessments, does the profile show first, latest and the change?"""
    first = assessment(store, "U01", trainee="W01")
    rate(first, 2, dt.date(2025, 1, 20))
    assert first.submit() is not None
    assert first.assessed.disabled
    second = assessment(store, "U01", trainee="W01")
    assert second.rows["c1_ethics"].level.value is None  # a new assessment
    rate(second, 4, TODAY)
    assert second.submit() is not None
    profile = second.show_profile("W01")
    assert list(profile["change"].unique()) == [2]
    table = second.profile.children[-1].value
    assert "+2" in table and "已提交 2 次评估" in second.profile_box.get_title(0)
    assert second.profile_box.selected_index == 0  # opened after submitting


def test_a_future_assessment_date_is_refused(store: RecordsStore) -> None:
    """Is an assessment dated tomorrow refused with nothing saved?"""
    app = assessment(store, "e02", lang="en", trainee="W03")
    app.assessed.value = TODAY + dt.timedelta(days=3)
    assert "after today" in app.form.fields["assessed_on"].error
    assert store.latest_assessment_draft("W03", "e02") is None


def test_the_overview_counts_grades_by_county_and_exports_them(
    store: RecordsStore, tmp_path: Path
) -> None:
    """Does the manager see each county's evaluated stations and grades, and get an Excel file?"""
    station_rubric = load_station_rubric()
    for station, level in (("S1", 4), ("S3", 2)):
        app = StationEvaluation(store, station_rubric, STATIONS, MEMBERS, "zh")  # type: ignore[arg-type]
        app.start(query={"user": "e02", "station": station}, environ={})
        app.visited.value = dt.date(2025, 6, 1)
        for row in app.rows.values():
            row.level.value = level
        assert app.submit() is not None
    comp = assessment(store, "U01", trainee="W01")
    rate(comp, 3, TODAY)
    assert comp.submit()

    overview = ProgrammeOverview(
        store,
        station_rubric,
        RUBRIC,
        STATIONS,  # type: ignore[arg-type]
        COUNTIES,
        MEMBERS,
        tmp_path,
        "zh",
    ).start(query={"user": "m01"}, environ={})
    tables = overview.tables()  # type: ignore[attr-defined]
    counties = tables["县区汇总"].set_index("县（市、区）")
    assert counties.loc["白台县", "乡镇社工站"] == 2 and counties.loc["白台县", "优秀"] == 1
    assert counties.loc["金山县", "已评估"] == 1 and counties.loc["金山县", "不合格"] == 1
    assert set(tables["站点结果"]["等级"]) == {"优秀", "不合格"}
    assert tables["督导时长"]["学员"].tolist() == ["李红", "赵明", "孙丽"]
    assert tables["能力达成"]["达到预期人数"].tolist() == [1] * len(RUBRIC.competencies)

    path = overview.export()  # type: ignore[attr-defined]
    assert path.parent == tmp_path / "exports"
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["县区汇总", "站点结果", "督导时长", "能力达成", "作业成绩"]
    assert "data:application/vnd.openxmlformats" in overview.download.value  # type: ignore[attr-defined]


def test_the_overview_is_for_managers(store: RecordsStore, tmp_path: Path) -> None:
    """Does a supervisor signed in on a hub get a message instead of the overview?"""
    overview = ProgrammeOverview(
        store,
        load_station_rubric(),
        RUBRIC,
        STATIONS,
        COUNTIES,
        MEMBERS,
        tmp_path,
        "en",  # type: ignore[arg-type]
    )
    overview.start(query={}, environ={"JUPYTERHUB_USER": "U01"})
    assert "this page is for: manager" in overview.notice.value
