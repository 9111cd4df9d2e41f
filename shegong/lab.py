"""Start JupyterLab on the workspace with the Chinese interface selected.

All JupyterLab state (user settings, workspaces) lives under ``workspace/jupyter/``, so the
source tree and the user's home folder are not touched. The same server serves the Voila apps
(``/voila/render/build/apps/zh/index.ipynb``) the way ``shegong serve apps`` does: offline
template, culling, gzip (``shegong.voila_config.lab_arguments``).

Who the Lab is for decides what it shows (``lab_view``). A trainee's Lab (the Lab's user,
``JUPYTERHUB_USER`` and then ``SHEGONG_USER``, is not a supervisor of the roster, or is not
in it at all: fail closed) has nbgrader's instructor tools and its English Assignment List
switched off: the lab plugins through ``page_config.json`` in this Lab's own settings folder
(``--LabApp.app_settings_dir``, under ``workspace/jupyter/``; the user's home is never
touched), and nbgrader's server extensions for them. Trainees hand in work on the 我的作业
page instead. A Lab with no user set (``shegong demo``, ``shegong lab`` on a supervisor's
machine) and a supervisor's Lab keep every tool.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from shegong.paths import Workspace
from shegong.settings import Settings
from shegong.voila_config import lab_arguments, serving_environment

TRANSLATION_PLUGIN = "@jupyterlab/translation-extension"
# nbgrader's parts a trainee does not use (its English menus; 我的作业 does their work)
INSTRUCTOR_PLUGINS = (
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:assignment-list",
    "@jupyter/nbgrader:menu",
)
INSTRUCTOR_SERVER_EXTENSIONS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
    "nbgrader.server_extensions.assignment_list",
)
INSTRUCTOR, TRAINEE = "instructor", "trainee"
USER_VARIABLES = ("JUPYTERHUB_USER", "SHEGONG_USER")
LOCALES = {"zh": "zh_CN", "en": "en"}


def lab_environment(workspace: Workspace, lang: str) -> dict[str, str]:
    """Environment variables that point JupyterLab's settings at the workspace, with the
    interface language preset (zh_CN needs the jupyterlab-language-pack-zh-CN package)."""
    settings_dir = workspace.root / "jupyter" / "user-settings"
    # The interface language, and no news fetching: stations have weak or no network, and a
    # pop-up asking about Jupyter news only confuses a new trainee.
    for plugin, values in (
        (f"{TRANSLATION_PLUGIN}/plugin", {"locale": LOCALES[lang]}),
        ("@jupyterlab/apputils-extension/notification", {"fetchNews": "false"}),
    ):
        path = settings_dir / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    return {
        "JUPYTERLAB_SETTINGS_DIR": str(settings_dir),
        "JUPYTERLAB_WORKSPACES_DIR": str(workspace.root / "jupyter" / "workspaces"),
        # SHEGONG_HOME, and JUPYTER_PATH leading Voila to the apps' offline template
        **serving_environment(workspace.root),
        # `shegong` (and this Python) first on PATH in a Lab terminal and in kernels
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    }


def lab_view(home: Path, environ: dict[str, str] | None = None) -> str:
    """``instructor`` or ``trainee``: whose Lab this is (see the module docstring)."""
    environ = dict(os.environ) if environ is None else environ
    user = next((environ[v] for v in USER_VARIABLES if environ.get(v)), "")
    if not user:
        return INSTRUCTOR
    from shegong.records.roster import load_roster  # the roster: only when a user is set

    try:
        members = {m.person_id: m.role for m in load_roster(home)}
    except Exception:  # an unreadable roster: fail closed, no instructor tools
        return TRAINEE
    return INSTRUCTOR if members.get(user) == "supervisor" else TRAINEE


def view_arguments(workspace: Workspace, view: str) -> list[str]:
    """This Lab's own settings folder (with the trainee's disabled plugins) and extensions."""
    return view_folder_arguments(workspace.root / "jupyter" / "lab-settings" / view, view)


def view_folder_arguments(folder: Path, view: str, write: bool = True) -> list[str]:
    """``view_arguments`` with the settings folder given: the hub keeps one shared,
    root-owned folder per view that every account can read (``shegong.hub.hubconfig``).
    ``write=False``: only the arguments (the folder's ``page_config.json`` is written elsewhere)."""
    disabled = list(INSTRUCTOR_PLUGINS) if view == TRAINEE else []
    if write:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "page_config.json").write_text(
            json.dumps({"disabledExtensions": disabled}, indent=1), encoding="utf-8"
        )
    args = [f"--LabApp.app_settings_dir={folder}"]
    if view == TRAINEE:
        args += [f"--ServerApp.jpserver_extensions={n}=False" for n in INSTRUCTOR_SERVER_EXTENSIONS]
    return args


def lab_command(
    settings: Settings,
    open_browser: bool | None = None,
    default_url: str = "/lab",
    view: str | None = None,
) -> list[str]:
    """The ``jupyter lab`` command line for this workspace; ``view`` defaults to
    ``lab_view`` of this process's environment."""
    if open_browser is None:
        open_browser = bool(os.environ.get("DISPLAY")) or sys.platform in ("darwin", "win32")
    return [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.ip={settings.host}",
        f"--ServerApp.port={settings.port}",
        f"--ServerApp.root_dir={settings.home}",
        f"--ServerApp.open_browser={open_browser}",
        f"--LabApp.default_url={default_url}",
        # Station machines and CI containers often run as root; Jupyter refuses that by default.
        f"--ServerApp.allow_root={hasattr(os, 'geteuid') and os.geteuid() == 0}",
        *lab_arguments(),
        *view_arguments(Workspace(settings.home), view or lab_view(Path(settings.home))),
    ]


def lab_token(environ: dict[str, str] | None = None) -> str:
    """The token the server accepts and the printed links carry: ``JUPYTER_TOKEN`` if set,
    else a fresh random one (so a new browser opens the link signed in, never Jupyter's
    English login page). It goes to the server in its environment, not its command line,
    which any local user could read."""
    import secrets

    given = (os.environ if environ is None else environ).get("JUPYTER_TOKEN", "")
    return given or secrets.token_urlsafe(24)


def run_lab(settings: Settings, default_url: str = "/lab", token: str = "") -> int:
    """Run JupyterLab in the foreground until Ctrl+C; returns its exit code. ``token``:
    the one the printed links carry (``lab_token``); empty: Jupyter's own."""
    import subprocess

    workspace = Workspace(settings.home).ensure()
    env = {**os.environ, **lab_environment(workspace, settings.lang)}
    if token:
        env["JUPYTER_TOKEN"] = token
    try:
        return subprocess.call(
            lab_command(settings, default_url=default_url), env=env, cwd=Path(settings.home)
        )
    except KeyboardInterrupt:
        return 0
