"""Group sessions: the plan, per-session overview, member attendance and its chart."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from shegong.datasets.toolkits.groupwork.stages import (
    COMPLETER_SHARE,
    DROPOUT_BEFORE,
    GroupworkError,
    stage_label,
    stage_of,
)
from shegong.messages import Lang, text


def session_plan(groups: pd.DataFrame, group_id: str) -> pd.DataFrame:
    """The planned sessions of one group: number, date and stage (for the group plan)."""
    row = _group_row(groups, group_id)
    n = int(row["planned_sessions"])
    no = np.arange(1, n + 1)
    dates = pd.Timestamp(row["first_session_on"]) + pd.to_timedelta(
        (no - 1) * int(row["interval_days"]), "D"
    )
    return pd.DataFrame(
        {"session_no": no, "planned_on": dates, "stage": [stage_of(int(k), n) for k in no]}
    )


def _group_row(groups: pd.DataFrame, group_id: str) -> pd.Series:
    rows = groups[groups["group_id"] == group_id]
    if rows.empty:
        raise GroupworkError("error.groupwork_unknown_group", group_id=group_id)
    return rows.iloc[0]


def session_overview(
    sessions: pd.DataFrame,
    attendance: pd.DataFrame,
    engagement_drop: float = 0.8,
    attendance_floor: float = 0.6,
) -> pd.DataFrame:
    """One row per session held: members present, attendance share and engagement, with flags
    for sessions worth a closer look: engagement ``engagement_drop`` or more below the group's
    own mean, or attendance share below ``attendance_floor``."""
    counts = attendance.groupby("session_id")["attended"].agg(present="sum", members="size")
    out = sessions.join(counts, on="session_id")
    out["attendance_share"] = out["present"] / out["members"]
    out["group_engagement"] = out.groupby("group_id")["engagement"].transform("mean")
    out["low_engagement"] = out["engagement"] <= out["group_engagement"] - engagement_drop
    out["low_attendance"] = out["attendance_share"] < attendance_floor
    return out.sort_values(["group_id", "session_no"]).reset_index(drop=True)


def member_attendance(
    members: pd.DataFrame, groups: pd.DataFrame, sessions: pd.DataFrame, attendance: pd.DataFrame
) -> pd.DataFrame:
    """One row per admitted member: sessions planned, held and attended, attendance rate
    (attended / planned), the last session attended, ``finished`` (every planned session
    held), ``completer``, ``dropout`` and ``status`` (completer, partial, dropout, ongoing)."""
    admitted = members.loc[members["screening"] == "admitted", ["group_id", "resident_id"]]
    att = attendance.merge(sessions[["session_id", "group_id", "session_no"]], on="session_id")
    present = att[att["attended"]]
    per = present.groupby(["group_id", "resident_id"])["session_no"].agg(
        attended="size", last_attended="max"
    )
    out = admitted.join(per, on=["group_id", "resident_id"])
    out[["attended", "last_attended"]] = out[["attended", "last_attended"]].fillna(0).astype(int)
    out["planned"] = (
        out["group_id"].map(groups.set_index("group_id")["planned_sessions"]).astype(int)
    )
    held = sessions.groupby("group_id")["session_no"].max()
    out["held"] = out["group_id"].map(held).fillna(0).astype(int)
    out["rate"] = out["attended"] / out["planned"]
    out["finished"] = out["held"] >= out["planned"]
    out["completer"] = out["finished"] & (out["rate"] >= COMPLETER_SHARE)
    out["dropout"] = (out["held"] >= DROPOUT_BEFORE) & (out["last_attended"] < DROPOUT_BEFORE)
    out["status"] = np.select(
        [out["dropout"], ~out["finished"], out["completer"]],
        ["dropout", "ongoing", "completer"],
        "partial",
    )
    return out.reset_index(drop=True)


def attendance_trend(overview: pd.DataFrame, threshold: float = 0.2) -> pd.DataFrame:
    """Per group with 4+ sessions held: mean attendance share of the first two and of the last
    two sessions held, the change, and ``falling`` when it fell by ``threshold`` or more."""
    k = overview.groupby("group_id")["session_no"]
    rank_last = k.rank(ascending=False)
    out = pd.DataFrame(
        {
            "sessions_held": k.size(),
            "first_two": overview[overview["session_no"] <= 2]
            .groupby("group_id")["attendance_share"]
            .mean(),
            "last_two": overview[rank_last <= 2].groupby("group_id")["attendance_share"].mean(),
        }
    )
    out = out[out["sessions_held"] >= 4].copy()
    out["change"] = out["last_two"] - out["first_two"]
    out["falling"] = out["change"] <= -threshold
    return out.reset_index().sort_values("change").reset_index(drop=True)


def plot_sessions(ax: Axes, overview: pd.DataFrame, group_id: str, lang: Lang = "zh") -> None:
    """Draw one group's sessions on ``ax``: attendance share as bars coloured by stage and
    engagement (1-5) as a line on a second axis."""
    d = overview[overview["group_id"] == group_id]
    if d.empty:
        raise GroupworkError("error.groupwork_unknown_group", group_id=group_id)
    colours = {
        "formation": "#8ecae6",
        "transition": "#f4a261",
        "maturity": "#2a9d8f",
        "termination": "#adb5bd",
    }
    for stage, part in d.groupby("stage", sort=False):
        ax.bar(
            part["session_no"],
            part["attendance_share"],
            color=colours[str(stage)],
            label=stage_label(str(stage), lang),
        )
    ax.set(
        xlabel=text("groupwork.plot.session", lang),
        ylabel=text("groupwork.plot.attendance", lang),
        ylim=(0, 1.05),
        xticks=d["session_no"],
        title=text("groupwork.plot.title", lang, group_id=group_id),
    )
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=4, fontsize=8, frameon=False)
    right = ax.twinx()
    right.plot(d["session_no"], d["engagement"], "o-", color="#1d3557")
    right.set(ylim=(1, 5), ylabel=text("groupwork.plot.engagement", lang))
