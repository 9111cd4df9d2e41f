"""Shared fixtures: generated worlds are built once per test session (they are pure)."""

from __future__ import annotations

import pandas as pd
import pytest

from shegong.datasets.world.pipeline import generate


@pytest.fixture(scope="session")
def county_world() -> dict[str, pd.DataFrame]:
    """The default teaching world (county scale, seed 2022), validated."""
    return generate("county", 2022)


@pytest.fixture(scope="session")
def province_world() -> dict[str, pd.DataFrame]:
    """The whole province (seed 2022), validated; about 15 s."""
    return generate("province", 2022)
