"""selfcheck 练习自查: friendly right / not-yet messages for practice exercises in lessons.

``check("平均人次", answer, 12.5, tolerance=0.01)`` shows "✓ 平均人次：正确！" or a hint
("还不对，你的结果偏大。") and returns nothing, so no bare ``True``/``False`` sits under the
message. It never raises on a wrong answer: a string where a number is expected, a missing
value or a table with the wrong columns gets a clear message instead, and an answer still
``...`` (a trainee edition's scaffold) is "not answered yet". The expected value stays hidden
unless ``reveal=True``. Without an expected value, ``check("x", x, lang=LANG)`` is a trainee
edition's short check: the key comes from the lesson (``keys.py``).
``feedback`` and ``frame_feedback`` return the outcome without showing it (for code and tests).
"""

from __future__ import annotations

import html
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from shegong.errors import ShegongError
from shegong.messages import Lang, text

from .keys import run_key

NOT_ANSWERED = Ellipsis  # what a trainee edition's scaffold assigns: ``name = ...``
FROM_KEY: Any = object()  # no expected value given: the lesson's answer key has it
GOOD = "color:#1b5e20;background:#e8f5e9"
BAD = "color:#7f0015;background:#fdecea"


@dataclass(frozen=True)
class Feedback:
    """The outcome of one check: right or not, and the lines to show, in one language."""

    ok: bool
    lines: tuple[str, ...]

    @property
    def message(self) -> str:
        return "\n".join(self.lines)

    def __str__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:
        body = "<br>".join(html.escape(line) for line in self.lines)
        style = GOOD if self.ok else BAD
        return f'<div style="{style};padding:6px 10px;border-radius:4px">{body}</div>'


def _kind(value: Any) -> str:
    """The catalogue kind of a value: number, text, bool, frame, series, sequence, mapping."""
    if isinstance(value, bool | np.bool_):
        return "bool"
    if isinstance(value, int | float | np.integer | np.floating):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, pd.DataFrame):
        return "frame"
    if isinstance(value, pd.Series):
        return "series"
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, Sequence | np.ndarray | set | frozenset):
        return "sequence"
    return "other"


def _wrong_type(name: str, value: Any, expected: Any, lang: Lang) -> str:
    return text(
        "widgets.check.wrong_type",
        lang,
        name=name,
        expected_kind=text(f"widgets.check.kind.{_kind(expected)}", lang),
        got_kind=text(f"widgets.check.kind.{_kind(value)}", lang),
        got_type=type(value).__name__,
    )


def _close(value: Any, expected: Any, tolerance: float) -> bool:
    """Equal, with ``tolerance`` for numbers (also inside lists, Series and DataFrames)."""
    if isinstance(expected, pd.DataFrame | pd.Series):
        options: dict[str, Any] = dict(
            check_dtype=False, check_exact=False, atol=tolerance, rtol=0, check_names=False,
            check_index_type=False,
        )  # fmt: skip
        try:
            if isinstance(expected, pd.DataFrame):
                pd.testing.assert_frame_equal(value, expected, **options)
            else:
                pd.testing.assert_series_equal(value, expected, **options)
        except AssertionError:
            return False
        return True
    if _kind(expected) == "number":
        return bool(abs(float(value) - float(expected)) <= tolerance + 1e-12)
    if isinstance(expected, set | frozenset):
        return set(value) == expected
    if _kind(expected) == "sequence":
        return len(value) == len(expected) and all(
            _kind(v) == _kind(e) and _close(v, e, tolerance)
            for v, e in zip(value, expected, strict=True)
        )
    return bool(value == expected)


def _number_problem(
    name: str, value: Any, expected: Any, tolerance: float, lang: Lang
) -> str | None:
    """The message for a number that is NaN or wrong (None when it is right)."""
    if math.isnan(float(value)):
        return text("widgets.check.nan", lang, name=name)
    if _close(value, expected, tolerance):
        return None
    side = "too_high" if float(value) > float(expected) else "too_low"
    return text(f"widgets.check.{side}", lang, name=name)


def _problem(name: str, value: Any, expected: Any, tolerance: float, lang: Lang) -> str | None:
    """What is wrong with ``value`` (None when it matches ``expected``)."""
    wrong = text("widgets.check.wrong", lang, name=name)
    kind = _kind(expected)
    if value is None and expected is not None:
        return text("widgets.check.none", lang, name=name)
    if _kind(value) != kind:
        return _wrong_type(name, value, expected, lang)
    if kind == "number":
        return _number_problem(name, value, expected, tolerance, lang)
    if kind == "frame":
        shape = _frame_problem(name, value, list(expected.columns), len(expected), lang)
        return shape or (None if _close(value, expected, tolerance) else wrong)
    if kind in ("sequence", "series") and len(value) != len(expected):
        return text("widgets.check.wrong_length", lang, name=name, got=len(value))
    if kind == "text":
        return None if value.strip() == expected.strip() else wrong
    return None if _close(value, expected, tolerance) else wrong


def feedback(
    name: str,
    value: Any,
    expected: Any,
    tolerance: float = 0,
    lang: Lang = "zh",
    *,
    reveal: bool = False,
    hint: str | None = None,
) -> Feedback:
    """Compare ``value`` with ``expected`` and say so, without showing anything."""
    if value is NOT_ANSWERED:
        return not_answered(name, lang)
    try:
        problem = _problem(name, value, expected, tolerance, lang)
    except Exception:  # a trainee's odd value must give a message, never a traceback
        problem = text("widgets.check.wrong", lang, name=name)
    if problem is None:
        return Feedback(True, (text("widgets.check.correct", lang, name=name),))
    lines = [problem]
    if hint:
        lines.append(text("widgets.check.hint", lang, hint=hint))
    if reveal:
        lines.append(text("widgets.check.reveal", lang, expected=_shown(expected)))
    return Feedback(False, tuple(lines))


def not_answered(name: str, lang: Lang = "zh") -> Feedback:
    """The message for an exercise still showing its scaffold's ``...``."""
    return Feedback(False, (text("widgets.check.not_answered", lang, name=name),))


def _shown(expected: Any) -> str:
    if isinstance(expected, pd.DataFrame | pd.Series):
        return "\n" + expected.head(10).to_string()
    return repr(expected) if isinstance(expected, str) else str(expected)


def _frame_problem(
    name: str,
    frame: pd.DataFrame,
    expected_columns: Sequence[str] | None,
    expected_rows: int | None,
    lang: Lang,
) -> str | None:
    """What is wrong with a table's columns or row count (None when nothing is)."""
    if expected_columns is not None:
        have = [str(c) for c in frame.columns]
        missing = [str(c) for c in expected_columns if str(c) not in have]
        extra = [c for c in have if c not in {str(e) for e in expected_columns}]
        if missing:
            return text(
                "widgets.check.missing_columns", lang, name=name, columns=", ".join(missing)
            )
        if extra:
            return text("widgets.check.extra_columns", lang, name=name, columns=", ".join(extra))
    if expected_rows is not None and len(frame) != expected_rows:
        side = "too_many_rows" if len(frame) > expected_rows else "too_few_rows"
        return text(f"widgets.check.{side}", lang, name=name, got=len(frame))
    return None


def frame_feedback(
    name: str,
    frame: Any,
    expected_columns: Sequence[str] | None = None,
    expected_rows: int | None = None,
    lang: Lang = "zh",
    *,
    reveal: bool = False,
) -> Feedback:
    """Check a table's shape (columns, row count) and say so, without showing anything."""
    if frame is NOT_ANSWERED:
        return not_answered(name, lang)
    if frame is None:
        return Feedback(False, (text("widgets.check.none", lang, name=name),))
    if not isinstance(frame, pd.DataFrame):
        return Feedback(False, (_wrong_type(name, frame, pd.DataFrame(), lang),))
    problem = _frame_problem(name, frame, expected_columns, expected_rows, lang)
    if problem is None:
        ok = text("widgets.check.frame_ok", lang, name=name, rows=len(frame), cols=frame.shape[1])
        return Feedback(True, (ok,))
    lines = [problem]
    if reveal:
        shape = {"columns": list(expected_columns or []), "rows": expected_rows}
        lines.append(text("widgets.check.reveal", lang, expected=shape))
    return Feedback(False, tuple(lines))


def show(result: Feedback) -> None:
    """Display feedback: HTML in a notebook, plain text elsewhere."""
    from IPython.display import display  # lazy: IPython's display machinery is slow to import

    display(result)


def check(
    name: str,
    value: Any,
    expected: Any = FROM_KEY,
    tolerance: float = 0,
    lang: Lang = "zh",
    *,
    reveal: bool = False,
    hint: str | None = None,
) -> None:
    """Show whether a practice answer is right (✓) or not yet (✗, with a hint); never raises.

    Without ``expected`` the lesson's answer key checks ``value`` (a trainee edition).
    """
    if expected is FROM_KEY:
        _check_by_key(name, value, lang, sys._getframe(1).f_globals)
        return
    show(feedback(name, value, expected, tolerance, lang, reveal=reveal, hint=hint))


def _check_by_key(name: str, value: Any, lang: Lang, namespace: dict[str, Any]) -> None:
    """Run the lesson's key for ``name``; an answer it cannot even evaluate is "not yet"."""
    if value is NOT_ANSWERED:
        show(not_answered(name, lang))
        return
    try:
        run_key(namespace, name, value)
    except ShegongError:
        raise  # no key for this lesson: say so plainly, it is not the trainee's answer
    except Exception:  # a trainee's odd value must give a message, never a traceback
        show(Feedback(False, (text("widgets.check.wrong", lang, name=name),)))


def check_frame(
    name: str,
    frame: Any,
    expected_columns: Sequence[str] | None = None,
    expected_rows: int | None = None,
    lang: Lang = "zh",
    *,
    reveal: bool = False,
) -> None:
    """Show whether a table has the expected columns and row count; never raises."""
    show(frame_feedback(name, frame, expected_columns, expected_rows, lang, reveal=reveal))
