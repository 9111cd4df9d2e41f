"""Is every option declared once, and do both CLIs take their flags from the declarations?"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from shegong.cli import build_parser
from shegong.grading.config import GradingError, GradingOptions, load_options
from shegong.messages import label
from shegong.options import NO_FLAG, declared, flag
from shegong.settings import Settings


def _subparser(parser: argparse.ArgumentParser, *path: str) -> argparse.ArgumentParser:
    for name in path:
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = action.choices[name]
    return parser


def _flags(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {s: a for a in parser._actions for s in a.option_strings if s.startswith("--")}


@pytest.mark.parametrize(
    ("path", "groups"),
    [
        (("data", "build"), ("common", "data")),
        (("serve", "apps"), ("common", "serve")),
        (("grade", "autograde"), ("common", "data", "course", "autograde")),
        (("grade", "status"), ("common", "data", "course")),
    ],
)
def test_each_command_offers_its_options_once_with_the_declared_help(
    path: tuple[str, ...], groups: tuple[str, ...]
) -> None:
    """Does every option of the command's groups appear as exactly one flag, help from the
    catalogue, and nothing from other groups?"""
    flags = _flags(_subparser(build_parser(), *path))
    for cls in (Settings, GradingOptions):
        for spec in declared(cls):
            name = flag(spec.name)
            if spec.metadata["group"] in groups and spec.metadata["group"] != NO_FLAG:
                assert name in flags, f"{' '.join(path)} lacks {name}"
                assert flags[name].help == label(spec.metadata["help"])
                assert flags[name].dest == spec.name
            else:
                assert name not in flags, f"{' '.join(path)} should not offer {name}"


def test_a_flag_parses_to_the_declared_type() -> None:
    args = build_parser().parse_args(["grade", "autograde", "a1", "--cell-timeout", "9"])
    assert args.cell_timeout == 9
    with pytest.raises(SystemExit):
        build_parser().parse_args(["grade", "autograde", "a1", "--lang", "fr"])


def test_grading_options_layer_file_env_then_flags(tmp_path: Path) -> None:
    """[grade] in shegong.toml < SHEGONG_GRADE_* < flags, through the same loader."""
    (tmp_path / "shegong.toml").write_text("[grade]\ncell_timeout = 11\nmemory_mb = 512\n")
    options = load_options(environ={"SHEGONG_GRADE_CELL_TIMEOUT": "12"}, cwd=tmp_path)
    assert (options.cell_timeout, options.memory_mb) == (12, 512)
    options = load_options({"cell_timeout": 13}, environ={}, cwd=tmp_path)
    assert options.cell_timeout == 13


def test_a_bad_grading_value_names_the_option(tmp_path: Path) -> None:
    with pytest.raises(GradingError) as raised:
        load_options(environ={"SHEGONG_GRADE_WORKERS": "many"}, cwd=tmp_path)
    assert "workers" in str(raised.value)
    (tmp_path / "shegong.toml").write_text("[grade]\ncell_timeot = 3\n")
    with pytest.raises(GradingError) as raised:
        load_options(environ={}, cwd=tmp_path)
    assert "cell_timeot" in str(raised.value)
