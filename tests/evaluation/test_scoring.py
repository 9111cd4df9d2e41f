"""Are station scores, grades, vetoes and competency profiles what a hand calculation gives?"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from shegong.evaluation import (
    ScoringError,
    StationRubric,
    cohort_expectation,
    competency_profile,
    competency_timeline,
    grade_for,
    load_competency_rubric,
    load_station_rubric,
    minimums_missed,
    score_station,
)


def _t(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def _levels(**shares: float) -> dict[int, dict[str, Any]]:
    levels: dict[int, dict[str, Any]] = {n: _t(f"第 {n} 级", f"level {n}") for n in (4, 3, 2, 1)}
    for key, share in shares.items():
        levels[int(key[1:])]["share"] = share
    return levels


MINI: dict[str, Any] = {
    "id": "mini",
    "version": "1",
    "title": _t("小量表", "mini rubric"),
    "scale": [
        {"level": 4, "share": 1.0, **_t("完全达到", "fully met")},
        {"level": 3, "share": 0.75, **_t("基本达到", "largely met")},
        {"level": 2, "share": 0.5, **_t("部分达到", "partly met")},
        {"level": 1, "share": 0.0, **_t("未达到", "not met")},
    ],
    "tags": {"professionalisation": _t("专业化", "professionalisation")},
    "dimensions": [
        {
            "id": "inputs",
            "name": _t("投入", "Inputs"),
            "weight": 40,
            "indicators": [
                {"id": "a", "name": _t("甲", "A"), "points": 30, "tags": ["professionalisation"],
                 "evidence": _t("台账", "ledger"), "levels": _levels()},
                {"id": "b", "name": _t("乙", "B"), "points": 10,
                 "evidence": _t("档案", "files"), "levels": _levels()},
            ],
        },
        {
            "id": "outputs",
            "name": _t("产出", "Outputs"),
            "weight": 60,
            "indicators": [
                {"id": "c", "name": _t("丙", "C"), "points": 60,
                 "evidence": _t("访谈", "interviews"), "levels": _levels(l3=0.5, l2=0.25, l1=0.0)},
            ],
        },
    ],
    "vetoes": [
        {"id": "falsified_records", "name": _t("台账造假", "falsified records"),
         "description": _t("编造记录", "invented records")},
    ],
    "grades": [
        {"id": "excellent", "min": 90, **_t("优秀", "excellent")},
        {"id": "good", "min": 80, **_t("良好", "good")},
        {"id": "pass", "min": 70, **_t("合格", "pass")},
        {"id": "basic_pass", "min": 60, **_t("基本合格", "basic pass")},
        {"id": "fail", "min": 0, **_t("不合格", "fail")},
    ],
    "veto_grade": "fail",
}  # fmt: skip


@pytest.fixture
def mini(tmp_path: Path) -> StationRubric:
    path = tmp_path / "mini.yml"
    path.write_text(yaml.safe_dump(MINI, allow_unicode=True), encoding="utf-8")
    return load_station_rubric(path)


def test_weighted_total_by_hand(mini: StationRubric) -> None:
    """Does a=4, b=3, c=3 give 30 + 7.5 + 30 = 67.5, 基本合格?"""
    # a: 30 points x share(4) 1.00 = 30.0
    # b: 10 points x share(3) 0.75 =  7.5
    # c: 60 points x share(3) 0.50 = 30.0   (c overrides the scale: 1, 0.5, 0.25, 0)
    score = score_station(mini, {"a": 4, "b": 3, "c": 3})
    assert score.total == 67.5
    assert score.grade.id == "basic_pass" and score.grade.label.zh == "基本合格"
    assert not score.vetoed and score.complete
    assert [(s.indicator_id, s.points) for s in score.indicators] == [
        ("a", 30.0), ("b", 7.5), ("c", 30.0),
    ]  # fmt: skip


def test_dimension_table_is_radar_ready(mini: StationRubric) -> None:
    """Is there one row per dimension with its percentage of the weight, labelled per language?"""
    table = score_station(mini, {"a": 4, "b": 3, "c": 3}).dimension_table("en")
    assert list(table.columns) == ["dimension_id", "label", "points", "max_points", "percent"]
    assert table.to_dict("records") == [
        # inputs: (30 + 7.5) / 40 = 93.75 %; outputs: 30 / 60 = 50 %
        {"dimension_id": "inputs", "label": "Inputs", "points": 37.5, "max_points": 40.0,
         "percent": 93.75},
        {"dimension_id": "outputs", "label": "Outputs", "points": 30.0, "max_points": 60.0,
         "percent": 50.0},
    ]  # fmt: skip
    assert list(score_station(mini, {"a": 1, "b": 1, "c": 1}).dimension_table()["label"]) == [
        "投入", "产出",
    ]  # fmt: skip


def test_a_veto_fails_the_station_whatever_the_score(mini: StationRubric) -> None:
    """Does falsified records turn a perfect 100 into 不合格, keeping the points visible?"""
    score = score_station(mini, {"a": 4, "b": 4, "c": 4}, ["falsified_records"])
    assert score.total == 100.0
    assert score.grade.id == "fail" and score.vetoed and score.vetoes == ("falsified_records",)


def test_missing_indicators_are_named_on_submit(mini: StationRubric) -> None:
    """Does scoring a form with gaps name the gaps, unless asked for a running total?"""
    with pytest.raises(ScoringError) as caught:
        score_station(mini, {"a": 4, "c": None})
    assert caught.value.values["items"] == "b, c"
    assert "还有 2 项指标没有评分：b, c" in str(caught.value)
    running = score_station(mini, {"a": 4}, allow_missing=True)
    assert running.total == 30.0 and running.missing == ("b", "c") and not running.complete


@pytest.mark.parametrize(
    ("ratings", "vetoes", "msg_id"),
    [
        ({"a": 5}, [], "error.evaluation_bad_level"),
        ({"a": True}, [], "error.evaluation_bad_level"),
        ({"z": 4}, [], "error.evaluation_unknown_indicator"),
        ({"a": 4}, ["bribery"], "error.evaluation_unknown_veto"),
    ],
)
def test_ratings_the_rubric_does_not_know_are_refused(
    mini: StationRubric, ratings: dict[str, Any], vetoes: list[str], msg_id: str
) -> None:
    """Are a level 5 on a 4-level scale, True, an unknown indicator or veto refused?"""
    with pytest.raises(ScoringError) as caught:
        score_station(mini, ratings, vetoes, allow_missing=True)
    assert caught.value.msg_id == msg_id


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (100, "excellent"),
        (90, "excellent"),
        (89.995, "excellent"),  # rounds half up to 90.00 before banding
        (59.995, "basic_pass"),  # ... and so does 59.995 (Python's round() gives 59.99)
        (89.99, "good"),
        (80, "good"),
        (79.99, "pass"),
        (70, "pass"),
        (69.99, "basic_pass"),
        (60, "basic_pass"),
        (59.99, "fail"),
        (0, "fail"),
    ],
)
def test_grade_bands_at_their_edges(total: float, grade: str) -> None:
    """Is each band's lower edge inside it and the point below it in the next band down?"""
    assert grade_for(load_station_rubric(), total).id == grade


def test_bands_are_configurable_in_the_yaml(tmp_path: Path) -> None:
    """With 75 as the pass mark in the file, does 74 fail and 75 pass?"""
    data = dict(MINI)
    data["grades"] = [
        {"id": "pass", "min": 75, **_t("合格", "pass")},
        {"id": "fail", "min": 0, **_t("不合格", "fail")},
    ]
    path = tmp_path / "strict.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rubric = load_station_rubric(path)
    assert grade_for(rubric, 74.99).id == "fail" and grade_for(rubric, 75).id == "pass"


def test_real_rubric_all_largely_met() -> None:
    """With every indicator at level 3 on the shipped rubric, is the total the hand sum?"""
    rubric = load_station_rubric()
    # Quality indicators earn 0.75 of their points; the six output-ratio indicators (21
    # points in all) earn 0.6667: 0.75 x (100 - 21) + 0.6667 x 21 = 59.25 + 14.0007.
    score = score_station(rubric, {i.id: 3 for i in rubric.indicators})
    assert score.total == 73.25 and score.grade.id == "pass"


# --- competency profile ----------------------------------------------------------------


def _history(rows: list[tuple[str, str, str, int, int | None]]) -> pd.DataFrame:
    """Rows of (trainee, date, competency, level, self level) as the store returns them."""
    frame = pd.DataFrame(
        [
            {"assessment_id": f"{t}-{d}", "trainee_id": t, "assessor_id": "sup",
             "assessed_on": dt.date.fromisoformat(d),
             "submitted_at": dt.datetime.fromisoformat(f"{d}T10:00:00+00:00"),
             "competency_id": c, "level": lv, "self_level": sl}
            for t, d, c, lv, sl in rows
        ]
    )  # fmt: skip
    frame["level"] = frame["level"].astype("Int64")
    frame["self_level"] = frame["self_level"].astype("Int64")
    return frame


def test_profile_shows_latest_level_and_change_over_time() -> None:
    """Does the profile give latest, first and previous levels, and their differences?"""
    history = _history(
        [
            ("t1", "2025-01-10", "c1_ethics", 2, None),
            ("t1", "2025-01-10", "c2_justice", 3, None),
            ("t1", "2025-04-10", "c1_ethics", 3, None),
            ("t1", "2025-04-10", "c2_justice", 3, None),
            ("t1", "2025-06-10", "c1_ethics", 4, 3),
            ("t1", "2025-06-10", "c2_justice", 2, None),
            ("t2", "2025-06-10", "c1_ethics", 1, None),
        ]
    )
    rubric = load_competency_rubric()
    profile = competency_profile(rubric, history, "t1", "en").set_index("competency_id")
    assert len(profile) == len(rubric.competencies)
    ethics = profile.loc["c1_ethics"]
    assert (ethics["first_level"], ethics["previous_level"], ethics["latest_level"]) == (2, 3, 4)
    assert (ethics["change"], ethics["change_since_previous"]) == (2, 1)
    assert ethics["self_level"] == 3 and ethics["at_expected"]
    assert ethics["label"] == "Demonstrate ethical and professional behaviour"
    justice = profile.loc["c2_justice"]
    assert (justice["latest_level"], justice["change"], justice["at_expected"]) == (2, -1, False)
    unrated = profile.loc["m_records"]
    assert pd.isna(unrated["latest_level"]) and unrated["assessments"] == 0
    assert not unrated["at_expected"]
    timeline = competency_timeline(history, "t1")
    assert list(timeline["c1_ethics"]) == [2, 3, 4] and len(timeline) == 3


def test_cohort_share_at_the_expected_level() -> None:
    """With latest levels 4, 3, 3, 2, 5, is 4/5 = 80 % at level 3 or above, meeting 80 %?"""
    rows = [(f"t{n}", "2025-06-01", "c1_ethics", level, None)
            for n, level in enumerate([4, 3, 3, 2, 5])]  # fmt: skip
    rows += [("t0", "2025-01-01", "c1_ethics", 1, None)]  # an older rating does not count
    rows += [("t1", "2025-06-01", "c4_research", 2, None),
             ("t2", "2025-06-01", "c4_research", 3, None)]  # fmt: skip
    report = cohort_expectation(load_competency_rubric(), _history(rows)).set_index("competency_id")
    assert report.loc["c1_ethics", ["trainees", "at_expected", "share", "met"]].tolist() == [
        5, 4, 0.8, True,
    ]  # fmt: skip
    assert report.loc["c4_research", "share"] == 0.5 and not report.loc["c4_research", "met"]
    assert report.loc["m_ethics", "trainees"] == 0 and not report.loc["m_ethics", "met"]
    assert report.loc["c1_ethics", "target_share"] == 0.8


def test_risk_seen_and_reported_the_same_day_are_safety_minimums_at_the_pass_level() -> None:
    """Identifying suicide / domestic-violence risk and same-day reporting sit in the level-3
    anchors (the expected level), not above it, and are safety minimums: a trainee at 3 on
    every other competency but 2 on assessment has not met them."""
    rubric = load_competency_rubric()
    assert {c.id for c in rubric.minimums} == {"c7_assess", "m_ethics"}
    expected = rubric.expected.level
    assess, ethics = rubric.competency("c7_assess"), rubric.competency("m_ethics")
    assert "自杀风险" in assess.anchor(expected).zh and "家庭暴力" in assess.anchor(expected).zh
    assert "当天报告督导" in ethics.anchor(expected).zh
    assert all("安全底线" in c.minimum.zh for c in rubric.minimums if c.minimum)
    rows = [("t1", "2025-06-10", c.id, 3, None) for c in rubric.competencies]
    history = _history([r if r[2] != "c7_assess" else (*r[:3], 2, None) for r in rows])
    assert minimums_missed(rubric, history, "t1") == ("c7_assess",)
    profile = competency_profile(rubric, history, "t1").set_index("competency_id")
    assert profile.loc["m_ethics", "minimum_met"] is True
    assert pd.isna(profile.loc["c1_ethics", "minimum_met"])  # no minimum there
    everyone_at_three = _history(rows)
    assert minimums_missed(rubric, everyone_at_three, "t1") == ()
    assert minimums_missed(rubric, everyone_at_three, "t2") == ("c7_assess", "m_ethics")
