"""Do the rubric criteria carry the traceability fields, checked like a lesson's?

Station criteria name ``standards`` and ``programme``; competency indicators name
``standards`` and ``exam`` (vocabularies in ``courses/trace.yml``). A wrong entry fails with
the file and the node named, in Chinese and English.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from shegong.evaluation import RubricError, load_competency_rubric, load_station_rubric
from shegong.evaluation.reader import load
from shegong.evaluation.rubrics import COMPETENCY_RUBRIC, STATION_RUBRIC
from shegong.evaluation.schema import CompetencyFile, StationFile
from shegong.trace import vocabulary

HAN = re.compile(r"[\u4e00-\u9fff]")


def _raw(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def test_station_criteria_name_programme_words_matching_their_tags() -> None:
    """Does each station criterion's ``programme`` hold the words of its tags (and only
    programme words), so the two cannot drift apart?"""
    station = load(STATION_RUBRIC, StationFile)
    words = vocabulary().programme
    for dim in station.dimensions:
        for ind in dim.indicators:
            tagged = {station.tags[t].zh for t in ind.tags}
            assert ind.programme, ind.id
            assert tagged <= set(ind.programme) <= set(words), ind.id


def test_method_criteria_cite_their_method_standard() -> None:
    """Do the case and group file criteria cite MZ/T 094 / MZ/T 095, and evaluation MZ/T 059?"""
    station = {i.id: i for d in load(STATION_RUBRIC, StationFile).dimensions for i in d.indicators}
    assert "MZ/T 094-2017" in station["pr_case_records"].standards
    assert "MZ/T 095-2017" in station["pr_group_records"].standards
    assert "MZ/T 059-2014" in station["oc_service_quality"].standards


def test_every_competency_names_an_exam_topic() -> None:
    """Does each competency indicator point to a chapter topic of the national exam?"""
    for item in load(COMPETENCY_RUBRIC, CompetencyFile).competencies:
        assert item.exam, item.id
    casework = next(
        c for c in load(COMPETENCY_RUBRIC, CompetencyFile).competencies if c.id == "m_casework"
    )
    assert casework.standards == ["MZ/T 094-2017"]


def _station_programme(data: dict[str, Any]) -> None:
    data["dimensions"][0]["indicators"][0]["programme"] = ["亲民化", "便民化"]


def _station_standard(data: dict[str, Any]) -> None:
    data["dimensions"][1]["indicators"][2]["standards"] = ["MZ/T 94-2017"]


def _competency_exam(data: dict[str, Any]) -> None:
    data["competencies"][0]["exam"] = ["社会工作综合能力（初级）第2章"]


def _competency_standard(data: dict[str, Any]) -> None:
    data["competencies"][1]["standards"] = ["社会救助指南"]


@pytest.mark.parametrize(
    ("source", "loader", "mistake", "msg_id", "path"),
    [
        (
            STATION_RUBRIC,
            load_station_rubric,
            _station_programme,
            "error.evaluation_rubric_programme",
            "dimensions[0].indicators[0].programme[1]",
        ),
        (
            STATION_RUBRIC,
            load_station_rubric,
            _station_standard,
            "error.evaluation_rubric_standard",
            "dimensions[1].indicators[2].standards[0]",
        ),
        (
            COMPETENCY_RUBRIC,
            load_competency_rubric,
            _competency_exam,
            "error.evaluation_rubric_exam",
            "competencies[0].exam[0]",
        ),
        (
            COMPETENCY_RUBRIC,
            load_competency_rubric,
            _competency_standard,
            "error.evaluation_rubric_standard",
            "competencies[1].standards[0]",
        ),
    ],
)
def test_a_wrong_trace_entry_in_a_rubric_is_located(
    tmp_path: Path,
    source: Path,
    loader: Callable[[Path], object],
    mistake: Callable[[dict[str, Any]], None],
    msg_id: str,
    path: str,
) -> None:
    """Does a wrong standard, programme word or exam entry fail at its node, in both languages?"""
    data = copy.deepcopy(_raw(source))
    mistake(data)
    broken = tmp_path / "broken.yml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    with pytest.raises(RubricError) as caught:
        loader(broken)
    error = caught.value
    assert (error.msg_id, error.values["path"]) == (msg_id, path)
    zh, en = error.message("zh"), error.message("en")
    assert str(broken) in zh and path in zh and HAN.search(zh)
    assert str(broken) in en and path in en
