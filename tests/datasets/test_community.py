"""Do the community-work tables (village profile, needs ranking, assets, partners, resources,
activities, livelihood, emergency screening) count what the community course says they count?"""

from __future__ import annotations

import pandas as pd
import pytest

from shegong.datasets.toolkits import community as cm
from shegong.datasets.world.calibration import per_township_station
from shegong.datasets.world.services import PARTNERS
from shegong.datasets.world.survey import NEEDS


def _survey(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["village_id", "need_1", "need_2", "need_3"])


def _residents(rows: list[dict[str, object]]) -> pd.DataFrame:
    base = {
        "station_id": "S1",
        "village_id": "V1",
        "age": 40,
        "lives_alone": False,
        "left_behind_elder": False,
        "left_behind_child": False,
        "left_behind_woman": False,
        "dibao": False,
        "tekun": False,
        "disability_grade": pd.NA,
    }
    frame = pd.DataFrame([{**base, **row} for row in rows])
    frame["disability_grade"] = frame["disability_grade"].astype("Int64")
    return frame


# ---------------------------------------------------------------- needs ranking


def test_borda_count_by_hand() -> None:
    """Do first, second and third choices score 3, 2 and 1, with first choices counted?"""
    survey = _survey(
        [
            ("V1", "elder_care", "income_jobs", "roads_transport"),
            ("V1", "income_jobs", "elder_care", "safety"),
            ("V1", "income_jobs", "roads_transport", "elder_care"),
        ]
    )
    ranking = cm.rank_needs(survey).set_index("need")
    assert ranking.loc["income_jobs", "borda"] == 3 + 2 + 3
    assert ranking.loc["elder_care", "borda"] == 3 + 2 + 1
    assert ranking.loc["income_jobs", "first"] == 2
    assert ranking.loc["elder_care", "mentions"] == 3
    assert ranking.loc["income_jobs", "rank"] == 1 and ranking.loc["elder_care", "rank"] == 2
    assert ranking.loc["income_jobs", "first_share"] == pytest.approx(0.667)
    assert ranking["borda"].sum() == 3 * 6
    assert ranking.loc["clean_water", "borda"] == 0  # every need listed, even if never named


def test_ties_break_on_first_choices_then_card_order() -> None:
    """With equal Borda points, does the need with more first choices rank higher?"""
    survey = _survey(
        [
            ("V1", "safety", "clean_water", "child_care"),
            ("V1", "child_care", "public_space", "clean_water"),
        ]
    )
    # safety 3, clean_water 2+1 = 3, child_care 1+3 = 4
    ranking = cm.rank_needs(survey).set_index("need")
    assert ranking.loc["child_care", "rank"] == 1
    assert ranking.loc["safety", "rank"] == 2  # 3 points with one first choice
    assert ranking.loc["clean_water", "rank"] == 3  # 3 points, no first choice


def test_ranking_per_group_and_other_points() -> None:
    """Are groups ranked separately, and does first-choice-only scoring give first counts?"""
    survey = _survey(
        [
            ("V1", "elder_care", "income_jobs", "safety"),
            ("V2", "income_jobs", "elder_care", "safety"),
            ("V2", "income_jobs", "safety", "elder_care"),
        ]
    )
    ranking = cm.rank_needs(survey, by="village_id")
    assert len(ranking) == 2 * len(NEEDS)
    top = ranking[ranking["rank"] == 1].set_index("village_id")["need"]
    assert top.to_dict() == {"V1": "elder_care", "V2": "income_jobs"}
    assert set(ranking.loc[ranking["village_id"] == "V2", "respondents"]) == {2}
    firsts = cm.rank_needs(survey, points=(1, 0, 0)).set_index("need")
    assert (firsts["borda"] == firsts["first"]).all()
    two = cm.rank_needs(survey.assign(old=[True, False, True]), by=["village_id", "old"])
    assert len(two) == 3 * len(NEEDS)
    top_v2_old = two.query("village_id == 'V2' and old and rank == 1")["need"].item()
    assert top_v2_old == "income_jobs"


def test_ranking_refuses_bad_points_and_empty_survey() -> None:
    """Are rising points, wrong lengths and an empty survey refused in both languages?"""
    survey = _survey([("V1", "elder_care", "income_jobs", "safety")])
    for points in [(1, 2, 3), (3, 2), (3, 2, -1)]:
        with pytest.raises(cm.CommunityError, match="Borda"):
            cm.rank_needs(survey, points=points)
    with pytest.raises(cm.CommunityError, match="empty"):
        cm.rank_needs(survey.iloc[:0])
    with pytest.raises(cm.CommunityError, match="need_3"):
        cm.rank_needs(survey.drop(columns="need_3"))


def test_ranking_of_generated_survey(county_world: dict[str, pd.DataFrame]) -> None:
    """On the county survey, do the points add up to 6 per respondent in every village?"""
    survey = county_world["needs_survey"]
    ranking = cm.rank_needs(survey, by="village_id")
    points = ranking.groupby("village_id")["borda"].sum()
    sizes = survey.groupby("village_id").size()
    assert (points == 6 * sizes.reindex(points.index)).all()
    assert (ranking.groupby("village_id")["rank"].max() == len(NEEDS)).all()


# ---------------------------------------------------------------- village profile


def test_village_profile_counts_roster_groups() -> None:
    """Are elders living alone, severe disability and the flags counted per village?"""
    villages = pd.DataFrame(
        {
            "village_id": ["V1", "V2"],
            "township_id": "T1",
            "name_zh": ["甲村", "乙村"],
            "type": "village",
            "population": [1000, 500],
            "households": [400, 200],
            "share_60plus": [0.3, 0.25],
            "outmigration_share": [0.4, 0.2],
        }
    )
    residents = _residents(
        [
            {"age": 82, "lives_alone": True, "tekun": True},
            {"age": 70, "left_behind_elder": True, "disability_grade": 2},
            {"age": 9, "left_behind_child": True},
            {"age": 45, "disability_grade": 4, "dibao": True},
        ]
    )
    profile = cm.village_profile(villages, residents).set_index("village_id")
    v1 = profile.loc["V1"]
    assert v1["roster"] == 4 and v1["elder_alone"] == 1 and v1["tekun"] == 1
    assert v1["disabled"] == 2 and v1["severe_disability"] == 1
    assert v1["elders"] == 300 and v1["roster_per_1000"] == 4.0
    assert profile.loc["V2", "roster"] == 0  # a village nobody is registered in stays listed


def test_profile_of_generated_world(county_world: dict[str, pd.DataFrame]) -> None:
    """Does every county village appear once and the roster total match the residents?"""
    profile = cm.village_profile(county_world["villages"], county_world["residents"])
    assert len(profile) == len(county_world["villages"])
    assert profile["roster"].sum() == len(county_world["residents"])
    with pytest.raises(cm.CommunityError, match="share_60plus"):
        cm.village_profile(county_world["villages"].drop(columns="share_60plus"),
                           county_world["residents"])  # fmt: skip


# ---------------------------------------------------------------- assets and partners


def test_asset_table_counts_willing_skilled_and_ready() -> None:
    """Is 'ready' willing and skilled, and the top skill the most named one?"""
    survey = pd.DataFrame(
        {
            "village_id": ["V1", "V1", "V1", "V2"],
            "willing_to_volunteer": [True, True, False, False],
            "skill": ["cooking", "none", "cooking", "farming"],
        }
    )
    stations = pd.DataFrame({"level": ["village_room", "township_station"],
                             "village_id": ["V2", None]})  # fmt: skip
    activities = pd.DataFrame(
        {
            "village_id": ["V1", "V1"],
            "partners": ["community;social_worker", "social_worker;charity"],
        }
    )
    table = cm.asset_table(survey, stations, activities).set_index("village_id")
    assert table.loc["V1", ["respondents", "willing", "skilled", "ready"]].tolist() == [3, 2, 2, 1]
    assert table.loc["V1", "top_skill"] == "cooking" and table.loc["V1", "skill_kinds"] == 1
    assert not table.loc["V1", "has_room"] and table.loc["V2", "has_room"]
    assert table.loc["V1", "activities_held"] == 2 and table.loc["V2", "activities_held"] == 0
    assert table.loc["V1", "parties_seen"] == 3 and table.loc["V2", "parties_seen"] == 0


def test_station_assets_of_generated_world(county_world: dict[str, pd.DataFrame]) -> None:
    """Do the station totals add up to the county's organisations, teams and volunteers?"""
    w = county_world
    assets = cm.station_assets(w["stations"], w["community_orgs"], w["volunteer_teams"],
                               w["volunteers"])  # fmt: skip
    assert len(assets) == (w["stations"]["level"] == "township_station").sum()
    assert assets["orgs"].sum() == len(w["community_orgs"])
    assert assets["teams"].sum() == len(w["volunteer_teams"])
    assert assets["volunteers"].sum() == len(w["volunteers"])
    assert assets["rooms"].sum() == (w["stations"]["level"] == "village_room").sum()


def test_partner_flags_split_the_five_parties() -> None:
    """Is each ';'-joined party its own column, in the card's order, missing ones False?"""
    frame = pd.DataFrame({"partners": ["community;social_worker", "social_worker", None],
                          "station_id": ["S1", "S1", "S2"]})  # fmt: skip
    flags = cm.partner_flags(frame)
    assert list(flags.columns) == list(PARTNERS)
    assert flags["social_worker"].tolist() == [True, True, False]
    assert not flags["charity"].any()
    counts = cm.partner_counts(frame)
    assert counts["social_worker"] == 2 and counts["community"] == 1
    by = cm.partner_counts(frame, by="station_id")
    assert by.loc["S1", "social_worker"] == 2 and by.loc["S2"].sum() == 0


# ---------------------------------------------------------------- resources and activities


def test_resource_table_against_the_article_rate(county_world: dict[str, pd.DataFrame]) -> None:
    """Are linked resources summed per station and set beside the article's per-station rate?"""
    w = county_world
    table = cm.resource_table(w["ledger"], w["stations"])
    linked = w["ledger"].loc[w["ledger"]["service"] == "resource_linking", "resource_yuan"]
    assert table["resource_yuan"].sum() == linked.sum()
    assert (table["article_rate_yuan"] == round(per_township_station("resources_yuan"))).all()
    assert (table["months_open"] > 0).all()
    row = table.iloc[0]
    assert row["ratio_to_rate"] == pytest.approx(row["resource_yuan"] / row["article_rate_yuan"],
                                                 abs=0.005)  # fmt: skip


def test_activity_summary_counts_person_times(county_world: dict[str, pd.DataFrame]) -> None:
    """Are participants summed as person-times, and reach at most all villages?"""
    w = county_world
    summary = cm.activity_summary(w["activities"], w["stations"], w["villages"])
    assert summary["person_times"].sum() == w["activities"]["participants"].sum()
    assert summary["activities"].sum() == len(w["activities"])
    assert (summary["villages_reached"] <= summary["villages"]).all()
    assert summary["mean_parties"].between(1, 5).all()


def test_sign_in_sheet_person_times_and_people() -> None:
    """Does the sign-in example separate person-times from people, residents from volunteers?"""
    sheet = cm.example_sign_in_sheet()
    assert sheet.equals(cm.example_sign_in_sheet())  # the same every time
    ind = cm.sign_in_indicators(sheet)
    residents = sheet[sheet["role"] == "resident"]
    assert ind["person_times"] == len(residents)
    assert ind["people"] == residents["person_id"].nunique() < ind["person_times"]
    assert ind["volunteers"] == sheet.loc[sheet["role"] == "volunteer", "person_id"].nunique()
    assert ind["satisfaction_n"] == residents["satisfaction"].notna().sum()
    assert set(sheet.loc[sheet["satisfaction"].notna(), "session"]) == {4}


def test_sign_in_indicators_by_hand() -> None:
    """Two sessions, A twice and B once: 3 person-times, 2 people, A came every time."""
    sheet = pd.DataFrame(
        {
            "session": [1, 1, 2, 2],
            "person_id": ["A", "B", "A", "V"],
            "sex": ["F", "M", "F", "F"],
            "age": [70, 50, 70, 30],
            "role": ["resident", "resident", "resident", "volunteer"],
            "satisfaction": [None, None, 5.0, None],
        }
    )
    ind = cm.sign_in_indicators(sheet)
    assert (ind["person_times"], ind["people"], ind["came_every_time"]) == (3, 2, 1)
    assert ind["share_60plus"] == 0.5 and ind["share_women"] == 0.5
    assert ind["volunteer_times"] == 1 and ind["satisfaction_mean"] == 5.0


def test_livelihood_table_by_hand() -> None:
    """Are income needs, livelihood skills and industry assists counted per village?"""
    survey = pd.DataFrame(
        {
            "village_id": ["V1", "V1"],
            "need_1": ["income_jobs", "elder_care"],
            "need_2": ["elder_care", "safety"],
            "need_3": ["safety", "income_jobs"],
            "skill": ["ecommerce", "farming"],
            "willing_to_volunteer": [True, False],
        }
    )
    ledger = pd.DataFrame(
        {
            "village_id": ["V1", "V1", "V1", "V2"],
            "service": ["industry_development"] * 3 + ["need_assessment"],
            "contact": ["office", "home_visit", "activity", "home_visit"],
        }
    )
    villages = pd.DataFrame(
        {
            "village_id": ["V1", "V2"],
            "township_id": "T1",
            "name_zh": ["甲村", "乙村"],
            "outmigration_share": [0.3, 0.1],
        }
    )
    row = cm.livelihood_table(survey, ledger, villages).set_index("village_id").loc["V1"]
    assert (row["income_first"], row["income_any"], row["income_any_share"]) == (1, 2, 1.0)
    assert (row["ecommerce"], row["farming"], row["ready"]) == (1, 1, 1)
    assert (row["industry_assists"], row["industry_activities"]) == (2, 1)


# ---------------------------------------------------------------- emergency screening


def test_screening_priorities_follow_the_rules() -> None:
    """Two reasons or alone at 80+ is priority 1; a left-behind child only is 3; else 2."""
    residents = _residents(
        [
            {"age": 83, "lives_alone": True},  # 1: alone at 80+
            {"age": 66, "lives_alone": True, "tekun": True},  # 1: two reasons
            {"age": 66, "lives_alone": True},  # 2
            {"age": 40, "disability_grade": 1},  # 2
            {"age": 40, "disability_grade": 3},  # not listed: grade 3
            {"age": 8, "left_behind_child": True},  # 3
            {"age": 50, "lives_alone": True},  # not listed: under 60
        ]
    )
    residents["resident_id"] = [f"R{k}" for k in range(len(residents))]
    residents["household_id"] = [f"H{k}" for k in range(len(residents))]
    screen = cm.screening_list(residents).set_index("resident_id")
    assert screen["priority"].to_dict() == {"R0": 1, "R1": 1, "R2": 2, "R3": 2, "R5": 3}
    assert screen.loc["R1", "reasons"] == "elder_alone;tekun"
    assert "name_zh" not in screen.columns  # minimum necessary: ids, never names
    later = cm.screening_list(residents, oldest=85).set_index("resident_id")
    assert later.loc["R0", "priority"] == 2


def test_households_take_the_most_urgent_member() -> None:
    """Does a household get its most urgent member's priority, all reasons and a due day?"""
    residents = _residents(
        [
            {"age": 9, "left_behind_child": True},
            {"age": 84, "lives_alone": False, "disability_grade": 2, "tekun": True},
            {"age": 7, "left_behind_child": True},
        ]
    )
    residents["resident_id"] = ["R1", "R2", "R3"]
    residents["household_id"] = ["H1", "H1", "H2"]
    households = cm.screening_households(cm.screening_list(residents)).set_index("household_id")
    assert households.loc["H1", "priority"] == 1 and households.loc["H1", "listed"] == 2
    assert households.loc["H1", "reasons"] == "severe_disability;left_behind_child;tekun"
    assert households.loc["H1", "due_days"] == 1 and households.loc["H2", "due_days"] == 7


def test_screening_refuses_odd_age_lines() -> None:
    """Is an age line outside 60-110, or not a whole number, a clear error?"""
    residents = _residents([{"age": 83, "lives_alone": True}])
    residents["resident_id"], residents["household_id"] = "R1", "H1"
    for oldest in (59, 111, 80.5, True):
        with pytest.raises(cm.CommunityError, match="60"):
            cm.screening_list(residents, oldest=oldest)  # type: ignore[arg-type]


def test_screening_of_generated_world(county_world: dict[str, pd.DataFrame]) -> None:
    """On the county roster, are all three priorities used and each household listed once?"""
    screen = cm.screening_list(county_world["residents"])
    assert set(screen["priority"]) == {1, 2, 3}
    assert screen["resident_id"].is_unique
    households = cm.screening_households(screen)
    assert households["household_id"].is_unique
    assert households["listed"].sum() == len(screen)


def test_labels_come_from_card_and_catalogue() -> None:
    """Are need codes, reasons and priorities shown in Chinese and English?"""
    assert cm.code_labels("needs_survey", "need_1")["elder_care"] == "养老照护"
    assert cm.code_labels("needs_survey", "need_1", "en")["elder_care"] == "elder care"
    assert cm.reason_label("elder_alone;tekun") == "独居老人、特困人员"
    assert cm.reason_label("tekun", "en").startswith("person in extreme poverty")
    assert cm.priority_label(1, "en").startswith("priority 1")
    with pytest.raises(cm.CommunityError):
        cm.code_labels("needs_survey", "no_such_column")


def test_teaching_station_is_the_township_with_most_villages(
    county_world: dict[str, pd.DataFrame],
) -> None:
    """Is the course example the township with the most villages, with its own station?"""
    w = county_world
    example = cm.teaching_station(w["villages"], w["stations"])
    sizes = w["villages"].groupby("township_id").size()
    assert sizes[example["township_id"]] == sizes.max()
    station = w["stations"].set_index("station_id").loc[example["station_id"]]
    assert station["township_id"] == example["township_id"]
    assert station["level"] == "township_station"
    assert set(cm.NEED_SKILLS) == set(NEEDS)
