"""The service ledger 服务台账, community activities and supervision received.

Every contact is one ledger row typed by one of the six services (六项服务): need assessment
(走访 home visits, the bulk), resource linking, social assistance, elder and child care,
community governance and industry development. The article's outputs are per-station rates
(brief §1 [D]); each station's share is drawn, so the province scale lands on the article:
assistance and care person-times, 10,400 community activities, 3,380 industry assists and
¥29.8 M of linked resources. Person-times of a service count every ledger row of it except
community activities, which the article counts on their own; so case contacts and group
sessions count toward their service, and individual contacts top each station up to its share.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from shegong.datasets.world import calibration as cal
from shegong.datasets.world.allocate import largest_remainder, multinomial_split
from shegong.datasets.world.context import World
from shegong.datasets.world.dates import as_day, or_none, to_date, uniform_days
from shegong.datasets.world.names import codes

SERVICES = (
    "need_assessment",
    "resource_linking",
    "social_assistance",
    "elder_child_care",
    "community_governance",
    "industry_development",
)
SERVICE_ZH = {
    "need_assessment": "需求评估",
    "resource_linking": "资源链接",
    "social_assistance": "社会救助",
    "elder_child_care": "老幼关爱",
    "community_governance": "社区治理",
    "industry_development": "产业发展",
}
CONTACTS = ("home_visit", "phone", "office", "activity", "group_session")
# 五社联动 partners (brief §2.5)
PARTNERS = ("community", "social_org", "social_worker", "volunteer", "charity")
RESOURCE_SOURCES = (
    "charity_foundation",
    "enterprise",
    "government_department",
    "social_org",
    "individual_donor",
)
CASE_SERVICE = {
    "elder": "elder_child_care",
    "child": "elder_child_care",
    "disabled": "social_assistance",
    "woman": "social_assistance",
    "adult": "social_assistance",
}
ACTIVITY_KINDS = {
    "elder_child_care": ("重阳敬老活动", "留守儿童暑期课堂", "老人集体生日会", "儿童安全教育"),
    "community_governance": ("院落议事会", "环境整治行动", "邻里节", "移风易俗宣传"),
    "need_assessment": ("社区需求调查", "参与式资源地图绘制"),
    "industry_development": ("电商技能培训", "合作社产销对接会"),
    "social_assistance": ("救助政策宣讲", "防灾应急演练"),
}
END = np.datetime64(cal.PERIOD_END)


def _township_stations(world: World) -> pd.DataFrame:
    st = world["stations"]
    return st[st["level"] == "township_station"].reset_index(drop=True)


def _station_total(
    world: World, rng: np.random.Generator, key: str, weight: np.ndarray
) -> np.ndarray:
    n_ts = len(_township_stations(world))
    return multinomial_split(rng, round(cal.per_township_station(key) * n_ts), weight)


def _active_days(ts: pd.DataFrame) -> np.ndarray:
    return np.maximum((END - as_day(ts["opened_on"])).astype(np.int64), 1)


def _random_resident(
    rng: np.random.Generator, world: World, station: np.ndarray, column: str | None = None
) -> np.ndarray:
    """A roster resident of each row's station (optionally only those with ``column`` set)."""
    res = world["residents"]
    if column is not None:
        res = res[res[column].astype(bool)]
    res = res.sort_values("station_id", kind="stable")
    ids = res["resident_id"].to_numpy()
    st = res["station_id"].to_numpy()
    start = np.searchsorted(st, station, side="left")
    stop = np.searchsorted(st, station, side="right")
    size = stop - start
    pick = start + (rng.random(station.size) * np.maximum(size, 1)).astype(np.int64)
    return or_none(size > 0, ids[np.minimum(pick, ids.size - 1)])


def _activities(world: World, rng: np.random.Generator) -> pd.DataFrame:
    ts = _township_stations(world)
    per = _station_total(world, rng, "community_activities", _active_days(ts))
    station = np.repeat(ts["station_id"].to_numpy(), per)
    n = station.size
    opened = as_day(np.repeat(ts["opened_on"].to_numpy(), per))
    service = rng.choice(list(ACTIVITY_KINDS), n, p=(0.45, 0.3, 0.1, 0.05, 0.1))
    title = np.empty(n, dtype=object)
    for key, titles in ACTIVITY_KINDS.items():
        mask = service == key
        title[mask] = rng.choice(titles, int(mask.sum()))
    villages = world["villages"].merge(ts[["station_id", "township_id"]], on="township_id")
    village = _pick_in_station(rng, villages, station, "village_id")
    partners = _partner_sets(rng, n, p=(0.9, 0.45, 1.0, 0.8, 0.25))
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


def _pick_in_station(
    rng: np.random.Generator, table: pd.DataFrame, station: np.ndarray, column: str
) -> np.ndarray:
    table = table.sort_values("station_id", kind="stable")
    st = table["station_id"].to_numpy()
    values = table[column].to_numpy()
    start = np.searchsorted(st, station, side="left")
    size = np.searchsorted(st, station, side="right") - start
    pick = start + (rng.random(station.size) * np.maximum(size, 1)).astype(np.int64)
    return or_none(size > 0, values[np.minimum(pick, values.size - 1)])


def _partner_sets(rng: np.random.Generator, n: int, p: tuple[float, ...]) -> np.ndarray:
    joined = np.full(n, "", dtype=object)
    for partner, prob in zip(PARTNERS, p, strict=True):
        joined = np.where(rng.random(n) < prob, joined + partner + ";", joined)
    return pd.Series(joined).str.rstrip(";").to_numpy(dtype=object)


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
    ts = _township_stations(world)
    target = _station_total(world, rng, key, _active_days(ts))
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
        resident_id=_random_resident(rng, world, station, flag),
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
        resident_id=_random_resident(rng, world, roster_station),
        person_times=1,
    )


def _resource_rows(world: World, rng: np.random.Generator) -> pd.DataFrame:
    ts = _township_stations(world)
    yuan = _station_total(world, rng, "resources_yuan", _active_days(ts))
    k = np.maximum(1, rng.poisson(_active_days(ts) / 30))
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
    case_id = or_none(for_case, _pick_in_station(rng, cases, station, "case_id"))
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
        partners=_partner_sets(rng, rep.size, p=(0.6, 0.5, 1.0, 0.2, 0.7)),
    )


def _industry_rows(world: World, rng: np.random.Generator) -> pd.DataFrame:
    ts = _township_stations(world)
    per = _station_total(world, rng, "industry_assists", _active_days(ts))
    station = np.repeat(ts["station_id"].to_numpy(), per)
    opened = as_day(np.repeat(ts["opened_on"].to_numpy(), per))
    return _rows(
        station,
        uniform_days(rng, opened, np.full(station.size, END)),
        "industry_development",
        rng.choice(("home_visit", "office"), station.size),
        resident_id=_random_resident(rng, world, station),
        person_times=1,
    )


def _ledger(world: World, rng: np.random.Generator, activities: pd.DataFrame) -> pd.DataFrame:
    done = pd.concat(
        [_case_rows(world, rng), _group_rows(world), _activity_rows(activities)], ignore_index=True
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


def _supervision(
    world: World, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Sessions each township station received, mostly from its operator's supervisors."""
    ts = _township_stations(world)
    sup = world["supervisors"]
    months = _active_days(ts) / 30.4
    per = rng.poisson(months * rng.uniform(0.6, 1.8, len(ts)))
    rep = np.repeat(np.arange(len(ts)), per)
    n = rep.size
    station = ts["station_id"].to_numpy()[rep]
    agency = ts["operator_agency_id"].to_numpy()[rep]
    chengdu_sup = sup[sup["base"] != "local_agency"]
    supervisor = _pick_in_station(
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
    case_id = _pick_in_station(rng, cases, station, "case_id")
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


def build_services(world: World) -> None:
    """Add community activities, the service ledger and supervision sessions."""
    rng = world.rng("services")
    activities = _activities(world, rng)
    world.add("activities", activities)
    world.add("ledger", _ledger(world, rng, activities))
    sessions, attendees, discussed = _supervision(world, rng)
    world.add("supervision_sessions", sessions)
    world.add("supervision_attendees", attendees)
    world.add("supervision_cases", discussed)
