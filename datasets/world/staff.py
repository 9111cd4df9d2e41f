"""People who deliver the service: social workers, supervisors, volunteers, community groups.

Township stations have 2-4 full-time social workers (the article's minimum of two, brief §1,
§9.5); village rooms have at most one resident worker. Volunteer teams, volunteers and
community social organisations are split over township stations so that the province scale
reproduces the article's 2,329 teams, 100,900 volunteers and 2,507 organisations.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shegong.datasets.world import calibration as cal
from shegong.datasets.world.allocate import multinomial_split
from shegong.datasets.world.context import World
from shegong.datasets.world.dates import as_day, to_date, uniform_days
from shegong.datasets.world.names import codes, person_names

QUALIFICATIONS = ("none", "assistant", "intermediate", "senior")
BACKGROUNDS = ("graduate", "returned_migrant", "veteran", "village_cadre", "other")


def _scaled_total(world: World, article_key: str) -> int:
    n_ts = int((world["stations"]["level"] == "township_station").sum())
    return round(cal.per_township_station(article_key) * n_ts)


def _workers(world: World, rng: np.random.Generator) -> pd.DataFrame:
    st = world["stations"]
    level = st["level"].to_numpy()
    n = len(st)
    lo, hi = cal.RATES.full_time_workers
    full = np.select(
        [level == "township_station", level == "county_station", level == "city_centre"],
        [rng.integers(lo, hi + 1, n), rng.integers(3, 7, n), rng.integers(4, 9, n)],
        (rng.random(n) < cal.RATES.room_worker_share).astype(np.int64),
    )
    part = np.where(
        (level == "township_station") & (rng.random(n) < cal.RATES.part_time_share),
        rng.integers(1, 3, n),
        0,
    )
    count = full + part
    station = np.repeat(st["station_id"].to_numpy(), count)
    rank = np.arange(station.size) - np.repeat(np.cumsum(count) - count, count)
    employment = np.where(rank < np.repeat(full, count), "full_time", "part_time")
    employment = np.where(np.repeat(level == "village_room", count), "resident", employment)
    m = station.size
    female = rng.random(m) < 0.68
    minority = np.repeat(st["prefecture_id"].isin(["P19", "P20", "P21"]).to_numpy(), count)
    opened = as_day(np.repeat(st["opened_on"].to_numpy(), count))
    # The first two workers start with the station; later hires come within about ten months.
    late = np.where(rank < 2, 30, 300).astype("timedelta64[D]")
    hired = uniform_days(
        rng,
        opened - np.timedelta64(30, "D"),
        np.minimum(opened + late, np.datetime64(cal.PERIOD_END)),
    )
    qual = rng.choice(QUALIFICATIONS, m, p=(0.52, 0.31, 0.15, 0.02))
    months = (np.datetime64(cal.PERIOD_END) - hired).astype(np.int64) / 30.4
    return pd.DataFrame(
        {
            "worker_id": codes("w", m, 6),
            "station_id": station,
            "name_zh": person_names(rng, female, minority),
            "sex": np.where(female, "F", "M"),
            "birth_year": rng.integers(1972, 2001, m),
            "employment": employment,
            "qualification": qual,
            "background": rng.choice(BACKGROUNDS, m, p=(0.42, 0.2, 0.08, 0.2, 0.1)),
            "hired_on": to_date(hired),
            "training_hours": np.round(np.maximum(8, months * rng.uniform(2, 6, m))).astype(
                np.int64
            ),
        }
    )


def _supervisors(world: World, rng: np.random.Generator) -> pd.DataFrame:
    agencies = world["agencies"]
    per = np.where(
        agencies["from_chengdu"],
        rng.integers(2, 5, len(agencies)),
        rng.integers(0, 2, len(agencies)),
    )
    agency = np.repeat(agencies["agency_id"].to_numpy(), per)
    chengdu = np.repeat(agencies["from_chengdu"].to_numpy(), per)
    m = agency.size
    female = rng.random(m) < 0.6
    return pd.DataFrame(
        {
            "supervisor_id": codes("u", m, 4),
            "agency_id": agency,
            "name_zh": person_names(rng, female),
            "sex": np.where(female, "F", "M"),
            "level": rng.choice(("junior", "intermediate", "senior"), m, p=(0.35, 0.45, 0.2)),
            "kind": np.where(chengdu & (rng.random(m) < 0.7), "external", "internal"),
            "base": np.where(
                chengdu,
                np.where(rng.random(m) < 0.2, "university", "chengdu_agency"),
                "local_agency",
            ),
            "qualification": rng.choice(("intermediate", "senior"), m, p=(0.75, 0.25)),
        }
    )


def _teams_and_volunteers(world: World, rng: np.random.Generator) -> tuple[pd.DataFrame, ...]:
    st = world["stations"]
    ts = st[st["level"] == "township_station"]
    weight = np.ones(len(ts))
    teams_per = multinomial_split(rng, _scaled_total(world, "volunteer_teams"), weight)
    team_station = np.repeat(ts["station_id"].to_numpy(), teams_per)
    opened = as_day(np.repeat(ts["opened_on"].to_numpy(), teams_per))
    k = team_station.size
    focus = rng.choice(
        ("elder_care", "child_care", "disability", "environment", "emergency", "culture"),
        k,
        p=(0.32, 0.25, 0.1, 0.13, 0.1, 0.1),
    )
    focus_zh = (
        pd.Series(focus)
        .map(
            {
                "elder_care": "助老",
                "child_care": "关爱儿童",
                "disability": "助残",
                "environment": "环境美化",
                "emergency": "应急",
                "culture": "文体",
            }
        )
        .to_numpy()
    )
    place = pd.Series(team_station).map(
        ts.set_index("station_id")["name_zh"].str.replace("社会工作服务站", "", regex=False)
    )
    teams = pd.DataFrame(
        {
            "team_id": codes("VT", k, 5),
            "station_id": team_station,
            "name_zh": (place + focus_zh + "志愿服务队").to_numpy(),
            "focus": focus,
            "founded_on": to_date(
                uniform_days(rng, opened, np.full(k, np.datetime64(cal.PERIOD_END)))
            ),
        }
    )
    vols_per = multinomial_split(rng, _scaled_total(world, "volunteers"), rng.gamma(4.0, 1.0, k))
    v = int(vols_per.sum())
    female = rng.random(v) < 0.58
    age = np.clip(rng.normal(45, 15, v), 16, 78).astype(np.int64)
    founded = as_day(np.repeat(teams["founded_on"].to_numpy(), vols_per))
    volunteers = pd.DataFrame(
        {
            "volunteer_id": codes("VL", v, 7),
            "team_id": np.repeat(teams["team_id"].to_numpy(), vols_per),
            "sex": np.where(female, "F", "M"),
            "age": age,
            "registered_on": to_date(
                uniform_days(rng, founded, np.full(v, np.datetime64(cal.PERIOD_END)))
            ),
            "hours_total": np.round(rng.gamma(1.5, 12.0, v), 1),
        }
    )
    return teams, volunteers


def _community_orgs(world: World, rng: np.random.Generator) -> pd.DataFrame:
    st = world["stations"]
    ts = st[st["level"] == "township_station"]
    per = multinomial_split(rng, _scaled_total(world, "community_orgs"), np.ones(len(ts)))
    k = int(per.sum())
    kinds = (
        "elder_mutual_aid",
        "childcare_parents",
        "culture_sports",
        "volunteer_service",
        "resident_council",
        "livelihood_coop",
    )
    kind = rng.choice(kinds, k, p=(0.25, 0.15, 0.25, 0.15, 0.1, 0.1))
    kind_zh = (
        pd.Series(kind)
        .map(
            {
                "elder_mutual_aid": "互助养老会",
                "childcare_parents": "家长互助会",
                "culture_sports": "文体队",
                "volunteer_service": "志愿服务社",
                "resident_council": "居民议事会",
                "livelihood_coop": "生产互助组",
            }
        )
        .to_numpy()
    )
    opened = as_day(np.repeat(ts["opened_on"].to_numpy(), per))
    stems = np.array(["银龄", "向阳", "邻里", "同心", "乐活", "巧手", "新风", "和美"])
    return pd.DataFrame(
        {
            "org_id": codes("O", k, 5),
            "station_id": np.repeat(ts["station_id"].to_numpy(), per),
            "name_zh": np.char.add(rng.choice(stems, k), kind_zh.astype(str)),
            "kind": kind,
            "incubated_on": to_date(
                uniform_days(rng, opened, np.full(k, np.datetime64(cal.PERIOD_END)))
            ),
            "registered": rng.random(k) < 0.62,  # 备案 with the township [A]
            "members": rng.integers(5, 60, k),
        }
    )


def build_staff(world: World) -> None:
    """Add workers, supervisors, volunteer teams, volunteers and community organisations."""
    rng = world.rng("staff")
    world.add("workers", _workers(world, rng))
    world.add("supervisors", _supervisors(world, rng))
    teams, volunteers = _teams_and_volunteers(world, rng)
    world.add("volunteer_teams", teams)
    world.add("volunteers", volunteers)
    world.add("community_orgs", _community_orgs(world, rng))
