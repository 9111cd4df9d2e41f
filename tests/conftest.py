"""Shared fixtures: generated worlds are built once per test session (they are pure)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pandas as pd
import pytest

from shegong.datasets.world.pipeline import generate
from shegong.grading import launch

ROOT_KERNELS: list[str] = []  # said at the end of the run when the tests had to allow them


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


@pytest.fixture(scope="session", autouse=True)
def lesson_key_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Lesson answer keys cached in this session's own folder (kernels inherit the variable),
    never in the developer's ``~/.cache``: each run starts from what its builds fill in."""
    before = os.environ.get("SHEGONG_KEY_CACHE")
    os.environ["SHEGONG_KEY_CACHE"] = str(tmp_path_factory.mktemp("lesson-key-cache"))
    yield
    if before is None:
        os.environ.pop("SHEGONG_KEY_CACHE", None)
    else:
        os.environ["SHEGONG_KEY_CACHE"] = before


@pytest.fixture(scope="session", autouse=True)
def root_kernels_where_no_uid_can_be_dropped_to() -> Iterator[None]:
    """A root run in a checkout no other uid can reach (and no namespaces to fix that):
    ``shegong grade autograde`` refuses there, so the tests allow it explicitly (their
    submissions are the tests' own) and the run says so at its end. Nowhere else."""
    if os.geteuid() != 0 or launch.kernel_interpreter().can_drop:
        yield
        return
    patch = pytest.MonkeyPatch()
    patch.setenv("SHEGONG_GRADE_ALLOW_ROOT_KERNELS", "1")
    patch.setattr("shegong.grading.autograde.refuse_root_kernels", lambda *_args: None)
    ROOT_KERNELS.append(str(launch.closed_folder()))
    yield
    patch.undo()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for folder in ROOT_KERNELS:
        terminalreporter.write_line(
            f"注意：其他用户无法进入 {folder}，评分内核在测试中以 root 运行。 / Note: other users "
            f"cannot enter {folder}, so grading kernels ran as root in these tests."
        )
