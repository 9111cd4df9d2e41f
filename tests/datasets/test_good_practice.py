"""Does the clean simulated world show good practice (issue 14), on two seeds?

Safety follow-ups are recorded, instruments fit the respondent's age, referral sources are
plausible, and closure agrees with the goal ratings. The messy world breaks these on purpose
(``test_messy.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shegong.datasets.toolkits.casework import safety_followups
from shegong.datasets.world.good_practice import AGE_FIT
from shegong.datasets.world.pipeline import generate

World = dict[str, pd.DataFrame]


@pytest.fixture(scope="module", params=[2022, 7], ids=lambda s: f"seed{s}")
def world(request: pytest.FixtureRequest, county_world: World) -> World:
    return county_world if request.param == 2022 else generate("county", request.param)


def _age(born: pd.Series, day: pd.Series) -> pd.Series:
    """Whole years, as a lesson computes them (days // 365)."""
    return (pd.to_datetime(day) - pd.to_datetime(born)).dt.days // 365


def _case_measures(world: World) -> pd.DataFrame:
    born = world["residents"].set_index("resident_id")["birth_date"]
    m = world["case_measures"].merge(world["cases"][["case_id", "resident_id"]], on="case_id")
    return m.assign(age=_age(m["resident_id"].map(born), m["measured_on"]))


def _group_measures(world: World) -> pd.DataFrame:
    born = world["residents"].set_index("resident_id")["birth_date"]
    m = world["group_measures"]
    return m.assign(age=_age(m["resident_id"].map(born), m["measured_on"]))


def test_flagged_case_measures_are_followed_up_within_a_day(world: World) -> None:
    """Does every flagged case measure (PHQ-9 item 9 ...) have a recorded contact of its
    case the same day or the next, as the casework lesson's safety_followups reads it?"""
    measures = world["case_measures"]
    flagged = measures[measures["flags"].fillna("").ne("")]
    assert len(flagged) >= 10  # enough flags for the check to mean something
    for flag in sorted({f for joined in flagged["flags"] for f in joined.split(";")}):
        follow = safety_followups(measures, world["cases"], world["ledger"], flag=flag)
        assert len(follow) > 0 and follow["followed_up"].all(), flag


def test_flagged_group_measures_are_followed_up_within_a_day(world: World) -> None:
    """Does every flagged group measure have a ledger contact with that member in a day?"""
    m = world["group_measures"]
    flagged = m[m["flags"].fillna("").ne("")]
    ledger = world["ledger"][["resident_id", "contact_on"]].dropna()
    joined = flagged.merge(ledger, on="resident_id")
    days = (joined["contact_on"] - joined["measured_on"]).dt.days
    within = joined[days.between(0, 1)]["measure_id"].unique()
    assert set(within) == set(flagged["measure_id"])


def test_no_sdq_self_report_under_11(world: World) -> None:
    """Is the SDQ self-report given only to children aged 11-17 on the day?"""
    sdq = pd.concat([_case_measures(world), _group_measures(world)])
    sdq = sdq[sdq["instrument"] == "sdq"]
    assert len(sdq) > 0
    assert sdq["age"].between(11, 17).all(), sdq[~sdq["age"].between(11, 17)]


def test_every_measure_fits_its_respondents_age(world: World) -> None:
    """Does every case and group measure use an instrument meant for the client's age?"""
    for frame in (_case_measures(world), _group_measures(world)):
        low = frame["instrument"].map(lambda i: AGE_FIT[i][0])
        high = frame["instrument"].map(lambda i: AGE_FIT[i][1])
        bad = frame[(frame["age"] < low) | (frame["age"] > high)]
        assert bad.empty, bad[["measure_id", "instrument", "age"]]


def test_group_members_fit_the_groups_instrument(world: World) -> None:
    """Is every admitted member old enough for the group's scale on the first session (no
    preschoolers in a Rosenberg self-esteem group: 12 or over)?"""
    born = world["residents"].set_index("resident_id")["birth_date"]
    members = world["group_members"].merge(world["groups"], on="group_id")
    members = members[members["screening"] == "admitted"]
    age = _age(members["resident_id"].map(born), members["first_session_on"])
    low = members["outcome_instrument"].map(lambda i: AGE_FIT[i][0])
    assert (age >= low).all()
    rses = age[members["outcome_instrument"] == "rses"]
    assert len(rses) > 0 and rses.min() >= 12


def test_referral_sources_are_plausible_for_the_client(world: World) -> None:
    """Does a school refer only school-age children (6 or over at intake), never an elder?"""
    cases = world["cases"]
    born = world["residents"].set_index("resident_id")["birth_date"]
    age = _age(cases["resident_id"].map(born), cases["intake_on"])
    school = cases["referral_source"] == "school"
    assert school.any()
    assert (cases.loc[school, "client_group"] == "child").all()
    assert (age[school] >= 6).all()


def test_closure_reason_agrees_with_the_goal_ratings(world: World) -> None:
    """Goals met: every goal at 0 or above (T >= 50); referred after evaluation: T < 50."""
    cases = world["cases"].set_index("case_id")
    goals = world["case_goals"].dropna(subset=["rating"])
    reason = goals["case_id"].map(cases["closure_reason"])
    met = goals[reason == "goals_met"]
    assert len(met) > 0 and (met["rating"] >= 0).all()
    closed = cases[cases["gas_tscore"].notna()]
    assert (closed.loc[closed["closure_reason"] == "goals_met", "gas_tscore"] >= 50).all()
    referred = closed.loc[closed["closure_reason"] == "referred", "gas_tscore"]
    assert len(referred) > 0 and (referred < 50).all()
    # Transfers and moves still vary: the ratings are not a copy of the reason.
    other = closed.loc[closed["closure_reason"].isin(["transferred", "died_or_moved"])]
    assert np.ptp(other["gas_tscore"].to_numpy()) > 10
