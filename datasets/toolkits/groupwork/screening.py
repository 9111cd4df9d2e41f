"""Finding group candidates: eligibility by target group, latest measures, village reach."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shegong.datasets.toolkits.groupwork.stages import GroupworkError
from shegong.datasets.world.groups import TARGETS

# Default age bands of each target group (the course's assumption): the worker's choice,
# not a standard.
AGES = {
    "elder_loneliness": (60, 120),
    "child_social_skills": (8, 15),
    "women_support": (16, 120),
    "disability_mutual_aid": (16, 59),
}


# Case-measure bands that suit a group, or call for individual service first
# (the course's assumption).
SUITS = {
    "ucla3": {"lonely"},
    "rses": {"lower", "middle"},
    "phq9": {"mild", "moderate"},
    "ssrs": {"low", "medium"},
}


INDIVIDUAL_FIRST = {"phq9": {"moderately_severe", "severe"}}


NEED_ORDER = ("suits_group", "not_measured", "low_need", "individual_first")


def _target(target: str) -> tuple[str, str]:
    if target not in TARGETS:
        raise GroupworkError(
            "error.groupwork_unknown_target", target=target, choices=", ".join(TARGETS)
        )
    return TARGETS[target][1], TARGETS[target][2]


def eligible(
    residents: pd.DataFrame, target: str, ages: tuple[int, int] | None = None
) -> pd.Series:
    """Which roster residents share the need of a target group (roster flags and age band)."""
    _target(target)
    low, high = ages or AGES[target]
    in_band = residents["age"].between(low, high)
    flag = {
        "elder_loneliness": residents["left_behind_elder"] | residents["lives_alone"],
        "child_social_skills": residents["left_behind_child"],
        "women_support": residents["left_behind_woman"],
        "disability_mutual_aid": residents["disability_category"].notna(),
    }[target]
    return (in_band & flag).rename("eligible")


def latest_measures(
    cases: pd.DataFrame, case_measures: pd.DataFrame, instrument: str
) -> pd.DataFrame:
    """Each resident's latest case measure on ``instrument``: total, band, flags, date."""
    found = case_measures[case_measures["instrument"] == instrument].merge(
        cases[["case_id", "resident_id"]], on="case_id"
    )
    found = found.sort_values(["resident_id", "measured_on"]).drop_duplicates(
        "resident_id", keep="last"
    )
    return found[["resident_id", "total", "band", "flags", "measured_on"]].reset_index(drop=True)


def _need(instrument: str, band: pd.Series, flags: pd.Series) -> pd.Series:
    need = np.select(
        [
            band.isna(),
            band.isin(INDIVIDUAL_FIRST.get(instrument, set()))
            | flags.fillna("").str.contains("self_harm"),
            band.isin(SUITS[instrument]),
        ],
        ["not_measured", "individual_first", "suits_group"],
        "low_need",
    )
    return pd.Series(need, index=band.index)


def find_candidates(
    residents: pd.DataFrame,
    target: str,
    cases: pd.DataFrame | None = None,
    case_measures: pd.DataFrame | None = None,
    ages: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Roster residents eligible for a target group, with their latest case score if any.

    ``need`` reads the latest case measure on the group's outcome instrument: ``suits_group``,
    ``individual_first`` (e.g. PHQ-9 15+ or a self-harm flag: casework and safety first),
    ``low_need`` or ``not_measured``; rows are sorted in that order, then station and village.
    """
    instrument, _ = _target(target)
    keep = [
        "resident_id",
        "station_id",
        "village_id",
        "age",
        "sex",
        "lives_alone",
        "left_behind_elder",
        "left_behind_child",
        "left_behind_woman",
        "disability_category",
    ]
    found = residents.loc[eligible(residents, target, ages), keep].reset_index(drop=True)
    found["instrument"] = instrument
    scores = pd.DataFrame(columns=["resident_id", "total", "band", "flags"])
    if cases is not None and case_measures is not None:
        scores = latest_measures(cases, case_measures, instrument)
    scores = scores.rename(
        columns={"total": "screen_total", "band": "screen_band", "flags": "screen_flags"}
    )
    found = found.merge(
        scores[["resident_id", "screen_total", "screen_band", "screen_flags"]],
        on="resident_id",
        how="left",
    )
    found["need"] = _need(instrument, found["screen_band"], found["screen_flags"])
    order = found["need"].map({n: k for k, n in enumerate(NEED_ORDER)})
    found = found.assign(_o=order).sort_values(["_o", "station_id", "village_id", "resident_id"])
    return found.drop(columns="_o").reset_index(drop=True)


def village_reach(
    candidates: pd.DataFrame, villages: pd.DataFrame, group_size: int = 8
) -> pd.DataFrame:
    """Candidates per village, most first, and whether one village alone can fill a group."""
    counts = candidates.groupby(["station_id", "village_id"]).size().rename("candidates")
    info = villages.set_index("village_id")[["name_zh", "type", "outmigration_share"]]
    out = counts.reset_index().join(info, on="village_id")
    out["enough_alone"] = out["candidates"] >= group_size
    return out.sort_values(["candidates", "village_id"], ascending=[False, True]).reset_index(
        drop=True
    )


def screening_summary(members: pd.DataFrame) -> pd.DataFrame:
    """Per group: candidates, admitted, share admitted and the count of each screen-out reason."""
    out = members.groupby("group_id").agg(
        candidates=("resident_id", "size"),
        admitted=("screening", lambda s: int((s == "admitted").sum())),
    )
    out["admitted_share"] = out["admitted"] / out["candidates"]
    reasons = pd.crosstab(members["group_id"], members["screen_out_reason"])
    out = out.join(reasons)
    out[reasons.columns] = out[reasons.columns].fillna(0).astype(int)
    return out.reset_index()
