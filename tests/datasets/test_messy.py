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
        if entry.kind == "missing_follow_up":
            # A removed row: its row is the clean ledger's, and the messy ledger lacks it.
            assert county_world["ledger"]["entry_id"].iloc[entry.row] == entry.key
            assert entry.key not in set(frame["entry_id"])
            continue
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
    ledger_rows = manifest[manifest["table"] == "ledger"]
    removed = ledger_rows.loc[ledger_rows["kind"] == "missing_follow_up", "row"]
    clean = county_world["ledger"].drop(index=removed).reset_index(drop=True)
    dirty = tables["ledger"].iloc[: len(clean)]
    touched = set(ledger_rows.loc[ledger_rows["kind"] != "missing_follow_up", "row"])
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


def _age(born: pd.Series, day: pd.Series) -> pd.Series:
    return (pd.to_datetime(day) - pd.to_datetime(born)).dt.days // 365


def test_poor_practice_defects_break_the_rules_the_clean_world_keeps(
    county_world: dict[str, pd.DataFrame], messy: tuple[dict[str, pd.DataFrame], pd.DataFrame]
) -> None:
    """Does each injected poor-practice record really break its rule, and is every record
    that breaks one listed in the manifest (the clean world breaks none, test_practice)?"""
    from shegong.datasets.toolkits.casework import safety_followups

    tables, manifest = messy
    kind = manifest.groupby("kind")
    born = county_world["residents"].set_index("resident_id")["birth_date"]
    # Flagged measures with no contact within a day: those of the cases whose follow-up
    # contacts were removed (dates read from the clean ledger: typed dates hide nothing).
    clean = county_world["ledger"]
    ledger = tables["ledger"].drop_duplicates("entry_id")
    ledger = ledger.assign(
        contact_on=ledger["entry_id"].map(clean.set_index("entry_id")["contact_on"])
    )
    flags = county_world["case_measures"]["flags"].fillna("")
    missed: set[str] = set()
    for flag in sorted({f for joined in flags[flags != ""] for f in joined.split(";")}):
        follow = safety_followups(tables["case_measures"], tables["cases"], ledger, flag=flag)
        missed |= set(follow.loc[~follow["followed_up"], "case_id"])
    removed = kind.get_group("missing_follow_up")
    assert missed and missed == set(clean["case_id"].iloc[removed["row"].to_numpy()])
    # SDQ self-reports under 11: exactly the injected measures.
    sdq = tables["case_measures"].merge(tables["cases"][["case_id", "resident_id"]], on="case_id")
    sdq = sdq[sdq["instrument"] == "sdq"]
    young = sdq[_age(sdq["resident_id"].map(born), sdq["measured_on"]) < 11]
    assert set(young["measure_id"]) == set(kind.get_group("instrument_age_misfit")["key"])
    # Preschoolers in RSES groups: exactly the injected members.
    members = tables["group_members"].merge(tables["groups"], on="group_id")
    members = members[members["outcome_instrument"] == "rses"]
    small = members[_age(members["resident_id"].map(born), members["first_session_on"]) < 6]
    listed = manifest[
        (manifest["kind"] == "member_age_misfit") & (manifest["table"] == "group_members")
    ]
    assert len(small) > 0 and set(small["resident_id"]) == set(listed["injected"])
    # Elders referred by a school, and goals-met closures whose goals fell short.
    cases = tables["cases"]
    school = cases[(cases["client_group"] == "elder") & (cases["referral_source"] == "school")]
    referral = kind.get_group("implausible_referral")
    assert set(school["case_id"]) == set(
        referral.loc[referral["column"] == "referral_source", "key"]
    )
    assert school["notes_zh"].str.contains("学校转介").all()
    short = cases[(cases["closure_reason"] == "goals_met") & (cases["gas_tscore"] < 50)]
    assert len(short) > 0
    assert set(short["case_id"]) == set(kind.get_group("closure_goal_mismatch")["key"])
