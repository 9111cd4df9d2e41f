"""Small, fixed worlds for the app widget tests (no generated data needed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from shegong.records import RecordsStore
from shegong.records.roster import Member, seed_people, seed_stations

TODAY = dt.date(2025, 6, 15)
STATIONS = pd.DataFrame(
    {
        "station_id": ["S1", "S2", "S3", "R1"],
        "name_zh": [
            "新井乡社会工作服务站",
            "柳冲乡社会工作服务站",
            "金湖镇社会工作服务站",
            "新井村社工室",
        ],
        "level": ["township_station", "township_station", "township_station", "village_room"],
        "county_id": ["C1", "C1", "C2", "C1"],
        "operator_agency_id": ["A1", "A1", "A2", "A1"],
    }
)
COUNTIES = pd.DataFrame({"county_id": ["C1", "C2"], "name_zh": ["白台县", "金山县"]})
MEMBERS = [
    Member("e01", "陈晓梅", "evaluator", lead=True),
    Member("e02", "刘建国", "evaluator"),
    Member("e03", "何丽", "evaluator"),
    Member("U01", "王督导", "supervisor", agency_id="A1"),
    Member("U02", "周督导", "supervisor", agency_id="A1"),
    Member(
        "W01", "李红", "trainee", station_id="S1", agency_id="A1", started_on=dt.date(2025, 1, 10)
    ),
    Member(
        "W02", "赵明", "trainee", station_id="S1", agency_id="A1", started_on=dt.date(2023, 3, 1)
    ),
    Member(
        "W03", "孙丽", "trainee", station_id="S2", agency_id="A1", started_on=dt.date(2024, 9, 1)
    ),
    Member("m01", "张伟", "manager"),
]


def open_store(path: Path) -> RecordsStore:
    """A store whose "today" is fixed, with the roster above."""
    store = RecordsStore(path, today=lambda: TODAY)
    seed_people(store, MEMBERS)
    seed_stations(store, STATIONS)
    return store
