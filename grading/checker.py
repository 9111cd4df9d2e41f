"""The checker kernels a grading worker keeps, and the box each one lives in.

``phases.TwoPhaseExecute`` runs the original tests in a *checker kernel*: a process of its
own uid (the answer kernel's + ``sandbox.CHECKER_OFFSET``) that never runs trainee code.
Starting one per submission cost a third of the throughput, so each worker process keeps
its checker from one submission to the next (``reuse``/``keep``, by socket path): its
namespace is reset before each submission, and it is started afresh when it died, was
killed after a timeout, or served ``CHECKER_USES`` submissions. The kept kernels end with
the worker process (``end_all``, registered at exit).

``checker_box`` is the checker's folder in the run, among the answer boxes (so the answer
kernels' namespaces hide it like any other box); ``checker_env`` its environment.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import os
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbclient.util import run_sync

from shegong.grading import sandbox
from shegong.grading.config import GradingOptions
from shegong.grading.sandbox import Box, RunRoot

CHECKER_USES = 25  # submissions one checker kernel serves before it is started afresh
# this worker process's checker kernels, by socket path: (kernel manager, submissions served)
_KEPT: dict[str, tuple[AsyncKernelManager, int]] = {}


def end_all() -> None:
    """Shut down the checker kernels this process kept (at its exit)."""
    for km, _uses in list(_KEPT.values()):
        with contextlib.suppress(Exception):
            run_sync(km.shutdown_kernel)(now=True)
    _KEPT.clear()


def reuse(key: str) -> AsyncKernelManager | None:
    """The kept checker for ``key`` if it is alive and may serve again (counted); otherwise
    it is shut down and forgotten, and None says to start a new one."""
    kept = _KEPT.get(key)
    if kept is None:
        return None
    km, uses = kept
    alive = False
    with contextlib.suppress(Exception):
        alive = bool(run_sync(km.is_alive)())
    if alive and uses < CHECKER_USES:
        _KEPT[key] = (km, uses + 1)
        return km
    with contextlib.suppress(Exception):
        run_sync(km.shutdown_kernel)(now=True)
    _KEPT.pop(key, None)
    return None


def keep(key: str, km: AsyncKernelManager) -> None:
    """Keep a freshly started checker for the next submissions of this worker."""
    if not _KEPT:
        atexit.register(end_all)  # the worker process ends: so do its checkers
    _KEPT[key] = (km, 1)


def checker_env(run: RunRoot, box: Box, options: GradingOptions) -> dict[str, str]:
    """The checker kernel's environment: its own uid (the answer kernel's + 100) and box;
    ``rooms.prepare_kernel`` gives it a fresh HOME at each start."""
    uid = None if box.uid is None else box.uid + sandbox.CHECKER_OFFSET
    return dict(sandbox.kernel_env(run, box, options, uid=uid))


def checker_box(run: RunRoot, box: Box) -> Box:
    """The worker's checker folder in the run (root-owned, kept from one submission to the
    next with its kernel): the checker's rooms, working folder and the snapshot copies."""
    uid = None if box.uid is None else box.uid + sandbox.CHECKER_OFFSET
    # among the boxes, so the answer kernels' namespaces hide it like any other box
    name = f"checker-{uid}" if uid is not None else f"checker-pid{os.getpid()}"
    root = Path(run.path) / "boxes" / name
    if not root.exists():
        root.mkdir(mode=0o711)
        (root / "checker").mkdir(mode=0o700)
        (root / "snapshots").mkdir(mode=0o711)
    return dataclasses.replace(box, root=root)
