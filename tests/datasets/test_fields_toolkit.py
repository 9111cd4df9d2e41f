"""Do the field-area helpers pick people by their stated rules, and show pseudonyms only?"""

from __future__ import annotations

import pandas as pd
import pytest

from shegong.datasets.toolkits.fields import (
    FieldsError,
    assistance_candidates,
    caregiver_of,
    first_child,
    flood_priority,
    guardian_concern,
    pseudonym,
    teaching_village,
    vignette,
    village_roll,
)

FLAGS = (
    "lives_alone",
    "left_behind_elder",
    "left_behind_child",
    "left_behind_woman",
    "dibao",
    "dibao_edge",
    "tekun",
)


def _person(rid: str, age: int, household: str, village: str = "V1", **flags: object) -> dict:
    row: dict[str, object] = {
        "resident_id": rid,
        "station_id": "S1",
        "village_id": village,
        "name_zh": f"王{rid[-1]}华",
        "sex": "F",
        "age": age,
        "household_id": household,
        "disability_grade": flags.pop("grade", pd.NA),
    }
    row.update({f: bool(flags.get(f, False)) for f in FLAGS})
    return row


@pytest.fixture
def roster() -> pd.DataFrame:
    people = [
        _person("R1", 70, "H1"),
        _person("R2", 9, "H1", left_behind_child=True),
        _person("R3", 84, "H2", lives_alone=True),
        _person("R4", 90, "H3"),
        _person("R5", 62, "H4", lives_alone=True, grade=2),
        _person("R6", 40, "H5", dibao_edge=True, grade=3),
        _person("R7", 12, "H6", left_behind_child=True),
        _person("R8", 45, "H6", grade=1),
    ]
    frame = pd.DataFrame(people)
    frame["disability_grade"] = frame["disability_grade"].astype("Int64")
    return frame


def test_a_pseudonym_keeps_only_the_surname() -> None:
    """Does a roster name become surname + 某, and an empty one a plain placeholder?"""
    assert pseudonym("廖玉娟") == "廖某"
    assert pseudonym("") == "某某"


def test_flood_order_puts_alone_and_frail_first(roster: pd.DataFrame) -> None:
    """Are people living alone who are 80+ or severely disabled first, oldest first, and
    then the other frail people, the alone and the children, and the rest last?"""
    order = flood_priority(roster, "V1")
    assert list(order["resident_id"][:2]) == ["R3", "R5"]
    assert set(order.loc[order["priority"] == 1, "resident_id"]) == {"R3", "R5"}
    assert list(order.loc[order["priority"] == 2, "resident_id"]) == ["R4", "R8", "R7", "R2"]
    assert list(order.loc[order["priority"] == 3, "resident_id"]) == ["R1", "R6"]
    assert "name_zh" not in order.columns and not order["pseudonym"].str.contains("华").any()


def test_guardianship_needs_a_closer_look_for_an_old_or_disabled_carer(
    roster: pd.DataFrame,
) -> None:
    """Is a 70-year-old carer or a grade 1 carer a reason for a closer look, and is the carer
    the oldest adult of the household?"""
    assert caregiver_of(roster, "R2")["resident_id"] == "R1"
    assert guardian_concern(roster, "R2") is True
    assert guardian_concern(roster, "R7") is True  # carer 45 with a grade 1 disability
    younger = roster.assign(age=roster["age"].where(roster["resident_id"] != "R1", 50))
    assert guardian_concern(younger, "R2") is False
    alone = roster[roster["resident_id"] != "R1"]
    assert caregiver_of(alone, "R2") is None and guardian_concern(alone, "R2") is True


def test_the_first_child_is_a_school_age_left_behind_child(roster: pd.DataFrame) -> None:
    """Is the lesson's child the left-behind child of school age with the smallest id?"""
    assert first_child(roster, "V1")["resident_id"] == "R2"


def test_the_teaching_village_is_small_enough_to_read(roster: pd.DataFrame) -> None:
    """With no village of 12-30 people, is the largest taken; with one, the smallest fitting?"""
    assert teaching_village(roster) == "V1"
    extra = pd.DataFrame([_person(f"X{k:02d}", 50, f"HX{k}", village="V2") for k in range(12)])
    assert teaching_village(pd.concat([roster, extra])) == "V2"


def test_assistance_candidates_are_strained_edge_households_without_a_case(
    roster: pd.DataFrame,
) -> None:
    """Are members just above the dibao line who are disabled, alone or 80+ listed, unless a
    case is open for them?"""
    assert list(assistance_candidates(roster, None, "S1")["resident_id"]) == ["R6"]
    cases = pd.DataFrame(
        {
            "resident_id": ["R6"],
            "intake_on": [pd.Timestamp("2022-01-01")],
            "closure_on": [pd.NaT],
        }
    )
    assert assistance_candidates(roster, cases, "S1").empty
    assert village_roll(roster, cases, "V1").set_index("resident_id").loc["R6", "open_case"]


def test_a_vignette_names_the_person_by_pseudonym_in_both_languages(
    roster: pd.DataFrame,
) -> None:
    """Does the story carry the roster facts and the household, with no real name?"""
    zh = vignette("child", roster, "R2", lang="zh").data
    en = vignette("child", roster, "R2", lang="en").data
    assert "王某" in zh and "9 岁" in zh and "留守儿童" in zh and "70 岁" in zh
    assert "aged 9" in en and "left-behind child" in en
    assert "王2华" not in zh + en


def test_bad_input_is_refused_in_chinese_and_english(roster: pd.DataFrame) -> None:
    """Does an unknown story kind or person say what is wrong, in both languages?"""
    with pytest.raises(FieldsError) as kind:
        vignette("holiday", roster, "R2")
    assert "holiday" in str(kind.value) and "情景" in str(kind.value)
    with pytest.raises(FieldsError) as person:
        caregiver_of(roster, "R404")
    assert "R404" in str(person.value) and "roster" in str(person.value)
