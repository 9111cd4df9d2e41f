"""What each account finds when it starts: the apps service's workspace, the trainees'
Chinese JupyterLab and lessons, each course's folder, and the shared nbgrader exchange.

Everything is prepared as root and then handed to its account (``chown``); homes stay 0700.
The apps service's workspace is ``/home/shegong-apps/workspace``: built apps, the offline
Voila template, the simulated data and the roster; its records live in PostgreSQL, not here.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
from collections.abc import Sequence
from pathlib import Path

from shegong.apps import build_apps, install_template
from shegong.hub.accounts import APPS_ACCOUNT, grader_account
from shegong.lab import LOCALES, TRANSLATION_PLUGIN
from shegong.paths import Workspace
from shegong.records.roster import ROSTER_FILE, Member

LAB_SETTINGS = Path(".jupyter") / "lab" / "user-settings"
APPS_RUNTIME = "runtime"  # in the apps' home: Voila's kernels' connection files and sockets


def chown_tree(path: Path, account: str) -> None:
    """Give ``path`` and everything under it to ``account`` (user and its own group)."""
    entry = pwd.getpwnam(account)
    for root, dirs, files in os.walk(path):
        for name in [*dirs, *files]:
            os.lchown(Path(root) / name, entry.pw_uid, entry.pw_gid)
    os.lchown(path, entry.pw_uid, entry.pw_gid)


def home_of(account: str) -> Path:
    return Path(pwd.getpwnam(account).pw_dir)


def write_lab_settings(home: Path, lang: str = "zh") -> None:
    """JupyterLab in Chinese and without news pop-ups, as ``shegong lab`` sets it up."""
    folder = home / LAB_SETTINGS
    for plugin, values in (
        (f"{TRANSLATION_PLUGIN}/plugin", {"locale": LOCALES[lang]}),
        ("@jupyterlab/apputils-extension/notification", {"fetchNews": "false"}),
    ):
        path = folder / f"{plugin}.jupyterlab-settings"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")


def prepare_apps_home(workspace: Workspace, members: Sequence[Member]) -> Path:
    """The apps service's own workspace, built from the operator's workspace."""
    home = home_of(APPS_ACCOUNT) / "workspace"
    home.mkdir(parents=True, exist_ok=True)
    build_apps(home / "build" / "apps")
    install_template(home)
    if workspace.data.is_dir() and workspace.data.resolve() != (home / "data").resolve():
        shutil.copytree(workspace.data, home / "data", dirs_exist_ok=True)
    roster = workspace.root / ROSTER_FILE
    if roster.is_file():
        shutil.copy2(roster, home / ROSTER_FILE)
    runtime = home_of(APPS_ACCOUNT) / APPS_RUNTIME
    runtime.mkdir(exist_ok=True)
    runtime.chmod(0o700)
    chown_tree(home_of(APPS_ACCOUNT), APPS_ACCOUNT)
    return home


# What only root may read in the operator's workspace: the lessons' supervisor edition (the
# answers), the demo course (sources with solutions, submissions), exports, databases, the
# roster (real names on a real deployment) and the demo's desks and exchange.
PRIVATE = (
    "build/courses-supervisor",
    "course",
    "exports",
    "exchange",
    "trainees",
    "records.db",
    "gradebook.db",
    ROSTER_FILE,
)


def close_workspace(workspace: Workspace) -> list[Path]:
    """The operator's workspace traversable but not listable by others (every user server
    reads the hub's settings folder inside it, and lessons read ``data/``), with what would
    show a trainee the answers or someone else's work made root-only. Returns what it closed."""
    workspace.root.chmod(0o711)
    closed = []
    for name in PRIVATE:
        path = workspace.root / name
        if path.is_symlink() or not path.exists():
            continue
        path.chmod(0o700 if path.is_dir() else 0o600)
        closed.append(path)
    return closed


def prepare_people(workspace: Workspace, members: Sequence[Member]) -> int:
    """Chinese JupyterLab for everyone with a Lab; the built Chinese lessons in their home:
    the trainee edition for trainees, the supervisor edition (with the answers) for
    supervisors. Nobody reads lessons from the operator's workspace."""
    editions = {
        "trainee": workspace.build / "courses" / "zh",
        "supervisor": workspace.build / "courses-supervisor" / "zh",
    }
    count = 0
    for member in members:
        if member.role not in editions:
            continue
        home = home_of(member.person_id)
        write_lab_settings(home)
        lessons = editions[member.role]
        if lessons.is_dir() and not (home / "lessons").exists():
            shutil.copytree(lessons, home / "lessons")
        chown_tree(home, member.person_id)
        count += 1
    return count


def prepare_courses(courses: Sequence[str], exchange: Path) -> None:
    """Each course's folder in its grader's home, and the exchange (world-writable, sticky:
    nbgrader's default exchange relies on real, distinct Unix users)."""
    exchange.mkdir(parents=True, exist_ok=True)
    exchange.chmod(0o1777)
    exchange.parent.chmod(0o755)
    for course in courses:
        account = grader_account(course)
        home = home_of(account)
        root = home / course
        for step in ("source", "release", "submitted", "autograded", "feedback"):
            (root / step).mkdir(parents=True, exist_ok=True)
        config = home / ".jupyter" / "nbgrader_config.py"
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(
            "\n".join(
                [
                    "# Generated by shegong hub. 由 shegong hub 生成。",
                    "c = get_config()  # noqa: F821",
                    f"c.CourseDirectory.root = {str(root)!r}",
                    f"c.CourseDirectory.course_id = {course!r}",
                    "",
                ]
            ),
            encoding="utf-8",
        )
        chown_tree(home, account)
