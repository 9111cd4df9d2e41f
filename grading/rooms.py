"""A fresh room for each kernel start inside a submission's box.

Right before a sandbox kernel starts (``preprocessors.SandboxExecute``), ``prepare_kernel``
ends every process of its uid still alive and makes ``<box>/<name><n>/`` with ``home``,
``work`` and ``tmp`` owned by the kernel's uid, so no start inherits files or processes of
an earlier one; the kernel's ``HOME``, ``TMPDIR`` and caches point into the room.

Threat model (the kernel's ipc sockets): the kernel binds its Unix sockets in the room's
``sock`` folder, which it must own to bind there; root's client then connects by path. Left
writable, trainee code could replace a socket with a symlink to any socket of the machine
(root follows it on a reconnect) or to another kernel's. ``seal`` makes ``sock`` root's
(0700) as soon as the kernel is ready, before any cell of the trainee runs; the room itself
is root's (0711), so ``sock`` cannot be renamed away either.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from shegong.grading.config import GradingError
from shegong.grading.jail import ENV_BOX, ENV_ROOM
from shegong.grading.processes import clear_uids

ENV_MPL = "SHEGONG_SANDBOX_MPL"


class SandboxBusy(GradingError):
    """Processes of a sandbox uid could not be ended before a kernel start."""


@dataclass(frozen=True)
class KernelStart:
    """What one kernel start needs: its environment, working folder and ipc socket path."""

    env: dict[str, str]
    cwd: Path
    ip: str
    room: Path


def _own(folder: Path, uid: int | None) -> None:
    if uid is None or os.geteuid() != 0:
        return
    for dirpath, _, filenames in os.walk(folder):
        os.chown(dirpath, uid, uid)
        for name in filenames:
            os.chown(os.path.join(dirpath, name), uid, uid)


def prepare_kernel(env: dict[str, str], name: str = "a") -> KernelStart:
    """Right before a kernel starts: no process of its uid alive, and a fresh room.

    The room is ``<box>/<name><n>/`` (root-owned, 0711) with ``home``, ``work`` and ``tmp``
    (0700, owned by the kernel's uid). Raises ``SandboxBusy`` if a process of the uid
    survives being killed.
    """
    raw_uid = int(env.get("SHEGONG_SANDBOX_UID", "-1") or -1)
    uid = raw_uid if raw_uid >= 0 else None
    if uid is not None and os.geteuid() == 0:
        left = clear_uids([uid])
        if left:
            raise SandboxBusy("grading.error.uid_busy", uid=uid, count=len(left))
    box = Path(env[ENV_BOX])
    number = 1
    while True:
        room = box / f"{name}{number}"
        try:
            room.mkdir(mode=0o711)
            break
        except FileExistsError:
            number += 1
    room.chmod(0o711)
    for folder in ("home", "work", "tmp", "sock"):
        (room / folder).mkdir(mode=0o700)
    home = room / "home"
    mpl = env.get(ENV_MPL, "")
    if mpl and Path(mpl).is_dir():
        shutil.copytree(mpl, home / "mpl")
    _own(home, uid)
    _own(room / "work", uid)
    _own(room / "tmp", uid)
    _own(room / "sock", uid)
    full = dict(env)
    full.update(
        HOME=str(home),
        TMPDIR=str(room / "tmp"),
        IPYTHONDIR=str(home / ".ipython"),
        MPLCONFIGDIR=str(home / "mpl"),
    )
    full[ENV_ROOM] = str(room)
    return KernelStart(full, room / "work", str(room / "sock" / "k"), room)


def seal(room: Path) -> None:
    """Once the kernel is ready (its sockets bound): ``sock`` is root's, so no socket in it
    can be replaced (see the module's threat model). Safe to call twice."""
    sock = room / "sock"
    if os.geteuid() == 0 and sock.is_dir() and not sock.is_symlink():
        os.chown(sock, 0, 0, follow_symlinks=False)
        sock.chmod(0o700)
