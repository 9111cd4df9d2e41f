"""The grading kernel's private view of the machine, set up as root in fresh namespaces.

Threat model: trainee code in a grading kernel (an unprivileged sandbox uid once the
launcher drops privileges) tries to

- read what any user may read: the assignment masters and hidden tests in the source tree
  (mode 644), the workspace (gradebook, ``records.db``, other trainees' notebooks, people),
  the other boxes of the same run;
- write to or leave things in world-writable places (``/tmp``, ``/var/tmp``, ``/dev/shm``,
  any other) for a later kernel, another user or the grader to trip over;
- reach the network (e.g. a service listening on ``127.0.0.1``);
- see or signal the grader's and other trainees' processes.

Defences: the kernelspec starts the launcher under util-linux ``unshare`` with new mount,
PID (``/proc`` remounted), network, IPC and UTS namespaces (``UNSHARE``): there is no
network but an unconfigured loopback, and ``/proc`` shows only the kernel's own processes.
Then ``enter`` (in the launcher, still root, before dropping privileges), in this order:

1. covers every ``hide`` path (``launch.hidden_paths``: all but the system folders, the
   packages, the venv and the run) with an empty read-only folder (a file: ``/dev/null``);
2. covers the run's ``boxes`` folder the same way and puts back only this kernel's box;
3. binds the room's own ``tmp`` over ``/tmp``, ``/var/tmp`` and ``/dev/shm``, and binds back
   inside it the ``keep`` folders that lie there (``launch.kept_in_tmp``: a virtualenv or
   checkout under ``/tmp``, e.g. a clone in ``mktemp -d``), read-only like the rest;
4. makes every mount read-only except the room's ``home``, ``work`` and ``sock`` (its ipc
   sockets, root's once the kernel is ready) and that ``tmp``,
   so no other world-writable directory is writable either;
5. changes into the room's ``work`` folder and closes the descriptors it used.

Mount propagation is private (``unshare --mount`` makes it so), so nothing here is seen
outside the namespace, and it all ends with the namespace. Not covered: what any user may
read in the system folders (``/etc``, ``/usr``) stays readable; paths created after the run
started (a later run's folder) are covered only by their own permissions.
"""

from __future__ import annotations

import ctypes
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

UNSHARE = (
    "--fork", "--pid", "--mount-proc", "--kill-child", "--mount", "--net", "--ipc", "--uts",
)  # fmt: skip
PRIVATE_TMP = ("/tmp", "/var/tmp", "/dev/shm")
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_NOATIME, MS_NODIRATIME, MS_BIND, MS_REC = 32, 1024, 2048, 4096, 16384
MS_RELATIME, MS_STRICTATIME = 1 << 21, 1 << 24
_FLAGS = {
    "nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": MS_NOATIME,
    "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME, "strictatime": MS_STRICTATIME,
}  # fmt: skip
_SHUT = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC
# Environment variables that carry the plan (removed before trainee code runs).
ENV_HIDE, ENV_BOXES, ENV_BOX, ENV_ROOM, ENV_KEEP = (
    "SHEGONG_SANDBOX_HIDE", "SHEGONG_SANDBOX_BOXES", "SHEGONG_SANDBOX_BOX", "SHEGONG_SANDBOX_ROOM",
    "SHEGONG_SANDBOX_KEEP",
)  # fmt: skip


@dataclass(frozen=True)
class Plan:
    """What one kernel may see: ``room`` holds its ``home``, ``work`` and ``tmp``."""

    hide: tuple[str, ...]
    boxes: str
    box: str
    room: str
    keep: tuple[str, ...] = ()  # kept folders inside a private tmp, bound back into it

    def env(self) -> dict[str, str]:
        return {
            ENV_HIDE: os.pathsep.join(self.hide),
            ENV_KEEP: os.pathsep.join(self.keep),
            ENV_BOXES: self.boxes,
            ENV_BOX: self.box,
            ENV_ROOM: self.room,
        }

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Plan | None:
        if not environ.get(ENV_ROOM):
            return None
        hide = tuple(p for p in environ.get(ENV_HIDE, "").split(os.pathsep) if p)
        keep = tuple(p for p in environ.get(ENV_KEEP, "").split(os.pathsep) if p)
        return cls(hide, environ[ENV_BOXES], environ[ENV_BOX], environ[ENV_ROOM], keep)


_libc = ctypes.CDLL(None, use_errno=True)


def _mount(source: str | None, target: str, kind: str | None, flags: int, data: str = "") -> None:
    def raw(text: str | None) -> bytes | None:
        return None if text is None else os.fsencode(text)

    if _libc.mount(raw(source), raw(target), raw(kind), flags, raw(data or None)) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno), target)


def _cover(path: str, empty: list[str]) -> None:
    """An empty read-only folder over a folder (one tmpfs, bound again for the others),
    ``/dev/null`` over a file; a path no longer reachable (under a cover) is left."""
    if os.path.isdir(path) and not os.path.islink(path):
        if empty:
            _mount(empty[0], path, None, MS_BIND)
        else:
            _mount("shegong-hidden", path, "tmpfs", _SHUT, "size=4k,nr_inodes=8,mode=0555")
            empty.append(path)
    elif os.path.isfile(path) and not os.path.islink(path):
        _mount("/dev/null", path, None, MS_BIND)


def _mounts() -> list[tuple[str, int]]:
    """Mount points in this namespace with their per-mount flags (``/proc/self/mountinfo``)."""
    found = []
    with open("/proc/self/mountinfo", encoding="utf-8") as info:
        for line in info:
            fields = line.split()
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), fields[4])  # \040
            flags = 0
            for option in fields[5].split(","):
                flags |= _FLAGS.get(option, 0)
            found.append((point, flags))
    return found


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def enter(plan: Plan) -> None:
    """Set up the kernel's view (steps 1-5 of the module docstring); root, new mount ns."""
    box = os.open(plan.box, os.O_PATH | os.O_DIRECTORY)
    room_tmp = os.open(os.path.join(plan.room, "tmp"), os.O_PATH | os.O_DIRECTORY)
    kept = [(path, os.open(path, os.O_PATH | os.O_DIRECTORY)) for path in plan.keep]
    try:
        empty: list[str] = []
        for path in plan.hide:
            _cover(path, empty)
        _mount("shegong-boxes", plan.boxes, "tmpfs", MS_NOSUID | MS_NODEV, "size=4k,mode=0711")
        own = os.path.join(plan.boxes, os.path.basename(plan.box))
        os.mkdir(own, 0o711)
        _mount(f"/proc/self/fd/{box}", own, None, MS_BIND | MS_REC)
        _mount(None, plan.boxes, None, MS_REMOUNT | _SHUT)
        writable = [os.path.realpath(p) for p in PRIVATE_TMP if os.path.isdir(p)]
        for target in writable:
            _mount(f"/proc/self/fd/{room_tmp}", target, None, MS_BIND)
        for path, fd in kept:  # made read-only with every other mount below
            os.makedirs(path, mode=0o755, exist_ok=True)
            _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
        for name in ("home", "work", "sock"):  # sock: its ipc sockets (``rooms.seal``)
            folder = os.path.join(plan.room, name)
            _mount(folder, folder, None, MS_BIND)
            writable.append(folder)
        for point, flags in _mounts():
            if point in writable:
                continue
            try:
                _mount(None, point, None, MS_REMOUNT | MS_BIND | MS_RDONLY | flags)
            except FileNotFoundError:
                continue  # under a mount that covers it now: out of reach anyway
            except OSError:
                if not any(_inside(point, top) for top in ("/proc", "/sys", "/dev")):
                    raise
        os.chdir(os.path.join(plan.room, "work"))
    finally:
        os.close(box)
        os.close(room_tmp)
        for _path, fd in kept:
            os.close(fd)
