"""Does the station evaluation form save what evaluators enter, and refuse what makes no sense?

Model-level: the widget's controls are set in code as a browser would set them, without one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from records_fixtures import MEMBERS, STATIONS, TODAY, open_store

from shegong.evaluation import load_station_rubric, score_station
from shegong.records import RecordsStore
from shegong.widgets.apps.evaluation_agreement import icc_band
from shegong.widgets.apps.station_evaluation import StationEvaluation
from shegong.widgets.apps.station_form import default_period, periods
from shegong.widgets.apps.station_result import radar_figure
from shegong.widgets.forms.fields import is_hidden

RUBRIC = load_station_rubric()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RecordsStore]:
    with open_store(tmp_path / "records.db") as records:
        yield records


def evaluation(store: RecordsStore, user: str, lang: str = "zh", **query: str) -> StationEvaluation:
    app = StationEvaluation(store, RUBRIC, STATIONS, MEMBERS, lang)  # type: ignore[arg-type]
    return app.start(query={"user": user, **query}, environ={})  # type: ignore[return-value]


def fill(app: StationEvaluation, level: int = 3, evidence: str = "查阅了服务台账") -> None:
    app.visited.value = dt.date(2025, 6, 10)
    for row in app.rows.values():
        row.level.value = level
        row.evidence.value = evidence


def saved(store: RecordsStore, evaluator: str) -> list[str]:
    frame = store.station_evaluations()
    return list(frame.loc[frame["evaluator_id"] == evaluator, "status"])


def test_only_township_stations_are_offered_and_nothing_shows_before_one_is_chosen(
    store: RecordsStore,
) -> None:
    """Does the evaluator first see just the station and round pickers?"""
    app = evaluation(store, "e02")
    offered = [value for _label, value in app.station.options if value]
    assert offered == ["S2", "S3", "S1"] or sorted(offered) == ["S1", "S2", "S3"]
    assert "R1" not in offered
    assert not app.form_built  # nothing of the form exists, so none of it is sent
    assert not is_hidden(app.chooser_hint)
    app.station.value = "S1"
    assert app.form_built and app.details.layout.display is None
    assert is_hidden(app.chooser_hint)


def test_a_future_visit_date_shows_its_message_and_saves_nothing(store: RecordsStore) -> None:
    """Is a visit dated tomorrow refused under its field, with nothing written?"""
    app = evaluation(store, "e02", station="S1")
    app.visited.value = TODAY + dt.timedelta(days=1)
    assert "不能晚于今天" in app.form.fields["visited_on"].error
    assert "未保存" in app.status.value
    assert saved(store, "e02") == []


def test_every_change_is_autosaved_and_comes_back_when_the_page_is_opened_again(
    store: RecordsStore,
) -> None:
    """Does a half-filled evaluation reopen as it was left, on the same station?"""
    app = evaluation(store, "e02", station="S2")
    app.visited.value = dt.date(2025, 6, 1)
    app.rows["in_venue"].level.value = 4
    app.rows["in_venue"].evidence.value = "场地独立，制度上墙"
    app.vetoes.boxes["falsified_records"].value = True
    assert "已自动保存" in app.status.value
    assert saved(store, "e02") == ["draft"]

    again = evaluation(store, "e02")  # no ?station=: the latest draft opens
    assert again.station.value == "S2"
    assert again.visited.value == dt.date(2025, 6, 1)
    assert again.rows["in_venue"].level.value == 4
    assert again.rows["in_venue"].evidence.value == "场地独立，制度上墙"
    assert again.vetoes.boxes["falsified_records"].value is True
    assert "草稿" in again.status.value


def test_submitting_an_incomplete_form_lists_every_problem_at_once(store: RecordsStore) -> None:
    """Are the missing date, each unrated indicator and a veto without a note all marked?"""
    app = evaluation(store, "e02", station="S1")
    app.rows["in_venue"].level.value = 3
    app.vetoes.boxes["misuse_of_funds"].value = True
    assert app.submit() is None
    errors = app.form.errors
    assert "visited_on" in errors
    assert errors["veto_misuse_of_funds"] == "已勾选一票否决项，请写明发现的情况。"
    assert sum(1 for k in errors if k.startswith("ind_")) == len(RUBRIC.indicators) - 1
    assert "ind_in_venue" not in errors
    assert "有" in app.form.banner.value and "处需要改正" in app.form.banner.value
    assert saved(store, "e02") == ["draft"]


def test_a_note_on_an_unticked_veto_is_questioned(store: RecordsStore) -> None:
    """Is a veto note without the tick treated as a mistake rather than silently dropped?"""
    app = evaluation(store, "e02", lang="en", station="S1")
    app.vetoes.notes["ethics_breach"].value = "worker shared a client's file"
    assert "not ticked" in app.form.fields["veto_ethics_breach"].error


def test_submit_scores_grades_locks_and_draws_the_radar(store: RecordsStore) -> None:
    """Does a complete evaluation get its weighted total, grade, chart, and become read-only?"""
    app = evaluation(store, "e02", station="S1")
    fill(app, level=3)
    score = app.submit()
    expected = score_station(RUBRIC, {i.id: 3 for i in RUBRIC.indicators})
    assert score is not None and score.total == expected.total == 73.25
    assert score.grade.id == "pass"
    assert saved(store, "e02") == ["submitted"]
    assert all(row.level.disabled for row in app.rows.values())
    assert app.submit_button.layout.display == "none"
    assert "总分：73.25 / 100" in app.result.children[0].value
    assert "评估已提交" in app.status.value
    reopened = evaluation(store, "e02", station="S1")
    assert reopened.visited.disabled and "不能再修改" in reopened.status.value


def test_a_veto_makes_the_grade_fail_whatever_the_score(store: RecordsStore) -> None:
    """Does a confirmed veto item turn a full score into 不合格?"""
    app = evaluation(store, "e02", station="S3")
    fill(app, level=4)
    app.vetoes.boxes["falsified_records"].value = True
    app.vetoes.notes["falsified_records"].value = "2025 年 3 月台账有补录"
    score = app.submit()
    assert score is not None and score.total == 100 and score.grade.id == "fail"
    assert "一票否决" in app.result.children[0].value


def test_two_evaluators_get_agreement_and_the_lead_moderates(store: RecordsStore) -> None:
    """Do two submitted evaluations show ICC and kappa, and only the lead set the final score?"""
    first = evaluation(store, "e02", station="S1")
    fill(first, level=3)
    first.rows["in_venue"].level.value = 1
    assert first.submit() is not None
    assert "1 份评估" in first.agreement.children[1].value
    second = evaluation(store, "e03", station="S1")
    fill(second, level=3)
    second.rows["in_staffing"].level.value = 4
    assert second.submit() is not None
    text = "".join(getattr(c, "value", "") for c in second.agreement.children)
    assert "ICC(2,1)" in text and "加权 Kappa" in text
    assert "场地、标识与制度上墙" in text  # 1 vs 3: two levels apart
    assert "等待评估组长审定" in text

    lead = evaluation(store, "e01", station="S1")
    lead.agreement.final_total.value = "一百"
    lead.agreement.final_reason.value = ""
    assert lead.agreement.moderate() is None
    assert set(lead.agreement.moderation_form.errors) == {"final_total", "reason"}
    lead.agreement.final_total.value = "101"
    lead.agreement.final_reason.value = "两位评估员的分歧在场地一项，已现场复核"
    assert lead.agreement.moderate() is None
    assert "0 到 100" in lead.agreement.moderation_form.errors["final_total"]
    lead.agreement.final_total.value = "74.5"
    assert lead.agreement.moderate() is not None
    results = store.station_results()
    assert results.loc[0, "final_total"] == 74.5 and results.loc[0, "final_grade"] == "pass"
    assert "审定的最终得分：74.5" in "".join(
        getattr(c, "value", "") for c in lead.agreement.children
    )


def test_the_english_page_reads_english(store: RecordsStore) -> None:
    """Is every label of the English page in English, and its switch pointing to Chinese?"""
    app = evaluation(store, "e02", lang="en", station="S1")
    assert "Station evaluation" in app.header.value
    assert "../zh/station_evaluation.ipynb?" in app.header.value and "user=e02" in app.header.value
    assert app.period.options[0][0].endswith("mid-term evaluation")
    assert "Score so far" in app.score_line.value


def test_a_trainee_cannot_open_the_evaluation_page_on_a_hub(store: RecordsStore) -> None:
    """Does a hub user who is not an evaluator get a clear message and no form?"""
    app = StationEvaluation(store, RUBRIC, STATIONS, MEMBERS, "zh")  # type: ignore[arg-type]
    app.start(query={}, environ={"JUPYTERHUB_USER": "W01"})
    assert "本页面供评估员使用" in app.notice.value
    assert app.body.children == ()


def test_helpers_for_rounds_bands_and_chart() -> None:
    """Are rounds, ICC bands and the radar chart what the page shows?"""
    assert default_period(dt.date(2025, 3, 1)) == "2025-mid"
    assert default_period(dt.date(2025, 9, 1)) == "2025-final"
    assert [v for _l, v in periods(dt.date(2025, 3, 1), "zh")][:2] == ["2025-mid", "2025-final"]
    assert icc_band(0.95) == "excellent" and icc_band(0.3) == "poor"
    assert icc_band(float("nan")) == "na"
    score = score_station(RUBRIC, {i.id: 4 for i in RUBRIC.indicators})
    fig = radar_figure(score, "zh")
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels[0] == "投入（能力建设）"
