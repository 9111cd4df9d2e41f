"""A trainee's Lab hides nbgrader's instructor tools; a supervisor's (and the demo's) keeps them.

Whose Lab it is comes from ``JUPYTERHUB_USER`` / ``SHEGONG_USER`` and the roster (people from
the workspace's roster, never literal ids); the switch is the Lab's own settings folder
(``page_config.json`` under the workspace) and nbgrader's server extensions.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from voila_servers import STARTUP_DEADLINE, free_port

from shegong.lab import (
    INSTRUCTOR,
    INSTRUCTOR_PLUGINS,
    TRAINEE,
    lab_command,
    lab_environment,
    lab_view,
    view_arguments,
)
from shegong.paths import Workspace
from shegong.records import Role
from shegong.records.roster import load_roster
from shegong.settings import Settings
from shegong.settings import load as load_settings

TOKEN = "trainee-view-test"


def _first(settings: Settings, role: str) -> str:
    return next(m.person_id for m in load_roster(settings.home) if m.role == role)


def test_whose_lab_it_is_comes_from_the_signed_in_user_and_the_roster(
    apps_workspace: Settings,
) -> None:
    home = apps_workspace.home
    trainee, supervisor = (
        _first(apps_workspace, Role.TRAINEE),
        _first(apps_workspace, Role.SUPERVISOR),
    )
    assert lab_view(home, {}) == INSTRUCTOR  # shegong demo / lab with no user: every tool
    assert lab_view(home, {"SHEGONG_USER": trainee}) == TRAINEE
    assert lab_view(home, {"JUPYTERHUB_USER": supervisor}) == INSTRUCTOR
    # the hub's signed-in user wins over a configured station user
    assert lab_view(home, {"JUPYTERHUB_USER": trainee, "SHEGONG_USER": supervisor}) == TRAINEE
    assert lab_view(home, {"JUPYTERHUB_USER": "not-on-the-roster"}) == TRAINEE  # fail closed
    evaluator = _first(apps_workspace, Role.EVALUATOR)
    assert lab_view(home, {"SHEGONG_USER": evaluator}) == TRAINEE  # no grading tools either


def test_the_trainee_view_is_written_in_the_labs_own_settings_folder(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path).ensure()
    args = view_arguments(workspace, TRAINEE)
    folder = Path(args[0].split("=", 1)[1])
    assert args[0].startswith("--LabApp.app_settings_dir=") and folder.is_relative_to(tmp_path)
    config = json.loads((folder / "page_config.json").read_text(encoding="utf-8"))
    assert config["disabledExtensions"] == list(INSTRUCTOR_PLUGINS)
    assert "--ServerApp.jpserver_extensions=nbgrader.server_extensions.formgrader=False" in args
    instructor = view_arguments(workspace, INSTRUCTOR)
    config = json.loads(
        (Path(instructor[0].split("=", 1)[1]) / "page_config.json").read_text(encoding="utf-8")
    )
    assert config["disabledExtensions"] == [] and len(instructor) == 1


def _status(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


@contextmanager
def _lab(home: Path, view: str) -> Iterator[str]:
    home.mkdir(parents=True, exist_ok=True)
    settings = load_settings({"home": home, "port": free_port()}, environ={}, cwd=home)
    env = {**os.environ, **lab_environment(Workspace(home).ensure(), "zh"), "JUPYTER_TOKEN": TOKEN}
    log = home / f"lab-{view}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            lab_command(settings, open_browser=False, view=view),
            env=env,
            cwd=home,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{settings.port}"
    deadline = time.monotonic() + STARTUP_DEADLINE
    try:
        while True:
            try:
                if _status(f"{base}/api/status")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log.read_text(errors="replace")[-2000:])
            time.sleep(0.5)  # polling for the server to come up
        yield base
    finally:
        process.terminate()
        process.wait(timeout=60)


@pytest.mark.slow
def test_a_trainees_lab_has_no_instructor_tools_and_a_supervisors_has(tmp_path: Path) -> None:
    """Served for real: nbgrader's plugins disabled in the page, its handlers gone."""
    with _lab(tmp_path / "trainee", TRAINEE) as base:
        status, page = _status(f"{base}/lab")
        assert status == 200
        for plugin in INSTRUCTOR_PLUGINS:
            assert plugin in page
        assert _status(f"{base}/formgrader")[0] == 404
        assert _status(f"{base}/assignments")[0] == 404  # the English Assignment List
    with _lab(tmp_path / "supervisor", INSTRUCTOR) as base:
        status, page = _status(f"{base}/lab")
        assert status == 200 and "@jupyter/nbgrader:formgrader" not in page
        assert _status(f"{base}/formgrader")[0] != 404
