"""Cut the province skeleton down to the chosen scale (county, prefecture or province)."""

from __future__ import annotations

from shegong.datasets.world import calibration as cal
from shegong.datasets.world.context import World


def slice_to_scale(world: World) -> None:
    """Keep only the geography, stations and agencies of the world's scale."""
    if world.scale == "province":
        return
    counties = world["counties"]
    if world.scale == "county":
        keep_counties = counties[counties["teaching"]]
    else:
        keep_counties = counties[counties["prefecture_id"] == cal.TEACHING_PREFECTURE]
    prefecture_ids = set(keep_counties["prefecture_id"])
    county_ids = set(keep_counties["county_id"])
    towns = world["townships"]
    towns = towns[towns["county_id"].isin(county_ids)]
    villages = world["villages"]
    villages = villages[villages["township_id"].isin(set(towns["township_id"]))]
    stations = world["stations"]
    stations = stations[
        stations["county_id"].isin(county_ids)
        | ((stations["level"] == "city_centre") & stations["prefecture_id"].isin(prefecture_ids))
    ]
    # A parent outside the slice is dropped from the link, not invented.
    stations = stations.assign(
        parent_station_id=stations["parent_station_id"].where(
            stations["parent_station_id"].isin(set(stations["station_id"])), None
        )
    )
    agencies = world["agencies"]
    agencies = agencies[agencies["agency_id"].isin(set(stations["operator_agency_id"]))]
    pref = world["prefectures"]
    world.add("prefectures", pref[pref["prefecture_id"].isin(prefecture_ids)])
    world.add("counties", keep_counties)
    world.add("townships", towns)
    world.add("villages", villages)
    world.add("stations", stations)
    world.add("agencies", agencies)
