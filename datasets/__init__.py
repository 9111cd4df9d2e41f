"""shegong.datasets: seeded simulated data from Sichuan's social work stations.

Lessons and apps call ``load``::

    from shegong.datasets import load
    ledger = load("ledger")                       # the county teaching world, default seed
    cases = load("cases", scale="prefecture", seed=7)

The first ``load`` of a world that has not been built yet builds it (a county world takes
about a second). ``tables()`` lists the table names; ``card()`` documents every column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from shegong.datasets.card import card
from shegong.datasets.world.pipeline import BuildResult, build
from shegong.errors import DataError
from shegong.paths import Workspace
from shegong.settings import load as load_settings

__all__ = ["BuildResult", "build", "card", "data_folder", "load", "tables"]


def tables() -> list[str]:
    """Names of the generated tables, in the data card's order."""
    return list(card().tables)


def data_folder(
    scale: str | None = None, seed: int | None = None, messy: bool = False, home: Path | None = None
) -> Path:
    """The folder of one world in the workspace (from settings unless given)."""
    settings = load_settings({"home": home, "scale": scale, "seed": seed})
    return Workspace(settings.home).data_dir(settings.scale, settings.seed, messy)


def load(
    name: str,
    scale: str | None = None,
    seed: int | None = None,
    *,
    messy: bool = False,
    home: Path | None = None,
    build_if_missing: bool = True,
) -> pd.DataFrame:
    """One table of a generated world as a DataFrame (dates as datetime64)."""
    if name not in card().tables:
        raise DataError("error.data_unknown_table", table=name, choices=", ".join(tables()))
    settings = load_settings({"home": home, "scale": scale, "seed": seed})
    folder = Workspace(settings.home).data_dir(settings.scale, settings.seed, messy)
    path = folder / f"{name}.parquet"
    if not path.exists():
        if not build_if_missing:
            raise DataError(
                "error.data_not_built", path=folder, scale=settings.scale, seed=settings.seed
            )
        build(settings.scale, settings.seed, folder, messy=messy)
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise DataError("error.data_corrupt_file", path=path, detail=str(exc)[:200]) from None
