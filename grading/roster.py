"""Trainees are the ``workers`` of the simulated data: who they are, where they work.

A trainee id *is* a ``worker_id`` (``w000011``); nothing maps one to the other. ``trainees``
joins each worker to their station, township and county; ``enroll`` records them as
nbgrader students (``last_name`` holds the Chinese name, as nbgrader has no single-name
field), so intake knows who may submit and the gradebook can be exported by station.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from shegong.datasets import load
from shegong.grading.context import GradingContext
from shegong.grading.gradebook import open_gradebook
from shegong.settings import Settings

COLUMNS = [
    "worker_id",
    "name_zh",
    "station_id",
    "station_name",
    "station_level",
    "township_id",
    "county_id",
    "county_name",
]
TRAINEE_LEVELS = ("township_station", "village_room")


def trainees(settings: Settings, levels: Iterable[str] = TRAINEE_LEVELS) -> pd.DataFrame:
    """Every worker at the given station levels with station and county (one row each)."""
    home, scale, seed = settings.home, settings.scale, settings.seed
    workers = load("workers", scale, seed, home=home)
    stations = load("stations", scale, seed, home=home)
    counties = load("counties", scale, seed, home=home)
    table = workers.merge(
        stations[["station_id", "name_zh", "level", "township_id", "county_id"]].rename(
            columns={"name_zh": "station_name", "level": "station_level"}
        ),
        on="station_id",
        how="left",
    ).merge(
        counties[["county_id", "name_zh"]].rename(columns={"name_zh": "county_name"}),
        on="county_id",
        how="left",
    )
    table = table[table["station_level"].isin(list(levels))]
    return table[COLUMNS].sort_values("worker_id").reset_index(drop=True)


def enroll(ctx: GradingContext, worker_ids: Iterable[str] | None = None) -> int:
    """Record trainees as nbgrader students (all trainees, or the given ids); returns count."""
    table = trainees(ctx.settings)
    if worker_ids is not None:
        wanted = set(worker_ids)
        table = table[table["worker_id"].isin(wanted)]
    ctx.paths.ensure()
    with open_gradebook(ctx.db_url, ctx.course_id) as gb:
        for row in table.itertuples(index=False):
            gb.update_or_create_student(
                str(row.worker_id), last_name=str(row.name_zh), first_name=""
            )
    return len(table)
