"""Supervision received by station workers: sessions and the cases discussed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shegong.datasets.world import calibration as cal
from shegong.datasets.world.context import World
from shegong.datasets.world.dates import as_day, to_date, uniform_days
from shegong.datasets.world.names import codes
from shegong.datasets.world.services.codes import (
    END,
    active_days,
    pick_in_station,
    township_stations,
)


def build_supervision(
    world: World, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Sessions each township station received, mostly from its operator's supervisors."""
    ts = township_stations(world)
    sup = world["supervisors"]
    months = active_days(ts) / 30.4
    per = rng.poisson(months * rng.uniform(0.6, 1.8, len(ts)))
    rep = np.repeat(np.arange(len(ts)), per)
    n = rep.size
    station = ts["station_id"].to_numpy()[rep]
    agency = ts["operator_agency_id"].to_numpy()[rep]
    chengdu_sup = sup[sup["base"] != "local_agency"]
    supervisor = pick_in_station(
        rng, sup.rename(columns={"agency_id": "station_id"}), agency, "supervisor_id"
    )
    fallback = rng.choice(chengdu_sup["supervisor_id"].to_numpy(), n)
    supervisor = np.where(pd.isna(supervisor), fallback, supervisor)
    mode = rng.choice(
        ("individual", "group", "peer", "onsite", "online"), n, p=(0.3, 0.25, 0.1, 0.15, 0.2)
    )
    functions = np.full(n, "", dtype=object)
    for code, prob in (
        ("administrative", 0.45),
        ("educational", 0.8),
        ("supportive", 0.5),
        ("project_planning", 0.3),
        ("resource_linking", 0.2),
    ):
        functions = np.where(rng.random(n) < prob, functions + code + ";", functions)
    functions = np.where(functions == "", "educational;", functions)
    risk = rng.choice(
        ("none", "suicide_risk", "abuse", "confidentiality_breach"), n, p=(0.93, 0.03, 0.02, 0.02)
    )
    opened = as_day(ts["opened_on"].to_numpy()[rep])
    sessions = pd.DataFrame(
        {
            "session_id": codes("SV", n, 6),
            "station_id": station,
            "supervisor_id": supervisor,
            "held_on": to_date(
                uniform_days(rng, opened + np.timedelta64(15, "D"), np.full(n, END))
            ),
            "mode": mode,
            "duration_min": np.where(
                mode == "group", rng.choice((90, 120), n), rng.choice((45, 60, 90), n)
            ),
            "functions": pd.Series(functions).str.rstrip(";").to_numpy(),
            "risk_flag": risk,
        }
    )
    workers = world["workers"]
    workers = workers[workers["station_id"].isin(set(ts["station_id"]))]
    att = sessions[["session_id", "station_id", "mode"]].merge(
        workers[["worker_id", "station_id", "hired_on"]], on="station_id"
    )
    att = att.merge(sessions[["session_id", "held_on"]], on="session_id")
    hired_before = as_day(att["hired_on"]) <= as_day(att["held_on"])
    solo = att["mode"].isin(["individual", "onsite"]).to_numpy()
    pick = rng.random(len(att))
    first_pick = att.assign(r=pick).groupby("session_id")["r"].transform("min").to_numpy()
    keep = hired_before & np.where(solo, pick == first_pick, pick < 0.85)
    attendees = att.loc[keep, ["session_id", "worker_id"]].reset_index(drop=True)
    # A session nobody could attend (no worker hired yet) did not happen.
    sessions = sessions[sessions["session_id"].isin(attendees["session_id"])]
    renumber = dict(zip(sessions["session_id"], codes("SV", len(sessions), 6), strict=True))
    sessions = sessions.assign(session_id=sessions["session_id"].map(renumber))
    attendees = attendees.assign(session_id=attendees["session_id"].map(renumber))
    discussed = _cases_discussed(world, rng, sessions)
    count = discussed.groupby("session_id").size()
    sessions = sessions.assign(
        cases_discussed=sessions["session_id"].map(count).fillna(0).astype(np.int64)
    )
    return sessions.reset_index(drop=True), attendees, discussed


def _cases_discussed(
    world: World, rng: np.random.Generator, sessions: pd.DataFrame
) -> pd.DataFrame:
    """Cases brought to each supervision session: open cases of the station on that day."""
    cases = world["cases"]
    want = rng.poisson(1.4, len(sessions))
    # Draw several candidates per wanted case and keep the first ones open on the day.
    rep = np.repeat(np.arange(len(sessions)), want * 6)
    station = sessions["station_id"].to_numpy()[rep]
    held = as_day(sessions["held_on"].to_numpy()[rep])
    case_id = pick_in_station(rng, cases, station, "case_id")
    info = cases.set_index("case_id")
    ids = pd.Series(case_id)
    start = as_day(ids.map(info["intake_on"]))
    stop = as_day(ids.map(info["closure_on"]).fillna(cal.PERIOD_END))
    open_then = pd.notna(case_id) & (start <= held) & (held <= stop)
    out = pd.DataFrame({"row": rep[open_then], "case_id": case_id[open_then]}).drop_duplicates()
    out = out[out.groupby("row").cumcount().to_numpy() < want[out["row"].to_numpy()]]
    return pd.DataFrame(
        {
            "session_id": sessions["session_id"].to_numpy()[out["row"]],
            "case_id": out["case_id"].to_numpy(),
        }
    ).reset_index(drop=True)
