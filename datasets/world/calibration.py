"""Figures the simulated world is calibrated to, with where each comes from.

Tags follow the domain brief: [V] checked against a source, [D] derived, [A] an assumption
for simulation (not a fact). The source article's figures (brief §1) are the province totals;
per-station rates are those totals divided by the article's 843 township stations, so every
scale shares one set of rates and the province scale reproduces the article's totals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import MappingProxyType

# Source article (brief §1), province totals, about 2022; treated as cumulative [A].
ARTICLE = MappingProxyType(
    {
        "city_centres": 5,
        "county_stations": 96,
        "township_stations": 843,
        "village_rooms": 3507,
        "volunteer_teams": 2329,
        "volunteers": 100_900,
        "community_orgs": 2507,
        "assistance_person_times": 78_500,
        "care_person_times": 286_000,
        "community_activities": 10_400,
        "industry_assists": 3380,
        "resources_yuan": 29_800_000,
        "funding_provincial_yuan": 45_600_000,
        "funding_city_county_yuan": 289_000_000,
    }
)

# Sichuan geography (brief §8.1) [V]: townships and streets after the 2019-2020 reform,
# villages about 26.4 k once Liangshan finished [D], urban communities 8,261 [V].
PROVINCE_TOWNSHIPS = 3101
PROVINCE_VILLAGES = 26_400
PROVINCE_COMMUNITIES = 8261

# Which prefectures host the five city support centres is not in the article [A].
CITY_CENTRE_PREFECTURES = ("P01", "P06", "P11", "P13", "P21")

# The teaching worlds [A]: the county scale is one hill county of Nanchong (heavy
# out-migration, many left-behind elders and children); the prefecture scale is Nanchong.
TEACHING_PREFECTURE = "P11"
TEACHING_COUNTY_TOWNSHIPS = 8

# Period the records cover [A]: the pilot began in 2021 (brief §8.3); the article is ~2022.
PERIOD_START = dt.date(2021, 1, 1)
PERIOD_END = dt.date(2022, 10, 31)


def per_township_station(name: str) -> float:
    """An article total per township station [D]; the rate every scale draws from."""
    return ARTICLE[name] / ARTICLE["township_stations"]


@dataclass(frozen=True)
class Rates:
    """Simulation parameters [A] (brief §9), in one place so the data card can list them."""

    full_time_workers: tuple[int, int] = (2, 4)  # per township station, inclusive (§9.5)
    part_time_share: float = 0.35  # share of township stations with part-time workers too
    room_worker_share: float = 0.55  # village rooms with one resident worker (§9.5: 0-1)
    new_cases_per_worker_month: float = 0.9  # sensitivity parameter: no caseload norm (§2.4)
    groups_per_station_year: tuple[int, int] = (4, 8)  # §9.5
    # 走访 need-assessment visits a month: full-time, part-time, village-room worker. With the
    # case, care and assistance contacts on top, a full-time worker makes 20-40 visits (§9.5).
    visits_full_time: tuple[float, float] = (14, 30)
    visits_part_time: tuple[float, float] = (4, 10)
    visits_room_worker: tuple[float, float] = (6, 14)
    group_size: tuple[int, int] = (8, 12)  # §6.2
    group_sessions: tuple[int, int] = (4, 8)  # §6.2
    roster_coverage: float = 0.045  # share of served villagers sampled; the vulnerable stay
    dibao_rural: tuple[float, float] = (0.04, 0.08)  # §9.4
    dibao_minority_area: tuple[float, float] = (0.08, 0.12)  # §9.4 Liangshan, Ganzi, Aba
    dibao_urban: tuple[float, float] = (0.01, 0.02)
    # 特困 by age (60+, under 16, others), rural; urban is 0.3 times. Gives 0.6-1.2 % (§9.4).
    tekun_by_age: tuple[float, float, float] = (0.035, 0.004, 0.002)
    dibao_edge: tuple[float, float] = (0.01, 0.03)
    # Disability by age (60+, under 16, others): about 7 % overall, 22 % of 60+ (§9.3).
    disability_by_age: tuple[float, float, float] = (0.22, 0.012, 0.035)
    left_behind_child_share: float = 0.22  # of rural children under 16 (Guangyuan, §9.2) [D]
    left_behind_elder_share: float = 0.20  # of rural 60+ [A] from Guangyuan's 3.6 ratio
    left_behind_woman_per_child: float = 1.85  # Guangyuan ratio (§9.2) [D]


RATES = Rates()
