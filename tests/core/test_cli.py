"""Does the shegong command do its work and answer bad input in both languages?"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from shegong.cli import main
from shegong.settings import Settings


def test_data_build_and_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Does `shegong data build` write the world and `data check` find it valid?"""
    assert main(["data", "build", "--home", str(tmp_path), "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "已生成" in out and "Built" in out
    assert (tmp_path / "data" / "county-seed3" / "ledger.csv").exists()
    assert main(["data", "check", "--home", str(tmp_path), "--seed", "3"]) == 0
    assert "数据校验通过" in capsys.readouterr().out


def test_check_without_data_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Does checking data that was never built say how to build it, not crash?"""
    assert main(["data", "check", "--home", str(tmp_path), "--seed", "4"]) == 2
    err = capsys.readouterr().err
    assert "错误 / Error" in err and "shegong data build --scale county --seed 4" in err
    assert "Traceback" not in err


def test_bad_setting_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Is a bad SHEGONG_PORT reported in both languages with exit code 2?"""
    monkeypatch.setenv("SHEGONG_PORT", "99999")
    assert main(["data", "check", "--home", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "port" in err and "超出范围" in err and "out of range" in err


def test_help_is_bilingual() -> None:
    """Does `shegong data build --help` explain options in Chinese and English?"""
    result = subprocess.run(
        [sys.executable, "-m", "shegong", "data", "build", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "随机种子" in result.stdout and "random seed" in result.stdout
    assert "数据缺陷" in result.stdout


def test_demo_without_lab_builds_clean_and_messy(tmp_path: Path) -> None:
    """Does `shegong demo --no-lab` prepare the demo data (clean and messy) and stop?"""
    assert main(["demo", "--no-lab", "--home", str(tmp_path)]) == 0
    assert (tmp_path / "data" / "county-seed2022" / "meta.json").exists()
    assert (tmp_path / "data" / "county-seed2022-messy" / "messy_manifest.csv").exists()
    # a small graded course, so the rubric grading app has answers waiting
    from shegong.grading import status
    from shegong.grading.config import CoursePaths

    rows = status.rows(CoursePaths.of(Settings(home=tmp_path)))
    assert [(r.assignment, str(r.status)) for r in rows] == [("groupwork", "graded")] * 3
    assert (tmp_path / "build" / "apps" / "zh" / "rubric_grading.ipynb").exists()
    # running the demo again never touches existing grading
    before = (tmp_path / "gradebook.db").stat().st_mtime_ns
    assert main(["demo", "--no-lab", "--home", str(tmp_path)]) == 0
    assert (tmp_path / "gradebook.db").stat().st_mtime_ns == before


def test_build_courses_writes_both_languages_and_an_index(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Does `shegong build courses` write zh and en notebooks and a Chinese index?"""
    assert main(["build", "courses", "--home", str(tmp_path)]) == 0
    assert "已构建" in capsys.readouterr().out
    root = tmp_path / "build" / "courses"
    index = (root / "zh" / "index.ipynb").read_text(encoding="utf-8")
    assert "社工站培训课程目录" in index and "data-basics/01-ledger-first-look.ipynb" in index
    assert (root / "en" / "data-basics" / "01-ledger-first-look.ipynb").exists()
    assert "Learning objectives" not in (
        root / "zh" / "data-basics" / "01-ledger-first-look.ipynb"
    ).read_text(encoding="utf-8")
