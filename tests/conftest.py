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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what needs a browser or the grading sandbox, so a fast subset can leave it out:
    ``pytest -m "not slow and not browser and not sandbox"``."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "browser" in fixtures:
            item.add_marker(pytest.mark.browser)
        if item.path.parent.name == "grading":
            item.add_marker(pytest.mark.sandbox)
