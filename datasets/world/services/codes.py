"""Service ledger codes (six services, contacts, partners) and the draws the rows share."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shegong.datasets.world import calibration as cal
from shegong.datasets.world.allocate import multinomial_split
from shegong.datasets.world.context import World
from shegong.datasets.world.dates import as_day, or_none

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


def township_stations(world: World) -> pd.DataFrame:
    st = world["stations"]
    return st[st["level"] == "township_station"].reset_index(drop=True)


def station_total(
    world: World, rng: np.random.Generator, key: str, weight: np.ndarray
) -> np.ndarray:
    n_ts = len(township_stations(world))
    return multinomial_split(rng, round(cal.per_township_station(key) * n_ts), weight)


def active_days(ts: pd.DataFrame) -> np.ndarray:
    return np.maximum((END - as_day(ts["opened_on"])).astype(np.int64), 1)


def random_resident(
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


def pick_in_station(
    rng: np.random.Generator, table: pd.DataFrame, station: np.ndarray, column: str
) -> np.ndarray:
    table = table.sort_values("station_id", kind="stable")
    st = table["station_id"].to_numpy()
    values = table[column].to_numpy()
    start = np.searchsorted(st, station, side="left")
    size = np.searchsorted(st, station, side="right") - start
    pick = start + (rng.random(station.size) * np.maximum(size, 1)).astype(np.int64)
    return or_none(size > 0, values[np.minimum(pick, values.size - 1)])


def partner_sets(rng: np.random.Generator, n: int, p: tuple[float, ...]) -> np.ndarray:
    joined = np.full(n, "", dtype=object)
    for partner, prob in zip(PARTNERS, p, strict=True):
        joined = np.where(rng.random(n) < prob, joined + partner + ";", joined)
    return pd.Series(joined).str.rstrip(";").to_numpy(dtype=object)
