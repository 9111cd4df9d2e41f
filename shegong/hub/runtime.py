"""The Python that the accounts' own processes run (Lab servers, kernels, services).

LocalProcessSpawner starts every server as its user, so that user must be able to execute
the interpreter and read the installed packages. When ``sys.executable`` is reachable by
everyone (installed under /usr, /opt, a world-readable venv) it is used as it is. When it is
not (a pyenv build under root's 0700 home, as on this project's CI machine), and the system
``/usr/bin/python3`` has the same major.minor version, ``bridge_python`` makes a small venv
at ``/srv/shegong/python`` whose one ``.pth`` line adds this environment's site-packages:
same packages (and links to its ``etc/jupyter`` and ``share/jupyter``, which Jupyter finds
under ``sys.prefix``), an interpreter every account can run. Otherwise the command refuses.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import sysconfig
from pathlib import Path

from shegong.hub import HubError

BRIDGE = Path("/srv/shegong/python")
SYSTEM_PYTHON = Path("/usr/bin/python3")
PTH_NAME = "shegong-hub.pth"


def reachable_by_others(path: Path) -> bool:
    """Can an unprivileged account open ``path`` (every folder above it searchable)?"""
    target = Path(os.path.realpath(path))
    for folder in [*reversed(target.parents)]:
        if not folder.stat().st_mode & stat.S_IXOTH:
            return False
    mode = target.stat().st_mode
    return bool(mode & stat.S_IROTH) and (target.is_dir() or bool(mode & stat.S_IXOTH))


def _version(python: Path) -> str:
    done = subprocess.run(
        [str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip()


def site_packages() -> Path:
    return Path(sysconfig.get_paths()["purelib"])


def bridge_python(bridge: Path = BRIDGE, system: Path = SYSTEM_PYTHON) -> Path:
    """A venv on the system Python that sees this environment's packages (made once)."""
    ours = "{}.{}".format(*sys.version_info[:2])
    if not system.exists() or _version(system) != ours:
        raise HubError("error.hub_python_private", python=sys.executable, version=ours)
    python = bridge / "bin" / "python"
    if not python.exists() or _version(python) != ours:
        subprocess.run(
            [str(system), "-m", "venv", "--without-pip", "--clear", str(bridge)], check=True
        )
    purelib = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    line = f"import site; site.addsitedir({str(site_packages())!r})\n"
    (purelib / PTH_NAME).write_text(line, encoding="utf-8")
    # Jupyter finds its config, lab assets, kernelspecs and templates under sys.prefix
    for part in ("etc/jupyter", "share/jupyter"):
        link, target = bridge / part, Path(sys.prefix) / part
        link.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() and not link.exists():
            link.symlink_to(target)
    for folder in (bridge.parent, bridge):
        folder.chmod(0o755)
    return python


def runtime_python() -> Path:
    """This Python if every account can run it, else the bridge venv (or a refusal)."""
    here = Path(sys.executable)
    base = Path(sys.base_prefix)
    if (
        reachable_by_others(here)
        and reachable_by_others(base)
        and reachable_by_others(site_packages())
    ):
        return here
    if not reachable_by_others(site_packages()):
        raise HubError("error.hub_python_private", python=sys.executable, version=sys.version)
    return bridge_python()
