"""Reading rubric YAML: the value types of a rubric file and the errors that name its nodes.

``RubricError`` names the file and the path of the bad node, written the way a person would
point at it in the file: ``dimensions[1].indicators[0].levels.4.zh``. The layouts of the
two rubric files are the pydantic models of ``schema.py``, built from the types here; the
shared ``shegong.validation`` turns their first error into the catalogue message
``error.evaluation_rubric_<code>``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sized
from pathlib import Path
from typing import Annotated, ClassVar, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator

from shegong.errors import Labels, ShegongError
from shegong.text import Bilingual
from shegong.validation import Loc, Problem, Strict, fail, read_yaml, validate

IDENT = re.compile(r"[a-z][a-z0-9_]{0,63}")
HAN = re.compile(r"[\u3400-\u9fff]")
TOLERANCE = 1e-6
Model = TypeVar("Model", bound=BaseModel)


class EvaluationError(ShegongError):
    """Base of evaluation errors; a ``kind`` of value is shown in the reader's language."""

    labels: ClassVar[Labels] = {"kind": ("evaluation.kind.",)}


class RubricError(EvaluationError):
    """A rubric file that cannot be used, naming the file and the path of the bad node."""


def _ident(value: object) -> object:
    if not isinstance(value, str) or not IDENT.fullmatch(value):
        fail("id", value=value)
    return value


def _text(value: str) -> str:
    if not value.strip():
        fail("type", kind="string")
    return value.strip()


def _chinese(value: str) -> str:
    if not HAN.search(value):
        fail("zh")
    return value


def _english(value: str) -> str:
    if HAN.search(value):
        fail("en")
    return value


def number(low: float, high: float) -> Callable[[object], float]:
    """A YAML number (not a boolean, not NaN) between ``low`` and ``high``."""

    def check(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            fail("type", kind="number")
        if not low <= value <= high:
            fail("range", value=value, low=low, high=high)
        return float(value)

    return check


def integer(low: int, high: int) -> Callable[[object], int]:
    """A YAML whole number (not a boolean) between ``low`` and ``high``."""

    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            fail("type", kind="integer")
        if not low <= value <= high:
            fail("range", value=value, low=low, high=high)
        return value

    return check


def _non_empty(value: Sized) -> Sized:
    if not len(value):
        fail("empty")
    return value


Ident = Annotated[str, BeforeValidator(_ident)]
Text = Annotated[str, AfterValidator(_text)]
ZhText = Annotated[str, AfterValidator(_text), AfterValidator(_chinese)]
EnText = Annotated[str, AfterValidator(_text), AfterValidator(_english)]
Share = Annotated[float, BeforeValidator(number(0, 1))]
NonEmpty = AfterValidator(_non_empty)


class Label(Strict):
    """``{zh, en}``: Chinese text and English text without Chinese characters."""

    zh: ZhText
    en: EnText

    @property
    def text(self) -> Bilingual:
        return Bilingual(self.zh, self.en)


def unique(ids: Iterable[tuple[str, Loc]]) -> None:
    """Each (id, where) once; the second use of an id is the error."""
    seen: set[str] = set()
    for ident, where in ids:
        if ident in seen:
            fail("duplicate", where, value=ident)
        seen.add(ident)


def total(values: Iterable[float], expected: float, where: Loc) -> None:
    added = sum(values)
    if abs(added - expected) > TOLERANCE:
        fail("sum", where, total=f"{added:g}", expected=f"{expected:g}")


def exact_levels(keys: Iterable[object], expected: Iterable[int], where: Loc) -> None:
    """The keys are exactly the level numbers ``expected`` (YAML integers)."""
    found, wanted = list(keys), sorted(expected)
    numeric = all(isinstance(k, int) and not isinstance(k, bool) for k in found)
    if not numeric or sorted(k for k in found if isinstance(k, int)) != wanted:
        fail(
            "levels",
            where,
            levels=", ".join(map(str, found)),
            expected=", ".join(map(str, wanted)),
        )


def load(path: Path, model: type[Model]) -> Model:
    """One rubric file read and validated; ``RubricError`` at the first problem."""

    def make(problem: Problem) -> RubricError:
        return RubricError(
            f"error.evaluation_rubric_{problem.code}",
            file=str(path),
            path=problem.path or "/",
            **problem.values,
        )

    return validate(model, read_yaml(path, make), make)
