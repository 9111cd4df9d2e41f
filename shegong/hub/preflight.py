"""What ``shegong hub`` needs before it touches the machine: root, Linux, and its programs.

The Python programs (``jupyterhub``, ``configurable-http-proxy``, ``jhsingle-native-proxy``,
``jupyterhub-singleuser``) are looked up beside this Python first (the ``hub`` extra installs
them into the same environment), then on ``PATH``.
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from shegong.hub import HubError

SYSTEM_PROGRAMS = ("useradd", "chpasswd", "runuser", "pg_lsclusters", "pg_ctlcluster", "psql")
PYTHON_PROGRAMS = (
    "jupyterhub",
    "configurable-http-proxy",
    "jhsingle-native-proxy",
    "jupyterhub-singleuser",
)


def python_program(name: str) -> str | None:
    """A program of this environment (beside ``sys.executable``), else on ``PATH``."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


def missing_programs(
    system: Iterable[str] = SYSTEM_PROGRAMS,
    python: Iterable[str] = PYTHON_PROGRAMS,
    which: Callable[[str], str | None] = shutil.which,
) -> list[str]:
    """The needed programs that cannot be found, in the order above."""
    gone = [name for name in system if which(name) is None]
    return gone + [name for name in python if python_program(name) is None]


def check_machine(euid: int | None = None, system: str | None = None) -> None:
    """HubError unless this is Linux, run as root, with every program present."""
    system = platform.system() if system is None else system
    if system != "Linux":
        raise HubError("error.hub_not_linux", system=system)
    euid = os.geteuid() if euid is None else euid
    if euid != 0:
        raise HubError("error.hub_not_root")
    gone = missing_programs()
    if gone:
        raise HubError("error.hub_program_missing", programs=", ".join(gone))
