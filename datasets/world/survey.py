"""Household needs survey 入户需求调查: what a station learns when it walks its villages.

Each township station surveys 10-30 households per village it serves, once, some months after
opening (participatory needs assessment, brief §2.5, §6.3). Respondents rank their three most
pressing needs, say whether they would volunteer and name a skill they could offer (the
asset side of asset-based community development). Hollowed villages put elder care and
medical access first; urban communities lean towards child care and public space [A].
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shegong.datasets.world import calibration as cal
from shegong.datasets.world.context import World
from shegong.datasets.world.dates import as_day, to_date, uniform_days
from shegong.datasets.world.names import codes

NEEDS = (
    "elder_care",
    "child_care",
    "medical_access",
    "income_jobs",
    "roads_transport",
    "public_space",
    "clean_water",
    "safety",
    "culture_activities",
    "policy_information",
)
# Base weights in a village and in an urban community; hollowing shifts villages further.
_VILLAGE_W = np.array([3.0, 1.2, 2.6, 2.2, 1.6, 0.8, 1.0, 0.7, 0.9, 1.2])
_COMMUNITY_W = np.array([1.8, 2.2, 1.2, 1.5, 0.6, 2.0, 0.4, 1.2, 1.6, 0.9])
_HOLLOW_SHIFT = np.array([2.0, -0.3, 1.0, 0.8, 0.2, -0.3, 0.0, 0.0, -0.2, 0.3])
SKILLS = (
    "farming",
    "cooking",
    "handicraft",
    "driving",
    "medical",
    "teaching",
    "building",
    "ecommerce",
    "none",
)
_SKILL_P = np.array([0.22, 0.14, 0.08, 0.08, 0.03, 0.05, 0.07, 0.05, 0.28])


def _rank_three(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """Three distinct needs per row, drawn without replacement in proportion to weights
    (Gumbel top-k: the three largest of log-weight + Gumbel noise)."""
    keys = np.log(np.maximum(weights, 1e-6)) + rng.gumbel(size=weights.shape)
    return np.argsort(-keys, axis=1)[:, :3]


def build_survey(world: World) -> None:
    """Add ``needs_survey``: one row per surveyed household."""
    rng = world.rng("survey")
    st = world["stations"]
    ts = st[st["level"] == "township_station"][["station_id", "township_id", "opened_on"]]
    villages = world["villages"].merge(ts, on="township_id")
    per = np.minimum(rng.integers(10, 31, len(villages)), villages["households"].to_numpy())
    rows = np.repeat(np.arange(len(villages)), per)
    v = villages.iloc[rows].reset_index(drop=True)
    n = len(v)
    community = (v["type"] == "community").to_numpy()
    hollow = v["outmigration_share"].to_numpy()[:, None]
    weights = np.where(community[:, None], _COMMUNITY_W, _VILLAGE_W + hollow * _HOLLOW_SHIFT * 3)
    top = np.array(NEEDS)[_rank_three(rng, weights)]
    opened = as_day(v["opened_on"])
    start = opened + np.timedelta64(30, "D")
    stop = np.minimum(opened + np.timedelta64(150, "D"), np.datetime64(cal.PERIOD_END))
    surveyed = uniform_days(rng, start, stop)
    keep = surveyed <= np.datetime64(cal.PERIOD_END)
    age = np.clip(rng.normal(np.where(community, 48, 58), 14, n), 18, 90).astype(np.int64)
    elder_alone = ~community & (rng.random(n) < 0.12 + 0.3 * v["outmigration_share"].to_numpy())
    child_left = ~community & (rng.random(n) < 0.08 + 0.25 * v["outmigration_share"].to_numpy())
    willing = rng.random(n) < np.where(age >= 70, 0.18, 0.38)
    skill = np.where(willing | (rng.random(n) < 0.5), rng.choice(SKILLS, n, p=_SKILL_P), "none")
    known = rng.random(n) < 0.7  # 30 % have not heard of the station yet
    satisfaction = np.where(known, np.clip(np.round(rng.normal(4.0, 0.8, n)), 1, 5), np.nan)
    frame = pd.DataFrame(
        {
            "survey_id": codes("NS", n, 6),
            "station_id": v["station_id"],
            "village_id": v["village_id"],
            "surveyed_on": to_date(surveyed),
            "respondent_sex": np.where(rng.random(n) < 0.55, "F", "M"),
            "respondent_age": age,
            "household_size": np.clip(rng.poisson(np.where(community, 2.6, 2.3), n), 1, 8),
            "elder_living_alone": elder_alone,
            "left_behind_child": child_left,
            "need_1": top[:, 0],
            "need_2": top[:, 1],
            "need_3": top[:, 2],
            "knows_station": known,
            "satisfaction": satisfaction,
            "willing_to_volunteer": willing,
            "skill": skill,
        }
    )
    frame = frame[keep].reset_index(drop=True)
    frame["survey_id"] = codes("NS", len(frame), 6)
    world.add("needs_survey", frame)
