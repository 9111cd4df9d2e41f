"""A checkout or virtualenv under ``/tmp`` (a clone in ``mktemp -d``): each kernel gets its
own private ``/tmp``, so the folders it must still see there are bound back into it,
read-only, and nothing else of the real ``/tmp`` comes with them.

Needs root and util-linux ``unshare`` (a new mount namespace); skips and says so without.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from shegong.grading import launch

SCRIPT = """
import os, sys
from shegong.grading.jail import Plan, enter
keep, sibling, room = sys.argv[1:4]
enter(Plan((), os.path.join(room, "boxes"), os.path.join(room, "boxes", "box"), room, (keep,)))
print("kept-readable", open(os.path.join(keep, "module.py")).read().strip())
try:
    open(os.path.join(keep, "new.py"), "w")
    print("kept-writable")
except OSError:
    print("kept-readonly")
print("sibling-visible" if os.path.exists(sibling) else "sibling-hidden")
open("/tmp/mine", "w").write("x")
print("tmp-private", os.path.exists(os.path.join(room, "tmp", "mine")))
"""

STRANGER = """
import os, sys
from shegong.grading.jail import Plan, enter
from shegong.grading.kernel import _uid_can_import
keep, room = sys.argv[1:3]
sys.path.insert(0, keep)
stranger = {"SHEGONG_SANDBOX_UID": "65534"}
print("outside", _uid_can_import(stranger, ("module",)))
enter(Plan((), os.path.join(room, "boxes"), os.path.join(room, "boxes", "box"), room, (keep,)))
print("inside", _uid_can_import(stranger, ("module",)))
"""


@pytest.fixture
def real_tmp_tree() -> Iterator[tuple[Path, Path, Path]]:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and util-linux unshare (a new mount namespace)")
    top = Path(tempfile.mkdtemp(prefix="sg-jail-", dir="/tmp"))
    keep, sibling = top / "venv", top / "other-checkout"
    keep.mkdir()
    sibling.mkdir()
    (keep / "module.py").write_text("VENV_MARK = 1\n", encoding="utf-8")
    launch.ROOT_RUNS.mkdir(parents=True, exist_ok=True)  # outside every private tmp
    room = Path(tempfile.mkdtemp(prefix="sg-room-", dir=launch.ROOT_RUNS))
    for name in ("home", "work", "tmp", "sock", "boxes/box"):
        (room / name).mkdir(parents=True)
    yield keep, sibling, room
    shutil.rmtree(top, ignore_errors=True)
    shutil.rmtree(room, ignore_errors=True)


def test_a_kept_folder_under_tmp_is_seen_read_only_in_the_private_tmp(
    real_tmp_tree: tuple[Path, Path, Path],
) -> None:
    """Does a kernel whose venv lives under /tmp still find it (read-only), while the rest
    of the real /tmp (another checkout beside it) stays out of sight?"""
    keep, sibling, room = real_tmp_tree
    argv = ["unshare", "--mount", "--", sys.executable, "-c", SCRIPT]
    done = subprocess.run(
        [*argv, str(keep), str(sibling), str(room)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split("\n")
    assert "kept-readable VENV_MARK = 1" in lines
    assert "kept-readonly" in lines and "sibling-hidden" in lines
    assert "tmp-private True" in lines
    assert not (keep / "new.py").exists() and not Path("/tmp/mine").exists()


def test_a_uid_reaches_a_kept_folder_behind_a_closed_one_only_inside_the_jail(
    real_tmp_tree: tuple[Path, Path, Path],
) -> None:
    """A clone in a 0700 ``mktemp -d``: no other uid can enter it, so outside the namespace
    the probe (as the sandbox uid would) cannot read the venv; inside, the kept folder is
    bound behind open folders and the uid reads it, so a root grader can drop privileges."""
    keep, _sibling, room = real_tmp_tree
    assert keep.parent.stat().st_mode & 0o777 == 0o700  # mkdtemp's own mode, as mktemp -d
    argv = ["unshare", "--mount", "--", sys.executable, "-c", STRANGER, str(keep), str(room)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["outside False", "inside True"]


def test_only_the_outermost_kept_folders_under_tmp_are_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A venv under /tmp and its site-packages inside it: one bind (the venv), and nothing
    for kept folders elsewhere (/usr, /work)."""
    tmp = Path("/tmp").resolve()
    venv = tmp / "clone" / ".venv"
    kept = {venv, venv / "lib" / "python3.11" / "site-packages", tmp / "clone" / "shegong"}
    monkeypatch.setattr(launch, "_package_folders", lambda: kept | {Path("/usr/lib/python3")})
    assert launch.kept_in_tmp() == (str(tmp / "clone" / ".venv"), str(tmp / "clone" / "shegong"))
