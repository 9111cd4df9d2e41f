"""Group work 小组: groups through the five stages of MZ/T 095-2017, members and attendance.

A group's 筹备期 preparation is its plan and recruitment (``planned_on``, screening of
candidates); its sessions fall into 形成期 formation (session 1), 转折期 transition (the first
third), 成熟期 maturity and 结束期 termination (the last session). Members are measured on the
group's outcome scale at the first and the last session (brief §6.2); a member who stopped
coming before session 3 is a dropout.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shegong.datasets.world import calibration as cal
from shegong.datasets.world.cases import client_group
from shegong.datasets.world.context import World
from shegong.datasets.world.dates import as_day, or_none, to_date, uniform_days
from shegong.datasets.world.good_practice import age_on, fits_age
from shegong.datasets.world.measures import measure_frames
from shegong.datasets.world.names import codes

# target -> (eligible client group, outcome instrument, model, zh title stem)  [A], brief §6.2
TARGETS = {
    "elder_loneliness": ("elder", "ucla3", "reciprocal", "银龄同行·留守老人互助小组"),
    "child_social_skills": ("child", "rses", "developmental", "快乐成长·儿童社交能力小组"),
    "women_support": ("woman", "phq9", "remedial", "她力量·留守妇女支持小组"),
    "disability_mutual_aid": ("disabled", "ssrs", "social_goals", "同心圆·残疾人互助小组"),
}
STAGES = ("preparation", "formation", "transition", "maturity", "termination")


def _groups(world: World, rng: np.random.Generator) -> pd.DataFrame:
    st = world["stations"]
    ts = st[st["level"] == "township_station"]
    opened = as_day(ts["opened_on"])
    years = np.maximum((np.datetime64(cal.PERIOD_END) - opened).astype(np.int64) / 365.25, 0)
    lo, hi = cal.RATES.groups_per_station_year
    per = rng.poisson(years * rng.uniform(lo, hi, len(ts)))
    station = np.repeat(ts["station_id"].to_numpy(), per)
    n = station.size
    start_low = np.repeat(opened, per) + np.timedelta64(45, "D")
    planned = uniform_days(
        rng, start_low, np.full(n, np.datetime64(cal.PERIOD_END) - np.timedelta64(20, "D"))
    )
    target = rng.choice(list(TARGETS), n, p=(0.45, 0.37, 0.09, 0.09))
    workers = world["workers"]
    ft = workers[workers["employment"] == "full_time"]
    first = ft.groupby("station_id")["worker_id"].first()
    second = ft.groupby("station_id")["worker_id"].nth(1)
    second = pd.Series(second.to_numpy(), index=ft.loc[second.index, "station_id"])
    lead = np.where(
        rng.random(n) < 0.5,
        pd.Series(station).map(first).to_numpy(),
        pd.Series(station).map(second).fillna(pd.Series(station).map(first)).to_numpy(),
    )
    lo_s, hi_s = cal.RATES.group_sessions
    frame = pd.DataFrame(
        {
            "group_id": codes("G", n, 5),
            "station_id": station,
            "worker_id": lead,
            "target": target,
            "title_zh": pd.Series(target).map({k: v[3] for k, v in TARGETS.items()}).to_numpy(),
            "model": pd.Series(target).map({k: v[2] for k, v in TARGETS.items()}).to_numpy(),
            "outcome_instrument": pd.Series(target)
            .map({k: v[1] for k, v in TARGETS.items()})
            .to_numpy(),
            "planned_sessions": rng.integers(lo_s, hi_s + 1, n),
            "interval_days": rng.choice((7, 14), n, p=(0.7, 0.3)),
            "session_minutes": rng.choice((45, 60, 90, 120), n, p=(0.25, 0.4, 0.25, 0.1)),
            "planned_on": to_date(planned),
        }
    )
    frame["first_session_on"] = to_date(planned + rng.integers(10, 25, n).astype("timedelta64[D]"))
    return frame


def _members(world: World, rng: np.random.Generator, groups: pd.DataFrame) -> pd.DataFrame:
    """Candidates per group from the station roster; most admitted, a few screened out."""
    res = world["residents"].assign(client_group=lambda f: client_group(f))
    want_group = groups["target"].map({k: v[0] for k, v in TARGETS.items()})
    lo, hi = cal.RATES.group_size
    size = rng.integers(lo, hi + 1, len(groups)) + rng.integers(0, 4, len(groups))
    key = res["station_id"] + "|" + res["client_group"]
    res = res.assign(key=key.to_numpy(), shuffle=rng.random(len(res))).sort_values(
        ["key", "shuffle"]
    )
    pool = res.groupby("key")["resident_id"].apply(np.array)
    born = res.groupby("key")["birth_date"].apply(lambda s: as_day(s))
    used = {k: np.zeros(people.size, dtype=bool) for k, people in pool.items()}
    group_key = (groups["station_id"] + "|" + want_group).to_numpy()
    first_day = as_day(groups["first_session_on"])
    parts = []
    for gid, k, m, day, instrument in zip(
        groups["group_id"],
        group_key,
        size,
        first_day,
        groups["outcome_instrument"],
        strict=True,
    ):
        people = pool.get(k)
        if people is None:
            continue
        # Only people whose age on the first session fits the group's outcome scale (a
        # children's group with the Rosenberg scale takes ages 12-15, brief §6.2).
        fit = fits_age(np.full(people.size, instrument), age_on(born[k], np.full(people.size, day)))
        free = np.flatnonzero(fit & ~used[k])
        # Nobody joins two groups: a station whose eligible people are used up, or would
        # give fewer than five candidates, does not run the group.
        if free.size < 5:
            continue
        take = free[:m]
        used[k][take] = True
        parts.append(pd.DataFrame({"group_id": gid, "resident_id": people[take]}))
    members = pd.concat(parts, ignore_index=True)
    n = len(members)
    rank = members.groupby("group_id").cumcount().to_numpy()
    admitted = (
        rank
        < np.repeat(size - rng.integers(0, 4, len(groups)), 1)[
            members["group_id"].map(pd.Series(np.arange(len(groups)), index=groups["group_id"]))
        ]
    ) & (rng.random(n) < 0.93)
    reasons = rng.choice(("schedule_conflict", "needs_individual_service", "not_eligible"), n)
    members["screening"] = np.where(admitted, "admitted", "not_admitted")
    members["screen_out_reason"] = or_none(~admitted, reasons)
    return members.drop_duplicates(["group_id", "resident_id"]).reset_index(drop=True)


def _sessions(groups: pd.DataFrame) -> pd.DataFrame:
    k = groups["planned_sessions"].to_numpy()
    gid = np.repeat(groups["group_id"].to_numpy(), k)
    no = np.arange(gid.size) - np.repeat(np.cumsum(k) - k, k) + 1
    total = np.repeat(k, k)
    first = as_day(np.repeat(groups["first_session_on"].to_numpy(), k))
    date = first + ((no - 1) * np.repeat(groups["interval_days"].to_numpy(), k)).astype(
        "timedelta64[D]"
    )
    stage = np.select(
        [no == 1, no == total, no <= np.ceil(total / 3) + 1],
        ["formation", "termination", "transition"],
        "maturity",
    )
    return pd.DataFrame({"group_id": gid, "session_no": no, "held_on": date, "stage": stage})


def build_groups(world: World) -> None:
    """Add groups, members (with screening), sessions, attendance and outcome measures."""
    rng = world.rng("groups")
    groups = _groups(world, rng)
    members = _members(world, rng, groups)
    # A group whose station has nobody eligible is never held.
    recruited = members.loc[members["screening"] == "admitted", "group_id"].unique()
    groups = groups[groups["group_id"].isin(recruited)].reset_index(drop=True)
    groups["group_id"] = codes("G", len(groups), 5)
    renumber = dict(zip(recruited, groups["group_id"], strict=False))
    members = members[members["group_id"].isin(renumber)].assign(
        group_id=lambda f: f["group_id"].map(renumber)
    )
    sessions = _sessions(groups)
    end = np.datetime64(cal.PERIOD_END)
    sessions = sessions[sessions["held_on"] <= end].reset_index(drop=True)
    sessions.insert(0, "session_id", codes("GS", len(sessions), 6))
    admitted = members[members["screening"] == "admitted"].reset_index(drop=True)
    n = len(admitted)
    planned = admitted["group_id"].map(groups.set_index("group_id")["planned_sessions"])
    # Leaving: 12 % stop after session 1-2 (dropouts), 10 % later; the rest stay.
    u = rng.random(n)
    last = np.where(u < 0.12, rng.integers(1, 3, n), np.where(u < 0.22, rng.integers(3, 9, n), 99))
    last = np.minimum(last, planned.to_numpy())
    admitted["last_session_attended"] = last
    att = sessions.merge(
        admitted[["group_id", "resident_id", "last_session_attended"]], on="group_id"
    )
    present = (att["session_no"] <= att["last_session_attended"]) & (rng.random(len(att)) < 0.9)
    # Everyone is at session 1 (the pre-test) and at the last session they came to.
    present |= (att["session_no"] == 1) | (att["session_no"] == att["last_session_attended"])
    attendance = att[["session_id", "resident_id"]].assign(attended=present.to_numpy())
    g = groups.set_index("group_id")
    held = sessions.groupby("group_id")["session_no"].max()
    finished = admitted["group_id"].map(held).eq(planned)
    completer = finished & (admitted["last_session_attended"] >= planned)
    members = members.merge(
        admitted[["group_id", "resident_id", "last_session_attended"]],
        on=["group_id", "resident_id"],
        how="left",
    )
    # A dropout left before session 3 of a group that has held session 3 (brief §6.2).
    reached_three = members["group_id"].map(held).fillna(0).ge(3)
    members["dropout"] = (
        members["last_session_attended"].lt(3) & members["screening"].eq("admitted") & reached_three
    )
    members = members.drop(columns="last_session_attended")
    sat = pd.Series(np.clip(np.round(rng.normal(4.2, 0.7, n)), 1, 5), index=admitted.index)
    rated = admitted[["group_id", "resident_id"]].assign(
        satisfaction=sat.where(completer).to_numpy()
    )
    members = members.merge(rated, on=["group_id", "resident_id"], how="left")
    # Engagement dips in the transition stage and peaks in maturity (brief §6.1), around a
    # level that differs from group to group [A].
    level = (
        sessions["group_id"]
        .map(pd.Series(rng.normal(3.7, 0.35, len(groups)), index=groups["group_id"]))
        .to_numpy()
    )
    stage_shift = (
        sessions["stage"]
        .map({"formation": 0.0, "transition": -0.35, "maturity": 0.3, "termination": 0.15})
        .to_numpy()
    )
    sessions["engagement"] = np.round(
        np.clip(level + stage_shift + rng.normal(0, 0.25, len(sessions)), 1, 5), 1
    )
    sessions["held_on"] = to_date(sessions["held_on"].to_numpy())
    first_on = admitted["group_id"].map(g["first_session_on"])
    severity = np.clip(rng.beta(2.2, 3.8, n), 0.02, 0.98)  # milder than casework clients
    instrument = admitted["group_id"].map(g["outcome_instrument"]).to_numpy()
    pre = pd.DataFrame(
        {
            "group_id": admitted["group_id"],
            "resident_id": admitted["resident_id"],
            "instrument": instrument,
            "timepoint": "pre",
            "measured_on": first_on,
            "severity": severity,
        }
    )
    last_on = admitted["group_id"].map(sessions.groupby("group_id")["held_on"].max())
    post = pre[completer.to_numpy()].assign(
        timepoint="post",
        measured_on=last_on[completer.to_numpy()].to_numpy(),
        severity=np.clip(
            severity[completer.to_numpy()] - rng.normal(0.08, 0.12, int(completer.sum())),
            0.01,
            0.99,
        ),
    )
    started = admitted["group_id"].isin(held.index).to_numpy()  # session 1 has been held
    measures, items = measure_frames(
        rng, pd.concat([pre[started], post], ignore_index=True), first_id=5_000_001
    )
    world.add("groups", groups)
    world.add("group_members", members)
    world.add("group_sessions", sessions)
    world.add("group_attendance", attendance)
    world.add("group_measures", measures)
    world.add("group_measure_items", items)
