"""Does bad data raise a clear error naming the table, the column and the rows?"""

from __future__ import annotations

import pandas as pd
import pytest

from shegong.datasets.card import card
from shegong.datasets.schemas import check_links, check_order, conform, validate_table
from shegong.errors import DataError


def _copy(world: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {name: frame.copy() for name, frame in world.items()}


def test_out_of_range_value_names_table_column_rows(county_world: dict[str, pd.DataFrame]) -> None:
    """Does an age of 130 fail with the table, the column and the row number?"""
    residents = county_world["residents"].copy()
    residents.loc[4, "age"] = 130
    with pytest.raises(DataError) as info:
        validate_table(residents, card().tables["residents"])
    zh, en = str(info.value).split("\n")
    assert "residents" in zh and "age" in zh and "4" in zh
    assert "Table residents, column age" in en and "130" in en


def test_unknown_code_is_rejected(county_world: dict[str, pd.DataFrame]) -> None:
    """Is a service type outside the six services caught?"""
    ledger = county_world["ledger"].copy()
    ledger.loc[0, "service"] = "karaoke"
    with pytest.raises(DataError, match="service"):
        validate_table(ledger, card().tables["ledger"])


def test_duplicate_key_is_rejected(county_world: dict[str, pd.DataFrame]) -> None:
    """Is a repeated case id caught?"""
    cases = county_world["cases"].copy()
    cases.loc[1, "case_id"] = cases.loc[0, "case_id"]
    with pytest.raises(DataError, match="case_id"):
        validate_table(cases, card().tables["cases"])


def test_broken_link_is_rejected(county_world: dict[str, pd.DataFrame]) -> None:
    """Does a case pointing at a resident who does not exist fail with the link named?"""
    world = _copy(county_world)
    world["cases"].loc[2, "resident_id"] = "R9999999"
    with pytest.raises(DataError) as info:
        check_links(world)
    assert "residents.resident_id" in str(info.value) and "R9999999" in str(info.value)


def test_stage_dates_out_of_order_are_rejected(county_world: dict[str, pd.DataFrame]) -> None:
    """Is an assessment dated before intake caught as a stage-order error?"""
    world = _copy(county_world)
    cases = world["cases"]
    row = cases.index[cases["assessment_on"].notna()][0]
    cases.loc[row, "assessment_on"] = cases.loc[row, "intake_on"] - pd.Timedelta(days=5)
    with pytest.raises(DataError, match="assessment_on"):
        check_order(world)


def test_skipped_stage_is_rejected(county_world: dict[str, pd.DataFrame]) -> None:
    """Is a case with a plan but no assessment caught?"""
    world = _copy(county_world)
    cases = world["cases"]
    row = cases.index[cases["planning_on"].notna()][0]
    cases.loc[row, "assessment_on"] = pd.NaT
    with pytest.raises(DataError, match="planning_on"):
        check_order(world)


def test_missing_column_is_named(county_world: dict[str, pd.DataFrame]) -> None:
    """Does a table without a documented column fail with that column's name?"""
    frame = county_world["workers"].drop(columns="qualification")
    with pytest.raises(DataError, match="qualification"):
        conform(frame, card().tables["workers"])
