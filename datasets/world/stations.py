"""Stations at the four levels, and the agencies that run them.

At province scale the counts equal the source article (5 city support centres, 96 county
general stations, 843 township stations, 3,507 village rooms). The teaching county is a pilot
county: every one of its townships has a station. Village rooms sit in villages of townships
that have a station, about 4.2 per station as in the article.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from shegong.datasets.world import calibration as cal
from shegong.datasets.world.allocate import largest_remainder
from shegong.datasets.world.context import World
from shegong.datasets.world.dates import as_day
from shegong.datasets.world.names import codes

LEVELS = ("city_centre", "county_station", "township_station", "village_room")
# 五个一批: the five build channels of the 2021 pilot (brief §8.3) and assumed weights [A].
CHANNELS = (
    "provincial_grant",
    "governance_pilot",
    "civil_affairs_facility",
    "county_self_build",
    "existing_site_reuse",
)
CHANNEL_P = (0.16, 0.14, 0.25, 0.25, 0.20)
# Pilot station modules (brief §8.3).
MODULES = (
    "social_assistance",
    "elder_care",
    "child_care",
    "social_affairs",
    "community_governance",
)


def _date_between(rng: np.random.Generator, n: int, start: dt.date, end: dt.date) -> np.ndarray:
    days = (end - start).days
    offsets = rng.integers(0, days + 1, n)
    return np.datetime64(start) + offsets.astype("timedelta64[D]")


def _agencies(rng: np.random.Generator, pref: pd.DataFrame) -> pd.DataFrame:
    """Chengdu agencies that operate stations across the province, plus local ones."""
    n_chengdu = 40
    local = (pref["population_2020"] / 1_000_000).round().clip(lower=2).astype(int).to_numpy()
    local_pref = np.repeat(pref["prefecture_id"].to_numpy(), local)
    n = n_chengdu + local_pref.size
    home = np.concatenate([np.full(n_chengdu, "P01"), local_pref])
    stems = np.array(
        [
            "同心",
            "和光",
            "善行",
            "暖阳",
            "禾苗",
            "春晖",
            "益民",
            "众和",
            "仁爱",
            "明德",
            "乐邻",
            "守望",
            "携手",
            "知行",
            "安康",
            "惠众",
        ]
    )
    first_i = rng.integers(0, stems.size, n)
    second_i = (first_i + rng.integers(1, stems.size, n)) % stems.size
    first, second = stems[first_i], stems[second_i]
    pref_names = pref.set_index("prefecture_id")["name_zh"].str.replace(
        r"(藏族羌族自治州|藏族自治州|彝族自治州|市)$", "", regex=True
    )
    prefix = pd.Series(home).map(pref_names).to_numpy()
    frame = pd.DataFrame(
        {
            "agency_id": codes("A", n, 3),
            "name_zh": np.char.add(
                np.char.add(prefix.astype(str), np.char.add(first, second)), "社会工作服务中心"
            ),
            "prefecture_id": home,
            "from_chengdu": home == "P01",
            "founded_year": rng.integers(2008, 2021, n),
        }
    )
    return (
        frame.drop_duplicates("name_zh")
        .reset_index(drop=True)
        .assign(agency_id=lambda f: codes("A", len(f), 3))
    )


def _pick_townships(
    rng: np.random.Generator,
    towns: pd.DataFrame,
    counties: pd.DataFrame,
    county_station: np.ndarray,
) -> np.ndarray:
    teaching = towns["county_id"].isin(counties.loc[counties["teaching"], "county_id"]).to_numpy()
    need = cal.ARTICLE["township_stations"] - int(teaching.sum())
    has_cs = towns["county_id"].isin(counties.loc[county_station, "county_id"]).to_numpy()
    weight = np.where(has_cs, 3.0, 1.0) * np.where(towns["urban"], 0.8, 1.0)
    weight = weight * np.sqrt(towns["population"].to_numpy())
    weight[teaching] = 0
    chosen = rng.choice(len(towns), size=need, replace=False, p=weight / weight.sum())
    mask = teaching.copy()
    mask[chosen] = True
    return mask


def build_stations(world: World) -> None:
    """Add agencies and stations (all four levels) for the whole province."""
    rng = world.rng("stations")
    pref, counties, towns, villages = (
        world["prefectures"],
        world["counties"],
        world["townships"],
        world["villages"],
    )
    agencies = _agencies(rng, pref)

    cs_weight = np.sqrt(counties["population"].to_numpy()).astype(float)
    cs_weight[counties["teaching"].to_numpy()] = 0
    cs_pick = rng.choice(
        len(counties),
        cal.ARTICLE["county_stations"] - 1,
        replace=False,
        p=cs_weight / cs_weight.sum(),
    )
    county_station = counties["teaching"].to_numpy().copy()
    county_station[cs_pick] = True
    town_mask = _pick_townships(rng, towns, counties, county_station)

    served = towns.loc[town_mask, "township_id"]
    pool = villages[villages["township_id"].isin(served)]
    per_town = pool.groupby("township_id", sort=False).size()
    rooms_per_town = largest_remainder(cal.ARTICLE["village_rooms"], per_town.to_numpy() ** 1.0)
    rooms_per_town = np.minimum(rooms_per_town, per_town.to_numpy())
    short = cal.ARTICLE["village_rooms"] - int(rooms_per_town.sum())
    spare = per_town.to_numpy() - rooms_per_town
    rooms_per_town[np.argsort(-spare)[:short]] += 1
    quota = pool["township_id"].map(pd.Series(rooms_per_town, index=per_town.index)).to_numpy()
    order = rng.permutation(len(pool))
    shuffled_rank = np.empty(len(pool), dtype=np.int64)
    shuffled_rank[order] = pool.iloc[order].groupby("township_id", sort=False).cumcount()
    room_villages = pool[shuffled_rank < quota]

    city = pref[pref["prefecture_id"].isin(cal.CITY_CENTRE_PREFECTURES)]
    cs = counties[county_station]
    ts = towns[town_mask]
    county_of_town = ts["county_id"].to_numpy()
    pref_of_county = counties.set_index("county_id")["prefecture_id"]
    town_of_village = room_villages["township_id"].to_numpy()
    county_of_village = towns.set_index("township_id").loc[town_of_village, "county_id"].to_numpy()

    frame = pd.DataFrame(
        {
            "level": np.repeat(LEVELS, [len(city), len(cs), len(ts), len(room_villages)]),
            "prefecture_id": np.concatenate(
                [
                    city["prefecture_id"],
                    cs["prefecture_id"],
                    pref_of_county.loc[county_of_town].to_numpy(),
                    pref_of_county.loc[county_of_village].to_numpy(),
                ]
            ),
            "county_id": np.concatenate(
                [np.full(len(city), None), cs["county_id"], county_of_town, county_of_village]
            ),
            "township_id": np.concatenate(
                [np.full(len(city) + len(cs), None), ts["township_id"], town_of_village]
            ),
            "village_id": np.concatenate(
                [np.full(len(city) + len(cs) + len(ts), None), room_villages["village_id"]]
            ),
        }
    )
    n = len(frame)
    frame.insert(0, "station_id", codes("S", n, 5))
    frame["name_zh"] = _station_names(frame, pref, counties, towns, villages)
    world.add("agencies", agencies)
    world.add("stations", _attributes(rng, frame, agencies, counties))


def _station_names(
    frame: pd.DataFrame,
    pref: pd.DataFrame,
    counties: pd.DataFrame,
    towns: pd.DataFrame,
    villages: pd.DataFrame,
) -> np.ndarray:
    p = frame["prefecture_id"].map(pref.set_index("prefecture_id")["name_zh"])
    c = frame["county_id"].map(counties.set_index("county_id")["name_zh"])
    t = frame["township_id"].map(towns.set_index("township_id")["name_zh"])
    v = frame["village_id"].map(villages.set_index("village_id")["name_zh"])
    level = frame["level"]
    names = np.select(
        [level == "city_centre", level == "county_station", level == "township_station"],
        [p + "社会工作服务支持中心", c + "社会工作服务总站", t + "社会工作服务站"],
        v.fillna("") + "社会工作服务室",
    )
    return names.astype(object)


# Relative funding weight of one station per level [A]: a township station gets about 0.3 of
# a unit, so with the article's totals it receives about ¥230 k over the period (brief §9.5).
FUNDING_WEIGHT = {
    "city_centre": 1.0,
    "county_station": 0.5,
    "township_station": 0.3,
    "village_room": 0.035,
}


def _funding(rng: np.random.Generator, level: np.ndarray, source: np.ndarray) -> np.ndarray:
    """Funds received over the period: the article's provincial (¥45.6 M) and city-county
    (¥289 M) pots, each split over the stations it funds by level weight and chance."""
    weight = pd.Series(level).map(FUNDING_WEIGHT).to_numpy() * rng.uniform(0.7, 1.3, level.size)
    funding = np.zeros(level.size, dtype=np.int64)
    for pot, key in (
        ("provincial", "funding_provincial_yuan"),
        ("city_county", "funding_city_county_yuan"),
    ):
        mask = source == pot
        funding[mask] = largest_remainder(cal.ARTICLE[key], weight[mask])
    return funding


def _attributes(
    rng: np.random.Generator, frame: pd.DataFrame, agencies: pd.DataFrame, counties: pd.DataFrame
) -> pd.DataFrame:
    n = len(frame)
    level = frame["level"].to_numpy()
    town = level == "township_station"
    room = level == "village_room"
    # Parents: room -> its township's station; township station -> county station if any;
    # county station -> its prefecture's city centre if any.
    ts_by_town = frame[town].set_index("township_id")["station_id"]
    cs_by_county = frame[level == "county_station"].set_index("county_id")["station_id"]
    cc_by_pref = frame[level == "city_centre"].set_index("prefecture_id")["station_id"]
    parent = pd.Series(None, index=frame.index, dtype=object)
    parent[room] = frame.loc[room, "township_id"].map(ts_by_town)
    parent[town] = frame.loc[town, "county_id"].map(cs_by_county)
    county = level == "county_station"
    parent[county] = frame.loc[county, "prefecture_id"].map(cc_by_pref)
    frame["parent_station_id"] = parent.where(parent.notna(), None)

    # Operators: township stations by a Chengdu agency (40 % outside Chengdu [A]) or a local one.
    chengdu = agencies.loc[agencies["from_chengdu"], "agency_id"].to_numpy()
    local = agencies[~agencies["from_chengdu"]].reset_index(drop=True)
    rows = pd.Series(np.arange(len(local)), index=local["prefecture_id"])
    first_row = rows.groupby(level=0).min()
    count = rows.groupby(level=0).size()
    pref_id = frame["prefecture_id"]
    # Chengdu (P01) has only Chengdu agencies; its rows never use pick_local.
    pick = first_row.reindex(pref_id).fillna(0).to_numpy(dtype=np.int64) + rng.integers(
        0, 1000, n
    ) % count.reindex(pref_id).fillna(1).to_numpy(np.int64)
    pick_local = local["agency_id"].to_numpy()[pick]
    use_chengdu = (pref_id.to_numpy() == "P01") | (rng.random(n) < 0.4)
    operator = np.where(use_chengdu, rng.choice(chengdu, n), pick_local)
    # A village room is run by its township station's operator.
    op = pd.Series(operator, index=frame["station_id"])
    operator = np.where(room, frame["parent_station_id"].map(op).to_numpy(), operator)
    frame["operator_agency_id"] = operator

    channel = rng.choice(CHANNELS, n, p=CHANNEL_P)
    frame["build_channel"] = channel
    frame["funding_source"] = np.where(channel == "provincial_grant", "provincial", "city_county")
    teaching_county = counties.loc[counties["teaching"], "county_id"].iloc[0]
    pilot = frame["county_id"].to_numpy() == teaching_county
    opened = np.where(
        pilot | (level == "city_centre") | (level == "county_station"),
        _date_between(rng, n, cal.PERIOD_START + dt.timedelta(days=14), dt.date(2021, 6, 30)),
        _date_between(rng, n, dt.date(2021, 3, 1), dt.date(2022, 6, 30)),
    )
    # A room never opens before its township station.
    parent_open = frame["parent_station_id"].map(pd.Series(opened, index=frame["station_id"]))
    opened = np.where(
        room,
        np.maximum(opened, as_day(parent_open) + np.timedelta64(14, "D")),
        opened,
    )
    frame["opened_on"] = pd.to_datetime(opened).date
    frame["funding_yuan"] = _funding(rng, level, frame["funding_source"].to_numpy())
    offered = rng.random((n, len(MODULES))) < np.array([0.97, 0.95, 0.9, 0.7, 0.85])
    offered[:, 0] = True
    joined = np.full(n, "", dtype=object)
    for column, module in enumerate(MODULES):
        joined = np.where(offered[:, column], joined + module + ";", joined)
    frame["modules"] = pd.Series(joined).str.rstrip(";").to_numpy()
    return frame
