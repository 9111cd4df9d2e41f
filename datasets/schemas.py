"""Schema checks for every table, made from the data card (pandera), plus links and order.

``validate_world`` raises ``DataError`` naming the table, the column and the first bad rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pdv
import pyarrow as pa
import pyarrow.compute as pc
from pandera.errors import SchemaErrors

from shegong.datasets.card import ColumnCard, TableCard, card
from shegong.errors import DataError

_DTYPES: dict[str, Any] = {
    "str": "str",
    "int": "int64",
    "float": "float64",
    "bool": "bool",
    "date": "datetime64[ns]",
}
CASE_STAGE_DATES = (
    "intake_on",
    "assessment_on",
    "planning_on",
    "intervention_on",
    "evaluation_on",
    "closure_on",
)


def conform(frame: pd.DataFrame, table: TableCard) -> pd.DataFrame:
    """Cast columns to the card's types (dates become datetime64, nullable ints Int64)."""
    out: dict[str, pd.Series] = {}
    for col in table.columns:
        if col.name not in frame.columns:
            raise DataError("error.data_missing_column", table=table.name, column=col.name)
        series = frame[col.name]
        if col.type == "date":
            out[col.name] = pd.to_datetime(series, errors="raise").astype("datetime64[ns]")
        elif col.type == "int" and col.nullable:
            out[col.name] = pd.to_numeric(series).astype("Int64")
        elif col.type == "str":
            out[col.name] = series.astype(object).astype("str")
        else:
            out[col.name] = series.astype(_DTYPES[col.type])
    extra = [c for c in frame.columns if c not in out]
    if extra:
        raise DataError("error.data_extra_column", table=table.name, column=", ".join(extra))
    return pd.DataFrame(out, index=frame.index)


def _checks(col: ColumnCard) -> list[pdv.Check]:
    checks = []
    if col.min is not None:
        checks.append(pdv.Check.ge(col.min))
    if col.max is not None:
        checks.append(pdv.Check.le(col.max))
    if col.choices and not col.multi:
        checks.append(pdv.Check.isin(list(col.choices)))
    if col.choices and col.multi:
        allowed = set(col.choices)
        checks.append(
            pdv.Check(
                lambda s: s.str.split(";").map(lambda parts: set(parts) <= allowed),
                element_wise=False,
                error=f"codes outside {sorted(allowed)}",
            )
        )
    return checks


def schema(table: TableCard) -> pdv.DataFrameSchema:
    """The pandera schema of one table."""
    columns = {}
    for col in table.columns:
        dtype = "Int64" if col.type == "int" and col.nullable else _DTYPES[col.type]
        columns[col.name] = pdv.Column(
            dtype,
            checks=_checks(col),
            nullable=col.nullable,
            unique=col.unique or (table.key == (col.name,)),
        )
    unique = list(table.key) if len(table.key) > 1 else None
    return pdv.DataFrameSchema(columns, strict=True, ordered=True, unique=unique)


def _rows_text(index: pd.Index | np.ndarray, limit: int = 5) -> str:
    values = [str(v) for v in list(index)[:limit]]
    more = len(index) - limit
    return ", ".join(values) + (f" (+{more})" if more > 0 else "")


def validate_table(frame: pd.DataFrame, table: TableCard) -> None:
    """Types, ranges, codes and keys of one (conformed) table."""
    try:
        schema(table).validate(frame, lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
        first = cases.iloc[0]
        column = str(first["column"]) if pd.notna(first["column"]) else "—"
        bad = cases[cases["column"] == first["column"]]
        raise DataError(
            "error.data_schema",
            table=table.name,
            column=column,
            rows=_rows_text(bad["index"].dropna().astype(int).to_numpy()),
            check=str(first["check"]),
            values=_rows_text(bad["failure_case"].astype(str).to_numpy()),
        ) from None


def check_links(tables: Mapping[str, pd.DataFrame]) -> None:
    """Every non-null foreign key exists in the table it points to."""
    for name, table in card().tables.items():
        frame = tables[name]
        for col in table.columns:
            if not col.ref:
                continue
            target_table, target_column = col.ref.split(".")
            values = frame[col.name].dropna()
            known = pc.is_in(
                pa.array(values.to_numpy(dtype=object)),
                value_set=pa.array(tables[target_table][target_column].to_numpy(dtype=object)),
            )
            missing = values[~np.asarray(known, dtype=bool)]
            if len(missing):
                raise DataError(
                    "error.data_link",
                    table=name,
                    column=col.name,
                    ref=col.ref,
                    rows=_rows_text(missing.index.to_numpy()),
                    values=_rows_text(missing.astype(str).to_numpy()),
                )


def check_order(tables: Mapping[str, pd.DataFrame]) -> None:
    """Case stages in MZ/T 094-2017 order with no skipped stage; group sessions in date order."""
    cases = tables["cases"]
    dates = cases[list(CASE_STAGE_DATES)]
    # A stage may be empty only if every later stage is empty too, except closure, which
    # also ends cases referred at intake or withdrawn early.
    present = dates.notna().to_numpy()
    for k in range(1, len(CASE_STAGE_DATES) - 1):
        gap = present[:, k] & ~present[:, k - 1]
        if gap.any():
            raise DataError(
                "error.data_stage_gap",
                table="cases",
                column=CASE_STAGE_DATES[k],
                rows=_rows_text(cases.index[gap]),
            )
    values = dates.to_numpy(dtype="datetime64[ns]")
    for k in range(1, len(CASE_STAGE_DATES)):
        earlier = np.fmax.accumulate(values[:, :k], axis=1)[:, -1]
        bad = ~np.isnat(values[:, k]) & ~np.isnat(earlier) & (values[:, k] < earlier)
        if bad.any():
            raise DataError(
                "error.data_stage_order",
                table="cases",
                column=CASE_STAGE_DATES[k],
                rows=_rows_text(cases.index[bad]),
            )
    sessions = tables["group_sessions"].sort_values(["group_id", "session_no"])
    step = sessions.groupby("group_id")["held_on"].diff()
    bad_sessions = step[step <= pd.Timedelta(0)]
    if len(bad_sessions):
        raise DataError(
            "error.data_stage_order",
            table="group_sessions",
            column="held_on",
            rows=_rows_text(bad_sessions.index.to_numpy()),
        )


def validate_world(tables: Mapping[str, pd.DataFrame]) -> None:
    """Validate every table of a (conformed) world, then links and stage order."""
    for name, table in card().tables.items():
        if name not in tables:
            raise DataError("error.data_missing_table", table=name)
        validate_table(tables[name], table)
    check_links(tables)
    check_order(tables)
