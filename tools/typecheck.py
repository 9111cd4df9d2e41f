"""Run mypy on the library as the installed ``shegong`` namespace.

The source folders ``shegong/``, ``datasets/``, ``widgets/`` and ``grading/`` are one package
only after installation (setuptools ``package-dir``), and an editable install maps them with an
import hook mypy cannot see. So this lays the same mapping out as symlinks in a temporary
folder and checks ``-p shegong`` there.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping: dict[str, str] = config["tool"]["setuptools"]["package-dir"]
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp)
        core = tree / "shegong"
        core.mkdir()
        for entry in (ROOT / mapping["shegong"]).iterdir():
            if entry.name != "__pycache__":
                (core / entry.name).symlink_to(entry)
        for package, folder in mapping.items():
            if package != "shegong":
                (core / package.split(".", 1)[1]).symlink_to(ROOT / folder)
        command = [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            "-p",
            "shegong",
        ]
        return subprocess.call(command, cwd=tree)


if __name__ == "__main__":
    raise SystemExit(main())
