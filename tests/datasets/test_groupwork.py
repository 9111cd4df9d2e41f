"""Do the group-work helpers find candidates, count attendance and judge outcomes as defined?"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from scipy import stats

from shegong.datasets.toolkits import groupwork as gw
from shegong.datasets.toolkits.outcomes import paired_scores

# --- tiny hand-made tables ---------------------------------------------------------------


def roster() -> pd.DataFrame:
    base = {
        "station_id": "S1",
        "sex": "F",
        "lives_alone": False,
        "left_behind_elder": False,
        "left_behind_child": False,
        "left_behind_woman": False,
        "disability_category": None,
    }
    rows = [
        {"resident_id": "R1", "village_id": "V1", "age": 72, "lives_alone": True},
        {"resident_id": "R2", "village_id": "V1", "age": 66, "left_behind_elder": True},
        {"resident_id": "R3", "village_id": "V2", "age": 81},  # 80+, no flag: not eligible
        {"resident_id": "R4", "village_id": "V2", "age": 10, "left_behind_child": True},
        {"resident_id": "R5", "village_id": "V2", "age": 4, "left_behind_child": True},
        {"resident_id": "R6", "village_id": "V1", "age": 38, "left_behind_woman": True},
        {"resident_id": "R7", "village_id": "V1", "age": 35, "left_behind_woman": True},
        {"resident_id": "R8", "village_id": "V2", "age": 30, "disability_category": "physical"},
    ]
    return pd.DataFrame([base | r for r in rows])


def case_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    cases = pd.DataFrame({"case_id": ["K1", "K2", "K3"], "resident_id": ["R1", "R6", "R7"]})
    measures = pd.DataFrame(
        {
            "case_id": ["K1", "K1", "K2", "K3"],
            "instrument": ["ucla3", "ucla3", "phq9", "phq9"],
            "timepoint": ["pre", "post", "pre", "pre"],
            "measured_on": pd.to_datetime(["2022-01-01", "2022-04-01", "2022-02-01", "2022-02-01"]),
            "total": [8, 4, 8, 11],
            "band": ["lonely", "not_lonely", "mild", "moderate"],
            "flags": ["", "", "", "self_harm"],
        }
    )
    return cases, measures


def one_group() -> dict[str, pd.DataFrame]:
    """G1: 4 sessions planned and held; G2: 6 planned, 3 held (still running)."""
    groups = pd.DataFrame(
        {
            "group_id": ["G1", "G2"],
            "station_id": ["S1", "S1"],
            "worker_id": ["W1", "W1"],
            "target": ["elder_loneliness", "women_support"],
            "title_zh": ["银龄同行", "她力量"],
            "model": ["reciprocal", "remedial"],
            "outcome_instrument": ["ucla3", "phq9"],
            "planned_sessions": [4, 6],
            "interval_days": [7, 14],
            "session_minutes": [60, 90],
            "planned_on": pd.to_datetime(["2022-01-01", "2022-05-01"]),
            "first_session_on": pd.to_datetime(["2022-01-15", "2022-05-20"]),
        }
    )
    members = pd.DataFrame(
        {
            "group_id": ["G1"] * 4 + ["G2"] * 2,
            "resident_id": ["A", "B", "C", "D", "E", "F"],
            "screening": ["admitted"] * 3 + ["not_admitted", "admitted", "admitted"],
            "screen_out_reason": [None, None, None, "schedule_conflict", None, None],
            "dropout": [False, True, False, False, False, False],
            "satisfaction": pd.array([5, None, None, None, None, None], dtype="Int64"),
        }
    )
    sessions = pd.DataFrame(
        {
            "session_id": ["S11", "S12", "S13", "S14", "S21", "S22", "S23"],
            "group_id": ["G1"] * 4 + ["G2"] * 3,
            "session_no": [1, 2, 3, 4, 1, 2, 3],
            "held_on": pd.to_datetime(
                [
                    "2022-01-15",
                    "2022-01-22",
                    "2022-01-29",
                    "2022-02-05",
                    "2022-05-20",
                    "2022-06-03",
                    "2022-06-17",
                ]
            ),
            "stage": [
                "formation",
                "transition",
                "transition",
                "termination",
                "formation",
                "transition",
                "transition",
            ],
            "engagement": [4.0, 4.0, 2.5, 4.0, 3.5, 3.5, 3.5],
        }
    )
    present = {  # session -> members present
        "S11": "ABC",
        "S12": "AB",
        "S13": "AC",
        "S14": "AC",
        "S21": "EF",
        "S22": "EF",
        "S23": "E",
    }
    who = {"G1": "ABC", "G2": "EF"}
    rows = [
        {"session_id": s, "resident_id": r, "attended": r in present[s]}
        for s, g in zip(sessions["session_id"], sessions["group_id"], strict=True)
        for r in who[g]
    ]
    measures = pd.DataFrame(
        {
            "group_id": ["G1"] * 5,
            "resident_id": ["A", "B", "C", "A", "C"],
            "instrument": ["ucla3"] * 5,
            "timepoint": ["pre", "pre", "pre", "post", "post"],
            "total": [8, 7, 6, 5, 6],
        }
    )
    return {
        "groups": groups,
        "members": members,
        "sessions": sessions,
        "attendance": pd.DataFrame(rows),
        "measures": measures,
    }


# --- labels and stages -------------------------------------------------------------------


def test_labels_come_from_the_data_card() -> None:
    """Are coded values shown with the data card's Chinese or English names?"""
    assert gw.labels("group_members", "screening")["admitted"] == "入组"
    assert gw.labels("group_members", "screening", "en")["not_admitted"] == "not admitted"
    assert gw.stage_label("transition") == "转折期"
    assert gw.stage_label("transition", "en") == "transition"


def test_stage_rule_matches_the_generated_sessions(county_world: dict[str, pd.DataFrame]) -> None:
    """Does stage_of give the stage recorded for every session in the generated data?"""
    planned = county_world["groups"].set_index("group_id")["planned_sessions"]
    s = county_world["group_sessions"]
    got = list(map(gw.stage_of, s["session_no"], s["group_id"].map(planned)))
    assert got == list(s["stage"])
    assert [gw.stage_of(k, 4) for k in range(1, 5)] == [
        "formation",
        "transition",
        "transition",
        "termination",
    ]


# --- candidates ---------------------------------------------------------------------------


def test_candidates_follow_the_roster_flags_and_age_band() -> None:
    """Are elders with a left-behind or living-alone flag found, and children only 8-15?"""
    elders = gw.find_candidates(roster(), "elder_loneliness")
    assert set(elders["resident_id"]) == {"R1", "R2"}
    assert set(gw.find_candidates(roster(), "child_social_skills")["resident_id"]) == {"R4"}
    wider = gw.find_candidates(roster(), "child_social_skills", ages=(3, 15))
    assert set(wider["resident_id"]) == {"R4", "R5"}
    assert list(gw.find_candidates(roster(), "disability_mutual_aid")["resident_id"]) == ["R8"]


def test_case_scores_sort_candidates_by_need() -> None:
    """Does the latest case score decide the need, with self-harm routed to casework first?"""
    cases, measures = case_tables()
    elders = gw.find_candidates(roster(), "elder_loneliness", cases, measures).set_index(
        "resident_id"
    )
    assert elders.loc["R1", "screen_total"] == 4  # the later (post) measure counts
    assert elders.loc["R1", "need"] == "low_need" and elders.loc["R2", "need"] == "not_measured"
    women = gw.find_candidates(roster(), "women_support", cases, measures)
    assert list(women["resident_id"]) == ["R6", "R7"]
    assert list(women["need"]) == ["suits_group", "individual_first"]


def test_unknown_target_is_a_bilingual_error() -> None:
    """Is a misspelt target refused with both languages and the choices named?"""
    with pytest.raises(gw.GroupworkError) as info:
        gw.find_candidates(roster(), "elders")
    assert "elder_loneliness" in str(info.value) and "Unknown target group" in str(info.value)


def test_village_reach_counts_candidates_per_village() -> None:
    """Are villages listed most candidates first, flagged when one alone can fill a group?"""
    villages = pd.DataFrame(
        {
            "village_id": ["V1", "V2"],
            "name_zh": ["甲村", "乙村"],
            "type": "village",
            "outmigration_share": [0.3, 0.4],
        }
    )
    candidates = gw.find_candidates(roster(), "women_support")
    reach = gw.village_reach(candidates, villages, group_size=2)
    assert list(reach["village_id"]) == ["V1"] and reach["enough_alone"].all()


# --- plan and screening --------------------------------------------------------------------


def test_screening_summary_and_session_plan() -> None:
    """Are candidates, admissions and reasons counted, and the planned sessions dated?"""
    t = one_group()
    summary = gw.screening_summary(t["members"]).set_index("group_id")
    assert summary.loc["G1", "candidates"] == 4 and summary.loc["G1", "admitted"] == 3
    assert summary.loc["G1", "schedule_conflict"] == 1 and summary.loc["G2", "admitted_share"] == 1
    plan = gw.session_plan(t["groups"], "G2")
    assert list(plan["planned_on"].dt.strftime("%m-%d")) == [
        "05-20",
        "06-03",
        "06-17",
        "07-01",
        "07-15",
        "07-29",
    ]
    assert list(plan["stage"]) == [
        "formation",
        "transition",
        "transition",
        "maturity",
        "maturity",
        "termination",
    ]
    with pytest.raises(gw.GroupworkError, match="G9"):
        gw.session_plan(t["groups"], "G9")


# --- sessions and attendance ---------------------------------------------------------------


def test_session_overview_flags_weak_sessions() -> None:
    """Is a session with engagement well below the group's mean or thin attendance flagged?"""
    t = one_group()
    ov = gw.session_overview(t["sessions"], t["attendance"]).set_index("session_id")
    assert ov.loc["S12", "present"] == 2 and ov.loc["S12", "members"] == 3
    assert ov.loc["S14", "attendance_share"] == pytest.approx(2 / 3)
    assert ov["low_engagement"][ov["low_engagement"]].index.tolist() == ["S13"]
    assert ov["low_attendance"][ov["low_attendance"]].index.tolist() == ["S23"]


def test_member_attendance_follows_the_brief_definitions() -> None:
    """Completer: >= 75 % of planned sessions; dropout: nothing after session 2; else partial."""
    t = one_group()
    ma = gw.member_attendance(t["members"], t["groups"], t["sessions"], t["attendance"])
    ma = ma.set_index("resident_id")
    assert "D" not in ma.index  # not admitted
    assert ma.loc["A", "rate"] == 1 and ma.loc["A", "status"] == "completer"
    assert ma.loc["B", "last_attended"] == 2 and ma.loc["B", "status"] == "dropout"
    assert ma.loc["C", "rate"] == 0.75 and bool(ma.loc["C", "completer"])  # 3 of 4
    assert ma.loc["E", "rate"] == pytest.approx(0.5) and ma.loc["E", "status"] == "ongoing"
    assert ma.loc["F", "status"] == "dropout"  # G2 has held session 3, F left after 2


def test_generated_dropouts_are_found_from_attendance(
    county_world: dict[str, pd.DataFrame],
) -> None:
    """Is every member flagged as a dropout in the data also a dropout by the attendance rule?"""
    w = county_world
    ma = gw.member_attendance(
        w["group_members"], w["groups"], w["group_sessions"], w["group_attendance"]
    )
    flagged = w["group_members"].query("dropout")[["group_id", "resident_id"]]
    found = flagged.merge(ma, on=["group_id", "resident_id"])
    assert len(found) == len(flagged) and found["dropout"].all()
    assert ma["rate"].between(0, 1).all()


def test_attendance_trend_spots_falling_groups() -> None:
    """Does a group whose last two sessions are much thinner than its first two get flagged?"""
    t = one_group()
    trend = gw.attendance_trend(gw.session_overview(t["sessions"], t["attendance"]), 0.15)
    assert list(trend["group_id"]) == ["G1"]  # G2 has only 3 sessions
    row = trend.iloc[0]
    assert row["first_two"] == pytest.approx((1 + 2 / 3) / 2)
    assert row["last_two"] == pytest.approx(2 / 3)
    assert bool(row["falling"])


# --- outcomes -----------------------------------------------------------------------------


def _dz_bounds_by_grid(dz: float, n: int) -> tuple[float, float]:
    grid = np.linspace(-4, 8, 24001)
    t = dz * math.sqrt(n)
    cdf = stats.nct.cdf(t, n - 1, grid)
    inside = grid[(cdf > 0.025) & (cdf < 0.975)]
    return inside.min() / math.sqrt(n), inside.max() / math.sqrt(n)


@pytest.mark.parametrize(("dz", "n"), [(0.4, 8), (1.0, 5), (-0.3, 12)])
def test_dz_interval_inverts_the_noncentral_t(dz: float, n: int) -> None:
    """Does the d_z interval agree with a brute-force search over noncentrality?"""
    low, high = gw.dz_interval(dz, n)
    grid_low, grid_high = _dz_bounds_by_grid(dz, n)
    assert low == pytest.approx(grid_low, abs=2e-3) and high == pytest.approx(grid_high, abs=2e-3)
    assert low < dz < high


def test_dz_interval_narrows_with_n_and_handles_edges() -> None:
    """Is the interval symmetric at 0, narrower for more pairs, and NaN when undefined?"""
    low, high = gw.dz_interval(0.0, 10)
    assert low == pytest.approx(-high)
    assert np.diff(gw.dz_interval(0.4, 100)) < np.diff(gw.dz_interval(0.4, 10))
    assert all(math.isnan(x) for x in gw.dz_interval(0.5, 1))
    assert all(math.isnan(x) for x in gw.dz_interval(math.nan, 9))


def test_group_outcomes_and_follow_up() -> None:
    """Are pairs tested per group, and members without a post-test kept for attrition checks?"""
    t = one_group()
    out = gw.group_outcomes(t["measures"], min_pairs=2)
    assert len(out) == 1 and out.loc[0, "n"] == 2
    assert out.loc[0, "mean_improvement"] == pytest.approx(1.5)  # UCLA-3 fell 3 and 0
    assert out.loc[0, "dz_low"] < out.loc[0, "dz"] < out.loc[0, "dz_high"]
    assert gw.group_outcomes(t["measures"], min_pairs=3).empty
    fu = gw.follow_up(t["measures"]).set_index("resident_id")
    assert fu["has_post"].to_dict() == {"A": True, "B": False, "C": True}


def test_null_significant_counts_chance_findings() -> None:
    """With no real change, do about alpha of the groups look 'significant', reproducibly?"""
    rng = np.random.default_rng(1)
    pairs = pd.DataFrame(
        {
            "group_id": np.repeat([f"G{k}" for k in range(40)], 12),
            "improvement": rng.normal(0, 1, 480),
        }
    )
    counts = gw.null_significant(pairs, reps=300, seed=3)
    assert counts.shape == (300,) and counts.min() >= 0 and counts.max() <= 40
    assert 1.0 < counts.mean() < 3.5  # about 0.05 * 40 = 2
    assert np.array_equal(counts, gw.null_significant(pairs, reps=300, seed=3))


# --- summaries, records, report -------------------------------------------------------------


def test_group_summary_and_file_check() -> None:
    """Does the summary count members, completers and pairs, and the file check spot gaps?"""
    t = one_group()
    args = (t["groups"], t["members"], t["sessions"], t["attendance"], t["measures"])
    s = gw.group_summary(*args).set_index("group_id")
    assert s.loc["G1", "candidates"] == 4 and s.loc["G1", "admitted"] == 3
    assert s.loc["G1", "completers"] == 2 and s.loc["G1", "dropouts"] == 1
    assert s.loc["G1", "pairs"] == 2 and bool(s.loc["G1", "finished"])
    assert not bool(s.loc["G2", "finished"]) and s.loc["G2", "pairs"] == 0
    late = t["groups"].assign(planned_on=pd.to_datetime(["2022-02-01", "2022-05-01"]))
    check = gw.file_check(late, *args[1:]).set_index("group_id")
    assert check["plan"].tolist() == [False, True]
    assert check.loc["G1", "pre_tested"] == 1 and check.loc["G1", "post_tested"] == 1
    assert check.loc["G1", "satisfaction_rated"] == 0.5  # A rated, C did not


def test_generated_groups_summarise_consistently(county_world: dict[str, pd.DataFrame]) -> None:
    """On generated data, are admitted <= candidates and completers, pairs <= admitted?"""
    w = county_world
    s = gw.group_summary(
        w["groups"],
        w["group_members"],
        w["group_sessions"],
        w["group_attendance"],
        w["group_measures"],
    )
    assert (s["admitted"] <= s["candidates"]).all() and (s["completers"] <= s["admitted"]).all()
    assert (s["pairs"] <= s["admitted"]).all()
    pairs = paired_scores(w["group_measures"], ["group_id", "resident_id"])
    assert s["pairs"].sum() == len(pairs)


def test_session_record_and_report_in_both_languages() -> None:
    """Do the session record and summary report fill in the facts, in Chinese and in English?"""
    t = one_group()
    ov = gw.session_overview(t["sessions"], t["attendance"])
    zh = gw.session_record(ov, t["groups"], "S13")
    en = gw.session_record(ov, t["groups"], "S13", "en")
    assert "第 3 节，共 4 节" in zh and "转折期" in zh and "开启" in zh
    assert "Session: 3 of 4" in en and "Present: 2 of 3" in en
    args = (t["groups"], t["members"], t["sessions"], t["attendance"], t["measures"])
    report = gw.summary_report("G1", *args)
    assert "小组总结报告" in report and "报名 4 人" in report and "2 名组员有前后测配对" in report
    english = gw.summary_report("G1", *args, lang="en")
    assert "4 people applied" in english and "1 admitted members have no paired" in english
    assert "Fewer than 2" in gw.summary_report("G2", *args, lang="en")
    with pytest.raises(gw.GroupworkError):
        gw.session_record(ov, t["groups"], "S99")


def test_plot_sessions_draws_bars_and_a_line() -> None:
    """Does the session chart draw one bar per session and the engagement line?"""
    t = one_group()
    ov = gw.session_overview(t["sessions"], t["attendance"])
    fig = Figure()
    ax = fig.add_subplot()
    gw.plot_sessions(ax, ov, "G1", "en")
    assert len(ax.patches) == 4
    assert len(fig.axes) == 2 and len(fig.axes[1].lines) == 1
