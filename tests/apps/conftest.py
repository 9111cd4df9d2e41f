"""Fixtures of the app tests: a prepared workspace, a running apps server, Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from voila_servers import CHROMIUM, CHROMIUM_ARGS, AppServer, prepared_settings

from shegong.settings import Settings
from shegong.voila_config import ServeOptions


@pytest.fixture(scope="session")
def apps_workspace(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A workspace with the county world, the apps built, the template and the roster."""
    home = tmp_path_factory.mktemp("appshome")
    return prepared_settings(home)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """Our serving (preheated, compressed, offline template) on its own workspace."""
    home = tmp_path_factory.mktemp("serverhome")
    settings = prepared_settings(home)
    server = AppServer(settings, ServeOptions(pool_size=1), home / "voila.log").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never a downloaded browser). Module scope: the
    sync API allows one Playwright per thread, and other modules start their own."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (tools/system-deps.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
