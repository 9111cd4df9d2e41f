"""Does --messy inject exactly the defects its manifest lists, and nothing else?"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from shegong.datasets.world.messy import KINDS, inject
from shegong.datasets.world.pipeline import build


@pytest.fixture(scope="module")
def messy(county_world: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    return inject(county_world, 2022)


def test_every_kind_of_defect_is_present(
    messy: tuple[dict[str, pd.DataFrame], pd.DataFrame],
) -> None:
    """Does the manifest list every kind of defect the lessons teach?"""
    _, manifest = messy
    assert set(manifest["kind"]) == set(KINDS)


def test_manifest_rows_match_the_data(
    county_world: dict[str, pd.DataFrame], messy: tuple[dict[str, pd.DataFrame], pd.DataFrame]
) -> None:
    """At each manifest row, does the messy table hold the injected value?"""
    tables, manifest = messy
    for entry in manifest.itertuples():
        frame = tables[entry.table]
        if entry.kind == "duplicate_row":
            original = frame.iloc[int(entry.injected)]
            assert frame.iloc[entry.row].equals(original)
            continue
        value = frame.iloc[entry.row][entry.column]
        if entry.kind == "missing_value":
            assert pd.isna(value), entry
        else:
            shown = value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else str(value)
            assert shown == entry.injected, entry


def test_untouched_cells_are_unchanged(
    county_world: dict[str, pd.DataFrame], messy: tuple[dict[str, pd.DataFrame], pd.DataFrame]
) -> None:
    """Apart from the listed defects, is the messy ledger the clean ledger?"""
    tables, manifest = messy
    clean = county_world["ledger"]
    dirty = tables["ledger"].iloc[: len(clean)]
    touched = set(manifest.loc[manifest["table"] == "ledger", "row"])
    keep = [i for i in range(len(clean)) if i not in touched]
    other = [c for c in clean.columns if c != "contact_on"]
    pd.testing.assert_frame_equal(dirty.iloc[keep][other], clean.iloc[keep][other])
    dates = clean["contact_on"].iloc[keep].dt.strftime("%Y-%m-%d")
    assert (dirty["contact_on"].iloc[keep].to_numpy() == dates.to_numpy()).all()


def test_out_of_range_answers_are_outside_the_item(
    messy: tuple[dict[str, pd.DataFrame], pd.DataFrame],
) -> None:
    """Are injected item answers really impossible for their instrument?"""
    from shegong.datasets.instruments import INSTRUMENTS

    tables, manifest = messy
    items = tables["case_measure_items"]
    rows = manifest[manifest["kind"] == "out_of_range_answer"]["row"]
    for row in rows:
        entry = items.iloc[row]
        item = next(i for i in INSTRUMENTS[entry["instrument"]].items if i.no == entry["item"])
        assert entry["answer"] not in item.values


def test_messy_build_writes_the_manifest(tmp_path: Path) -> None:
    """Does a messy build write the manifest beside the data, readable by Excel (BOM)?"""
    result = build("county", 5, tmp_path / "messy", messy=True)
    raw = (result.path / "messy_manifest.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    manifest = pd.read_csv(result.path / "messy_manifest.csv", encoding="utf-8-sig")
    assert len(manifest) > 20 and set(manifest["kind"]) == set(KINDS)
    ledger = pd.read_parquet(result.path / "ledger.parquet")
    assert ledger["contact_on"].astype(str).str.contains("年").any()


def test_messy_card_explains_the_defects(tmp_path: Path) -> None:
    """Does the messy build's data card say which columns differ from the schema?"""
    result = build("county", 6, tmp_path / "m", messy=True)
    card = (result.path / "DATA_CARD.md").read_text(encoding="utf-8")
    assert "缺陷版本" in card and "village_name" in card and "messy_manifest.csv" in card
