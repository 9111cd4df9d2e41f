"""How sandbox kernels are started: which interpreter, under ``unshare`` or not, the kernelspec.

Threat model (what decides the isolation level, see ``shegong.grading.sandbox``): a kernel
can only drop to an unprivileged uid if that uid can run its interpreter, and it can only
get namespaces where they really work. ``kernel_interpreter`` checks both instead of
assuming them, so ``isolation`` never claims a protection that is not there.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

from shegong.grading.config import SANDBOX_KERNEL, CoursePaths
from shegong.grading.jail import PRIVATE_TMP, UNSHARE, Plan
from shegong.paths import CONTENT

KERNEL_SCRIPT = Path(__file__).with_name("kernel.py")
ROOT_RUNS = Path("/var/lib/shegong/grade-runs")
PROBE_UID = 65534  # nobody: the namespace probe imports as a uid that owns nothing


def _others_can(path: Path, need: int) -> bool:
    """Can a user who is neither owner nor in the group use ``path`` (and reach it)?"""
    try:
        real = path.resolve()
    except OSError:
        return False
    for parent in [*reversed(real.parents)]:
        if not os.stat(parent).st_mode & stat.S_IXOTH:
            return False
    try:
        return bool(os.stat(real).st_mode & need)
    except OSError:
        return False


def _venv_site() -> Path:
    return Path(sysconfig.get_paths()["purelib"])


def closed_folder() -> Path | None:
    """The first folder on the way to our site-packages that other users cannot enter.

    It is why a root grader has no uid to drop to (``_plain_interpreter``): e.g. a checkout in
    a 0700 ``mktemp -d`` folder. None when every folder on the way is open.
    """
    real = _venv_site().resolve()
    for folder in [*reversed(real.parents), real]:
        if not os.stat(folder).st_mode & stat.S_IXOTH:
            return folder
    return None


@dataclass(frozen=True)
class Interpreter:
    """How the sandbox kernel is started, and whether it may drop to another uid."""

    argv: tuple[str, ...]
    site: str  # site-packages a foreign interpreter adds (empty for our own)
    can_drop: bool
    namespaces: bool = False  # argv starts with ``unshare`` (see ``shegong.grading.jail``)


def _usable_by_others(python: Path, stdlib: Path, *, site: bool = True) -> bool:
    """Can another uid run ``python`` with its ``stdlib`` (and, with ``site``, our packages)?"""
    return (
        _others_can(python, stat.S_IXOTH)
        and _others_can(stdlib, stat.S_IROTH)
        and (not site or _others_can(_venv_site(), stat.S_IROTH))
        and (not site or _others_can(KERNEL_SCRIPT, stat.S_IROTH))
    )


def _droppable(site: bool) -> Interpreter | None:
    """Our interpreter if others can run it, else a same-version system Python (``-S``, our
    site-packages added by the launcher); ``site=False`` leaves our packages out of the
    question (the namespaces may bind them where others can reach them)."""
    own = Path(sys.executable)
    if _usable_by_others(own, Path(sysconfig.get_paths()["stdlib"]), site=site):
        return Interpreter((str(own), "-m", "shegong.grading.kernel"), "", True)
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    for folder in ("/usr/bin", "/usr/local/bin"):
        python = Path(folder) / f"python{version}"
        stdlib = Path("/usr/lib") / f"python{version}"
        if folder == "/usr/local/bin":
            stdlib = Path("/usr/local/lib") / f"python{version}"
        if python.exists() and _usable_by_others(python, stdlib, site=site):
            argv = (str(python), "-S", str(KERNEL_SCRIPT))
            return Interpreter(argv, str(_venv_site()), True)
    return None


def _plain_interpreter() -> Interpreter:
    """Our interpreter if others can run it; else a same-version system Python; else ours."""
    own = Interpreter((sys.executable, "-m", "shegong.grading.kernel"), "", False)
    if os.geteuid() != 0:
        return own
    return _droppable(site=True) or own


def namespaces_work(interpreter: Interpreter) -> bool:
    """Does the whole namespace setup of a kernel work here (one throwaway run of it)?

    Runs the launcher under ``unshare`` with a plan on an empty box (``kernel.py --probe``):
    false without root, without util-linux ``unshare``, or where namespaces or mounts are
    not permitted (e.g. a container without ``CAP_SYS_ADMIN``).
    """
    unshare = shutil.which("unshare")
    if os.geteuid() != 0 or not interpreter.can_drop or unshare is None:
        return False
    ROOT_RUNS.mkdir(parents=True, exist_ok=True)
    ROOT_RUNS.chmod(0o711)
    probe = Path(tempfile.mkdtemp(prefix="probe-", dir=ROOT_RUNS))
    try:
        box = probe / "boxes" / "box"
        room = box / "r"
        for name in ("home", "work", "tmp", "sock"):
            (room / name).mkdir(parents=True)
        plan = Plan((), str(probe / "boxes"), str(box), str(room), kept_in_tmp())
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **plan.env()}
        env["SHEGONG_SANDBOX_UID"] = str(PROBE_UID)  # the probe imports as a stranger
        if interpreter.site:
            env["SHEGONG_SANDBOX_SITE"] = interpreter.site
        argv = [unshare, *UNSHARE, "--", *interpreter.argv, "--probe"]
        try:
            done = subprocess.run(argv, env=env, capture_output=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return False
        return done.returncode == 0 and done.stdout.strip() == b"ok"
    finally:
        shutil.rmtree(probe, ignore_errors=True)


def kernel_interpreter() -> Interpreter:
    """How kernels start here: the interpreter (``_plain_interpreter``; a virtualenv whose base
    Python lives under ``/root`` (pyenv) cannot be run by another user, so a system Python of
    the same ``major.minor`` started with ``-S`` adds our site-packages itself), under
    ``unshare`` when ``namespaces_work``."""
    plain = _plain_interpreter()
    unshare = shutil.which("unshare")
    if unshare is None or os.geteuid() != 0:
        return plain
    if not plain.can_drop:
        # Our install sits behind a folder others cannot enter (a checkout in a 0700
        # ``mktemp -d``). Inside the namespaces the kept folders under /tmp are bound back
        # behind open folders, so the uid may reach them there: the probe decides.
        jailed = _droppable(site=False)
        if jailed is not None and namespaces_work(jailed):
            return Interpreter((unshare, *UNSHARE, "--", *jailed.argv), jailed.site, True, True)
        return plain
    if not namespaces_work(plain):
        return plain
    return Interpreter((unshare, *UNSHARE, "--", *plain.argv), plain.site, True, True)


def isolation(interpreter: Interpreter) -> str:
    """``namespaces``, ``uid`` or ``same_user`` (see the module docstring)."""
    if interpreter.can_drop:
        return "namespaces" if interpreter.namespaces else "uid"
    return "same_user"


def install_kernelspec(paths: CoursePaths, interpreter: Interpreter) -> Path:
    """Write the ``shegong-sandbox`` kernelspec under the workspace; returns its Jupyter dir.

    Put the returned folder on ``JUPYTER_PATH`` so jupyter_client finds the kernelspec.
    """
    jupyter = paths.sandbox_home / "jupyter"
    folder = jupyter / "kernels" / SANDBOX_KERNEL
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [
            *interpreter.argv,
            "-f",
            "{connection_file}",
            "--HistoryManager.hist_file=:memory:",
            "--log-level=ERROR",
        ],
        "display_name": "shegong sandbox (Python 3)",
        "language": "python",
        "env": {"SHEGONG_SANDBOX_SITE": interpreter.site} if interpreter.site else {},
        "metadata": {"debugger": False},
    }
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return jupyter


def _package_folders() -> set[Path]:
    """Folders the kernel must still see: our packages, the venv's site-packages, its Python."""
    keep = {_venv_site().resolve(), Path(sys.prefix).resolve()}
    for name in ("shegong", *(f"shegong.{n}" for n in ("datasets", "grading", "widgets"))):
        spec = importlib.util.find_spec(name)
        for location in (spec.submodule_search_locations or []) if spec else []:
            keep.add(Path(location).resolve())
    return keep


def kept_in_tmp() -> tuple[str, ...]:
    """The kept folders (``_package_folders``) inside a folder each kernel gets its own of
    (``/tmp``...): ``jail.enter`` binds them back into the private one, or a virtualenv
    under ``/tmp`` would vanish from its own kernel."""
    tops = [Path(p).resolve() for p in PRIVATE_TMP if os.path.isdir(p)]
    inside = {k for k in _package_folders() if any(k == t or t in k.parents for t in tops)}
    # a folder inside another kept one comes with it
    return tuple(sorted(str(k) for k in inside if not any(o in k.parents for o in inside)))


def _hide_around(path: Path, keep: set[Path]) -> list[str]:
    """``path`` itself, or (if it holds a kept folder) its entries that hold none."""
    if not path.is_dir() or path.is_symlink():
        return []
    real = path.resolve()
    if real in keep:
        return []
    if not any(real in k.parents for k in keep):
        return [str(real)]
    hidden: list[str] = []
    for entry in sorted(real.iterdir()):
        if entry.is_symlink():
            continue  # its target is hidden (or not) on its own
        if entry.is_dir():
            hidden += _hide_around(entry, keep)
        elif entry.resolve() not in keep:
            hidden.append(str(entry))
    return hidden


SYSTEM = (
    "bin", "dev", "etc", "lib", "lib32", "lib64", "libx32", "proc", "sbin", "sys", "tmp", "usr",
)  # fmt: skip


def hidden_paths(paths: CoursePaths, run: Path | None = None) -> tuple[str, ...]:
    """What a kernel in the namespaces level must not see: everything outside the system
    folders (``SYSTEM``: programs, libraries, ``/etc``; ``/tmp`` is replaced by the kernel's
    own) but for the package folders, the virtualenv, the interpreter and the ``run``
    folder; and, wherever they lie, the workspace and the source tree (the checkout that
    holds our packages: masters, tests, courses...). So other checkouts, other runs, home
    folders, ``/var`` and ``/run`` are hidden too."""
    keep = _package_folders() | ({run.resolve()} if run is not None else set())
    if _others_can(Path(sys.base_prefix), stat.S_IXOTH):  # our own interpreter, if others may
        keep.add(Path(sys.base_prefix).resolve())
    source = CONTENT.root
    hide: list[str] = []
    tops = [Path("/") / name for name in sorted(os.listdir("/")) if name not in SYSTEM]
    for folder in [*tops, paths.workspace.root, source]:
        hide += [h for h in _hide_around(folder, keep) if h not in hide]
    return tuple(hide)
