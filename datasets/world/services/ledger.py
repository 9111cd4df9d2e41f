"""Community activities and the service ledger: case, group, visit, resource and industry rows."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from shegong.datasets.world import calibration as cal
from shegong.datasets.world.allocate import largest_remainder
from shegong.datasets.world.context import World
from shegong.datasets.world.dates import as_day, or_none, to_date, uniform_days
from shegong.datasets.world.names import codes
from shegong.datasets.world.services.codes import (
    ACTIVITY_KINDS,
    CASE_SERVICE,
    END,
    RESOURCE_SOURCES,
    active_days,
    partner_sets,
    pick_in_station,
    random_resident,
    station_total,
    township_stations,
)


def build_activities(world: World, rng: np.random.Generator) -> pd.DataFrame:
    ts = township_stations(world)
    per = station_total(world, rng, "community_activities", active_days(ts))
    station = np.repeat(ts["station_id"].to_numpy(), per)
    n = station.size
    opened = as_day(np.repeat(ts["opened_on"].to_numpy(), per))
    service = rng.choice(list(ACTIVITY_KINDS), n, p=(0.45, 0.3, 0.1, 0.05, 0.1))
    title = np.empty(n, dtype=object)
    for key, titles in ACTIVITY_KINDS.items():
        mask = service == key
        title[mask] = rng.choice(titles, int(mask.sum()))
    villages = world["villages"].merge(ts[["station_id", "township_id"]], on="township_id")
    village = pick_in_station(rng, villages, station, "village_id")
    partners = partner_sets(rng, n, p=(0.9, 0.45, 1.0, 0.8, 0.25))
    return pd.DataFrame(
        {
            "activity_id": codes("AC", n, 6),
            "station_id": station,
            "village_id": village,
            "held_on": to_date(
                uniform_days(rng, opened + np.timedelta64(20, "D"), np.full(n, END))
            ),
            "service": service,
            "title_zh": title,
            "participants": np.maximum(8, rng.poisson(32, n)),
            "volunteers": rng.poisson(6, n),
            "partners": partners,
        }
    )


def _rows(
    station: np.ndarray,
    date: np.ndarray,
    service: str | np.ndarray,
    contact: str | np.ndarray,
    **extra: Any,
) -> pd.DataFrame:
    n = station.size
    frame = pd.DataFrame(
        {
            "station_id": station,
            "contact_on": date,
            "service": np.broadcast_to(service, n),
            "contact": np.broadcast_to(contact, n),
        }
    )
    for key, value in extra.items():
        frame[key] = value
    return frame


def _case_rows(world: World, rng: np.random.Generator) -> pd.DataFrame:
    """Process records: 2-8 contacts per case between intervention and evaluation/closure."""
    cases = world["cases"]
    active = cases[cases["intervention_on"].notna()]
    start = as_day(active["intervention_on"])
    stop = as_day(active["evaluation_on"].fillna(active["closure_on"]).fillna(cal.PERIOD_END))
    k = rng.integers(2, 9, len(active))
    rep = np.repeat(np.arange(len(active)), k)
    date = uniform_days(rng, start[rep], stop[rep])
    # Four in ten contacts re-assess needs rather than deliver the case's main service [A].
    service = np.where(
        rng.random(rep.size) < 0.6,
        active["client_group"].map(CASE_SERVICE).to_numpy()[rep],
        "need_assessment",
    )
    return _rows(
        active["station_id"].to_numpy()[rep],
        date,
        service,
        rng.choice(("home_visit", "phone", "office"), rep.size, p=(0.6, 0.25, 0.15)),
        worker_id=active["worker_id"].to_numpy()[rep],
        resident_id=active["resident_id"].to_numpy()[rep],
        case_id=active["case_id"].to_numpy()[rep],
        person_times=1,
    )


def _follow_up_rows(world: World, rng: np.random.Generator) -> pd.DataFrame:
    """Safety follow-ups: every flagged measure (PHQ-9 item 9 and the other flags) gets a
    contact with the client the same day (a risk assessment there and then) or the next
    (a call or a visit), never after the period (practice.FOLLOW_UP_DAYS)."""
    cases = world["cases"].set_index("case_id")
    groups = world["groups"].set_index("group_id")
    case_m = world["case_measures"]
    case_m = case_m[case_m["flags"].fillna("").ne("")]
    group_m = world["group_measures"]
    group_m = group_m[group_m["flags"].fillna("").ne("")]
    station = np.concatenate(
        [
            case_m["case_id"].map(cases["station_id"]).to_numpy(),
            group_m["group_id"].map(groups["station_id"]).to_numpy(),
        ]
    )
    n = station.size
    measured = np.concatenate([as_day(case_m["measured_on"]), as_day(group_m["measured_on"])])
    next_day = rng.random(n) < 0.25
    date = np.minimum(measured + next_day.astype(np.int64).astype("timedelta64[D]"), END)
    contact = np.where(next_day, rng.choice(("phone", "home_visit"), n, p=(0.6, 0.4)), "home_visit")
    return _rows(
        station,
        date,
        "need_assessment",
        contact,
        worker_id=np.concatenate(
            [
                case_m["case_id"].map(cases["worker_id"]).to_numpy(),
                group_m["group_id"].map(groups["worker_id"]).to_numpy(),
            ]
        ),
        resident_id=np.concatenate(
            [
                case_m["case_id"].map(cases["resident_id"]).to_numpy(),
                group_m["resident_id"].to_numpy(),
            ]
        ),
        case_id=np.concatenate(
            [case_m["case_id"].to_numpy(), np.full(len(group_m), None, dtype=object)]
        ),
        person_times=1,
    )


def _group_rows(world: World) -> pd.DataFrame:
    sessions = world["group_sessions"]
    groups = world["groups"].set_index("group_id")
    present = world["group_attendance"].groupby("session_id")["attended"].sum()
    target = sessions["group_id"].map(groups["target"])
    service = np.where(
        target.isin(["elder_loneliness", "child_social_skills"]),
        "elder_child_care",
        "social_assistance",
    )
    return _rows(
        sessions["group_id"].map(groups["station_id"]).to_numpy(),
        as_day(sessions["held_on"]),
        service,
        "group_session",
        worker_id=sessions["group_id"].map(groups["worker_id"]).to_numpy(),
        group_id=sessions["group_id"].to_numpy(),
        person_times=sessions["session_id"].map(present).fillna(0).astype(np.int64).to_numpy(),
    )


def _activity_rows(activities: pd.DataFrame) -> pd.DataFrame:
    return _rows(
        activities["station_id"].to_numpy(),
        as_day(activities["held_on"]),
        activities["service"].to_numpy(),
        "activity",
        village_id=activities["village_id"].to_numpy(),
        activity_id=activities["activity_id"].to_numpy(),
        person_times=activities["participants"].to_numpy(),
        volunteers=activities["volunteers"].to_numpy(),
        partners=activities["partners"].to_numpy(),
    )


def _top_up(
    world: World,
    rng: np.random.Generator,
    done: pd.DataFrame,
    service: str,
    key: str,
    flag: str | None,
) -> pd.DataFrame:
    """Individual contacts that bring each station's person-times for ``service`` to its share."""
    ts = township_stations(world)
    target = station_total(world, rng, key, active_days(ts))
    counted = done[(done["service"] == service) & (done["contact"] != "activity")]
    have = counted.groupby("station_id")["person_times"].sum()
    have_s = ts["station_id"].map(have).fillna(0).to_numpy(np.int64)
    # Stations short of their share are topped up; the amount left to the scale's total is
    # spread over them in proportion to the shortfall, so the total lands on the rate.
    shortfall = np.maximum(target - have_s, 0)
    left = max(int(target.sum()) - int(have_s.sum()), 0)
    need = largest_remainder(left, shortfall) if shortfall.sum() else shortfall
    station = np.repeat(ts["station_id"].to_numpy(), need)
    opened = as_day(np.repeat(ts["opened_on"].to_numpy(), need))
    return _rows(
        station,
        uniform_days(rng, opened, np.full(station.size, END)),
        service,
        rng.choice(("home_visit", "phone", "office"), station.size, p=(0.7, 0.15, 0.15)),
        resident_id=random_resident(rng, world, station, flag),
        person_times=1,
    )


def _visit_rows(world: World, rng: np.random.Generator) -> pd.DataFrame:
    """走访 need-assessment home visits by every station worker, the bulk of the ledger."""
    workers = world["workers"]
    level = workers["station_id"].map(world["stations"].set_index("station_id")["level"])
    workers = workers[level.isin(["township_station", "village_room"]).to_numpy()]
    opened = as_day(
        workers["station_id"].map(world["stations"].set_index("station_id")["opened_on"])
    )
    hired = np.maximum(as_day(workers["hired_on"]), opened)
    months = np.maximum((END - hired).astype(np.int64), 0) / 30.4
    per_month = np.select(
        [workers["employment"] == "full_time", workers["employment"] == "part_time"],
        [
            rng.uniform(*cal.RATES.visits_full_time, len(workers)),
            rng.uniform(*cal.RATES.visits_part_time, len(workers)),
        ],
        rng.uniform(*cal.RATES.visits_room_worker, len(workers)),
    )
    k = rng.poisson(months * per_month)
    rep = np.repeat(np.arange(len(workers)), k)
    station = workers["station_id"].to_numpy()[rep]
    parent = world["stations"].set_index("station_id")["parent_station_id"]
    roster_station = np.where(
        level[level.isin(["township_station", "village_room"])].to_numpy()[rep] == "village_room",
        pd.Series(station).map(parent).to_numpy(),
        station,
    )
    return _rows(
        roster_station,
        uniform_days(rng, hired[rep], np.full(rep.size, END)),
        "need_assessment",
        "home_visit",
        worker_id=workers["worker_id"].to_numpy()[rep],
        resident_id=random_resident(rng, world, roster_station),
        person_times=1,
    )


def _resource_rows(world: World, rng: np.random.Generator) -> pd.DataFrame:
    ts = township_stations(world)
    yuan = station_total(world, rng, "resources_yuan", active_days(ts))
    k = np.maximum(1, rng.poisson(active_days(ts) / 30))
    rep = np.repeat(np.arange(len(ts)), k)
    share = rng.gamma(0.8, 1.0, rep.size)
    share /= np.bincount(rep, weights=share)[rep]
    amount = np.floor(share * yuan[rep]).astype(np.int64)
    # Put the rounding remainder on each station's first row so totals are exact.
    first = np.r_[0, np.cumsum(k)[:-1]]
    amount[first] += yuan - np.bincount(rep, weights=amount).astype(np.int64)
    station = ts["station_id"].to_numpy()[rep]
    opened = as_day(ts["opened_on"].to_numpy()[rep])
    # Four in ten linked resources are for one case's client (a grant, a device, a place at
    # a care home); the rest serve a village or a group [A].
    cases = world["cases"]
    cases = cases[cases["intervention_on"].notna()]
    for_case = rng.random(rep.size) < 0.4
    case_id = or_none(for_case, pick_in_station(rng, cases, station, "case_id"))
    resident = pd.Series(case_id).map(cases.set_index("case_id")["resident_id"]).to_numpy()
    return _rows(
        station,
        uniform_days(rng, opened, np.full(rep.size, END)),
        "resource_linking",
        "office",
        case_id=case_id,
        resident_id=or_none(pd.notna(resident), resident),
        person_times=0,
        resource_yuan=amount,
        resource_source=rng.choice(RESOURCE_SOURCES, rep.size, p=(0.3, 0.25, 0.25, 0.1, 0.1)),
        partners=partner_sets(rng, rep.size, p=(0.6, 0.5, 1.0, 0.2, 0.7)),
    )


def _industry_rows(world: World, rng: np.random.Generator) -> pd.DataFrame:
    ts = township_stations(world)
    per = station_total(world, rng, "industry_assists", active_days(ts))
    station = np.repeat(ts["station_id"].to_numpy(), per)
    opened = as_day(np.repeat(ts["opened_on"].to_numpy(), per))
    return _rows(
        station,
        uniform_days(rng, opened, np.full(station.size, END)),
        "industry_development",
        rng.choice(("home_visit", "office"), station.size),
        resident_id=random_resident(rng, world, station),
        person_times=1,
    )


def build_ledger(world: World, rng: np.random.Generator, activities: pd.DataFrame) -> pd.DataFrame:
    done = pd.concat(
        [
            _case_rows(world, rng),
            _follow_up_rows(world, rng),
            _group_rows(world),
            _activity_rows(activities),
        ],
        ignore_index=True,
    )
    parts = [
        done,
        _top_up(world, rng, done, "social_assistance", "assistance_person_times", None),
        _top_up(world, rng, done, "elder_child_care", "care_person_times", None),
        _visit_rows(world, rng),
        _resource_rows(world, rng),
        _industry_rows(world, rng),
    ]
    ledger = pd.concat(parts, ignore_index=True)
    ledger = ledger.sort_values(["station_id", "contact_on"], kind="stable").reset_index(drop=True)
    n = len(ledger)
    ledger.insert(0, "entry_id", codes("E", n, 8))
    ledger["contact_on"] = to_date(ledger["contact_on"].to_numpy().astype("datetime64[D]"))
    ledger["volunteers"] = ledger["volunteers"].fillna(0).astype(np.int64)
    ledger["resource_yuan"] = ledger["resource_yuan"].fillna(0).astype(np.int64)
    ledger["person_times"] = ledger["person_times"].astype(np.int64)
    ledger["partners"] = ledger["partners"].fillna("social_worker")
    res_village = world["residents"].set_index("resident_id")["village_id"]
    ledger["village_id"] = ledger["village_id"].fillna(ledger["resident_id"].map(res_village))
    columns = [
        "entry_id",
        "station_id",
        "village_id",
        "worker_id",
        "resident_id",
        "contact_on",
        "service",
        "contact",
        "person_times",
        "volunteers",
        "partners",
        "resource_yuan",
        "resource_source",
        "case_id",
        "group_id",
        "activity_id",
    ]
    return ledger[columns].astype(
        {
            c: object
            for c in (
                "village_id",
                "worker_id",
                "resident_id",
                "resource_source",
                "case_id",
                "group_id",
                "activity_id",
            )
        }
    )
