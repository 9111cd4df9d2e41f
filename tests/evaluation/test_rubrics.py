"""Do the rubric files load, and does each kind of mistake name the file and the bad node?"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from shegong.evaluation import (
    COMPETENCY_RUBRIC,
    STATION_RUBRIC,
    RubricError,
    load_competency_rubric,
    load_station_rubric,
)

HAN = re.compile(r"[\u4e00-\u9fff]")
FIVE_FEATURES = {"socialisation", "professionalisation", "systematisation", "accessibility",
                 "localisation"}  # fmt: skip
SIX_SERVICES = {"needs_assessment", "resource_linking", "social_assistance", "elder_child_care",
                "community_governance", "livelihood"}  # fmt: skip


# --- the shipped rubrics ----------------------------------------------------------------


def test_station_rubric_follows_the_brief_framework() -> None:
    """Are the five blocks of brief §7.2 there with weights 15/25/25/25/10?"""
    rubric = load_station_rubric()
    weights = {d.id: d.weight for d in rubric.dimensions}
    assert weights == {"inputs": 15, "process": 25, "outputs": 25, "outcomes": 25,
                       "satisfaction": 10}  # fmt: skip
    for dimension in rubric.dimensions:
        assert sum(i.points for i in dimension.indicators) == pytest.approx(dimension.weight)
    assert [d.name.zh for d in rubric.dimensions][:2] == ["投入（能力建设）", "过程（项目管理）"]


def test_station_rubric_covers_features_services_and_records() -> None:
    """Do the indicators cover 五化, 六项服务, staffing, MZ/T 094/095 records and satisfaction?"""
    rubric = load_station_rubric()
    tags = {t for i in rubric.indicators for t in i.tags}
    assert tags == FIVE_FEATURES | SIX_SERVICES
    ids = {i.id for i in rubric.indicators}
    assert {"in_staffing", "in_certified", "pr_case_records", "pr_group_records",
            "pr_volunteers", "out_organisations", "sat_residents"} <= ids  # fmt: skip
    assert "MZ/T 094" in rubric.indicator("pr_case_records").name.zh
    assert "2" in rubric.indicator("in_staffing").level(4).descriptor.zh
    for indicator in rubric.indicators:
        assert indicator.level_numbers == (4, 3, 2, 1)
        assert indicator.level(4).share == 1 and indicator.evidence.zh


def test_station_rubric_vetoes_and_grade_bands() -> None:
    """Are the four veto items and the bands 90/80/70/60/0 of brief §7.2 in the file?"""
    rubric = load_station_rubric()
    assert set(rubric.veto_ids) == {"ethics_breach", "falsified_records", "misuse_of_funds",
                                    "safety_incident"}  # fmt: skip
    assert rubric.vetoes[1].name.zh == "台账造假"
    assert [(g.label.zh, g.min_score) for g in rubric.grades] == [
        ("优秀", 90), ("良好", 80), ("合格", 70), ("基本合格", 60), ("不合格", 0),
    ]  # fmt: skip
    assert rubric.grade(rubric.veto_grade).label.zh == "不合格"


def test_competency_rubric_has_nine_cswe_and_five_method_items() -> None:
    """Are the 9 CSWE competencies (3 adapted to ethnic areas) and 5 method items there?"""
    rubric = load_competency_rubric()
    cswe = [c for c in rubric.competencies if c.group == "cswe"]
    method = [c.id for c in rubric.competencies if c.group == "method"]
    assert [c.number for c in cswe] == list(range(1, 10))
    assert "民族地区" in cswe[2].name.zh and "性别" in cswe[2].name.zh
    assert "urban-rural" in cswe[2].name.en
    assert method == ["m_casework", "m_groupwork", "m_community", "m_records", "m_ethics"]
    assert [lv.label.zh for lv in rubric.levels] == ["未达到", "初步", "达到", "熟练", "优秀"]
    for competency in rubric.competencies:
        assert [a.level for a in competency.anchors] == [1, 2, 3, 4, 5]
        assert competency.evidence.zh and competency.evidence.en
    assert (rubric.expected.level, rubric.expected.share) == (3, 0.8)


# --- broken copies ----------------------------------------------------------------------


def _station() -> dict[str, Any]:
    return yaml.safe_load(STATION_RUBRIC.read_text(encoding="utf-8"))


def _competency() -> dict[str, Any]:
    return yaml.safe_load(COMPETENCY_RUBRIC.read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: object, name: str = "broken.yml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _indicator(data: dict[str, Any], d: int, i: int) -> dict[str, Any]:
    indicator: dict[str, Any] = data["dimensions"][d]["indicators"][i]
    return indicator


def _delete_evidence(data: dict[str, Any]) -> None:
    del _indicator(data, 0, 0)["evidence"]


def _typo_weight(data: dict[str, Any]) -> None:
    data["dimensions"][1]["wieght"] = data["dimensions"][1].pop("weight")


def _weights_not_100(data: dict[str, Any]) -> None:
    data["dimensions"][4]["weight"] = 15  # and its indicators still add up to it
    _indicator(data, 4, 0)["points"] = 11


def _points_not_weight(data: dict[str, Any]) -> None:
    _indicator(data, 2, 0)["points"] = 5


def _english_in_zh(data: dict[str, Any]) -> None:
    data["dimensions"][0]["name"]["zh"] = "Inputs"


def _chinese_in_en(data: dict[str, Any]) -> None:
    _indicator(data, 1, 2)["levels"][3]["en"] = "档案基本齐全"


def _missing_level(data: dict[str, Any]) -> None:
    del _indicator(data, 3, 1)["levels"][2]


def _share_above_one(data: dict[str, Any]) -> None:
    _indicator(data, 2, 0)["levels"][3]["share"] = 1.5


def _shares_not_rising(data: dict[str, Any]) -> None:
    _indicator(data, 0, 1)["levels"][3]["share"] = 0.2


def _top_share_not_full(data: dict[str, Any]) -> None:
    data["scale"][0]["share"] = 0.9


def _duplicate_indicator(data: dict[str, Any]) -> None:
    _indicator(data, 1, 1)["id"] = "pr_needs_assessment"


def _unknown_tag(data: dict[str, Any]) -> None:
    _indicator(data, 0, 1)["tags"].append("rural_hollowing")


def _unused_tag(data: dict[str, Any]) -> None:
    data["tags"]["covid_screening"] = {"zh": "疫情筛查", "en": "COVID screening"}


def _bands_out_of_order(data: dict[str, Any]) -> None:
    data["grades"][2]["min"] = 85


def _no_zero_band(data: dict[str, Any]) -> None:
    data["grades"][-1]["min"] = 10


def _unknown_veto_grade(data: dict[str, Any]) -> None:
    data["veto_grade"] = "failed"


def _points_as_text(data: dict[str, Any]) -> None:
    _indicator(data, 0, 0)["points"] = "three"


def _bad_id(data: dict[str, Any]) -> None:
    _indicator(data, 0, 0)["id"] = "In Venue"


def _no_vetoes(data: dict[str, Any]) -> None:
    data["vetoes"] = []


STATION_MISTAKES: list[tuple[Callable[[dict[str, Any]], None], str, str]] = [
    (_delete_evidence, "error.evaluation_rubric_missing", "dimensions[0].indicators[0]"),
    (_typo_weight, "error.evaluation_rubric_unknown", "dimensions[1].wieght"),
    (_weights_not_100, "error.evaluation_rubric_sum", "dimensions"),
    (_points_not_weight, "error.evaluation_rubric_sum", "dimensions[2].indicators"),
    (_english_in_zh, "error.evaluation_rubric_zh", "dimensions[0].name.zh"),
    (_chinese_in_en, "error.evaluation_rubric_en", "dimensions[1].indicators[2].levels.3.en"),
    (_missing_level, "error.evaluation_rubric_levels", "dimensions[3].indicators[1].levels"),
    (_share_above_one, "error.evaluation_rubric_range",
     "dimensions[2].indicators[0].levels.3.share"),
    (_shares_not_rising, "error.evaluation_rubric_share_order",
     "dimensions[0].indicators[1].levels"),
    (_top_share_not_full, "error.evaluation_rubric_top_share", "scale"),
    (_duplicate_indicator, "error.evaluation_rubric_duplicate", "dimensions[1].indicators[1].id"),
    (_unknown_tag, "error.evaluation_rubric_reference", "dimensions[0].indicators[1].tags[2]"),
    (_unused_tag, "error.evaluation_rubric_unused", "tags.covid_screening"),
    (_bands_out_of_order, "error.evaluation_rubric_band_order", "grades[2].min"),
    (_no_zero_band, "error.evaluation_rubric_band_floor", "grades[4].min"),
    (_unknown_veto_grade, "error.evaluation_rubric_reference", "veto_grade"),
    (_points_as_text, "error.evaluation_rubric_type", "dimensions[0].indicators[0].points"),
    (_bad_id, "error.evaluation_rubric_id", "dimensions[0].indicators[0].id"),
    (_no_vetoes, "error.evaluation_rubric_empty", "vetoes"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("mistake", "msg_id", "path"), STATION_MISTAKES, ids=[m[0].__name__ for m in STATION_MISTAKES]
)
def test_each_station_rubric_mistake_names_file_and_path(
    tmp_path: Path, mistake: Callable[[dict[str, Any]], None], msg_id: str, path: str
) -> None:
    """Does a copied-and-broken station rubric fail with the right message at the right node?"""
    data = copy.deepcopy(_station())
    mistake(data)
    broken = _write(tmp_path, data)
    with pytest.raises(RubricError) as caught:
        load_station_rubric(broken)
    error = caught.value
    assert (error.msg_id, error.values["path"]) == (msg_id, path)
    zh, en = error.message("zh"), error.message("en")
    assert str(broken) in zh and path in zh and HAN.search(zh)
    assert str(broken) in en and path in en and not HAN.search(en.replace(str(broken), ""))


def _anchor_missing(data: dict[str, Any]) -> None:
    del data["competencies"][4]["anchors"][5]


def _unknown_group(data: dict[str, Any]) -> None:
    data["competencies"][9]["group"] = "methods"


def _expected_level_off_scale(data: dict[str, Any]) -> None:
    data["expected"]["level"] = 7


def _levels_not_from_one(data: dict[str, Any]) -> None:
    data["levels"] = [lv for lv in data["levels"] if lv["level"] != 2]


def _missing_name(data: dict[str, Any]) -> None:
    del data["competencies"][0]["name"]["en"]


COMPETENCY_MISTAKES: list[tuple[Callable[[dict[str, Any]], None], str, str]] = [
    (_anchor_missing, "error.evaluation_rubric_levels", "competencies[4].anchors"),
    (_unknown_group, "error.evaluation_rubric_reference", "competencies[9].group"),
    (_expected_level_off_scale, "error.evaluation_rubric_range", "expected.level"),
    (_levels_not_from_one, "error.evaluation_rubric_levels", "levels"),
    (_missing_name, "error.evaluation_rubric_missing", "competencies[0].name"),
]


@pytest.mark.parametrize(
    ("mistake", "msg_id", "path"),
    COMPETENCY_MISTAKES,
    ids=[m[0].__name__ for m in COMPETENCY_MISTAKES],
)
def test_each_competency_rubric_mistake_names_file_and_path(
    tmp_path: Path, mistake: Callable[[dict[str, Any]], None], msg_id: str, path: str
) -> None:
    """Does a copied-and-broken competency rubric fail with the right message and path?"""
    data = copy.deepcopy(_competency())
    mistake(data)
    with pytest.raises(RubricError) as caught:
        load_competency_rubric(_write(tmp_path, data))
    assert (caught.value.msg_id, caught.value.values["path"]) == (msg_id, path)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    """Is a file that is not YAML reported with its line number in both languages?"""
    broken = tmp_path / "station.yml"
    broken.write_text("id: station\nversion: '1'\ntitle: {zh: 站点, en: [station\n", "utf-8")
    with pytest.raises(RubricError) as caught:
        load_station_rubric(broken)
    zh, en = str(caught.value).split("\n")
    assert "第 4 行" in zh and "YAML" in zh
    assert "at line 4" in en


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    """Is a missing rubric file named, not a bare FileNotFoundError?"""
    with pytest.raises(RubricError, match=r"station_evaluation\.yml"):
        load_station_rubric(tmp_path / "station_evaluation.yml")


def test_wrong_type_message_says_what_was_expected(tmp_path: Path) -> None:
    """Does a list where a mapping belongs say 'mapping' in English and 键值映射 in Chinese?"""
    data = _station()
    data["dimensions"][0]["name"] = ["投入", "Inputs"]
    with pytest.raises(RubricError) as caught:
        load_station_rubric(_write(tmp_path, data))
    assert "键值映射" in caught.value.message("zh")
    assert "must be a mapping (key: value)" in caught.value.message("en")
