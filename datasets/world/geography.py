"""Geography: Sichuan's 21 real prefecture-level divisions and invented units below them.

The province skeleton (183 counties, 3,101 townships, about 34.7 k villages and communities) is
always built; smaller scales are slices of it, so a county in the county scale is the same
county in the province scale. Populations and age mix follow brief §8-9.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd

from shegong.datasets.world import calibration as cal
from shegong.datasets.world.allocate import grouped_largest_remainder, largest_remainder
from shegong.datasets.world.context import World
from shegong.datasets.world.names import child_names, codes

MINORITY_AREAS = ("P19", "P20", "P21")
HILL_OUTMIGRATION = ("P11", "P18", "P09", "P15", "P17", "P14")  # brief §9.1


def prefectures() -> pd.DataFrame:
    """The 21 prefecture-level divisions with 2020 census populations (brief §8.2)."""
    path = resources.files("shegong.datasets.world").joinpath("sichuan_prefectures.csv")
    with path.open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle, dtype={"prefecture_id": str})
    frame["minority_area"] = frame["prefecture_id"].isin(MINORITY_AREAS)
    return frame


def _split_population(
    parent_of_row: np.ndarray,
    parent_ids: np.ndarray,
    parent_totals: np.ndarray,
    weights: np.ndarray,
) -> np.ndarray:
    """Each parent's population split over its children in proportion to ``weights``."""
    index = pd.Index(parent_ids).get_indexer(parent_of_row)
    return grouped_largest_remainder(index, parent_totals.astype(np.int64), weights)


def _county_types(pref: pd.DataFrame) -> np.ndarray:
    kinds: list[str] = []
    for pid, n in zip(pref["prefecture_id"], pref["county_units"], strict=True):
        if pid == "P01":
            mix = ["district"] * 12 + ["county_city"] * 5 + ["county"] * 3
        elif pid in MINORITY_AREAS:
            mix = ["county_city"] + ["county"] * (n - 1)
        else:
            districts = 3 if n >= 9 else 2
            mix = ["district"] * districts + ["county_city"] + ["county"] * (n - districts - 1)
        kinds.extend(mix[:n])
    return np.array(kinds)


def _counties(rng: np.random.Generator, pref: pd.DataFrame) -> pd.DataFrame:
    n = int(pref["county_units"].sum())
    pid = np.repeat(pref["prefecture_id"].to_numpy(), pref["county_units"])
    kind = _county_types(pref)
    weight = rng.gamma(6.0, 1.0, n) * np.where(kind == "district", 1.4, 1.0)
    frame = pd.DataFrame({"county_id": codes("C", n, 3), "prefecture_id": pid, "type": kind})
    teaching = _teaching_index(frame)
    # The teaching county is a small hill county: about 30 k people per township [A].
    in_pref = pid == cal.TEACHING_PREFECTURE
    target = (
        cal.TEACHING_COUNTY_TOWNSHIPS
        * 30_000
        / float(
            pref.loc[pref["prefecture_id"] == cal.TEACHING_PREFECTURE, "population_2020"].iloc[0]
        )
    )
    others = weight[in_pref].sum() - weight[teaching]
    weight[teaching] = target * others / (1 - target)
    frame["weight"] = weight
    frame["population"] = _split_population(
        pid, pref["prefecture_id"].to_numpy(), pref["population_2020"].to_numpy(), weight
    )
    suffix = np.select([kind == "district", kind == "county_city"], ["区", "市"], "县")
    frame["name_zh"] = child_names(rng, pid, suffix)
    pref_share = pref.set_index("prefecture_id")
    base60 = frame["prefecture_id"].map(pref_share["share_60plus"]).to_numpy()
    base14 = frame["prefecture_id"].map(pref_share["share_0_14"]).to_numpy()
    urban = kind == "district"
    frame["share_60plus"] = np.round(
        base60 + np.where(urban, -0.03, 0.01) + rng.normal(0, 0.01, n), 4
    )
    frame["share_0_14"] = np.round(base14 + rng.normal(0, 0.008, n), 4)
    return frame.drop(columns="weight")


def _teaching_index(counties: pd.DataFrame) -> int:
    """Row of the teaching county: the first plain county of the teaching prefecture."""
    pool = (counties["prefecture_id"] == cal.TEACHING_PREFECTURE) & (counties["type"] == "county")
    return int(np.flatnonzero(pool.to_numpy())[0])


def _townships(rng: np.random.Generator, counties: pd.DataFrame, teaching: str) -> pd.DataFrame:
    weights = counties["population"].to_numpy() ** 0.6
    is_teaching = (counties["county_id"] == teaching).to_numpy()
    others = largest_remainder(
        cal.PROVINCE_TOWNSHIPS - cal.TEACHING_COUNTY_TOWNSHIPS, weights[~is_teaching], minimum=4
    )
    counts = np.zeros(len(counties), dtype=np.int64)
    counts[~is_teaching] = others
    counts[is_teaching] = cal.TEACHING_COUNTY_TOWNSHIPS
    n = int(counts.sum())
    county_id = np.repeat(counties["county_id"].to_numpy(), counts)
    ctype = np.repeat(counties["type"].to_numpy(), counts)
    draw = rng.random(n)
    street_share = np.select([ctype == "district", ctype == "county_city"], [0.6, 0.2], 0.03)
    rank = np.arange(n) - np.repeat(np.cumsum(counts) - counts, counts)
    kind = np.where(
        (draw < street_share) | ((rank == 0) & (ctype != "county")),
        "street",
        np.where(draw < street_share + (1 - street_share) * 0.62, "town", "township"),
    )
    suffix = np.select([kind == "street", kind == "town"], ["街道", "镇"], "乡")
    frame = pd.DataFrame(
        {
            "township_id": codes("T", n, 5),
            "county_id": county_id,
            "name_zh": child_names(rng, county_id, suffix),
            "type": kind,
            "urban": kind == "street",
        }
    )
    weight = rng.gamma(4.0, 1.0, n) * np.where(kind == "street", 1.8, 1.0)
    by_county = counties.set_index("county_id")
    frame["population"] = _split_population(
        county_id, counties["county_id"].to_numpy(), counties["population"].to_numpy(), weight
    )
    c60 = frame["county_id"].map(by_county["share_60plus"]).to_numpy()
    c14 = frame["county_id"].map(by_county["share_0_14"]).to_numpy()
    urban = frame["urban"].to_numpy()
    frame["share_60plus"] = np.clip(
        np.round(c60 + np.where(urban, -0.04, 0.02) + rng.normal(0, 0.015, n), 4), 0.08, 0.38
    )
    frame["share_0_14"] = np.clip(np.round(c14 + rng.normal(0, 0.01, n), 4), 0.08, 0.32)
    return frame


def _villages(rng: np.random.Generator, towns: pd.DataFrame) -> pd.DataFrame:
    street = towns["urban"].to_numpy()
    village_counts = np.zeros(len(towns), dtype=np.int64)
    village_counts[~street] = largest_remainder(
        cal.PROVINCE_VILLAGES, rng.gamma(5.0, 1.0, int((~street).sum())), minimum=3
    )
    comm_weight = np.where(street, 7.0, 0.35) * rng.gamma(5.0, 1.0, len(towns))
    # Every street has at least two communities; the rest follow the weights.
    floor = 2 * street.astype(np.int64)
    comm_counts = floor + largest_remainder(
        cal.PROVINCE_COMMUNITIES - int(floor.sum()), comm_weight
    )
    counts = village_counts + comm_counts
    n = int(counts.sum())
    tid = np.repeat(towns["township_id"].to_numpy(), counts)
    start = np.repeat(np.cumsum(counts) - counts, counts)
    is_comm = (np.arange(n) - start) < np.repeat(comm_counts, counts)
    kind = np.where(is_comm, "community", "village")
    frame = pd.DataFrame(
        {
            "village_id": codes("V", n, 6),
            "township_id": tid,
            "name_zh": child_names(rng, tid, np.where(is_comm, "社区", "村")),
            "type": kind,
        }
    )
    weight = rng.gamma(3.0, 1.0, n) * np.where(is_comm, 2.5, 1.0)
    by_town = towns.set_index("township_id")
    frame["population"] = _split_population(
        tid, towns["township_id"].to_numpy(), towns["population"].to_numpy(), weight
    )
    t60 = frame["township_id"].map(by_town["share_60plus"]).to_numpy()
    frame["share_60plus"] = np.clip(
        np.round(t60 + np.where(is_comm, -0.03, 0.02) + rng.normal(0, 0.02, n), 4), 0.06, 0.45
    )
    frame["share_0_14"] = np.clip(
        np.round(
            frame["township_id"].map(by_town["share_0_14"]).to_numpy() + rng.normal(0, 0.012, n), 4
        ),
        0.06,
        0.35,
    )
    # Hollowing: share of registered residents living away, higher in hill villages.
    frame["outmigration_share"] = np.clip(
        np.round(np.where(is_comm, 0.08, 0.28) + rng.normal(0, 0.06, n), 3), 0.0, 0.6
    )
    frame["households"] = np.maximum(1, np.round(frame["population"] / 2.51)).astype(np.int64)
    return frame


def build_geography(world: World) -> None:
    """Add prefectures, counties, townships and villages for the whole province."""
    rng = world.rng("geography")
    pref = prefectures()
    counties = _counties(rng, pref)
    teaching = str(counties["county_id"].iloc[_teaching_index(counties)])
    counties["teaching"] = counties["county_id"] == teaching
    towns = _townships(rng, counties, teaching)
    world.add("prefectures", pref)
    world.add("counties", counties)
    world.add("townships", towns)
    world.add("villages", _villages(rng, towns))
