"""Checks that assignment test cells call: a failed check says what is wrong in both languages.

A test cell in an assignment master is plain Python that calls these helpers, for example::

    from shegong.grading.checks import expect, expect_choice, expect_close, expect_defined

    expect_defined("risk_level")
    expect_choice(risk_level, ("low", "medium", "high"), "risk_level")
    ### BEGIN HIDDEN TESTS
    expect(risk_level == _expected, "风险等级与量表结果不符。", "The risk level does not fit.")
    ### END HIDDEN TESTS

A failed check raises ``AssertionError`` whose message is two lines, Chinese first, English
second (the catalogue's ``bilingual`` convention); nbgrader scores the cell 0 and the slim
feedback (``shegong.grading.feedback``) shows the line in the trainee's language.
Importing this module is cheap (no pandas) so it never slows a kernel down.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Mapping
from typing import Any

from shegong.messages import bilingual

__all__ = [
    "expect",
    "expect_choice",
    "expect_close",
    "expect_columns",
    "expect_defined",
    "expect_mapping_close",
    "expect_type",
]


def expect(ok: Any, zh: str, en: str) -> None:
    """Fail with ``zh`` / ``en`` unless ``ok`` is true."""
    if not ok:
        raise AssertionError(f"{zh}\n{en}")


def _fail(msg_id: str, **values: Any) -> None:
    raise AssertionError(bilingual(msg_id, **values))


def expect_defined(name: str) -> Any:
    """The value of the notebook variable ``name``; a friendly failure if it is not defined.

    Looks in the calling cell's globals (the notebook namespace), so a test can check a
    variable before using it instead of failing with a bare ``NameError``.
    """
    namespace = sys._getframe(1).f_globals
    if name not in namespace:
        _fail("grading.check.undefined", name=name)
    return namespace[name]


def expect_type(value: Any, kinds: type | tuple[type, ...], name: str) -> None:
    """Fail unless ``value`` is an instance of ``kinds``."""
    if not isinstance(value, kinds):
        wanted = kinds if isinstance(kinds, tuple) else (kinds,)
        _fail(
            "grading.check.type",
            name=name,
            expected=" / ".join(k.__name__ for k in wanted),
            got=type(value).__name__,
        )


def expect_choice(value: Any, choices: Iterable[Any], name: str) -> None:
    """Fail unless ``value`` is one of ``choices`` (for answers stored in a named variable)."""
    options = list(choices)
    if isinstance(value, str):
        value = value.strip()
    if value not in options:
        shown = ", ".join(repr(c) for c in options)
        _fail("grading.check.choice", name=name, value=repr(value), choices=shown)


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def expect_close(value: Any, expected: float, name: str, tolerance: float = 1e-6) -> None:
    """Fail unless ``value`` is a number within ``tolerance`` of ``expected``."""
    number = _number(value)
    if number is None or isinstance(value, bool):
        _fail("grading.check.not_number", name=name, value=repr(value)[:60])
        return
    if abs(number - expected) > tolerance + 1e-12:
        _fail("grading.check.not_close", name=name, value=f"{number:.4g}")


def expect_columns(frame: Any, columns: Iterable[str], name: str) -> None:
    """Fail unless ``frame`` is a DataFrame with every column in ``columns``."""
    have = [str(c) for c in getattr(frame, "columns", [])]
    missing = [c for c in columns if c not in have]
    if not hasattr(frame, "columns") or missing:
        _fail("grading.check.columns", name=name, missing=", ".join(missing) or "?")


def expect_mapping_close(
    actual: Any, expected: Mapping[Any, float], name: str, tolerance: float = 1e-6
) -> None:
    """Fail unless ``actual`` (a Series or dict) has the same keys and values as ``expected``.

    Order is ignored; values are compared as numbers within ``tolerance``.
    """
    try:
        got = {k: float(v) for k, v in dict(actual).items()}
    except (TypeError, ValueError):
        _fail("grading.check.type", name=name, expected="Series / dict", got=type(actual).__name__)
        return
    want = {k: float(v) for k, v in expected.items()}
    if set(got) != set(want):
        missing = sorted(str(k) for k in set(want) - set(got))
        extra = sorted(str(k) for k in set(got) - set(want))
        _fail(
            "grading.check.keys",
            name=name,
            missing=", ".join(missing) or "-",
            extra=", ".join(extra) or "-",
        )
    wrong = [str(k) for k in want if abs(got[k] - want[k]) > tolerance + 1e-12]
    if wrong:
        _fail("grading.check.values", name=name, keys=", ".join(sorted(wrong)[:5]))
