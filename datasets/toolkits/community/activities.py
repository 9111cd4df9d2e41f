"""Evaluating community activities: the activity summary and sign-in sheet indicators."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shegong.datasets.toolkits.community.assets import partner_flags
from shegong.datasets.toolkits.community.profile import _need


def activity_summary(
    activities: pd.DataFrame, stations: pd.DataFrame, villages: pd.DataFrame
) -> pd.DataFrame:
    """Community activities per township station: how many, person-times, volunteers,
    villages reached out of the township's villages, and how many parties took part.

    ``person_times`` and ``volunteer_times`` are person-times (人次), not people;
    ``volunteers_per_10`` is volunteer person-times per 10 participant person-times.
    """
    _need(activities, ["station_id", "village_id", "participants", "volunteers", "partners"],
          "activities")  # fmt: skip
    _need(stations, ["station_id", "level", "township_id", "name_zh"], "stations")
    _need(villages, ["village_id", "township_id"], "villages")
    flags = partner_flags(activities)
    a = activities.assign(parties=flags.sum(axis=1), charity=flags["charity"])
    per = a.groupby("station_id").agg(
        activities=("station_id", "size"), person_times=("participants", "sum"),
        volunteer_times=("volunteers", "sum"), villages_reached=("village_id", "nunique"),
        mean_parties=("parties", "mean"), with_charity=("charity", "sum"),
    )  # fmt: skip
    ts = stations.loc[stations["level"] == "township_station",
                      ["station_id", "name_zh", "township_id"]]  # fmt: skip
    size = villages.groupby("township_id").size().rename("villages")
    out = ts.merge(size, left_on="township_id", right_index=True, how="left")
    out = out.merge(per, left_on="station_id", right_index=True, how="left")
    counts = ["activities", "person_times", "volunteer_times", "villages_reached",
              "with_charity", "villages"]  # fmt: skip
    out[counts] = out[counts].fillna(0).astype("int64")
    out["mean_participants"] = out["person_times"] / out["activities"].replace(0, np.nan)
    out["mean_participants"] = out["mean_participants"].round(1)
    per_10 = 10 * out["volunteer_times"] / out["person_times"].replace(0, np.nan)
    out["volunteers_per_10"] = per_10.round(1)
    out["reach_share"] = (out["villages_reached"] / out["villages"].replace(0, np.nan)).round(3)
    out["mean_parties"] = out["mean_parties"].round(2)
    return out.drop(columns="township_id").reset_index(drop=True)


def example_sign_in_sheet() -> pd.DataFrame:
    """An invented sign-in sheet (签到表) of a four-session activity series, for teaching.

    One row per person per session attended: ``session``, ``person_id``, ``sex``, ``age``,
    ``role`` (resident or volunteer) and, at the last session only, a 1-5 ``satisfaction``
    from the exit slip (empty when the slip was left blank). The same every time.
    """
    rng = np.random.default_rng(20221009)
    n_res, n_vol = 26, 5
    people = pd.DataFrame(
        {
            "person_id": [f"P{k:02d}" for k in range(1, n_res + n_vol + 1)],
            "sex": rng.choice(["F", "M"], n_res + n_vol, p=[0.62, 0.38]),
            "age": np.r_[rng.integers(58, 89, n_res), rng.integers(24, 61, n_vol)],
            "role": ["resident"] * n_res + ["volunteer"] * n_vol,
            "keen": np.r_[rng.uniform(0.35, 0.95, n_res), np.full(n_vol, 0.9)],
        }
    )
    rows = []
    for session in range(1, 5):
        came = people[rng.random(len(people)) < people["keen"]].assign(session=session)
        rows.append(came)
    sheet = pd.concat(rows, ignore_index=True)
    last = (sheet["session"] == 4) & (sheet["role"] == "resident")
    score = np.clip(np.round(rng.normal(4.1, 0.8, len(sheet))), 1, 5)
    blank = rng.random(len(sheet)) < 0.25
    sheet["satisfaction"] = np.where(last & ~blank, score, np.nan)
    return sheet[["session", "person_id", "sex", "age", "role", "satisfaction"]]


def sign_in_indicators(sheet: pd.DataFrame) -> pd.Series:
    """Evaluation indicators of an activity from its sign-in sheet (residents, not
    volunteers, unless named): person-times and distinct people, how often people came,
    shares of people aged 60+ and of women, volunteers, and exit-slip satisfaction."""
    _need(sheet, ["session", "person_id", "sex", "age", "role", "satisfaction"], "sign_in")
    res = sheet[sheet["role"] == "resident"]
    vol = sheet[sheet["role"] == "volunteer"]
    people = res.drop_duplicates("person_id")
    sessions = sheet["session"].nunique()
    times = res.groupby("person_id").size()
    values = {
        "sessions": sessions,
        "person_times": len(res),
        "people": len(people),
        "times_per_person": round(len(res) / max(len(people), 1), 2),
        "came_every_time": int((times == sessions).sum()),
        "share_60plus": round(float((people["age"] >= 60).mean()), 3),
        "share_women": round(float((people["sex"] == "F").mean()), 3),
        "volunteer_times": len(vol),
        "volunteers": vol["person_id"].nunique(),
        "satisfaction_n": int(res["satisfaction"].notna().sum()),
        "satisfaction_mean": round(float(res["satisfaction"].mean()), 2),
    }
    return pd.Series(values, dtype="object")
