"""Shared grading fixtures: one world, one released course template, cheap clones of it.

Building the county world and creating a gradebook (nbgrader stamps it with ``alembic``)
cost seconds, so they happen once per session; each test module clones the released
template (a folder copy) and works in its own workspace.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from grading_support import course_at

from shegong.datasets import build
from shegong.grading import masters, roster
from shegong.grading.config import GradingOptions
from shegong.grading.context import GradingContext
from shegong.grading.nbconfig import write_nbgrader_config
from shegong.grading.release import release_assignment
from shegong.paths import Workspace


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The county world (seed 2022) built once; workspaces link to it."""
    home = tmp_path_factory.mktemp("world")
    folder = Workspace(home).data_dir("county", 2022)
    build("county", 2022, folder)
    return folder


def _link_world(home: Path, world: Path) -> None:
    (home / "data").mkdir(parents=True, exist_ok=True)
    target = home / "data" / world.name
    if not target.exists():
        target.symlink_to(world, target_is_directory=True)


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory, world: Path) -> Path:
    """A workspace with the roster enrolled and all four assignments released."""
    home = tmp_path_factory.mktemp("template")
    _link_world(home, world)
    course = course_at(home)
    roster.enroll(course)
    for assignment in masters.discover():
        release_assignment(assignment, course)
    return home


@pytest.fixture(scope="session")
def clone(
    tmp_path_factory: pytest.TempPathFactory, template: Path
) -> Callable[..., GradingContext]:
    """Make a fresh copy of the released template: ``clone("name", options=...)``."""

    def make(name: str, options: GradingOptions | None = None) -> GradingContext:
        home = tmp_path_factory.mktemp(name)
        shutil.copytree(template, home, symlinks=True, dirs_exist_ok=True)
        course = course_at(home, options)
        write_nbgrader_config(course)
        return course

    return make
