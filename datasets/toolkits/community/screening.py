"""Emergency screening: vulnerable people and households to check, with priorities."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shegong.datasets.toolkits.community.profile import CommunityError, _need
from shegong.messages import Lang, text

# Emergency screening: why someone is on the list, and how soon each priority is contacted.
REASONS = ("elder_alone", "severe_disability", "left_behind_child", "tekun")


FOLLOW_UP_DAYS = {1: 1, 2: 3, 3: 7}


def screening_list(residents: pd.DataFrame, oldest: int = 80) -> pd.DataFrame:
    """People on the roster to check in an emergency, with why and how urgently.

    Reasons (``REASONS``): ``elder_alone`` (60+ living alone), ``severe_disability`` (grade
    1-2), ``left_behind_child``, ``tekun`` (特困). Priority 1 (contact within a day): two or
    more reasons, or living alone at ``oldest`` or over. Priority 3 (within a week, through
    the guardian): a left-behind child with no other reason. Everyone else listed:
    priority 2 (within three days). Only the columns the task needs are kept (ids, age,
    reasons, priority), never names: the minimum necessary.
    """
    _need(residents, ["resident_id", "station_id", "village_id", "household_id", "age",
                      "lives_alone", "left_behind_child", "tekun", "disability_grade"],
          "residents")  # fmt: skip
    if (
        isinstance(oldest, bool)
        or not isinstance(oldest, int | np.integer)
        or not (60 <= oldest <= 110)
    ):
        raise CommunityError("error.community_oldest", oldest=oldest)
    r = residents
    reasons = pd.DataFrame(
        {
            "elder_alone": (r["age"] >= 60) & r["lives_alone"].astype(bool),
            "severe_disability": r["disability_grade"].isin([1, 2]).fillna(False),
            "left_behind_child": r["left_behind_child"],
            "tekun": r["tekun"],
        },
        index=r.index,
    ).astype(bool)
    count = reasons.sum(axis=1)
    urgent = (count >= 2) | (reasons["elder_alone"] & (r["age"] >= oldest))
    child_only = (count == 1) & reasons["left_behind_child"]
    priority = np.select([urgent, child_only], [1, 3], default=2)
    out = r[["station_id", "village_id", "household_id", "resident_id", "age"]].join(reasons)
    out["reasons"] = reasons.apply(lambda row: ";".join(c for c in REASONS if row[c]), axis=1)
    out["priority"] = priority
    out = out[count > 0]
    return out.sort_values(["priority", "village_id", "household_id", "resident_id"]).reset_index(
        drop=True
    )


def screening_households(screen: pd.DataFrame) -> pd.DataFrame:
    """The screening list by household (one visit or call per household): the most urgent
    priority among its listed members, their reasons, how many are listed, the oldest age
    and ``due_days`` (1, 3 or 7) by ``FOLLOW_UP_DAYS``."""
    _need(screen, ["station_id", "village_id", "household_id", "resident_id", "age", "reasons",
                   "priority"], "screening")  # fmt: skip

    def joined(codes: pd.Series) -> str:
        found = {c for row in codes for c in str(row).split(";") if c}
        return ";".join(c for c in REASONS if c in found)

    out = screen.groupby("household_id").agg(
        station_id=("station_id", "first"), village_id=("village_id", "first"),
        listed=("resident_id", "size"), oldest_age=("age", "max"),
        reasons=("reasons", joined), priority=("priority", "min"),
    )  # fmt: skip
    out["due_days"] = out["priority"].map(FOLLOW_UP_DAYS).astype("int64")
    return (
        out.reset_index()
        .sort_values(["priority", "village_id", "household_id"])
        .reset_index(drop=True)
    )


def reason_label(codes: str, lang: Lang = "zh") -> str:
    """Readable reasons: ``"elder_alone;tekun"`` -> ``独居老人、特困人员``."""
    sep = "、" if lang == "zh" else ", "
    return sep.join(text(f"community.reason.{c}", lang) for c in str(codes).split(";") if c)


def priority_label(priority: int, lang: Lang = "zh") -> str:
    """Readable priority: 1 -> ``一级（一天内联系）``."""
    return text(f"community.priority.p{int(priority)}", lang)
