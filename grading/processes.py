"""Find and end every process of a sandbox uid, so nothing a submission started outlives it.

Threat model: trainee code running as a sandbox uid starts processes meant to outlive its
grading: sleepers in new sessions (``setsid``), double-forked daemons, a spy waiting for the
next trainee's kernel, or a fork bomb that keeps the uid at its process limit so the next
submission's kernel cannot start ("Resource temporarily unavailable"). Killing the kernel's
process group (all jupyter_client does) misses every one of them.

Defences (all need root; without root the grader's own uid cannot be swept and only the
kernel's process group ends):

- ``uid_processes``: the live processes whose real, effective or saved uid is the sandbox
  uid, read from ``/proc/<pid>/status`` (a process can hide from ``/proc``'s owner field by
  making itself non-dumpable, not from its ``Uid:`` line); zombies are already dead;
- ``kill_uid``: a forked child becomes the uid (no groups, same gid) and calls
  ``kill(-1, SIGKILL)`` until no process is left to signal. The kernel walks the task list
  under a lock that ``fork`` also needs, and a process with a fatal signal pending cannot
  finish a fork, so a fork bomb cannot outrun it;
- ``clear_uids``: kill, then wait (bounded) until ``/proc`` shows none of them.

In the "namespaces" level every kernel also runs in its own PID namespace, which the Linux
kernel tears down when the kernel's init ends (``shegong.grading.kernel``); this module is
the second, independent line (and the only one in the "uid" level).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterable

WAIT_SECONDS = 5.0
MAX_ROUNDS = 64


def _uids_of(pid: str) -> tuple[set[int], bool]:
    """The real/effective/saved/fs uids of ``pid`` and whether it is a zombie."""
    uids: set[int] = set()
    zombie = False
    with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
        for line in status:
            if line.startswith("State:"):
                zombie = line.split()[1:2] in (["Z"], ["X"])
            elif line.startswith("Uid:"):
                uids = {int(v) for v in line.split()[1:]}
                break
    return uids, zombie


def uid_processes(uid: int) -> list[int]:
    """Live (non-zombie) processes that run as ``uid`` in any of their uids."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            uids, zombie = _uids_of(pid)
        except (OSError, ValueError):
            continue  # ended while we looked
        if uid in uids and not zombie:
            found.append(int(pid))
    return found


def kill_uid(uid: int) -> int:
    """SIGKILL every process of ``uid`` (as root); returns how many were alive before."""
    alive = len(uid_processes(uid))
    if os.geteuid() != 0 or uid <= 0:
        return alive
    child = os.fork()
    if child == 0:  # pragma: no cover (runs in the forked child only)
        code = 1
        try:
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            for _ in range(MAX_ROUNDS):
                os.kill(-1, signal.SIGKILL)  # every process of this uid but ourselves
            code = 0
        except ProcessLookupError:
            code = 0  # nothing (left) to signal
        finally:
            os._exit(code)
    os.waitpid(child, 0)
    return alive


def clear_uids(uids: Iterable[int], wait: float = WAIT_SECONDS) -> list[int]:
    """Kill every process of ``uids`` and wait until they are gone; returns survivors' pids."""
    wanted = [u for u in uids if u > 0]
    deadline = time.monotonic() + wait
    while True:
        left = [pid for uid in wanted for pid in uid_processes(uid)]
        if not left or os.geteuid() != 0:
            return left
        for uid in wanted:
            kill_uid(uid)
        if time.monotonic() > deadline:
            return [pid for uid in wanted for pid in uid_processes(uid)]
        time.sleep(0.01)  # SIGKILLed processes take a moment to exit
