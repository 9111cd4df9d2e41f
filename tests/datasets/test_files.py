"""Are the written files what Excel users and lessons need?"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from shegong.datasets import load
from shegong.datasets.world import pipeline
from shegong.datasets.world.pipeline import build, write_csv
from shegong.errors import DataError


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("home")
    build("county", 2022, home / "data" / "county-seed2022")
    return home


def test_csv_opens_in_chinese_excel(built: Path) -> None:
    """Does every CSV start with a UTF-8 BOM, use CRLF, and hold readable Chinese?"""
    folder = built / "data" / "county-seed2022"
    for path in folder.glob("*.csv"):
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), path.name
        assert b"\r\n" in raw[:2000], path.name
    stations = pd.read_csv(folder / "stations.csv", encoding="utf-8-sig")
    assert stations["name_zh"].str.endswith("社会工作服务站").any()


def test_data_card_is_written_in_both_languages(built: Path) -> None:
    """Does the build write a Markdown card with Chinese and English column notes?"""
    text = (built / "data" / "county-seed2022" / "DATA_CARD.md").read_text(encoding="utf-8")
    assert "仿真站点数据卡" in text and "Simulated station data card" in text
    assert "`ledger`" in text and "`resource_yuan`" in text


def test_load_reads_with_dates(built: Path) -> None:
    """Does load() give lessons dates as datetimes and nullable ints intact?"""
    cases = load("cases", "county", 2022, home=built)
    assert pd.api.types.is_datetime64_any_dtype(cases["intake_on"])
    residents = load("residents", "county", 2022, home=built)
    assert str(residents["disability_grade"].dtype) == "Int64"


def test_load_builds_a_missing_world(tmp_path: Path) -> None:
    """Does the first load of a world that is not built yet build it?"""
    ledger = load("ledger", "county", 11, home=tmp_path)
    assert len(ledger) > 1000
    assert (tmp_path / "data" / "county-seed11" / "meta.json").exists()


def test_load_unknown_table_lists_the_tables(tmp_path: Path) -> None:
    """Does a misspelt table name get a bilingual error listing the real ones?"""
    with pytest.raises(DataError) as info:
        load("ledgr", home=tmp_path)
    assert "ledger" in str(info.value) and "没有名为 ledgr" in str(info.value)


def test_load_corrupt_file_says_which(built: Path, tmp_path: Path) -> None:
    """Is a damaged parquet file reported by path, with the fix?"""
    folder = tmp_path / "data" / "county-seed2022"
    folder.mkdir(parents=True)
    (folder / "cases.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(DataError) as info:
        load("cases", "county", 2022, home=tmp_path)
    assert "cases.parquet" in str(info.value) and "shegong data build" in str(info.value)


def test_large_tables_split_for_excel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Is a table longer than Excel's sheet split into parts that each fit?"""
    monkeypatch.setattr(pipeline, "EXCEL_MAX_ROWS", 4)
    frame = pd.DataFrame({"x": range(10), "名称": ["站"] * 10})
    paths = write_csv(frame, tmp_path / "t.csv")
    assert [p.name for p in paths] == ["t.part1.csv", "t.part2.csv", "t.part3.csv"]
    back = pd.concat(pd.read_csv(p, encoding="utf-8-sig") for p in paths)
    assert back["x"].tolist() == list(range(10))


def test_failed_build_keeps_the_old_one(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If writing fails half-way, is the previous build still whole?"""
    folder = built / "data" / "county-seed2022"
    before = (folder / "meta.json").read_text(encoding="utf-8")

    def broken(frame: pd.DataFrame, path: Path) -> list[Path]:
        raise OSError("disk full")

    monkeypatch.setattr(pipeline, "write_csv", broken)
    with pytest.raises(OSError):
        build("county", 2022, folder)
    assert (folder / "meta.json").read_text(encoding="utf-8") == before
    assert len(load("ledger", "county", 2022, home=built)) > 1000
