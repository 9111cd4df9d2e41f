"""exports 导出: tables people use, written so that Chinese Excel opens them correctly.

Two writers, used by lessons, grading and the apps alike:

- ``to_csv_excel(frame, path)``: CSV in UTF-8 with a byte-order mark (BOM), so Excel on a
  Chinese Windows reads the Chinese text instead of guessing GBK; dates as ``YYYY-MM-DD``.
  Text that Excel would run as a formula (CSV injection: a trainee's note typed as
  ``=HYPERLINK(...)``, ``+1+1``, ``@SUM(...)`` or DDE text) is written with a leading single
  quote, as OWASP's CSV-injection guidance says: every text cell and header that starts with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return. Numbers stay numbers (a negative
  number in a number column is not text and is not touched).
- ``to_xlsx({sheet_name: frame}, path)``: one sheet per table, a bold frozen header row,
  column widths that fit Chinese text, dates as real Excel dates (sortable and filterable)
  and months (``Period``) as the month's first day shown as ``yyyy-mm``.

Both take ``headers``: a mapping from column name to the header people should read (for
example ``card_headers("ledger")`` gives the data card's short Chinese names). A named or
non-default index (a pivot table's rows) is written as ordinary leading columns; multi-level
columns become one header joined with `` · ``. Files are written to a temporary name first and
then moved into place, so a failed export never destroys the previous file. Nothing here
chooses where files go: ``exports_folder()`` is the workspace's ``exports/`` folder.
"""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from shegong.errors import DataError, ShegongError
from shegong.messages import Lang

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
SHEET_NAME_MAX = 31
SHEET_FORBIDDEN = set("[]:*?/\\")
WIDTH_MIN, WIDTH_MAX = 6, 60
WIDTH_SAMPLE = 2_000  # rows looked at when sizing columns
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MONTH_FORMAT = "yyyy-mm"
HEADER_FILL = "DDEBF7"
# Characters that make Excel read a CSV text cell as a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 forbids most control characters; openpyxl refuses them, so they are removed.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class ExportError(ShegongError):
    """A table, sheet name or path that cannot be exported."""


# ----------------------------------------------------------------- labels from the data card
def _card_table(table: str) -> Any:
    from shegong.datasets.card import card

    tables = card().tables
    if table not in tables:
        raise DataError("error.data_unknown_table", table=table, choices=", ".join(tables))
    return tables[table]


# A trailing note in brackets of five or more characters: "（……）" or "(...)".
_TRAILING_NOTE = re.compile(r"\s*[（(](?=.{5})(?:[^（）()]|[（(][^（）()]*[）)])*[）)]\s*$")


def _short(description: str) -> str:
    """A column description without its trailing notes in brackets or after a comma:
    ``村（社区）编号（活动地点……）`` -> ``村（社区）编号``."""
    short = description
    while _TRAILING_NOTE.search(short):
        short = _TRAILING_NOTE.sub("", short)
    short = re.split(r"[，；;]|, ", short, maxsplit=1)[0].strip()
    return short or description


def card_headers(table: str, lang: Lang = "zh") -> dict[str, str]:
    """Short column headers of a data-card table, ``{column: header}`` in ``lang``."""
    return {c.name: _short(getattr(c, lang)) for c in _card_table(table).columns}


def code_labels(table: str, column: str, lang: Lang = "zh") -> dict[str, str]:
    """Display labels of a coded column from the data card, ``{code: label}`` in ``lang``.

    The card writes each choice as ``中文 / English``; this returns the side for ``lang``.
    """
    card_table = _card_table(table)
    try:
        choices = card_table.column(column).choices
    except KeyError:
        raise DataError("error.data_missing_column", table=table, column=column) from None
    side = 0 if lang == "zh" else 1
    labels = {}
    for code, label in choices.items():
        parts = str(label).split(" / ", 1)
        labels[code] = parts[min(side, len(parts) - 1)].strip()
    return labels


def exports_folder(home: Path | None = None) -> Path:
    """The workspace's ``exports/`` folder (from the settings unless ``home`` is given)."""
    from shegong.paths import Workspace
    from shegong.settings import load

    return Workspace(load({"home": home}).home).ensure().exports


# ----------------------------------------------------------------- preparing a table
def _as_frame(table: Any, name: str) -> pd.DataFrame:
    if isinstance(table, pd.Series):
        return table.to_frame()
    if not isinstance(table, pd.DataFrame):
        raise ExportError("error.exports_not_table", name=name, kind=type(table).__name__)
    return table


def _flat_columns(columns: pd.Index) -> list[str]:
    if isinstance(columns, pd.MultiIndex):
        return [" · ".join(str(p) for p in parts if str(p) != "") for parts in columns]
    return [str(c) for c in columns]


def prepare(table: Any, headers: Mapping[str, str] | None = None, name: str = "") -> pd.DataFrame:
    """The table as it will be written: index as columns, flat string headers, renamed.

    An unnamed whole-number index (row numbers, also after filtering) is dropped; any other
    index (a pivot table's rows, a named index) becomes leading columns. ``headers`` renames
    the columns it knows and leaves the others.
    """
    frame = _as_frame(table, name)
    index = frame.index
    row_numbers = (
        not isinstance(index, pd.MultiIndex)
        and index.name is None
        and pd.api.types.is_integer_dtype(index.dtype)
    )
    if not row_numbers:
        frame = frame.reset_index()
    frame = frame.copy(deep=False)
    frame.columns = _flat_columns(frame.columns)
    if headers:
        frame.columns = [headers.get(c, c) for c in frame.columns]
    if len(frame) + 1 > EXCEL_MAX_ROWS or frame.shape[1] > EXCEL_MAX_COLUMNS:
        raise ExportError(
            "error.exports_too_large", name=name, rows=len(frame), columns=frame.shape[1]
        )
    return frame


def _is_datetime(series: pd.Series) -> bool:
    return pd.api.types.is_datetime64_any_dtype(series.dtype)


def _naive(series: pd.Series) -> pd.Series:
    """Datetimes without a time zone (Excel has none), in local wall-clock time."""
    return series.dt.tz_localize(None) if series.dt.tz is not None else series


def _has_time(series: pd.Series) -> bool:
    values = series.dropna()
    return bool((values != values.dt.normalize()).any())


# ----------------------------------------------------------------- CSV
def csv_safe(value: Any) -> Any:
    """``value``, with a single quote in front when it is text Excel would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_column(series: pd.Series) -> pd.Series:
    if _is_datetime(series):
        series = _naive(series)
        pattern = "%Y-%m-%d %H:%M:%S" if _has_time(series) else "%Y-%m-%d"
        return series.dt.strftime(pattern)
    if isinstance(series.dtype, pd.PeriodDtype):
        return series.astype(str).where(series.notna(), None)
    if pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(series.dtype):
        return series.map(csv_safe, na_action="ignore")
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.astype(object).map(csv_safe, na_action="ignore")
    return series


def _target(path: str | os.PathLike[str], suffix: str) -> Path:
    target = Path(path)
    if target.suffix.lower() != suffix:
        raise ExportError("error.exports_suffix", path=target, suffix=suffix)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _temporary(target: Path) -> Path:
    """A unique temporary name beside ``target``, so two writers never share one (the file
    is created by the writer, with the user's usual permissions)."""
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _replace(tmp: Path, target: Path) -> Path:
    """Move the finished temporary file into place (the old file survives a failure)."""
    try:
        os.replace(tmp, target)
    except PermissionError:
        tmp.unlink(missing_ok=True)
        raise ExportError("error.exports_locked", path=target) from None
    return target


def _write_failed(tmp: Path, target: Path, exc: OSError) -> ExportError:
    tmp.unlink(missing_ok=True)
    return ExportError("error.exports_write", path=target, detail=str(exc)[:200])


def to_csv_excel(
    frame: Any, path: str | os.PathLike[str], headers: Mapping[str, str] | None = None
) -> Path:
    """Write ``frame`` as CSV that Excel opens correctly in Chinese (UTF-8 with BOM).

    Dates are written as ``YYYY-MM-DD`` (with the time only when some value has one),
    months as ``YYYY-MM``; missing values as empty fields; formula-leading text gets a
    leading ``'`` (see the module docstring). Returns the file's path.
    """
    target = _target(path, ".csv")
    table = prepare(frame, headers, name=target.name)
    table = table.apply(_csv_column)
    table.columns = [csv_safe(c) for c in table.columns]
    tmp = _temporary(target)
    try:
        table.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    except OSError as exc:
        raise _write_failed(tmp, target, exc) from None
    return _replace(tmp, target)


# ----------------------------------------------------------------- Excel
def check_sheet_names(names: list[str]) -> None:
    """ExportError naming the first sheet name Excel would refuse (length, characters, twins)."""
    seen: set[str] = set()
    for name in names:
        bad = (
            not isinstance(name, str)
            or not 1 <= len(name) <= SHEET_NAME_MAX
            or bool(SHEET_FORBIDDEN & set(name))
            or name.startswith("'")
            or name.endswith("'")
            or name.lower() in seen
            or name.lower() == "history"
        )
        if bad:
            raise ExportError("error.exports_sheet_name", name=name, limit=SHEET_NAME_MAX)
        seen.add(name.lower())


def display_width(value: Any) -> int:
    """How many Latin-letter widths ``value`` takes on screen (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def _width(header: str, series: pd.Series, kind: str) -> float:
    if kind in ("date", "datetime", "month"):
        body = 16 if kind == "datetime" else 10
    else:
        sample = series.iloc[:WIDTH_SAMPLE].dropna()
        if pd.api.types.is_float_dtype(series.dtype):
            sample = sample.round(4)
        body = max((display_width(v) for v in sample.astype(str)), default=0)
    return float(min(WIDTH_MAX, max(WIDTH_MIN, display_width(header), body) + 2))


def _excel_column(series: pd.Series) -> tuple[list[Any], str | None, str]:
    """Cell values of one column, its number format, and its kind (for the width)."""
    if _is_datetime(series):
        series = _naive(series)
        fmt = DATETIME_FORMAT if _has_time(series) else DATE_FORMAT
        values = [None if pd.isna(v) else v.to_pydatetime() for v in series]
        return values, fmt, "datetime" if fmt == DATETIME_FORMAT else "date"
    if isinstance(series.dtype, pd.PeriodDtype) and series.dtype.freq.freqstr.startswith("M"):
        values = [None if pd.isna(v) else v.to_timestamp().to_pydatetime() for v in series]
        return values, MONTH_FORMAT, "month"
    return [_cell(v) for v in series.astype(object)], None, "value"


def _cell(value: Any) -> Any:
    """A value openpyxl can store: Python scalars, no NaN, no illegal characters."""
    if value is None or (not isinstance(value, str | bytes) and _missing(value)):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        return value.tz_localize(None).to_pydatetime() if value.tz else value.to_pydatetime()
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    return _ILLEGAL.sub("", str(value))


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and other containers are not "missing"
        return False


def _write_sheet(book: Any, name: str, table: pd.DataFrame) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title=name)
    sheet.freeze_panes = "A2"
    columns = [_excel_column(table.iloc[:, k]) for k in range(table.shape[1])]
    for k, (header, (_, _, kind)) in enumerate(zip(table.columns, columns, strict=True), 1):
        width = _width(str(header), table.iloc[:, k - 1], kind)
        sheet.column_dimensions[get_column_letter(k)].width = width
    bold, fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    centre = Alignment(horizontal="center", vertical="center")
    header_cells = []
    for header in table.columns:
        cell = WriteOnlyCell(sheet, value=_cell(str(header)))
        cell.font, cell.fill, cell.alignment = bold, fill, centre
        cell.data_type = "s"
        header_cells.append(cell)
    sheet.append(header_cells)
    formats = [fmt for _, fmt, _ in columns]
    for row in zip(*(values for values, _, _ in columns), strict=True):
        cells: list[Any] = []
        for value, fmt in zip(row, formats, strict=True):
            if isinstance(value, str) and value.startswith("="):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # text such as "=1+1" stays text, never a formula
                cells.append(cell)
            elif fmt is not None and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = fmt
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    if table.shape[1]:
        last = get_column_letter(table.shape[1])
        sheet.auto_filter.ref = f"A1:{last}{len(table) + 1}"


def to_xlsx(
    sheets: Mapping[str, Any],
    path: str | os.PathLike[str],
    headers: Mapping[str, str] | None = None,
) -> Path:
    """Write each table of ``{sheet_name: frame}`` to its own sheet of one .xlsx file.

    Every sheet gets a bold, frozen header row with a filter, column widths that fit Chinese
    text, real Excel dates, and text that stays text. ``headers`` renames columns on every
    sheet. Returns the file's path.
    """
    from openpyxl import Workbook

    target = _target(path, ".xlsx")
    if not isinstance(sheets, Mapping) or not sheets:
        raise ExportError("error.exports_no_sheets", path=target)
    names = list(sheets)
    check_sheet_names(names)
    tables = {name: prepare(sheets[name], headers, name=name) for name in names}
    book = Workbook(write_only=True)
    for name, table in tables.items():
        _write_sheet(book, name, table)
    tmp = _temporary(target)
    try:
        book.save(tmp)
    except OSError as exc:
        raise _write_failed(tmp, target, exc) from None
    return _replace(tmp, target)
