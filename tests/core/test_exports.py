"""Do exported CSV and Excel files open correctly in Chinese Excel, with the data intact?"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from shegong.errors import DataError
from shegong.exports import (
    DATE_FORMAT,
    MONTH_FORMAT,
    ExportError,
    card_headers,
    code_labels,
    display_width,
    exports_folder,
    to_csv_excel,
    to_xlsx,
)


@pytest.fixture
def visits() -> pd.DataFrame:
    """A small ledger-like table with Chinese text, dates, numbers, booleans and gaps."""
    return pd.DataFrame(
        {
            "station": ["新井乡社会工作服务站", "柳冲乡社会工作服务站", "金湖镇社会工作服务站"],
            "contact_on": pd.to_datetime(["2022-09-01", "2022-09-15", None]),
            "person_times": [3, 12, 0],
            "share": [0.25, 0.5, float("nan")],
            "left_behind": [True, False, True],
            "note": ["走访留守老人", None, "=1+1"],
        }
    )


HEADERS = {"station": "站点", "contact_on": "服务日期", "person_times": "人次", "share": "占比"}


def test_csv_starts_with_bom_and_round_trips_chinese(visits: pd.DataFrame, tmp_path: Path) -> None:
    """Does the CSV start with the UTF-8 BOM and read back with the same Chinese text?"""
    path = to_csv_excel(visits, tmp_path / "走访.csv", headers=HEADERS)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert list(back.columns[:4]) == ["站点", "服务日期", "人次", "占比"]
    assert back["站点"].tolist() == visits["station"].tolist()
    assert back["note"].iloc[0] == "走访留守老人"


def test_csv_dates_are_plain_iso_days(visits: pd.DataFrame, tmp_path: Path) -> None:
    """Are dates written as YYYY-MM-DD (no midnight times) and gaps as empty fields?"""
    path = to_csv_excel(visits, tmp_path / "v.csv")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].split(",")[1] == "2022-09-01"
    assert lines[3].split(",")[1] == ""


def test_csv_months_are_written_as_year_month(tmp_path: Path) -> None:
    """Is a monthly Period index written as a YYYY-MM column?"""
    months = pd.Series([5, 7], index=pd.period_range("2022-09", periods=2, freq="M"), name="n")
    path = to_csv_excel(months.rename_axis("month"), tmp_path / "m.csv")
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    assert back["month"].tolist() == ["2022-09", "2022-10"]


def test_xlsx_headers_types_and_chinese(visits: pd.DataFrame, tmp_path: Path) -> None:
    """Does the sheet have the Chinese headers, real dates, numbers, booleans and the text?"""
    path = to_xlsx({"九月走访": visits}, tmp_path / "report.xlsx", headers=HEADERS)
    sheet = openpyxl.load_workbook(path)["九月走访"]
    assert [c.value for c in sheet[1]] == [
        "站点",
        "服务日期",
        "人次",
        "占比",
        "left_behind",
        "note",
    ]
    assert sheet["A2"].value == "新井乡社会工作服务站"
    assert isinstance(sheet["B2"].value, dt.datetime)
    assert sheet["B2"].value.date() == dt.date(2022, 9, 1)
    assert sheet["B2"].number_format == DATE_FORMAT
    assert sheet["B4"].value is None
    assert sheet["C3"].value == 12 and sheet["C3"].data_type == "n"
    assert sheet["D2"].value == 0.25 and sheet["D4"].value is None
    assert sheet["E2"].value is True
    assert sheet["F2"].value == "走访留守老人" and sheet["F3"].value is None


def test_xlsx_text_that_looks_like_a_formula_stays_text(
    visits: pd.DataFrame, tmp_path: Path
) -> None:
    """Is a hand-typed '=1+1' stored as text, not run as a formula?"""
    path = to_xlsx({"t": visits}, tmp_path / "t.xlsx")
    cell = openpyxl.load_workbook(path)["t"]["F4"]
    assert cell.value == "=1+1" and cell.data_type == "s"


def test_xlsx_header_is_frozen_bold_and_filtered(visits: pd.DataFrame, tmp_path: Path) -> None:
    """Is the header row frozen, bold and filterable on every sheet?"""
    path = to_xlsx({"a": visits, "b": visits.head(1)}, tmp_path / "two.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["a", "b"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.bold
        assert sheet.auto_filter.ref.startswith("A1:")


def test_xlsx_column_widths_fit_chinese(visits: pd.DataFrame, tmp_path: Path) -> None:
    """Is a column of long Chinese names wider than a short number column, within limits?"""
    path = to_xlsx({"w": visits}, tmp_path / "w.xlsx", headers=HEADERS)
    sheet = openpyxl.load_workbook(path)["w"]
    station = sheet.column_dimensions["A"].width
    count = sheet.column_dimensions["C"].width
    assert station >= display_width("新井乡社会工作服务站") and station <= 60
    assert 6 <= count < station


def test_pivot_index_and_months_become_columns(tmp_path: Path) -> None:
    """Are a pivot table's row labels and a Period month written as columns, months as dates?"""
    ledger = pd.DataFrame(
        {
            "station": ["甲站", "甲站", "乙站"],
            "month": pd.PeriodIndex(["2022-09", "2022-10", "2022-10"], freq="M"),
            "service": ["需求评估", "老幼关爱", "需求评估"],
            "person_times": [4, 2, 5],
        }
    )
    pivot = ledger.pivot_table(
        index=["station", "month"], columns="service", values="person_times", aggfunc="sum"
    )
    path = to_xlsx({"透视": pivot}, tmp_path / "p.xlsx", headers={"station": "站点"})
    sheet = openpyxl.load_workbook(path)["透视"]
    assert [c.value for c in sheet[1]] == ["站点", "month", "老幼关爱", "需求评估"]
    assert sheet["B2"].number_format == MONTH_FORMAT
    assert isinstance(sheet["B2"].value, dt.datetime)
    back = pd.read_excel(path, sheet_name="透视")
    assert back["需求评估"].sum() == 9


def test_multilevel_columns_are_joined(tmp_path: Path) -> None:
    """Do two-level column headers become one readable header each?"""
    frame = pd.DataFrame(
        [[1, 2]], columns=pd.MultiIndex.from_tuples([("人次", "甲"), ("人数", "甲")])
    )
    path = to_xlsx({"m": frame}, tmp_path / "m.xlsx")
    sheet = openpyxl.load_workbook(path)["m"]
    assert [c.value for c in sheet[1]] == ["人次 · 甲", "人数 · 甲"]


def test_timezone_aware_dates_are_written(tmp_path: Path) -> None:
    """Can a table with time-zone-aware timestamps be written (Excel has no time zones)?"""
    frame = pd.DataFrame({"at": pd.to_datetime(["2022-09-01 08:30"]).tz_localize("Asia/Shanghai")})
    path = to_xlsx({"tz": frame}, tmp_path / "tz.xlsx")
    cell = openpyxl.load_workbook(path)["tz"]["A2"]
    assert cell.value == dt.datetime(2022, 9, 1, 8, 30)


@pytest.mark.parametrize("name", ["", "a" * 32, "1/2", "问题?", "'x'"])
def test_bad_sheet_names_are_refused_clearly(
    name: str, visits: pd.DataFrame, tmp_path: Path
) -> None:
    """Is a sheet name Excel would refuse reported in both languages before writing?"""
    with pytest.raises(ExportError) as info:
        to_xlsx({name: visits}, tmp_path / "bad.xlsx")
    assert "工作表名称" in str(info.value) and "sheet name" in str(info.value)
    assert not (tmp_path / "bad.xlsx").exists()


def test_sheet_names_differing_only_in_case_are_refused(
    visits: pd.DataFrame, tmp_path: Path
) -> None:
    """Are 'Report' and 'report' caught as the same sheet, as Excel sees them?"""
    with pytest.raises(ExportError):
        to_xlsx({"Report": visits, "report": visits}, tmp_path / "twins.xlsx")


def test_wrong_inputs_are_refused(visits: pd.DataFrame, tmp_path: Path) -> None:
    """Are a wrong extension, an empty dict and a non-table refused with a message?"""
    with pytest.raises(ExportError, match="xlsx"):
        to_xlsx({"a": visits}, tmp_path / "report.xls")
    with pytest.raises(ExportError, match="csv"):
        to_csv_excel(visits, tmp_path / "report.txt")
    with pytest.raises(ExportError):
        to_xlsx({}, tmp_path / "empty.xlsx")
    with pytest.raises(ExportError) as info:
        to_xlsx({"a": [1, 2, 3]}, tmp_path / "list.xlsx")
    assert "DataFrame" in str(info.value)


def test_a_failed_export_keeps_the_old_file(visits: pd.DataFrame, tmp_path: Path) -> None:
    """If a second export fails, is the earlier file still there and unchanged?"""
    path = to_xlsx({"a": visits}, tmp_path / "keep.xlsx")
    before = path.read_bytes()
    with pytest.raises(ExportError):
        to_xlsx({"a": visits, "b/c": visits}, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.xlsx"]


def test_series_and_empty_tables_are_written(tmp_path: Path) -> None:
    """Are a named Series and an empty table written (header only for the empty one)?"""
    counts = pd.Series([3, 4], index=pd.Index(["甲", "乙"], name="村"), name="户数")
    path = to_xlsx({"s": counts, "e": pd.DataFrame({"人次": []})}, tmp_path / "s.xlsx")
    book = openpyxl.load_workbook(path)
    assert [c.value for c in book["s"][1]] == ["村", "户数"]
    assert book["e"].max_row == 1 and book["e"]["A1"].value == "人次"


def test_card_headers_and_labels_are_short_chinese() -> None:
    """Do the data card's columns and codes give short Chinese and English labels?"""
    headers = card_headers("ledger")
    assert headers["contact_on"] == "服务日期"
    assert headers["village_id"] == "村（社区）编号"
    assert card_headers("ledger", "en")["person_times"] == "person-times"
    labels = code_labels("ledger", "service")
    assert labels["elder_child_care"] == "老幼关爱"
    assert code_labels("ledger", "service", "en")["need_assessment"] == "needs assessment"


def test_unknown_card_table_or_column_is_an_error() -> None:
    """Is a typo in a table or column name reported with the choices?"""
    with pytest.raises(DataError):
        card_headers("ledgers")
    with pytest.raises(DataError):
        code_labels("ledger", "services")


def test_exports_folder_is_in_the_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Is the exports folder inside SHEGONG_HOME, created on demand?"""
    monkeypatch.setenv("SHEGONG_HOME", str(tmp_path / "ws"))
    folder = exports_folder()
    assert folder == tmp_path / "ws" / "exports" and folder.is_dir()


def test_a_write_that_fails_midway_keeps_the_old_file(
    visits: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If saving breaks (disk full), is the earlier file intact and no temporary file left?"""
    path = to_xlsx({"a": visits}, tmp_path / "keep.xlsx")
    before = path.read_bytes()

    real_save = openpyxl.Workbook.save

    def broken_save(self: openpyxl.Workbook, filename: str) -> None:
        real_save(self, filename)  # writes the temporary file, then the disk "fills up"
        raise OSError("No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(ExportError) as info:
        to_xlsx({"a": visits.head(1)}, path)
    assert "No space left" in str(info.value)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.xlsx"]


def test_a_file_open_in_excel_is_reported(
    visits: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the target is locked (open in Excel on Windows), does the message say so?"""
    import shegong.exports as exports

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(exports.os, "replace", locked)
    with pytest.raises(ExportError) as info:
        to_csv_excel(visits, tmp_path / "open.csv")
    assert "Excel" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_row_numbers_are_not_written_but_named_indexes_are(
    visits: pd.DataFrame, tmp_path: Path
) -> None:
    """Does a filtered table leave out its row numbers, while a named index is kept?"""
    filtered = visits[visits["person_times"] > 0]
    path = to_csv_excel(filtered, tmp_path / "f.csv")
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert list(back.columns) == list(visits.columns) and len(back) == 2
    named = visits.set_index("station")
    path = to_xlsx({"n": named}, tmp_path / "n.xlsx")
    assert openpyxl.load_workbook(path)["n"]["A1"].value == "station"
