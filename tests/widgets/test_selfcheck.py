"""Does the practice self-check say right or not yet, kindly, without ever raising?"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from shegong.widgets import Feedback, check, check_frame
from shegong.widgets.lessons.selfcheck import feedback, frame_feedback

TABLE = pd.DataFrame({"station_id": ["S1", "S2"], "person_times": [10, 20]})


def test_right_answer_prints_a_tick_and_returns_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Does a right number print '✓ … 正确' and return nothing (no bare True below it)?"""
    assert check("平均人次", 12.5, 12.5) is None
    assert capsys.readouterr().out.strip() == "✓ 平均人次：正确！"


def test_english_messages_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    """Does lang="en" give the message in English?"""
    check("mean", 3, 3, lang="en")
    check("mean", 4, 3, lang="en")
    out = capsys.readouterr().out
    assert "✓ mean: correct!" in out and "✗ mean: not yet; your result is too high." in out


def test_wrong_number_hints_without_revealing(capsys: pytest.CaptureFixture[str]) -> None:
    """Does a wrong number say too high or too low, and keep the expected value hidden?"""
    check("合计", 1234, 1300)
    out = capsys.readouterr().out
    assert "偏小" in out and "1300" not in out
    result = feedback("合计", 1400, 1300, reveal=True, hint="用 sum() 求和")
    assert not result.ok and "偏大" in result.message
    assert "提示：用 sum() 求和" in result.message and "参考答案：1300" in result.message


def test_tolerance_accepts_rounding() -> None:
    """Is a number within the tolerance right, and a numpy number accepted like a float?"""
    assert feedback("比例", 0.3333, 1 / 3, tolerance=0.001).ok
    assert feedback("比例", np.float64(0.3333), 1 / 3, tolerance=0.001).ok
    assert not feedback("比例", 0.33, 1 / 3, tolerance=0.001).ok
    assert feedback("人数", np.int64(7), 7).ok


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("12.5", "这里需要一个数字，但你给的是一段文字（Python 类型 str）"),
        (True, "是或否"),
        ([12.5], "一个列表"),
        (TABLE, "数据表"),
    ],
)
def test_wrong_type_gets_a_message_not_an_exception(value: Any, words: str) -> None:
    """Is a string, bool, list or table where a number is expected met with a clear message?"""
    result = feedback("平均人次", value, 12.5)
    assert not result.ok and words in result.message


def test_none_and_nan_are_explained() -> None:
    """Do a missing value and a NaN each get their own hint?"""
    assert "忘了赋值" in feedback("x", None, 3).message
    assert "NaN" in feedback("x", math.nan, 3).message
    assert "forget to assign" in feedback("x", None, 3, lang="en").message


def test_text_lists_and_sets() -> None:
    """Are text (trimmed), lists (in order, with tolerance) and sets (any order) compared?"""
    assert feedback("阶段", " 预估 ", "预估").ok
    assert not feedback("阶段", "评估", "预估").ok
    assert feedback("人次", [1.0, 2.001], [1, 2], tolerance=0.01).ok
    assert not feedback("人次", [2, 1], [1, 2]).ok
    assert "现在有 3 个" in feedback("人次", [1, 2, 3], [1, 2]).message
    assert feedback("站点", ["S2", "S1"], {"S1", "S2"}).ok
    assert feedback("字典", {"a": 1}, {"a": 1}).ok


def test_frames_are_compared_by_columns_then_values() -> None:
    """Does a table with wrong columns name them, and right columns compare the values?"""
    missing = feedback("表", TABLE[["station_id"]], TABLE)
    assert not missing.ok and "缺少列：person_times" in missing.message
    extra = feedback("表", TABLE.assign(x=1), TABLE)
    assert "多出了列：x" in extra.message
    assert feedback("表", TABLE.copy(), TABLE).ok
    assert feedback("表", TABLE.astype({"person_times": float}), TABLE).ok
    changed = TABLE.assign(person_times=[10, 21])
    assert not feedback("表", changed, TABLE).ok
    assert "行数偏少" in feedback("表", TABLE.iloc[:1], TABLE).message
    assert feedback("列", TABLE["person_times"], TABLE["person_times"]).ok


def test_odd_values_never_raise() -> None:
    """Does a value that cannot even be compared still give 'not yet' instead of a traceback?"""

    class Weird:
        def __eq__(self, other: object) -> bool:
            raise RuntimeError("boom")

        __hash__ = object.__hash__

    assert not feedback("奇怪", Weird(), Weird()).ok
    assert not feedback("数组", np.array([1, 2]), [1, 2, 3]).ok


def test_check_frame_checks_shape(capsys: pytest.CaptureFixture[str]) -> None:
    """Does check_frame confirm the shape, and name missing columns or too many rows?"""
    assert check_frame("汇总表", TABLE, ["station_id", "person_times"], 2) is None
    assert "结构正确（2 行，2 列）" in capsys.readouterr().out
    check_frame("汇总表", TABLE, ["station_id", "month"])
    assert "缺少列：month" in capsys.readouterr().out
    check_frame("汇总表", TABLE, expected_rows=1, lang="en")
    assert "too many rows (it has 2)" in capsys.readouterr().out
    assert "现在有 2 行" in frame_feedback("汇总表", TABLE, expected_rows=5).message
    assert "5" in frame_feedback("t", TABLE, expected_rows=5, reveal=True).message


def test_check_frame_handles_non_tables() -> None:
    """Is a list or None given to check_frame met with a message, not an exception?"""
    assert "Python 类型 list" in frame_feedback("汇总表", [1, 2]).message
    assert "None" in frame_feedback("汇总表", None).message


def test_feedback_shows_as_html_in_notebooks() -> None:
    """Does feedback render as coloured, escaped HTML for Jupyter?"""
    result = Feedback(False, ("✗ <b>x</b>",))
    shown = result._repr_html_()
    assert "&lt;b&gt;x&lt;/b&gt;" in shown and "#fdecea" in shown
    assert str(result) == "✗ <b>x</b>"


def test_an_unanswered_scaffold_says_not_answered_yet(capsys: pytest.CaptureFixture[str]) -> None:
    """Is a trainee edition's ``name = ...`` met with "not answered yet", in zh and en?"""
    check("人数", ..., 12)
    assert capsys.readouterr().out.strip().startswith("人数：还没有作答")
    assert "not answered yet" in feedback("count", ..., 12, lang="en").message
    assert "not answered yet" in frame_feedback("table", ..., ["a"], lang="en").message
