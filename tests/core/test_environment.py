"""Does environment.yml install the same thing as pyproject.toml?"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _normalise(requirement: str) -> tuple[str, str]:
    """(name, sorted version range); pip extras such as ``[binary]`` are left out, since
    conda has none (conda-forge's ``psycopg`` brings its own libpq)."""
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(?:\[[^\]]*\])?\s*(.*)$", requirement)
    assert match, requirement
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    spec = ",".join(sorted(part.strip() for part in match.group(2).split(",") if part.strip()))
    return name, spec


def test_environment_yml_matches_pyproject() -> None:
    """Does every dependency (and test extra) appear in environment.yml with the same range?"""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = dict(map(_normalise, project["dependencies"]))
    extras = project["optional-dependencies"]
    for requirement in extras["test"]:  # ``shegong[hub]``: the test extra pulls in the hub's
        own = re.fullmatch(r"shegong\[([a-z,]+)\]", requirement.strip())
        for name in own.group(1).split(",") if own else ():
            wanted |= dict(map(_normalise, extras[name]))
        if not own:
            wanted |= dict([_normalise(requirement)])
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    have = dict(map(_normalise, conda))
    python = have.pop("python")
    have.pop("pip")
    assert have == wanted
    assert python == ">=" + project["requires-python"].removeprefix(">=")


def test_environment_yml_installs_the_project() -> None:
    """Does the conda environment install shegong itself (editable), so the CLI exists?"""
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "--editable ." in pip
