"""Community assets (ABCD), the five parties of 五社联动, linked resources and livelihoods."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from shegong.datasets.toolkits.community.profile import (
    DAYS_PER_MONTH,
    LIVELIHOOD_SKILLS,
    NEED_COLUMNS,
    _need,
)
from shegong.datasets.world import calibration as cal
from shegong.datasets.world.services import PARTNERS


def _top_skill(skills: pd.Series) -> str:
    offered = skills[skills.ne("none")].value_counts().sort_index()
    return str(offered.idxmax()) if len(offered) else "none"


def asset_table(
    survey: pd.DataFrame,
    stations: pd.DataFrame | None = None,
    activities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Individual assets per village from the needs survey, plus places and activity.

    ``willing`` respondents would volunteer, ``skilled`` named a skill, ``ready`` did both
    (the people to ask first); ``top_skill`` is the skill named most often. With
    ``stations``, ``has_room`` says whether the village has a social work room; with
    ``activities``, ``activities_held`` counts community activities held there and
    ``parties_seen`` how many of the five parties (五社) have worked in them.
    """
    _need(survey, ["village_id", "willing_to_volunteer", "skill"], "needs_survey")
    s = survey.assign(
        willing=survey["willing_to_volunteer"].astype(bool),
        skilled=survey["skill"].notna() & survey["skill"].ne("none"),
    )
    s["ready"] = s["willing"] & s["skilled"]
    out = s.groupby("village_id").agg(
        respondents=("village_id", "size"),
        willing=("willing", "sum"),
        skilled=("skilled", "sum"),
        ready=("ready", "sum"),
        skill_kinds=("skill", lambda x: x[x.ne("none")].nunique()),
        top_skill=("skill", _top_skill),
    )
    out["willing_share"] = (out["willing"] / out["respondents"]).round(3)
    if stations is not None:
        _need(stations, ["level", "village_id"], "stations")
        rooms = stations.loc[stations["level"] == "village_room", "village_id"]
        out["has_room"] = out.index.isin(set(rooms))
    if activities is not None:
        _need(activities, ["village_id"], "activities")
        held = activities.groupby("village_id").size()
        out["activities_held"] = held.reindex(out.index, fill_value=0).astype("int64")
        seen = partner_flags(activities).groupby(activities["village_id"]).any().sum(axis=1)
        out["parties_seen"] = seen.reindex(out.index, fill_value=0).astype("int64")
    return out.reset_index()


def station_assets(
    stations: pd.DataFrame,
    community_orgs: pd.DataFrame,
    volunteer_teams: pd.DataFrame,
    volunteers: pd.DataFrame,
) -> pd.DataFrame:
    """Organised assets per township station: village rooms, community organisations
    (``orgs``, ``orgs_registered``, ``org_members``), volunteer teams, registered volunteers
    and their total and mean hours."""
    _need(stations, ["station_id", "level", "name_zh", "parent_station_id"], "stations")
    _need(community_orgs, ["station_id", "registered", "members"], "community_orgs")
    _need(volunteer_teams, ["team_id", "station_id"], "volunteer_teams")
    _need(volunteers, ["team_id", "hours_total"], "volunteers")
    ts = stations.loc[stations["level"] == "township_station", ["station_id", "name_zh"]]
    rooms = stations[stations["level"] == "village_room"].groupby("parent_station_id").size()
    orgs = community_orgs.groupby("station_id").agg(
        orgs=("station_id", "size"), orgs_registered=("registered", "sum"),
        org_members=("members", "sum"),
    )  # fmt: skip
    teams = volunteer_teams.groupby("station_id").size().rename("teams")
    people = volunteers.merge(volunteer_teams[["team_id", "station_id"]], on="team_id")
    vols = people.groupby("station_id").agg(
        volunteers=("team_id", "size"), volunteer_hours=("hours_total", "sum")
    )
    out = ts.set_index("station_id").join(rooms.rename("rooms")).join([orgs, teams, vols])
    counts = ["rooms", "orgs", "orgs_registered", "org_members", "teams", "volunteers"]
    out[counts] = out[counts].fillna(0).astype("int64")
    out["volunteer_hours"] = out["volunteer_hours"].fillna(0).round(1)
    out["hours_per_volunteer"] = out["volunteer_hours"] / out["volunteers"].replace(0, np.nan)
    out["hours_per_volunteer"] = out["hours_per_volunteer"].round(1)
    return out.reset_index()


def partner_flags(frame: pd.DataFrame) -> pd.DataFrame:
    """One True/False column per party of 五社联动: did it take part in this row?

    ``partners`` holds codes joined by ";" (``activities`` and ``ledger``)."""
    _need(frame, ["partners"], "partners")
    dummies = frame["partners"].fillna("").astype(str).str.get_dummies(sep=";")
    return dummies.reindex(columns=list(PARTNERS), fill_value=0).astype(bool)


def partner_counts(frame: pd.DataFrame, by: str | None = None) -> pd.DataFrame | pd.Series:
    """How many rows each of the five parties took part in (per ``by`` group if given)."""
    flags = partner_flags(frame).astype("int64")
    if by is None:
        return flags.sum()
    _need(frame, [by], "partners")
    return flags.groupby(frame[by]).sum()


def _months_open(opened: pd.Series, until: dt.date) -> pd.Series:
    days = (pd.Timestamp(until) - pd.to_datetime(opened)).dt.days.clip(lower=0)
    return (days / DAYS_PER_MONTH).round(1)


def resource_table(
    ledger: pd.DataFrame, stations: pd.DataFrame, until: dt.date = cal.PERIOD_END
) -> pd.DataFrame:
    """Resources linked (资源链接) per township station, with the article's rate beside them.

    ``resource_yuan`` sums the resource-linking rows; ``months_open`` runs from opening to
    ``until``; ``article_rate_yuan`` is the source article's total divided by its 843
    township stations (cumulative, as the article reports it) and ``ratio_to_rate`` compares
    with it.
    """
    _need(ledger, ["station_id", "service", "resource_yuan"], "ledger")
    _need(stations, ["station_id", "level", "name_zh", "opened_on"], "stations")
    rows = ledger[ledger["service"] == "resource_linking"]
    sums = rows.groupby("station_id").agg(
        entries=("resource_yuan", "size"),
        resource_yuan=("resource_yuan", "sum"),
        largest_yuan=("resource_yuan", "max"),
    )
    ts = stations.loc[stations["level"] == "township_station",
                      ["station_id", "name_zh", "opened_on"]]  # fmt: skip
    out = ts.merge(sums, left_on="station_id", right_index=True, how="left")
    out[list(sums.columns)] = out[list(sums.columns)].fillna(0).astype("int64")
    out["months_open"] = _months_open(out["opened_on"], until)
    out["yuan_per_month"] = (out["resource_yuan"] / out["months_open"].replace(0, np.nan)).round()
    out["article_rate_yuan"] = round(cal.per_township_station("resources_yuan"))
    out["ratio_to_rate"] = (out["resource_yuan"] / out["article_rate_yuan"]).round(2)
    return out.drop(columns="opened_on").reset_index(drop=True)


def livelihood_table(
    survey: pd.DataFrame, ledger: pd.DataFrame, villages: pd.DataFrame
) -> pd.DataFrame:
    """Livelihood (产业发展) per village: how many respondents put income and jobs first or
    among their three needs, livelihood skills offered (farming, handicraft, e-commerce; and
    ``ready``: willing to volunteer with one of them), and the station's industry assists
    (one-to-one, ``industry_assists``) and industry activities recorded in the ledger."""
    _need(survey, ["village_id", *NEED_COLUMNS, "skill", "willing_to_volunteer"], "needs_survey")
    _need(ledger, ["village_id", "service", "contact"], "ledger")
    _need(villages, ["village_id", "township_id", "name_zh", "outmigration_share"], "villages")
    livelihood = survey["skill"].isin(LIVELIHOOD_SKILLS)
    s = survey.assign(
        income_first=survey["need_1"].eq("income_jobs"),
        income_any=survey[list(NEED_COLUMNS)].isin(["income_jobs"]).any(axis=1),
        ready=livelihood & survey["willing_to_volunteer"].astype(bool),
        **{skill: survey["skill"].eq(skill) for skill in LIVELIHOOD_SKILLS},
    )
    per = s.groupby("village_id").agg(
        respondents=("village_id", "size"), income_first=("income_first", "sum"),
        income_any=("income_any", "sum"), **{k: (k, "sum") for k in LIVELIHOOD_SKILLS},
        ready=("ready", "sum"),
    )  # fmt: skip
    industry = ledger[ledger["service"] == "industry_development"]
    activity = industry["contact"] == "activity"
    assists = industry[~activity].groupby("village_id").size().rename("industry_assists")
    events = industry[activity].groupby("village_id").size().rename("industry_activities")
    base = villages[["village_id", "township_id", "name_zh", "outmigration_share"]]
    out = base.merge(per, left_on="village_id", right_index=True, how="inner")
    out = out.join(assists, on="village_id").join(events, on="village_id")
    counts = [c for c in out.columns if c not in base.columns]
    out[counts] = out[counts].fillna(0).astype("int64")
    out["income_any_share"] = (out["income_any"] / out["respondents"]).round(3)
    return out.reset_index(drop=True)
