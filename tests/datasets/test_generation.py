"""Is the simulated world deterministic, valid, and calibrated to the source article?"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from shegong.datasets.card import card
from shegong.datasets.instruments import score_items
from shegong.datasets.world import calibration as cal
from shegong.datasets.world.pipeline import STEPS, build, generate
from shegong.progress import RecordingReporter

# sha256 over the per-table CSV hashes of the county world, seed 2022. A change here means
# every lesson's numbers change: update it only on purpose, and say why in the commit.
COUNTY_2022_SHA256 = "fb1cda3222dd0e38f715ef56db3371229bd38d2ff0d93d146330a2ced9ab9927"


def _combined(hashes: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    """Do two builds with one seed write the same bytes (CSV and parquet), and is it pinned?"""
    first = build("county", 2022, tmp_path / "a")
    second = build("county", 2022, tmp_path / "b")
    assert first.hashes == second.hashes
    for name in first.counts:
        assert (first.path / f"{name}.parquet").read_bytes() == (
            second.path / f"{name}.parquet"
        ).read_bytes(), name
    assert _combined(first.hashes) == COUNTY_2022_SHA256


def test_another_seed_gives_another_world(county_world: dict[str, pd.DataFrame]) -> None:
    """Does another seed change the people and records but keep the same structure?"""
    other = generate("county", 7)
    assert list(other) == list(county_world)
    assert not other["residents"]["name_zh"].equals(county_world["residents"]["name_zh"])
    assert len(other["ledger"]) != len(county_world["ledger"])
    # The geography skeleton is shared by design only within one seed.
    assert other["stations"]["level"].value_counts().to_dict() == {
        "village_room": len(other["stations"]) - 10,
        "township_station": 8,
        "county_station": 1,
        "city_centre": 1,
    }


def test_progress_reports_every_step() -> None:
    """Does a build report each named step, in order, so the CLI can show progress?"""
    reporter = RecordingReporter()
    generate("county", 3, reporter)
    assert len(reporter.labels) == len(STEPS) + 1
    assert reporter.labels[0].startswith("生成行政区划")


def test_every_table_and_column_is_documented(county_world: dict[str, pd.DataFrame]) -> None:
    """Does the data card document exactly the generated tables and columns, in order?"""
    assert list(card().tables) == list(county_world)
    for name, frame in county_world.items():
        assert card().tables[name].column_names == list(frame.columns), name


def test_county_is_a_teaching_size(county_world: dict[str, pd.DataFrame]) -> None:
    """Is the county world one county, a few townships, all four station levels?"""
    assert len(county_world["counties"]) == 1
    assert len(county_world["townships"]) == cal.TEACHING_COUNTY_TOWNSHIPS
    assert set(county_world["stations"]["level"]) == {
        "city_centre",
        "county_station",
        "township_station",
        "village_room",
    }
    assert 50 <= len(county_world["cases"]) <= 2000
    assert len(county_world["ledger"]) < 100_000


def test_case_measures_agree_with_the_scoring_module(county_world: dict[str, pd.DataFrame]) -> None:
    """Are stored totals and bands exactly what the scoring module computes from the items?"""
    for kind in ("case", "group"):
        measures = county_world[f"{kind}_measures"].set_index("measure_id")
        scored = score_items(county_world[f"{kind}_measure_items"]).set_index("measure_id")
        assert (measures["total"] == scored.loc[measures.index, "total"]).all()
        assert (measures["band"] == scored.loc[measures.index, "band"]).all()


def test_post_measures_follow_pre(county_world: dict[str, pd.DataFrame]) -> None:
    """Is every post measure dated after the same client's pre measure on that instrument?"""
    m = county_world["case_measures"]
    wide = m.pivot_table(
        index=["case_id", "instrument"], columns="timepoint", values="measured_on", aggfunc="first"
    )
    both = wide.dropna()
    assert len(both) > 10
    assert (both["post"] > both["pre"]).all()


def test_open_cases_stop_at_their_stage(county_world: dict[str, pd.DataFrame]) -> None:
    """Does each case's stage match the last stage date it has?"""
    cases = county_world["cases"]
    order = ["intake", "assessment", "planning", "intervention", "evaluation"]
    open_cases = cases[cases["stage"] != "closure"]
    for stage in order:
        rows = open_cases[open_cases["stage"] == stage]
        later = order[order.index(stage) + 1 :]
        assert rows[f"{stage}_on"].notna().all()
        for name in later:
            assert rows[f"{name}_on"].isna().all(), (stage, name)
    assert cases.loc[cases["stage"] == "closure", "closure_reason"].notna().all()


def test_groups_follow_the_five_stages(county_world: dict[str, pd.DataFrame]) -> None:
    """Does each finished group open in 形成期 and close in 结束期, with dropouts defined?"""
    sessions = county_world["group_sessions"]
    groups = county_world["groups"].set_index("group_id")
    first = sessions[sessions["session_no"] == 1]
    assert (first["stage"] == "formation").all()
    last = sessions.loc[sessions.groupby("group_id")["session_no"].idxmax()]
    finished = last[last["session_no"] == last["group_id"].map(groups["planned_sessions"])]
    assert (finished["stage"] == "termination").all()
    assert (pd.to_datetime(groups["planned_on"]) < pd.to_datetime(groups["first_session_on"])).all()


@pytest.mark.slow
def test_province_matches_the_article(province_world: dict[str, pd.DataFrame]) -> None:
    """At province scale, do station counts equal the article and outputs land within 10 %?"""
    w = province_world
    counts = w["stations"]["level"].value_counts()
    assert counts["city_centre"] == cal.ARTICLE["city_centres"]
    assert counts["county_station"] == cal.ARTICLE["county_stations"]
    assert counts["township_station"] == cal.ARTICLE["township_stations"]
    assert counts["village_room"] == cal.ARTICLE["village_rooms"]
    assert len(w["prefectures"]) == 21 and len(w["counties"]) == 183
    assert len(w["townships"]) == cal.PROVINCE_TOWNSHIPS
    assert w["prefectures"]["population_2020"].sum() == 83_674_866
    ledger = w["ledger"]
    counted = ledger[ledger["contact"] != "activity"]
    person_times = counted.groupby("service")["person_times"].sum()
    observed = {
        "assistance_person_times": person_times["social_assistance"],
        "care_person_times": person_times["elder_child_care"],
        "industry_assists": int((counted["service"] == "industry_development").sum()),
        "resources_yuan": int(ledger["resource_yuan"].sum()),
        "community_activities": len(w["activities"]),
        "volunteer_teams": len(w["volunteer_teams"]),
        "volunteers": len(w["volunteers"]),
        "community_orgs": len(w["community_orgs"]),
    }
    for key, value in observed.items():
        assert abs(value / cal.ARTICLE[key] - 1) <= 0.10, (key, value)
    assert len(ledger) >= 1_000_000


@pytest.mark.slow
def test_every_township_station_has_two_full_time_workers(
    province_world: dict[str, pd.DataFrame],
) -> None:
    """Does every township station have at least 2 full-time social workers (the article's rule)?"""
    st = province_world["stations"]
    workers = province_world["workers"]
    full = workers[workers["employment"] == "full_time"].groupby("station_id").size()
    per_station = st.loc[st["level"] == "township_station", "station_id"].map(full).fillna(0)
    assert per_station.min() >= 2


@pytest.mark.slow
def test_population_mix_follows_the_brief(province_world: dict[str, pd.DataFrame]) -> None:
    """Are hill counties older and Liangshan/Ganzi/Aba younger, as in brief §9.1?"""
    towns = province_world["townships"].merge(
        province_world["counties"][["county_id", "prefecture_id"]]
    )
    share = towns.groupby("prefecture_id")["share_60plus"].mean()
    assert share[["P19", "P20", "P21"]].max() < 0.16
    assert share[["P11", "P18", "P09"]].min() > 0.25
    res = province_world["residents"]
    rural_kids = res[(res["age"] < 16)]
    assert rural_kids["left_behind_child"].mean() > 0.3  # the roster over-represents them
    assert np.isclose(
        len(province_world["villages"]), cal.PROVINCE_VILLAGES + cal.PROVINCE_COMMUNITIES
    )


def test_gas_tscores_match_the_scoring_rule(county_world: dict[str, pd.DataFrame]) -> None:
    """Is each evaluated case's stored GAS T-score the one gas_tscore gives for its goals?"""
    from shegong.datasets.instruments import gas_tscore

    goals = county_world["case_goals"].dropna(subset=["rating"])
    cases = county_world["cases"].set_index("case_id")
    assert len(goals) > 20
    for case_id, rows in list(goals.groupby("case_id"))[:40]:
        expected = gas_tscore(rows["rating"].astype(int).tolist(), rows["weight"].tolist())
        assert cases.at[case_id, "gas_tscore"] == pytest.approx(round(expected, 1))
    not_evaluated = cases[cases["evaluation_on"].isna()]
    assert not_evaluated["gas_tscore"].isna().all()
