"""Do the casework helpers compute what a station worker would by hand?"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from shegong.datasets.instruments import score
from shegong.datasets.toolkits.casework import (
    RELIABILITY,
    CaseworkError,
    answers_of,
    case_record,
    case_timeline,
    caseload,
    code_label,
    compare_items,
    ecomap_summary,
    pseudonym,
    reliable_change_table,
    safety_followups,
    screening_list,
    stage_durations,
    with_labels,
)
from shegong.datasets.toolkits.outcomes import paired_scores

HAN = re.compile(r"[\u4e00-\u9fff]")
D = pd.Timestamp


def _cases() -> pd.DataFrame:
    """Three cases: one closed after all six stages, one referred at intake, one open."""
    return pd.DataFrame(
        {
            "case_id": ["K1", "K2", "K3"],
            "station_id": ["S1", "S1", "S1"],
            "worker_id": ["W1", "W1", "W2"],
            "resident_id": ["R1", "R2", "R3"],
            "client_group": ["elder", "child", "elder"],
            "referral_source": ["outreach_visit", "school", "civil_affairs"],
            "presenting_need": ["loneliness", "emotional", "daily_living"],
            "risk_level": ["high", "low", "medium"],
            "intake_on": [D("2022-01-01"), D("2022-01-05"), D("2022-03-01")],
            "assessment_on": [D("2022-01-08"), pd.NaT, D("2022-03-10")],
            "planning_on": [D("2022-01-20"), pd.NaT, pd.NaT],
            "intervention_on": [D("2022-01-25"), pd.NaT, pd.NaT],
            "evaluation_on": [D("2022-04-25"), pd.NaT, pd.NaT],
            "closure_on": [D("2022-05-05"), D("2022-01-08"), pd.NaT],
            "stage": ["closure", "closure", "assessment"],
            "closure_reason": ["goals_met", "referred", None],
            "notes_zh": ["王某，81岁，独居……", "李某，12岁……", "赵某，70岁……"],
            "gas_tscore": [56.2, math.nan, math.nan],
        }
    )


def _residents() -> pd.DataFrame:
    flags = dict.fromkeys(
        ["tekun", "dibao", "dibao_edge", "lives_alone", "left_behind_child",
         "left_behind_elder", "left_behind_woman"], [False] * 4,
    )  # fmt: skip
    frame = pd.DataFrame(
        {
            "resident_id": ["R1", "R2", "R3", "R4"],
            "station_id": "S1",
            "village_id": "V1",
            "name_zh": ["王秀英", "李明", "赵兰", "钱芳"],
            "sex": ["F", "M", "F", "F"],
            "age": [81, 12, 70, 40],
            "disability_grade": pd.array([pd.NA, pd.NA, 2, 4], dtype="Int64"),
            **flags,
        }
    )
    frame.loc[0, "lives_alone"] = True
    frame.loc[1, "left_behind_child"] = True
    frame.loc[2, ["tekun", "dibao_edge"]] = True
    return frame


def test_screening_list_orders_by_points_and_marks_open_cases() -> None:
    """Do points add up by the table, names stay out, and only open cases count as open?"""
    listed = screening_list(_residents(), _cases(), on="2022-06-01")
    assert "name_zh" not in listed.columns
    assert list(listed["resident_id"]) == ["R3", "R1", "R2", "R4"]
    top = listed.iloc[0]
    assert top["flags"] == "tekun;dibao_edge;severe_disability" and top["points"] == 3 + 2 + 2
    assert top["flags_text"] == "特困人员、低保边缘家庭、重度残疾（一、二级）"
    assert listed.set_index("resident_id")["points"].to_dict()["R1"] == 2 + 1  # alone, 80+
    assert listed.set_index("resident_id")["open_case"].to_dict() == {
        "R3": True, "R1": False, "R2": False, "R4": False,
    }  # fmt: skip
    english = screening_list(_residents(), lang="en")
    assert not english["open_case"].any()
    assert not any(HAN.search(t) for t in english["flags_text"])


def test_stage_durations_skip_unreached_stages() -> None:
    """Is a case referred at intake counted intake -> closure, and open cases only with as_of?"""
    days = stage_durations(_cases())
    assert days.loc["K1"].tolist() == [7, 12, 5, 90, 10, 124]
    assert days.loc["K2", "intake"] == 3 and math.isnan(days.loc["K2", "assessment"])
    assert math.isnan(days.loc["K3", "assessment"]) and math.isnan(days.loc["K3", "total_days"])
    later = stage_durations(_cases(), as_of="2022-03-31")
    assert later.loc["K3", "assessment"] == 21 and later.loc["K3", "total_days"] == 30
    assert later.loc["K1"].tolist() == days.loc["K1"].tolist()


def test_caseload_counts_open_cases_and_lists_idle_workers() -> None:
    """On 2022-03-15, is K1 and K3 open (K2 closed), and a worker without cases shown as 0?"""
    workers = pd.DataFrame(
        {
            "worker_id": ["W1", "W2", "W3", "W9"],
            "station_id": ["S1", "S1", "S1", "S1"],
            "hired_on": [D("2021-01-01"), D("2021-01-01"), D("2021-06-01"), D("2023-01-01")],
        }
    )
    load = caseload(_cases(), "2022-03-15", workers)
    assert load.to_dict("index") == {
        "W1": {"open_cases": 1, "high_risk": 1},
        "W2": {"open_cases": 1, "high_risk": 0},
        "W3": {"open_cases": 0, "high_risk": 0},
    }
    assert caseload(_cases(), "2021-12-31").empty


ITEMS = pd.DataFrame(
    {
        "measure_id": ["M1"] * 9 + ["M2"] * 9 + ["M3"] * 3,
        "instrument": ["phq9"] * 18 + ["ucla3"] * 3,
        "item": [*range(1, 10), *range(1, 10), 1, 2, 3],
        "answer": [2, 2, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 2, 2, 1],
    }
)


def test_answers_score_like_the_library_and_items_compare() -> None:
    """Do a measure's answers score as the library scores them, item changes add up?"""
    answers = answers_of(ITEMS, "M1")
    assert answers[9] == 1 and score("phq9", answers).total == 8
    table = compare_items(ITEMS, "M1", "M2", lang="en")
    assert table["change"].sum() == score("phq9", answers_of(ITEMS, "M2")).total - 8
    assert table.loc[8, "label"] == "thoughts of self-harm"
    with pytest.raises(CaseworkError, match="M7"):
        answers_of(ITEMS, "M7")
    with pytest.raises(CaseworkError) as caught:
        compare_items(ITEMS, "M1", "M3")
    assert "phq9" in str(caught.value) and "ucla3" in str(caught.value)


def test_safety_followups_find_the_next_recorded_contact() -> None:
    """Is a flagged measure followed up only by a contact within the day limit?"""
    measures = pd.DataFrame(
        {
            "measure_id": ["M1", "M2", "M3"],
            "case_id": ["K1", "K1", "K3"],
            "measured_on": [D("2022-01-08"), D("2022-04-25"), D("2022-03-10")],
            "flags": ["self_harm", "", "self_harm;who5_depression_screen"],
        }
    )
    ledger = pd.DataFrame(
        {
            "case_id": ["K1", "K1", None, "K3"],
            "contact_on": [D("2022-01-07"), D("2022-01-09"), D("2022-03-10"), D("2022-03-20")],
        }
    )
    out = safety_followups(measures, _cases(), ledger).set_index("measure_id")
    assert list(out.index) == ["M1", "M3"]
    assert out.loc["M1", "days_to_contact"] == 1 and out.loc["M1", "followed_up"]
    assert out.loc["M3", "days_to_contact"] == 10 and not out.loc["M3", "followed_up"]
    assert out.loc["M3", "worker_id"] == "W2"


def test_ecomap_summary_counts_every_tie_once() -> None:
    """Are ties counted by strength, direction and type, with informal strong ties apart?"""
    ties = pd.DataFrame(
        {
            "case_id": ["K1", "K1", "K1", "K2"],
            "who": ["son", "neighbour", "station_worker", "grandparent"],
            "tie_type": ["family", "community", "service", "family"],
            "strength": ["weak", "strong", "strong", "stressful"],
            "direction": ["to_client", "mutual", "to_client", "mutual"],
        }
    )
    out = ecomap_summary(ties)
    assert out.loc["K1"].to_dict() == {
        "ties": 3, "strong": 2, "moderate": 0, "weak": 1, "stressful": 0, "to_client": 2,
        "from_client": 0, "mutual": 1, "family": 1, "community": 1, "service": 1,
        "informal_strong": 1,
    }  # fmt: skip
    assert out.loc["K2", "stressful"] == 1 and out.loc["K2", "informal_strong"] == 0


def _measures() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "measure_id": ["M1", "M2", "M3", "M4", "M5"],
            "case_id": ["K1", "K1", "K3", "K1", "K1"],
            "instrument": ["phq9", "phq9", "phq9", "ucla3", "ucla3"],
            "timepoint": ["pre", "post", "pre", "pre", "post"],
            "measured_on": pd.to_datetime(
                ["2022-01-08", "2022-04-25", "2022-03-10", "2022-01-08", "2022-04-25"]
            ),
            "total": [16, 7, 12, 8, 5],
            "flags": ["self_harm", "", "", "", ""],
        }
    )


def test_timeline_is_in_date_order_in_either_language() -> None:
    """Does the timeline list stages, contacts and measures by date, stages first on a day?"""
    ledger = pd.DataFrame(
        {
            "case_id": ["K1", "K1", "K3"],
            "contact_on": [D("2022-02-01"), D("2022-01-25"), D("2022-03-12")],
            "contact": ["home_visit", "phone", "home_visit"],
            "service": ["elder_child_care", "need_assessment", "elder_child_care"],
        }
    )
    zh = case_timeline("K1", _cases(), ledger, _measures())
    assert zh["date"].is_monotonic_increasing and len(zh) == 6 + 2 + 4
    assert zh.loc[1, "event"] == "stage" and zh.loc[2, "event"] == "measure"
    assert zh.loc[2, "detail"].startswith("前测：患者健康问卷抑郁量表（PHQ-9） 16 分")
    en = case_timeline("K1", _cases(), ledger, _measures(), lang="en")
    assert en["detail"].str.contains("home visit").any()
    assert not en["detail"].map(lambda t: bool(HAN.search(t))).any()
    with pytest.raises(CaseworkError, match="K404"):
        case_timeline("K404", _cases())


def test_reliable_change_by_hand() -> None:
    """Is the RCI signed so that a PHQ-9 drop is positive, with the verdict at 1.96?"""
    pairs = pd.DataFrame(
        {
            "case_id": ["A", "B", "C"],
            "instrument": ["phq9", "phq9", "barthel"],
            "pre": [16.0, 10.0, 40.0],
            "post": [7.0, 12.0, 60.0],
        }
    ).assign(change=lambda d: d["post"] - d["pre"])
    pairs["improvement"] = pairs["change"] * [-1, -1, 1]
    out = reliable_change_table(pairs, sd={"phq9": 5.0}).set_index("case_id")
    assert "C" not in out.index  # no reliability for the Barthel Index here
    sem = 5.0 * math.sqrt(1 - RELIABILITY["phq9"].value)
    assert out.loc["A", "rci"] == pytest.approx(9 / (math.sqrt(2) * sem))
    assert out.loc["A", "verdict"] == "improved" and out.loc["B", "verdict"] == "no_reliable_change"
    assert out.loc["A", "min_change"] == pytest.approx(1.96 * math.sqrt(2) * sem)
    own_sd = reliable_change_table(pairs).set_index("case_id")
    assert own_sd.loc["A", "sd_pre"] == pytest.approx(pd.Series([16.0, 10.0]).std())
    with pytest.raises(CaseworkError, match="barthel"):
        reliable_change_table(pairs[pairs["instrument"] == "barthel"])
    assert all(r.tag == "[K]" and r.source for r in RELIABILITY.values())


def test_closing_summary_uses_the_pseudonym_only() -> None:
    """Does the closing summary name the client by pseudonym, never by name, in both languages?"""
    goals = pd.DataFrame({"case_id": ["K1", "K1", "K3"], "goal_no": [1, 2, 1]})
    ledger = pd.DataFrame({"case_id": ["K1", "K1"], "contact": ["home_visit", "phone"]})
    record = case_record("K1", _cases(), ledger, _measures(), goals)
    zh, en = record.to_text("zh"), record.to_text("en")
    assert record.pseudonym == "王某" and "王某（化名）" in zh and "王秀英" not in zh
    assert "前测 16 分（中重度），后测 7 分（轻度）" in zh
    assert "T 分 56.2" in zh and "2022-06-04" in zh and "2022-08-03" in zh
    assert "goals met" in en and "home visit 1" in en
    still_open = case_record("K3", _cases(), ledger, _measures(), goals).to_text("zh")
    assert "尚无后测" in still_open and "当前阶段：预估" in still_open


def test_closing_summary_warns_of_safety_flags_still_open() -> None:
    """Does a flag on the latest measure show in the summary, and a flag only at pre not?"""
    goals = pd.DataFrame({"case_id": ["K1"], "goal_no": [1]})
    ledger = pd.DataFrame({"case_id": ["K1"], "contact": ["home_visit"]})
    measures = _measures()
    record = case_record("K1", _cases(), ledger, measures, goals)
    assert record.open_flags == () and "安全标记" not in record.to_text()
    measures.loc[1, "flags"] = "self_harm"  # the PHQ-9 post-test of K1
    flagged = case_record("K1", _cases(), ledger, measures, goals)
    assert flagged.open_flags == ("self_harm",)
    assert "自伤风险" in flagged.to_text() and "safety flag" in flagged.to_text("en")


def test_labels_come_from_the_data_card() -> None:
    """Are codes shown in Chinese or English, unknown codes and blanks left readable?"""
    assert code_label("cases", "stage", "intake") == "接案"
    assert code_label("ledger", "contact", "phone", "en") == "phone"
    assert code_label("cases", "closure_reason", None) == ""
    assert code_label("cases", "stage", "paused") == "paused"
    shown = with_labels(_cases(), "cases", ["closure_reason"], "en")["closure_reason"]
    assert shown.tolist() == ["goals met", "referred to another service", ""]
    assert pseudonym("廖某，92岁，独居") == "廖某"


def test_missing_columns_are_named() -> None:
    """Is a table without a needed column refused with the column named in both languages?"""
    with pytest.raises(CaseworkError) as caught:
        stage_durations(_cases().drop(columns="planning_on"))
    zh, en = str(caught.value).split("\n")
    assert "planning_on" in zh and "planning_on" in en


def test_on_the_generated_county(county_world: dict[str, pd.DataFrame]) -> None:
    """On generated data: stored totals rescore, every case has a timeline, RCI runs?"""
    measures, items = county_world["case_measures"], county_world["case_measure_items"]
    first = measures.iloc[0]
    answers = answers_of(items, first["measure_id"])
    assert score(first["instrument"], answers).total == first["total"]
    cases = county_world["cases"]
    durations = stage_durations(cases)
    assert (durations.drop(columns="total_days").fillna(0) >= 0).all().all()
    summary = ecomap_summary(county_world["case_ties"])
    assert summary["ties"].sum() == len(county_world["case_ties"])
    rci = reliable_change_table(paired_scores(measures, ["case_id"]))
    assert set(rci["verdict"]) <= {"improved", "no_reliable_change", "deteriorated"}
    closed = cases[cases["stage"] == "closure"].iloc[0]["case_id"]
    text = case_record(
        closed, cases, county_world["ledger"], measures, county_world["case_goals"]
    ).to_text()
    assert "结案原因" in text
