"""The hub's configuration, made from the roster and the ports picked at start.

``hub_config`` returns the traitlets values as plain data (unit-tested), ``write_config``
renders them into ``<workspace>/hub/jupyterhub_config.py`` beside two hooks from
``shegong.hub.hooks``. Nothing a user controls reaches these values: a trainee's server
ignores the trainee's own Jupyter config (``Spawner.disable_user_config``), uses the ipc
kernel transport (no TCP kernel ports other local users could connect to), and compresses
its responses (a cold JupyterLab load is 6.0 MiB raw, 1.7 MiB gzipped). A trainee's server
also gets the trainee's Lab view (``trainee_arguments``: nbgrader's instructor tools off,
from a root-owned settings folder every account can read); the apps' Voila runs behind the
uid check of ``shegong.hub.apps_server`` with ipc kernels.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shegong.hub.accounts import APPS_ACCOUNT
from shegong.hub.content import APPS_RUNTIME
from shegong.hub.preflight import python_program
from shegong.hub.roles import APPS_SERVICE, LAB_ROLES, course_accounts, load_groups, load_roles
from shegong.lab import TRAINEE, view_folder_arguments
from shegong.paths import CONTENT
from shegong.records.roster import Member
from shegong.voila_config import ServeOptions, voila_config

TEMPLATES = CONTENT.root / "deploy" / "templates"
EXCHANGE = Path("/srv/nbgrader/exchange")
USER_HEADER = "X-CDSDASHBOARDS-JH-USER"  # set by jhsingle-native-proxy --forward-user-info
LAB_URL = "/lab"


@dataclass(frozen=True)
class Ports:
    public: int
    api: int
    hub: int
    apps: int
    courses: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class HubPlan:
    """Everything the configuration depends on."""

    folder: Path  # <workspace>/hub
    members: list[Member]
    courses: list[str]
    ports: Ports
    db_url: str
    records_url: str
    apps_home: Path  # the apps service's workspace (owned by shegong-apps)
    gradebook_urls: dict[str, str] = field(default_factory=dict)
    host: str = "127.0.0.1"
    exchange: Path = EXCHANGE
    python: Path = Path(sys.executable)  # what the accounts' processes run (runtime.py)

    @property
    def config_file(self) -> Path:
        return self.folder / "jupyterhub_config.py"

    @property
    def apps_runtime(self) -> Path:
        """The apps' Voila keeps its kernels' connection files and sockets here (0700)."""
        return self.apps_home.parent / APPS_RUNTIME

    @property
    def lab_settings(self) -> Path:
        """The Lab views' settings folders (``page_config.json``), one per view."""
        return self.exchange.parent / "lab-settings"

    @property
    def jupyter_config_dir(self) -> Path:
        """Config every server reads (nbgrader's exchange), through ``JUPYTER_CONFIG_PATH``."""
        return self.exchange.parent / "jupyter-config"


def _bin(name: str) -> str:
    return python_program(name) or str(Path(sys.executable).parent / name)


def _path_env(plan: HubPlan) -> str:
    return f"{plan.python.parent}:/usr/local/bin:/usr/bin:/bin"


def _singleuser(plan: HubPlan) -> list[str]:
    return [str(plan.python), "-m", "jupyterhub.singleuser"]


def apps_command(plan: HubPlan) -> list[str]:
    """jhsingle-native-proxy (hub OAuth, forwarded user) in front of the standalone Voila."""
    prefix = f"/services/{APPS_SERVICE}/"
    config = voila_config(plan.apps_home / "build" / "apps", ServeOptions())
    # connection files and kernel sockets in the account's own 0700 folder (Voila: /tmp)
    config.setdefault("Voila", {}).update(
        base_url=prefix, server_url="/", connection_dir_root=str(plan.apps_runtime)
    )
    config["VoilaConfiguration"]["http_header_envs"] = [USER_HEADER]
    # kernel sockets as files in Voila's 0700 connection folder, never TCP ports
    config.setdefault("KernelManager", {})["transport"] = "ipc"
    # jhsingle formats every argument with str.format ({port}); the JSON's braces are doubled
    escaped = json.dumps(config).replace("{", "{{").replace("}", "}}")
    return [
        str(plan.python),
        "-m",
        "jhsingle_native_proxy.main",
        "--authtype=oauth",
        "--forward-user-info",
        "--ip=127.0.0.1",
        "--ready-check-path=/voila/render/zh/index.ipynb",
        "--ready-timeout=300",
        "--",
        str(plan.python),
        "-m",
        "shegong.hub.apps_server",  # Voila answering only its own uid (jhsingle)
        str(plan.apps_home / "build" / "apps"),
        "--host=127.0.0.1",
        "--port={port}",
        f"--config-json={escaped}",
    ]


def services(plan: HubPlan) -> list[dict[str, Any]]:
    apps_env = {
        "HOME": str(plan.apps_home.parent),
        "PATH": _path_env(plan),
        "SHEGONG_HOME": str(plan.apps_home),
        "SHEGONG_DEMO": "off",
        "SHEGONG_RECORDS_URL": plan.records_url,
        "JUPYTER_PATH": str(plan.apps_home / "jupyter" / "share"),
        "JUPYTER_CONFIG_DIR": str(plan.apps_home / "jupyter" / "config"),
    }
    found: list[dict[str, Any]] = [
        {
            "name": APPS_SERVICE,
            "url": f"http://127.0.0.1:{plan.ports.apps}",
            "command": apps_command(plan),
            "user": APPS_ACCOUNT,
            "cwd": str(plan.apps_home),
            "environment": apps_env,
            "oauth_no_confirm": True,
            "display": True,
        }
    ]
    for course, account in course_accounts(plan.courses).items():
        home = Path("/home") / account
        env = {
            "HOME": str(home),
            "PATH": _path_env(plan),
            "JUPYTER_CONFIG_PATH": str(plan.jupyter_config_dir),
        }
        found.append(
            {
                "name": course,
                "url": f"http://127.0.0.1:{plan.ports.courses[course]}",
                "command": [
                    *_singleuser(plan),
                    f"--ServerApp.root_dir={home}",
                    "--ServerApp.tornado_settings=compress_response=True",
                    "--KernelManager.transport=ipc",
                ],
                "user": account,
                "cwd": str(home),
                "environment": env,
                "oauth_no_confirm": True,
            }
        )
    return found


def hub_config(plan: HubPlan) -> dict[str, dict[str, Any]]:
    """The traitlets sections of ``jupyterhub_config.py`` as plain data."""
    ports = plan.ports
    return {
        "JupyterHub": {
            "bind_url": f"http://{plan.host}:{ports.public}/",
            "hub_bind_url": f"http://127.0.0.1:{ports.hub}",
            "db_url": plan.db_url,
            "cookie_secret_file": str(plan.folder / "jupyterhub_cookie_secret"),
            "pid_file": str(plan.folder / "jupyterhub.pid"),
            "template_paths": [str(TEMPLATES)],
            "authenticator_class": "pam",
            "spawner_class": "localprocess",
            "load_groups": load_groups(plan.members),
            "load_roles": load_roles(plan.members, plan.courses),
            "services": services(plan),
            "cleanup_servers": True,
            "cleanup_proxy": True,
        },
        "ConfigurableHTTPProxy": {
            # a first app page may take a while on a busy machine (the default is 20 s)
            "command": [
                _bin("configurable-http-proxy"),
                "--timeout=300000",
                "--proxy-timeout=300000",
            ],
            "api_url": f"http://127.0.0.1:{ports.api}",
            "should_start": True,
        },
        "Authenticator": {
            "allowed_users": sorted(m.person_id for m in plan.members),
            "admin_users": [],
            "delete_invalid_users": True,
        },
        "PAMAuthenticator": {"open_sessions": False},
        "Spawner": {
            "cmd": _singleuser(plan),
            "args": [
                "--ServerApp.tornado_settings=compress_response=True",
                "--KernelManager.transport=ipc",
            ],
            "default_url": LAB_URL,
            "disable_user_config": True,
            "environment": {
                "PATH": _path_env(plan),
                "JUPYTER_CONFIG_PATH": str(plan.jupyter_config_dir),
            },
            "http_timeout": 120,
            "start_timeout": 120,
        },
    }


def nbgrader_shared_config(plan: HubPlan) -> str:
    """``nbgrader_config.py`` every server and course service reads (the shared exchange)."""
    return "\n".join(
        [
            "# Generated by shegong hub; do not edit. 由 shegong hub 生成，请勿手工修改。",
            "from nbgrader.auth import JupyterHubAuthPlugin",
            "c = get_config()  # noqa: F821",
            f"c.Exchange.root = {str(plan.exchange)!r}",
            "c.Exchange.path_includes_course = True",
            "c.Authenticator.plugin_class = JupyterHubAuthPlugin",
            "",
        ]
    )


def trainee_arguments(plan: HubPlan, write: bool = False) -> list[str]:
    """What a trainee's server adds: the Lab view without nbgrader's instructor tools."""
    return view_folder_arguments(plan.lab_settings / TRAINEE, TRAINEE, write=write)


def render(plan: HubPlan) -> str:
    """The text of ``jupyterhub_config.py``."""
    roles = {m.person_id: m.role for m in plan.members}
    apps_only = sorted(m.person_id for m in plan.members if m.role not in LAB_ROLES)
    lines = [
        "# Generated by `shegong hub` (shegong.hub.hubconfig); do not edit.",
        "# 由 shegong hub 生成，请勿手工修改。",
        "from shegong.hub.hooks import landing, spawn_hook",
        "c = get_config()  # noqa: F821",
    ]
    for section, values in hub_config(plan).items():
        for key, value in values.items():
            lines.append(f"c.{section}.{key} = {value!r}")
    hook = f"spawn_hook({roles!r}, {list(LAB_ROLES)!r}, {trainee_arguments(plan)!r})"
    lines.append(f"c.Spawner.pre_spawn_hook = {hook}")
    apps_url = f"/services/{APPS_SERVICE}/"
    lines.append(f"c.JupyterHub.default_url = landing({apps_only!r}, {apps_url!r}, '/hub/spawn')")
    return "\n".join(lines) + "\n"


def write_config(plan: HubPlan) -> Path:
    """Write the hub's and the shared nbgrader configuration (root only may change them)."""
    plan.folder.mkdir(parents=True, exist_ok=True)
    plan.folder.chmod(0o755)
    plan.config_file.write_text(render(plan), encoding="utf-8")
    plan.config_file.chmod(0o600)
    plan.jupyter_config_dir.mkdir(parents=True, exist_ok=True)
    plan.jupyter_config_dir.chmod(0o755)
    shared = plan.jupyter_config_dir / "nbgrader_config.py"
    shared.write_text(nbgrader_shared_config(plan), encoding="utf-8")
    shared.chmod(0o644)
    trainee_arguments(plan, write=True)
    for folder in (plan.lab_settings, plan.lab_settings / TRAINEE):
        folder.chmod(0o755)  # every trainee's server reads it; only root writes
    (plan.lab_settings / TRAINEE / "page_config.json").chmod(0o644)
    return plan.config_file
