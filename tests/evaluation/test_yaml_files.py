"""Does one broken file of each checked-in YAML kind give one located, bilingual message?

Every kind is read through pydantic models and ``shegong.validation``: the message names the
file (a quiz: its question) and the path of the bad node, in Chinese and in English.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import pytest
from pydantic import Field, ValidationError

from shegong.courses import CourseError, load_course
from shegong.datasets.card import CardError, parse_card
from shegong.errors import ShegongError
from shegong.evaluation import (
    COMPETENCY_RUBRIC,
    STATION_RUBRIC,
    RubricError,
    load_competency_rubric,
    load_station_rubric,
)
from shegong.grading.config import GradingError
from shegong.grading.rubric import load_rubric
from shegong.paths import CONTENT
from shegong.validation import Problem, Strict, first, problem, walk
from shegong.widgets import Quiz, QuizError

HAN = re.compile(r"[\u4e00-\u9fff]")
CARD = Path(__file__).parents[2] / "datasets" / "card.yml"


def _bilingual(error: ShegongError, *names: str) -> None:
    zh, en = error.message("zh"), error.message("en")
    assert HAN.search(zh)
    for name in names:
        assert name in zh and name in en
        en = en.replace(name, "")
    assert not HAN.search(en), en


def test_station_rubric_wrong_type_is_located(tmp_path: Path) -> None:
    """Does a text where the level numbers belong name file, node and kind in both languages?"""
    broken = tmp_path / "station.yml"
    source = STATION_RUBRIC.read_text(encoding="utf-8")
    broken.write_text(source.replace("weight: 15", "weight: fifteen", 1), encoding="utf-8")
    with pytest.raises(RubricError) as caught:
        load_station_rubric(broken)
    assert caught.value.values["path"] == "dimensions[0].weight"
    _bilingual(caught.value, str(broken), "dimensions[0].weight")
    assert "数字" in caught.value.message("zh") and "a number" in caught.value.message("en")


def test_competency_rubric_unknown_key_is_located(tmp_path: Path) -> None:
    """Is a misspelt key of the competency rubric named with the keys it could have been?"""
    broken = tmp_path / "competency.yml"
    source = COMPETENCY_RUBRIC.read_text(encoding="utf-8")
    broken.write_text(source.replace("evidence_required:", "evidense_required:"), "utf-8")
    with pytest.raises(RubricError) as caught:
        load_competency_rubric(broken)
    assert caught.value.msg_id == "error.evaluation_rubric_unknown"
    _bilingual(caught.value, str(broken), "evidense_required")
    assert "evidence_required" in caught.value.message("en")


def test_data_card_bad_column_type_is_located() -> None:
    """Does a column type outside the set name the table, the column and the choices?"""
    source = CARD.read_text(encoding="utf-8")
    broken = source.replace("type: int,", "type: integer,", 1)
    with pytest.raises(CardError) as caught:
        parse_card(broken, "card.yml")
    path = str(caught.value.values["path"])
    assert re.fullmatch(r"tables\.\w+\.columns\.\w+\.type", path)
    _bilingual(caught.value, "card.yml", path, "integer")
    assert "str, int, float, bool, date" in caught.value.message("en")


def test_data_card_missing_key_is_located() -> None:
    """Does a table without its Chinese grain say which table lacks which key?"""
    source = CARD.read_text(encoding="utf-8")
    broken = re.sub(r"\n    grain_zh:[^\n]*", "", source, count=1)
    with pytest.raises(CardError) as caught:
        parse_card(broken, "card.yml")
    assert caught.value.msg_id == "error.data_card_missing"
    assert caught.value.values["key"] == "grain_zh"
    _bilingual(caught.value, "card.yml", str(caught.value.values["path"]), "grain_zh")


def test_course_file_wrong_type_is_located(tmp_path: Path) -> None:
    """Does a course.yml whose lessons are not a list name the file and the field?"""
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "course.yml").write_text(
        "id: demo\norder: 9\ntitle_zh: 演示\ntitle_en: Demo\nhours: 1\nlessons: ghost\n", "utf-8"
    )
    with pytest.raises(CourseError) as caught:
        load_course(folder)
    assert caught.value.msg_id == "error.course_type"
    _bilingual(caught.value, str(folder / "course.yml"), "lessons")
    assert "列表" in caught.value.message("zh") and "a list" in caught.value.message("en")


def test_course_file_unknown_field_is_located(tmp_path: Path) -> None:
    """Is a misspelt field of course.yml refused, naming it, not silently ignored?"""
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "course.yml").write_text(
        "id: demo\norder: 9\ntitle_zh: 演示\ntitle_en: Demo\nhours: 1\nlesons: []\n", "utf-8"
    )
    with pytest.raises(CourseError) as caught:
        load_course(folder)
    assert caught.value.msg_id == "error.course_unknown"
    _bilingual(caught.value, str(folder / "course.yml"), "lesons")


def test_quiz_unknown_option_key_is_located() -> None:
    """Does a quiz option with a key it does not define name the question and the option?"""
    spec = """
- id: rows
  prompt: {zh: 一行是什么, en: What is one row}
  options:
    - {id: a, text: {zh: 一次服务, en: one contact}, correct: true}
    - {id: b, text: {zh: 一个人, en: one person}, corect: false}
"""
    with pytest.raises(QuizError) as caught:
        Quiz.from_yaml(spec)
    _bilingual(caught.value, "rows", "options[b]", "corect")


def test_assignment_rubric_missing_text_is_located(tmp_path: Path) -> None:
    """Does an assignment rubric level without English name the file and the level?"""
    path = tmp_path / "rubric.yml"
    path.write_text(
        "assignment: x\ncriteria:\n  - id: a\n    cell: c\n    title: {zh: 甲, en: A}\n"
        "    levels:\n      - {points: 0, label: {zh: 无, en: none}, descriptor: {zh: 无}}\n"
        "      - {points: 1, label: {zh: 有}, descriptor: {zh: 有, en: some}}\n",
        encoding="utf-8",
    )
    with pytest.raises(GradingError) as caught:
        load_rubric(path)
    _bilingual(caught.value, str(path), "criteria[0].levels[0].descriptor")


def test_shipped_assignment_rubrics_load() -> None:
    """Does every shipped assignment rubric pass its model?"""
    rubrics = sorted(CONTENT.assignments.glob("*/rubric.yml"))
    assert rubrics
    for path in rubrics:
        assert load_rubric(path).criteria


class _Leaf(Strict):
    zh: str


class _Root(Strict):
    items: list[_Leaf]
    levels: dict[int, _Leaf]


def test_paths_are_written_as_in_the_file() -> None:
    """Are list items written [i] and mapping keys .key, as a person points at them?"""
    assert walk(_Root, ("items", 3, "zh"))[0] == "items[3].zh"
    assert walk(_Root, ("levels", 4, "zh"))[0] == "levels.4.zh"


def test_a_typo_is_named_before_the_key_it_hides() -> None:
    """When a key is missing and an unknown key sits beside it, is the unknown key named?"""
    with pytest.raises(ValidationError) as caught:
        _Root.model_validate({"items": [{"zhh": "甲"}], "levels": {}})
    found = problem(_Root, first(caught.value.errors()))
    assert found == Problem("unknown", "items[0].zhh", {"key": "zhh", "choices": "zh"})


class _Bounded(Strict):
    count: Annotated[int, Field(ge=1)]


def test_other_refusals_are_values_with_pydantic_detail() -> None:
    """Is a refusal no catalogue code covers reported as ``value``, located, with a detail?"""
    with pytest.raises(ValidationError) as caught:
        _Bounded.model_validate({"count": 0})
    found = problem(_Bounded, first(caught.value.errors()))
    assert (found.code, found.path) == ("value", "count")
    assert "1" in str(found.values["detail"])
