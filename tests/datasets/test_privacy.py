"""Do the pseudonymisation helpers hide who a person is while keeping tables usable?"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from shegong.datasets.toolkits.privacy import (
    DIRECT_IDENTIFIERS,
    PrivacyError,
    age_band_labels,
    age_bands,
    alias,
    aliases,
    below_k,
    drop_identifiers,
    group_sizes,
    k_anonymity,
    new_secret,
    pseudonym_ids,
    pseudonymise,
    suppress_small_counts,
)

SECRET = "station-secret-for-tests-only"


@pytest.fixture(scope="module")
def roster(county_world: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return county_world["residents"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("李秀兰", "李某"),
        ("王明", "王某"),
        ("欧阳明华", "欧阳某"),
        ("吉克阿依", "吉克某"),
        ("欧阳", "欧某"),
    ],
)
def test_alias_keeps_the_surname_only(name: str, expected: str) -> None:
    """Does an alias keep the surname (one or two characters) and replace the rest by 某?"""
    assert alias(name) == expected


def test_alias_can_hide_the_whole_name() -> None:
    """For names without a family name, can the alias hide everything (某某)?"""
    assert alias("扎西卓玛", surname_chars=0) == "某某"
    assert alias("") == "某某"


def test_aliases_keep_missing_names_missing(roster: pd.DataFrame) -> None:
    """Are the roster's aliases all surname + 某, and a missing name still missing?"""
    names = pd.concat([roster["name_zh"].head(50), pd.Series([None])], ignore_index=True)
    out = aliases(names)
    assert out.iloc[:-1].str.endswith("某").all()
    assert (out.iloc[:-1].str[0] == names.iloc[:-1].str[0]).all()
    assert pd.isna(out.iloc[-1])


def test_aliases_are_not_unique(roster: pd.DataFrame) -> None:
    """Do many residents share an alias, so that an alias can never serve as a key?"""
    out = aliases(roster["name_zh"])
    assert out.nunique() < len(roster) / 10


def test_pseudonyms_are_stable_distinct_and_keyed(roster: pd.DataFrame) -> None:
    """Same id and secret, same pseudonym; different ids differ; another secret changes all?"""
    ids = roster["resident_id"]
    first = pseudonym_ids(ids, SECRET)
    again = pseudonym_ids(ids.sample(frac=1, random_state=1), SECRET)
    assert first.nunique() == ids.nunique()
    assert (again.sort_index() == first).all()
    other = pseudonym_ids(ids, SECRET + "x")
    assert not (other == first).any()
    assert first.str.fullmatch(r"P[0-9a-f]{10}").all()


def test_pseudonyms_cannot_be_recomputed_without_the_secret(roster: pd.DataFrame) -> None:
    """Unlike a plain hash, can someone who knows the id format not rebuild the pseudonyms?"""
    ids = roster["resident_id"].head(100)
    plain = {"P" + hashlib.sha256(v.encode()).hexdigest()[:10] for v in ids}
    keyed = set(pseudonym_ids(ids, SECRET))
    assert not plain & keyed


def test_pseudonyms_keep_missing_ids_missing() -> None:
    """Do ledger rows without a client (activities) keep an empty id?"""
    out = pseudonym_ids(pd.Series(["R0000001", None, "R0000001"]), SECRET)
    assert out.iloc[0] == out.iloc[2] and pd.isna(out.iloc[1])


@pytest.mark.parametrize("secret", ["", "short", None, 12345678901234567890])
def test_weak_secrets_are_refused(secret: object) -> None:
    """Is a missing, short or non-text secret refused with a message in both languages?"""
    with pytest.raises(PrivacyError) as info:
        pseudonym_ids(pd.Series(["R1"]), secret)  # type: ignore[arg-type]
    assert "密钥" in str(info.value) and "secret" in str(info.value)


def test_new_secrets_are_long_and_different() -> None:
    """Are generated secrets long enough to use and never the same twice?"""
    a, b = new_secret(), new_secret()
    assert a != b and len(a) >= 16
    pseudonym_ids(pd.Series(["R1"]), a)


def test_bad_length_is_refused() -> None:
    """Is a pseudonym too short to be safe (or too long for the hash) refused?"""
    for length in (3, 65):
        with pytest.raises(PrivacyError):
            pseudonym_ids(pd.Series(["R1"]), SECRET, length=length)


def test_clashing_pseudonyms_are_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """If two ids got the same pseudonym, would the clash be reported, not hidden?"""
    import shegong.datasets.toolkits.privacy as privacy

    monkeypatch.setattr(privacy, "LENGTH_RANGE", (1, 64))
    ids = pd.Series([f"R{i:07d}" for i in range(1000)])  # 1,000 ids in 256 two-digit values
    with pytest.raises(PrivacyError) as info:
        pseudonym_ids(ids, SECRET, length=2)
    assert "length" in str(info.value)


def test_age_bands_default_labels() -> None:
    """Do ages fall into the default bands with Chinese or English labels, edges included?"""
    ages = pd.Series([0, 15, 16, 59, 60, 69, 70, 79, 80, 104, None], dtype="Float64")
    zh = age_bands(ages)
    assert zh.tolist()[:10] == [
        "0–15岁", "0–15岁", "16–59岁", "16–59岁", "60–69岁", "60–69岁",
        "70–79岁", "70–79岁", "80岁及以上", "80岁及以上",
    ]  # fmt: skip
    assert pd.isna(zh.iloc[-1])
    assert age_bands(ages, lang="en").iloc[9] == "80+"
    assert list(zh.cat.categories) == age_band_labels()


def test_age_bands_with_custom_edges() -> None:
    """Do custom ten-year bands work, and are bad edges refused?"""
    out = age_bands(pd.Series([61, 75]), edges=[60, 70, 80], lang="en")
    assert out.tolist() == ["60-69", "70-79"]
    assert pd.isna(age_bands(pd.Series([30]), edges=[60, 70])).all()
    for edges in ([], [10, 5], [-1, 10], [0.5, 10]):
        with pytest.raises(PrivacyError):
            age_bands(pd.Series([30]), edges=edges)  # type: ignore[arg-type]


def test_drop_identifiers(roster: pd.DataFrame) -> None:
    """Are name and birth date gone, everything else kept, and extra columns droppable?"""
    out = drop_identifiers(roster, extra=["household_id"])
    assert not set(DIRECT_IDENTIFIERS) & set(out.columns)
    assert "household_id" not in out.columns
    assert {"resident_id", "village_id", "age", "dibao"} <= set(out.columns)
    assert len(out) == len(roster)


def test_group_sizes_and_k(roster: pd.DataFrame) -> None:
    """Is k the smallest group, and do the rows below k match the small groups?"""
    table = roster.assign(band=age_bands(roster["age"]))
    quasi = ["village_id", "sex", "band"]
    sizes = group_sizes(table, quasi)
    assert sizes["n"].sum() == len(table)
    assert sizes["n"].is_monotonic_increasing
    k = k_anonymity(table, quasi)
    assert k == sizes["n"].min()
    risky = below_k(table, quasi, k=5)
    assert risky.sum() == sizes.loc[sizes["n"] < 5, "n"].sum()
    # Coarser quasi-identifiers give larger groups.
    assert k_anonymity(table, ["station_id", "sex"]) >= k


def test_k_anonymity_of_tiny_tables() -> None:
    """Is the k of an empty table 0, and does a unique person give k = 1?"""
    frame = pd.DataFrame({"village": ["甲", "甲", "乙"], "sex": ["F", "F", "M"]})
    assert k_anonymity(frame, ["village", "sex"]) == 1
    assert k_anonymity(frame.iloc[:0], ["village"]) == 0
    assert below_k(frame, ["village", "sex"], k=2).tolist() == [False, False, True]


def test_bad_k_and_missing_columns_are_refused() -> None:
    """Are k below 2 and an unknown column refused with the column list?"""
    frame = pd.DataFrame({"village": ["甲"]})
    with pytest.raises(PrivacyError):
        below_k(frame, ["village"], k=1)
    with pytest.raises(PrivacyError) as info:
        group_sizes(frame, ["sex"])
    assert "village" in str(info.value)


def test_small_cells_are_suppressed_with_a_second_blank() -> None:
    """Are counts 1-4 blanked, zeros kept, and a lone blank in a row or column joined by one?"""
    table = pd.DataFrame(
        {"留守儿童": [2, 30, 12], "留守老人": [40, 8, 25], "留守妇女": [0, 9, 33]},
        index=["甲村", "乙村", "丙村"],
    )
    out = suppress_small_counts(table, k=5)
    assert pd.isna(out.loc["甲村", "留守儿童"])
    assert out.loc["甲村", "留守妇女"] == 0
    for axis in (0, 1):
        blanks = out.isna().sum(axis=axis)
        assert not (blanks == 1).any(), out
    assert out["留守老人"].dtype == "Int64"


def test_suppression_without_secondary_and_text_columns() -> None:
    """Without secondary suppression only small cells go; label columns are untouched?"""
    table = pd.DataFrame({"村": ["甲", "乙"], "人数": [3, 20], "户数": [7, 6]})
    out = suppress_small_counts(table, k=5, secondary=False)
    assert out["村"].tolist() == ["甲", "乙"]
    assert pd.isna(out.loc[0, "人数"]) and out.loc[1, "人数"] == 20
    assert out["户数"].tolist() == [7, 6]


def test_suppression_leaves_big_counts_alone() -> None:
    """With no small cells, is the table unchanged?"""
    table = pd.DataFrame({"a": [10, 20], "b": [0, 7]})
    out = suppress_small_counts(table, k=5)
    assert out.astype("int64").equals(table)


def test_pseudonymise_roster(roster: pd.DataFrame) -> None:
    """Does the one-call version keep rows and links but drop names, birth dates and ages?"""
    out = pseudonymise(roster, SECRET)
    assert len(out) == len(roster)
    assert not {"name_zh", "birth_date", "age"} & set(out.columns)
    assert {"alias", "age_band", "resident_id", "household_id"} <= set(out.columns)
    assert not out["resident_id"].isin(roster["resident_id"]).any()
    same_household = roster.groupby("household_id")["resident_id"].transform("size")
    assert (out.groupby("household_id")["resident_id"].transform("size") == same_household).all()
    assert list(out.columns).index("alias") == list(roster.columns).index("name_zh")


def test_pseudonymised_tables_still_join(county_world: dict[str, pd.DataFrame]) -> None:
    """With one secret, do pseudonymised cases still find their residents?"""
    roster = pseudonymise(county_world["residents"], SECRET)
    cases = pseudonymise(county_world["cases"], SECRET)
    assert "notes_zh" not in cases.columns
    joined = cases.merge(roster, on="resident_id", how="left", indicator=True)
    assert (joined["_merge"] == "both").all()
    assert np.isin(cases["resident_id"], roster["resident_id"]).all()
