"""Do settings load in the documented order and reject bad values clearly?"""

from __future__ import annotations

from pathlib import Path

import pytest

from shegong.errors import SettingsError
from shegong.settings import load


def test_defaults(tmp_path: Path) -> None:
    """With nothing set, is the workspace ./workspace, Chinese, county scale?"""
    settings = load(environ={}, cwd=tmp_path)
    assert settings.home == tmp_path / "workspace"
    assert (settings.lang, settings.scale) == ("zh", "county")


def test_precedence_file_env_flags(tmp_path: Path) -> None:
    """Does shegong.toml beat defaults, SHEGONG_* beat the file, and flags beat both?"""
    (tmp_path / "shegong.toml").write_text('seed = 5\nlang = "en"\nscale = "prefecture"\n')
    settings = load(environ={"SHEGONG_SEED": "6"}, cwd=tmp_path)
    assert (settings.seed, settings.lang, settings.scale) == (6, "en", "prefecture")
    settings = load({"seed": 7, "scale": None}, environ={"SHEGONG_SEED": "6"}, cwd=tmp_path)
    assert (settings.seed, settings.scale) == (7, "prefecture")


def test_pyproject_tool_table_is_read(tmp_path: Path) -> None:
    """Without shegong.toml, is [tool.shegong] in pyproject.toml used?"""
    (tmp_path / "pyproject.toml").write_text("[tool.shegong]\nseed = 11\n")
    assert load(environ={}, cwd=tmp_path).seed == 11


def test_home_moves_with_environment(tmp_path: Path) -> None:
    """Does SHEGONG_HOME move the workspace?"""
    target = tmp_path / "elsewhere"
    assert load(environ={"SHEGONG_HOME": str(target)}, cwd=tmp_path).home == target


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"lang": "fr"}, "lang"),
        ({"scale": "village"}, "scale"),
        ({"port": 70000}, "port"),
        ({"seed": "abc"}, "seed"),
    ],
)
def test_bad_values_are_bilingual_errors(
    tmp_path: Path, overrides: dict[str, object], fragment: str
) -> None:
    """Is a bad setting a SettingsError naming the setting in both languages?"""
    with pytest.raises(SettingsError) as info:
        load(overrides, environ={}, cwd=tmp_path)
    zh, en = str(info.value).split("\n")
    assert fragment in zh and fragment in en


def test_unknown_setting_in_file(tmp_path: Path) -> None:
    """Is a misspelt key in shegong.toml reported rather than ignored?"""
    (tmp_path / "shegong.toml").write_text("sead = 5\n")
    with pytest.raises(SettingsError, match="sead"):
        load(environ={}, cwd=tmp_path)
